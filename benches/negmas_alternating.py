#!/usr/bin/env python3
"""Alternating offers on EnglandZimbabwe with drawn reservations: accord beside NegMAS, in one run.

The negotiation: the GENIUS domain EnglandZimbabwe (576 outcomes, two parties, GENIUS's
utilities: evaluation / the issue's largest evaluation, weighted), a 100-step deadline,
linear time-based concession from each party's best utility down to its reservation, and
each party's reservation drawn uniform on [0, 0.6] for every negotiation.

  1. NegMAS (when installed: `pip install negmas`): SAOMechanism with two
     LinearTBNegotiators, a fresh mechanism per negotiation with freshly drawn reserved
     values; negotiations per second over --negotiations of them (wall time, one process);
  2. accord: `cargo bench --bench dynamic` (criterion, in-process), which plays the same
     negotiation (`accord import genius --protocol alternating`, reservations drawn
     uniform on [0, 0.6]) on 1 and 2 threads and with a 10,000-step deadline, and the
     Travel equilibrium with drawn discounts or reservations; medians are read from
     target/criterion.

The shared data folder must be named by ACCORD_SHARED_DATA (the GENIUS files are
third-party data, never copied into the repository). Results go to stdout as a table and,
with --json, to a file.

    ACCORD_SHARED_DATA=/path/to/shared/data python3 benches/negmas_alternating.py
"""

import argparse
import json
import os
import pathlib
import random
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BLOCK = 1024
# (criterion group, function, parameter, rounds per iteration): as benches/dynamic.rs runs them.
ACCORD = {
    "alternating, deadline 100, 1 thread": (
        "alternating_england_zimbabwe", "reservations_deadline_100", "1_threads", 256 * BLOCK),
    "alternating, deadline 100, 2 threads": (
        "alternating_england_zimbabwe", "reservations_deadline_100", "2_threads", 256 * BLOCK),
    "alternating, deadline 10,000, 1 thread": (
        "alternating_england_zimbabwe", "reservations_deadline_10000", "1_threads", 32 * BLOCK),
    "equilibrium on Travel, discounts drawn, 1 thread": (
        "equilibrium_travel", "solves", "discounts", 64 * BLOCK),
    "equilibrium on Travel, reservations drawn, 1 thread": (
        "equilibrium_travel", "solves", "reservations", 64 * BLOCK),
}


def negmas_rate(folder, negotiations, seed):
    """NegMAS negotiations per second, agreements and mean steps on the same negotiation."""
    from negmas.sao import SAOMechanism
    from negmas.sao.negotiators import LinearTBNegotiator

    sys.path.insert(0, str(ROOT / "benches"))
    from negmas_pareto import genius_ufun

    domain = folder / "EnglandZimbabwe_domain.xml"
    ufuns = [genius_ufun(domain, folder / p) for p in ("England.xml", "Zimbabwe.xml")]
    rng = random.Random(seed)
    agreed, steps = 0, 0
    start = time.perf_counter()
    for _ in range(negotiations):
        mechanism = SAOMechanism(outcome_space=ufuns[0].outcome_space, n_steps=100)
        for name, u in zip(("England", "Zimbabwe"), ufuns):
            u.reserved_value = rng.uniform(0.0, 0.6)
            mechanism.add(LinearTBNegotiator(name=name, ufun=u))
        state = mechanism.run()
        agreed += state.agreement is not None
        steps += state.step
    elapsed = time.perf_counter() - start
    return negotiations / elapsed, agreed / negotiations, steps / negotiations


def accord_rates():
    """Runs the criterion bench; negotiations (or solves) per second per entry."""
    cmd = ["cargo", "bench", "--locked", "--bench", "dynamic", "--", "--noplot"]
    subprocess.run(["nice", "-n", "10"] + cmd, cwd=ROOT, check=True)
    out = {}
    for label, (group, function, parameter, rounds) in ACCORD.items():
        est = ROOT / "target" / "criterion" / group / function / parameter / "new" / "estimates.json"
        with open(est) as f:
            seconds = json.load(f)["median"]["point_estimate"] / 1e9
        out[label] = rounds / seconds
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--negotiations", type=int, default=200, help="NegMAS negotiations timed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    shared = os.environ.get("ACCORD_SHARED_DATA")
    if not shared:
        sys.exit("ACCORD_SHARED_DATA must name the shared data folder (genius/EnglandZimbabwe)")
    folder = pathlib.Path(shared) / "genius" / "EnglandZimbabwe"
    try:
        negmas = negmas_rate(folder, args.negotiations, args.seed)
    except ImportError:
        print("negmas is not installed (pip install negmas): accord alone", file=sys.stderr)
        negmas = None
    accord = accord_rates()
    one = accord["alternating, deadline 100, 1 thread"]
    rows = []
    if negmas:
        rate, agreed, steps = negmas
        rows.append(("NegMAS, deadline 100 (agreement %.2f, mean step %.1f)" % (agreed, steps),
                     rate, ""))
    for label, rate in accord.items():
        note = ""
        if label.startswith("alternating, deadline 100, 1") and negmas:
            note = "%.0f× NegMAS" % (rate / negmas[0])
        elif label.startswith("alternating, deadline 100, 2"):
            note = "%.2f× 1 thread" % (rate / one)
        elif label.startswith("alternating, deadline 10,000"):
            note = "%.1f× the time of deadline 100 for 100× the steps" % (one / rate)
        rows.append(("accord, " + label, rate, note))
    width = max(len(r[0]) for r in rows)
    for name, rate, note in rows:
        print(f"{name:<{width}}  {rate:>14,.0f}/s  {note}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"negmas": negmas, "accord": accord}, f, indent=2)


if __name__ == "__main__":
    main()
