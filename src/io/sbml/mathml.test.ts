import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Expr, TIME, evaluate, formatExpr, num, op, parseExpr, sym } from '../../math/index.js';
import { InputError } from '../errors.js';
import { AVOGADRO, type LambdaDef, type MathContext, readLambda, readMath } from './mathml.js';
import { exprToMathml, mathElement } from './mathml-write.js';
import { parseXml } from './xml.js';

const NS = 'xmlns="http://www.w3.org/1998/Math/MathML"';

function ctx(functions: Map<string, LambdaDef> = new Map(), known?: Set<string>): MathContext {
  return {
    file: 'test.xml', where: 'test', functions,
    ci: (name, el) => {
      if (known && !known.has(name)) throw new InputError(`undefined identifier '${name}'`, 'test.xml', name, el.line);
      return sym(name);
    },
  };
}

const read = (content: string, c: MathContext = ctx()): Expr => readMath(parseXml(`<math ${NS}>${content}</math>`), c);
const show = (content: string, c?: MathContext): string => formatExpr(read(content, c));

describe('MathML numbers', () => {
  it('reads every cn type', () => {
    expect(read('<cn type="integer"> -12 </cn>')).toEqual(num(-12));
    expect(read('<cn> 2.5e-3 </cn>')).toEqual(num(2.5e-3));
    expect(read('<cn type="real"> .5 </cn>')).toEqual(num(0.5));
    expect(read('<cn type="e-notation"> 1.5 <sep/> -3 </cn>')).toEqual(num(1.5e-3));
    expect(read('<cn type="rational"> 1 <sep/> 4 </cn>')).toEqual(num(0.25));
    expect(read('<cn> INF </cn>')).toEqual(num(Infinity));
    expect(read('<cn> -INF </cn>')).toEqual(num(-Infinity));
    expect(Number.isNaN((read('<cn> NaN </cn>') as { value: number }).value)).toBe(true);
  });

  it('reads e-notation as the decimal it stands for (one rounding)', () => {
    expect((read('<cn type="e-notation"> 0.1 <sep/> -7 </cn>') as { value: number }).value).toBe(1e-8);
  });

  it('rejects text that is not a number instead of reading it as 0', () => {
    expect(() => read('<cn> abc </cn>')).toThrow(/not a number/);
    expect(() => read('<cn> </cn>')).toThrow(InputError);
    expect(() => read('<cn type="integer"> 1.5 </cn>')).toThrow(/not an integer/);
    expect(() => read('<cn type="e-notation"> 1 </cn>')).toThrow(/mantissa/);
    expect(() => read('<cn type="complex"> 1 </cn>')).toThrow(/unsupported/);
  });

  it('reads the named constants', () => {
    expect(read('<pi/>')).toEqual(num(Math.PI));
    expect(read('<exponentiale/>')).toEqual(num(Math.E));
    expect(read('<true/>')).toEqual(num(1));
    expect(read('<false/>')).toEqual(num(0));
    expect(read('<infinity/>')).toEqual(num(Infinity));
  });
});

describe('MathML csymbols', () => {
  it('maps time, avogadro, delay and rateOf', () => {
    expect(read('<csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time"> t </csymbol>')).toEqual(sym(TIME));
    expect(read('<csymbol definitionURL="http://www.sbml.org/sbml/symbols/avogadro"> N </csymbol>')).toEqual(num(AVOGADRO));
    expect(read('<apply><csymbol definitionURL="http://www.sbml.org/sbml/symbols/delay"/><ci>x</ci><cn>2</cn></apply>'))
      .toEqual(op('delay', sym('x'), num(2)));
    expect(read('<apply><csymbol definitionURL="http://www.sbml.org/sbml/symbols/rateOf"/><ci>x</ci></apply>'))
      .toEqual(op('rateOf', sym('x')));
  });

  it('refuses unknown definitionURLs, naming them', () => {
    expect(() => read('<csymbol definitionURL="javascript:alert(1)"> t </csymbol>')).toThrow(/unsupported csymbol definitionURL "javascript:alert\(1\)"/);
    expect(() => read('<apply><csymbol definitionURL="http://www.sbml.org/sbml/symbols/time2"/><ci>x</ci></apply>')).toThrow(/unsupported csymbol function/);
    expect(() => read('<apply><csymbol definitionURL="http://www.sbml.org/sbml/symbols/rateOf"/><cn>1</cn></apply>')).toThrow(/single identifier/);
  });
});

