/**
 * Kinetic (Markov) channel schemes as data. A scheme lists states (each with its functional
 * class: resting, open or inactivated, and how much it conducts) and transitions with rate
 * formulas. {@link addScheme} turns it into one ODE per state in a component; the open
 * probability is the conductance-weighted sum of the states.
 *
 * Why data: the drug-binding layer attaches a drug to channel states. It receives the scheme,
 * adds a drug-bound copy of each state with binding/unbinding transitions whose affinities
 * depend on the state's class (modulated-receptor model), and hands the new scheme back through
 * the `scheme` option of the channel constructors. Nothing in the channel code changes.
 */
import type { ComponentBuilder } from '../model/builder.js';
import { BiologyError } from './errors.js';

export type StateClass = 'resting' | 'open' | 'inactivated';

export interface MarkovState {
  /** Short name inside the channel component (`C0`, `O`, `O_v`). */
  readonly name: string;
  readonly kind: StateClass;
  /** Fraction of the unitary permeability this state carries (1 for a fully open pore, 0 closed). */
  readonly conductance: number;
  /** Initial occupancy formula (in the channel component's scope). */
  readonly initial: string;
  /** Optional tags, e.g. `{ drug: 'nimodipine' }` for drug-bound copies, `{ inactivation: 'calcium' }`. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Activation coordinate: how many activation steps (each with the Boltzmann slope
   * {@link MarkovScheme.activationSlope}) separate this state from the deepest closed state
   * (0 for C0, 1 for C1, 2 for O in the m² scheme). A drug that shifts activation by ΔV changes
   * the state's equilibrium weight by exp(−activation·ΔV/slope) (used for DHP agonists).
   */
  readonly activation?: number;
}

export interface MarkovTransition {
  readonly from: string;
  readonly to: string;
  /** Rate constant formula, 1/ms (in the channel component's scope). */
  readonly rate: string;
}

export interface MarkovScheme {
  readonly states: readonly MarkovState[];
  readonly transitions: readonly MarkovTransition[];
  /** Boltzmann slope (mV, formula in the channel's scope) of one activation step; see {@link MarkovState.activation}. */
  readonly activationSlope?: string;
}

/** Checks names, classes and that every transition joins two declared states. */
export function checkScheme(s: MarkovScheme, where: string): void {
  const names = new Set<string>();
  for (const st of s.states) {
    if (names.has(st.name)) throw new BiologyError(`state '${st.name}' is declared twice`, where);
    names.add(st.name);
    if (!(st.conductance >= 0 && st.conductance <= 1)) throw new BiologyError(`state '${st.name}' has conductance ${st.conductance}, outside [0, 1]`, where);
  }
  for (const t of s.transitions) {
    if (!names.has(t.from) || !names.has(t.to)) throw new BiologyError(`transition ${t.from} → ${t.to} names an undeclared state`, where);
    if (t.from === t.to) throw new BiologyError(`transition ${t.from} → ${t.to} is a self-loop`, where);
  }
  if (!s.states.some((st) => st.conductance > 0)) throw new BiologyError('the scheme has no conducting state', where);
}

/**
 * Declares the scheme's states in `c`, the assigned quantity `Po` (conductance-weighted open
 * probability) and `P_<class>` (occupancy of each class: `P_resting`, `P_open`,
 * `P_inactivated`). Rates are written as flux sums so probability is conserved exactly by the
 * right-hand side.
 */
export function addScheme(c: ComponentBuilder, s: MarkovScheme): void {
  checkScheme(s, c.ns);
  const inflow = new Map<string, string[]>();
  const outflow = new Map<string, string[]>();
  for (const st of s.states) {
    inflow.set(st.name, []);
    outflow.set(st.name, []);
  }
  for (const t of s.transitions) {
    const flux = `(${t.rate})*${t.from}`;
    outflow.get(t.from)!.push(flux);
    inflow.get(t.to)!.push(flux);
  }
  for (const st of s.states) {
    const ins = inflow.get(st.name)!;
    const outs = outflow.get(st.name)!;
    const rate = [ins.join(' + ') || '0', ...outs.map((o) => `- ${o}`)].join(' ');
    c.state(st.name, { initial: st.initial, rate, unit: 'dimensionless', description: `occupancy of ${st.kind} state ${st.name}` });
  }
  const cond = s.states.filter((st) => st.conductance > 0).map((st) => (st.conductance === 1 ? st.name : `${st.conductance}*${st.name}`));
  c.assigned('Po', cond.join(' + '), { unit: 'dimensionless', description: 'open probability (conductance-weighted)' });
  for (const k of ['resting', 'open', 'inactivated'] as const) {
    const members = s.states.filter((st) => st.kind === k).map((st) => st.name);
    c.assigned(`P_${k}`, members.length ? members.join(' + ') : '0', { unit: 'dimensionless', description: `occupancy of ${k} states` });
  }
}

