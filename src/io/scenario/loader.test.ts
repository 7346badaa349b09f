import { describe, expect, it } from 'vitest';
import { ModelBuilder } from '../../model/builder.js';
import { ScenarioError } from './errors.js';
import { closest, levenshtein } from './hints.js';
import { parseScenario } from './loader.js';
import { formatPath, splitPath } from './paths.js';
import { combineRegistries, contextFromFactory, createRegistry } from './registry.js';
import { scenarioJsonSchema, valuesOf } from './schema.js';
import { toyContext } from './toy-context.js';

/** A second, minimal context: first-order decay, no protocols. */
const decay = contextFromFactory({
  id: 'decay',
  description: 'x decays at rate k',
  presets: [{ id: 'slow', description: 'k = 0.1' }, { id: 'fast', description: 'k = 1' }],
  build: (req) => {
    const b = new ModelBuilder('decay');
    b.root.parameter('k', req.preset === 'fast' ? 1 : 0.1, { unit: '1/ms', assumption: 'test value' });
    b.root.state('x', { initial: 1, rate: '-k*x', unit: 'uM' });
    return b.build();
  },
});
const registry = combineRegistries(createRegistry([toyContext()]), createRegistry([decay]));

const load = (text: string, file = 'test.yaml', sets: string[] = []) => parseScenario(text, file, { registry, sets });
const errorOf = (f: () => unknown): ScenarioError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
};

const base = `name: demo
context: toy-cell
protocol:
  type: voltage-clamp
  holding: -80
  hold: 10
  segments:
    - { voltage: 0, duration: 100 }
`;

describe('levenshtein and closest', () => {
  it('counts edits, including one transposition as a single edit', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('rtol', 'rtlo')).toBe(1);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
  it('suggests only plausible typos', () => {
    expect(closest('rtoll', ['rtol', 'atol', 'method'])).toBe('rtol');
    expect(closest('METHOD', ['rtol', 'method'])).toBe('method');
    expect(closest('banana', ['rtol', 'atol', 'method'])).toBeUndefined();
  });
});

describe('field paths', () => {
  it('prints indices and dotted record keys unambiguously', () => {
    expect(formatPath(['experiments', 0, 'readouts', 1, 'observable'])).toBe('experiments[0].readouts[1].observable');
    expect(formatPath(['parameters', 'cav13.gbar'])).toBe('parameters["cav13.gbar"]');
  });
  it('splits dotted, indexed and quoted paths', () => {
    expect(splitPath('a.b[2]["c.d"]').map((s) => s.key)).toEqual(['a', 'b', 2, 'c.d']);
    expect(() => splitPath('a..b')).toThrow(/empty name/);
    expect(() => splitPath('a[x]')).toThrow(/quoted key/);
  });
});

