/**
 * Goldman–Hodgkin–Katz permeation and the removable singularities of gating formulas, as
 * formula text for the model builder. `efun(x) = x/(exp(x) − 1)` is replaced by its Taylor
 * series near 0 (as NEURON's `efun`/`vtrap` do), so no formula divides 0 by 0 at V = 0 or at a
 * rate function's midpoint.
 */

/** Faraday constant, C/mol. */
export const FARADAY = 96485.33212;
/** Gas constant, J/(mol·K). */
export const GAS_R = 8.314462618;

/** x/(exp(x) − 1), guarded at |x| < 1e-4 by 1 − x/2 + x²/12. */
export function efun(x: string): string {
  return `piecewise(1 - (${x})/2 + (${x})^2/12, abs(${x}) < 1e-4, (${x})/(exp(${x}) - 1))`;
}

/** The dimensionless potential zFV/RT for valence z, with V in mV and T from `celsius` (°C). */
export function zeta(z: number, v: string, celsius: string): string {
  return `${z * FARADAY * 1e-3}*(${v})/(${GAS_R}*(${celsius} + 273.15))`;
}

/**
 * GHK current density in µA/cm² per unit permeability (cm/s) for an ion of valence z with
 * intracellular `ciMM` and extracellular `coMM` in mM: z·F·(ci·efun(−x) − co·efun(x)),
 * x = zFV/RT. Inward current is negative.
 */
export function ghkCurrent(z: number, v: string, ciMM: string, coMM: string, celsius: string): string {
  const x = zeta(z, v, celsius);
  return `${z * FARADAY}*((${ciMM})*${efun(`-(${x})`)} - (${coMM})*${efun(x)})`;
}

/**
 * Conversion factor from a current density (µA/cm²) of a divalent ion to the rate of change of
 * its concentration (µM/ms) in a volume with volume/area ratio `depthUm` (µm): 1e4/(2·F·depth).
 */
export function fluxFactor(depthUm: string): string {
  return `(1e4/(${2 * FARADAY}*(${depthUm})))`;
}
