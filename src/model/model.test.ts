import { describe, expect, it } from 'vitest';
import { ModelBuilder } from './builder.js';
import { ModelError, ModelValidationError } from './errors.js';
import { topoOrder, validateModel } from './validate.js';
import { num, op, sym } from '../math/ast.js';
import type { Model } from './ir.js';

describe('ModelBuilder', () => {
  it('resolves short names inside a component before global names', () => {
    const b = new ModelBuilder('t');
    b.root.parameter('k', 1);
    const c = b.component('cav13');
    c.parameter('k', 2).state('m', { initial: 0, rate: 'k*(1-m)' });
    const m = b.build();
    const st = m.states.find((s) => s.name === 'cav13.m')!;
    expect(st.rate).toEqual(op('mul', sym('cav13.k'), op('sub', num(1), sym('cav13.m'))));
  });

  it('falls back to enclosing namespaces and accepts qualified names', () => {
    const b = new ModelBuilder('t');
    b.root.parameter('F', 96485);
    b.component('ca').state('shell', { initial: 0.05, rate: '0' });
    b.component('cav13').assigned('drive', 'F * ca.shell');
    const m = b.build();
    expect(m.assigned[0].expr).toEqual(op('mul', sym('F'), sym('ca.shell')));
  });

  it('sums contributions from several components into one rate', () => {
    const b = new ModelBuilder('t');
    b.root.state('V', { initial: -65, rate: '0' });
    b.component('na').parameter('g', 1).contribute('V', '-g*V');
    b.component('k').parameter('g', 2).contribute('V', '-g*V');
    const m = b.build();
    const v = m.states[0];
    expect(v.rate.kind).toBe('op');
    expect((v.rate as { args: readonly unknown[] }).args).toHaveLength(3);
  });

  it('names the symbol and the component of an undefined reference', () => {
    const b = new ModelBuilder('t');
    b.component('camkii').state('T286', { initial: 0, rate: 'kauto*T286' });
    expect(() => b.build()).toThrow(/undefined symbol 'kauto' in the rate of camkii\.T286 \(component 'camkii'\)/);
  });

  it('rejects duplicate declarations and the reserved time symbol', () => {
    const b = new ModelBuilder('t');
    b.root.parameter('x', 1);
    expect(() => b.root.parameter('x', 2)).toThrow(/declared twice/);
    expect(() => b.root.parameter('time', 2)).toThrow(/reserved/);
  });

  it('reports a contribution to a non-state', () => {
    const b = new ModelBuilder('t');
    b.root.parameter('V', 1);
    b.component('na').contribute('V', '1');
    expect(() => b.build()).toThrow(ModelValidationError);
  });

  it('carries a state\'s absolute tolerance scale into the IR', () => {
    const b = new ModelBuilder('t');
    b.component('mem').state('V', { initial: -65, rate: '0', unit: 'mV', atolScale: 100 }).state('n', { initial: 0, rate: '0' });
    const m = b.build();
    expect(m.states.map((s) => s.atolScale)).toEqual([100, undefined]);
  });

  it('checks parameter bounds', () => {
    const b = new ModelBuilder('t');
    expect(() => b.component('k').parameter('gbar', -1, { bounds: [0, Infinity] })).toThrow(/'k\.gbar' = -1 is outside its bounds/);
  });
});

describe('validateModel', () => {
  const base = (assigned: Model['assigned']): Model => ({
    name: 'm', states: [{ name: 'x', initial: num(1), rate: sym('a') }], parameters: [], assigned, events: [], observables: [],
  });

  it('orders assigned quantities by dependency', () => {
    const vm = validateModel(base([
      { name: 'a', expr: op('mul', sym('b'), num(2)) },
      { name: 'b', expr: op('add', sym('c'), num(1)) },
      { name: 'c', expr: sym('x') },
    ]));
    expect(vm.assignedOrder.map((a) => a.name)).toEqual(['c', 'b', 'a']);
  });

  it('names an algebraic loop', () => {
    const m = base([
      { name: 'a', expr: sym('b'), component: 'pool' },
      { name: 'b', expr: op('add', sym('a'), num(1)) },
    ]);
    expect(() => validateModel(m)).toThrow(/algebraic loop in assigned quantities: a → b → a/);
  });

  it('rejects event assignments to assigned quantities', () => {
    const m: Model = { ...base([{ name: 'a', expr: num(1) }]), events: [{ name: 'e', trigger: op('gt', sym('time'), num(1)), assignments: [{ target: 'a', expr: num(2) }] }] };
    expect(() => validateModel(m)).toThrow(/only states and parameters can be assigned/);
  });

  it('reports unit mismatches with the formula', () => {
    const m: Model = {
      name: 'u', meta: { timeUnit: 'ms' },
      states: [{ name: 'V', unit: 'mV', initial: num(-65), rate: op('div', sym('I'), sym('C')) }],
      parameters: [{ name: 'C', value: 1, unit: 'uF/cm^2' }, { name: 'g', value: 1, unit: 'mS/cm^2' }],
      assigned: [{ name: 'I', unit: 'uA/cm^2', expr: op('mul', sym('g'), op('add', sym('V'), sym('C'))) }],
      events: [], observables: [],
    };
    expect(() => validateModel(m, { units: 'error' })).toThrow(/units/);
    const ok: Model = { ...m, assigned: [{ name: 'I', unit: 'uA/cm^2', expr: op('mul', sym('g'), sym('V')) }] };
    expect(validateModel(ok, { units: 'error' }).warnings).toEqual([]);
  });

  it('rejects an absolute tolerance scale that is not a positive finite number', () => {
    for (const bad of [0, -1, NaN, Infinity]) {
      const m: Model = { ...base([{ name: 'a', expr: num(1) }]), states: [{ name: 'x', initial: num(1), rate: sym('a'), atolScale: bad }] };
      expect(() => validateModel(m)).toThrow(/state 'x' has atolScale/);
    }
  });

  it('topoOrder is stable for independent nodes', () => {
    expect(topoOrder(['a', 'b', 'c'], () => [], 'x')).toEqual(['a', 'b', 'c']);
    expect(() => topoOrder(['a'], () => ['a'], 'x')).toThrow(ModelError);
  });
});
