/**
 * SBML Level 2 (Versions 1–5) and Level 3 (Versions 1–2) → the Model IR.
 *
 * How SBML quantities become IR quantities (the symbol an SBML id denotes in math keeps that id
 * as its IR name; `time` is the only SBML id that must be renamed, to `#time`):
 *
 * | SBML | IR |
 * |---|---|
 * | parameter, compartment size, species reference stoichiometry | state (rate rule), assigned (assignment or solved algebraic rule), else parameter (events may change it) |
 * | species | its **amount** is the integrated or stored quantity (`S` if `hasOnlySubstanceUnits`, else `S.amount`); when the species symbol means a concentration, `S` is the assigned quantity `S.amount / compartment` |
 * | constant species | parameter holding the value its symbol denotes |
 * | species with an assignment rule | assigned `S` (and `S.amount = S·compartment` for concentrations) |
 * | reaction | assigned quantity named by the reaction id (its rate, extent/time) |
 * | reaction-local parameter `k` of reaction `R` | parameter `R.k` |
 * | initial assignment | the start value of the state, or `initial` of the parameter |
 * | event | event; an assignment to a concentration sets the amount to value × compartment size (the new size when the same event assigns it) |
 *
 * Species amounts change at Σ stoichiometry · rate · conversion factor; a rate rule on a
 * concentration in a varying compartment gives d(amount)/dt = d[S]/dt·V + [S]·dV/dt. `rateOf(x)`
 * is replaced by x's time derivative (the rate of a state, the chain rule through assigned
 * quantities, 0 for parameters), so the compiler never sees it.
 *
 * The `delay` csymbol is kept in the IR; the compiler lifts each delayed term into a value the
 * simulation driver fills from the recorded history (before the start, quantities follow their
 * initial values evaluated at the earlier time, and rates of change are 0).
 *
 * Not supported (an {@link InputError} naming the element): Level 1, the packages comp, fbc,
 * qual, multi, arrays, distrib, spatial (layout, render and groups are ignored with a note),
 * fast reactions, delays in initial assignments, algebraic rules that are not linear in a free
 * variable.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Expr, TIME, containsOp, num, op, simplify, sym, symbolsOf } from '../../math/index.js';
import type { Unit } from '../../math/units.js';
import { diff } from '../../math/diff.js';
import type { AssignedDef, EventAssignment, EventDef, Model, ParameterDef, StateDef } from '../../model/ir.js';
import { ModelError } from '../../model/errors.js';
import { validateModel } from '../../model/validate.js';
import { InputError } from '../errors.js';
import { AlgebraicRuleError, type AlgebraicRule, solveAlgebraicRules } from './algebraic.js';
import { type LambdaDef, type MathContext, mathChild, parseMathNumber, readLambda, readMath } from './mathml.js';
import { readUnitDefinitions, unitString } from './units.js';
import { type XmlElement, child, listOf, parseXml } from './xml.js';

export interface SbmlImportOptions {
  /** File name used in messages and provenance. */
  file?: string;
}

/** How to read an SBML id from simulation output: formulas over IR names. */
export interface SbmlSymbol {
  readonly kind: 'compartment' | 'species' | 'parameter' | 'speciesReference' | 'reaction';
  /** The value the id denotes in SBML math. */
  readonly value: Expr;
  /** Species only: the amount and the concentration. */
  readonly amount?: Expr;
  readonly concentration?: Expr;
  /** Species only: the IR name of the compartment size. */
  readonly compartment?: string;
}

export interface SbmlConstraint {
  readonly expr: Expr;
  readonly message: string;
  readonly line: number;
}

export interface SbmlImport {
  readonly model: Model;
  readonly level: number;
  readonly version: number;
  /** Every SBML id with a value (a `Map`: ids are data). */
  readonly symbols: ReadonlyMap<string, SbmlSymbol>;
  readonly constraints: readonly SbmlConstraint[];
  /** Non-fatal findings: ignored annotations/packages, unit problems, missing values. */
  readonly warnings: readonly string[];
}

const SID = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Packages that change the meaning of a model: refused. */
const REFUSED_PACKAGES = new Set(['comp', 'fbc', 'qual', 'multi', 'arrays', 'distrib', 'spatial', 'dyn', 'req']);
/** Packages that only carry drawings or groupings: ignored with a note. */
const IGNORED_PACKAGES = new Set(['layout', 'render', 'groups']);

/** IR name of an SBML id (`time` is reserved in the IR). */
export const irName = (id: string): string => (id === TIME ? '#time' : id);
/** IR name of the amount of a species whose symbol denotes a concentration. */
export const amountName = (id: string): string => `${irName(id)}.amount`;
/** IR name of a reaction-local parameter. */
export const localName = (reaction: string, id: string): string => `${irName(reaction)}.${id}`;

type VarKind = 'compartment' | 'species' | 'parameter' | 'speciesReference';

interface Var {
  readonly id: string;
  readonly kind: VarKind;
  readonly el: XmlElement;
  readonly constant: boolean;
  /** Attribute value (size / value / stoichiometry). */
  readonly value?: number;
  readonly unit?: string;
  // species
  readonly compartment?: string;
  readonly hOSU?: boolean;
  readonly boundary?: boolean;
  readonly initialAmount?: number;
  readonly initialConcentration?: number;
  readonly conversionFactor?: string;
  rule?: { type: 'assignment' | 'rate' | 'algebraic'; expr: Expr; line: number };
  ia?: Expr;
  inReaction: boolean;
}

interface SpeciesRefUse {
  readonly species: string;
  readonly stoich: Expr;
  readonly sign: 1 | -1;
}

