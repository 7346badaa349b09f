"""Shared reader for the IVP test problems (<dir>/<name>/reference.json).

Parses the infix formulas of `rhs_published`, `assignment_rules` and
`initial_assignments` into a small expression tree, and prints that tree as
C or Python source with explicit parentheses, so the generated code evaluates
every operation in the same order as the published formula (this matters for
E5, whose reference depends on the grouping of `(p1 - p3) - (p2 - p4)`).
The same tree is converted to SymPy only for the analytic Jacobian.

Grammar (usual precedence, left-associative + - * /, right-associative ^):
  expr    := term (('+' | '-') term)*
  term    := unary (('*' | '/') unary)*
  unary   := ('-' | '+') unary | power
  power   := primary (('^' | '**') unary)?
  primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
"""

import json
import math
import os
import re


class ModelError(Exception):
    """Bad input: message names the file and the field."""


# ---------------------------------------------------------------- parsing

_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|[-+*/^(),]))"
)

# function name -> (arity, C name, Python name)
FUNCTIONS = {
    "pow": (2, "pow", "_pow"),
    "exp": (1, "exp", "_m.exp"),
    "log": (1, "log", "_m.log"),
    "ln": (1, "log", "_m.log"),
    "log10": (1, "log10", "_m.log10"),
    "sqrt": (1, "sqrt", "_m.sqrt"),
    "sin": (1, "sin", "_m.sin"),
    "cos": (1, "cos", "_m.cos"),
    "tan": (1, "tan", "_m.tan"),
    "tanh": (1, "tanh", "_m.tanh"),
    "abs": (1, "fabs", "abs"),
    "fabs": (1, "fabs", "abs"),
}