describe('MathML operators', () => {
  it('keeps argument order and the MathML meaning of unusual argument counts', () => {
    expect(show('<apply><minus/><ci>a</ci><ci>b</ci></apply>')).toBe('a - b');
    expect(show('<apply><minus/><ci>a</ci></apply>')).toBe('-a');
    expect(read('<apply><plus/></apply>')).toEqual(num(0));
    expect(read('<apply><times/></apply>')).toEqual(num(1));
    expect(read('<apply><and/></apply>')).toEqual(num(1));
    expect(read('<apply><or/></apply>')).toEqual(num(0));
    expect(read('<apply><xor/></apply>')).toEqual(num(0));
    expect(read('<apply><lt/><ci>a</ci></apply>')).toEqual(num(1));
    expect(read('<apply><plus/><ci>a</ci></apply>')).toEqual(sym('a'));
    expect(show('<apply><divide/><ci>b</ci><ci>a</ci></apply>')).toBe('b / a');
    expect(show('<apply><power/><ci>b</ci><cn>3</cn></apply>')).toBe('b^3');
  });

  it('reads root with degree and log with base', () => {
    expect(read('<apply><root/><degree><cn>3</cn></degree><ci>x</ci></apply>')).toEqual(op('root', num(3), sym('x')));
    expect(read('<apply><root/><ci>x</ci></apply>')).toEqual(op('sqrt', sym('x')));
    expect(read('<apply><log/><logbase><cn>2</cn></logbase><ci>x</ci></apply>')).toEqual(op('logb', num(2), sym('x')));
    expect(read('<apply><log/><ci>x</ci></apply>')).toEqual(op('log10', sym('x')));
  });

  it('maps the arc and hyperbolic families and the L3V2 operators', () => {
    const names: [string, string][] = [['arcsec', 'asec'], ['arccsch', 'acsch'], ['arccoth', 'acoth'], ['ceiling', 'ceil'], ['sech', 'sech']];
    for (const [m, o] of names) expect(read(`<apply><${m}/><ci>x</ci></apply>`)).toEqual(op(o as 'sech', sym('x')));
    expect(read('<apply><quotient/><ci>a</ci><ci>b</ci></apply>')).toEqual(op('quotient', sym('a'), sym('b')));
    expect(read('<apply><rem/><ci>a</ci><ci>b</ci></apply>')).toEqual(op('rem', sym('a'), sym('b')));
    expect(read('<apply><implies/><ci>a</ci><ci>b</ci></apply>')).toEqual(op('implies', sym('a'), sym('b')));
    expect(read('<apply><max/><ci>a</ci><ci>b</ci><ci>c</ci></apply>')).toEqual(op('max', sym('a'), sym('b'), sym('c')));
    expect(read('<apply><geq/><ci>a</ci><ci>b</ci><ci>c</ci></apply>')).toEqual(op('ge', sym('a'), sym('b'), sym('c')));
  });

  it('reads piecewise pieces in order with the otherwise branch last', () => {
    const e = read('<piecewise><piece><cn>1</cn><apply><lt/><ci>x</ci><cn>0</cn></apply></piece>'
      + '<piece><cn>2</cn><apply><lt/><ci>x</ci><cn>1</cn></apply></piece><otherwise><cn>3</cn></otherwise></piecewise>');
    const at = (x: number): number => evaluate(e, () => x);
    expect([at(-1), at(0.5), at(5)]).toEqual([1, 2, 3]);
  });

  it('rejects wrong argument counts and unknown elements with the line', () => {
    expect(() => read('<apply><divide/><ci>a</ci></apply>')).toThrow(/divide> takes 2 arguments, got 1/);
    expect(() => read('<apply><sin/></apply>')).toThrow(/sin> takes 1 argument/);
    try {
      read('\n\n<apply><foo/><ci>a</ci></apply>');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).line).toBe(3);
      expect((e as InputError).message).toMatch(/unsupported MathML operator <foo>/);
    }
  });
});

