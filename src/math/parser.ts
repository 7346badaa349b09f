/**
 * Infix formula syntax: {@link parseExpr} reads it into an {@link Expr}, {@link formatExpr}
 * writes an {@link Expr} back so that `parseExpr(formatExpr(e))` is structurally equal to `e`.
 *
 * Grammar, lowest precedence first:
 *
 * | level | syntax | tree |
 * |---|---|---|
 * | or | `a \|\| b \|\| c` | `or(a, b, c)` (an unparenthesised chain is one node) |
 * | and | `a && b && c` | `and(a, b, c)` |
 * | relational | `a < b`, `<=`, `>`, `>=`, `==`, `!=` | `lt`, `le`, `gt`, `ge`, `eq`, `neq`; not chainable (write `lt(a, b, c)`) |
 * | additive | `a + b + c`, `a - b` | `add(a, b, c)`, `sub(a, b)` (left-associative) |
 * | multiplicative | `a * b * c`, `a / b` | `mul(a, b, c)`, `div(a, b)` |
 * | unary | `-a`, `+a`, `!a` | `neg(a)`, `a`, `not(a)`; `-` directly before a number or named constant gives a negative number |
 * | power | `a ^ b` | `pow(a, b)`, right-associative and tighter than unary minus: `-x^2` = `-(x^2)`, `2^-1` is allowed |
 *
 * Atoms: numbers (`1`, `1e-3`, `.5`, `2.`), identifiers (letters, digits, `_`, and `.` for
 * namespaced names such as `cav13.m`), parenthesised expressions and function calls.
 * Named constants: `pi`, `exponentiale`, `true` (1), `false` (0), `inf`/`infinity` and
 * `nan`/`notanumber` (these four case-insensitively). `e` is an ordinary variable. `time` is
 * the symbol {@link TIME}.
 *
 * Functions: every operator name of {@link OPS} (`exp(x)`, `piecewise(v1, c1, …, otherwise)`,
 * `and(a, b)`, `root(n, x)`, `delay(x, tau)`, …) plus the aliases `log(x)` = `ln(x)`,
 * `log(b, x)` = `logb(b, x)` and `if(c, a, b)` = `piecewise(a, c, b)`. A name followed by `(`
 * that is none of these is an error; the same name without `(` is a variable.
 */
import { OPS, isOp, num, op, sym, type Expr, type Op } from './ast.js';
import { arityProblem } from './arity.js';

/** A syntax error in a formula; `column` is 1-based and points at the offending character. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    /** 1-based column of the offending token. */
    readonly column: number,
    /** The formula being parsed. */
    readonly source: string,
  ) {
    super(message);
  }
}

type TokenKind = 'num' | 'ident' | 'punct' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 0-based offset in the source. */
  readonly pos: number;
  /** For 'num' tokens. */
  readonly value?: number;
}

const PUNCT = ['<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '^', '(', ')', ',', '<', '>', '!'];
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentChar = (c: string): boolean => isIdentStart(c) || isDigit(c);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (msg: string, at: number): never => {
    throw new ParseError(`${msg} at column ${at + 1}`, at + 1, src);
  };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1] ?? ''))) {
      const start = i;
      while (isDigit(src[i] ?? '')) i++;
      if (src[i] === '.') {
        i++;
        while (isDigit(src[i] ?? '')) i++;
      }
      if (src[i] === 'e' || src[i] === 'E') {
        let j = i + 1;
        if (src[j] === '+' || src[j] === '-') j++;
        if (!isDigit(src[j] ?? '')) fail(`malformed exponent in number '${src.slice(start, j)}'`, start);
        while (isDigit(src[j] ?? '')) j++;
        i = j;
      }
      const text = src.slice(start, i);
      out.push({ kind: 'num', text, pos: start, value: Number(text) });
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      i++;
      while (i < src.length) {
        if (isIdentChar(src[i])) i++;
        else if (src[i] === '.' && isIdentChar(src[i + 1] ?? '')) i += 2;
        else break;
      }
      if (src[i] === '.') fail(`identifier '${src.slice(start, i)}' cannot end with '.'`, i);
      out.push({ kind: 'ident', text: src.slice(start, i), pos: start });
      continue;
    }
    const p = PUNCT.find((s) => src.startsWith(s, i));
    if (p === undefined) {
      const hint = c === '=' ? " (use '==' for equality)" : c === '&' ? " (use '&&')" : c === '|' ? " (use '||')" : '';
      fail(`unexpected character '${c}'${hint}`, i);
    }
    out.push({ kind: 'punct', text: p!, pos: i });
    i += p!.length;
  }
  out.push({ kind: 'end', text: '', pos: src.length });
  return out;
}

