#!/usr/bin/env python3
"""The README's performance table, regenerated in one run: each accord figure beside its peer
measured in the same run (numpy, NegMAS where installed, or accord's own single run), on this
machine.

    cargo build --release --locked
    python3 benches/perf_table.py              # the markdown table on stdout
    python3 benches/perf_table.py --quick      # fewer repeats and no Pareto bench: a smoke test

Every figure is a median over interleaved repeats of whole processes (start-up included), so
a noisy host slows both sides of a ratio alike. The ratios are the claims; absolute times are
context. Rows whose peer is not installed say so instead of a ratio.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACCORD = os.path.join(ROOT, "target", "release", "accord")
PEACE = os.path.join(ROOT, "scenarios", "peace-plan-2025.toml")


def timed(cmd, **kw):
    """Wall time of one whole process, in seconds; its stdout."""
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)
    return time.perf_counter() - t, out.stdout


def interleaved(repeats, *cmds):
    """Median wall time of each command, run in turn `repeats` times."""
    times = [[] for _ in cmds]
    for _ in range(repeats):
        for i, c in enumerate(cmds):
            times[i].append(timed(c)[0])
    return [statistics.median(t) for t in times]


def accord(*args):
    return [ACCORD, *[str(a) for a in args]]


def has_module(name):
    try:
        __import__(name)
        return True
    except ImportError:
        return False


def row(what, command, figure, peer, ratio, target):
    return f"| {what} | `{command}` | {figure} | {peer} | {ratio} | {target} |"


def ratify_vs_numpy(repeats, rounds):
    """accord on one thread against the numpy model of the same scenario on one core."""
    if not (has_module("numpy") and has_module("scipy")):
        return row("ratify, peace plan, 1 thread", "accord run --threads 1", "—",
                   "numpy model: numpy/scipy not installed", "—", "≥ 20× numpy")
    sys.path.insert(0, os.path.join(ROOT, "benches"))
    import numpy_peace_plan as model  # noqa: E402

    np_rounds = max(rounds // 10, 200_000)
    a, b = [], []
    for i in range(repeats):
        a.append(rounds / timed(accord("run", PEACE, "--rounds", rounds, "--seed", 2025 + i,
                                       "--threads", 1, "--format", "json"))[0])
        t = time.perf_counter()
        model.run_numpy(np_rounds, 2025 + i)
        b.append(np_rounds / (time.perf_counter() - t))
    a, b = statistics.median(a), statistics.median(b)
    return row("ratify, peace plan (3 proposals × 4 parties), 1 thread",
               f"accord run scenarios/peace-plan-2025.toml --rounds {rounds:,} --threads 1",
               f"{a / 1e6:.1f} M rounds/s",
               f"numpy model (benches/numpy_peace_plan.py), 1 core: {b / 1e6:.2f} M rounds/s",
               f"**{a / b:.1f}×**", "≥ 20×")


def threads_scaling(repeats, rounds):
    one, two = interleaved(
        repeats,
        accord("run", PEACE, "--rounds", rounds, "--threads", 1, "--format", "json"),
        accord("run", PEACE, "--rounds", rounds, "--threads", 2, "--format", "json"))
    return row("the same, 2 threads", f"… --threads 2", f"{rounds / two / 1e6:.1f} M rounds/s",
               f"1 thread: {rounds / one / 1e6:.1f} M rounds/s", f"**{one / two:.2f}×**",
               "≥ 1.8×")


def sweep_cost(repeats, rounds):
    one, sweep = interleaved(
        repeats,
        accord("run", PEACE, "-p", "plan_28", "--rounds", rounds, "--threads", 1,
               "--format", "json"),
        accord("sweep", PEACE, "-p", "plan_28", "--clause", "troop_cap", "--points", 100,
               "--rounds", rounds, "--threads", 1, "--format", "json"))
    return row("sweep of the troop cap, 100 points, 1 thread",
               f"accord sweep … -p plan_28 --clause troop_cap --points 100 --rounds {rounds:,}",
               f"{sweep:.2f} s", f"one proposal, same rounds: {one:.2f} s",
               f"**{sweep / one:.2f}×** one proposal", "≤ 2×")


def concessions_cost(repeats, rounds):
    """concessions against a sweep with as many points, on the same rounds."""
    probe = subprocess.run(accord("concessions", "--help"), capture_output=True, text=True)
    if probe.returncode != 0:
        return None
    _, out = timed(accord("concessions", PEACE, "--proposal", "plan_19", "--rounds", 1024,
                          "--format", "json"))
    n = len(json.loads(out).get("concessions", [])) or 1
    sweep = ["sweep", PEACE, "-p", "plan_19", "--clause", "troop_cap", "--points", n + 1,
             "--rounds", rounds, "--threads", 1, "--format", "json"]
    # The sweep over the clause's whole range, and over the values the concessions take (the
    # negotiable range): below 600,000 a troop cap is a gain to Russia, whose term needs no
    # sampled loss aversion, so the whole range is the cheaper peer.
    conc, whole, same = interleaved(
        repeats,
        accord("concessions", PEACE, "--proposal", "plan_19", "--rounds", rounds,
               "--threads", 1, "--format", "json"),
        accord(*sweep),
        accord(*sweep, "--from", 600_000, "--to", 800_000))
    return row(f"concessions of plan_19 ({n} changes), 1 thread",
               f"accord concessions … --proposal plan_19 --rounds {rounds:,}",
               f"{conc:.2f} s",
               f"a sweep of {n + 1} points, same rounds: {whole:.2f} s (600,000–800,000: "
               f"{same:.2f} s, **{conc / same:.2f}×**)",
               f"**{conc / whole:.2f}×** the sweep", "≤ 1×")


def search_time(repeats):
    probe = subprocess.run(accord("search", "--help"), capture_output=True, text=True)
    if probe.returncode != 0:
        return None
    cmd = accord("search", PEACE, "--rounds", 100_000, "--resolution", 9, "--format", "json")
    (t,) = interleaved(repeats, cmd)
    return row("search of the peace plan's discrete space (troop cap at 9 points), 2 threads",
               "accord search scenarios/peace-plan-2025.toml --rounds 100000 --resolution 9",
               f"{t:.1f} s", "—", "—", "≤ 10 s")


def sensitivity_time(repeats):
    probe = subprocess.run(accord("sensitivity", "--help"), capture_output=True, text=True)
    if probe.returncode != 0:
        return None
    cmd = accord("sensitivity", PEACE, "--proposal", "plan_28", "--format", "json")
    (t,) = interleaved(repeats, cmd)
    return row("Sobol indices of every uncertain parameter, agreement on plan_28, 2 threads",
               "accord sensitivity scenarios/peace-plan-2025.toml --proposal plan_28",
               f"{t:.1f} s", "—", "—", "≤ 30 s")


def pareto_vs_negmas():
    """benches/negmas_pareto.py: accord's in-process analysis against NegMAS's MOBANOS."""
    if not has_module("negmas"):
        return [row("Pareto frontier", "python3 benches/negmas_pareto.py", "—",
                    "MOBANOS: negmas not installed", "—", "≥ 10×")]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pareto.json")
        subprocess.run([sys.executable, os.path.join(ROOT, "benches", "negmas_pareto.py"),
                        "--json", path], check=True, capture_output=True, cwd=ROOT)
        with open(path) as f:
            rows = json.load(f)
    out = []
    for r in rows:
        mob = r.get("mobanos_s")
        out.append(row(f"Pareto frontier, {r['domain']}", "python3 benches/negmas_pareto.py",
                       f"{r['accord_s'] * 1e3:.3f} ms",
                       f"MOBANOS: {mob * 1e3:.1f} ms" if mob else "MOBANOS: not run",
                       f"**{mob / r['accord_s']:.0f}×**" if mob else "—", "≥ 10×"))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats and rounds")
    args = ap.parse_args()
    if not os.path.exists(ACCORD):
        sys.exit(f"{ACCORD} is missing: run `cargo build --release --locked` first")
    repeats = 3 if args.quick else 7
    rounds = 2_000_000 if args.quick else 20_000_000
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"Machine: {cpu}, {os.cpu_count()} cores; medians of {repeats} interleaved runs; "
          f"`python3 benches/perf_table.py`.\n")
    print("| what | command | accord | peer, same run | ratio | target |")
    print("|---|---|---|---|---|---|")
    rows = [
        ratify_vs_numpy(repeats, rounds),
        threads_scaling(repeats, rounds),
        sweep_cost(repeats, rounds // 10),
        concessions_cost(repeats, rounds // 10),
        search_time(max(repeats // 2, 1)),
        sensitivity_time(max(repeats // 2, 1)),
        # The Pareto comparison compiles and runs a criterion bench: not in a smoke test.
        *([] if args.quick else pareto_vs_negmas()),
    ]
    for r in rows:
        if r:
            print(r, flush=True)


if __name__ == "__main__":
    main()
