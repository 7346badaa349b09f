/**
 * CaMKII as a mean-field holoenzyme, in two pools.
 *
 * **Tethered pool** (CaMKII held at the L-type channel cluster by Shank3; Perfitt et al. 2020).
 * Its Ca²⁺/CaM comes from the channel complex, where CaM bound to the channel loads with Ca²⁺
 * only in the nanodomain of an open channel. The state `lam` is the fraction of channel
 * complexes carrying Ca²⁺/CaM: each opening loads an unloaded complex with probability
 * `cam.iq_open` (close to 1 at the tens of µM beside an open pore, so it depends little on the
 * unitary current), and the load is lost at the rate at which Ca²⁺ leaves the N-lobe of
 * kinase-bound CaM. Openings arrive at rate Po/τ_open (Po = fraction of time open). `lam`
 * therefore counts openings, not Ca²⁺ ions: a pore block that halves the unitary current
 * changes it little, a gating block that halves the openings halves its drive — the behaviour
 * Wheeler et al. 2008 describe (CaMKII at the channel reads the frequency of openings). The
 * assumption behind it: the channel CaM equilibrates with the nanodomain within one opening.
 *
 * T286 autophosphorylation needs a Ca²⁺/CaM-bound substrate subunit and an active neighbour
 * (Ca²⁺/CaM-bound or already phosphorylated); all subunits of a tethered holoenzyme see the same
 * channel, so they load together: rate kauto·lam·(1 − T)·(lam·(1 − T) + T). PP1 removes T286.
 *
 * **Bulk pool** (cytosolic CaMKII), the Chang et al. 2019 lineage reduced to three states:
 * `B` (CaM bound, T286 unphosphorylated), `P` (T286-phosphorylated with CaM trapped), `A`
 * (T286-phosphorylated, CaM gone: autonomous). CaM association uses the free-CaM species of the
 * cytosol (rapid Ca²⁺ equilibrium), dissociation the Ca²⁺ occupancy of bound CaM; CaM leaves
 * phosphorylated CaMKII slowly (trapping). Free CaM is conserved: total − CaM on bulk CaMKII.
 *
 * Reads: `sig.cam.*` loading fractions, the L-type open fraction (input `open`).
 * Exposes: `lam`, `T_loc` (tethered autonomy), `B`, `P`, `A`, `act_bulk`, `autonomy_bulk`,
 * `cam_free`, `beta_near` (βCaMKII activity next to the channel, which phosphorylates γCaMKII).
 * Tethering changes only where the kinase is, not how it works: `tether` = 0 removes the
 * tethered pool from the channel complex and leaves bulk CaMKII.
 */
import type { ModelBuilder } from '../../model/builder.js';
import { type Overrides, type ParamTable, NONNEG, POSITIVE, assume, declareParams, src } from '../params.js';
import { perS, perTau, perUMperS } from './units.js';

const CHANG = 'Pepke et al. 2010 / Chang et al. 2019 rate table as ported in ntumitolab/camkii-cardiomyocyte-model Model/src/camkii_ros.jl';
const OPEN = 'PMC2892242 (abstract: unitary L-type channel at 2 mM Ca²⁺, cardiac myocytes)';

