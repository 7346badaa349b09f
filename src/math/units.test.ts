import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExpr } from './parser.js';
import {
  DIMENSIONLESS, UnitError, convertFactor, divide, formatUnit, inferUnit, isDimensionless, multiply, parseUnit, power,
  sameDimension, sameUnit, type Unit,
} from './units.js';

const u = parseUnit;
const factor = (from: string, to: string): number => convertFactor(u(from), u(to));
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));

describe('parseUnit', () => {
  it('reads the units used by the models, with correct dimension and scale', () => {
    const cases: [string, string, number][] = [
      // unit, same unit in SI base form, factor to that SI form
      ['mV', 'kg*m^2/(s^3*A)', 1e-3],
      ['ms', 's', 1e-3],
      ['uM', 'mol/m^3', 1e-3],
      ['µM', 'mol/m^3', 1e-3],
      ['μM', 'mol/m^3', 1e-3],
      ['nM', 'mol/m^3', 1e-6],
      ['mM', 'mol/m^3', 1],
      ['M', 'mol/m^3', 1e3],
      ['mS/cm^2', 'A^2*s^3/(kg*m^4)', 10],
      ['uA/cm^2', 'A/m^2', 1e-2],
      ['pA', 'A', 1e-12],
      ['pF', 'A^2*s^4/(kg*m^2)', 1e-12],
      ['S', 'A^2*s^3/(kg*m^2)', 1],
      ['mol', 'mol', 1],
      ['L', 'm^3', 1e-3],
      ['um', 'm', 1e-6],
      ['µm^2', 'm^2', 1e-12],
      ['1/ms', '1/s', 1e3],
      ['/ms', '1/s', 1e3],
      ['uM/ms', 'mol/(m^3*s)', 1],
      ['1/(uM*ms)', 'm^3/(mol*s)', 1e6],
      ['mg', 'kg', 1e-6],
      ['kg', 'kg', 1],
      ['h', 's', 3600],
      ['min', 's', 60],
      ['s', 's', 1],
      ['C/mol', 'A*s/mol', 1],
      ['J/(mol*K)', 'kg*m^2/(s^2*mol*K)', 1],
      ['dimensionless', '1', 1],
      ['1', '1', 1],
      ['%', '1', 0.01],
      ['g/mol', 'kg/mol', 1e-3],
      ['ohm', 'kg*m^2/(s^3*A^2)', 1],
      ['Mohm', 'kg*m^2/(s^3*A^2)', 1e6],
      ['GOhm', 'kg*m^2/(s^3*A^2)', 1e9],
      ['mol/L/s', 'mol/(m^3*s)', 1e3],
      ['cm^-2', '1/m^2', 1e4],
      ['mmol.L^-1', 'mol/m^3', 1],
      ['1000*mol', 'mol', 1000],
      ['m^0.5', 'm^0.5', 1],
    ];
    for (const [unit, si, f] of cases) {
      const a = u(unit);
      const b = u(si);
      expect(sameDimension(a, b), `${unit} vs ${si}`).toBe(true);
      expect(close(convertFactor(a, b), f), `${unit} → ${si}: ${convertFactor(a, b)} ≠ ${f}`).toBe(true);
    }
  });

  it('names the offending token for unknown or malformed units', () => {
    expect(() => u('furlong')).toThrow("unknown unit 'furlong' in 'furlong'");
    expect(() => u('mV/xs')).toThrow("unknown unit 'xs' in 'mV/xs'");
    expect(() => u('kmin')).toThrow("unknown unit 'kmin'"); // minutes take no prefix
    expect(() => u('degC')).toThrow(/affine.*use K/);
    expect(() => u('mV/')).toThrow("unexpected end of unit at column 4 in unit 'mV/'");
    expect(() => u('cm^')).toThrow('expected a number as exponent');
    expect(() => u('(mV')).toThrow("expected ')'");
    expect(() => u('mV mV')).toThrow("unexpected 'mV' at column 4");
    expect(() => u('mV#')).toThrow("unexpected character '#' at column 3");
    expect(() => u('')).toThrow(UnitError);
    expect(() => u('0*mV')).toThrow('a numeric factor must be positive');
  });
});

