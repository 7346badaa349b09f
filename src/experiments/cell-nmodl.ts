/**
 * Writes a compiled cell model as one NMODL mechanism, so NEURON integrates exactly the same
 * equations (used by the NEURON comparison in bench/neuron). The membrane equation is left to
 * NEURON: `mem.V` becomes NEURON's `v`, the sum of ionic currents `mem.I_m` (µA/cm²) becomes a
 * NONSPECIFIC_CURRENT (mA/cm²), and the stimulus is applied by IClamps. Every other state,
 * assigned quantity and parameter is emitted from the IR, with the parameter values and the
 * initial state given.
 *
 * Names from the model are sanitised to `[A-Za-z0-9_]` and prefixed, so no text from a model
 * file reaches the mechanism except as an identifier or a number.
 */
import type { CompiledModel } from '../compile/compiled.js';
import type { Expr } from '../math/ast.js';
import { TIME } from '../math/ast.js';

export interface NmodlOptions {
  /** SUFFIX of the mechanism (default `ltcccell`). */
  suffix?: string;
  /** Membrane potential symbol replaced by NEURON's v (default `mem.V`). */
  v?: string;
  /** Ionic current density symbol, µA/cm² outward positive (default `mem.I_m`). */
  current?: string;
  /** Prefixes of symbols left out (the stimulus). */
  exclude?: readonly string[];
}

