#!/usr/bin/env python3
"""NEURON (CVode) run of the ltcc CA1 cell, for the cell benchmark comparison.

Usage: run_neuron.py DIR [--rtol R] [--atol A] [--repeats N]

DIR holds ltcccell.mod (the cell equations exported by `ltcc bench cell --nmodl DIR`) and
ltcc.json (ltcc's run: starting potential, membrane area, pulse train, spike times, wall time).
The mechanism is compiled with nrnivmodl in DIR, a one-compartment section of the same area is
driven by the same current pulses (IClamp), CVode integrates with the same tolerances, and the
spike times (upward crossings of 0 mV, located by NetCon) are compared with ltcc's. Prints one
JSON object.
"""
import json
import math
import os
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    d = os.path.abspath(args[0])
    opt = {"--rtol": 1e-6, "--atol": 1e-8, "--repeats": 3}
    for k in list(opt):
        if k in args:
            opt[k] = float(args[args.index(k) + 1])
    with open(os.path.join(d, "ltcc.json")) as f:
        ref = json.load(f)
    env = dict(os.environ)
    # Debian's nrnivmodl looks for nrnmech_makefile next to itself, but the package installs it
    # in /usr/lib/nrn: point the script at a bin/ folder that has it.
    if not os.path.exists("/usr/bin/nrnmech_makefile") and os.path.exists("/usr/lib/nrn/nrnmech_makefile"):
        shim = os.path.join(d, "nrnhome")
        os.makedirs(os.path.join(shim, "bin"), exist_ok=True)
        link = os.path.join(shim, "bin", "nrnmech_makefile")
        if not os.path.exists(link):
            os.symlink("/usr/lib/nrn/nrnmech_makefile", link)
        env["NRNHOME_EXEC"] = shim
    cmd = ["nrnivmodl"]
    if os.path.exists("/usr/lib/nrn/libnrniv.so"):
        # ... and links against -lnrniv without the folder Debian puts it in.
        cmd += ["-loadflags", "-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn"]
    t0 = time.perf_counter()
    # Only the mechanism library is needed (loaded below); the 'special' executable may fail to
    # build with Debian's layout, so the exit code is not trusted, the library's presence is.
    subprocess.run(cmd, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    lib = os.path.join(d, "x86_64", "libnrnmech.so")
    if not os.path.exists(lib):
        lib = os.path.join(d, "x86_64", ".libs", "libnrnmech.so")
    if not os.path.exists(lib):
        sys.exit("nrnivmodl did not produce libnrnmech.so; run it by hand in " + d + " to see why")
    compile_s = time.perf_counter() - t0
    os.chdir(d)
    from neuron import h  # noqa: E402  (after nrnivmodl so the mechanism loads)

    # importing neuron in DIR already loads x86_64/ mechanisms; load explicitly otherwise
    probe = h.Section(name="probe")
    try:
        probe.insert("ltcccell")
    except ValueError:
        h.nrn_load_dll(lib)
    h.delete_section(sec=probe)
    h.load_file("stdrun.hoc")
    sec = h.Section(name="soma")
    # a cylinder with L = diam has side area pi*d^2: choose d so the area matches ltcc's
    diam_um = math.sqrt(ref["area"] / math.pi) * 1e4
    sec.L = diam_um
    sec.diam = diam_um
    sec.nseg = 1
    sec.cm = 1.0
    sec.insert("ltcccell")
    pulses = ref["pulses"]
    clamps = []
    for k in range(int(pulses["count"])):
        c = h.IClamp(sec(0.5))
        c.delay = pulses["start"] + k * pulses["period"]
        c.dur = pulses["width"]
        c.amp = pulses["amplitude"]
        clamps.append(c)
    cv = h.CVode()
    cv.active(1)
    cv.rtol(opt["--rtol"])
    cv.atol(opt["--atol"])
    # ltcc scales the absolute tolerance of V (mV) by its declared atolScale; so does NEURON here.
    cv.atolscale("v", ref.get("vAtolScale", 1))
    spikes = h.Vector()
    nc = h.NetCon(sec(0.5)._ref_v, None, sec=sec)
    nc.threshold = 0
    nc.record(spikes)
    walls = []
    for _ in range(int(opt["--repeats"])):
        h.finitialize(ref["v0"])
        s = time.perf_counter()
        h.continuerun(ref["simulatedMs"])
        walls.append((time.perf_counter() - s) * 1000)
    walls.sort()
    ours = list(spikes)
    theirs = ref["spikeTimes"]
    n = min(len(ours), len(theirs))
    dmax = max((abs(a - b) for a, b in zip(ours[:n], theirs[:n])), default=float("nan"))
    out = {
        "neuron_wall_ms": walls[len(walls) // 2],
        "neuron_spikes": len(ours),
        "ltcc_spikes": len(theirs),
        "ltcc_wall_ms": ref["wallMs"],
        "max_spike_time_difference_ms": dmax,
        "spike_times_agree_within_0.1_ms": len(ours) == len(theirs) and dmax <= 0.1,
        "rtol": opt["--rtol"],
        "atol": opt["--atol"],
        "nrnivmodl_s": compile_s,
        "neuron_version": h.nrnversion(),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
