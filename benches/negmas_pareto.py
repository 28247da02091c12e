#!/usr/bin/env python3
"""Pareto frontier: accord beside NegMAS's MOBANOS sampler, on the same domains, in one run.

Generates two-party GENIUS XML domains (n issues of k values; weights and evaluations from a
splitmix64 stream seeded with 1000·n + k, the same generator as benches/common/mod.rs) into a
temporary folder, then

  1. times NegMAS's MOBANOSParetoSampler.init on each (when negmas is installed:
     `pip install negmas`), best of --repeats runs, with utility functions read from the
     same XML with GENIUS's semantics (evaluation / the issue's largest evaluation);
  2. runs `cargo bench --bench pareto` on the same files (ACCORD_PARETO_DOMAINS), where
     criterion times accord's whole analysis (frontier, ties, solution points) in-process on
     one thread, and reads its median from target/criterion;
  3. runs `accord analyse` on each domain and checks that its Pareto frontier has as many
     outcomes as MOBANOS returns.

Travel (188,160 outcomes) joins when ACCORD_SHARED_DATA names the shared data folder (the
one holding genius/Travel). Results go to stdout as a table and, with --json, to a file.

    python3 benches/negmas_pareto.py --json /tmp/pareto.json
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

MASK = (1 << 64) - 1
ROOT = pathlib.Path(__file__).resolve().parent.parent
GENERATED = [(10, 10), (20, 10), (30, 10)]


class SplitMix64:
    """splitmix64 (Steele, Lea & Flood 2014), as in benches/common/mod.rs."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def generated(issues, values):
    """Per party: integer weights (1..100) and evaluations (1..100) per issue and value."""
    rng = SplitMix64(1000 * issues + values)
    parties = []
    for _ in range(2):
        weights = [1 + rng.next() % 100 for _ in range(issues)]
        evals = [[1 + rng.next() % 100 for _ in range(values)] for _ in range(issues)]
        parties.append((weights, evals))
    return parties


def write_domain(folder, issues, values):
    folder.mkdir(parents=True, exist_ok=True)
    lines = ['<negotiation_template>', f'<utility_space number_of_issues="{issues}">',
             '<objective index="0" etype="objective" type="objective" name="root">']
    for i in range(issues):
        lines.append(f'<issue index="{i + 1}" etype="discrete" type="discrete" '
                     f'vtype="discrete" name="i{i}">')
        lines += [f'<item index="{v + 1}" value="v{v}"/>' for v in range(values)]
        lines.append('</issue>')
    lines += ['</objective>', '</utility_space>', '</negotiation_template>']
    (folder / "domain.xml").write_text("\n".join(lines) + "\n")
    for p, (weights, evals) in enumerate(generated(issues, values)):
        total = sum(weights)
        lines = ['<utility_space>',
                 '<objective index="0" etype="objective" type="objective" name="root">']
        for i in range(issues):
            lines.append(f'<issue index="{i + 1}" etype="discrete" type="discrete" '
                         f'vtype="discrete" name="i{i}">')
            lines += [f'<item index="{v + 1}" value="v{v}" evaluation="{evals[i][v]}"/>'
                      for v in range(values)]
            lines.append('</issue>')
        lines += [f'<weight index="{i + 1}" value="{weights[i] / total!r}"/>'
                  for i in range(issues)]
        lines += ['</objective>', '<reservation value="0"/>', '</utility_space>']
        (folder / f"prof{p + 1}.xml").write_text("\n".join(lines) + "\n")


def domains(tmp):
    """(name, domain file, profile files) for every domain of the run."""
    out = []
    shared = os.environ.get("ACCORD_SHARED_DATA")
    if shared:
        travel = pathlib.Path(shared) / "genius" / "Travel"
        if travel.is_dir():
            out.append(("travel", travel / "travel_domain.xml",
                        [travel / "travel_chox.xml", travel / "travel_fanny.xml"]))
    for n, k in GENERATED:
        name = f"gen-{n}x{k}"
        write_domain(tmp / name, n, k)
        out.append((name, tmp / name / "domain.xml",
                    [tmp / name / "prof1.xml", tmp / name / "prof2.xml"]))
    return out


