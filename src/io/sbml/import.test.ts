import { describe, expect, it } from 'vitest';
import { type Expr, evaluate, TIME } from '../../math/index.js';
import { compile } from '../../compile/compile.js';
import { simulate } from '../../solve/simulate.js';
import { InputError } from '../errors.js';
import { importSbml, type SbmlImport } from './import.js';

const MATH = 'xmlns="http://www.w3.org/1998/Math/MathML"';

/** An SBML document around a model body (Level 3 Version 2 unless told). */
function doc(body: string, head = 'xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sbml ${head}>\n<model id="m">\n${body}\n</model>\n</sbml>\n`;
}
const m = (content: string): string => `<math ${MATH}>${content}</math>`;
const ci = (id: string): string => `<ci> ${id} </ci>`;
const cn = (v: number): string => `<cn> ${v} </cn>`;
const apply = (o: string, ...xs: string[]): string => `<apply><${o}/>${xs.join('')}</apply>`;

/** Simulates and returns value(id, t) for amounts/concentrations/values at the output times. */
function run(imp: SbmlImport, tEnd: number, nOut = 10): (what: Expr, k: number) => number {
  const cm = compile(imp.model, { units: 'off' });
  const res = simulate(cm, { tEnd, nOut, rtol: 1e-10, atol: 1e-12, recordParameters: true });
  expect(res.retcode).toBe('Success');
  return (what, k) => evaluate(what, (name) => {
    if (name === TIME) return res.t[k];
    const r = cm.symbols.index.get(name)!;
    if (r.kind === 'state') return res.y[k * cm.n + r.index];
    if (r.kind === 'parameter') return res.parameters![k * cm.nParams + r.index];
    return res.assigned![k * cm.nAssigned + r.index];
  });
}

const species = (id: string, attrs: string): string =>
  `<species id="${id}" compartment="C" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false" ${attrs}/>`;

describe('species: amounts and concentrations', () => {
  const model = (cSize: number, extra = ''): string => doc(`
<listOfCompartments><compartment id="C" spatialDimensions="3" size="${cSize}" constant="true"/></listOfCompartments>
<listOfSpecies>${species('A', 'initialConcentration="2"')}${species('B', 'initialAmount="0"')}</listOfSpecies>
<listOfParameters><parameter id="k" value="0.5" constant="true"/></listOfParameters>
<listOfReactions><reaction id="R" reversible="false">
  <listOfReactants><speciesReference species="A" stoichiometry="2" constant="true"/></listOfReactants>
  <listOfProducts><speciesReference species="B" stoichiometry="1" constant="true"/></listOfProducts>
  <kineticLaw>${m(apply('times', ci('C'), ci('k'), ci('A')))}</kineticLaw>
</reaction></listOfReactions>${extra}`);

  it('integrates amounts with Σ stoichiometry · rate; concentrations are amount / size', () => {
    const imp = importSbml(model(0.25));
    const v = run(imp, 1);
    const a = imp.symbols.get('A')!;
    const b = imp.symbols.get('B')!;
    // d[A]/dt = -2·k·[A]  ⇒  [A] = 2·exp(-t); amount = 0.25·[A]; B gains half of A's loss.
    for (const k of [0, 5, 10]) {
      const t = k / 10;
      expect(v(a.concentration!, k)).toBeCloseTo(2 * Math.exp(-t), 8);
      expect(v(a.amount!, k)).toBeCloseTo(0.5 * Math.exp(-t), 8);
      expect(v(b.amount!, k)).toBeCloseTo(0.25 * (1 - Math.exp(-t)), 8);
      expect(v(sym('R'), k)).toBeCloseTo(0.25 * 0.5 * 2 * Math.exp(-t), 8);
    }
  });

  it('renames reaction-local parameters so they shadow globals only inside their reaction', () => {
    const xml = model(1).replace('<kineticLaw>', '<kineticLaw><listOfLocalParameters><localParameter id="k" value="1"/></listOfLocalParameters>');
    const imp = importSbml(xml);
    expect(imp.model.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['k', 'R.k']));
    const v = run(imp, 1);
    expect(v(imp.symbols.get('A')!.concentration!, 10)).toBeCloseTo(2 * Math.exp(-2), 8);
    expect(v(imp.symbols.get('k')!.value, 10)).toBe(0.5);
  });

  it('applies a rate rule on a concentration in a growing compartment as d(c·V)/dt', () => {
    const imp = importSbml(doc(`
<listOfCompartments><compartment id="C" spatialDimensions="3" size="1" constant="false"/></listOfCompartments>
<listOfSpecies>${species('S', 'initialConcentration="1"')}</listOfSpecies>
<listOfRules>
  <rateRule variable="C">${m(cn(1))}</rateRule>
  <rateRule variable="S">${m(cn(2))}</rateRule>
</listOfRules>`));
    const v = run(imp, 1);
    const s = imp.symbols.get('S')!;
    // [S] = 1 + 2t, V = 1 + t, amount = [S]·V
    expect(v(s.concentration!, 10)).toBeCloseTo(3, 8);
    expect(v(s.amount!, 10)).toBeCloseTo(6, 8);
  });

  it('keeps the amount of a species without reactions when its compartment changes', () => {
    const imp = importSbml(doc(`
<listOfCompartments><compartment id="C" spatialDimensions="3" size="1" constant="false"/></listOfCompartments>
<listOfSpecies>${species('S', 'initialConcentration="1"').replace('constant="false"', 'constant="true"')}</listOfSpecies>
<listOfRules><rateRule variable="C">${m(cn(1))}</rateRule></listOfRules>`));
    const v = run(imp, 1);
    expect(v(imp.symbols.get('S')!.amount!, 10)).toBeCloseTo(1, 10);
    expect(v(imp.symbols.get('S')!.concentration!, 10)).toBeCloseTo(0.5, 10);
  });

  it('multiplies reaction terms by the conversion factor', () => {
    const xml = model(1).replace('<model id="m">', '<model id="m" conversionFactor="cf">')
      .replace('<parameter id="k" value="0.5" constant="true"/>', '<parameter id="k" value="0.5" constant="true"/><parameter id="cf" value="3" constant="true"/>');
    const v = run(importSbml(xml), 1);
    expect(v(sym('A'), 10)).toBeCloseTo(2 * Math.exp(-3), 7);
  });
});

