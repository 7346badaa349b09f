import { describe, expect, it } from 'vitest';
import { compile } from '../compile/compile.js';
import { ModelBuilder } from '../model/builder.js';
import { buildCell } from '../biology/contexts.js';
import { cellToNmodl } from './cell-nmodl.js';

describe('NMODL export of a cell', () => {
  it('writes every non-stimulus state, parameter and assigned quantity, with V as NEURON\'s v', () => {
    const cm = compile(buildCell({ context: 'ca1', input: { clamp: 'current', trains: 1 } }).model, { discontinuityRoots: false });
    const p = new Float64Array(cm.p0);
    const y = new Float64Array(cm.n);
    cm.init(0, p, y);
    const mod = cellToNmodl(cm, p, y);
    expect(mod).toMatch(/SUFFIX ltcccell/);
    expect(mod).toMatch(/NONSPECIFIC_CURRENT i/);
    expect(mod).toContain('i = 1e-3 * x_mem_I_m');
    expect(mod).not.toMatch(/x_stim_|x_mem_V\b/);
    for (const s of cm.symbols.states.filter((n) => n !== 'mem.V')) expect(mod).toContain(`x_${s.replace(/\./g, '_')}' =`);
    expect(mod).toContain('x_cav13_O_vc');
    expect(mod.split('\n').every((l) => l.length <= 200)).toBe(true);
    // initial values are the given state
    const k = cm.symbols.index.get('ca.shell')!.index;
    expect(mod).toContain(`x_ca_shell = ${y[k]}`);
  });

  it('refuses operators NMODL cannot express instead of writing wrong code', () => {
    const b = new ModelBuilder('t');
    b.root.state('x', { initial: 0, rate: 'rem(time, 3)' });
    const cm = compile(b.build());
    expect(() => cellToNmodl(cm, cm.p0, new Float64Array(1))).toThrow(/'rem' has no NMODL export/);
  });
});
