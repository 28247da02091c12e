"""Shared fixtures: the repository's scenarios and its `accord` command line, whose output
the binding must reproduce exactly."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
PEACE = SCENARIOS / "peace-plan-2025.toml"
FEARON = SCENARIOS / "fearon.toml"
ALTERNATING = SCENARIOS / "peace-plan-2025-alternating.toml"
MEDIATED = SCENARIOS / "peace-plan-2025-mediated.toml"
THREE_PARTY = SCENARIOS / "three-party-alternating.toml"
RUBINSTEIN = SCENARIOS / "rubinstein.toml"


@pytest.fixture(scope="session")
def accord_bin() -> Path:
    """The CLI of this checkout: $ACCORD_BIN, else target/release/accord brought up to date
    by cargo (a no-op after `cargo test --release`, as in .ci/run)."""
    given = os.environ.get("ACCORD_BIN")
    if given:
        return Path(given)
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "--bin", "accord"],
        cwd=REPO,
        check=True,
    )
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    if not target.is_absolute():
        target = REPO / target
    return target / "release" / "accord"


@pytest.fixture(scope="session")
def cli(accord_bin):
    """Runs `accord ARGS…` and returns its stdout; fails the test on a non-zero exit."""

    def run(*args: object) -> str:
        done = subprocess.run(
            [str(accord_bin), *map(str, args)], capture_output=True, text=True, cwd=REPO
        )
        assert done.returncode == 0, f"accord {' '.join(map(str, args))}: {done.stderr}"
        return done.stdout

    return run


@pytest.fixture(scope="session")
def cli_json(cli):
    """Runs `accord ARGS… --format json` and parses its output (also returned raw)."""

    def run(*args: object):
        text = cli(*args, "--format", "json")
        return json.loads(text), text

    return run