export const CAMKII_PARAMS: ParamTable = {
  // --- nanodomain of one open channel
  tau_open: src(0.75, 'ms', `derived: middle of the mean open times 0.53 ms (−30 mV) and 1.08 ms (0 mV), ${OPEN}`, { bounds: POSITIVE }),
  i_unit: src(0.15, 'pA', `derived: ≈350 Ca²⁺ ions per opening (300–400, ${OPEN}) in 0.75 ms: 350·2e/0.75 ms`, { bounds: NONNEG }),
  D_ca: assume(220, 'um^2/s', 'free Ca²⁺ diffusion coefficient in cytoplasm, ≈220 µm²/s as recalled from Allbritton, Meyer & Stryer 1992 Science 258:1812 (not verified here; not in the shared literature)', { bounds: POSITIVE }),
  faraday: src(96485.33212, 'C/mol', 'Faraday constant (CODATA 2018)', { bounds: POSITIVE }),
  r_sensor: assume(20, 'nm', 'distance of the channel CaM / tethered CaMKII from the pore: within the channel complex; LTCC nanodomain geometry was not found', { bounds: POSITIVE }),
  pore_scale: assume(1, 'dimensionless', 'unitary current relative to control: 1 = unblocked; a pore blocker lowers it (set by protocols)', { bounds: [0, 1] }),
  k_unload: src(perS(20), '1/ms', `Ca²⁺ off the N-lobe site 2 of CaMKII-bound CaM, 20 s⁻¹ (range 6–60; ${CHANG}): the channel complex loses its Ca²⁺/CaM load at this rate`, { bounds: POSITIVE }),
  // --- holoenzyme kinetics
  kauto: src(perS(5), '1/ms', `T286 autophosphorylation, k_phosCaM = 5 s⁻¹ × fraction of active neighbours (the file notes 30 s⁻¹ as an alternative; ${CHANG})`, { bounds: NONNEG }),
  kdeph: src(perTau(6), '1/ms', `dephosphorylation of T286 by PP1, 1/6 s⁻¹ (${CHANG})`, { bounds: NONNEG }),
  tether: assume(1, 'dimensionless', 'CaMKII tethered at the channel through Shank3, relative to control; Shank3 knock-out, the RRK→AAA mutant and loss of the LTCC–Shank3 link set it to 0 (Perfitt et al. 2020)', { bounds: [0, Infinity] }),
  enrich: assume(9, 'dimensionless', 'concentration of tethered CaMKII at the channel complex relative to bulk CaMKII there (tethering concentrates the kinase at the channel; no measurement found)', { bounds: NONNEG }),
  // --- bulk pool
  total_bulk: src(70, 'uM', `CaMKII subunits, CAMKII_T (${CHANG}); spine value used for the bulk cytosol`, { bounds: NONNEG }),
  cam0_on: src(perUMperS(3.8e-3), '1/(uM*ms)', `apo-CaM + CaMKII, 3.8e-3 µM⁻¹s⁻¹ (Pepke's value; ${CHANG})`, { bounds: NONNEG }),
  cam0_off: src(perS(5.5), '1/ms', `apo-CaM off CaMKII, 5.5 s⁻¹ (${CHANG})`, { bounds: NONNEG }),
  cam2C_on: src(perUMperS(0.5), '1/(uM*ms)', `Ca₂C-CaM + CaMKII, 0.5 µM⁻¹s⁻¹ (${CHANG})`, { bounds: NONNEG }),
  cam2C_off: src(perS(6.8), '1/ms', `Ca₂C-CaM off CaMKII, 6.8 s⁻¹ (${CHANG})`, { bounds: NONNEG }),
  cam2N_on: src(perUMperS(0.12), '1/(uM*ms)', `Ca₂N-CaM + CaMKII, 0.12 µM⁻¹s⁻¹ (${CHANG})`, { bounds: NONNEG }),
  cam2N_off: src(perS(1.7), '1/ms', `Ca₂N-CaM off CaMKII, 1.7 s⁻¹ (${CHANG})`, { bounds: NONNEG }),
  cam4_on: src(perUMperS(15), '1/(uM*ms)', `Ca₄-CaM + CaMKII, 15 µM⁻¹s⁻¹ (14–60; ${CHANG})`, { bounds: NONNEG }),
  cam4_off: src(perS(1.5), '1/ms', `Ca₄-CaM off CaMKII, 1.5 s⁻¹ (1.1–2.3; ${CHANG})`, { bounds: NONNEG }),
  camP_off: src(perTau(3), '1/ms', `CaM off T286-phosphorylated CaMKII (trapping), 1/3 s⁻¹ (${CHANG})`, { bounds: NONNEG }),
};

/** Where the CaMKII component reads its inputs. */
export interface CamkiiInputs {
  /** Fraction of time an L-type channel of the tethering cluster is open (dimensionless). */
  readonly open: string;
}

