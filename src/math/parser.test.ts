import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exprEquals, num, op, sym, symbolsOf, type Expr } from './ast.js';
import { evaluate } from './interpret.js';
import { ParseError, formatExpr, parseExpr } from './parser.js';
import { ALL_OPS, anyDouble, exprArb } from './test-helpers/arbitraries.js';

const x = sym('x');
const y = sym('y');
const z = sym('z');

const expectTree = (src: string, tree: Expr): void => {
  const got = parseExpr(src);
  if (!exprEquals(got, tree)) throw new Error(`${src}: got ${JSON.stringify(got)}, expected ${JSON.stringify(tree)}`);
};

const expectError = (src: string, column: number, fragment: string): void => {
  let err: unknown;
  try {
    parseExpr(src);
  } catch (e) {
    err = e;
  }
  expect(err, `no error for ${JSON.stringify(src)}`).toBeInstanceOf(ParseError);
  const pe = err as ParseError;
  expect(pe.column, pe.message).toBe(column);
  expect(pe.message).toContain(fragment);
};

// The shared IVP test set (stiff benchmark problems) sits next to the repository.
const IVP_DIR = fileURLToPath(new URL('../../../shared/ivp/', import.meta.url));

interface Reference {
  /** Directory name (the `problem` field is upper-case). */
  dir: string;
  state_variables: string[];
  initial: Record<string, number>;
  parameters: Record<string, number>;
  rhs_published: Record<string, string>;
  assignment_rules: Record<string, string>;
  initial_assignments: Record<string, string>;
}

const references: Reference[] = existsSync(IVP_DIR)
  ? readdirSync(IVP_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(IVP_DIR, d.name, 'reference.json')))
      .map((d) => ({ ...(JSON.parse(readFileSync(join(IVP_DIR, d.name, 'reference.json'), 'utf8')) as Reference), dir: d.name }))
  : [];

describe('parseExpr on the IVP reference formulas', () => {
  it('finds all six problems', () => {
    expect(references.map((r) => r.dir).sort()).toEqual(['aren', 'e5', 'plei', 'pollu', 'rober', 'vdpol']);
  });

  for (const ref of references) {
    it(`${ref.dir}: every formula parses, references only known names and evaluates at t0`, () => {
      const values = new Map<string, number>([...Object.entries(ref.initial), ...Object.entries(ref.parameters)]);
      const known = new Set([...values.keys(), ...Object.keys(ref.assignment_rules), ...Object.keys(ref.initial_assignments)]);
      const formulas = { ...ref.initial_assignments, ...ref.assignment_rules, ...ref.rhs_published };
      const parsed = new Map(Object.entries(formulas).map(([k, s]) => [k, parseExpr(s)]));
      for (const [k, e] of parsed) {
        for (const s of symbolsOf(e)) expect(known.has(s), `${ref.dir}.${k} uses unknown '${s}'`).toBe(true);
        // Printing and re-reading gives the same tree.
        expect(exprEquals(parseExpr(formatExpr(e)), e)).toBe(true);
      }
      // Initial assignments and rules are acyclic here; evaluate them lazily with a depth guard.
      const env = (name: string, depth = 0): number => {
        const v = values.get(name);
        if (v !== undefined) return v;
        const f = parsed.get(name);
        if (f === undefined || depth > 20) throw new Error(`no value for ${name}`);
        const r = evaluate(f, (n) => env(n, depth + 1));
        values.set(name, r);
        return r;
      };
      for (const s of ref.state_variables) {
        expect(Number.isFinite(evaluate(parsed.get(s)!, (n) => env(n))), `${ref.dir} d${s}/dt`).toBe(true);
      }
    });
  }

  it('rober: the published right-hand side at y = (1, 0, 0) is (-k1, k1, 0)', () => {
    const rober = references.find((r) => r.dir === 'rober')!;
    const env = (n: string): number => ({ y1: 1, y2: 0, y3: 0, ...rober.parameters })[n]!;
    const k1 = rober.parameters.k1;
    expect(evaluate(parseExpr(rober.rhs_published.y1), env)).toBe(-k1);
    expect(evaluate(parseExpr(rober.rhs_published.y2), env)).toBe(k1);
    expect(evaluate(parseExpr(rober.rhs_published.y3), env)).toBe(0);
  });

  it('known trees from the reference files', () => {
    // rober y1
    expectTree('-k1*y1 + k3*y2*y3', op('add', op('mul', op('neg', sym('k1')), sym('y1')), op('mul', sym('k3'), sym('y2'), sym('y3'))));
    // aren D1
    expectTree(
      'pow(pow(y1 + mu, 2) + pow(y2, 2), 1.5)',
      op('pow', op('add', op('pow', op('add', sym('y1'), sym('mu')), num(2)), op('pow', sym('y2'), num(2))), num(1.5)),
    );
    // pollu y5: a flat sum with a leading minus
    expectTree('-r3+r4+r4', op('add', op('neg', sym('r3')), sym('r4'), sym('r4')));
    // aren mup
    expectTree('1 - mu', op('sub', num(1), sym('mu')));
  });
});

