/**
 * Ca²⁺ pools and buffers of a neuron (µM, ms):
 * - `ca.nano`: the nanodomain at the L-type channel cluster (where CaMKII anchored at the
 *   channel and the channels' own CaM sense Ca²⁺); fed only by L-type Ca²⁺ current; exchanges
 *   with the shell;
 * - `ca.shell`: the submembrane shell; receives the other Ca²⁺ currents, hosts PMCA and NCX
 *   extrusion and a resting Ca²⁺ leak; exchanges with the cytosol;
 * - `ca.cyt`: bulk cytosol (optional SERCA uptake); exchanges with the nucleus;
 * - `ca.nuc`: the nucleus (read by nuclear signalling).
 * Each of shell, cytosol and nucleus holds three buffers with on/off kinetics: calbindin-D28k
 * (mobile), calmodulin (lumped sites) and a fixed endogenous buffer. Bound forms are states
 * `ca.<pool>_<buffer>` (µM of bound Ca²⁺).
 *
 * Reads: the L-type Ca²⁺ currents (`<ch>.I_Ca`, µA/cm²) and the other Ca²⁺ currents.
 * Writes: the four free Ca²⁺ states; exposes `ca.J_L` (L-type influx into the nanodomain, µM/ms
 * of nanodomain volume) and `ca.kappa_shell` (static buffer capacity of the shell).
 */
import type { ModelBuilder } from '../model/builder.js';
import { type ParamTable, type Overrides, assume, declareParams, src, NONNEG, POSITIVE } from './params.js';
import { fluxFactor } from './ghk.js';

const MULLER = 'Müller et al. 2005 J Neurosci (CA1 pyramidal calbindin-D28k ≈45 µM; Europe PMC abstract, authorship recalled)';

export const CALCIUM_PARAMS: ParamTable = {
  // geometry (volume/area ratios)
  d_nano: assume(0.002, 'um', 'volume/area of the L-type nanodomains: clusters occupy a small fraction of the membrane; Ca²⁺ sensors sit ≈10–100 nm from the pore (Matveev et al. 2002 for other synapses); LTCC nanodomain [Ca²⁺] not found', { bounds: POSITIVE }),
  d_shell: src(0.1, 'um', 'Markaki et al. 2005 (ModelDB 119266) cadL.mod: depth 0.1 µm', { bounds: POSITIVE }),
  d_cyt: assume(3.2, 'um', 'volume/area of a soma of ≈20 µm diameter (r/3 = 3.3 µm) less the shell', { bounds: POSITIVE }),
  d_nuc: assume(0.8, 'um', 'nuclear volume ≈ 25 % of the cytosol (assumption)', { bounds: POSITIVE }),
  // exchange
  tau_nano: assume(0.5, 'ms', 'Ca²⁺ leaves a nanodomain by diffusion within a fraction of a millisecond after the channel closes', { bounds: POSITIVE }),
  tau_shell: src(2.5, 'ms', 'Markaki et al. 2005 (ModelDB 119266) cadL.mod: taurl 2.5 ms for the 0.1 µm L-type shell (used here as exchange with the cytosol)', { bounds: POSITIVE }),
  tau_nuc: assume(100, 'ms', 'Ca²⁺ equilibrates across the nuclear envelope within ≈100 ms; nuclear Ca²⁺ amplitudes were not found', { bounds: POSITIVE }),
  // extrusion and leak (per shell volume)
  pmca_vmax: assume(0.1, 'uM/ms', 'PMCA capacity per shell volume; PMCA/NCX rate constants in CA1 were not found. Set with ncx_vmax so Ca²⁺ returns to rest within a few hundred ms after a train', { bounds: NONNEG }),
  pmca_km: assume(0.2, 'uM', 'high-affinity PMCA (Km 0.1–0.5 µM range); CA1 value not found', { bounds: POSITIVE }),
  ncx_vmax: assume(0.5, 'uM/ms', 'NCX capacity per shell volume (low affinity, high capacity); CA1 value not found', { bounds: NONNEG }),
  ncx_km: assume(1.5, 'uM', 'NCX half-activation by intracellular Ca²⁺; CA1 value not found', { bounds: POSITIVE }),
  j_leak: assume(0.03, 'uM/ms', 'calibrated: resting Ca²⁺ influx (per shell volume) balancing the pumps at ≈45 nM, inside the resting range of Maravall et al. 2000 (32–59 nM)', { bounds: NONNEG }),
  serca_vmax: assume(0, 'uM/ms', 'SERCA/ER uptake is optional and off by default (its CA1 rate constants were not found)', { bounds: NONNEG }),
  serca_km: assume(0.3, 'uM', 'typical SERCA Ca²⁺ affinity; used only when serca_vmax > 0', { bounds: POSITIVE }),
  // buffers
  cb_total: src(180, 'uM', `${MULLER}: 45 µM protein × 4 high-affinity sites (the same source gives ≈160 µM sites for ≈40 µM in granule cells)`, { bounds: NONNEG }),
  cb_kd: assume(0.4, 'uM', 'calbindin-D28k site affinity (sub-micromolar); value not in the shared literature', { bounds: POSITIVE }),
  cb_kon: assume(0.03, '1/(uM*ms)', 'calbindin binds Ca²⁺ more slowly than fast buffers (≈3e7 /M/s); value not in the shared literature', { bounds: POSITIVE }),
  cam_total: assume(20, 'uM', 'calmodulin Ca²⁺ sites acting as a buffer (lumped lobes); free neuronal calmodulin not found. Replaced by explicit C/N lobes when signalling is added', { bounds: NONNEG }),
  cam_kd: assume(2, 'uM', 'lumped CaM site affinity (between the C- and N-lobe affinities of the Pepke/Chang rate table in the shared literature)', { bounds: POSITIVE }),
  cam_kon: src(0.1, '1/(uM*ms)', 'ntumitolab/camkii-cardiomyocyte-model camkii_ros.jl: Ca²⁺→CaM N-lobe site 1 kon 100 /µM/s (lumped)', { bounds: POSITIVE }),
  fix_total: assume(500, 'uM', 'calibrated: immobile endogenous buffer; with calmodulin it gives the buffer capacity left after whole-cell washout of calbindin, κ ≈ 60 (Maravall et al. 2000: 44–80)', { bounds: NONNEG }),
  fix_kd: assume(10, 'uM', 'low-affinity fast immobile buffer (typical of endogenous fixed buffers)', { bounds: POSITIVE }),
  fix_kon: assume(0.4, '1/(uM*ms)', 'fast buffer (4e8 /M/s)', { bounds: POSITIVE }),
  ca0: assume(0.045, 'uM', 'initial free Ca²⁺ before settling (protocols settle the cell to its own rest first)', { bounds: NONNEG }),
  washout: assume(0, 'dimensionless', 'fraction of mobile calbindin washed out by a whole-cell pipette (0 intact; 1 complete). Müller et al. 2005: pipette exchange τ ≈ 10 min', { bounds: [0, 1] }),
};

