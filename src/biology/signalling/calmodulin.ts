/**
 * Calmodulin: Ca²⁺ loading of the C- and N-lobes in every place the signalling reads Ca²⁺.
 *
 * Each lobe binds two Ca²⁺ ions in sequence (constants K1, K2 from the Pepke 2010 / Chang 2019
 * rate table); the lobes bind independently, as in Pepke et al. 2010, so the four CaM species
 * (apo, Ca₂C, Ca₂N, Ca₄) are products of lobe occupancies. Ca²⁺ binding is taken at rapid
 * equilibrium — the "fast Ca²⁺ equilibrium" reduction of Chang et al. 2019 — because it is
 * faster than every step downstream (CaM–target association, autophosphorylation, transport),
 * and it removes the stiffest reactions from a model that must run for an hour.
 *
 * Three kinds of CaM are distinguished because target binding changes the Ca²⁺ affinity:
 * - free CaM (`x*_<pool>`): the Ca²⁺-loaded fraction of each lobe of CaM in solution;
 * - target-bound CaM (`xb*_<pool>`, `g4_<pool>`): lobes of CaM bound to CaMKII (Pepke/Chang
 *   "Ca→CaM·CaMKII" constants), also used for the other CaM targets (CaMKK, CaMKIV, CaN, the
 *   Ras activator), whose Ca²⁺ affinities in the bound state were not found;
 * - channel CaM (`iq_<pool>`): CaM bound to the IQ motif of the L-type channel, whose lobes load
 *   only at the tens of µM of an open channel's nanodomain (IQ-peptide constants).
 *
 * Reads: the Ca²⁺ concentrations named in {@link CalmodulinInputs} (µM).
 * Writes nothing; exposes the loading fractions listed above for `<pool>` in
 * `open` (nanodomain of an open L-type channel), `sub` (submembrane), `cyt` (bulk cytosol),
 * `nuc` (nucleus).
 */
import type { ModelBuilder } from '../../model/builder.js';
import { type Overrides, type ParamTable, POSITIVE, NONNEG, declareParams, src } from '../params.js';

const CHANG = 'Pepke et al. 2010 / Chang et al. 2019 rate table as ported in ntumitolab/camkii-cardiomyocyte-model Model/src/camkii_ros.jl';
const IQ = 'Biochemistry 2007;46:13415 (PMC2577580) Table 2';

/** Ca²⁺ dissociation constants of CaM lobes (µM), each koff/kon of the cited rate pair. */
export const CALMODULIN_PARAMS: ParamTable = {
  K1C: src(10, 'uM', `derived: koff/kon = 50 s⁻¹ / 5 µM⁻¹s⁻¹, C-lobe site 1 of free CaM (${CHANG})`, { bounds: POSITIVE }),
  K2C: src(1, 'uM', `derived: 10 s⁻¹ / 10 µM⁻¹s⁻¹, C-lobe site 2 of free CaM (${CHANG})`, { bounds: POSITIVE }),
  K1N: src(20, 'uM', `derived: 2000 s⁻¹ / 100 µM⁻¹s⁻¹, N-lobe site 1 of free CaM (${CHANG})`, { bounds: POSITIVE }),
  K2N: src(2.5, 'uM', `derived: 500 s⁻¹ / 200 µM⁻¹s⁻¹, N-lobe site 2 of free CaM (${CHANG})`, { bounds: POSITIVE }),
  K1Cb: src(0.75, 'uM', `derived: 33 s⁻¹ / 44 µM⁻¹s⁻¹, C-lobe site 1 of CaMKII-bound CaM (${CHANG})`, { bounds: POSITIVE }),
  K2Cb: src(0.0182, 'uM', `derived: 0.8 s⁻¹ / 44 µM⁻¹s⁻¹, C-lobe site 2 of CaMKII-bound CaM (${CHANG})`, { bounds: POSITIVE }),
  K1Nb: src(3.95, 'uM', `derived: 300 s⁻¹ / 76 µM⁻¹s⁻¹, N-lobe site 1 of CaMKII-bound CaM (${CHANG})`, { bounds: POSITIVE }),
  K2Nb: src(0.263, 'uM', `derived: 20 s⁻¹ / 76 µM⁻¹s⁻¹, N-lobe site 2 of CaMKII-bound CaM (${CHANG})`, { bounds: POSITIVE }),
  KC_iq: src(3.66, 'uM', `derived: koff 11.7 s⁻¹ / kon 3.2e6 M⁻¹s⁻¹, C-lobe of CaM bound to the channel IQ construct BSCaMIQ (${IQ})`, { bounds: POSITIVE }),
  KN_iq: src(1.53, 'uM', `derived: koff 473 s⁻¹ of the IQ-bound N-lobe / kon 3.1e8 M⁻¹s⁻¹ of the free N-lobe second site (${IQ}; the IQ-bound N-lobe kon is not given)`, { bounds: POSITIVE }),
  total: src(30, 'uM', `total calmodulin, CAM_T (${CHANG}); free neuronal CaM was not found`, { bounds: NONNEG }),
};

