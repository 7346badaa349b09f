/**
 * Model IR → SBML Level 3 Version 2.
 *
 * Encoding (chosen so that any IR model is written exactly, whatever its rate expressions):
 * - a state whose unit is a concentration (amount/volume) becomes a species in one constant
 *   compartment `ltcc_compartment` of size 1 with a rate rule on its concentration (with a unit
 *   volume, concentration and amount have the same value and rate); every other state becomes a
 *   non-constant parameter with a rate rule. No reactions are written: the IR holds rates, not
 *   reaction networks, and a rate rule carries them without loss;
 * - parameters become parameters (`constant="false"` when an event changes them); a computed
 *   start value becomes an initial assignment, as does a non-numeric initial value of a state;
 * - assigned quantities and observables become parameters with assignment rules;
 * - events keep trigger, `initialValue`, `persistent`, delay, priority and
 *   `useValuesFromTriggerTime`; SBML has no terminal event, so `terminal` is recorded in an
 *   annotation only;
 * - units: each distinct unit string becomes a unit definition over the SBML base units;
 * - provenance (`source`, `assumption`) and descriptions go to XHTML notes and to an ltcc
 *   annotation; parameters carry SBO:0000002 (quantitative systems description parameter), the
 *   compartment SBO:0000410 (implicit compartment), species SBO:0000240 (material entity).
 *
 * IR names become valid, unique SBML ids (characters outside [A-Za-z0-9_] become `_`); the IR
 * name is kept in the `name` attribute when it differs.
 */
import { type Expr, symbolsOf } from '../../math/ast.js';
import { type Unit, parseUnit, formatUnit } from '../../math/units.js';
import type { EventDef, Model, Provenance } from '../../model/ir.js';
import { booleanToMathml, exprToMathml, mathElement } from './mathml-write.js';

/** Namespace of the ltcc annotation (provenance, terminal events). */
export const LTCC_ANNOTATION_NS = 'urn:ltcc:sbml-annotation:1';

const COMPARTMENT_ID = 'ltcc_compartment';
const SBO_PARAMETER = 'SBO:0000002';
const SBO_COMPARTMENT = 'SBO:0000410';
const SBO_SPECIES = 'SBO:0000240';
/** mol·m⁻³ */
const CONCENTRATION_DIM = [-3, 0, 0, 0, 0, 1, 0];
const BASE_KINDS = ['metre', 'kilogram', 'second', 'ampere', 'kelvin', 'mole', 'candela'];

export interface ExportOptions {
  /** Model id to write (default: from the model name). */
  id?: string;
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** A valid SBML id made from `name` (not yet unique). */
export function toSId(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(s)) s = `_${s}`;
  return s;
}

/** Writes `model` as an SBML Level 3 Version 2 document. */
export function exportSbml(model: Model, opts: ExportOptions = {}): string {
  return exportSbmlWithIds(model, opts).xml;
}

