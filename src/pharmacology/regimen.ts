/**
 * Dosing regimens as data: a single dose, repeated dosing (QD, BID, TID or any interval),
 * titration schedules (a sequence of repeated-dosing steps, e.g. the MEM 1003 mania trial:
 * 60 mg BID on day 1, 120 mg BID on day 2, 180 mg BID from day 3), or an explicit list of doses.
 * Every regimen expands to a sorted list of oral doses by {@link doseEvents}.
 */
import { PharmacologyError } from './quantity.js';

/** One oral dose: time after the start of the regimen (h) and amount (mg). */
export interface DoseEvent {
  readonly time_h: number;
  readonly dose_mg: number;
}

/** Repeated dosing at a fixed interval. */
export interface RepeatedStep {
  readonly dose_mg: number;
  /** Dosing interval: 24 (QD), 12 (BID), 8 (TID), 4 (q4h) … */
  readonly interval_h: number;
  /** Number of doses in this step. */
  readonly count: number;
}

export type Regimen =
  | { readonly kind: 'single'; readonly dose_mg: number; readonly time_h?: number }
  | ({ readonly kind: 'repeated'; readonly start_h?: number } & RepeatedStep)
  | { readonly kind: 'titration'; readonly steps: readonly RepeatedStep[]; readonly start_h?: number }
  | { readonly kind: 'schedule'; readonly doses: readonly DoseEvent[] };

/** Named dosing frequencies and their intervals in hours. */
export const FREQUENCIES = { QD: 24, BID: 12, TID: 8, q4h: 4 } as const;
export type Frequency = keyof typeof FREQUENCIES;

/** `dose_mg` given `per` frequency for `days` days, starting at t = 0. */
export function repeated(dose_mg: number, per: Frequency, days: number): Regimen {
  const interval_h = FREQUENCIES[per];
  return { kind: 'repeated', dose_mg, interval_h, count: Math.round((days * 24) / interval_h) };
}

/**
 * The bipolar-mania Phase 2a titration of MEM 1003: 60 mg BID on day 1, 120 mg BID on day 2,
 * 180 mg BID from day 3 to the end of the 21-day treatment (FDAnews 2006-09-08, 2007-03-05;
 * GEN; ThePharmaLetter).
 */
export function maniaTitration(days = 21): Regimen {
  if (!(days >= 3)) throw new PharmacologyError('the mania titration lasts at least 3 days', 'days');
  return {
    kind: 'titration',
    steps: [
      { dose_mg: 60, interval_h: 12, count: 2 },
      { dose_mg: 120, interval_h: 12, count: 2 },
      { dose_mg: 180, interval_h: 12, count: (days - 2) * 2 },
    ],
  };
}

function checkDose(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PharmacologyError(`dose must be a number of mg, got ${String(v)}`, field);
  if (!(v > 0)) throw new PharmacologyError(`dose must be positive, got ${v} mg`, field);
  return v;
}

function checkTime(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PharmacologyError(`time must be a number of hours, got ${String(v)}`, field);
  if (v < 0) throw new PharmacologyError(`time must not be negative, got ${v} h`, field);
  return v;
}

function checkStep(s: RepeatedStep, field: string): void {
  checkDose(s.dose_mg, `${field}.dose_mg`);
  if (typeof s.interval_h !== 'number' || !(s.interval_h > 0) || !Number.isFinite(s.interval_h)) {
    throw new PharmacologyError(`interval must be a positive number of hours, got ${String(s.interval_h)}`, `${field}.interval_h`);
  }
  if (!Number.isInteger(s.count) || s.count < 1) throw new PharmacologyError(`count must be a positive integer, got ${String(s.count)}`, `${field}.count`);
}

/**
 * The doses of a regimen in time order.
 * @throws PharmacologyError naming the field for a negative, zero or non-numeric dose or time,
 * and for doses that overlap (two doses at the same time, or times out of order in a schedule).
 */
export function doseEvents(r: Regimen): DoseEvent[] {
  const out: DoseEvent[] = [];
  switch (r.kind) {
    case 'single':
      out.push({ time_h: r.time_h === undefined ? 0 : checkTime(r.time_h, 'regimen.time_h'), dose_mg: checkDose(r.dose_mg, 'regimen.dose_mg') });
      break;
    case 'repeated': {
      checkStep(r, 'regimen');
      const t0 = r.start_h === undefined ? 0 : checkTime(r.start_h, 'regimen.start_h');
      for (let i = 0; i < r.count; i++) out.push({ time_h: t0 + i * r.interval_h, dose_mg: r.dose_mg });
      break;
    }
    case 'titration': {
      if (!Array.isArray(r.steps) || r.steps.length === 0) throw new PharmacologyError('a titration needs at least one step', 'regimen.steps');
      let t = r.start_h === undefined ? 0 : checkTime(r.start_h, 'regimen.start_h');
      r.steps.forEach((s, k) => {
        checkStep(s, `regimen.steps[${k}]`);
        for (let i = 0; i < s.count; i++) {
          out.push({ time_h: t, dose_mg: s.dose_mg });
          t += s.interval_h;
        }
      });
      break;
    }
    case 'schedule': {
      if (!Array.isArray(r.doses) || r.doses.length === 0) throw new PharmacologyError('a schedule needs at least one dose', 'regimen.doses');
      r.doses.forEach((d, k) => {
        const time_h = checkTime(d.time_h, `regimen.doses[${k}].time_h`);
        const dose_mg = checkDose(d.dose_mg, `regimen.doses[${k}].dose_mg`);
        if (k > 0 && !(time_h > out[k - 1].time_h)) {
          throw new PharmacologyError(
            `dose at ${time_h} h overlaps or precedes the previous dose at ${out[k - 1].time_h} h: list doses in time order, one per time (combine simultaneous doses into one)`,
            `regimen.doses[${k}].time_h`,
          );
        }
        out.push({ time_h, dose_mg });
      });
      break;
    }
    default:
      throw new PharmacologyError(`unknown regimen kind '${String((r as { kind: unknown }).kind)}' (single, repeated, titration, schedule)`, 'regimen.kind');
  }
  return out;
}

/** Time of the last dose plus one interval (or 24 h after a single dose): a natural end of the simulation. */
export function regimenEnd_h(r: Regimen): number {
  const ev = doseEvents(r);
  const last = ev[ev.length - 1].time_h;
  if (r.kind === 'repeated') return last + r.interval_h;
  if (r.kind === 'titration') return last + r.steps[r.steps.length - 1].interval_h;
  return last + 24;
}