describe('rules, initial assignments, events', () => {
  it('solves a linear algebraic rule for its free variable', () => {
    const imp = importSbml(doc(`
<listOfParameters><parameter id="x" value="1" constant="false"/><parameter id="y" constant="false"/></listOfParameters>
<listOfRules>
  <rateRule variable="x">${m(cn(1))}</rateRule>
  <algebraicRule>${m(apply('minus', apply('times', cn(2), ci('y')), ci('x')))}</algebraicRule>
</listOfRules>`));
    const v = run(imp, 2);
    expect(v(sym('y'), 10)).toBeCloseTo(1.5, 10);
  });

  it('refuses an algebraic rule that is not linear in a free variable, naming it', () => {
    expect(() => importSbml(doc(`
<listOfParameters><parameter id="y" constant="false"/></listOfParameters>
<listOfRules><algebraicRule metaid="ar">${m(apply('minus', apply('sin', ci('y')), cn(0.5)))}</algebraicRule></listOfRules>`)))
      .toThrow(/algebraic rule ar \(line 6\) cannot be solved: it is not linear/);
  });

  it('replaces rateOf by the time derivative, also through assignment rules', () => {
    const imp = importSbml(doc(`
<listOfParameters><parameter id="x" value="1" constant="false"/><parameter id="z" constant="false"/><parameter id="r" constant="false"/></listOfParameters>
<listOfRules>
  <rateRule variable="x">${m(ci('x'))}</rateRule>
  <assignmentRule variable="z">${m(apply('times', ci('x'), ci('x')))}</assignmentRule>
  <assignmentRule variable="r">${m(`<apply><csymbol definitionURL="http://www.sbml.org/sbml/symbols/rateOf"/>${ci('z')}</apply>`)}</assignmentRule>
</listOfRules>`));
    const v = run(imp, 1);
    // z = e^{2t}, dz/dt = 2e^{2t}
    expect(v(sym('r'), 10)).toBeCloseTo(2 * Math.exp(2), 6);
  });

  it('converts an event assignment to a concentration into an amount with the size before the event', () => {
    const imp = importSbml(doc(`
<listOfCompartments><compartment id="C" spatialDimensions="3" size="0.5" constant="false"/></listOfCompartments>
<listOfSpecies>${species('S', 'initialConcentration="2"')}</listOfSpecies>
<listOfEvents><event id="E" useValuesFromTriggerTime="true">
  <trigger initialValue="true" persistent="true">${m(apply('geq', '<csymbol definitionURL="http://www.sbml.org/sbml/symbols/time"/>', cn(0.45)))}</trigger>
  <listOfEventAssignments>
    <eventAssignment variable="S">${m(cn(0.2))}</eventAssignment>
    <eventAssignment variable="C">${m(cn(0.2))}</eventAssignment>
  </listOfEventAssignments>
</event></listOfEvents>`));
    const v = run(imp, 1);
    expect(v(imp.symbols.get('S')!.amount!, 10)).toBeCloseTo(0.1, 12);
    expect(v(imp.symbols.get('S')!.concentration!, 10)).toBeCloseTo(0.5, 12);
  });

  it('gives a parameter with an initial assignment its computed start value', () => {
    const imp = importSbml(doc(`
<listOfParameters><parameter id="a" value="3" constant="true"/><parameter id="b" value="0" constant="true"/></listOfParameters>
<listOfInitialAssignments><initialAssignment symbol="b">${m(apply('times', ci('a'), cn(2)))}</initialAssignment></listOfInitialAssignments>`));
    expect(run(imp, 1)(sym('b'), 0)).toBe(6);
  });
});

