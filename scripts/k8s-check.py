"""Checks docs/cluster/k8s-indexed-job.yaml without a cluster (run by scripts/k8s-check.sh).

1. The manifest validates against the Kubernetes schema (kubernetes-validate, strict: no
   unknown fields), and the validator is shown to refuse a manifest with a misspelt field.
2. Its shape is an Indexed Job whose completions, parallelism and SHARDS agree, with the
   volumes its command writes to and reads from mounted.
3. Its command plays: every index's shell command is run here, as the pod would run it
   (JOB_COMPLETION_INDEX set, /scenarios and /results mapped to local folders, fewer
   rounds), the partials are merged with `accord merge`, and the result is compared byte
   for byte with the same sweep played whole.

    python scripts/k8s-check.py ACCORD_BINARY
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "docs" / "cluster" / "k8s-indexed-job.yaml"
# Enough rounds for one block per shard and more, few enough to play in seconds.
ROUNDS = 16 * 4096


def fail(message: str) -> None:
    print(f"k8s-check: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["kubernetes-validate", "--strict", str(path)], capture_output=True, text=True
    )


def main() -> None:
    accord = Path(sys.argv[1]).resolve()
    done = validate(MANIFEST)
    print(done.stdout.strip() or done.stderr.strip())
    if done.returncode != 0:
        fail(f"{MANIFEST.name} does not validate:\n{done.stdout}{done.stderr}")

    text = MANIFEST.read_text()
    with tempfile.TemporaryDirectory(prefix="accord-k8s.") as tmp:
        tmp = Path(tmp)
        # The validator must be able to fail: a misspelt field is refused.
        bad = tmp / "bad.yaml"
        bad.write_text(text.replace("completionMode:", "completionMod:", 1))
        if validate(bad).returncode == 0:
            fail("kubernetes-validate accepted a Job with a misspelt field (completionMod)")

        job = yaml.safe_load(text)
        spec = job["spec"]
        pod = spec["template"]["spec"]
        (container,) = pod["containers"]
        env = {e["name"]: e["value"] for e in container.get("env", [])}
        if spec.get("completionMode") != "Indexed":
            fail("not an Indexed Job")
        shards = int(env["SHARDS"])
        if not spec["completions"] == spec["parallelism"] == shards:
            fail(
                f"completions ({spec['completions']}), parallelism ({spec['parallelism']}) "
                f"and SHARDS ({shards}) must be equal"
            )
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        volumes = {v["name"] for v in pod["volumes"]}
        if not {"/results", "/scenarios"} <= mounts.keys() or not set(mounts.values()) <= volumes:
            fail(f"the container must mount /results and /scenarios from the pod's volumes: {mounts}")
        if container["command"] != ["/bin/sh", "-c"] or len(container["args"]) != 1:
            fail("expected command [/bin/sh, -c] with one argument, the shell command")
        command = container["args"][0]

        # The pod's view of the world, in local folders, and fewer rounds.
        scenarios, results, bin_dir = tmp / "scenarios", tmp / "results", tmp / "bin"
        for d in (scenarios, results, bin_dir):
            d.mkdir()
        for f in (REPO / "scenarios").glob("*.toml"):
            shutil.copy(f, scenarios)
        (bin_dir / "accord").symlink_to(accord)
        local = command.replace("/scenarios/", f"{scenarios}/").replace("/results/", f"{results}/")
        local, n = re.subn(r"--rounds \d+", f"--rounds {ROUNDS}", local)
        if n != 1:
            fail("the command should give --rounds once")
        run_env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", SHARDS=str(shards))
        for index in range(spec["completions"]):
            done = subprocess.run(
                ["/bin/sh", "-c", local],
                env=dict(run_env, JOB_COMPLETION_INDEX=str(index)),
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                fail(f"index {index}: the pod's command failed:\n{local}\n{done.stderr}")
        parts = sorted(results.glob("part-*.json"))
        if len(parts) != shards:
            fail(f"{len(parts)} partials in /results, expected {shards}")
        merged = results / "merged.json"
        subprocess.run(
            [str(accord), "merge", *map(str, parts), "--format", "json", "-o", str(merged)],
            check=True,
        )
        # The same sweep whole: the arguments the shell gives accord (as a stand-in that
        # prints them shows), without the shard and its output.
        fake = tmp / "fake"
        fake.mkdir()
        (fake / "accord").write_text('#!/bin/sh\nprintf "%s\\0" "$@"\n')
        (fake / "accord").chmod(0o755)
        argv = subprocess.run(
            ["/bin/sh", "-c", local],
            env=dict(run_env, PATH=f"{fake}:{os.environ['PATH']}", JOB_COMPLETION_INDEX="0"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\0")[:-1]
        for flag in ("--shard", "-o"):
            if argv.count(flag) != 1:
                fail(f"the command should give {flag} once: {argv}")
            i = argv.index(flag)
            del argv[i : i + 2]
        single = results / "single.json"
        subprocess.run(
            [str(accord), *argv, "--format", "json", "-o", str(single)], check=True
        )
        if merged.read_bytes() != single.read_bytes():
            fail("the merged result of the Indexed Job's shards differs from the single run")
        print(
            f"k8s-check: OK: {MANIFEST.name} validates (strict), and its {shards} indexed pods' "
            f"commands, run here with {ROUNDS} rounds, merge into the single run's bytes"
        )


if __name__ == "__main__":
    main()
