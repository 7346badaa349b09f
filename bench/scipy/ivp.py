#!/usr/bin/python3
"""SciPy reference benchmark on the IVP test problems.

Solves each <dir>/<name>/reference.json problem with scipy.integrate.solve_ivp
(stiff: BDF and Radau with the analytic Jacobian; non-stiff: DOP853 and RK45)
and prints one JSON line per problem, method and tolerance. Only the
solve_ivp call is timed (median of --repeats); building the right-hand side
and the Jacobian (SymPy) is setup and not timed. See bench/README.md.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

import ivpmodel  # noqa: E402

try:
    import numpy as np
    import scipy
    from scipy.integrate import solve_ivp
except ImportError as e:  # pragma: no cover
    sys.exit(f"ivp.py: {e.name} not importable by {sys.executable}; install python3-scipy "
             "(Debian) and run with /usr/bin/python3, or pip install scipy sympy")

STIFF_METHODS = ["BDF", "Radau"]
NONSTIFF_METHODS = ["DOP853", "RK45"]


class BudgetExceeded(Exception):
    pass


def build_rhs(p):
    """Python source of f(t, y) with the published operation order, compiled."""
    def name_of(n):
        return "m_" + n

    lines = ["def rhs(t, y):"]
    lines.append("    " + ", ".join(name_of(s) for s in p.states) + (", = " if len(p.states) == 1 else " = ")
                 + "y.tolist()")
    for k, v in list(p.params.items()) + list(p.consts.items()):
        lines.append(f"    {name_of(k)} = {ivpmodel.c_number(v)}")
    for k, node in p.rules:
        lines.append(f"    {name_of(k)} = {ivpmodel.to_py(node, name_of)}")
    lines.append("    return [" + ", ".join(ivpmodel.to_py(node, name_of) for node in p.rhs) + "]")
    src = "\n".join(lines) + "\n"
    env = {"_m": math, "_pow": math.pow}
    exec(compile(src, f"<rhs {p.name}>", "exec"), env)
    return env["rhs"]


def build_jac(p):
    import sympy as sp

    ys, consts, f = p.sympy_system()
    J = sp.Matrix(f).jacobian(sp.Matrix(ys))
    cs = [c for c, _ in consts]
    cvals = [v for _, v in consts]
    fj = sp.lambdify(ys + cs, J, modules="numpy", cse=True)

    def jac(t, y):
        return np.asarray(fj(*y.tolist(), *cvals), dtype=float)

    return jac


def solve_once(p, method, rhs, jac, rtol, atol, max_nf):
    calls = [0]

    def fun(t, y):
        calls[0] += 1
        if calls[0] > max_nf:
            raise BudgetExceeded()
        return rhs(t, y)

    kw = {"jac": jac} if method in ("BDF", "Radau", "LSODA") else {}
    t_start = time.perf_counter()
    try:
        sol = solve_ivp(fun, (p.t0, p.tend), np.array(p.y0, dtype=float), method=method,
                        rtol=rtol, atol=atol, **kw)
    except BudgetExceeded:
        return (time.perf_counter() - t_start) * 1e3, None
    return (time.perf_counter() - t_start) * 1e3, sol


def finite_or_none(x, nd=None):
    if x is None or not math.isfinite(x):
        return None
    return round(x, nd) if nd is not None else x


def run(p, method, rtol, atol, repeats, max_nf, rhs, jac):
    times, sol = [], None
    for _ in range(repeats):
        ms, sol = solve_once(p, method, rhs, jac, rtol, atol, max_nf)
        times.append(ms)
        if sol is None or sol.status != 0:
            break
    rec = {"problem": p.name, "method": f"scipy-{method}", "stiff": p.stiff,
           "rtol": rtol, "atol": atol,
           "ms": round(statistics.median(times), 4), "ms_min": round(min(times), 4),
           "repeats": len(times)}
    if sol is None:
        rec.update({"steps": None, "nf": max_nf, "nJ": None, "nLU": None, "retcode": -2,
                    "message": f"stopped after {max_nf} rhs evaluations (--max-nf)",
                    "scd": None, "mescd": None, "final": None})
    else:
        y = [float(v) for v in sol.y[:, -1]]
        reached = sol.status == 0
        rec.update({"steps": len(sol.t) - 1, "nf": int(sol.nfev), "nJ": int(sol.njev),
                    "nLU": int(sol.nlu), "retcode": int(sol.status)})
        if not reached:
            rec["message"] = f"{sol.message} (t = {sol.t[-1]:.6g})"
        rec["scd"] = finite_or_none(ivpmodel.scd(y, p.ref, p.cmp), 3)
        rec["mescd"] = finite_or_none(ivpmodel.mescd(y, p.ref, p.cmp, rtol, atol), 3)
        if p.ref2:
            rec["scd_recomputed"] = finite_or_none(ivpmodel.scd(y, p.ref2, p.cmp), 3)
            rec["mescd_recomputed"] = finite_or_none(ivpmodel.mescd(y, p.ref2, p.cmp, rtol, atol), 3)
        rec["final"] = [finite_or_none(v) for v in y]
    rec["solver"] = f"scipy {scipy.__version__}"
    return rec


def positive(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (v > 0 and math.isfinite(v)):
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return v


def factor_arg(text):
    name, sep, val = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=F, got {text!r}")
    return name, positive(val)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="SciPy solve_ivp reference benchmark on the IVP test problems (JSON lines on stdout).")
    ap.add_argument("--rtol", type=positive, default=1e-6, help="relative tolerance (default 1e-6)")
    ap.add_argument("--atol", type=positive, default=1e-10, help="absolute tolerance (default 1e-10)")
    ap.add_argument("--repeats", type=int, default=3, help="solves per case; median time reported (default 3)")
    ap.add_argument("--dir", default="../shared/ivp",
                    help="problem directory with <name>/reference.json (default ../shared/ivp)")
    ap.add_argument("--only", help="comma-separated problem names")
    ap.add_argument("--methods", help="comma-separated solve_ivp methods for every problem "
                    "(default: BDF,Radau if stiff, DOP853,RK45 otherwise)")
    ap.add_argument("--sweep", action="store_true",
                    help="rtol = 1e-3 ... 1e-10 with atol = 1e-4 * rtol (--rtol/--atol ignored)")
    ap.add_argument("--atol-factor", type=factor_arg, action="append", default=[], metavar="NAME=F",
                    help="for problem NAME use atol = F * rtol (also in --sweep), e.g. e5=1e-18")
    ap.add_argument("--max-nf", type=int, default=500000,
                    help="give up a solve after this many rhs evaluations (default 500000)")
    a = ap.parse_args(argv)
    factors = dict(a.atol_factor)

    try:
        probs = [ivpmodel.load(path) for _, path in ivpmodel.problem_dirs(a.dir, a.only)]
    except ivpmodel.ModelError as e:
        sys.stderr.write(f"ivp.py: {e}\n")
        return 1
    unknown = sorted(set(factors) - {p.name for p in probs})
    if unknown:
        sys.stderr.write(f"ivp.py: --atol-factor names unknown problem(s): {', '.join(unknown)}\n")
        return 2

    rtols = ivpmodel.SWEEP_RTOLS if a.sweep else [a.rtol]
    status = 0
    for p in probs:
        rhs = build_rhs(p)
        methods = a.methods.split(",") if a.methods else (STIFF_METHODS if p.stiff else NONSTIFF_METHODS)
        jac = build_jac(p) if any(m in ("BDF", "Radau", "LSODA") for m in methods) else None
        for method in methods:
            for rtol in rtols:
                if p.name in factors:
                    atol = float(f"{factors[p.name] * rtol:.3g}")
                elif a.sweep:
                    atol = float(f"{ivpmodel.SWEEP_ATOL_FACTOR * rtol:.3g}")
                else:
                    atol = a.atol
                sys.stderr.write(f"ivp.py: {p.name} {method} rtol={rtol:g} atol={atol:g}\n")
                rec = run(p, method, rtol, atol, max(1, a.repeats), a.max_nf, rhs, jac)
                if rec["retcode"] != 0:
                    status = 1
                print(json.dumps(rec, allow_nan=False), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