describe('delays', () => {
  const DELAY = '<csymbol definitionURL="http://www.sbml.org/sbml/symbols/delay"/>';
  const TIMESYM = '<csymbol definitionURL="http://www.sbml.org/sbml/symbols/time"/>';

  it('integrates dx/dt = −x(t − 1) with x = 1 before the start (method of steps)', () => {
    const imp = importSbml(doc(`
<listOfParameters><parameter id="x" value="1" constant="false"/></listOfParameters>
<listOfRules><rateRule variable="x">${m(apply('minus', `<apply>${DELAY}${ci('x')}${cn(1)}</apply>`))}</rateRule></listOfRules>`));
    const v = run(imp, 2, 4);
    // x = 1 − t on [0, 1]; x = 1 − t + (t − 1)²/2 on [1, 2]
    expect(v(sym('x'), 2)).toBeCloseTo(0, 8);
    expect(v(sym('x'), 3)).toBeCloseTo(1 - 1.5 + 0.125, 8);
    expect(v(sym('x'), 4)).toBeCloseTo(-1 + 0.5, 8);
  });

  it('evaluates a delayed function of time before the start from its formula', () => {
    const imp = importSbml(doc(`
<listOfParameters><parameter id="x" constant="false"/><parameter id="y" constant="false"/></listOfParameters>
<listOfRules>
  <assignmentRule variable="x">${m(apply('sin', apply('times', cn(10), TIMESYM)))}</assignmentRule>
  <assignmentRule variable="y">${m(`<apply>${DELAY}${ci('x')}${cn(0.2)}</apply>`)}</assignmentRule>
</listOfRules>`));
    const v = run(imp, 1, 10);
    for (const k of [0, 1, 5, 10]) expect(v(sym('y'), k)).toBeCloseTo(Math.sin(10 * (k / 10 - 0.2)), 6);
  });
});

describe('Level 2 defaults', () => {
  it('reads Level 2 Version 5 with its default attribute values', () => {
    const imp = importSbml(doc(`
<listOfCompartments><compartment id="C" size="2"/></listOfCompartments>
<listOfSpecies><species id="S" compartment="C" initialAmount="4"/></listOfSpecies>
<listOfParameters><parameter id="k" value="1"/></listOfParameters>
<listOfReactions><reaction id="R"><listOfReactants><speciesReference species="S"/></listOfReactants>
<kineticLaw>${m(apply('times', ci('k'), ci('S')))}<listOfParameters><parameter id="k" value="0.1"/></listOfParameters></kineticLaw></reaction></listOfReactions>`,
    'xmlns="http://www.sbml.org/sbml/level2/version5" level="2" version="5"'));
    expect(imp.level).toBe(2);
    const v = run(imp, 1);
    // amount' = -0.1·[S] = -0.05·amount
    expect(v(imp.symbols.get('S')!.amount!, 10)).toBeCloseTo(4 * Math.exp(-0.05), 7);
    expect(imp.warnings).toEqual([]);
  });
});