def _tokenize(text, where):
    pos, out = 0, []
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ModelError(f"{where}: cannot read formula at character {pos + 1}: {text!r}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text, where):
        self.toks = _tokenize(text, where)
        self.i = 0
        self.where = where
        self.text = text

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            want = repr(value) if value else "more input"
            raise ModelError(f"{self.where}: expected {want} in formula {self.text!r}")
        self.i += 1
        return tok

    def parse(self):
        node = self.expr()
        if self.i != len(self.toks):
            raise ModelError(f"{self.where}: unexpected {self.peek()[1]!r} in formula {self.text!r}")
        return node

    def expr(self):
        node = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            node = ("bin", op, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            node = ("bin", op, node, self.unary())
        return node

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        if self.peek() == ("op", "+"):
            self.take()
            return self.unary()
        return self.power()

    def power(self):
        base = self.primary()
        if self.peek() in (("op", "^"), ("op", "**")):
            self.take()
            return ("call", "pow", [base, self.unary()])
        return base

    def primary(self):
        kind, val = self.take()
        if kind == "num":
            return ("num", float(val))
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take("(")
                args = [self.expr()]
                while self.peek() == ("op", ","):
                    self.take(",")
                    args.append(self.expr())
                self.take(")")
                if val not in FUNCTIONS:
                    raise ModelError(f"{self.where}: unknown function {val!r} in formula {self.text!r}")
                if len(args) != FUNCTIONS[val][0]:
                    raise ModelError(f"{self.where}: {val}() takes {FUNCTIONS[val][0]} argument(s) in {self.text!r}")
                return ("call", val, args)
            return ("var", val)
        if val == "(":
            node = self.expr()
            self.take(")")
            return node
        raise ModelError(f"{self.where}: unexpected {val!r} in formula {self.text!r}")


def parse(text, where):
    if not isinstance(text, str) or not text.strip():
        raise ModelError(f"{where}: formula must be a non-empty string")
    return _Parser(text, where).parse()


def names_in(node, acc=None):
    acc = set() if acc is None else acc
    kind = node[0]
    if kind == "var":
        acc.add(node[1])
    elif kind == "neg":
        names_in(node[1], acc)
    elif kind == "bin":
        names_in(node[2], acc)
        names_in(node[3], acc)
    elif kind == "call":
        for a in node[2]:
            names_in(a, acc)
    return acc


# ---------------------------------------------------------------- printing

def c_number(x):
    if not math.isfinite(x):
        raise ModelError(f"non-finite number {x!r}")
    s = repr(float(x))  # shortest round-trip repr: same double in C
    return s


def to_c(node, name_of):
    """C source, fully parenthesised (same evaluation order as the formula)."""
    kind = node[0]
    if kind == "num":
        return c_number(node[1])
    if kind == "var":
        return name_of(node[1])
    if kind == "neg":
        return f"(-{to_c(node[1], name_of)})"
    if kind == "bin":
        return f"({to_c(node[2], name_of)} {node[1]} {to_c(node[3], name_of)})"
    fn = FUNCTIONS[node[1]][1]
    return f"{fn}(" + ", ".join(to_c(a, name_of) for a in node[2]) + ")"


def to_py(node, name_of):
    """Python source for float arithmetic, same order as the formula."""
    kind = node[0]
    if kind == "num":
        return c_number(node[1])
    if kind == "var":
        return name_of(node[1])
    if kind == "neg":
        return f"(-{to_py(node[1], name_of)})"
    if kind == "bin":
        return f"({to_py(node[2], name_of)} {node[1]} {to_py(node[3], name_of)})"
    fn = FUNCTIONS[node[1]][2]
    return f"{fn}(" + ", ".join(to_py(a, name_of) for a in node[2]) + ")"


def evaluate(node, env):
    """Numeric value in double precision (for initial assignments)."""
    src = to_py(node, lambda n: f"_env[{n!r}]")
    return float(eval(src, {"_m": math, "_pow": math.pow, "_env": env}))


# ---------------------------------------------------------------- problem

class Problem:
    def __init__(self, path):
        self.path = path
        try:
            with open(path) as fh:
                d = json.load(fh)
        except OSError as e:
            raise ModelError(f"{path}: cannot read: {e.strerror}") from None
        except json.JSONDecodeError as e:
            raise ModelError(f"{path}: line {e.lineno}: invalid JSON: {e.msg}") from None
        self.raw = d

        def need(field, kind):
            if field not in d:
                raise ModelError(f"{path}: missing field {field!r}")
            if not isinstance(d[field], kind):
                raise ModelError(f"{path}: field {field!r} has the wrong type")
            return d[field]

        self.name = os.path.basename(os.path.dirname(os.path.abspath(path)))
        self.title = d.get("problem", self.name)
        self.stiff = bool(need("stiff", bool))
        self.t0 = float(need("t0", (int, float)))
        self.tend = float(need("tend", (int, float)))
        initial = need("initial", dict)
        self.params = {k: float(v) for k, v in need("parameters", dict).items()}
        rhs = need("rhs_published", dict)
        self.states = list(d.get("state_variables") or rhs.keys())
        for s in self.states:
            if s not in rhs:
                raise ModelError(f"{path}: rhs_published has no formula for state {s!r}")
            if s not in initial:
                raise ModelError(f"{path}: initial has no value for state {s!r}")
        self.y0 = [float(initial[s]) for s in self.states]

        # initial assignments: constants, evaluated in order in double precision
        env = dict(self.params)
        env.update(zip(self.states, self.y0))
        self.consts = {}
        for k, text in (d.get("initial_assignments") or {}).items():
            node = parse(text, f"{path}: initial_assignments.{k}")
            self._check_names(node, set(env), f"initial_assignments.{k}")
            env[k] = self.consts[k] = evaluate(node, env)

        known = set(self.states) | set(self.params) | set(self.consts)
        self.rules = []  # ordered (name, tree)
        for k, text in (d.get("assignment_rules") or {}).items():
            node = parse(text, f"{path}: assignment_rules.{k}")
            self._check_names(node, known, f"assignment_rules.{k}")
            self.rules.append((k, node))
            known.add(k)
        self.rhs = []
        for s in self.states:
            node = parse(rhs[s], f"{path}: rhs_published.{s}")
            self._check_names(node, known, f"rhs_published.{s}")
            self.rhs.append(node)

        self.ref = [float(x) for x in need("reference_vector", list)]
        if len(self.ref) != len(self.states):
            raise ModelError(f"{path}: reference_vector has {len(self.ref)} entries, expected {len(self.states)}")
        cmp_names = d.get("compare_components") or self.states
        for c in cmp_names:
            if c not in self.states:
                raise ModelError(f"{path}: compare_components names unknown state {c!r}")
        self.cmp = [self.states.index(c) for c in cmp_names]
        rec = (d.get("reference_recomputed") or {}).get("values")
        self.ref2 = [float(rec[s]) for s in self.states] if rec else None

    def _check_names(self, node, known, field):
        unknown = sorted(names_in(node) - known)
        if unknown:
            raise ModelError(f"{self.path}: {field}: unknown name(s) {', '.join(unknown)}")

    # -------- SymPy view (for the Jacobian)
    def sympy_system(self):
        """(state symbols, constant symbols with values, rhs exprs with rules substituted)."""
        import sympy as sp

        sym = {}
        for n in self.states + list(self.params) + list(self.consts):
            sym[n] = sp.Symbol("m_" + n, real=True)
        literals = {}  # value -> symbol, for non-simple float literals (keeps them exact)

        def lit(x):
            if float(x).is_integer():
                return sp.Integer(int(x))
            for den in (2, 4, 8, 10):
                if float(x * den).is_integer() and abs(x) < 1e6:
                    v = sp.Rational(int(round(x * den)), den)
                    if float(v) == x:
                        return v
            if x not in literals:
                literals[x] = sp.Symbol(f"c_lit{len(literals)}", real=True)
            return literals[x]

        funcs = {
            "exp": sp.exp, "log": sp.log, "ln": sp.log, "sqrt": sp.sqrt,
            "log10": lambda a: sp.log(a, 10), "sin": sp.sin, "cos": sp.cos,
            "tan": sp.tan, "tanh": sp.tanh, "abs": sp.Abs, "fabs": sp.Abs,
            "pow": lambda a, b: a ** b,
        }
        rules = {}

        def conv(node):
            kind = node[0]
            if kind == "num":
                return lit(node[1])
            if kind == "var":
                return rules[node[1]] if node[1] in rules else sym[node[1]]
            if kind == "neg":
                return -conv(node[1])
            if kind == "bin":
                a, b = conv(node[2]), conv(node[3])
                return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[node[1]]
            return funcs[node[1]](*[conv(a) for a in node[2]])

        for k, node in self.rules:
            rules[k] = conv(node)
        f = [conv(node) for node in self.rhs]
        ys = [sym[s] for s in self.states]
        consts = [(sym[n], v) for n, v in list(self.params.items()) + list(self.consts.items())]
        consts += [(s, v) for v, s in literals.items()]
        return ys, consts, f


def load(path):
    return Problem(path)


def problem_dirs(root, only=None):
    if not os.path.isdir(root):
        raise ModelError(f"{root}: problem directory not found")
    names = sorted(n for n in os.listdir(root) if os.path.isfile(os.path.join(root, n, "reference.json")))
    if only:
        want = [w for w in only.split(",") if w]
        missing = [w for w in want if w not in names]
        if missing:
            raise ModelError(f"{root}: no problem(s) {', '.join(missing)} (have {', '.join(names)})")
        names = [n for n in names if n in want]
    if not names:
        raise ModelError(f"{root}: no <name>/reference.json found")
    return [(n, os.path.join(root, n, "reference.json")) for n in names]


# ---------------------------------------------------------------- accuracy

def scd(y, ref, cmp):
    """-log10(max_i |y_i - ref_i| / |ref_i|) over compared components with ref_i != 0."""
    errs = [abs(y[i] - ref[i]) / abs(ref[i]) for i in cmp if ref[i] != 0.0]
    return _digits(errs)


def mescd(y, ref, cmp, rtol, atol):
    """-log10(max_i |y_i - ref_i| / (atol/rtol + |ref_i|)) over compared components."""
    errs = [abs(y[i] - ref[i]) / (atol / rtol + abs(ref[i])) for i in cmp]
    return _digits(errs)


def _digits(errs):
    if not errs:
        return None
    if any(math.isnan(e) for e in errs):
        return None
    e = max(errs)
    if e == 0.0:
        return None  # exact agreement: reported as null (infinite digits)
    return -math.log10(e)


SWEEP_RTOLS = [1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]
SWEEP_ATOL_FACTOR = 1e-4  # atol = 1e-4 * rtol