/**
 * The gated scheme used for Cav1.2 and Cav1.3: two identical activation gates (C0 ⇄ C1 ⇄ O,
 * rates 2α, α forward and β, 2β back), and two independent inactivation processes, voltage-
 * dependent (suffix `_v`) and Ca²⁺/calmodulin-dependent (suffix `_c`), each reachable from every
 * activation state (12 states). With independent gates the occupancies factor into m²·h·f of
 * Hodgkin–Huxley form, so Boltzmann parameters keep their meaning and the initial state has a
 * closed form; as a Markov scheme it lets drugs bind resting, open and inactivated states.
 *
 * Formulas are in the channel component's scope: `alpha`, `beta` (activation), `kv_on`,
 * `kv_off` (voltage-dependent inactivation), `kc_on`, `kc_off` (Ca²⁺-dependent), and the
 * steady states `minf`, `hinf`, `finf` for the initial occupancy.
 */
export function gatedCavScheme(): MarkovScheme {
  const act = ['C0', 'C1', 'O'];
  const actInit = ['(1 - minf)^2', '2*minf*(1 - minf)', 'minf^2'];
  const states: MarkovState[] = [];
  const transitions: MarkovTransition[] = [];
  for (const v of ['', '_v']) {
    for (const cdi of ['', '_c']) {
      const suffix = v && cdi ? '_vc' : v || cdi;
      const hInit = v ? '(1 - hinf)' : 'hinf';
      const fInit = cdi ? '(1 - finf)' : 'finf';
      act.forEach((a, i) => {
        const inact = v !== '' || cdi !== '';
        states.push({
          name: `${a}${suffix}`,
          kind: inact ? 'inactivated' : a === 'O' ? 'open' : 'resting',
          conductance: !inact && a === 'O' ? 1 : 0,
          initial: `${actInit[i]}*${hInit}*${fInit}`,
          activation: i,
          ...(inact ? { tags: { inactivation: v && cdi ? 'voltage+calcium' : v ? 'voltage' : 'calcium' } } : {}),
        });
      });
      // activation within this inactivation layer
      transitions.push(
        { from: `C0${suffix}`, to: `C1${suffix}`, rate: '2*alpha' },
        { from: `C1${suffix}`, to: `O${suffix}`, rate: 'alpha' },
        { from: `O${suffix}`, to: `C1${suffix}`, rate: '2*beta' },
        { from: `C1${suffix}`, to: `C0${suffix}`, rate: 'beta' },
      );
    }
  }
  const sfx = (v: boolean, c: boolean): string => (v && c ? '_vc' : v ? '_v' : c ? '_c' : '');
  for (const a of act) {
    for (const c of [false, true]) {
      transitions.push({ from: `${a}${sfx(false, c)}`, to: `${a}${sfx(true, c)}`, rate: 'kv_on' });
      transitions.push({ from: `${a}${sfx(true, c)}`, to: `${a}${sfx(false, c)}`, rate: 'kv_off' });
    }
    for (const v of [false, true]) {
      transitions.push({ from: `${a}${sfx(v, false)}`, to: `${a}${sfx(v, true)}`, rate: 'kc_on' });
      transitions.push({ from: `${a}${sfx(v, true)}`, to: `${a}${sfx(v, false)}`, rate: 'kc_off' });
    }
  }
  // alpha/beta = minf/(1 − minf) = exp((V − V½)/mslope): each activation step has slope mslope.
  return { states, transitions, activationSlope: 'mslope' };
}
