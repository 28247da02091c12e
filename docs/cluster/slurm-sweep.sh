#!/usr/bin/env bash
# A large accord sweep as a Slurm job array: one task per shard, then one merge job.
#
#   sbatch docs/cluster/slurm-sweep.sh            # submits the array (16 shards)
#   # when every task has finished:
#   accord merge parts/part-*.json --format csv -o troop-cap.csv --plot troop-cap.png
#
# Or chain the merge automatically:
#   jid=$(sbatch --parsable docs/cluster/slurm-sweep.sh)
#   sbatch --dependency=afterok:$jid --wrap \
#     "accord merge parts/part-*.json --format csv -o troop-cap.csv --plot troop-cap.png"
#
# Every shard must run the same accord version on the same scenario file with the same
# flags; `accord merge` checks this and names any shard that is missing or given twice.
# The merged result is bit-identical to running the sweep on one machine.
#
#SBATCH --job-name=accord-sweep
#SBATCH --array=1-16
#SBATCH --cpus-per-task=8
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=logs/accord-%A_%a.out

set -euo pipefail
SHARDS=16                                   # keep equal to the --array range
SCENARIO=scenarios/peace-plan-2025.toml     # edit: your scenario
mkdir -p parts logs

accord sweep "$SCENARIO" \
  --proposal plan_28 --clause troop_cap --from 400000 --to 1000000 --steps 101 \
  --rounds 100000000 --seed 2025 \
  --threads "${SLURM_CPUS_PER_TASK}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  -o "parts/part-${SLURM_ARRAY_TASK_ID}.json"
