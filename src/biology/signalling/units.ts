/**
 * Rate constants in the signalling literature are given per second; the biology layer runs in
 * milliseconds (see `../params.ts`). These helpers convert once, when a table is written, so
 * the source text can quote the published number and the model holds the ms value.
 */

/** A first-order rate given in s⁻¹, as 1/ms. */
export const perS = (k: number): number => k / 1000;

/** A second-order rate given in µM⁻¹·s⁻¹, as 1/(µM·ms). */
export const perUMperS = (k: number): number => k / 1000;

/** A time constant given in seconds, as the rate 1/τ in 1/ms. */
export const perTau = (seconds: number): number => 1 / (seconds * 1000);

/** Seconds → ms. */
export const sec = (s: number): number => s * 1000;

/** Minutes → ms. */
export const minutes = (m: number): number => m * 60_000;
