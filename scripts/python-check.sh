#!/usr/bin/env bash
# The Python package's checks: a fresh virtual environment, `pip install ./python` (maturin
# builds the extension from source, as on a user's machine), then its pytest suite, which
# compares every kind of result with the CLI of this checkout and runs the Dask example on a
# local two-process cluster.
#
#   bash scripts/python-check.sh
#
# CARGO_TARGET_DIR defaults to the root's target/ so that the binding reuses the core
# crate's compiled dependencies (same versions and release profile) instead of building
# them again. Installs python3 with venv from Debian's packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
if ! command -v python3 >/dev/null || ! python3 -c "import venv, ensurepip" 2>/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
# The CLI the tests compare against, from the same build.
cargo build --release --locked --bin accord
export ACCORD_BIN=${ACCORD_BIN:-$CARGO_TARGET_DIR/release/accord}
VENV=$(mktemp -d /tmp/accord-python-venv.XXXXXX)
trap 'rm -rf "$VENV"' EXIT
python3 -m venv "$VENV"
# The binding's Rust is held to the core crate's standards.
cargo fmt --check --manifest-path python/Cargo.toml
PYO3_PYTHON=$VENV/bin/python cargo clippy --locked --manifest-path python/Cargo.toml -- -D warnings
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q ./python pytest pandas dask distributed
# Tests import the installed package, never python/accord/ in the source tree (which has no
# compiled module): run them from the tests' folder with the package dir out of sys.path.
cd python/tests
"$VENV/bin/python" -m pytest -q -p no:cacheprovider .