describe('parseExpr syntax', () => {
  it('reads numbers in every accepted form', () => {
    expectTree('1e-3', num(1e-3));
    expectTree('.5', num(0.5));
    expectTree('2.', num(2));
    expectTree('2.5E+2', num(250));
    expectTree('-2', num(-2));
    expectTree('- 1e-3', num(-1e-3));
  });

  it('gives precedence and associativity', () => {
    expectTree('-x^2', op('neg', op('pow', x, num(2))));
    expectTree('-2^2', op('neg', op('pow', num(2), num(2))));
    expectTree('x^y^z', op('pow', x, op('pow', y, z)));
    expectTree('2^-1', op('pow', num(2), num(-1)));
    expectTree('x^-y^2', op('pow', x, op('neg', op('pow', y, num(2)))));
    expectTree('x + y * z', op('add', x, op('mul', y, z)));
    expectTree('(x + y) * z', op('mul', op('add', x, y), z));
    expectTree('x - y - z', op('sub', op('sub', x, y), z));
    expectTree('x - y + z', op('add', op('sub', x, y), z));
    expectTree('x + y - z', op('sub', op('add', x, y), z));
    expectTree('x / y / z', op('div', op('div', x, y), z));
    expectTree('x * y / z * x', op('mul', op('div', op('mul', x, y), z), x));
    expectTree('x + y + z', op('add', x, y, z));
    expectTree('(x + y) + z', op('add', op('add', x, y), z));
    expectTree('-x * y', op('mul', op('neg', x), y));
    expectTree('x * -y', op('mul', x, op('neg', y)));
    expectTree('x < y + 1', op('lt', x, op('add', y, num(1))));
    expectTree('x < y && y >= z || !x', op('or', op('and', op('lt', x, y), op('ge', y, z)), op('not', x)));
    expectTree('x == y', op('eq', x, y));
    expectTree('x != y', op('neq', x, y));
    expectTree('x <= y', op('le', x, y));
    expectTree('x > y', op('gt', x, y));
    expectTree('--x', op('neg', op('neg', x)));
    expectTree('+x', x);
  });

  it('reads functions, aliases and constants', () => {
    expectTree('log(x)', op('ln', x));
    expectTree('ln(x)', op('ln', x));
    expectTree('log(2, x)', op('logb', num(2), x));
    expectTree('log10(x)', op('log10', x));
    expectTree('if(x > 0, y, z)', op('piecewise', y, op('gt', x, num(0)), z));
    expectTree('piecewise(1, x < 0, 2, x < 1, 3)', op('piecewise', num(1), op('lt', x, num(0)), num(2), op('lt', x, num(1)), num(3)));
    expectTree('and(x, y, z)', op('and', x, y, z));
    expectTree('or(x)', op('or', x));
    expectTree('not(x)', op('not', x));
    expectTree('min(x, y, z) + max(x)', op('add', op('min', x, y, z), op('max', x)));
    expectTree('sech(x) * acoth(y)', op('mul', op('sech', x), op('acoth', y)));
    expectTree('pi', num(Math.PI));
    expectTree('exponentiale', num(Math.E));
    expectTree('e', sym('e'));
    expectTree('true + false', op('add', num(1), num(0)));
    expectTree('inf', num(Infinity));
    expectTree('-INF', num(-Infinity));
    expectTree('Infinity', num(Infinity));
    expectTree('nan', num(NaN));
    expectTree('NaN', num(NaN));
    expectTree('time', sym('time'));
    expectTree('cav13.m * camkii.T286', op('mul', sym('cav13.m'), sym('camkii.T286')));
    expectTree('exp', sym('exp')); // a function name without '(' is a variable
    expectTree('delay(x, 2)', op('delay', x, num(2)));
  });

  it('reports errors with the 1-based column', () => {
    expectError('(a + b))', 8, "unexpected ')' at column 8: no matching '('");
    expectError('a * (b +)', 9, "unexpected ')' at column 9: expected an expression");
    expectError('a + * b', 5, "unexpected '*' at column 5: expected an expression");
    expectError('', 1, 'unexpected end of input at column 1: expected an expression');
    expectError('(a + b', 7, "expected ')' to close '(' at column 1");
    expectError('foo(x)', 1, "unknown function 'foo'");
    expectError('x + exp(1, 2)', 5, "'exp' takes 1 argument, got 2 at column 5");
    expectError('log(1, 2, 3)', 1, "'log' takes 1 or 2 arguments");
    expectError('if(x, y)', 1, "'if' takes 3 arguments");
    expectError('min()', 1, "'min' takes at least 1 argument, got 0");
    expectError('1e-', 1, "malformed exponent in number '1e-'");
    expectError('a $ b', 3, "unexpected character '$' at column 3");
    expectError('a = b', 3, "use '=='");
    expectError('a & b', 3, "use '&&'");
    expectError('a < b < c', 7, 'chained comparison at column 7');
    expectError('x. + 1', 2, "identifier 'x' cannot end with '.'");
    expectError('2 x', 3, "unexpected identifier 'x' at column 3: expected an operator");
    expectError('f(a,)', 5, "unexpected ')' at column 5: expected an expression");
    expectError('exp(a b)', 7, "expected ',' or ')' in the arguments of 'exp'");
  });

  it('refuses absurd nesting with a ParseError instead of overflowing the stack', () => {
    expectError('('.repeat(100000) + 'x' + ')'.repeat(100000), 501, 'nested too deeply');
    expect(() => parseExpr('-'.repeat(100000) + 'x')).toThrow(ParseError);
    // Long flat chains are fine.
    expect(parseExpr(Array.from({ length: 5000 }, (_, i) => `x${i}`).join(' + ')).kind).toBe('op');
  });
});

describe('formatExpr', () => {
  it('prints minimal, readable infix', () => {
    expect(formatExpr(parseExpr('(a + b) * c - -d / (e - f)'))).toBe('(a + b) * c - -d / (e - f)');
    expect(formatExpr(op('neg', num(2)))).toBe('-(2)');
    expect(formatExpr(op('pow', num(-2), num(2)))).toBe('(-2)^2');
    expect(formatExpr(op('pow', op('pow', x, y), z))).toBe('(x^y)^z');
    expect(formatExpr(op('logb', num(2), x))).toBe('log(2, x)');
    expect(formatExpr(op('add'))).toBe('add()');
    expect(formatExpr(op('lt', x, y, z))).toBe('lt(x, y, z)');
    expect(formatExpr(num(-Infinity))).toBe('-inf');
  });

  it('round-trips random trees over every operator and any double', () => {
    fc.assert(
      fc.property(exprArb({ ops: ALL_OPS, values: anyDouble }), (e) => {
        const text = formatExpr(e);
        const back = parseExpr(text);
        if (!exprEquals(back, e)) throw new Error(`${text} re-parsed as ${formatExpr(back)}`);
      }),
      { numRuns: 3000 },
    );
  });
});
