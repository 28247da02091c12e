#!/usr/bin/env bash
# Records the JSON output of every bundled scenario — a run, one sweep, seeds and a 3-shard
# merge — at fixed seeds, into OUT_DIR. Run it before and after a change that must not move a
# number, then compare the folders (scripts/golden-compare.py).
#
#   scripts/golden.sh target/release/accord /tmp/golden-before
set -euo pipefail
bin=$(realpath "$1"); out=$2
cd "$(dirname "$0")/.."
mkdir -p "$out"
rounds=20000
for f in scenarios/*.toml; do
  # Data files for `accord calibrate` (observations, not scenarios) have no [scenario] table.
  grep -q '^\[scenario\]' "$f" || continue
  name=$(basename "$f" .toml)
  kind=$(sed -n '/^\[protocol\]/,/^\[/s/^kind = "\(.*\)"/\1/p' "$f" | head -n 1)
  "$bin" run "$f" --rounds $rounds --seed 7 --format json -o "$out/$name.run.json"
  if [ "$kind" = ratify ]; then
    clause=$(sed -n 's/^\[clauses\.\(.*\)\]/\1/p' "$f" | head -n 1)
    sweep=(--clause "$clause" --points 7)
  elif [ "$kind" = baron_ferejohn ]; then
    sweep=(--param discount --from 0.5 --to 0.95 --points 4)
  else
    sweep=(--param deadline --from 13 --to 19 --points 4)
  fi
  "$bin" sweep "$f" "${sweep[@]}" --rounds $rounds --seed 7 --format json -o "$out/$name.sweep.json"
  "$bin" seeds "$f" --seeds 1..=4 --rounds 5000 --format json -o "$out/$name.seeds.json"
  for k in 1 2 3; do
    "$bin" run "$f" --rounds $rounds --seed 7 --shard $k/3 -o "$out/$name.part$k.json"
  done
  "$bin" merge "$out/$name".part{1,2,3}.json --format json -o "$out/$name.merged.json"
  rm "$out/$name".part{1,2,3}.json
done