interface ReactionInfo {
  readonly id: string;
  readonly el: XmlElement;
  readonly rate?: Expr;
  readonly uses: SpeciesRefUse[];
}

/** Reads an SBML file. */
export function readSbmlFile(path: string): SbmlImport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the file: ${(e as Error).message}`, path);
  }
  return importSbml(text, { file: path });
}

/** Parses SBML text into the Model IR. */
export function importSbml(text: string, opts: SbmlImportOptions = {}): SbmlImport {
  return new Importer(text, opts).run();
}

class Importer {
  private readonly file?: string;
  private readonly warnings: string[] = [];
  private level = 0;
  private version = 0;
  private readonly vars = new Map<string, Var>();
  private readonly reactions = new Map<string, ReactionInfo>();
  /** Every id declared in the SId namespace → line (duplicates are errors). */
  private readonly ids = new Map<string, number>();
  private readonly reactionIds = new Set<string>();
  private readonly iaLines = new Map<string, number>();
  private readonly functionEls = new Map<string, XmlElement>();
  private readonly functions = new Map<string, LambdaDef>();
  private readonly functionsInProgress = new Set<string>();
  private unitDefs = new Map<string, Unit>();
  private modelConversionFactor?: string;
  private readonly algebraic: AlgebraicRule[] = [];
  private readonly constraints: SbmlConstraint[] = [];
  private readonly events: { id: string; el: XmlElement; trigger: Expr; initialValue: boolean; persistent: boolean; useValuesFromTriggerTime: boolean; delay?: Expr; priority?: Expr; assignments: { variable: string; expr: Expr; line: number }[] }[] = [];

  constructor(private readonly text: string, opts: SbmlImportOptions) {
    this.file = opts.file;
  }

  private error(msg: string, field?: string, line?: number): never {
    throw new InputError(msg, this.file, field, line || undefined);
  }

  private warn(msg: string): void {
    this.warnings.push(msg);
  }

  run(): SbmlImport {
    const root = parseXml(this.text, this.file);
    if (root.local !== 'sbml') this.error(`not an SBML document: the root element is <${root.name}>, expected <sbml>`, undefined, root.line);
    this.level = Number(root.attrs.get('level'));
    this.version = Number(root.attrs.get('version'));
    if (this.level === 1) this.error('SBML Level 1 is not supported (convert it to Level 2 or 3)', 'sbml', root.line);
    if (!((this.level === 2 && this.version >= 1 && this.version <= 5) || (this.level === 3 && (this.version === 1 || this.version === 2)))) {
      this.error(`unsupported SBML level/version ${root.attrs.get('level')}/${root.attrs.get('version')}`, 'sbml', root.line);
    }
    this.checkPackages(root);
    const model = child(root, 'model');
    if (!model) this.error('the SBML document has no <model>', 'sbml', root.line);
    this.checkForeignElements(model, root);
    this.unitDefs = readUnitDefinitions(model, (m) => this.warn(m));
    this.modelConversionFactor = model.attrs.get('conversionFactor');

    for (const fd of listOf(model, 'listOfFunctionDefinitions', 'functionDefinition')) {
      const id = this.declareId(fd, 'function definition');
      this.functionEls.set(id, fd);
    }
    this.readCompartments(model);
    this.readSpecies(model);
    this.readParameters(model);
    this.declareReactionIds(model);
    for (const id of this.functionEls.keys()) this.lambda(id);
    this.readInitialAssignments(model);
    this.readRules(model);
    this.readReactions(model);
    this.readEvents(model);
    this.readConstraints(model);
    this.checkReferences();
    this.solveAlgebraic();
    this.checkCycles();
    return this.build(model);
  }

  // ------------------------------------------------------------------ document checks

  private checkPackages(root: XmlElement): void {
    const prefixes = new Map<string, string>();
    for (const [k, v] of root.attrs) if (k.startsWith('xmlns:')) prefixes.set(k.slice(6), v);
    for (const [prefix, uri] of prefixes) {
      const m = /^http:\/\/www\.sbml\.org\/sbml\/level3\/version\d+\/([^/]+)\//.exec(uri);
      if (!m) continue;
      const pkg = m[1];
      if (pkg === 'core') continue;
      const required = root.attrs.get(`${prefix}:required`);
      if (REFUSED_PACKAGES.has(pkg)) {
        this.error(`the SBML package '${pkg}' (namespace ${uri}) is not supported`, `sbml/@xmlns:${prefix}`, root.line);
      } else if (IGNORED_PACKAGES.has(pkg)) {
        this.warn(`the SBML package '${pkg}' carries no simulation semantics and is ignored`);
      } else if (required === 'true') {
        this.error(`the SBML package '${pkg}' (namespace ${uri}) is required by the model but not supported`, `sbml/@xmlns:${prefix}`, root.line);
      } else {
        this.warn(`the SBML package '${pkg}' is not supported; the model declares it not required, so its elements are ignored`);
      }
    }
  }

  /** Elements with a namespace prefix inside the model (outside annotations) belong to packages. */
  private checkForeignElements(model: XmlElement, root: XmlElement): void {
    const refused = new Set<string>();
    for (const [k, v] of root.attrs) {
      if (!k.startsWith('xmlns:')) continue;
      const m = /\/level3\/version\d+\/([^/]+)\//.exec(v);
      if (m && REFUSED_PACKAGES.has(m[1])) refused.add(k.slice(6));
    }
    const walk = (el: XmlElement): void => {
      for (const c of el.children) {
        if (c.local === 'annotation' || c.local === 'notes' || c.local === 'math') continue;
        const colon = c.name.indexOf(':');
        if (colon >= 0 && refused.has(c.name.slice(0, colon))) {
          this.error(`element <${c.name}> belongs to an unsupported SBML package`, c.attrs.get('id') ?? c.name, c.line);
        }
        walk(c);
      }
    };
    walk(model);
  }

  private declareId(el: XmlElement, what: string, attr = 'id'): string {
    const id = el.attrs.get(attr);
    if (id === undefined || id === '') this.error(`${what} without an '${attr}'`, el.name, el.line);
    if (!SID.test(id)) this.error(`${what} has the id ${JSON.stringify(id)}, which is not a valid SBML identifier`, id, el.line);
    const prev = this.ids.get(id);
    if (prev !== undefined) this.error(`the id '${id}' is declared twice (lines ${prev} and ${el.line})`, id, el.line);
    this.ids.set(id, el.line);
    return id;
  }

  private numAttr(el: XmlElement, name: string, id: string): number | undefined {
    const s = el.attrs.get(name);
    if (s === undefined) return undefined;
    const v = parseMathNumber(s);
    if (v === undefined) this.error(`attribute ${name}=${JSON.stringify(s)} is not a number`, id, el.line);
    return v;
  }

  private boolAttr(el: XmlElement, name: string, id: string, dflt: boolean, requiredInL3 = false): boolean {
    const s = el.attrs.get(name);
    if (s === undefined) {
      if (requiredInL3 && this.level === 3) this.warn(`${el.name} '${id}' (line ${el.line}) lacks the required attribute '${name}'; using ${dflt}`);
      return dflt;
    }
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
    return this.error(`attribute ${name}=${JSON.stringify(s)} is not a boolean`, id, el.line);
  }

  // ------------------------------------------------------------------ declarations

  private readCompartments(model: XmlElement): void {
    for (const el of listOf(model, 'listOfCompartments', 'compartment')) {
      const id = this.declareId(el, 'compartment');
      const dims = this.numAttr(el, 'spatialDimensions', id) ?? (this.level === 2 ? 3 : undefined);
      let size = this.numAttr(el, 'size', id) ?? this.numAttr(el, 'volume', id);
      if (size === undefined && dims === 0) size = 1;
      this.vars.set(id, {
        id, kind: 'compartment', el, constant: this.boolAttr(el, 'constant', id, true, true), value: size,
        unit: unitString(el.attrs.get('units') ?? this.defaultSizeUnit(model, dims), this.unitDefs, this.level), inReaction: false,
      });
    }
  }

  private defaultSizeUnit(model: XmlElement, dims: number | undefined): string | undefined {
    if (this.level === 2) return dims === 1 ? 'length' : dims === 2 ? 'area' : dims === 3 ? 'volume' : undefined;
    return dims === 1 ? model.attrs.get('lengthUnits') : dims === 2 ? model.attrs.get('areaUnits') : dims === 3 ? model.attrs.get('volumeUnits') : undefined;
  }

  private readSpecies(model: XmlElement): void {
    for (const el of listOf(model, 'listOfSpecies', 'species')) {
      const id = this.declareId(el, 'species');
      const compartment = el.attrs.get('compartment');
      if (!compartment) this.error(`species '${id}' has no compartment`, id, el.line);
      const cf = el.attrs.get('conversionFactor');
      this.vars.set(id, {
        id, kind: 'species', el, constant: this.boolAttr(el, 'constant', id, false, true),
        compartment, hOSU: this.boolAttr(el, 'hasOnlySubstanceUnits', id, false, true),
        boundary: this.boolAttr(el, 'boundaryCondition', id, false, true),
        initialAmount: this.numAttr(el, 'initialAmount', id), initialConcentration: this.numAttr(el, 'initialConcentration', id),
        conversionFactor: cf,
        unit: unitString(el.attrs.get('substanceUnits') ?? (this.level === 2 ? 'substance' : model.attrs.get('substanceUnits')), this.unitDefs, this.level),
        inReaction: false,
      });
    }
  }

  private readParameters(model: XmlElement): void {
    for (const el of listOf(model, 'listOfParameters', 'parameter')) {
      const id = this.declareId(el, 'parameter');
      this.vars.set(id, {
        id, kind: 'parameter', el, constant: this.boolAttr(el, 'constant', id, true, true), value: this.numAttr(el, 'value', id),
        unit: unitString(el.attrs.get('units'), this.unitDefs, this.level), inReaction: false,
      });
    }
  }

  private speciesRefs(r: XmlElement): { el: XmlElement; sign: 1 | -1 }[] {
    return [
      ...listOf(r, 'listOfReactants', 'speciesReference').map((el) => ({ el, sign: -1 as const })),
      ...listOf(r, 'listOfProducts', 'speciesReference').map((el) => ({ el, sign: 1 as const })),
    ];
  }

  private declareReactionIds(model: XmlElement): void {
    for (const r of listOf(model, 'listOfReactions', 'reaction')) {
      this.reactionIds.add(this.declareId(r, 'reaction'));
      for (const { el } of this.speciesRefs(r)) {
        const id = el.attrs.get('id');
        if (id === undefined) continue;
        this.declareId(el, 'species reference');
        if (this.level === 2) continue; // Level 2 species reference ids are not symbols in math
        const constant = this.boolAttr(el, 'constant', id, true, true);
        this.vars.set(id, {
          id, kind: 'speciesReference', el, constant, value: this.numAttr(el, 'stoichiometry', id), inReaction: false,
        });
      }
      for (const m of listOf(r, 'listOfModifiers', 'modifierSpeciesReference')) {
        if (m.attrs.has('id')) this.declareId(m, 'modifier species reference');
      }
    }
  }

  // ------------------------------------------------------------------ math

  private lambda(id: string): LambdaDef | undefined {
    const done = this.functions.get(id);
    if (done) return done;
    const el = this.functionEls.get(id);
    if (!el) return undefined;
    if (this.functionsInProgress.has(id)) this.error(`function definition '${id}' calls itself (directly or through other functions)`, id, el.line);
    this.functionsInProgress.add(id);
    const math = child(el, 'math');
    if (!math || !mathChild(math)) {
      // Level 3 Version 2 allows a function definition without math; calling it is an error.
      if (this.level === 3 && this.version >= 2) {
        this.functionsInProgress.delete(id);
        this.warn(`function definition '${id}' (line ${el.line}) has no math; it cannot be called`);
        return undefined;
      }
      this.error(`function definition '${id}' has no <math>`, id, el.line);
    }
    const lam = readLambda(id, math, { get: (f: string) => this.lambda(f) }, this.file, el.line);
    this.functionsInProgress.delete(id);
    this.functions.set(id, lam);
    return lam;
  }

  private ctx(where: string, field: string, local?: { reaction: string; params: ReadonlySet<string> }): MathContext {
    return {
      file: this.file, where,
      functions: { get: (f: string) => this.lambda(f) },
      ci: (name, el) => {
        if (local?.params.has(name)) return sym(localName(local.reaction, name));
        if (this.vars.has(name) || this.reactionIds.has(name)) return sym(irName(name));
        if (this.functionEls.has(name)) this.error(`function '${name}' is used as a value in ${where}`, field, el.line);
        return this.error(`undefined identifier '${name}' in ${where}`, field, el.line);
      },
    };
  }


  /** Reads the `<math>` child of `el`; undefined when absent or empty (allowed in L3V2). */
  private math(el: XmlElement, where: string, field: string, local?: { reaction: string; params: ReadonlySet<string> }, allowDelay = true): Expr | undefined {
    const m = child(el, 'math');
    const c = mathChild(m);
    if (!m || !c) return undefined;
    const e = readMath(c, this.ctx(where, field, local));
    if (!allowDelay && containsOp(e, 'delay')) {
      this.error(`${where} uses the delay csymbol, which has no meaning there`, field, m.line);
    }
    return e;
  }

  private requireMath(el: XmlElement, where: string, field: string, local?: { reaction: string; params: ReadonlySet<string> }, allowDelay = true): Expr | undefined {
    const e = this.math(el, where, field, local, allowDelay);
    if (e === undefined) {
      if (this.level === 3 && this.version >= 2) {
        this.warn(`${where} (line ${el.line}) has no math and is ignored`);
        return undefined;
      }
      this.error(`${where} has no <math>`, field, el.line);
    }
    return e;
  }

  // ------------------------------------------------------------------ rules, reactions, events

  private targetVar(id: string | undefined, where: string, el: XmlElement): Var {
    if (!id) this.error(`${where} has no 'variable'/'symbol'`, el.name, el.line);
    const v = this.vars.get(id);
    if (!v) {
      if (this.reactionIds.has(id)) this.error(`${where} assigns to reaction '${id}', which is not a variable`, id, el.line);
      this.error(`${where} refers to '${id}', which is not a compartment, species, parameter or species reference`, id, el.line);
    }
    return v;
  }

  private readInitialAssignments(model: XmlElement): void {
    for (const el of listOf(model, 'listOfInitialAssignments', 'initialAssignment')) {
      const id = el.attrs.get('symbol');
      const where = `initial assignment to ${id ?? '?'}`;
      const v = this.targetVar(id, where, el);
      if (v.ia) this.error(`'${v.id}' has two initial assignments`, v.id, el.line);
      const e = this.requireMath(el, where, v.id, undefined, false);
      this.iaLines.set(v.id, el.line);
      if (e) {
        if (containsOp(e, 'rateOf')) this.warn(`${where} (line ${el.line}) uses rateOf, which is evaluated from the rates at the start`);
        v.ia = e;
      }
    }
  }

  private readRules(model: XmlElement): void {
    const list = child(model, 'listOfRules');
    let k = 0;
    for (const el of list?.children ?? []) {
      k++;
      const type = el.name === 'assignmentRule' ? 'assignment' : el.name === 'rateRule' ? 'rate' : el.name === 'algebraicRule' ? 'algebraic' : undefined;
      if (!type) {
        if (el.name === 'annotation' || el.name === 'notes') continue;
        this.error(`unsupported rule element <${el.name}>`, el.name, el.line);
      }
      if (type === 'algebraic') {
        const field = el.attrs.get('metaid') ?? el.attrs.get('id') ?? `rule ${k}`;
        const where = `algebraic rule ${field} (line ${el.line})`;
        const e = this.requireMath(el, where, field);
        if (e) this.algebraic.push({ expr: e, where, field, line: el.line });
        continue;
      }
      const id = el.attrs.get('variable');
      const where = `${type} rule for ${id ?? '?'}`;
      const v = this.targetVar(id, where, el);
      if (v.constant) this.error(`${where}: '${v.id}' is constant and cannot be set by a rule`, v.id, el.line);
      if (v.rule) this.error(`'${v.id}' is the variable of more than one rule`, v.id, el.line);
      const e = this.requireMath(el, where, v.id);
      if (e) v.rule = { type, expr: e, line: el.line };
    }
  }

  private readReactions(model: XmlElement): void {
    for (const r of listOf(model, 'listOfReactions', 'reaction')) {
      const id = r.attrs.get('id')!;
      if (this.boolAttr(r, 'fast', id, false)) {
        this.error(`reaction '${id}' is fast (fast="true"); fast reactions (rapid-equilibrium algebraic constraints) are not supported`, id, r.line);
      }
      const kl = child(r, 'kineticLaw');
      const params = new Set<string>();
      const localDefs: { id: string; value: number; el: XmlElement }[] = [];
      if (kl) {
        const lists = [...listOf(kl, 'listOfParameters', 'parameter'), ...listOf(kl, 'listOfLocalParameters', 'localParameter')];
        for (const p of lists) {
          const pid = p.attrs.get('id');
          if (!pid || !SID.test(pid)) this.error(`local parameter of reaction '${id}' has an invalid id ${JSON.stringify(pid)}`, id, p.line);
          if (params.has(pid)) this.error(`local parameter '${pid}' is declared twice in reaction '${id}'`, `${id}.${pid}`, p.line);
          params.add(pid);
          const value = this.numAttr(p, 'value', `${id}.${pid}`);
          if (value === undefined) this.warn(`local parameter '${pid}' of reaction '${id}' (line ${p.line}) has no value; it is NaN`);
          localDefs.push({ id: pid, value: value ?? NaN, el: p });
        }
      }
      let rate: Expr | undefined;
      if (kl) rate = this.requireMath(kl, `the kinetic law of reaction ${id}`, id, { reaction: id, params });
      else this.warn(`reaction '${id}' (line ${r.line}) has no kinetic law; it changes nothing`);
      const uses: SpeciesRefUse[] = [];
      for (const { el, sign } of this.speciesRefs(r)) {
        const sp = el.attrs.get('species');
        const sv = sp ? this.vars.get(sp) : undefined;
        if (!sp || !sv || sv.kind !== 'species') this.error(`reaction '${id}' refers to species ${JSON.stringify(sp)}, which is not declared`, id, el.line);
        sv.inReaction = true;
        uses.push({ species: sp, stoich: this.stoichiometry(el, id), sign });
      }
      for (const m of listOf(r, 'listOfModifiers', 'modifierSpeciesReference')) {
        const sp = m.attrs.get('species');
        if (!sp || this.vars.get(sp)?.kind !== 'species') this.error(`reaction '${id}' has modifier ${JSON.stringify(sp)}, which is not a declared species`, id, m.line);
      }
      this.reactions.set(id, { id, el: r, rate, uses });
      this.locals.push(...localDefs.map((d) => ({ reaction: id, ...d })));
    }
  }
  private readonly locals: { reaction: string; id: string; value: number; el: XmlElement }[] = [];

  private stoichiometry(el: XmlElement, reaction: string): Expr {
    const srId = el.attrs.get('id');
    const sm = child(el, 'stoichiometryMath');
    if (sm) {
      const e = this.math(sm, `the stoichiometryMath of a species reference in reaction ${reaction}`, reaction);
      if (e) return e;
    }
    if (srId !== undefined && this.vars.has(srId)) return sym(irName(srId));
    const v = this.numAttr(el, 'stoichiometry', srId ?? reaction);
    if (v !== undefined) return num(v);
    if (this.level === 2) return num(1);
    this.warn(`a species reference in reaction '${reaction}' (line ${el.line}) has no stoichiometry; using 1`);
    return num(1);
  }

  private readEvents(model: XmlElement): void {
    let k = 0;
    for (const el of listOf(model, 'listOfEvents', 'event')) {
      k++;
      const id = el.attrs.has('id') ? this.declareId(el, 'event') : `#event${k}`;
      const where = `event ${el.attrs.get('id') ?? `#${k}`}`;
      const trig = child(el, 'trigger');
      if (!trig) {
        if (this.level === 3 && this.version >= 2) {
          this.warn(`${where} (line ${el.line}) has no trigger and can never fire; it is ignored`);
          continue;
        }
        this.error(`${where} has no <trigger>`, id, el.line);
      }
      const trigger = this.requireMath(trig, `the trigger of ${where}`, id);
      if (!trigger) continue;
      const initialValue = this.boolAttr(trig, 'initialValue', id, true, true);
      const persistent = this.boolAttr(trig, 'persistent', id, true, true);
      const useValuesFromTriggerTime = this.boolAttr(el, 'useValuesFromTriggerTime', id, true, this.version === 1);
      const d = child(el, 'delay');
      const delay = d ? this.math(d, `the delay of ${where}`, id) : undefined;
      const p = child(el, 'priority');
      const priority = p ? this.math(p, `the priority of ${where}`, id) : undefined;
      const assignments: { variable: string; expr: Expr; line: number }[] = [];
      const seen = new Set<string>();
      for (const ea of listOf(el, 'listOfEventAssignments', 'eventAssignment')) {
        const variable = ea.attrs.get('variable');
        const v = this.targetVar(variable, `an event assignment of ${where}`, ea);
        if (v.constant) this.error(`${where} assigns to '${v.id}', which is constant`, v.id, ea.line);
        if (seen.has(v.id)) this.error(`${where} assigns to '${v.id}' twice`, v.id, ea.line);
        seen.add(v.id);
        const e = this.requireMath(ea, `the assignment to ${v.id} in ${where}`, id);
        if (e) assignments.push({ variable: v.id, expr: e, line: ea.line });
      }
      this.events.push({ id, el, trigger, initialValue, persistent, useValuesFromTriggerTime, delay, priority, assignments });
    }
  }

  private readConstraints(model: XmlElement): void {
    let k = 0;
    for (const el of listOf(model, 'listOfConstraints', 'constraint')) {
      k++;
      const e = this.math(el, `constraint ${k}`, `constraint ${k}`);
      if (!e) continue;
      const msgEl = child(el, 'message');
      const message = msgEl ? flattenText(msgEl) : `constraint ${k} (line ${el.line})`;
      this.constraints.push({ expr: e, message, line: el.line });
    }
  }

  private checkReferences(): void {
    for (const v of this.vars.values()) {
      if (v.kind === 'species' && this.vars.get(v.compartment!)?.kind !== 'compartment') {
        this.error(`species '${v.id}' refers to compartment '${v.compartment}', which is not declared`, v.id, v.el.line);
      }
      if (v.conversionFactor !== undefined) this.checkConversionFactor(v.conversionFactor, `species '${v.id}'`, v.el.line);
      if (v.kind === 'species' && v.rule && v.inReaction && !v.boundary) {
        this.error(`species '${v.id}' is changed by reactions and also set by a ${v.rule.type} rule; make it a boundary species`, v.id, v.rule.line);
      }
    }
    if (this.modelConversionFactor !== undefined) this.checkConversionFactor(this.modelConversionFactor, 'the model', 0);
  }

  private checkConversionFactor(id: string, who: string, line: number): void {
    const v = this.vars.get(id);
    if (!v || v.kind !== 'parameter') this.error(`${who} has conversionFactor '${id}', which is not a parameter`, id, line);
  }

  private solveAlgebraic(): void {
    if (this.algebraic.length === 0) return;
    // Free variables: not constant, not set by another rule, not changed by reactions or events.
    // Boundary species come last, so an algebraic rule sets an ordinary species when it can
    // (case 01787).
    const eventTargets = new Set(this.events.flatMap((ev) => ev.assignments.map((a) => a.variable)));
    const free = [...this.vars.values()].filter((v) => !v.constant && !v.rule && !eventTargets.has(v.id) && !(v.kind === 'species' && v.inReaction && !v.boundary));
    free.sort((a, b) => Number(a.boundary ?? false) - Number(b.boundary ?? false));
    const candidates = new Set(free.map((v) => irName(v.id)));
    let sol: Map<string, Expr>;
    try {
      sol = solveAlgebraicRules(this.algebraic, candidates);
    } catch (e) {
      if (e instanceof AlgebraicRuleError) this.error(e.message, e.rule.field, e.rule.line);
      throw e;
    }
    const byIr = new Map([...this.vars.values()].map((v) => [irName(v.id), v]));
    for (const [name, expr] of sol) byIr.get(name)!.rule = { type: 'algebraic', expr, line: 0 };
  }

  /**
   * Assignment rules must not depend on themselves, and start values (initial assignments,
   * assignment rules) must be computable in some order: report a cycle with its path, the
   * element id and line here rather than as a compiler error.
   */
  private checkCycles(): void {
    const byIr = new Map([...this.vars.values()].map((v) => [irName(v.id), v]));
    const ruleDeps = (v: Var): string[] => (v.rule && v.rule.type !== 'rate' ? [...symbolsOf(v.rule.expr)] : []);
    const initDeps = (v: Var): string[] => [...ruleDeps(v), ...(v.ia ? symbolsOf(v.ia) : [])];
    const check = (deps: (v: Var) => string[], what: string): void => {
      const state = new Map<string, 1 | 2>();
      const stack: Var[] = [];
      const visit = (v: Var): void => {
        const s = state.get(v.id);
        if (s === 2) return;
        if (s === 1) {
          const loop = stack.slice(stack.findIndex((x) => x.id === v.id)).concat(v);
          const line = v.ia && what === 'initial assignments' ? this.iaLines.get(v.id) : v.rule?.line;
          this.error(`${what} form a cycle: ${loop.map((x) => x.id).join(' → ')}`, v.id, line);
        }
        state.set(v.id, 1);
        stack.push(v);
        for (const d of deps(v)) {
          const w = byIr.get(d);
          if (w) visit(w);
        }
        stack.pop();
        state.set(v.id, 2);
      };
      for (const v of this.vars.values()) visit(v);
    };
    check(ruleDeps, 'assignment rules');
    check(initDeps, 'initial assignments');
  }

  // ------------------------------------------------------------------ IR

  private build(model: XmlElement): SbmlImport {
    const states: StateDef[] = [];
    const parameters: ParameterDef[] = [];
    const assigned: AssignedDef[] = [];
    const symbols = new Map<string, SbmlSymbol>();
    const src = this.file ? basename(this.file) : 'SBML model';
    const prov = (kind: string, id: string) => ({ source: `${src}: ${kind} ${id}` });
    const describe = (v: Var): { description?: string } => {
      const n = v.el.attrs.get('name');
      return n ? { description: n } : {};
    };
    const unitOf = (u: string | undefined): { unit?: string } => (u ? { unit: u } : {});

    const addParameter = (name: string, init: Expr, v: Var, unit: string | undefined): void => {
      const s = simplify(init);
      const base = { name, ...unitOf(unit), ...describe(v), provenance: prov(v.kind, v.id) };
      if (s.kind === 'num') parameters.push({ ...base, value: s.value });
      else parameters.push({ ...base, value: NaN, initial: s });
    };

    // Species rates from reactions.
    const speciesTerms = new Map<string, Expr[]>();
    for (const r of this.reactions.values()) {
      if (!r.rate) continue;
      for (const u of r.uses) {
        const sv = this.vars.get(u.species)!;
        if (sv.boundary || sv.constant) continue;
        const cf = sv.conversionFactor ?? this.modelConversionFactor;
        let term: Expr = op('mul', u.stoich, sym(irName(r.id)));
        if (cf !== undefined) term = op('mul', sym(irName(cf)), term);
        if (u.sign < 0) term = op('neg', term);
        if (!speciesTerms.has(u.species)) speciesTerms.set(u.species, []);
        speciesTerms.get(u.species)!.push(term);
      }
    }

    const missing = (v: Var, what: string): Expr => {
      this.warn(`${v.kind} '${v.id}' (line ${v.el.line}) has no ${what}, no initial assignment and no rule; its value is NaN`);
      return num(NaN);
    };

    for (const v of this.vars.values()) {
      const name = irName(v.id);
      if (v.kind !== 'species') {
        symbols.set(v.id, { kind: v.kind, value: sym(name) });
        const init = v.ia ?? (v.value !== undefined ? num(v.value) : undefined);
        if (v.rule && v.rule.type !== 'rate') {
          assigned.push({ name, expr: v.rule.expr, ...unitOf(v.unit), ...describe(v), provenance: prov(v.kind, v.id) });
        } else if (v.rule) {
          states.push({ name, initial: init ?? missing(v, 'value'), rate: v.rule.expr, ...unitOf(v.unit), ...describe(v), provenance: prov(v.kind, v.id) });
        } else {
          addParameter(name, init ?? missing(v, v.kind === 'compartment' ? 'size' : v.kind === 'speciesReference' ? 'stoichiometry' : 'value'), v, v.unit);
        }
        continue;
      }
      // Species.
      const C = sym(irName(v.compartment!));
      const hosu = v.hOSU!;
      const amt = hosu ? name : amountName(v.id);
      const amountInit = (): Expr => {
        if (v.ia) return hosu ? v.ia : op('mul', v.ia, C);
        if (v.initialAmount !== undefined) return num(v.initialAmount);
        if (v.initialConcentration !== undefined) return op('mul', num(v.initialConcentration), C);
        return missing(v, 'initial amount or concentration');
      };
      symbols.set(v.id, {
        kind: 'species', value: sym(name),
        amount: hosu ? sym(name) : sym(amountName(v.id)),
        concentration: hosu ? op('div', sym(name), C) : sym(name),
        compartment: irName(v.compartment!),
      });
      const meta = { ...describe(v), provenance: prov('species', v.id) };
      const concUnit = v.unit && !hosu ? this.concentrationUnit(v) : undefined;
      const symUnit = hosu ? v.unit : concUnit;
      if (v.rule && v.rule.type !== 'rate') {
        assigned.push({ name, expr: v.rule.expr, ...unitOf(symUnit), ...meta });
        if (!hosu) assigned.push({ name: amt, expr: op('mul', sym(name), C), ...unitOf(v.unit), ...meta });
        continue;
      }
      // A constant species keeps its amount: in a compartment whose size changes, its
      // concentration changes (SBML Test Suite cases 01117/01118 check exactly this).
      if (v.rule) {
        // Rate rule on the species symbol.
        // d(amount)/dt = d[S]/dt·V + [S]·dV/dt; the second term only when a rule moves V.
        const cv = this.vars.get(v.compartment!)!;
        const rate = hosu ? v.rule.expr
          : cv.rule ? op('add', op('mul', v.rule.expr, C), op('mul', sym(name), op('rateOf', C))) : op('mul', v.rule.expr, C);
        states.push({ name: amt, initial: amountInit(), rate, ...unitOf(v.unit), ...meta });
      } else if (v.inReaction && !v.boundary) {
        const terms = speciesTerms.get(v.id) ?? [];
        states.push({ name: amt, initial: amountInit(), rate: terms.length === 0 ? num(0) : op('add', ...terms), ...unitOf(v.unit), ...meta });
      } else {
        addParameter(amt, amountInit(), v, v.unit);
      }
      if (!hosu) assigned.push({ name, expr: op('div', sym(amt), C), ...unitOf(concUnit), ...meta });
    }

    // Reactions and their local parameters.
    for (const l of this.locals) {
      parameters.push({ name: localName(l.reaction, l.id), value: l.value, ...unitOf(unitString(l.el.attrs.get('units'), this.unitDefs, this.level)), provenance: { source: `${src}: local parameter ${l.id} of reaction ${l.reaction}` } });
    }
    for (const r of this.reactions.values()) {
      const n = r.el.attrs.get('name');
      assigned.push({ name: irName(r.id), expr: r.rate ?? num(0), ...(n ? { description: n } : {}), provenance: prov('reaction', r.id) });
      symbols.set(r.id, { kind: 'reaction', value: sym(irName(r.id)) });
    }

    // Events.
    const events: EventDef[] = this.events.map((ev) => {
      const assignments: EventAssignment[] = ev.assignments.map((a) => {
        const v = this.vars.get(a.variable)!;
        if (v.rule && v.rule.type !== 'rate') this.error(`event ${ev.id} assigns to '${v.id}', which is determined by an ${v.rule.type} rule`, v.id, a.line);
        if (v.kind !== 'species') return { target: irName(v.id), expr: a.expr };
        if (v.hOSU) return { target: irName(v.id), expr: a.expr };
        // All assignments of an event are computed from the state before any is applied, so a
        // concentration converts with the compartment size before the event (case 01779).
        return { target: amountName(v.id), expr: op('mul', a.expr, sym(irName(v.compartment!))) };
      });
      return {
        name: ev.id, trigger: ev.trigger, assignments,
        initialValue: ev.initialValue, persistent: ev.persistent, useValuesFromTriggerTime: ev.useValuesFromTriggerTime,
        ...(ev.delay ? { delay: ev.delay } : {}), ...(ev.priority ? { priority: ev.priority } : {}),
      };
    });

    const built = expandRateOf(pastRatesZero({ states, parameters, assigned, events }), this.file);
    const timeUnit = unitString(model.attrs.get('timeUnits') ?? (this.level === 2 ? 'time' : undefined), this.unitDefs, this.level);
    const modelName = model.attrs.get('id') ?? model.attrs.get('name') ?? (this.file ? basename(this.file) : 'sbml');
    const irModel: Model = {
      name: modelName,
      states: built.states, parameters: built.parameters, assigned: built.assigned, events: built.events, observables: [],
      meta: {
        ...(timeUnit ? { timeUnit } : {}),
        ...(model.attrs.get('name') ? { description: model.attrs.get('name') } : {}),
        source: src, sbmlLevel: this.level, sbmlVersion: this.version,
      },
    };
    // Model-level checks now, so a broken file fails here with its name; unit findings are warnings.
    try {
      const vm = validateModel(irModel, { units: 'warn' });
      this.warnings.push(...vm.warnings);
    } catch (e) {
      if (e instanceof ModelError) this.error(e.message, e.symbol);
      throw e;
    }
    return { model: irModel, level: this.level, version: this.version, symbols, constraints: this.constraints, warnings: this.warnings };
  }

  private concentrationUnit(v: Var): string | undefined {
    const c = this.vars.get(v.compartment!);
    if (!v.unit || !c?.unit) return undefined;
    return `(${v.unit})/(${c.unit})`;
  }
}