def genius_ufun(domain, profile):
    """A NegMAS LinearAdditiveUtilityFunction with GENIUS's semantics, read from the XML:
    u = Σ_i w_i · e_i(v) / max_v e_i(v). (NegMAS's own GENIUS loader keeps the raw
    evaluations, a different utility; both tools must solve the same problem.)"""
    import xml.etree.ElementTree as ET
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    names = [(i.get("name"), [v.get("value") for v in i.iter("item")])
             for i in ET.parse(domain).getroot().iter("issue")]
    root = ET.parse(profile).getroot()
    evals = {i.get("name"): {v.get("value"): float(v.get("evaluation")) for v in i.iter("item")}
             for i in root.iter("issue")}
    index = {i.get("index"): i.get("name") for i in root.iter("issue")}
    weights = {index[w.get("index")]: float(w.get("value")) for w in root.iter("weight")}
    issues = [make_issue(values, name) for name, values in names]
    values = []
    for name, _ in names:
        top = max(evals[name].values())
        values.append({v: e / top for v, e in evals[name].items()})
    return LinearAdditiveUtilityFunction(
        values=values, weights=[weights[name] for name, _ in names], issues=issues)


def time_mobanos(domain, profiles, repeats):
    """Best wall time of MOBANOSParetoSampler.init, and the frontier's outcome count."""
    from negmas.preferences.pareto_sampler import MOBANOSParetoSampler

    u1, u2 = (genius_ufun(domain, p) for p in profiles)
    best, size = float("inf"), None
    for _ in range(repeats):
        sampler = MOBANOSParetoSampler(max_pareto_size=10**9)
        start = time.perf_counter()
        sampler.init(u1, u2)
        best = min(best, time.perf_counter() - start)
        size = len(sampler.pareto_outcomes())
    return best, size


def accord_bench(tmp, names):
    """Runs the criterion bench on the generated files; median seconds per domain."""
    env = dict(os.environ, ACCORD_PARETO_DOMAINS=str(tmp))
    cmd = ["cargo", "bench", "--locked", "--bench", "pareto", "--", "--noplot"]
    subprocess.run(["nice", "-n", "10"] + cmd, cwd=ROOT, env=env, check=True)
    out = {}
    for name in names:
        est = ROOT / "target" / "criterion" / "pareto" / name / "new" / "estimates.json"
        with open(est) as f:
            out[name] = json.load(f)["median"]["point_estimate"] / 1e9
    return out


def accord_frontier(domain, profiles):
    """Pareto-optimal outcomes by `accord analyse` (the release binary)."""
    binary = ROOT / "target" / "release" / "accord"
    if not binary.exists():
        subprocess.run(["nice", "-n", "10", "cargo", "build", "--release", "--locked"],
                       cwd=ROOT, check=True)
    r = subprocess.run([str(binary), "analyse", str(domain)] + [str(p) for p in profiles]
                       + ["--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)["pareto"]["outcomes"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5, help="MOBANOS runs per domain (best kept)")
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--keep", help="write the domains here instead of a temporary folder")
    args = ap.parse_args()

    tmp = pathlib.Path(args.keep) if args.keep else pathlib.Path(tempfile.mkdtemp())
    try:
        todo = domains(tmp)
        try:
            import negmas  # noqa: F401
            have_negmas = True
        except ImportError:
            have_negmas = False
            print("negmas is not installed (pip install negmas): accord only", file=sys.stderr)
        rows = []
        for name, domain, profiles in todo:
            row = {"domain": name, "accord_pareto_outcomes": accord_frontier(domain, profiles)}
            if have_negmas:
                t, size = time_mobanos(domain, profiles, args.repeats)
                row.update(mobanos_s=t, mobanos_pareto_outcomes=size)
            rows.append(row)
        # The bench reads Travel from ACCORD_SHARED_DATA itself, the rest from `tmp`.
        times = accord_bench(tmp, [r["domain"] for r in rows])
        for r in rows:
            r["accord_s"] = times[r["domain"]]
            if "mobanos_s" in r:
                r["speedup"] = r["mobanos_s"] / r["accord_s"]
                r["same_frontier_size"] = r["mobanos_pareto_outcomes"] == r["accord_pareto_outcomes"]
        print(f"\n{'domain':<12}{'accord':>12}{'MOBANOS':>12}{'speed-up':>10}"
              f"{'Pareto outcomes (accord / MOBANOS)':>38}")
        for r in rows:
            mob = f"{r['mobanos_s'] * 1e3:.3f} ms" if "mobanos_s" in r else "-"
            up = f"{r['speedup']:.1f}x" if "speedup" in r else "-"
            sizes = f"{r['accord_pareto_outcomes']} / {r.get('mobanos_pareto_outcomes', '-')}"
            print(f"{r['domain']:<12}{r['accord_s'] * 1e3:>9.3f} ms{mob:>12}{up:>10}{sizes:>38}")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(rows, f, indent=2)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
