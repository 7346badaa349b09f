/**
 * Calcineurin (CaN, PP2B) and protein phosphatase 1 (PP1), after Bito, Deisseroth & Tsien 1996:
 * CaN controls nuclear PP1, which dephosphorylates CREB Ser133, and activity that lasts for
 * minutes inactivates CaN, which lengthens the pCREB period.
 *
 * Cytosolic CaN (`act`) is a basal part (Ca²⁺-loaded calcineurin B) plus activation by CaM at
 * submembrane Ca²⁺ (Hill function; both from Stemmer & Klee 1994). CaN anchored at the L-type channel (`local`) is what
 * triggers γCaMKII import (Ma et al. 2014: CaN acts in close proximity to CaV1 channels); it is
 * switched on by the Ca²⁺/CaM load of the channel complex (`sig.camkii.lam`). Active CaN slowly
 * enters an inactivated form (`inact`) from which it recovers over tens of minutes
 * (activity-induced inactivation, Bito et al. 1996); both pools share it.
 *
 * PP1 is held inhibited by phospho-inhibitor-1 (`I1p`, kept phosphorylated by basal PKA); CaN
 * dephosphorylates inhibitor-1 and so releases PP1. `pp1.act` is PP1 activity relative to its
 * maximum: `min + (1 − min)·(1 − I1p)`.
 *
 * Reads `sig.cam.ca_sub`, `sig.camkii.lam`. Exposes `sig.can.{act, local, inact, eq}`,
 * `sig.pp1.{act, I1p}`.
 */
import type { ModelBuilder } from '../../model/builder.js';
import { type Overrides, type ParamTable, NONNEG, POSITIVE, assume, declareParams, src } from '../params.js';
import { perTau } from './units.js';

export const CALCINEURIN_PARAMS: ParamTable = {
  total: assume(1, 'dimensionless', 'CaN amount relative to control (0 = knock-out / FK506–cyclosporin block)', { bounds: [0, Infinity] }),
  K_ca: src(0.6, 'uM', 'Ca²⁺ for half-maximal CaM activation of calcineurin at high CaM (20 µM): 0.6 µM (1.3 µM at 0.03 µM CaM); Stemmer & Klee 1994 Biochemistry 33:6859 (abstract)', { bounds: POSITIVE }),
  n_ca: src(3, 'dimensionless', 'Hill coefficient of Ca²⁺ activation of calcineurin by CaM, 2.8–3 (Stemmer & Klee 1994, abstract)', { bounds: POSITIVE }),
  f_basal: src(0.1, 'dimensionless', 'activity without CaM, with Ca²⁺ bound to calcineurin B (loaded at rest): up to 10 % of the CaM-stimulated maximum (Stemmer & Klee 1994, abstract)', { bounds: [0, 1] }),
  k_inact: assume(perTau(180), '1/ms', 'inactivation of Ca²⁺/CaM-activated CaN (τ = 3 min at full activation, i.e. over minutes of depolarisation; Bito et al. 1996 report it qualitatively, without a rate)', { bounds: POSITIVE }),
  k_rec: assume(perTau(1800), '1/ms', 'recovery of inactivated CaN over tens of minutes (τ = 30 min), so the effect of a minutes-long stimulus outlasts it (Bito et al. 1996: pCREB period extended; no rate given)', { bounds: POSITIVE }),
};

export const PP1_PARAMS: ParamTable = {
  k_pka: assume(perTau(120), '1/ms', 'rephosphorylation of inhibitor-1 by basal PKA within minutes; no rate in the shared literature', { bounds: NONNEG }),
  k_can: assume(perTau(12), '1/ms', 'dephosphorylation of inhibitor-1 by fully active CaN (τ 12 s): set so that basal CaN (10 %) keeps about half of inhibitor-1 dephosphorylated at rest against k_pka; no rate in the shared literature', { bounds: NONNEG }),
  min: assume(0.5, 'dimensionless', 'PP1 activity left when all inhibitor-1 is phosphorylated: about half of nuclear PP1 is taken to be under inhibitor-1 control (no measurement found)', { bounds: [0, 1] }),
};

/** Declares `<can>` and `<pp1>` components (see module comment). */
export function phosphatases(b: ModelBuilder, canNs: string, pp1Ns: string, cam: string, lam: string, overrides?: Overrides, used?: Set<string>): void {
  const can = b.component(canNs);
  declareParams(can, CALCINEURIN_PARAMS, overrides, used);
  can.assigned('eq', `(${cam}.ca_sub/K_ca)^n_ca/(1 + (${cam}.ca_sub/K_ca)^n_ca)`, { unit: 'dimensionless', description: 'steady-state CaM activation of calcineurin at submembrane Ca²⁺' });
  can.assigned('avail', 'max(0, total - inact)', { unit: 'dimensionless', description: 'calcineurin not inactivated' });
  // CaM activation is fast (seconds) next to everything it controls here, so it is algebraic.
  can.assigned('act', 'avail*(f_basal + (1 - f_basal)*eq)', { unit: 'dimensionless', description: 'active cytosolic/nuclear calcineurin (relative to the control amount)' });
  can.state('inact', {
    initial: 0,
    rate: 'k_inact*eq*avail - k_rec*inact',
    unit: 'dimensionless', description: 'calcineurin inactivated by prolonged Ca²⁺/CaM activation',
  });
  // CaN anchored at the channel (AKAP79/150) is switched on by the Ca²⁺/CaM load of the channel
  // complex, like the tethered CaMKII; it shares the activity-inactivated fraction. Its basal
  // (CaM-free) activity is taken not to trigger import (assumption).
  can.assigned('local', `avail*${lam}`, { unit: 'dimensionless', description: 'active calcineurin at the L-type channel complex' });
  const pp1 = b.component(pp1Ns);
  declareParams(pp1, PP1_PARAMS, overrides, used);
  pp1.state('I1p', {
    initial: `k_pka/(k_pka + k_can*${canNs}.act)`,
    rate: `k_pka*(1 - I1p) - k_can*${canNs}.act*I1p`,
    unit: 'dimensionless', description: 'phosphorylated (PP1-inhibiting) fraction of inhibitor-1',
  });
  pp1.assigned('act', 'min + (1 - min)*(1 - I1p)', { unit: 'dimensionless', description: 'PP1 activity relative to its maximum' });
}
