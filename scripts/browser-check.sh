#!/usr/bin/env bash
# The HTML report in a real browser: builds the CLI, writes a report of the bundled peace
# plan with two sweeps, and has headless Chromium load it from file:// to check (see
# browser-check.py) that the DOM holds every section, table and chart, that the page made no
# network request and logged nothing to its console, and that desktop and phone-width
# screenshots are not blank.
#
#   bash scripts/browser-check.sh [OUT_DIR]      # default: target/browser-check
#
# Installs Debian's `chromium` package when no Chromium is on the PATH. The screenshots stay
# in OUT_DIR for a person to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/browser-check}
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  CHROMIUM=$(command -v chromium)
fi
if ! command -v python3 >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null
fi
cargo build --release --locked --bin accord
ACCORD=${CARGO_TARGET_DIR:-target}/release/accord
rm -rf "$OUT"
mkdir -p "$OUT"
# Fewer rounds than the scenario's 100,000: the check is of the page, not of the numbers.
"$ACCORD" report scenarios/peace-plan-2025.toml --rounds 20000 \
  --sweep --path plan_28..plan_19 --beyond 0.25 --points 31 \
  --sweep --clause troop_cap --from 400000 --to 1000000 --points 25 \
  -o "$OUT/report.html"
# The digest the report gives is the one coreutils computes from the file.
digest=$(sha256sum scenarios/peace-plan-2025.toml | cut -d' ' -f1)
grep -q "$digest" "$OUT/report.html" || { echo "browser-check: FAILED: the report lacks the file's SHA-256 $digest" >&2; exit 1; }
python3 scripts/browser-check.py "$CHROMIUM" "$OUT/report.html" "$OUT" --sweeps 2
