import { it } from 'vitest';
import { buildCell } from '../../biology/contexts.js';
import { attachSignalling } from '../../biology/signalling/attach.js';
import { compile } from '../../compile/compile.js';
import { runProtocol } from '../../protocols/run.js';
import { pulseTrain, kDepolarisation } from '../../protocols/protocol.js';
import { listCompounds } from '../../pharmacology/library.js';

it('explore', () => {
  for (const ctx of ['heterologous', 'ca1', 'vascular'] as const) {
    const c = buildCell({ context: ctx });
    console.log(ctx, 'states', c.model.states.length, 'params', c.model.parameters.length, 'assigned', c.model.assigned.length);
    console.log(c.model.states.map((s) => s.name).join(' '));
    console.log(c.model.parameters.map((s) => s.name).join(' '));
  }
  const c = buildCell({ context: 'ca1' });
  const m = attachSignalling(c.model);
  console.log('sig states', m.states.length, m.observables.map((o) => o.name).join(' '));
  let t = performance.now();
  compile(m);
  console.log('compile ms', performance.now() - t);
  t = performance.now();
  const tr = runProtocol({ context: 'ca1' }, pulseTrain(20, 10, 1.5, 2, 50, 200));
  console.log('train ms', performance.now() - t, tr.retcode, tr.stats);
  const V = tr.series('mem.V'); console.log('Vmax', Math.max(...V), 'Vmin', Math.min(...V));
  t = performance.now();
  const tk = runProtocol({ context: 'ca1' }, kDepolarisation(40, 2000));
  console.log('K ms', performance.now() - t, tk.retcode, Math.max(...tk.series('ca.cyt')));
  console.log(listCompounds().map((x) => x.id).join(' '));
});