const ident = (name: string): string => `x_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;

const num = (v: number): string => {
  if (!Number.isFinite(v)) throw new RangeError(`cannot write ${v} in NMODL`);
  const s = String(v);
  return v < 0 ? `(${s})` : s;
};

/** A bare literal for declarations (NMODL does not accept parentheses there). */
const lit = (v: number): string => {
  if (!Number.isFinite(v)) throw new RangeError(`cannot write ${v} in NMODL`);
  return String(v);
};

/** Infix NMODL text of `e`; relational/logical operators and piecewise go through helper FUNCTIONs. */
function emit(e: Expr, name: (s: string) => string): string {
  const go = (x: Expr): string => {
    if (x.kind === 'num') return num(x.value);
    if (x.kind === 'sym') return name(x.name);
    const a = x.args.map(go);
    switch (x.op) {
      case 'add': return a.length ? `(${a.join(' + ')})` : '0';
      case 'mul': return a.length ? `(${a.join(' * ')})` : '1';
      case 'sub': return `(${a[0]} - ${a[1]})`;
      case 'div': return `(${a[0]} / ${a[1]})`;
      case 'neg': return `(-${a[0]})`;
      case 'pow': return `(${a[0]}^${a[1]})`;
      case 'exp': return `exp(${a[0]})`;
      case 'ln': return `log(${a[0]})`;
      case 'log10': return `log10(${a[0]})`;
      case 'sqrt': return `sqrt(${a[0]})`;
      case 'abs': return `fabs(${a[0]})`;
      case 'min': return a.reduce((p, q) => `hmin(${p}, ${q})`);
      case 'max': return a.reduce((p, q) => `hmax(${p}, ${q})`);
      case 'lt': case 'le': case 'gt': case 'ge': case 'eq': case 'neq':
        if (a.length !== 2) throw new RangeError(`chained '${x.op}' is not supported in NMODL export`);
        return `h${x.op}(${a[0]}, ${a[1]})`;
      case 'and': return a.reduce((p, q) => `hand(${p}, ${q})`);
      case 'or': return a.reduce((p, q) => `hor(${p}, ${q})`);
      case 'not': return `(1 - hne0(${a[0]}))`;
      case 'piecewise': {
        let out = a.length % 2 === 1 ? a[a.length - 1] : '0';
        for (let i = Math.floor(a.length / 2) - 1; i >= 0; i--) out = `hpw(${a[2 * i + 1]}, ${a[2 * i]}, ${out})`;
        return out;
      }
      default:
        throw new RangeError(`operator '${x.op}' has no NMODL export`);
    }
  };
  return go(e);
}

const HELPERS = `
FUNCTION hpw(c, a, b) {
  if (c != 0) { hpw = a } else { hpw = b }
}
FUNCTION hlt(a, b) { if (a < b) { hlt = 1 } else { hlt = 0 } }
FUNCTION hle(a, b) { if (a <= b) { hle = 1 } else { hle = 0 } }
FUNCTION hgt(a, b) { if (a > b) { hgt = 1 } else { hgt = 0 } }
FUNCTION hge(a, b) { if (a >= b) { hge = 1 } else { hge = 0 } }
FUNCTION heq(a, b) { if (a == b) { heq = 1 } else { heq = 0 } }
FUNCTION hneq(a, b) { if (a != b) { hneq = 1 } else { hneq = 0 } }
FUNCTION hne0(a) { if (a != 0) { hne0 = 1 } else { hne0 = 0 } }
FUNCTION hand(a, b) { if (a != 0 && b != 0) { hand = 1 } else { hand = 0 } }
FUNCTION hor(a, b) { if (a != 0 || b != 0) { hor = 1 } else { hor = 0 } }
FUNCTION hmin(a, b) { if (a < b) { hmin = a } else { hmin = b } }
FUNCTION hmax(a, b) { if (a > b) { hmax = a } else { hmax = b } }
`;

/** Breaks a long statement at spaces: nocmodl reads a limited number of characters per line. */
function wrap(line: string, width = 160): string {
  if (line.length <= width) return line;
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) cut = rest.indexOf(' ', width);
    if (cut <= 0) break;
    out.push(rest.slice(0, cut));
    rest = `    ${rest.slice(cut + 1)}`;
  }
  out.push(rest);
  return out.join('\n');
}

/** The NMODL text of `cm` with parameter values `p` and initial state `y0`. */
export function cellToNmodl(cm: CompiledModel, p: Float64Array, y0: Float64Array, o: NmodlOptions = {}): string {
  const suffix = (o.suffix ?? 'ltcccell').replace(/[^A-Za-z0-9_]/g, '_');
  const vName = o.v ?? 'mem.V';
  const cur = o.current ?? 'mem.I_m';
  const exclude = o.exclude ?? ['stim.'];
  const skip = (n: string): boolean => exclude.some((x) => n.startsWith(x)) || n === vName || n === 'mem.I_stim';
  const name = (s: string): string => {
    if (s === vName) return 'v';
    if (s === TIME) return 't';
    if (skip(s)) throw new RangeError(`the cell equations use '${s}', which the NMODL export leaves to NEURON`);
    return ident(s);
  };
  const model = cm.model;
  const params = model.parameters.filter((q) => !skip(q.name));
  const states = model.states.filter((s) => !skip(s.name));
  const assignedOrder = cm.symbols.assigned.filter((a) => !skip(a));
  const assignedExpr = new Map(model.assigned.map((a) => [a.name, a.expr]));
  const lines: string[] = [];
  lines.push(`: Generated by ltcc from model ${model.name} (hash ${cm.hash.slice(0, 16)}). Do not edit.`);
  lines.push(': Units: ms, mV, uM inside, mM outside, uA/cm2 inside the mechanism; i in mA/cm2.');
  lines.push('NEURON {', `  SUFFIX ${suffix}`, '  NONSPECIFIC_CURRENT i', '}');
  lines.push('UNITS {', '  (mA) = (milliamp)', '  (mV) = (millivolt)', '}');
  lines.push('PARAMETER {');
  for (const q of params) lines.push(`  ${ident(q.name)} = ${lit(p[cm.symbols.index.get(q.name)!.index])}`);
  lines.push('}');
  lines.push('ASSIGNED {', '  v (mV)', '  i (mA/cm2)');
  for (const a of assignedOrder) lines.push(`  ${ident(a)}`);
  lines.push('}');
  lines.push('STATE {');
  for (const s of states) lines.push(`  ${ident(s.name)}`);
  lines.push('}');
  lines.push('BREAKPOINT {', '  SOLVE states METHOD derivimplicit', '  rates()', `  i = 1e-3 * ${name(cur)}`, '}');
  lines.push('INITIAL {');
  for (const s of states) lines.push(`  ${ident(s.name)} = ${lit(y0[cm.symbols.index.get(s.name)!.index])}`);
  lines.push('  rates()', '}');
  lines.push('DERIVATIVE states {', '  rates()');
  for (const s of states) lines.push(wrap(`  ${ident(s.name)}' = ${emit(s.rate, name)}`));
  lines.push('}');
  lines.push('PROCEDURE rates() {');
  for (const a of assignedOrder) lines.push(wrap(`  ${ident(a)} = ${emit(assignedExpr.get(a)!, name)}`));
  lines.push('}');
  lines.push(HELPERS);
  return lines.join('\n') + '\n';
}
