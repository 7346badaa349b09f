/**
 * The modulated-receptor model (Hille 1977; Hondeghem & Katzung 1977; for DHPs Bean 1984): a
 * drug binds every state of the channel's kinetic scheme, with a dissociation constant that
 * depends on the state. {@link modulatedReceptor} takes a channel scheme (states and
 * transitions, see `biology/markov.ts`) and returns the scheme with a drug-bound copy of each
 * state per ligand:
 *
 * - binding  s → s·L at kon·[L], unbinding s·L → s at koff(s) = kon·Kd(s); one site, so
 *   enantiomers and different compounds compete (a bound channel binds nothing else);
 * - Kd(s) by the state's class: resting, open, voltage-inactivated, or Ca²⁺-inactivated only
 *   (tag `inactivation: 'calcium'`);
 * - bound copies keep the gating transitions, with each rate i→j multiplied by √(Kd_i/Kd_j).
 *   Around every cycle s_i → s_j → s_j·L → s_i·L → s_i the product of equilibrium constants is
 *   then unchanged, so the scheme keeps detailed balance (the drug cannot drive a cycle) and a
 *   drug that binds inactivated states tighter stabilises inactivation, which is how the
 *   voltage dependence of potency emerges. The square root splits the free-energy change
 *   equally between forward and backward rates (an assumption: the split is not measured);
 * - antagonist-bound states do not conduct; agonist-bound states conduct as their unbound
 *   state, and their activation is shifted by ΔV: a state `activation` steps up the activation
 *   path gets Kd(s) = Kd_class·exp(activation·ΔV/slope), which multiplies each activation step's
 *   equilibrium constant by exp(−ΔV/slope) — for Boltzmann gates exactly a shift of m∞ by ΔV.
 *
 * Drug parameters are declared in the channel component (`drug_<ligand>_C`, `_kon`, `_KdR`,
 * `_KdO`, `_KdI`, `_KdCa`, `_dV`), so one compiled model serves every concentration.
 *
 * Initial values are the binding equilibrium: if the unbound scheme starts at its stationary
 * distribution u (as the gated Cav scheme does), the full scheme's equilibrium is
 * π(s) = u(s)/Z, π(s·L) = u(s)·[L]/Kd_L(s)/Z with Z = Σ_s u(s)·(1 + Σ_L [L]/Kd_L(s)). A
 * simulation thus starts with the drug already equilibrated at the starting voltage: DHP binding
 * takes minutes, which would otherwise have to be simulated.
 */
import type { MarkovScheme, MarkovState, MarkovTransition } from '../biology/markov.js';
import type { ParamSpec, ParamTable } from '../biology/params.js';
import type { Isoform } from './compound-schema.js';
import type { Ligand, LigandDose, Provenance } from './library.js';
import { PharmacologyError } from './quantity.js';

/** The state classes whose affinities compound records give. */
export type AffinityClass = 'resting' | 'open' | 'inactivated' | 'caInactivated';

/** Parameter-name stem of a ligand in the channel component (`mem1003-plus` → `drug_mem1003_plus`). */
export const ligandKey = (id: string): string => `drug_${id.replace(/[^A-Za-z0-9]/g, '_')}`;

/** The concentration parameter of a ligand in a channel component, e.g. `cav12.drug_nimodipine_C`. */
export const concentrationParam = (channel: string, ligandId: string): string => `${channel}.${ligandKey(ligandId)}_C`;

const PARAM_OF: Readonly<Record<AffinityClass, string>> = { resting: 'KdR', open: 'KdO', inactivated: 'KdI', caInactivated: 'KdCa' };

/** The affinity class of a state: its kind, with Ca²⁺-only inactivation told apart by its tag. */
export function affinityClass(s: MarkovState): AffinityClass {
  if (s.kind === 'inactivated') return s.tags?.inactivation === 'calcium' ? 'caInactivated' : 'inactivated';
  return s.kind;
}

/** What {@link modulatedReceptor} returns: the scheme transform and the parameters it needs. */
export interface BindingHook {
  readonly transform: (s: MarkovScheme) => MarkovScheme;
  readonly params: ParamTable;
}

const spec = (value: number, unit: string, p: Provenance | undefined, description: string, bounds: readonly [number, number]): ParamSpec => ({
  value, unit, description, bounds,
  ...(p?.source !== undefined ? { source: p.source } : { assumption: p?.assumption ?? 'compound record' }),
});

const POS: readonly [number, number] = [Number.MIN_VALUE, Infinity];

/**
 * Drug binding for one channel isoform: the scheme transform and the parameter table to pass
 * to the cell (`CellSpec.schemes[isoform]`). Ligands listed with concentration 0 are still built
 * in, so a concentration–response varies only the `drug_<ligand>_C` parameters.
 * @throws PharmacologyError for a duplicate ligand, a bad concentration, or an agonist on a
 * scheme without activation coordinates.
 */