/** Where the calmodulin component reads Ca²⁺ (µM); formulas in the model's global names. */
export interface CalmodulinInputs {
  /** Ca²⁺ at the sensor while an L-type channel is open. */
  readonly open: string;
  /** Submembrane Ca²⁺ around the channel complex. */
  readonly sub: string;
  readonly cyt: string;
  readonly nuc: string;
}

/**
 * Loaded fraction of a lobe with two sequential sites: c²/(c² + K2·c + K1·K2). Products, not
 * powers, because these formulas run in every right-hand-side evaluation.
 */
const lobe = (c: string, k1: string, k2: string): string => `${c}*${c}/(${c}*(${c} + ${k2}) + ${k1}*${k2})`;
/**
 * Hill-2 loading with one constant, for the IQ-bound lobes: the source gives only the
 * second-site constants, so the first site is taken as not limiting (assumption).
 */
const hill2 = (c: string, k: string): string => `${c}*${c}/(${c}*${c} + ${k}*${k})`;

/** Declares `<ns>` = `sig.cam` with the loading fractions (see module comment). */
export function calmodulin(b: ModelBuilder, ns: string, inputs: CalmodulinInputs, overrides?: Overrides, used?: Set<string>): void {
  const c = b.component(ns);
  declareParams(c, CALMODULIN_PARAMS, overrides, used);
  const pools: [string, string][] = [['open', inputs.open], ['sub', inputs.sub], ['cyt', inputs.cyt], ['nuc', inputs.nuc]];
  for (const [p, ca] of pools) {
    c.assigned(`ca_${p}`, ca, { unit: 'uM', description: `Ca²⁺ read by calmodulin (${p})` });
  }
  // Free CaM lobes: needed in the bulk cytosol only (CaM association with bulk CaMKII).
  c.assigned('xC_cyt', lobe('ca_cyt', 'K1C', 'K2C'), { unit: 'dimensionless', description: 'Ca²⁺-loaded fraction of the C-lobe of free CaM in the cytosol' });
  c.assigned('xN_cyt', lobe('ca_cyt', 'K1N', 'K2N'), { unit: 'dimensionless', description: 'Ca²⁺-loaded fraction of the N-lobe of free CaM in the cytosol' });
  c.assigned('f4_cyt', 'xC_cyt*xN_cyt', { unit: 'dimensionless', description: 'fraction of free cytosolic CaM that is Ca₄-CaM' });
  c.assigned('f2C_cyt', 'xC_cyt*(1 - xN_cyt)', { unit: 'dimensionless' });
  c.assigned('f2N_cyt', '(1 - xC_cyt)*xN_cyt', { unit: 'dimensionless' });
  c.assigned('f0_cyt', '(1 - xC_cyt)*(1 - xN_cyt)', { unit: 'dimensionless' });
  // Target-bound CaM lobes in the cytosol, the submembrane shell and the nucleus.
  for (const p of ['cyt', 'sub', 'nuc']) {
    c.assigned(`xCb_${p}`, lobe(`ca_${p}`, 'K1Cb', 'K2Cb'), { unit: 'dimensionless', description: `Ca²⁺-loaded fraction of the C-lobe of target-bound CaM (${p})` });
    c.assigned(`xNb_${p}`, lobe(`ca_${p}`, 'K1Nb', 'K2Nb'), { unit: 'dimensionless', description: `Ca²⁺-loaded fraction of the N-lobe of target-bound CaM (${p})` });
    c.assigned(`g4_${p}`, `xCb_${p}*xNb_${p}`, { unit: 'dimensionless', description: `fraction of target-bound CaM carrying four Ca²⁺ (${p})` });
  }
  c.assigned('g2C_cyt', 'xCb_cyt*(1 - xNb_cyt)', { unit: 'dimensionless' });
  c.assigned('g2N_cyt', '(1 - xCb_cyt)*xNb_cyt', { unit: 'dimensionless' });
  c.assigned('g0_cyt', '(1 - xCb_cyt)*(1 - xNb_cyt)', { unit: 'dimensionless' });
  // Channel (IQ-bound) CaM: in an open channel's nanodomain and at submembrane Ca²⁺.
  for (const p of ['open', 'sub']) {
    c.assigned(`iq_${p}`, `${hill2(`ca_${p}`, 'KC_iq')}*${hill2(`ca_${p}`, 'KN_iq')}`, {
      unit: 'dimensionless', description: `fraction of channel-bound CaM with both lobes Ca²⁺-loaded (${p})`,
    });
  }
}

/** Lobe loading as plain numbers (for tests and documentation). */
export function lobeLoaded(ca: number, k1: number, k2: number): number {
  return (ca * ca) / (ca * ca + k2 * ca + k1 * k2);
}

/** Both lobes of IQ-bound CaM loaded, as a number. */
export function iqLoaded(ca: number, kc = CALMODULIN_PARAMS.KC_iq.value, kn = CALMODULIN_PARAMS.KN_iq.value): number {
  return ((ca * ca) / (ca * ca + kc * kc)) * ((ca * ca) / (ca * ca + kn * kn));
}