describe('bad input', () => {
  const fails = (xml: string, re: RegExp, line?: number, field?: string): void => {
    try {
      importSbml(xml, { file: 'bad.xml' });
      expect.unreachable('import should fail');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const err = e as InputError;
      expect(err.message).toMatch(re);
      expect(err.file).toBe('bad.xml');
      if (line !== undefined) expect(err.line).toBe(line);
      if (field !== undefined) expect(err.field).toBe(field);
    }
  };

  it('reports malformed XML with its line', () => {
    fails('<?xml version="1.0"?>\n<sbml>\n<model>\n</sbml>\n', /malformed XML/, 4);
  });

  it('reports a file that is not SBML', () => {
    fails('<?xml version="1.0"?>\n<html><body/></html>', /not an SBML document: the root element is <html>/);
    fails('not xml at all', /malformed XML|no XML element/);
    fails(doc('', 'level="1" version="2"'), /Level 1 is not supported/);
  });

  it('names missing and dangling ids with their line', () => {
    fails(doc('<listOfSpecies>\n<species id="S" compartment="nowhere" initialAmount="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>'),
      /compartment 'nowhere', which is not declared/, 5, 'S');
    fails(doc('<listOfParameters><parameter value="1" constant="true"/></listOfParameters>'), /parameter without an 'id'/);
    fails(doc('<listOfParameters><parameter id="p" value="1" constant="true"/>\n<parameter id="p" value="2" constant="true"/></listOfParameters>'),
      /'p' is declared twice/, 5, 'p');
    fails(doc(`<listOfParameters><parameter id="p" value="1" constant="false"/></listOfParameters>
<listOfRules><assignmentRule variable="p">${m(ci('q'))}</assignmentRule></listOfRules>`), /undefined identifier 'q'/, 5, 'p');
    fails(doc(`<listOfRules><rateRule variable="ghost">${m(cn(1))}</rateRule></listOfRules>`), /'ghost', which is not a compartment, species, parameter/, 4, 'ghost');
  });

  it('reports a cycle in initial assignments with the path', () => {
    fails(doc(`<listOfParameters><parameter id="a" constant="true"/><parameter id="b" constant="true"/></listOfParameters>
<listOfInitialAssignments>
<initialAssignment symbol="a">${m(ci('b'))}</initialAssignment>
<initialAssignment symbol="b">${m(apply('plus', ci('a'), cn(1)))}</initialAssignment>
</listOfInitialAssignments>`), /initial assignments form a cycle: a → b → a/, 6, 'a');
  });

  it('reports an undefined function and a recursive one', () => {
    fails(doc(`<listOfParameters><parameter id="p" constant="false"/></listOfParameters>
<listOfRules><assignmentRule variable="p">${m(`<apply>${ci('f')}${cn(1)}</apply>`)}</assignmentRule></listOfRules>`), /call of 'f', which is not a function definition/, 5);
    fails(doc(`<listOfFunctionDefinitions><functionDefinition id="f">${m(`<lambda><bvar>${ci('x')}</bvar><apply>${ci('f')}${ci('x')}</apply></lambda>`)}</functionDefinition></listOfFunctionDefinitions>`),
      /'f' calls itself/);
  });

  it('refuses packages with simulation semantics, fast reactions and delays in start values, naming the element', () => {
    fails(doc('', 'xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1" xmlns:comp="http://www.sbml.org/sbml/level3/version1/comp/version1" comp:required="true"'),
      /package 'comp'/);
    fails(doc('', 'xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1" xmlns:fbc="http://www.sbml.org/sbml/level3/version1/fbc/version2" fbc:required="false"'),
      /package 'fbc'/);
    fails(doc(`<listOfCompartments><compartment id="C" spatialDimensions="3" size="1" constant="true"/></listOfCompartments>
<listOfSpecies>${species('S', 'initialAmount="1"')}</listOfSpecies>
<listOfReactions><reaction id="fastR" reversible="false" fast="true"><listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
<kineticLaw>${m(ci('S'))}</kineticLaw></reaction></listOfReactions>`, 'xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1"'),
    /reaction 'fastR' is fast/, 6, 'fastR');
    fails(doc(`<listOfParameters><parameter id="p" value="1" constant="false"/><parameter id="q" constant="true"/></listOfParameters>
<listOfInitialAssignments><initialAssignment symbol="q">${m(`<apply><csymbol definitionURL="http://www.sbml.org/sbml/symbols/delay"/>${ci('p')}${cn(1)}</apply>`)}</initialAssignment></listOfInitialAssignments>`),
    /initial assignment to q uses the delay csymbol, which has no meaning there/, 5, 'q');
  });

  it('ignores layout and render with a note', () => {
    const imp = importSbml(doc('<listOfParameters><parameter id="p" value="1" constant="true"/></listOfParameters>',
      'xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1" xmlns:layout="http://www.sbml.org/sbml/level3/version1/layout/version1" layout:required="false"'));
    expect(imp.warnings.join('\n')).toMatch(/package 'layout' carries no simulation semantics/);
  });
});