function flattenText(el: XmlElement): string {
  const parts: string[] = [];
  const walk = (e: XmlElement): void => {
    if (e.text) parts.push(e.text);
    e.children.forEach(walk);
  };
  walk(el);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/**
 * Before the start of a simulation nothing changes, so `delay(x, τ)` of an x with a `rateOf`
 * is 0 while time − τ < 0 (SBML Test Suite 01400); wrap such terms before rateOf is expanded.
 */
function pastRatesZero(parts: Parts): Parts {
  const wrap = (e: Expr): Expr => {
    if (e.kind !== 'op' || !containsOp(e, 'delay')) return e;
    if (e.op === 'delay' && containsOp(e.args[0], 'rateOf')) {
      return op('piecewise', num(0), op('lt', op('sub', sym(TIME), e.args[1]), num(0)), e);
    }
    return { kind: 'op', op: e.op, args: e.args.map(wrap) };
  };
  return {
    states: parts.states.map((s) => ({ ...s, rate: wrap(s.rate) })),
    parameters: parts.parameters,
    assigned: parts.assigned.map((a) => ({ ...a, expr: wrap(a.expr) })),
    events: parts.events.map((ev) => ({
      ...ev, trigger: wrap(ev.trigger), ...(ev.delay ? { delay: wrap(ev.delay) } : {}), ...(ev.priority ? { priority: wrap(ev.priority) } : {}),
      assignments: ev.assignments.map((a) => ({ ...a, expr: wrap(a.expr) })),
    })),
  };
}

interface Parts {
  states: StateDef[];
  parameters: ParameterDef[];
  assigned: AssignedDef[];
  events: EventDef[];
}

/**
 * Replaces every `rateOf(x)` by x's time derivative: a state's rate, the chain rule through an
 * assigned quantity's formula, 1 for time and 0 for a parameter (events change parameters only
 * in jumps).
 */
function expandRateOf(parts: Parts, file: string | undefined): Parts {
  const uses = (e: Expr): boolean => containsOp(e, 'rateOf');
  const any = parts.states.some((s) => uses(s.rate) || uses(s.initial)) || parts.assigned.some((a) => uses(a.expr))
    || parts.parameters.some((p) => p.initial !== undefined && uses(p.initial))
    || parts.events.some((ev) => uses(ev.trigger) || (ev.delay && uses(ev.delay)) || (ev.priority && uses(ev.priority)) || ev.assignments.some((a) => uses(a.expr)));
  if (!any) return parts;
  const stateRate = new Map(parts.states.map((s) => [s.name, s.rate]));
  const assignedExpr = new Map(parts.assigned.map((a) => [a.name, a.expr]));
  const cache = new Map<string, Expr>();
  const busy = new Set<string>();
  const rateOfName = (name: string): Expr => {
    if (name === TIME) return num(1);
    const hit = cache.get(name);
    if (hit) return hit;
    if (busy.has(name)) throw new InputError(`rateOf(${name}) depends on itself`, file, name);
    busy.add(name);
    let r: Expr;
    const sr = stateRate.get(name);
    const ae = assignedExpr.get(name);
    if (sr !== undefined) r = expand(sr);
    else if (ae !== undefined) r = timeDerivative(expand(ae));
    else r = num(0);
    busy.delete(name);
    r = simplify(r);
    cache.set(name, r);
    return r;
  };
  const timeDerivative = (e: Expr): Expr => {
    const terms: Expr[] = [];
    for (const s of symbolsOf(e)) {
      const d = simplify(diff(e, s));
      if (d.kind === 'num' && d.value === 0) continue;
      const r = rateOfName(s);
      if (r.kind === 'num' && r.value === 0) continue;
      terms.push(op('mul', d, r));
    }
    return terms.length === 0 ? num(0) : op('add', ...terms);
  };
  const expand = (e: Expr): Expr => {
    if (e.kind !== 'op') return e;
    if (e.op === 'rateOf') {
      const a = e.args[0];
      if (a.kind !== 'sym') throw new InputError('rateOf must be applied to an identifier', file);
      return rateOfName(a.name);
    }
    if (!uses(e)) return e;
    return { kind: 'op', op: e.op, args: e.args.map(expand) };
  };
  return {
    states: parts.states.map((s) => ({ ...s, rate: expand(s.rate), initial: expand(s.initial) })),
    parameters: parts.parameters.map((p) => (p.initial ? { ...p, initial: expand(p.initial) } : p)),
    assigned: parts.assigned.map((a) => ({ ...a, expr: expand(a.expr) })),
    events: parts.events.map((ev) => ({
      ...ev, trigger: expand(ev.trigger),
      ...(ev.delay ? { delay: expand(ev.delay) } : {}), ...(ev.priority ? { priority: expand(ev.priority) } : {}),
      assignments: ev.assignments.map((a) => ({ ...a, expr: expand(a.expr) })),
    })),
  };
}