describe('parseScenario', () => {
  it('applies defaults: the context preset, the protocol length, solver settings and sampling', () => {
    const { scenario } = load(base);
    expect(scenario.preset).toBe('default');
    expect(scenario.duration).toBe(110);
    expect(scenario.solver).toEqual({ method: 'bdf', rtol: 1e-6, atol: 1e-10 });
    expect(scenario.outputs.interval).toBeCloseTo(110 / 500);
    expect(scenario.seed).toBe(0);
  });

  it('reports a misspelled key with line, column and a did-you-mean hint', () => {
    const e = errorOf(() => load(`${base}solver:\n  rtoll: 1e-8\n`));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ file: 'test.yaml', line: 10, column: 3, field: 'solver.rtoll', hint: "did you mean 'rtol'?" });
    expect(e.message).toBe("test.yaml:10:3: field solver.rtoll: unknown key 'rtoll' (did you mean 'rtol'?)");
  });

  it('reports unknown names from the registry with hints, at the key for record entries', () => {
    const e = errorOf(() => load(`${base}preset: defualt\nparameters:\n  ca.gg: 1\n`));
    expect(e.issues.map((i) => [i.field, i.line, i.column, i.hint])).toEqual([
      ['preset', 9, 9, "did you mean 'default'?"],
      ['parameters["ca.gg"]', 11, 3, "did you mean 'ca.g'?"],
    ]);
    const c = errorOf(() => load(base.replace('toy-cell', 'toy-cel')));
    expect(c.issues[0]).toMatchObject({ field: 'context', line: 2, column: 10, hint: "did you mean 'toy-cell'?" });
  });

  it('names a misspelled protocol type and lists every problem in file order', () => {
    const e = errorOf(() => load('name: x\ncontext: toy-cell\nprotocol:\n  type: voltage-clmp\nsolver:\n  method: bfd\n'));
    expect(e.issues.map((i) => [i.field, i.line, i.hint])).toEqual([
      ['protocol.type', 4, "did you mean 'voltage-clamp'?"],
      ['solver.method', 6, "did you mean 'bdf'?"],
    ]);
    expect(e.message).toMatch(/^2 problems in test\.yaml:\n {2}test\.yaml:4:9: field protocol\.type/);
  });

  it('reports a missing required field at the mapping that should hold it', () => {
    const e = errorOf(() => load('context: toy-cell\nduration: 10\n'));
    expect(e.issues[0]).toMatchObject({ field: 'name', line: 1, column: 1, message: "missing required field 'name'" });
  });

  it('rejects wrong types, non-finite numbers and bad ranges with the field path', () => {
    const e = errorOf(() => load(`${base}duration: .inf\noutputs:\n  interval: fast\n`));
    expect(e.issues.map((i) => i.field)).toEqual(['duration', 'outputs.interval']);
    expect(e.issues[1].message).toMatch(/expected a number, got string "fast"/);
    const r = errorOf(() => load(`${base}experiments:\n  - type: sweep\n    parameter: ca.g\n    range: { from: 0, to: 1, count: 3, scale: log }\n    readouts: [{ observable: Ca }]\n`));
    expect(r.issues[0]).toMatchObject({ field: 'experiments[0].range.scale', line: 12 });
  });

  it('checks names inside experiments against the context', () => {
    const e = errorOf(() => load(`${base}experiments:
  - type: grid
    x: { parameter: ca.g, values: [1, 2] }
    y: { parameter: kca.gg, values: [1, 2] }
    readout: { observable: Caa }
  - type: knockouts
    components: [kcaa]
    readouts: [{ observable: pSignal, measure: final }]
`));
    expect(e.issues.map((i) => [i.field, i.hint])).toEqual([
      ['experiments[0].y.parameter', "did you mean 'kca.g'?"],
      ['experiments[0].readout.observable', "did you mean 'Ca'?"],
      ['experiments[1].components[0]', "did you mean 'kca'?"],
    ]);
  });

  it('requires a duration when the protocol has no length of its own', () => {
    const e = errorOf(() => load('name: d\ncontext: decay\n'));
    expect(e.issues[0]).toMatchObject({ field: 'duration' });
    expect(load('name: d\ncontext: decay\nduration: 20\n').scenario.duration).toBe(20);
  });

  it('reports YAML syntax errors and duplicate keys with positions', () => {
    const e = errorOf(() => load('name: a\nname: b\ncontext: decay\n'));
    expect(e.issues[0]).toMatchObject({ line: 2, column: 1 });
    expect(e.issues[0].message).toMatch(/invalid YAML: Map keys must be unique/);
    const f = errorOf(() => load('name: [a\n'));
    expect(f.issues[0].line).toBeGreaterThanOrEqual(1);
    expect(errorOf(() => load('')).issues[0].message).toBe('the file is empty');
    expect(errorOf(() => load('- a\n- b\n')).issues[0].message).toMatch(/mapping of fields/);
  });

  it('reads JSON with positions, and reports JSON syntax errors at line:column', () => {
    const json = '{\n  "name": "j",\n  "context": "decay",\n  "duration": 5,\n  "solver": { "rtool": 1e-8 }\n}\n';
    const e = errorOf(() => load(json, 'a.json'));
    expect(e.issues[0]).toMatchObject({ file: 'a.json', line: 5, column: 15, field: 'solver.rtool', hint: "did you mean 'rtol'?" });
    const s = errorOf(() => load('{\n  "name": "j",\n}\n', 'b.json'));
    expect(s.issues[0]).toMatchObject({ file: 'b.json', line: 3, column: 1 });
    expect(s.issues[0].message).toMatch(/^invalid JSON/);
  });

  it('applies --set overrides: numbers, dotted parameter paths, lists, and reports their origin', () => {
    const { scenario } = load(base, 'test.yaml', ['solver.rtol=1e-8', 'parameters.ca.g=3', 'outputs.observables=[V, Ca]', 'protocol.segments[0].voltage=10']);
    expect(scenario.solver.rtol).toBe(1e-8);
    expect(scenario.parameters).toEqual({ 'ca.g': 3 });
    expect(scenario.outputs.observables).toEqual(['V', 'Ca']);
    expect(scenario.protocol).toMatchObject({ segments: [{ voltage: 10, duration: 100 }] });
    const bad = errorOf(() => load(base, 'test.yaml', ['solver.rtol=abc']));
    expect(bad.message).toBe('test.yaml (--set solver.rtol=abc): field solver.rtol: expected a number, got string "abc"');
    const typo = errorOf(() => load(base, 'test.yaml', ['solver.rtl=1']));
    expect(typo.issues[0]).toMatchObject({ origin: '--set solver.rtl=1', hint: "did you mean 'rtol'?" });
    expect(errorOf(() => load(base, 'test.yaml', ['solver.rtol'])).message).toMatch(/expected --set path=value/);
    const unknownParam = errorOf(() => load(base, 'test.yaml', ['parameters.ca.gx=2']));
    expect(unknownParam.issues[0]).toMatchObject({ origin: '--set parameters.ca.gx=2', hint: "did you mean 'ca.g'?" });
  });

  it('lets a later --set win and keeps file positions for untouched fields', () => {
    const s = load(base, 'test.yaml', ['seed=1', 'seed=7']);
    expect(s.scenario.seed).toBe(7);
    expect(s.locate(['protocol', 'holding'])).toEqual({ line: 5, column: 12 });
    expect(s.locate(['seed'])).toEqual({ origin: '--set seed=7' });
  });
});

describe('schema helpers', () => {
  it('exports a JSON Schema whose fields carry descriptions', () => {
    const js = scenarioJsonSchema() as { properties: Record<string, { description?: string }>; required: string[]; additionalProperties: boolean };
    expect(js.required).toEqual(expect.arrayContaining(['name', 'context']));
    expect(js.required).not.toContain('seed');
    expect(js.additionalProperties).toBe(false);
    expect(js.properties.duration.description).toMatch(/ms/);
    expect(JSON.stringify(js)).toContain('"voltage-clamp"');
  });
  it('expands ranges exactly at their ends', () => {
    expect(valuesOf({ range: { from: 0.001, to: 10, count: 5, scale: 'log' } })).toEqual([0.001, 0.01, 0.1, 1, 10].map((v, i, a) => (i === 0 || i === a.length - 1 ? v : expect.closeTo(v, 12))));
    expect(valuesOf({ range: { from: 0, to: 1, count: 3, scale: 'linear' } })).toEqual([0, 0.5, 1]);
    expect(valuesOf({ values: [3, 1] })).toEqual([3, 1]);
  });
});