/** Declares `<ns>` = `sig.camkii` (see module comment); `cam` is the calmodulin namespace. */
export function camkii(b: ModelBuilder, ns: string, cam: string, inputs: CamkiiInputs, overrides?: Overrides, used?: Set<string>): void {
  const c = b.component(ns);
  declareParams(c, CAMKII_PARAMS, overrides, used);
  // Point-source nanodomain (Neher 1998 steady state, no buffer): Δ[Ca] = i/(4π·2F·D·r);
  // with i in pA, D in µm²/s and r in nm the value in µM is 1e12·i/(8π·F·D·r).
  c.assigned('ca_open', 'pore_scale*1e12*i_unit/(8*3.141592653589793*faraday*D_ca*r_sensor)', {
    unit: 'uM', description: 'Ca²⁺ rise at the sensor while its channel is open (unbuffered point source)',
  });
  c.assigned('open', inputs.open, { unit: 'dimensionless', description: 'fraction of time an L-type channel of the cluster is open' });
  c.assigned('open_rate', 'open/tau_open', { unit: '1/ms', description: 'openings per channel per ms' });
  c.state('lam', {
    initial: `${cam}.iq_sub`,
    rate: `open_rate*${cam}.iq_open*(1 - lam) + k_unload*(${cam}.iq_sub - lam)`,
    unit: 'dimensionless', description: 'fraction of L-type channel complexes carrying Ca²⁺/CaM',
  });
  c.state('T_loc', {
    initial: 0,
    rate: 'kauto*lam*(1 - T_loc)*(lam*(1 - T_loc) + T_loc) - kdeph*T_loc',
    unit: 'dimensionless', description: 'T286-phosphorylated fraction of tethered CaMKII subunits (autonomy)',
  });
  c.assigned('autonomy_tethered', 'min(1, tether)*T_loc', { unit: 'dimensionless', description: 'T286-phosphorylated fraction of the channel-tethered CaMKII (0 without tethering)' });
  // Bulk pool.
  c.assigned('U', '1 - B - P - A', { unit: 'dimensionless', description: 'free, unphosphorylated bulk CaMKII subunits' });
  c.assigned('cam_free', `max(0, ${cam}.total - total_bulk*(B + P))`, { unit: 'uM', description: 'free calmodulin in the cytosol' });
  c.assigned('kon_cam', `cam0_on*${cam}.f0_cyt + cam2C_on*${cam}.f2C_cyt + cam2N_on*${cam}.f2N_cyt + cam4_on*${cam}.f4_cyt`, {
    unit: '1/(uM*ms)', description: 'CaM association rate constant averaged over the Ca²⁺ states of free CaM',
  });
  c.assigned('koff_cam', `cam0_off*${cam}.g0_cyt + cam2C_off*${cam}.g2C_cyt + cam2N_off*${cam}.g2N_cyt + cam4_off*${cam}.g4_cyt`, {
    unit: '1/ms', description: 'CaM dissociation rate averaged over the Ca²⁺ states of bound CaM',
  });
  // Only CaMKII whose bound CaM carries Ca²⁺ is active and is a substrate of
  // autophosphorylation (apo-CaM-bound CaMKII is neither: Chang et al. 2019 phosphorylate only
  // the Ca₂C-, Ca₂N- and Ca₄-CaM-bound forms).
  c.assigned('B_ca', `B*(1 - ${cam}.g0_cyt)`, { unit: 'dimensionless', description: 'bulk CaMKII bound to Ca²⁺-loaded CaM' });
  c.assigned('act_bulk', 'B_ca + P + A', { unit: 'dimensionless', description: 'active fraction of bulk CaMKII (Ca²⁺/CaM-bound or T286-phosphorylated)' });
  c.state('B', {
    initial: 0,
    rate: 'kon_cam*cam_free*U - koff_cam*B - kauto*act_bulk*B_ca + kdeph*P',
    unit: 'dimensionless', description: 'bulk CaMKII with CaM bound, T286 unphosphorylated',
  });
  c.state('P', {
    initial: 0,
    rate: 'kauto*act_bulk*B_ca - camP_off*P - kdeph*P',
    unit: 'dimensionless', description: 'bulk CaMKII phosphorylated at T286 with CaM trapped',
  });
  c.state('A', {
    initial: 0,
    rate: 'camP_off*P - kdeph*A',
    unit: 'dimensionless', description: 'bulk CaMKII phosphorylated at T286 without CaM (autonomous)',
  });
  c.assigned('autonomy_bulk', 'P + A', { unit: 'dimensionless', description: 'T286-phosphorylated fraction of bulk CaMKII' });
  // Active βCaMKII at the complex, relative to all β there in control: the tethered pool
  // (enriched `enrich`-fold) plus bulk β that happens to be near. Without Shank3 only the bulk
  // part is left.
  c.assigned('beta_near', '(enrich*tether*(lam*(1 - T_loc) + T_loc) + act_bulk)/(enrich + 1)', {
    unit: 'dimensionless', description: 'active βCaMKII next to the channel complex (tethered + bulk), relative to control β there',
  });
}