/** Constants recognised by exact spelling. */
const CONSTANTS: Readonly<Record<string, number>> = {
  pi: Math.PI,
  exponentiale: Math.E,
  true: 1,
  false: 0,
};
/** Constants recognised case-insensitively (SBML writes `INF`, `NaN`, `notanumber`). */
const CONSTANTS_ANY_CASE: Readonly<Record<string, number>> = {
  inf: Infinity,
  infinity: Infinity,
  nan: NaN,
  notanumber: NaN,
};

function constantValue(name: string): number | undefined {
  if (Object.prototype.hasOwnProperty.call(CONSTANTS, name)) return CONSTANTS[name];
  const lower = name.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(CONSTANTS_ANY_CASE, lower)) return CONSTANTS_ANY_CASE[lower];
  return undefined;
}

/** Deeper nesting than this is refused rather than risking a stack overflow. */
const MAX_DEPTH = 500;

const REL_OPS: Readonly<Record<string, Op>> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'neq' };

function describe(t: Token): string {
  if (t.kind === 'end') return 'end of input';
  if (t.kind === 'num') return `number '${t.text}'`;
  if (t.kind === 'ident') return `identifier '${t.text}'`;
  return `'${t.text}'`;
}

class Parser {
  private readonly toks: Token[];
  private i = 0;
  private depth = 0;

