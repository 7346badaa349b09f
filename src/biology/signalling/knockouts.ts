/**
 * Knock-outs, mutants and inhibitors of the signalling, as data: each sets parameters of the
 * compiled model (so a knock-out recompiles nothing). Parameter paths are relative to the
 * signalling namespace (`camkii.w_tether` ↦ `sig.camkii.w_tether`).
 */
import type { CompiledModel } from '../../compile/compiled.js';
import { BiologyError } from '../errors.js';

export interface Knockout {
  readonly description: string;
  /** Experimental counterpart and source. */
  readonly source: string;
  /** Parameter values to set, by path relative to the signalling namespace. */
  readonly set: Readonly<Record<string, number>>;
}

/** The knock-outs and mutants the signalling supports. */
export const SIGNALLING_KNOCKOUTS = {
  gammaCaMKII: {
    description: 'no γCaMKII (the Ca²⁺/CaM carrier)',
    source: 'Ma et al. 2014 Cell 159:281: γCaMKII knock-down abolishes fast LTCC-driven pCREB',
    set: { 'gamma.total': 0 },
  },
  gammaT287A: {
    description: 'βCaMKII cannot phosphorylate γCaMKII Thr287 (T287A)',
    source: 'Ma et al. 2014: T287 phosphorylation by βCaMKII protects the Ca²⁺/CaM signal',
    set: { 'gamma.kphos': 0 },
  },
  calcineurin: {
    description: 'no calcineurin (knock-down or FK506/cyclosporin A)',
    source: 'Ma et al. 2014 (CaN triggers γCaMKII import); Bito et al. 1996 (CaN controls nuclear PP1)',
    set: { 'can.total': 0 },
  },
  camk4: {
    description: 'no CaMKIV activity: the CaMK arm to CREB removed',
    source: 'Wu et al. 2001 PNAS 98:2808 (CaMK inhibition); Ma et al. 2014 (CaMKK/CaMKIV)',
    set: { 'camk4.total': 0 },
  },
  mapk: {
    description: 'MEK inhibited: the Ras/MAPK arm to CREB removed',
    source: 'Wu et al. 2001 (MEK inhibitor)',
    set: { 'mapk.mek': 0 },
  },
  shank3: {
    description: 'no Shank3: CaMKII is not tethered at the L-type channel',
    source: 'Perfitt et al. 2020 J Neurosci (Shank3 shRNA)',
    set: { 'camkii.tether': 0 },
  },
  shank3RRK: {
    description: 'Shank3 R949RK951→AAA: Shank3 cannot bind CaMKII',
    source: 'Perfitt et al. 2020 (RRK→AAA abolishes CaMKII binding)',
    set: { 'camkii.tether': 0 },
  },
  ltccShank3: {
    description: 'Shank3 cannot bind the L-type channel: tethered CaMKII is not at the channel',
    source: 'Perfitt et al. 2020 (Shank3 binding to both CaMKII and LTCC is needed)',
    set: { 'camkii.tether': 0 },
  },
} as const satisfies Record<string, Knockout>;

export type KnockoutId = keyof typeof SIGNALLING_KNOCKOUTS;

/** Every knock-out id. */
export const KNOCKOUT_IDS = Object.keys(SIGNALLING_KNOCKOUTS) as KnockoutId[];

/** Checks a list of knock-out ids; unknown ids are an error naming the field and the valid ids. */
export function checkKnockouts(ids: readonly string[], field = 'knockouts'): KnockoutId[] {
  if (!Array.isArray(ids)) throw new BiologyError('must be a list of knock-out ids', field);
  return ids.map((id, i) => {
    if (typeof id !== 'string' || !Object.prototype.hasOwnProperty.call(SIGNALLING_KNOCKOUTS, id)) {
      throw new BiologyError(`unknown knock-out '${String(id)}' (known: ${KNOCKOUT_IDS.join(', ')})`, `${field}[${i}]`);
    }
    return id as KnockoutId;
  });
}

/**
 * Sets the parameters of `ids` in `p` (a copy of `cm.p0` or a modified one) for a model whose
 * signalling lives in namespace `ns`. Throws when the model lacks a parameter the knock-out needs.
 */
export function applyKnockouts(cm: CompiledModel, p: Float64Array, ids: readonly string[], ns = 'sig'): Float64Array {
  for (const id of checkKnockouts(ids)) {
    for (const [rel, v] of Object.entries(SIGNALLING_KNOCKOUTS[id].set)) {
      const path = `${ns}.${rel}`;
      const r = cm.symbols.index.get(path);
      if (!r || r.kind !== 'parameter') throw new BiologyError(`knock-out '${id}' needs parameter '${path}', which this model does not have`, 'knockouts');
      p[r.index] = v;
    }
  }
  return p;
}
