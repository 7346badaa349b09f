/**
 * The slow arm to CREB: Ras → ERK → nuclear RSK (Wu, Deisseroth & Tsien 2001: the CaMK arm
 * dominates in the first 10 min of a sustained depolarisation, the MAPK arm at 60 min, and Ca²⁺
 * signals that differ by only a minute change pCREB 20–60 min later).
 *
 * Three activation stages, each `dX/dt = k_on·input·(1 − X) − k_off·X`: Ras-GTP driven by the
 * active CaMKII at the L-type channel complex (`sig.camkii.beta_near`; assumption: CaMKII
 * relieves Ras from SynGAP inhibition, Chen et al. 1998, recalled, and L-type channel-associated
 * CaM signals to MAPK, Dolmetsch et al. 2001, recalled — so the arm starts at the channel and
 * needs the tethered kinase), doubly phosphorylated ERK driven by Ras (through MEK; `mek` = 0 models a MEK
 * inhibitor such as PD98059/U0126), and active nuclear RSK driven by ERK. ERK needs two
 * phosphorylations by MEK, so its activation goes with the square of Ras activity (the
 * distributive dual phosphorylation that makes the cascade ultrasensitive, Huang & Ferrell
 * 1996, recalled): a brief Ca²⁺ signal hardly starts the arm, minutes of Ca²⁺ do. The stages get slower
 * along the chain and RSK deactivates over tens of minutes, so the arm integrates the first
 * minutes of Ca²⁺ and remembers them for an hour.
 *
 * Reads the drive named by the caller (`sig.camkii.beta_near`). Exposes `sig.mapk.{ras, erk, rsk}`.
 */
import type { ModelBuilder } from '../../model/builder.js';
import { type Overrides, type ParamTable, NONNEG, assume, declareParams } from '../params.js';
import { perTau } from './units.js';

const WU = 'chosen so the MAPK arm rises over ≈10–30 min and persists for an hour (Wu et al. 2001 PNAS 98:2808, qualitative time course); no rate constants found';

export const MAPK_PARAMS: ParamTable = {
  mek: assume(1, 'dimensionless', 'MEK activity relative to control (0 = MEK inhibitor, the MAPK-arm knock-out)', { bounds: [0, Infinity] }),
  k_ras: assume(perTau(30), '1/ms', `Ras activation at full CaMKII activity next to the channel (τ 30 s); ${WU}`, { bounds: NONNEG }),
  k_ras_off: assume(perTau(120), '1/ms', `Ras-GTP hydrolysis (τ 2 min); ${WU}`, { bounds: NONNEG }),
  k_erk: assume(perTau(180), '1/ms', `ERK phosphorylation by fully active Ras/MEK (τ 3 min); ${WU}`, { bounds: NONNEG }),
  k_erk_off: assume(perTau(900), '1/ms', `ERK dephosphorylation (τ 15 min); ${WU}`, { bounds: NONNEG }),
  k_rsk: assume(perTau(600), '1/ms', `RSK activation and nuclear entry driven by fully active ERK (τ 10 min); ${WU}`, { bounds: NONNEG }),
  k_rsk_off: assume(perTau(2400), '1/ms', `nuclear RSK inactivation (τ 40 min); ${WU}`, { bounds: NONNEG }),
};

/** Declares `<ns>` = `sig.mapk`. */
export function mapkArm(b: ModelBuilder, ns: string, drive: string, overrides?: Overrides, used?: Set<string>): void {
  const c = b.component(ns);
  declareParams(c, MAPK_PARAMS, overrides, used);
  c.state('ras', { initial: 0, rate: `k_ras*${drive}*(1 - ras) - k_ras_off*ras`, unit: 'dimensionless', description: 'active (GTP-bound) fraction of Ras' });
  c.state('erk', { initial: 0, rate: 'k_erk*mek*ras*ras*(1 - erk) - k_erk_off*erk', unit: 'dimensionless', description: 'doubly phosphorylated fraction of ERK' });
  c.state('rsk', { initial: 0, rate: 'k_rsk*erk*(1 - rsk) - k_rsk_off*rsk', unit: 'dimensionless', description: 'active nuclear fraction of RSK' });
}