describe('hostile ids and MathML never reach generated code', () => {
  it('simulates ids that are JavaScript property names', () => {
    const imp = importSbml(doc(`
<listOfCompartments><compartment id="constructor" spatialDimensions="3" size="1" constant="true"/></listOfCompartments>
<listOfSpecies><species id="__proto__" compartment="constructor" initialAmount="1" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/></listOfSpecies>
<listOfParameters><parameter id="toString" value="2" constant="true"/><parameter id="hasOwnProperty" constant="false"/></listOfParameters>
<listOfRules><assignmentRule variable="hasOwnProperty">${m(apply('times', ci('toString'), ci('__proto__')))}</assignmentRule></listOfRules>
<listOfReactions><reaction id="valueOf" reversible="false"><listOfReactants><speciesReference species="__proto__" stoichiometry="1" constant="true"/></listOfReactants>
<kineticLaw>${m(apply('times', ci('toString'), ci('__proto__')))}</kineticLaw></reaction></listOfReactions>`));
    expect([...imp.symbols.keys()].sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf']);
    const v = run(imp, 1);
    expect(v(sym('__proto__'), 10)).toBeCloseTo(Math.exp(-2), 7);
    expect(v(sym('hasOwnProperty'), 10)).toBeCloseTo(2 * Math.exp(-2), 7);
    const cm = compile(imp.model, { units: 'off' });
    const code = [cm.rhs, cm.jac, cm.init, cm.assigned].map((f) => f.toString()).join('\n');
    for (const id of ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty']) expect(code).not.toContain(id);
  });

  it('refuses ids that are not SBML identifiers, and code in <ci>', () => {
    const evil = 'y[0]);process.exit(1);//';
    expect(() => importSbml(doc(`<listOfParameters><parameter id="${evil}" value="1" constant="true"/></listOfParameters>`)))
      .toThrow(/not a valid SBML identifier/);
    expect(() => importSbml(doc(`<listOfParameters><parameter id="p" constant="false"/></listOfParameters>
<listOfRules><assignmentRule variable="p">${m(ci(evil))}</assignmentRule></listOfRules>`))).toThrow(/undefined identifier/);
    expect(() => importSbml(doc(`<listOfParameters><parameter id="p" constant="false"/></listOfParameters>
<listOfRules><assignmentRule variable="p">${m('<csymbol definitionURL="http://evil.example/x);process.exit(1);//">x</csymbol>')}</assignmentRule></listOfRules>`)))
      .toThrow(/unsupported csymbol definitionURL/);
  });

  it('refuses XML element and attribute names that could reach object prototypes', () => {
    expect(() => importSbml(doc('<__proto__ id="x"/>'))).toThrow(/refused XML name: .*__proto__/);
    expect(() => importSbml(doc('<listOfParameters><parameter id="p" value="1" constant="true" constructor="1"/></listOfParameters>'))).toThrow(/refused XML name/);
    expect(({} as Record<string, unknown>).id).toBeUndefined();
  });

  it('keeps an SBML parameter named time apart from simulation time', () => {
    const imp = importSbml(doc(`<listOfParameters><parameter id="time" value="10" constant="true"/><parameter id="p" constant="false"/></listOfParameters>
<listOfRules><assignmentRule variable="p">${m(apply('plus', ci('time'), '<csymbol definitionURL="http://www.sbml.org/sbml/symbols/time"/>'))}</assignmentRule></listOfRules>`));
    const v = run(imp, 1);
    expect(v(imp.symbols.get('time')!.value, 10)).toBe(10);
    expect(v(sym('p'), 10)).toBeCloseTo(11, 12);
  });
});

function sym(name: string): Expr {
  return { kind: 'sym', name };
}

describe('constraints', () => {
  it('reports the first output time at which a constraint fails, with its message', async () => {
    const { checkConstraints } = await import('./constraints.js');
    const imp = importSbml(doc(`
<listOfParameters><parameter id="x" value="0" constant="false"/></listOfParameters>
<listOfRules><rateRule variable="x">${m(cn(1))}</rateRule></listOfRules>
<listOfConstraints>
  <constraint>${m(apply('lt', ci('x'), cn(0.55)))}<message><p xmlns="http://www.w3.org/1999/xhtml">x must stay below 0.55</p></message></constraint>
  <constraint>${m(apply('lt', ci('x'), cn(5)))}</constraint>
</listOfConstraints>`));
    expect(imp.constraints).toHaveLength(2);
    const cm = compile(imp.model, { units: 'off' });
    const res = simulate(cm, { tEnd: 1, nOut: 10, recordParameters: true });
    expect(checkConstraints(imp.constraints, res)).toEqual(['constraint violated at t = 0.6 (line 8): x must stay below 0.55']);
  });
});