/** As {@link exportSbml}, and the SBML id each IR name (quantities and events) was given. */
export function exportSbmlWithIds(model: Model, opts: ExportOptions = {}): { xml: string; ids: ReadonlyMap<string, string> } {
  // --- ids
  const used = new Set<string>([COMPARTMENT_ID]);
  const idOf = new Map<string, string>();
  const unique = (base: string): string => {
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}_${k}`;
    used.add(id);
    return id;
  };
  const allNames = [...model.states, ...model.parameters, ...model.assigned, ...model.observables].map((q) => q.name);
  for (const n of allNames) idOf.set(n, unique(toSId(n)));
  const id = (name: string): string => {
    const s = idOf.get(name);
    if (s === undefined) throw new Error(`the model refers to '${name}', which it does not declare`);
    return s;
  };
  const eventIds = model.events.map((ev) => unique(toSId(ev.name)));
  const modelId = opts.id ?? toSId(model.name || 'model');

  // --- units
  const unitIds = new Map<string, string>();
  const unitDefs: string[] = [];
  const unitRef = (u: string | undefined): string | undefined => {
    if (u === undefined || u === '') return undefined;
    let parsed: Unit;
    try {
      parsed = parseUnit(u);
    } catch {
      return undefined;
    }
    const key = `${parsed.dim.join(',')}|${parsed.scale}`;
    const known = unitIds.get(key);
    if (known) return known;
    const uid = unique(toSId(`u_${formatUnit(parsed)}`));
    unitIds.set(key, uid);
    unitDefs.push(unitDefinition(uid, parsed));
    return uid;
  };
  const isConcentration = (u: string | undefined): boolean => {
    if (!u) return false;
    try {
      return parseUnit(u).dim.every((x, i) => x === CONCENTRATION_DIM[i]);
    } catch {
      return false;
    }
  };

  const eventTargets = new Set(model.events.flatMap((ev) => ev.assignments.map((a) => a.target)));
  const math = (e: Expr): string => mathElement(exprToMathml(e, id));
  const species: string[] = [];
  const parameters: string[] = [];
  const initialAssignments: string[] = [];
  const rules: string[] = [];

  const common = (name: string, description: string | undefined, provenance: Provenance | undefined, sbo: string): { attrs: string; body: string } => {
    const sid = id(name);
    const nameAttr = sid !== name ? ` name="${escapeXml(name)}"` : '';
    const lines: string[] = [];
    if (description) lines.push(description);
    if (provenance?.source) lines.push(`source: ${provenance.source}`);
    if (provenance?.assumption) lines.push(`assumption: ${provenance.assumption}`);
    const notes = lines.length
      ? `<notes><body xmlns="http://www.w3.org/1999/xhtml">${lines.map((l) => `<p>${escapeXml(l)}</p>`).join('')}</body></notes>`
      : '';
    const annot = provenance && (provenance.source || provenance.assumption)
      ? `<annotation><ltcc:provenance xmlns:ltcc="${LTCC_ANNOTATION_NS}"${provenance.source ? ` ltcc:source="${escapeXml(provenance.source)}"` : ''}${provenance.assumption ? ` ltcc:assumption="${escapeXml(provenance.assumption)}"` : ''}/></annotation>`
      : '';
    return { attrs: ` id="${sid}"${nameAttr} sboTerm="${sbo}"`, body: notes + annot };
  };
  const element = (tag: string, attrs: string, body: string): string => (body ? `<${tag}${attrs}>${body}</${tag}>` : `<${tag}${attrs}/>`);
  const initialAssignment = (name: string, e: Expr): void => {
    initialAssignments.push(`<initialAssignment symbol="${id(name)}">${math(e)}</initialAssignment>`);
  };

  for (const s of model.states) {
    const unit = unitRef(s.unit);
    if (isConcentration(s.unit)) {
      const c = common(s.name, s.description, s.provenance, SBO_SPECIES);
      let init = '';
      if (s.initial.kind === 'num' && Number.isFinite(s.initial.value)) init = ` initialConcentration="${String(s.initial.value)}"`;
      else initialAssignment(s.name, s.initial);
      species.push(element('species', `${c.attrs} compartment="${COMPARTMENT_ID}"${init}${unit ? ` substanceUnits="${unit}"` : ''} hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"`, c.body));
    } else {
      const c = common(s.name, s.description, s.provenance, SBO_PARAMETER);
      const value = s.initial.kind === 'num' && Number.isFinite(s.initial.value) ? ` value="${String(s.initial.value)}"` : '';
      if (!value) initialAssignment(s.name, s.initial);
      parameters.push(element('parameter', `${c.attrs}${value}${unit ? ` units="${unit}"` : ''} constant="false"`, c.body));
    }
    rules.push(`<rateRule variable="${id(s.name)}">${math(s.rate)}</rateRule>`);
  }
  for (const p of model.parameters) {
    const c = common(p.name, p.description, p.provenance, SBO_PARAMETER);
    const unit = unitRef(p.unit);
    const value = Number.isFinite(p.value) ? ` value="${String(p.value)}"` : '';
    // A computed start value overrides the number; NaN and ±Infinity have no attribute spelling.
    if (p.initial) initialAssignment(p.name, p.initial);
    else if (!value) initialAssignment(p.name, { kind: 'num', value: p.value });
    const constant = eventTargets.has(p.name) ? 'false' : 'true';
    parameters.push(element('parameter', `${c.attrs}${value}${unit ? ` units="${unit}"` : ''} constant="${constant}"`, c.body));
  }
  for (const a of [...model.assigned, ...model.observables]) {
    const c = common(a.name, a.description, a.provenance, SBO_PARAMETER);
    const unit = unitRef(a.unit);
    parameters.push(element('parameter', `${c.attrs}${unit ? ` units="${unit}"` : ''} constant="false"`, c.body));
    rules.push(`<assignmentRule variable="${id(a.name)}">${math(a.expr)}</assignmentRule>`);
  }
  const events = model.events.map((ev, k) => eventXml(ev, eventIds[k], id, math));
  const timeUnit = unitRef(model.meta?.timeUnit);

  const notes: string[] = [];
  if (model.meta?.description) notes.push(String(model.meta.description));
  notes.push('Written by ltcc: states are rate rules (species for concentrations, parameters otherwise); assigned quantities and observables are assignment rules.');
  const modelNotes = `<notes><body xmlns="http://www.w3.org/1999/xhtml">${notes.map((l) => `<p>${escapeXml(l)}</p>`).join('')}</body></notes>`;
  const list = (tag: string, items: string[]): string => (items.length ? `<${tag}>\n${items.map((i) => `      ${i}`).join('\n')}\n    </${tag}>` : '');
  const parts = [
    list('listOfUnitDefinitions', unitDefs),
    species.length ? list('listOfCompartments', [`<compartment id="${COMPARTMENT_ID}" sboTerm="${SBO_COMPARTMENT}" spatialDimensions="3" size="1" constant="true"/>`]) : '',
    list('listOfSpecies', species),
    list('listOfParameters', parameters),
    list('listOfInitialAssignments', initialAssignments),
    list('listOfRules', rules),
    list('listOfEvents', events),
  ].filter((p) => p.length > 0);
  // Symbols a formula uses must all be declared; check once so an inconsistent IR fails here.
  for (const e of [...model.states.flatMap((s) => [s.rate, s.initial]), ...model.assigned.map((a) => a.expr)]) {
    for (const s of symbolsOf(e)) if (s !== 'time') id(s);
  }
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">',
    `  <model id="${modelId}"${model.name && model.name !== modelId ? ` name="${escapeXml(model.name)}"` : ''}${timeUnit ? ` timeUnits="${timeUnit}"` : ''}>`,
    `    ${modelNotes}`,
    ...parts.map((p) => `    ${p}`),
    '  </model>',
    '</sbml>',
    '',
  ].join('\n');
  model.events.forEach((ev, k) => idOf.set(ev.name, eventIds[k]));
  return { xml, ids: idOf };
}

