#!/usr/bin/env bash
# Checks the Kubernetes Indexed Job of docs/cluster/ without a cluster: schema validation
# with kubernetes-validate (from PyPI; it ships the Kubernetes schemas, so it works offline)
# and a local play of every pod's command, merged and compared with the single run
# (scripts/k8s-check.py says what exactly).
#
#   bash scripts/k8s-check.sh
#
# Installs kubernetes-validate (and PyYAML with it) into a virtual environment in a temporary
# folder. ACCORD names the accord binary (default: target/release/accord, built if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${ACCORD:-} ]]; then
  cargo build --release --locked --bin accord
  target=${CARGO_TARGET_DIR:-target}
  [[ $target == /* ]] || target=$PWD/$target
  ACCORD=$target/release/accord
fi
command -v python3 >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
}
VENV=$(mktemp -d /tmp/accord-k8s-venv.XXXXXX)
trap 'rm -rf "$VENV"' EXIT
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q kubernetes-validate
PATH=$VENV/bin:$PATH "$VENV/bin/python" scripts/k8s-check.py "$ACCORD"
