#!/usr/bin/env python3
"""The peace-plan scenario as a numpy model, and accord beside it.

The model is written from the README's description of a ratify round and from
scenarios/peace-plan-2025.toml, not from accord's code: the same distributions (truncated to
their valid ranges), the same Gaussian copula, the same logit and threshold rules and the
same utilities (weights renormalised every round, Russia's losses against plan_28 weighed
by its loss aversion, with no floor: the gain–loss term of the README's model section). It
is vectorised over rounds, a batch at a time, as a numpy user would write it; Phi and its inverse are scipy.special's ndtr
and ndtri.

Optional to run (it needs numpy and scipy: `pip install numpy scipy`), and not part of
`cargo bench`:

    cargo build --release
    python3 benches/numpy_peace_plan.py check --rounds 10000000   # agreement with accord
    python3 benches/numpy_peace_plan.py bench --repeats 5           # speed, side by side

`check` runs both on the given rounds (different random streams) and compares every
estimate (agreement and each party's acceptance, for each proposal) by its z-score over
the two Monte Carlo errors. `bench` times accord (`accord run --threads 1`, the whole
process) and the numpy model (one core: numpy's element-wise loops are single-threaded),
interleaved, and prints each pair's rounds per second and their ratio.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
from scipy.special import ndtr, ndtri

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "peace-plan-2025.toml")
ACCORD = os.path.join(ROOT, "target", "release", "accord")

CLAUSES = ["troop_cap", "nato", "crimea_luhansk_donetsk", "donetsk_withdrawal",
           "kherson_zaporizhzhia", "amnesty", "elections"]
# Options as indices, booleans as 1/0 (true first in the tables below).
PROPOSALS = {
    "plan_28": [600_000, 0, 1, 1, 1, 1, 1],
    "plan_19": [800_000, 1, 2, 0, 1, 0, 0],
    "bridge_illustrative": [800_000, 0, 2, 1, 1, 0, 0],
}
PARTIES = ["ukraine", "russia", "united_states", "european_union"]
VETO = [True, True, True, False]


def table(values, x):
    """A table value function at option index x (booleans: index 1 is `true`)."""
    return values[x]


def boolean(true, false):
    return {1: true, 0: false}


def piecewise(points, x):
    xs, vs = zip(*points)
    return float(np.interp(x, xs, vs))


def linear(worst, best, x):
    return min(max((x - worst) / (best - worst), 0.0), 1.0)


def truncated_normal_from_u(u, mean, sd, lo, hi):
    """The normal(mean, sd) truncated to [lo, hi] at uniform u (inverse CDF)."""
    a, b = ndtr((lo - mean) / sd), ndtr((hi - mean) / sd)
    return np.clip(mean + sd * ndtri(a + u * (b - a)), lo, hi)


def triangular_from_u(u, lo, mode, hi):
    split = (mode - lo) / (hi - lo)
    left = lo + np.sqrt((hi - lo) * (mode - lo) * u)
    right = hi - np.sqrt((hi - lo) * (hi - mode) * (1.0 - u))
    return np.where(u <= split, left, right)


def truncated_normal(rng, n, mean, sd, lo, hi):
    """Rejection, as most of the mass lies inside: redraw what falls outside."""
    x = rng.normal(mean, sd, n)
    bad = (x < lo) | (x > hi)
    while bad.any():
        x[bad] = rng.normal(mean, sd, bad.sum())
        bad = (x < lo) | (x > hi)
    return x


CHOL = np.linalg.cholesky(np.array([[1.0, 0.5, 0.5], [0.5, 1.0, 0.4], [0.5, 0.4, 1.0]]))


class Model:
    def __init__(self):
        # Fixed terms per party, clause and proposal; uncertain ones are filled per batch.
        self.props = list(PROPOSALS)

    def batch(self, rng, n):
        """Plays n rounds; returns (agree[proposal], accept[party][proposal]) counts."""
        # The copula: ukraine.reservation, ukraine.weights.crimea_luhansk_donetsk,
        # european_union.reservation.
        z = rng.standard_normal((3, n))
        u = ndtr(CHOL @ z)
        uk_res = truncated_normal_from_u(u[0], 0.364731, 0.386788, 0.0, 1.0)
        uk_w_cld = triangular_from_u(u[1], 0.12, 0.20, 0.30)
        eu_res = truncated_normal_from_u(u[2], 0.45, 0.10, 0.0, 1.0)
        # Independent parameters.
        uk_mid = rng.normal(700_000, 40_000, n)
        uk_deferred = rng.uniform(0.3, 0.5, n)
        ru_w_dw = rng.uniform(0.2, 0.3, n)
        ru_lambda = rng.triangular(1.5, 2.0, 2.5, n)
        ru_res = truncated_normal(rng, n, 0.72, 0.12, 0.0, 1.0)
        us_res = truncated_normal(rng, n, 0.35, 0.08, 0.0, 1.0)
        # Logit draws, one per party and round (every proposal faces the same one).
        uk_draw = rng.random(n)
        ru_draw = rng.random(n)

        uk_wsum = 0.11 + 0.15 + uk_w_cld + 0.20 + 0.20 + 0.07 + 0.07
        ru_wsum = 0.12 + 0.20 + 0.18 + ru_w_dw + 0.08 + 0.06 + 0.10

        ru_values = [
            lambda x: piecewise([(290_000, 1.0), (600_000, 0.6), (800_000, 0.2), (1_000_000, 0.0)], x),
            lambda x: table([1.0, 0.2, 0.0], x),
            lambda x: table([1.0, 0.75, 0.2, 0.0], x),
            lambda x: boolean(1.0, 0.0)[x],
            lambda x: table([1.0, 0.5, 0.0], x),
            lambda x: boolean(1.0, 0.3)[x],
            lambda x: boolean(1.0, 0.2)[x],
        ]
        ru_weights = [0.12, 0.20, 0.18, None, 0.08, 0.06, 0.10]
        reference = PROPOSALS["plan_28"]

        agree = []
        accept = [[] for _ in PARTIES]
        for name in self.props:
            x = PROPOSALS[name]
            # Ukraine.
            nato = {0: 0.0, 1: None, 2: 1.0}[x[1]]
            uk = 0.11 / uk_wsum / (1.0 + np.exp(-(x[0] - uk_mid) / 60_000))
            uk += 0.15 * (uk_deferred if nato is None else nato) / uk_wsum
            uk += uk_w_cld * table([0.0, 0.1, 0.4, 1.0], x[2]) / uk_wsum
            uk += (0.20 * boolean(0.0, 1.0)[x[3]] + 0.20 * table([0.0, 0.3, 1.0], x[4])
                   + 0.07 * boolean(0.4, 1.0)[x[5]] + 0.07 * boolean(0.5, 1.0)[x[6]]) / uk_wsum
            uk_ok = 1.0 / (1.0 + np.exp(-(uk - uk_res) / 0.04)) > uk_draw
            # Russia: losses against plan_28, weighed by lambda (gain-loss, no floor).
            ru = np.zeros(n)
            for i, f in enumerate(ru_values):
                v, anchor = f(x[i]), f(reference[i])
                term = v if v >= anchor else anchor - ru_lambda * (anchor - v)
                w = ru_w_dw if ru_weights[i] is None else ru_weights[i]
                ru = ru + w * term
            ru = ru / ru_wsum
            ru_ok = 1.0 / (1.0 + np.exp(-(ru - ru_res) / 0.03)) > ru_draw
            # United States (no weight on Kherson/Zaporizhzhia), threshold.
            us = (0.10 * linear(1_000_000, 200_000, x[0]) + 0.25 * table([1.0, 0.7, 0.2], x[1])
                  + 0.25 * table([0.5, 0.9, 0.7, 0.3], x[2]) + 0.20 * boolean(0.8, 0.5)[x[3]]
                  + 0.10 * boolean(0.8, 0.6)[x[5]] + 0.10 * boolean(0.8, 0.6)[x[6]]) / 1.0
            us_ok = us >= us_res
            # European Union, threshold, no veto.
            eu = (0.20 * piecewise([(290_000, 0.0), (600_000, 0.35), (800_000, 1.0)], x[0])
                  + 0.20 * table([0.0, 0.5, 1.0], x[1]) + 0.20 * table([0.0, 0.15, 0.6, 1.0], x[2])
                  + 0.20 * boolean(0.0, 1.0)[x[3]] + 0.08 * table([0.0, 0.4, 1.0], x[4])
                  + 0.07 * boolean(0.2, 1.0)[x[5]] + 0.05 * boolean(0.5, 1.0)[x[6]])
            eu_ok = eu >= eu_res
            oks = [uk_ok, ru_ok, us_ok, eu_ok]
            for p, ok in enumerate(oks):
                accept[p].append(int(np.count_nonzero(ok)))
            agree.append(int(np.count_nonzero(uk_ok & ru_ok & us_ok)))
        return agree, accept


def run_numpy(rounds, seed, batch=1 << 16):
    model = Model()
    rng = np.random.default_rng(seed)
    agree = np.zeros(len(PROPOSALS), dtype=np.int64)
    accept = np.zeros((len(PARTIES), len(PROPOSALS)), dtype=np.int64)
    done = 0
    while done < rounds:
        n = min(batch, rounds - done)
        a, acc = model.batch(rng, n)
        agree += a
        accept += np.array(acc)
        done += n
    return agree, accept


def run_accord(rounds, seed, threads=1):
    out = subprocess.run(
        [ACCORD, "run", SCENARIO, "--rounds", str(rounds), "--seed", str(seed),
         "--threads", str(threads), "--format", "json"],
        check=True, capture_output=True, text=True)
    result = json.loads(out.stdout)
    agree, accept = [], [[] for _ in PARTIES]
    for r in result["results"]:
        agree.append(round(r["agreement"]["p"] * rounds))
        for p, party in enumerate(r["parties"]):
            accept[p].append(round(party["accept"]["p"] * rounds))
    return np.array(agree), np.array(accept)


def check(rounds):
    t = time.perf_counter()
    a_agree, a_accept = run_accord(rounds, 2025, threads=os.cpu_count())
    print(f"accord: {rounds:,} rounds in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    t = time.perf_counter()
    n_agree, n_accept = run_numpy(rounds, 2025)
    print(f"numpy:  {rounds:,} rounds in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    worst = 0.0
    rows = [("agreement", a_agree, n_agree)]
    rows += [(PARTIES[p], a_accept[p], n_accept[p]) for p in range(len(PARTIES))]
    print(f"{'proposal':<22}{'estimate':<16}{'accord':>10}{'numpy':>10}{'z':>8}")
    for k, name in enumerate(PROPOSALS):
        for what, a, b in rows:
            pa, pb = a[k] / rounds, b[k] / rounds
            p = (a[k] + b[k]) / (2 * rounds)
            se = math.sqrt(max(p * (1 - p), 1e-300) * 2 / rounds)
            z = (pa - pb) / se if p * (1 - p) > 0 else 0.0
            worst = max(worst, abs(z))
            print(f"{name:<22}{what:<16}{pa:>10.5f}{pb:>10.5f}{z:>8.2f}")
    # 15 comparisons: |z| < 4 for all of them has probability about 0.999 when they agree.
    verdict = "agree" if worst < 4.0 else "DISAGREE"
    print(f"largest |z| {worst:.2f} over {3 * 5} estimates: {verdict} within Monte Carlo error")
    return worst < 4.0


def bench(repeats, accord_rounds, numpy_rounds):
    print(f"{'run':<5}{'accord M rounds/s':>19}{'numpy M rounds/s':>18}{'ratio':>8}")
    ratios = []
    for i in range(repeats):
        t = time.perf_counter()
        run_accord(accord_rounds, 2025 + i, threads=1)
        a = accord_rounds / (time.perf_counter() - t)
        t = time.perf_counter()
        run_numpy(numpy_rounds, 2025 + i)
        b = numpy_rounds / (time.perf_counter() - t)
        ratios.append(a / b)
        print(f"{i + 1:<5}{a / 1e6:>19.2f}{b / 1e6:>18.3f}{a / b:>8.1f}")
    print(f"ratio accord / numpy per core: {min(ratios):.1f}–{max(ratios):.1f}× "
          f"(median {sorted(ratios)[len(ratios) // 2]:.1f}×)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="agreement with accord within Monte Carlo error")
    c.add_argument("--rounds", type=int, default=10_000_000)
    b = sub.add_parser("bench", help="rounds per second, side by side, interleaved")
    b.add_argument("--repeats", type=int, default=5)
    b.add_argument("--accord-rounds", type=int, default=20_000_000)
    b.add_argument("--numpy-rounds", type=int, default=2_000_000)
    args = parser.parse_args()
    if not os.path.exists(ACCORD):
        sys.exit(f"{ACCORD} is missing: run `cargo build --release` first")
    if args.cmd == "check":
        sys.exit(0 if check(args.rounds) else 1)
    bench(args.repeats, args.accord_rounds, args.numpy_rounds)


if __name__ == "__main__":
    main()
