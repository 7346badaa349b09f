#!/usr/bin/python3
"""Run ltcc, SUNDIALS CVODE and (optionally) SciPy on the IVP test set in one session and
write the comparison (times as ratios to CVODE) into the IVP section of docs/BENCHMARKS.md.

usage: bench/compare.py [--dir ../shared/ivp] [--repeats 11] [--scipy] [--sweep] [--out docs/BENCHMARKS.md]

Run from the repository root after `npm run build`. Every engine solves the same problems at the
same rtol/atol (atol = 1e-4·rtol in the sweep; E5 uses atol = 1e-18·rtol in all engines, the
setting its reference needs). Times are medians over repeats, set-up and code generation
excluded. The three engines run interleaved per tolerance so machine load affects them alike.
"""

import argparse
import datetime
import json
import platform
import subprocess
import sys

BEGIN = "<!-- ivp-benchmark:begin -->"
END = "<!-- ivp-benchmark:end -->"


def run_lines(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    rows = [json.loads(l) for l in p.stdout.splitlines() if l.strip().startswith("{")]
    if p.returncode not in (0, 1) and not rows:
        sys.exit(f"compare.py: {' '.join(cmd)} failed: {p.stderr.strip()[:500]}")
    return rows


def fmt(x, d=2):
    if x is None:
        return "–"
    if isinstance(x, float) and (x != x):
        return "NaN"
    return f"{x:.{d}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="../shared/ivp")
    ap.add_argument("--repeats", type=int, default=11)
    ap.add_argument("--scipy", action="store_true")
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--out", default="docs/BENCHMARKS.md")
    a = ap.parse_args()

    tols = [(1e-6, 1e-10)] if not a.sweep else [(r, 1e-4 * r) for r in (1e-4, 1e-6, 1e-8, 1e-10)]
    ltcc, cvode, scipy = [], [], []
    for rtol, atol in tols:
        common = ["--rtol", str(rtol), "--atol", str(atol), "--dir", a.dir, "--repeats", str(a.repeats), "--atol-factor", "e5=1e-18"]
        print(f"rtol {rtol:g}: ltcc BDF ...", file=sys.stderr)
        ltcc += run_lines(["node", "dist/cli/main.js", "bench", "ivp", "--json", "--method", "bdf"] + common)
        print(f"rtol {rtol:g}: ltcc default methods ...", file=sys.stderr)
        ltcc += [r for r in run_lines(["node", "dist/cli/main.js", "bench", "ivp", "--json"] + common) if r["method"] != "bdf"]
        print(f"rtol {rtol:g}: CVODE ...", file=sys.stderr)
        cvode += run_lines(["bench/cvode/run.sh"] + common)
        if a.scipy:
            print(f"rtol {rtol:g}: SciPy ...", file=sys.stderr)
            scipy += run_lines(["/usr/bin/python3", "bench/scipy/ivp.py"] + ["--rtol", str(rtol), "--atol", str(atol), "--dir", a.dir, "--repeats", "3", "--atol-factor", "e5=1e-18"])

    key = lambda r: (r["problem"], r["rtol"])
    cv = {key(r): r for r in cvode}
    out = []
    out.append(BEGIN)
    out.append(f"Measured {datetime.date.today().isoformat()} on {platform.machine()} ({platform.processor() or 'unknown CPU'}), "
               f"Node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}, "
               f"all engines in one session, median of {a.repeats} solves each, set-up excluded. "
               "Ratio = ltcc time / CVODE time (below 1: ltcc is faster). scd = significant correct digits at tEnd "
               "against the published reference; for E5 only y2, y3 are compared.")
    out.append("")
    out.append("| problem | rtol | atol | ltcc method | ltcc ms | CVODE ms | ratio | ltcc steps | CVODE steps | ltcc nf | CVODE nf | ltcc scd | CVODE scd | ltcc retcode |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in ltcc:
        c = cv.get(key(r))
        ratio = r["ms"] / c["ms"] if c and c.get("retcode") == 0 and c["ms"] > 0 else None
        out.append("| " + " | ".join([
            r["problem"], f"{r['rtol']:g}", f"{r['atol']:g}", r["method"], fmt(r["ms"], 3), fmt(c["ms"], 3) if c else "–",
            fmt(ratio, 2), str(r["steps"]), str(c["steps"]) if c else "–", str(r["nf"]), str(c["nf"]) if c else "–",
            fmt(r["scd"]), fmt(c.get("scd")) if c else "–", r["retcode"]]) + " |")
    if scipy:
        out.append("")
        out.append("SciPy `solve_ivp` on the same problems (ratio = SciPy time / CVODE time):")
        out.append("")
        out.append("| problem | rtol | method | ms | ratio to CVODE | steps | nf | scd |")
        out.append("|---|---|---|---|---|---|---|---|")
        for r in scipy:
            c = cv.get(key(r))
            ratio = r["ms"] / c["ms"] if c and c.get("retcode") == 0 else None
            out.append(f"| {r['problem']} | {r['rtol']:g} | {r['method']} | {fmt(r['ms'], 1)} | {fmt(ratio, 1)} | {r['steps']} | {r['nf']} | {fmt(r.get('scd'))} |")
    out.append(END)
    section = "\n".join(out)

    try:
        doc = open(a.out).read()
    except FileNotFoundError:
        doc = "# Benchmarks\n\n## IVP test set\n\n" + BEGIN + "\n" + END + "\n"
    if BEGIN in doc and END in doc:
        doc = doc[: doc.index(BEGIN)] + section + doc[doc.index(END) + len(END):]
    else:
        doc += "\n## IVP test set\n\n" + section + "\n"
    with open(a.out, "w") as fh:
        fh.write(doc)
    with open("bench/results/compare-latest.jsonl", "w") as fh:
        for r in ltcc + cvode + scipy:
            fh.write(json.dumps(r) + "\n")
    print(section)


if __name__ == "__main__":
    main()
