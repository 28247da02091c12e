#!/usr/bin/env bash
# Peak resident memory of `accord run` and `accord sweep` for 10^5 and 10^7 rounds: results
# are folded per block, never stored per round, so the peak must not grow with the rounds.
#
#   bash benches/peak-memory.sh
#
# Needs GNU time (/usr/bin/time, Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q
bin=target/release/accord
scenario=scenarios/peace-plan-2025.toml
peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1; }
printf '%-8s %-10s %s\n' command rounds peak_rss_kib
for rounds in 100000 10000000; do
  printf '%-8s %-10s %s\n' run "$rounds" "$(peak "$bin" run "$scenario" --rounds "$rounds")"
  printf '%-8s %-10s %s\n' sweep "$rounds" \
    "$(peak "$bin" sweep "$scenario" --proposal plan_28 --clause troop_cap --steps 101 --rounds "$rounds")"
done