export interface CalciumOptions {
  /** Symbols (µA/cm²) of the L-type Ca²⁺ currents that feed the nanodomain. */
  lType: readonly string[];
  /** Symbols (µA/cm²) of other Ca²⁺ currents that feed the shell. */
  other: readonly string[];
  overrides?: Overrides;
  used?: Set<string>;
}

const BUFFERS = [
  { key: 'cb', label: 'calbindin', total: 'cb_total*(1 - washout)', kd: 'cb_kd', kon: 'cb_kon' },
  { key: 'cam', label: 'calmodulin', total: 'cam_total', kd: 'cam_kd', kon: 'cam_kon' },
  { key: 'fix', label: 'fixed', total: 'fix_total', kd: 'fix_kd', kon: 'fix_kon' },
] as const;

/** Declares the `ca` component (see the module comment). */
export function calciumPools(b: ModelBuilder, o: CalciumOptions): void {
  const c = b.component('ca');
  declareParams(c, CALCIUM_PARAMS, o.overrides, o.used);
  const sumL = o.lType.length ? o.lType.join(' + ') : '0';
  const sumO = o.other.length ? o.other.join(' + ') : '0';
  // Inward (negative) currents are influx: J = −I·1e4/(2F·depth).
  c.assigned('J_L', `-(${sumL})*${fluxFactor('d_nano')}`, { unit: 'uM/ms', description: 'L-type Ca²⁺ influx into the nanodomain (per nanodomain volume)' });
  c.assigned('J_other', `-(${sumO})*${fluxFactor('d_shell')}`, { unit: 'uM/ms', description: 'non-L Ca²⁺ influx into the shell (per shell volume)' });
  c.assigned('J_pmca', 'pmca_vmax*shell/(pmca_km + shell)', { unit: 'uM/ms' });
  c.assigned('J_ncx', 'ncx_vmax*shell/(ncx_km + shell)', { unit: 'uM/ms' });
  c.assigned('J_serca', 'serca_vmax*cyt^2/(serca_km^2 + cyt^2)', { unit: 'uM/ms' });
  c.assigned('J_ns', '(nano - shell)/tau_nano', { unit: 'uM/ms', description: 'nanodomain → shell (per nanodomain volume)' });
  c.assigned('J_sc', '(shell - cyt)/tau_shell', { unit: 'uM/ms', description: 'shell → cytosol (per shell volume)' });
  c.assigned('J_cn', '(cyt - nuc)/tau_nuc', { unit: 'uM/ms', description: 'cytosol → nucleus (per cytosol volume)' });
  const pools = [
    { p: 'shell', net: 'J_other + J_ns*d_nano/d_shell - J_sc - J_pmca - J_ncx + j_leak' },
    { p: 'cyt', net: 'J_sc*d_shell/d_cyt - J_cn - J_serca' },
    { p: 'nuc', net: 'J_cn*d_cyt/d_nuc' },
  ];
  c.state('nano', { initial: 'ca0', rate: 'J_L - J_ns', unit: 'uM', description: 'free Ca²⁺ in the L-type nanodomain' });
  for (const { p, net } of pools) {
    const binding: string[] = [];
    for (const bf of BUFFERS) {
      const s = `${p}_${bf.key}`;
      const flux = `${bf.kon}*${p}*(${bf.total} - ${s}) - ${bf.kon}*${bf.kd}*${s}`;
      c.assigned(`${s}_flux`, flux, { unit: 'uM/ms' });
      c.state(s, { initial: `${bf.total}*${p}/(${bf.kd} + ${p})`, rate: `${s}_flux`, unit: 'uM', description: `Ca²⁺ bound to ${bf.label} in the ${p}` });
      binding.push(`${s}_flux`);
    }
    c.state(p, { initial: 'ca0', rate: `${net} - (${binding.join(' + ')})`, unit: 'uM', description: `free Ca²⁺ in the ${p}` });
  }
  c.assigned('kappa_shell', BUFFERS.map((bf) => `${bf.total}*${bf.kd}/(${bf.kd} + shell)^2`).join(' + '), {
    unit: 'dimensionless', description: 'static Ca²⁺ buffer capacity of the shell at its current free Ca²⁺',
  });
  c.assigned('total_shell', `shell + ${BUFFERS.map((bf) => `shell_${bf.key}`).join(' + ')}`, { unit: 'uM' });
}