  constructor(private readonly src: string) {
    this.toks = tokenize(src);
  }

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === text;
  }
  private fail(t: Token, expected: string): never {
    throw new ParseError(`unexpected ${describe(t)} at column ${t.pos + 1}: ${expected}`, t.pos + 1, this.src);
  }
  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) {
      throw new ParseError(`expression nested too deeply at column ${t.pos + 1} (more than ${MAX_DEPTH} levels)`, t.pos + 1, this.src);
    }
  }

  parseAll(): Expr {
    const e = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'end') {
      this.fail(t, t.kind === 'punct' && t.text === ')' ? 'no matching \'(\'' : 'expected an operator or end of input');
    }
    return e;
  }

  /** A left-associative chain of one symbol collected into one variadic node. */
  private chainOf(sym: string, o: Op, sub: () => Expr): Expr {
    const first = sub();
    if (!this.isPunct(sym)) return first;
    const args = [first];
    while (this.isPunct(sym)) {
      this.next();
      args.push(sub());
    }
    return op(o, ...args);
  }

  private parseOr(): Expr {
    return this.chainOf('||', 'or', () => this.parseAnd());
  }
  private parseAnd(): Expr {
    return this.chainOf('&&', 'and', () => this.parseRel());
  }
  private parseRel(): Expr {
    const left = this.parseAdditive();
    const t = this.peek();
    if (t.kind !== 'punct' || !(t.text in REL_OPS)) return left;
    this.next();
    const right = this.parseAdditive();
    const t2 = this.peek();
    if (t2.kind === 'punct' && t2.text in REL_OPS) {
      throw new ParseError(
        `chained comparison at column ${t2.pos + 1}: use parentheses, '&&', or a function such as lt(a, b, c)`,
        t2.pos + 1,
        this.src,
      );
    }
    return op(REL_OPS[t.text], left, right);
  }

  /**
   * `a + b - c + d`: consecutive `+` extend one `add` node, `-` closes it into a binary `sub`.
   * The same scheme serves `*` and `/`.
   */
  private binaryChain(plus: string, minus: string, plusOp: Op, minusOp: Op, sub: () => Expr): Expr {
    let left = sub();
    let open: Expr[] | undefined; // arguments of an add/mul node still being extended
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || (t.text !== plus && t.text !== minus)) break;
      this.next();
      const right = sub();
      if (t.text === plus) {
        if (open !== undefined) {
          open.push(right);
        } else {
          open = [left, right];
        }
        left = op(plusOp, ...open);
      } else {
        left = op(minusOp, left, right);
        open = undefined;
      }
    }
    return left;
  }

  private parseAdditive(): Expr {
    return this.binaryChain('+', '-', 'add', 'sub', () => this.parseMultiplicative());
  }
  private parseMultiplicative(): Expr {
    return this.binaryChain('*', '/', 'mul', 'div', () => this.parseUnary());
  }

  private isLiteralStart(k: number): boolean {
    const t = this.peek(k);
    if (t.kind === 'num') return true;
    return t.kind === 'ident' && constantValue(t.text) !== undefined && !this.isPunct('(', k + 1);
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '-' || t.text === '+' || t.text === '!')) {
      this.next();
      this.enter(t);
      let e: Expr;
      if (t.text === '-' && this.isLiteralStart(0) && !this.isPunct('^', 1)) {
        // `-2` is the number -2 (so negative literals round-trip), but `-2^2` is -(2^2).
        const lit = this.parsePrimary();
        e = num(-(lit as { value: number }).value);
      } else {
        const operand = this.parseUnary();
        e = t.text === '-' ? op('neg', operand) : t.text === '!' ? op('not', operand) : operand;
      }
      this.depth--;
      return e;
    }
    return this.parsePower();
  }

  private parsePower(): Expr {
    const base = this.parsePrimary();
    if (!this.isPunct('^')) return base;
    const t = this.next();
    this.enter(t);
    const exponent = this.parseUnary(); // right-associative; allows 2^-1
    this.depth--;
    return op('pow', base, exponent);
  }

  private parsePrimary(): Expr {
    const t = this.next();
    if (t.kind === 'num') return num(t.value!);
    if (t.kind === 'ident') {
      if (this.isPunct('(')) return this.parseCall(t);
      const c = constantValue(t.text);
      return c !== undefined ? num(c) : sym(t.text);
    }
    if (t.kind === 'punct' && t.text === '(') {
      this.enter(t);
      const e = this.parseOr();
      const close = this.peek();
      if (!(close.kind === 'punct' && close.text === ')')) {
        this.fail(close, `expected ')' to close '(' at column ${t.pos + 1}`);
      }
      this.next();
      this.depth--;
      return e;
    }
    return this.fail(t, 'expected an expression');
  }

  private parseCall(name: Token): Expr {
    const open = this.next(); // '('
    this.enter(open);
    const args: Expr[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.parseOr());
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        if (this.isPunct(')')) break;
        this.fail(this.peek(), `expected ',' or ')' in the arguments of '${name.text}'`);
      }
    }
    this.next(); // ')'
    this.depth--;
    return this.makeCall(name, args);
  }

  private makeCall(name: Token, args: Expr[]): Expr {
    const col = name.pos + 1;
    const arityFail = (msg: string): never => {
      throw new ParseError(`${msg} at column ${col}`, col, this.src);
    };
    const fn = name.text;
    if (fn === 'log') {
      if (args.length === 1) return op('ln', args[0]);
      if (args.length === 2) return op('logb', args[0], args[1]);
      return arityFail(`'log' takes 1 or 2 arguments (log(x) or log(base, x)), got ${args.length}`);
    }
    if (fn === 'if') {
      if (args.length !== 3) return arityFail(`'if' takes 3 arguments (condition, then, else), got ${args.length}`);
      return op('piecewise', args[1], args[0], args[2]);
    }
    if (!isOp(fn)) {
      return arityFail(`unknown function '${fn}'`);
    }
    const bad = arityProblem(fn, args.length);
    if (bad !== undefined) arityFail(bad);
    return op(fn, ...args);
  }
}

/**
 * Parse an infix formula (syntax in the module comment).
 * @throws ParseError with the 1-based column of the problem, e.g.
 *   `unexpected ')' at column 7: expected an expression`.
 */
export function parseExpr(src: string): Expr {
  return new Parser(src).parseAll();
}

// ---------------------------------------------------------------------------------------------
// Formatting

const enum Prec {
  Or = 1,
  And = 2,
  Rel = 3,
  Add = 4,
  Mul = 5,
  Unary = 6,
  Pow = 7,
  Atom = 8,
}

interface Formatted {
  readonly text: string;
  readonly prec: Prec;
  /** The variadic operator whose infix chain this text is (for add/mul/and/or). */
  readonly chain?: Op;
}

