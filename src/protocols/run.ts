/**
 * Runs a protocol on a cell: builds the cell for the protocol's stimulus structure, compiles it
 * (cached by model hash: a step family compiles once), settles it to its own steady state under
 * the holding condition, then simulates with every stimulus edge as a tstop.
 */
import { compile } from '../compile/compile.js';
import type { CompiledModel } from '../compile/compiled.js';
import { simulate } from '../solve/simulate.js';
import { type MethodName, type SolverStats, RetCode, isSuccessful } from '../solve/types.js';
import { buildCell, type Cell, type CellSpec } from '../biology/contexts.js';
import type { Protocol } from './protocol.js';
import { protocolInputs } from './apply.js';
import { ProtocolError } from './errors.js';

export interface RunOptions {
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  method?: MethodName;
  /** Output spacing (ms); default 0.05. */
  dt?: number;
  /** Largest step (ms); default unbounded. */
  hmax?: number;
  /** Parameter values by path applied after the cell's own (e.g. from a sweep). */
  set?: Readonly<Record<string, number>>;
}

/** A simulated protocol: sampled time and any model quantity by name. */
export interface Trace {
  readonly t: Float64Array;
  readonly cell: Cell;
  readonly compiled: CompiledModel;
  /** Parameter vector used (stimulus included). */
  readonly p: Float64Array;
  readonly retcode: RetCode;
  readonly message: string;
  readonly stats: SolverStats;
  /** Wall time of settle + run (ms). */
  readonly wallMs: number;
  /** A state, assigned quantity or parameter sampled at `t`. */
  series(name: string): Float64Array;
}

const settled = new Map<string, Float64Array>();

/** Sets a parameter by path; unknown paths are errors naming the field. */
export function setParam(cm: CompiledModel, p: Float64Array, path: string, value: number): void {
  const r = cm.symbols.index.get(path);
  if (!r || r.kind !== 'parameter') throw new ProtocolError(`no parameter '${path}' in this model`, path);
  p[r.index] = value;
}

/** Builds, compiles, settles and runs `protocol` on the cell `spec`. */
export function runProtocol(spec: Omit<CellSpec, 'input'>, protocol: Protocol, o: RunOptions = {}): Trace {
  const start = performance.now();
  const ins = protocolInputs(protocol);
  const scales = { ...(spec.scales ?? {}), ...ins.scales };
  const cell = buildCell({ ...spec, input: ins.input, overrides: { ...(spec.overrides ?? {}), ...ins.bath }, scales });
  const cm = compile(cell.model, { discontinuityRoots: false });
  const p = new Float64Array(cm.p0);
  for (const [k, v] of Object.entries(o.set ?? {})) setParam(cm, p, k, v);
  const pRest = new Float64Array(p);
  for (const [k, v] of Object.entries(ins.rest)) setParam(cm, pRest, k, v);
  for (const [k, v] of Object.entries(ins.stimulus)) setParam(cm, p, k, v);
  const rtol = o.rtol ?? 1e-6;
  const atol = o.atol ?? 1e-8;
  const settle = protocol.settle ?? (ins.input.clamp === 'current' ? 3000 : 500);
  let y0: Float64Array | undefined;
  if (settle > 0) {
    const key = `${cm.hash}|${Array.from(pRest).join(',')}|${settle}|${rtol}|${atol}`;
    y0 = settled.get(key);
    if (!y0) {
      const s = simulate(cm, { tEnd: settle, p: pRest, saveAt: [settle], rtol, atol, recordDerived: false, ...(o.method ? { method: o.method } : {}) });
      if (!isSuccessful(s.retcode)) {
        return failed(cell, cm, p, s.retcode, `settling failed at t = ${s.tReached} ms: ${s.message}`, s.stats, start);
      }
      y0 = s.y.slice(s.y.length - cm.n);
      if (settled.size > 200) settled.clear();
      settled.set(key, y0);
    }
  }
  const dt = o.dt ?? 0.05;
  if (!(dt > 0)) throw new ProtocolError(`output spacing must be positive, got ${dt}`, 'dt');
  const nOut = Math.floor(protocol.duration / dt + 1e-9);
  const saveAt = new Float64Array(nOut + 1);
  for (let i = 0; i <= nOut; i++) saveAt[i] = Math.min(i * dt, protocol.duration);
  saveAt[nOut] = protocol.duration;
  const r = simulate(cm, {
    tEnd: protocol.duration, p, saveAt, rtol, atol, tstops: ins.tstops, recordDerived: false,
    ...(y0 ? { y0 } : {}), ...(o.method ? { method: o.method } : {}), ...(o.hmax !== undefined ? { hmax: o.hmax } : {}),
  });
  return makeTrace(cell, cm, p, r.t, r.y, r.retcode, r.message, r.stats, start);
}

function failed(cell: Cell, cm: CompiledModel, p: Float64Array, retcode: RetCode, message: string, stats: SolverStats, start: number): Trace {
  return makeTrace(cell, cm, p, new Float64Array(0), new Float64Array(0), retcode, message, stats, start);
}

function makeTrace(cell: Cell, cm: CompiledModel, p: Float64Array, t: Float64Array, y: Float64Array, retcode: RetCode, message: string, stats: SolverStats, start: number): Trace {
  const n = cm.n;
  const cache = new Map<string, Float64Array>();
  let assignedAll: Float64Array | undefined;
  const wallMs = performance.now() - start;
  return {
    t, cell, compiled: cm, p, retcode, message, stats, wallMs,
    series(name: string): Float64Array {
      const hit = cache.get(name);
      if (hit) return hit;
      const r = cm.symbols.index.get(name);
      if (!r) throw new ProtocolError(`no quantity '${name}' in this model`, name);
      const out = new Float64Array(t.length);
      if (r.kind === 'state') {
        for (let k = 0; k < t.length; k++) out[k] = y[k * n + r.index];
      } else if (r.kind === 'parameter') {
        out.fill(p[r.index]);
      } else if (r.kind === 'assigned') {
        if (!assignedAll) {
          const m = cm.nAssigned;
          assignedAll = new Float64Array(t.length * m);
          const buf = new Float64Array(m);
          for (let k = 0; k < t.length; k++) {
            cm.assigned(t[k], y.subarray(k * n, (k + 1) * n), p, buf);
            assignedAll.set(buf, k * m);
          }
        }
        const m = cm.nAssigned;
        for (let k = 0; k < t.length; k++) out[k] = assignedAll[k * m + r.index];
      } else {
        const m = cm.nObservables;
        const buf = new Float64Array(m);
        for (let k = 0; k < t.length; k++) {
          cm.observables(t[k], y.subarray(k * n, (k + 1) * n), p, buf);
          out[k] = buf[r.index];
        }
      }
      cache.set(name, out);
      return out;
    },
  };
}
