/**
 * The nuclear kinases and CREB Ser133.
 *
 * CaMKK → CaMKIV (Ma et al. 2014: nuclear Ca²⁺/CaM activates CaMKK and its substrate CaMKIV,
 * the CREB kinase). Both kinases need Ca²⁺/CaM, so T196 phosphorylation of CaMKIV runs at
 * k_act·κ² with κ = CaCaM/(CaCaM + Kd) the Ca²⁺/CaM occupancy of each; phospho-CaMKIV (`IVp`)
 * is the active CREB kinase and is dephosphorylated by PP2A.
 *
 * CREB Ser133 (`pS133`, fraction of CREB phosphorylated) is phosphorylated by phospho-CaMKIV
 * (the fast CaMK arm) and by nuclear RSK (the slow MAPK arm, Wu et al. 2001), and
 * dephosphorylated by nuclear PP1 under CaN control (Bito et al. 1996).
 *
 * Reads `sig.nuc.CaCaM`, `sig.mapk.rsk`, `sig.pp1.act`. Exposes `sig.camk4.IVp`,
 * `sig.creb.pS133`.
 */
import type { ModelBuilder } from '../../model/builder.js';
import { type Overrides, type ParamTable, NONNEG, POSITIVE, assume, declareParams } from '../params.js';
import { perTau } from './units.js';

export const CAMK4_PARAMS: ParamTable = {
  total: assume(1, 'dimensionless', 'CaMKIV relative to control (0 = knock-out or CaMK inhibitor)', { bounds: [0, Infinity] }),
  kd_cam: assume(0.1, 'uM', 'the Ca₄-CaM dissociation constant of CaMKII, koff/kon = 1.5 s⁻¹ / 15 µM⁻¹s⁻¹ (Pepke/Chang rate table), taken for CaMKK and CaMKIV, whose constants were not found', { bounds: POSITIVE }),
  k_act: assume(perTau(20), '1/ms', 'T196 phosphorylation of CaMKIV by fully Ca²⁺/CaM-bound CaMKK (τ 20 s): graded, not switch-like, activation; no rate found', { bounds: NONNEG }),
  k_pp2a: assume(perTau(60), '1/ms', 'PP2A dephosphorylation of CaMKIV (τ 1 min), so CaMKIV activity outlasts nuclear Ca²⁺ briefly; no rate found', { bounds: NONNEG }),
};

export const CREB_PARAMS: ParamTable = {
  k_iv: assume(perTau(30), '1/ms', 'CREB S133 phosphorylation by fully active CaMKIV: pCREB rises within tens of seconds of depolarisation (Deisseroth et al. 1996; Ma et al. 2014, qualitative)', { bounds: NONNEG }),
  k_rsk: assume(perTau(30), '1/ms', 'CREB S133 phosphorylation by fully active nuclear RSK, of the same order as by CaMKIV; no rate found', { bounds: NONNEG }),
  k_basal: assume(perTau(3000), '1/ms', 'basal S133 kinase activity: about 10 % of CREB phosphorylated at rest; no value found', { bounds: NONNEG }),
  k_pp1: assume(perTau(60), '1/ms', 'S133 dephosphorylation by fully active nuclear PP1 (τ 1 min): pCREB falls within minutes after a brief stimulus (Bito et al. 1996, qualitative)', { bounds: NONNEG }),
};

/** Declares `<camk4Ns>` and `<crebNs>` (see module comment). */
export function crebPathway(
  b: ModelBuilder, camk4Ns: string, crebNs: string,
  refs: { nuc: string; mapk: string; pp1: string },
  overrides?: Overrides, used?: Set<string>,
): void {
  const k = b.component(camk4Ns);
  declareParams(k, CAMK4_PARAMS, overrides, used);
  k.assigned('occ', `${refs.nuc}.CaCaM/(${refs.nuc}.CaCaM + kd_cam)`, { unit: 'dimensionless', description: 'Ca²⁺/CaM occupancy of CaMKK and of CaMKIV' });
  k.state('IVp', {
    initial: 0, rate: 'k_act*occ*occ*(total - IVp) - k_pp2a*IVp',
    unit: 'dimensionless', description: 'T196-phosphorylated (active) CaMKIV, relative to the control amount',
  });
  const c = b.component(crebNs);
  declareParams(c, CREB_PARAMS, overrides, used);
  c.assigned('kin', `k_iv*${camk4Ns}.IVp + k_rsk*${refs.mapk}.rsk + k_basal`, { unit: '1/ms', description: 'S133 kinase activity' });
  c.assigned('kin_camk', `k_iv*${camk4Ns}.IVp`, { unit: '1/ms', description: 'S133 kinase activity of the CaMK arm' });
  c.assigned('kin_mapk', `k_rsk*${refs.mapk}.rsk`, { unit: '1/ms', description: 'S133 kinase activity of the MAPK arm' });
  c.state('pS133', {
    initial: `k_basal/(k_basal + k_pp1*${refs.pp1}.min)`,
    rate: `kin*(1 - pS133) - k_pp1*${refs.pp1}.act*pS133`,
    unit: 'dimensionless', description: 'fraction of CREB phosphorylated at Ser133',
  });
}
