/**
 * Transcription read-outs: c-fos and BDNF mRNA driven by pCREB.
 *
 * Drive = H(pS133)·coact, with H a Hill function of the pCREB fraction (CRE occupancy by
 * phospho-CREB) and coact the co-activator: CBP activity, a basal part plus a part switched on
 * by nuclear Ca²⁺/CaMKIV (Chawla et al. 1998 Science 281:1505, recalled: CBP is a nuclear
 * Ca²⁺/CaMKIV target; phospho-CREB alone is not sufficient). This is as simple as the sources
 * allow.
 *
 * Delay: a chain of `stages` linear compartments with mean transit time `delay` (elongation,
 * processing, export), then mature mRNA decaying with `half_life`. Units are relative: the
 * input rate is k_deg·drive, so mRNA at steady state equals the drive; read-outs report fold
 * change over the resting level.
 *
 * Reads `sig.creb.pS133`, `sig.camk4.IVp`. Exposes `sig.<gene>.mRNA`, `sig.<gene>.drive`.
 */
import type { ModelBuilder } from '../../model/builder.js';
import { type Overrides, type ParamTable, POSITIVE, assume, declareParams } from '../params.js';
import { minutes } from './units.js';
import { BiologyError } from '../errors.js';

/** Parameter tables by gene. */
export const TRANSCRIPTION_PARAMS: Readonly<Record<'cfos' | 'bdnf', ParamTable>> = {
  cfos: {
    delay: assume(minutes(5), 'ms', 'mean time from CRE occupancy to mature cytoplasmic c-fos mRNA (immediate-early gene: transcript within minutes); c-fos transcription kinetics were not found', { bounds: POSITIVE }),
    half_life: assume(minutes(15), 'ms', 'c-fos mRNA is short-lived (≈10–15 min, recalled); not in the shared literature', { bounds: POSITIVE }),
    K_creb: assume(0.4, 'dimensionless', 'pCREB fraction giving half-maximal CRE occupancy', { bounds: POSITIVE }),
    n_creb: assume(2, 'dimensionless', 'c-fos promoter has several CRE-like elements: cooperative occupancy', { bounds: POSITIVE }),
    cbp0: assume(0.1, 'dimensionless', 'co-activator activity without nuclear Ca²⁺/CaMKIV signalling (fraction of maximal): phospho-CREB alone activates little (Chawla et al. 1998, recalled)', { bounds: [0, 1] }),
  },
  bdnf: {
    delay: assume(minutes(45), 'ms', 'BDNF promoter IV transcripts are longer and appear later than c-fos (secondary-response kinetics); not found', { bounds: POSITIVE }),
    half_life: assume(minutes(120), 'ms', 'BDNF mRNA is more stable than immediate-early mRNAs; not found', { bounds: POSITIVE }),
    K_creb: assume(0.4, 'dimensionless', 'as c-fos', { bounds: POSITIVE }),
    n_creb: assume(1, 'dimensionless', 'one CRE in BDNF promoter IV (CaRE3/CRE), recalled', { bounds: POSITIVE }),
    cbp0: assume(0.3, 'dimensionless', 'as c-fos', { bounds: [0, 1] }),
  },
};

/** Declares `<ns>` for one gene with `stages` delay compartments (≥ 1). */
export function transcription(
  b: ModelBuilder, ns: string, gene: 'cfos' | 'bdnf', stages: number,
  refs: { creb: string; camk4: string },
  overrides?: Overrides, used?: Set<string>,
): void {
  if (!Number.isInteger(stages) || stages < 1 || stages > 20) throw new BiologyError(`must be an integer in [1, 20], got ${String(stages)}`, `${ns}.stages`);
  const table = TRANSCRIPTION_PARAMS[gene];
  const c = b.component(ns);
  declareParams(c, table, overrides, used);
  c.assigned('k_deg', '0.6931471805599453/half_life', { unit: '1/ms' });
  c.assigned('k_tr', `${stages}/delay`, { unit: '1/ms', description: 'transit rate through one delay stage' });
  c.assigned('coact', `cbp0 + (1 - cbp0)*min(1, ${refs.camk4}.IVp)`, { unit: 'dimensionless', description: 'co-activator (CBP) activity' });
  c.assigned('drive', `${refs.creb}.pS133^n_creb/(${refs.creb}.pS133^n_creb + K_creb^n_creb)*coact`, { unit: 'dimensionless', description: 'transcription drive' });
  for (let k = 1; k <= stages; k++) {
    const inflow = k === 1 ? 'k_deg*drive' : `k_tr*s${k - 1}`;
    c.state(`s${k}`, { initial: 'drive*k_deg/k_tr', rate: `${inflow} - k_tr*s${k}`, unit: 'dimensionless', description: `transcript in delay stage ${k}` });
  }
  c.state('mRNA', { initial: 'drive', rate: `k_tr*s${stages} - k_deg*mRNA`, unit: 'dimensionless', description: `mature ${gene} mRNA (relative units)` });
}
