/**
 * The γCaMKII shuttle that carries Ca²⁺/CaM from the surface membrane to the nucleus
 * (Ma et al. 2014 Cell 159:281):
 * 1. at the L-type channel complex, βCaMKII phosphorylates Ca²⁺/CaM-bound γCaMKII at Thr287,
 *    which traps ("protects") its Ca²⁺/CaM: rate kphos·lam·beta_near·γ_free, where `lam` is
 *    the Ca²⁺/CaM load of the complex and `beta_near` the active βCaMKII there;
 * 2. calcineurin next to the channel triggers nuclear import of the phosphorylated carrier;
 * 3. in the nucleus γCaMKII releases its Ca²⁺/CaM onto CaMKK/CaMKIV (`nuc.CaMc`, active until
 *    it dissociates and leaves the nucleus); the empty carrier returns to the cytosol at once.
 *    γCaMKII acts as a carrier, not as a kinase.
 * Nuclear Ca²⁺/CaM = carried Ca²⁺/CaM + the scarce resting nuclear CaM loaded at nuclear Ca²⁺.
 * The carrier is dephosphorylated in the cytosol (T287, by PP1) if it is not imported.
 *
 * Amounts of γCaMKII are µM of cytosolic volume; nuclear concentrations are vol_ratio times
 * larger per amount moved.
 *
 * Reads `sig.camkii.lam`, `sig.camkii.beta_near`, `sig.can.local`, `sig.cam.g4_nuc`.
 * Exposes `sig.gamma.{gP, gN, nuclear}` and the nuclear CaM `sig.nuc.{CaM, CaMc, CaCaM}`.
 */
import type { ModelBuilder } from '../../model/builder.js';
import { type Overrides, type ParamTable, NONNEG, POSITIVE, assume, declareParams } from '../params.js';
import { perS, perTau } from './units.js';

export const GAMMA_PARAMS: ParamTable = {
  total: assume(0.1, 'uM', 'γCaMKII per cytosolic volume: a minor isoform next to α/β (its neuronal concentration was not found). 0 = γCaMKII knock-down (Ma et al. 2014)', { bounds: NONNEG }),
  kphos: assume(perS(0.3), '1/ms', 'T287 phosphorylation of γCaMKII by fully active βCaMKII at the complex, 0.3 s⁻¹: a reaction between holoenzymes, slower than T286 autophosphorylation within a holoenzyme (5 s⁻¹, Chang et al. 2019 lineage); no rate found. 0 = T287A mutant / no β phosphorylation', { bounds: NONNEG }),
  kdeph: assume(perTau(6), '1/ms', 'T287 dephosphorylation of γCaMKII taken as T286 dephosphorylation of CaMKII by PP1 (1/6 s⁻¹, Chang et al. 2019 lineage); no γ-specific rate found', { bounds: NONNEG }),
  k_imp: assume(perTau(10), '1/ms', 'nuclear import of phospho-γCaMKII at full CaN activity within ≈10 s; Ma et al. 2014 show import within the first minute of depolarisation without a rate retrievable here', { bounds: NONNEG }),
  k_rel: assume(perTau(20), '1/ms', 'release of the carried CaM in the nucleus, after which the carrier returns to the cytosol (τ 20 s); no rate found', { bounds: NONNEG }),
  vol_ratio: assume(4, 'dimensionless', 'cytosolic/nuclear volume, as the CA1 cell of the biology layer (d_cyt/d_nuc = 3.2/0.8)', { bounds: POSITIVE }),
};

export const NUCLEAR_CAM_PARAMS: ParamTable = {
  cam0: assume(0.01, 'uM', 'resting nuclear CaM is scarce, so its delivery limits nuclear CaMK signalling (Deisseroth et al. 1998 Nature 392:198, recalled; Ma et al. 2014). Value not found', { bounds: NONNEG }),
  k_dis: assume(perTau(30), '1/ms', 'carried Ca²⁺/CaM stays active on CaMKK/CaMKIV for tens of seconds (τ 30 s) before it dissociates and leaves the nucleus: target binding raises the Ca²⁺ affinity of CaM (>100-fold for a calcineurin peptide, Stemmer & Klee 1994), so it does not follow nuclear Ca²⁺ at once; no rate found', { bounds: NONNEG }),
};

/** Declares `<gammaNs>` and `<nucNs>` (see module comment). */
export function gammaShuttle(
  b: ModelBuilder, gammaNs: string, nucNs: string,
  refs: { camkii: string; can: string; cam: string },
  overrides?: Overrides, used?: Set<string>,
): void {
  const g = b.component(gammaNs);
  declareParams(g, GAMMA_PARAMS, overrides, used);
  g.assigned('free', 'max(0, total - gP - gN)', { unit: 'uM', description: 'unphosphorylated γCaMKII in the cytosol' });
  g.assigned('J_phos', `kphos*${refs.camkii}.lam*${refs.camkii}.beta_near*free`, { unit: 'uM/ms', description: 'T287 phosphorylation of Ca²⁺/CaM-bound γCaMKII by βCaMKII' });
  g.assigned('J_imp', `k_imp*${refs.can}.local*gP`, { unit: 'uM/ms', description: 'CaN-triggered nuclear import' });
  g.state('gP', {
    initial: 0, rate: 'J_phos - kdeph*gP - J_imp',
    unit: 'uM', description: 'cytosolic γCaMKII phosphorylated at T287, carrying trapped Ca²⁺/CaM',
  });
  g.state('gN', {
    initial: 0, rate: 'J_imp - k_rel*gN',
    unit: 'uM', description: 'nuclear γCaMKII still carrying CaM (per cytosolic volume)',
  });
  g.assigned('nuclear', 'vol_ratio*gN', { unit: 'uM', description: 'nuclear γCaMKII concentration' });
  const n = b.component(nucNs);
  declareParams(n, NUCLEAR_CAM_PARAMS, overrides, used);
  n.assigned('J_del', `${gammaNs}.vol_ratio*${gammaNs}.k_rel*${gammaNs}.gN`, { unit: 'uM/ms', description: 'Ca²⁺/CaM delivered into the nucleus' });
  n.state('CaMc', {
    initial: 0,
    rate: 'J_del - k_dis*CaMc',
    unit: 'uM', description: 'carried Ca²⁺/CaM in the nucleus, active on CaMKK/CaMKIV until it dissociates and leaves',
  });
  n.assigned('CaM', 'cam0 + CaMc', { unit: 'uM', description: 'nuclear calmodulin' });
  n.assigned('CaCaM', `CaMc + cam0*${refs.cam}.g4_nuc`, { unit: 'uM', description: 'nuclear Ca²⁺/CaM available to CaMKK and CaMKIV' });
}