describe('function definitions', () => {
  const lambda = (id: string, xml: string, fns: Map<string, LambdaDef>): LambdaDef =>
    readLambda(id, parseXml(`<math ${NS}>${xml}</math>`), fns, 'test.xml', 1);

  it('inlines calls by simultaneous substitution of the arguments in order', () => {
    const fns = new Map<string, LambdaDef>();
    fns.set('f', lambda('f', '<lambda><bvar><ci>x</ci></bvar><bvar><ci>y</ci></bvar><apply><minus/><ci>x</ci><ci>y</ci></apply></lambda>', fns));
    // f(y, x): a naive sequential substitution would give x - x.
    expect(show('<apply><ci>f</ci><ci>y</ci><ci>x</ci></apply>', ctx(fns))).toBe('y - x');
  });

  it('inlines functions that call functions, and bound variables named like time', () => {
    const fns = new Map<string, LambdaDef>();
    fns.set('sq', lambda('sq', '<lambda><bvar><ci>time</ci></bvar><apply><times/><ci>time</ci><ci>time</ci></apply></lambda>', fns));
    fns.set('g', lambda('g', '<lambda><bvar><ci>a</ci></bvar><apply><plus/><apply><ci>sq</ci><ci>a</ci></apply><cn>1</cn></apply></lambda>', fns));
    const e = read('<apply><ci>g</ci><csymbol definitionURL="http://www.sbml.org/sbml/symbols/time"/></apply>', ctx(fns));
    expect(evaluate(e, (n) => (n === TIME ? 3 : NaN))).toBe(10);
  });

  it('reports undefined functions, wrong arity and free variables in a body', () => {
    expect(() => show('<apply><ci>nope</ci><cn>1</cn></apply>')).toThrow(/call of 'nope', which is not a function definition/);
    const fns = new Map<string, LambdaDef>();
    fns.set('f', lambda('f', '<lambda><bvar><ci>x</ci></bvar><ci>x</ci></lambda>', fns));
    expect(() => show('<apply><ci>f</ci></apply>', ctx(fns))).toThrow(/takes 1 argument\(s\), got 0/);
    expect(() => lambda('h', '<lambda><bvar><ci>x</ci></bvar><ci>k</ci></lambda>', fns)).toThrow(/uses 'k', which is not one of its arguments/);
  });
});

describe('MathML writer', () => {
  const leaf = fc.oneof(
    fc.constantFrom('a', 'b', 'c', TIME).map(sym),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(num),
    fc.integer({ min: -5, max: 5 }).map(num),
  );
  const ops1 = ['neg', 'exp', 'sin', 'cos', 'abs', 'floor', 'ceil', 'atan', 'sinh', 'not', 'sqrt', 'log10', 'ln'] as const;
  const ops2 = ['sub', 'div', 'pow', 'lt', 'le', 'gt', 'ge', 'eq', 'neq', 'quotient', 'rem', 'implies', 'logb', 'root'] as const;
  const opsN = ['add', 'mul', 'min', 'max', 'and', 'or', 'xor'] as const;
  const { tree } = fc.letrec<{ tree: Expr }>((t) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom(...ops1), t('tree')).map(([o, x]) => op(o, x)),
      fc.tuple(fc.constantFrom(...ops2), t('tree'), t('tree')).map(([o, x, y]) => op(o, x, y)),
      fc.tuple(fc.constantFrom(...opsN), fc.array(t('tree'), { minLength: 2, maxLength: 3 })).map(([o, xs]) => op(o, ...xs)),
      fc.tuple(t('tree'), t('tree'), t('tree')).map(([v, c, w]) => op('piecewise', v, op('gt', c, num(0)), w)),
    ),
  }));
  const env = (n: string): number => ({ a: 0.7, b: -1.3, c: 2.5, [TIME]: 1.25 } as Record<string, number>)[n];
  const same = (x: number, y: number): boolean => Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x));

  it('writes MathML that reads back to an expression with the same value', () => {
    fc.assert(fc.property(tree, (e) => {
      const back = readMath(parseXml(mathElement(exprToMathml(e, (n) => n))), ctx());
      return same(evaluate(back, env), evaluate(e, env));
    }), { numRuns: 300 });
  });

  it('writes the infix examples exactly', () => {
    for (const src of ['a - b / c', 'root(3, a) + logb(2, b)', 'piecewise(a, b > 1, c)', 'min(a, b, c) * quotient(a, b)']) {
      const e = parseExpr(src);
      expect(formatExpr(readMath(parseXml(mathElement(exprToMathml(e, (n) => n))), ctx()))).toBe(formatExpr(e));
    }
  });
});

describe('MathML writer, signed zero', () => {
  it('keeps the sign of −0 (root(−0, 0) is 0^(−∞) = ∞, not 0^∞ = 0)', () => {
    const e = op('root', num(-0), num(0));
    const back = readMath(parseXml(mathElement(exprToMathml(e, (n) => n))), ctx());
    expect(evaluate(back, () => 0)).toBe(evaluate(e, () => 0));
  });
});