function eventXml(ev: EventDef, sid: string, id: (n: string) => string, math: (e: Expr) => string): string {
  const trig = `<trigger initialValue="${ev.initialValue ?? true}" persistent="${ev.persistent ?? true}">${mathElement(booleanToMathml(ev.trigger, id))}</trigger>`;
  const delay = ev.delay ? `<delay>${math(ev.delay)}</delay>` : '';
  const prio = ev.priority ? `<priority>${math(ev.priority)}</priority>` : '';
  const assigns = ev.assignments.map((a) => `<eventAssignment variable="${id(a.target)}">${math(a.expr)}</eventAssignment>`).join('');
  const annot = ev.terminal ? `<annotation><ltcc:event xmlns:ltcc="${LTCC_ANNOTATION_NS}" ltcc:terminal="true"/></annotation>` : '';
  const name = sid !== ev.name ? ` name="${escapeXml(ev.name)}"` : '';
  return `<event id="${sid}"${name} useValuesFromTriggerTime="${ev.useValuesFromTriggerTime ?? true}">${annot}${trig}${delay}${prio}${assigns ? `<listOfEventAssignments>${assigns}</listOfEventAssignments>` : ''}</event>`;
}

/** A unit definition: SI base units with exponents, the scale folded into one multiplier. */
function unitDefinition(uid: string, u: Unit): string {
  const factors: { kind: string; exponent: number }[] = [];
  u.dim.forEach((x, i) => {
    if (x !== 0) factors.push({ kind: BASE_KINDS[i], exponent: x });
  });
  if (factors.length === 0) factors.push({ kind: 'dimensionless', exponent: 1 });
  // kilogram is the SI base; a scale multiplies the first factor: (m·k)^e = m^e·k^e ⇒ m = scale^(1/e).
  const units = factors.map((f, i) => {
    const mult = i === 0 && u.scale !== 1 ? Math.pow(u.scale, 1 / f.exponent) : 1;
    return `<unit kind="${f.kind}" exponent="${f.exponent}" scale="0" multiplier="${String(mult)}"/>`;
  });
  return `<unitDefinition id="${uid}"><listOfUnits>${units.join('')}</listOfUnits></unitDefinition>`;
}
