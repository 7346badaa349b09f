#!/usr/bin/env bash
# Reference benchmark: SUNDIALS CVODE (BDF, dense LU, analytic Jacobian) on the
# IVP test problems. Generates C per problem, compiles it into bench/build/cvode,
# runs it and prints one JSON line per problem (and tolerance) on stdout.
# Code generation and compilation are not timed; see bench/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/cvode/run.sh [--rtol R] [--atol A] [--repeats N] [--dir DIR]
                          [--only a,b] [--sweep] [--atol-factor NAME=F ...]
                          [--max-steps M]
  --rtol R        relative tolerance (default 1e-6)
  --atol A        absolute tolerance (default 1e-10)
  --repeats N     solves per problem; the median time is reported (default 5)
  --dir DIR       problem directory holding <name>/reference.json
                  (default ../shared/ivp, relative to the current directory)
  --only a,b      run only these problems
  --sweep         rtol = 1e-3, 1e-4, ..., 1e-10 with atol = 1e-4 * rtol
                  (--rtol/--atol are then ignored)
  --atol-factor NAME=F
                  for problem NAME use atol = F * rtol instead (also in --sweep);
                  e.g. --atol-factor e5=1e-18 (E5 needs atol <= ~1e-24)
  --max-steps M   CVODE mxsteps (default 100000)
environment: PYTHON (interpreter with sympy), CC (default gcc), CFLAGS
  (default -O2), SUNDIALS_DIR (prefix of a SUNDIALS install if not in /usr)
EOF
}

rtol=1e-6
atol=1e-10
repeats=5
dir=../shared/ivp
only=""
sweep=0
max_steps=100000
declare -A factor=()

while [ $# -gt 0 ]; do
  case "$1" in
    --rtol) rtol=${2:?--rtol needs a value}; shift 2 ;;
    --atol) atol=${2:?--atol needs a value}; shift 2 ;;
    --repeats) repeats=${2:?--repeats needs a value}; shift 2 ;;
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --only) only=${2:?--only needs a value}; shift 2 ;;
    --sweep) sweep=1; shift ;;
    --max-steps) max_steps=${2:?--max-steps needs a value}; shift 2 ;;
    --atol-factor)
      kv=${2:?--atol-factor needs NAME=F}
      [[ $kv == *=* ]] || { echo "run.sh: --atol-factor needs NAME=F, got '$kv'" >&2; exit 2; }
      factor[${kv%%=*}]=${kv#*=}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="$here/../build/cvode"
mkdir -p "$build"

if [ ! -d "$dir" ]; then
  echo "run.sh: problem directory '$dir' not found (use --dir)" >&2
  exit 1
fi

# Python with sympy: $PYTHON, else Debian's /usr/bin/python3, else python3
if [ -z "${PYTHON:-}" ]; then
  for cand in /usr/bin/python3 python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sympy' 2>/dev/null; then
      PYTHON=$cand; break
    fi
  done
fi
if [ -z "${PYTHON:-}" ]; then
  echo "run.sh: no python3 with sympy found (apt-get install python3-sympy, or set PYTHON)" >&2
  exit 1
fi

CC=${CC:-gcc}
CFLAGS=${CFLAGS:--O2}
inc=() lib=()
if [ -n "${SUNDIALS_DIR:-}" ]; then
  inc=(-I"$SUNDIALS_DIR/include")
  for d in "$SUNDIALS_DIR/lib" "$SUNDIALS_DIR/lib64"; do
    [ -d "$d" ] && lib+=(-L"$d" -Wl,-rpath,"$d")
  done
fi
major=$(printf '#include <sundials/sundials_config.h>\nSUNDIALS_VERSION_MAJOR\n' \
  | "$CC" "${inc[@]}" -E -P - 2>/dev/null | tail -n 1 | tr -d ' ') || true
if ! [[ $major =~ ^[0-9]+$ ]]; then
  echo "run.sh: SUNDIALS headers not found (apt-get install libsundials-dev, or set SUNDIALS_DIR)" >&2
  exit 1
fi
libs=(-lsundials_cvode -lsundials_nvecserial -lsundials_sunlinsoldense -lsundials_sunmatrixdense)
[ "$major" -ge 7 ] && libs+=(-lsundials_core)
libs+=(-lm)

problems=()
for f in "$dir"/*/reference.json; do
  [ -f "$f" ] || continue
  name=$(basename "$(dirname "$f")")
  if [ -n "$only" ] && [[ ",$only," != *",$name,"* ]]; then continue; fi
  problems+=("$name")
done
if [ ${#problems[@]} -eq 0 ]; then
  echo "run.sh: no problems found in '$dir'${only:+ matching '$only'}" >&2
  exit 1
fi

for fname in "${!factor[@]}"; do
  if [ ! -f "$dir/$fname/reference.json" ]; then
    echo "run.sh: --atol-factor names unknown problem '$fname'" >&2
    exit 2
  fi
  if ! awk -v f="${factor[$fname]}" 'BEGIN { exit !(f + 0 > 0) }'; then
    echo "run.sh: --atol-factor $fname needs a positive number, got '${factor[$fname]}'" >&2
    exit 2
  fi
done

if [ $sweep -eq 1 ]; then
  rtols=(1e-3 1e-4 1e-5 1e-6 1e-7 1e-8 1e-9 1e-10)
else
  rtols=("$rtol")
fi

status=0
for name in "${problems[@]}"; do
  ref="$dir/$name/reference.json"
  src="$build/$name.c"
  exe="$build/$name"
  if [ ! -f "$src" ] || [ "$ref" -nt "$src" ] || [ "$here/gen.py" -nt "$src" ] \
     || [ "$here/../lib/ivpmodel.py" -nt "$src" ]; then
    echo "run.sh: generating $name" >&2
    "$PYTHON" "$here/gen.py" "$ref" "$src" || { status=1; continue; }
  fi
  if [ ! -x "$exe" ] || [ "$src" -nt "$exe" ] || [ "$here/driver.c" -nt "$exe" ] \
     || [ "$here/problem.h" -nt "$exe" ]; then
    echo "run.sh: compiling $name (SUNDIALS $major.x)" >&2
    # shellcheck disable=SC2086
    "$CC" $CFLAGS "${inc[@]}" -I"$here" -o "$exe" "$here/driver.c" "$src" "${lib[@]}" "${libs[@]}" \
      || { status=1; continue; }
  fi
  for r in "${rtols[@]}"; do
    a=$atol
    if [ -n "${factor[$name]:-}" ]; then
      a=$(awk -v f="${factor[$name]}" -v r="$r" 'BEGIN { printf "%.3g", f * r }')
    elif [ $sweep -eq 1 ]; then
      a=$(awk -v r="$r" 'BEGIN { printf "%.3g", 1e-4 * r }')
    fi
    # a failed solve still prints its JSON line (retcode < 0); keep going
    "$exe" --rtol "$r" --atol "$a" --repeats "$repeats" --max-steps "$max_steps" || status=1
  done
done
exit $status