describe('unit arithmetic', () => {
  it('multiplies, divides, raises to powers and converts', () => {
    expect(sameUnit(multiply(u('mS/cm^2'), u('mV')), u('uA/cm^2'))).toBe(true);
    expect(sameUnit(divide(u('uM'), u('ms')), u('mM/s'))).toBe(true);
    expect(sameUnit(power(u('um'), 2), u('um^2'))).toBe(true);
    expect(sameUnit(power(u('m^2'), 0.5), u('m'))).toBe(true);
    expect(factor('mV', 'V')).toBeCloseTo(1e-3, 15);
    expect(factor('uM', 'nM')).toBeCloseTo(1e3, 10);
    expect(factor('h', 'ms')).toBeCloseTo(3.6e6, 6);
    expect(factor('%', 'dimensionless')).toBe(0.01);
    expect(isDimensionless(u('mV/V'))).toBe(true);
    expect(sameDimension(u('mV'), u('mA'))).toBe(false);
    expect(() => factor('mV', 'ms')).toThrow(UnitError);
    expect(() => factor('mV', 'ms')).toThrow('cannot convert mV to ms: different dimensions');
  });

  it('formats units readably and in a form parseUnit reads back', () => {
    expect(formatUnit(u('mV'))).toBe('mV');
    expect(formatUnit(u('uM'))).toBe('uM');
    expect(formatUnit(u('µM'))).toBe('uM');
    expect(formatUnit(u('pA'))).toBe('pA');
    expect(formatUnit(u('min'))).toBe('min');
    expect(formatUnit(u('kg'))).toBe('kg');
    expect(formatUnit(DIMENSIONLESS)).toBe('dimensionless');
    expect(formatUnit(u('%'))).toBe('%');
    expect(formatUnit(u('1/ms'))).toBe('1000/s');
    expect(formatUnit(u('mS/cm^2'))).toBe('10*s^3*A^2/(m^4*kg)');
    const anyUnit = fc
      .tuple(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 7, maxLength: 7 }), fc.integer({ min: -15, max: 15 }))
      .map(([d, p]): Unit => ({ dim: d as unknown as Unit['dim'], scale: Math.pow(10, p) }));
    fc.assert(
      fc.property(anyUnit, (x) => {
        const back = parseUnit(formatUnit(x));
        if (!sameUnit(back, x)) throw new Error(`${formatUnit(x)} read back as ${JSON.stringify(back)}`);
      }),
    );
  });
});

describe('inferUnit', () => {
  const units: Record<string, string> = {
    V: 'mV', E: 'mV', Vv: 'V', g: 'mS/cm^2', C: 'uF/cm^2', I: 'uA/cm^2', Ca: 'uM', Cao: 'mM', t: 'ms', time: 'ms', k: '1/ms',
    tau: 'ms', n: 'dimensionless',
  };
  const unitOf = (name: string): Unit | undefined => (name in units ? u(units[name]) : undefined);
  const check = (src: string) => inferUnit(parseExpr(src), unitOf);

  it('infers the unit of consistent formulas', () => {
    const r = check('g * (V - E)');
    expect(r.problems).toEqual([]);
    expect(sameUnit(r.unit!, u('uA/cm^2'))).toBe(true);
    expect(r.formatted).toBe(formatUnit(u('uA/cm^2')));
    expect(sameUnit(check('-I / C').unit!, u('V/s'))).toBe(true);
    expect(check('-I / C').formatted).toBe('m^2*kg/(s^4*A)');
    expect(check('k * (1 - n) - n / tau').problems).toEqual([]);
    expect(check('exp(-V / 25)').problems).toEqual(['the argument of \'exp\' must be dimensionless, not mV in \'exp(-V / 25)\'']);
    expect(check('exp(V / E)').formatted).toBe('dimensionless');
    expect(check('pow(Ca, 2)').formatted).toBe(formatUnit(u('uM^2')));
    expect(check('Ca^2.5 / Ca^0.5').formatted).toBe(formatUnit(u('uM^2')));
    expect(check('sqrt(Ca * Ca)').formatted).toBe('uM');
    expect(check('piecewise(V, t > 5, E)').formatted).toBe('mV');
    expect(check('V > -40 && t < 10').formatted).toBe('dimensionless');
    expect(check('rateOf(Ca)').formatted).toBe(formatUnit(u('uM/ms')));
    expect(check('delay(V, 2)').formatted).toBe('mV');
  });

  it('treats bare numbers as dimension-free and unknown symbols as unknown', () => {
    const r = check('V + 10');
    expect(r.problems).toEqual([]);
    expect(r.formatted).toBe('mV');
    const free = check('2 * 3 + 1');
    expect(free.dimensionFree).toBe(true);
    expect(free.unit).toBeUndefined();
    expect(free.formatted).toBe('dimension-free');
    const unknown = check('V * mystery');
    expect(unknown.unit).toBeUndefined();
    expect(unknown.formatted).toBe('unknown');
    expect(unknown.problems).toEqual([]);
  });

  it('reports dimension mismatches with the offending sub-expression', () => {
    const r = check('k * (V + t) + 1');
    expect(r.problems).toEqual(["cannot add mV and ms in 'V + t'"]);
    expect(r.issues[0].at).toEqual(parseExpr('V + t'));
    expect(check('max(V, Ca)').problems).toEqual(["cannot compare mV and uM in 'max(V, Ca)'"]);
    expect(check('V < t').problems).toEqual(["cannot compare mV and ms in 'V < t'"]);
    expect(check('piecewise(V, t > 1, Ca)').problems).toEqual(["cannot choose between mV and uM in 'piecewise(V, t > 1, Ca)'"]);
    expect(check('V^n').problems).toEqual(["the exponent of a quantity in mV must be a constant number in 'V^n'"]);
    expect(check('2^V').problems).toEqual(["the exponent must be dimensionless, not mV in '2^V'"]);
    expect(check('log(Ca)').problems).toHaveLength(1);
    expect(check('delay(V, V)').problems).toEqual(["the delay must be a time (ms), not mV in 'delay(V, V)'"]);
  });

  it('warns about scale mismatches within one dimension', () => {
    const r = check('V + Vv');
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual(["adds mV and V (same dimension, scale differs by 1000) in 'V + Vv'"]);
    expect(check('log(Cao / Ca)').warnings).toEqual(["the argument of 'ln' is dimensionless but scaled by 1000 in 'ln(Cao / Ca)'"]);
  });
});