export function modulatedReceptor(isoform: Isoform, doses: readonly LigandDose[]): BindingHook {
  const seen = new Set<string>();
  doses.forEach((d, k) => {
    if (seen.has(d.ligand.id)) throw new PharmacologyError(`ligand '${d.ligand.id}' listed twice`, `ligands[${k}]`);
    seen.add(d.ligand.id);
    const c = d.concentration_nM;
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) throw new PharmacologyError(`concentration must be a number ≥ 0 (nM), got ${String(c)}`, `ligands[${k}].concentration_nM`);
  });
  const params: Record<string, ParamSpec> = {};
  for (const { ligand: l, concentration_nM } of doses) {
    const key = ligandKey(l.id);
    const kd = l.kd[isoform];
    const pv = (k: string): Provenance | undefined => l.provenance[k];
    params[`${key}_C`] = spec(concentration_nM, 'nM', { assumption: 'free drug concentration at the channel, set by the experiment (or by the PK model)' }, `free concentration of ${l.name}`, [0, Infinity]);
    params[`${key}_kon`] = spec(l.kon, '1/(nM*ms)', pv('kon'), `association rate constant of ${l.name}`, POS);
    params[`${key}_KdR`] = spec(kd.resting, 'nM', pv(`${isoform}.resting`), `Kd of ${l.name} for resting ${isoform}`, POS);
    // An agonist's open-state affinity follows from its activation shift (see module comment).
    params[`${key}_KdO`] = l.action === 'agonist'
      ? spec(kd.resting, 'nM', { assumption: 'agonist: the open state has the resting affinity before the activation factor exp(activation·ΔV/slope)' }, `class Kd of ${l.name} for open ${isoform}`, POS)
      : spec(kd.open!, 'nM', pv(`${isoform}.open`), `Kd of ${l.name} for open ${isoform}`, POS);
    params[`${key}_KdI`] = spec(kd.inactivated, 'nM', pv(`${isoform}.inactivated`), `Kd of ${l.name} for voltage-inactivated ${isoform}`, POS);
    params[`${key}_KdCa`] = spec(kd.caInactivated, 'nM', pv(`${isoform}.caInactivated`), `Kd of ${l.name} for Ca²⁺-inactivated ${isoform}`, POS);
    if (l.action === 'agonist') {
      params[`${key}_dV`] = spec(l.activationShift!, 'mV', pv('activationShift'), `activation shift of ${isoform} bound to ${l.name}`, [-Infinity, Infinity]);
    }
  }
  const ligands = doses.map((d) => d.ligand);
  return { transform: (s) => bindScheme(s, ligands), params };
}

/** Kd formula of ligand `l` for state `s` (in the channel component's scope). */
function kdFormula(l: Ligand, s: MarkovState, scheme: MarkovScheme): string {
  const key = ligandKey(l.id);
  const base = `${key}_${PARAM_OF[affinityClass(s)]}`;
  if (l.action !== 'agonist') return base;
  const a = s.activation ?? 0;
  return a === 0 ? base : `${base}*exp(${a}*${key}_dV/(${scheme.activationSlope}))`;
}

/**
 * Adds the drug-bound copies of every state for each ligand (see the module comment). Exported
 * for tests and for schemes built outside the cell contexts.
 */
export function bindScheme(scheme: MarkovScheme, ligands: readonly Ligand[]): MarkovScheme {
  if (ligands.length === 0) return scheme;
  const agonist = ligands.find((l) => l.action === 'agonist');
  if (agonist && (scheme.activationSlope === undefined || scheme.states.some((s) => s.activation === undefined))) {
    throw new PharmacologyError(
      `the agonist ${agonist.name} shifts activation, but the channel scheme does not give activation coordinates (MarkovState.activation) and a slope (MarkovScheme.activationSlope)`,
      'scheme',
    );
  }
  const byName = new Map(scheme.states.map((s) => [s.name, s]));
  const kd = (l: Ligand, s: MarkovState): string => kdFormula(l, s, scheme);
  // Z = Σ_s u(s)·(1 + Σ_L [L]/Kd_L(s)); every initial value is divided by it.
  const zTerms = scheme.states.map((s) => `(${s.initial})*(1${ligands.map((l) => ` + ${ligandKey(l.id)}_C/(${kd(l, s)})`).join('')})`);
  const Z = `(${zTerms.join(' + ')})`;
  const states: MarkovState[] = scheme.states.map((s) => ({ ...s, initial: `(${s.initial})/${Z}` }));
  const transitions: MarkovTransition[] = [...scheme.transitions];
  for (const l of ligands) {
    const key = ligandKey(l.id);
    const bound = (name: string): string => `${name}_${key.slice('drug_'.length)}`;
    for (const s of scheme.states) {
      const name = bound(s.name);
      if (byName.has(name)) throw new PharmacologyError(`bound state '${name}' collides with an existing state name`, 'scheme');
      states.push({
        name,
        kind: s.kind,
        conductance: l.action === 'antagonist' ? 0 : s.conductance,
        initial: `(${s.initial})*${key}_C/(${kd(l, s)})/${Z}`,
        tags: { ...(s.tags ?? {}), drug: l.id },
        ...(s.activation !== undefined ? { activation: s.activation } : {}),
      });
      transitions.push(
        { from: s.name, to: name, rate: `${key}_kon*${key}_C` },
        { from: name, to: s.name, rate: `${key}_kon*${kd(l, s)}` },
      );
    }
    for (const t of scheme.transitions) {
      const ki = kd(l, byName.get(t.from)!);
      const kj = kd(l, byName.get(t.to)!);
      const rate = ki === kj ? t.rate : `(${t.rate})*sqrt((${ki})/(${kj}))`;
      transitions.push({ from: bound(t.from), to: bound(t.to), rate });
    }
  }
  return { ...scheme, states, transitions };
}
