#!/usr/bin/env bash
# NEURON comparison of the cell benchmark: the same CA1 equations integrated by ltcc and by
# NEURON's CVode at the same tolerances; spike times must agree within 0.1 ms.
# Needs Debian's neuron, neuron-dev and python3-neuron. Usage: bench/neuron/run.sh [OUTDIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/bench/build/neuron}"
rtol="${RTOL:-1e-6}"
atol="${ATOL:-1e-8}"
cd "$root"
npm run --silent build >/dev/null
mkdir -p "$out"
node dist/cli/main.js bench cell --json --no-signalling --rtol "$rtol" --atol "$atol" --nmodl "$out"
/usr/bin/python3 "$here/run_neuron.py" "$out" --rtol "$rtol" --atol "$atol" --repeats "${REPEATS:-1}"
