#!/usr/bin/python3
"""Print benchmark JSON lines (files or stdin) as a Markdown table.

usage: bench/table.py [file.jsonl ...]
"""

import json
import sys

COLUMNS = ["problem", "method", "rtol", "atol", "ms", "steps", "nf", "nJ", "nLU", "retcode", "scd", "mescd"]


def cell(rec, key):
    v = rec.get(key)
    if v is None:
        return "–"
    if key == "scd" and rec.get("scd_recomputed") is not None:
        return f"{v:.2f} ({rec['scd_recomputed']:.2f})"
    if isinstance(v, float) and key in ("scd", "mescd"):
        return f"{v:.2f}"
    if isinstance(v, float) and key == "ms":
        return f"{v:.3f}" if v < 10 else f"{v:.1f}"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def main(paths):
    lines = []
    for path in paths or ["-"]:
        fh = sys.stdin if path == "-" else open(path)
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError as e:
                sys.exit(f"table.py: {path}: line {n}: not JSON: {e.msg}")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for rec in lines:
        print("| " + " | ".join(cell(rec, k) for k in COLUMNS) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