const INFIX_CHAIN: Partial<Record<Op, [string, Prec]>> = {
  add: [' + ', Prec.Add],
  mul: [' * ', Prec.Mul],
  and: [' && ', Prec.And],
  or: [' || ', Prec.Or],
};
const INFIX_BINARY: Partial<Record<Op, [string, Prec]>> = {
  sub: [' - ', Prec.Add],
  div: [' / ', Prec.Mul],
};
const REL_TEXT: Partial<Record<Op, string>> = { lt: ' < ', le: ' <= ', gt: ' > ', ge: ' >= ', eq: ' == ', neq: ' != ' };

const wrap = (f: Formatted, needParens: boolean): string => (needParens ? `(${f.text})` : f.text);

function formatNumber(v: number): Formatted {
  if (Number.isNaN(v)) return { text: 'NaN', prec: Prec.Atom };
  if (v === Infinity) return { text: 'inf', prec: Prec.Atom };
  if (v < 0 || Object.is(v, -0)) return { text: `-${formatNumber(-v).text}`, prec: Prec.Unary };
  return { text: String(v), prec: Prec.Atom };
}

function fmt(e: Expr): Formatted {
  switch (e.kind) {
    case 'num':
      return formatNumber(e.value);
    case 'sym':
      return { text: e.name, prec: Prec.Atom };
    case 'op':
      return fmtOp(e.op, e.args);
  }
}

function call(name: string, args: readonly Expr[]): Formatted {
  return { text: `${name}(${args.map((a) => fmt(a).text).join(', ')})`, prec: Prec.Atom };
}

function fmtOp(o: Op, args: readonly Expr[]): Formatted {
  const chain = INFIX_CHAIN[o];
  if (chain !== undefined && args.length >= 2) {
    const [sep, p] = chain;
    const parts = args.map((a, i) => {
      const f = fmt(a);
      // The first operand may itself be a lower-or-equal level binary (a - b + c); a nested
      // chain of the same operator would merge on re-parsing, so it keeps its parentheses.
      return wrap(f, i === 0 ? f.prec < p || f.chain === o : f.prec <= p);
    });
    return { text: parts.join(sep), prec: p, chain: o };
  }
  const bin = INFIX_BINARY[o];
  if (bin !== undefined && args.length === 2) {
    const [sep, p] = bin;
    const l = fmt(args[0]);
    const r = fmt(args[1]);
    return { text: wrap(l, l.prec < p) + sep + wrap(r, r.prec <= p), prec: p };
  }
  const rel = REL_TEXT[o];
  if (rel !== undefined && args.length === 2) {
    const l = fmt(args[0]);
    const r = fmt(args[1]);
    return { text: wrap(l, l.prec <= Prec.Rel) + rel + wrap(r, r.prec <= Prec.Rel), prec: Prec.Rel };
  }
  if ((o === 'neg' || o === 'not') && args.length === 1) {
    const f = fmt(args[0]);
    // A number right after '-' would be read back as a negative literal, so it is bracketed.
    const needs = f.prec < Prec.Unary || (o === 'neg' && args[0].kind === 'num');
    return { text: (o === 'neg' ? '-' : '!') + wrap(f, needs), prec: Prec.Unary };
  }
  if (o === 'pow' && args.length === 2) {
    const b = fmt(args[0]);
    const x = fmt(args[1]);
    return { text: `${wrap(b, b.prec !== Prec.Atom)}^${wrap(x, x.prec < Prec.Unary)}`, prec: Prec.Pow };
  }
  if (o === 'logb' && args.length === 2) return call('log', args);
  return call(o, args);
}

/**
 * Infix text for `e` that {@link parseExpr} reads back to a structurally equal tree, with only
 * the parentheses the grammar needs. Symbol names are written as they are: a name that is not
 * an identifier of the grammar, or that spells a named constant (`pi`, `inf`, …), does not
 * read back as the same symbol.
 */
export function formatExpr(e: Expr): string {
  return fmt(e).text;
}

/** Names the parser accepts as functions (operator names plus the aliases `log` and `if`). */
export const FUNCTION_NAMES: readonly string[] = [...Object.keys(OPS), 'log', 'if'];
