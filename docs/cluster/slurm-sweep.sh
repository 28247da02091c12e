#!/usr/bin/env bash
# A large accord sweep as a Slurm job array: one task per shard, then one merge job.
#
# Slurm opens the --output file below before this script starts, so its folder must exist
# when you submit (a job cannot create it in time). From the folder you submit in:
#
#   mkdir -p logs                                   # Slurm writes the tasks' logs here
#   jid=$(sbatch --parsable docs/cluster/slurm-sweep.sh)          # 16 shards
#   sbatch --dependency=afterok:$jid --kill-on-invalid-dep=yes --output=logs/merge-%j.out \
#     --wrap "accord merge parts/part-*.json --format csv -o troop-cap.csv --plot troop-cap.png"
#
# The number of shards is the array's size: `sbatch --array=1-64 …` plays 64 shards (the
# array must run from 1 to N). Settings by environment (sbatch passes it on):
#
#   ACCORD    the accord binary                 (default: accord, from PATH)
#   SCENARIO  the scenario file                 (default: scenarios/peace-plan-2025.toml)
#   ROUNDS    Monte Carlo rounds of the sweep   (default: 100000000)
#
# e.g. `ACCORD=$HOME/bin/accord ROUNDS=1000000 sbatch --array=1-4 --chdir=/scratch/me …`.
# Paths are relative to the folder the job runs in (the submit folder, or --chdir).
#
# Every shard must run the same accord version on the same scenario file with the same
# flags; `accord merge` checks this and names any shard that is missing or given twice.
# The merged result is bit-identical to running the sweep on one machine — which is what
# this file does when run outside a job array (`bash docs/cluster/slurm-sweep.sh` writes
# single.json), to try edits on few rounds or to compare; scripts/slurm-check.sh submits it
# to a one-node Slurm and compares the two byte for byte.
#
#SBATCH --job-name=accord-sweep
#SBATCH --array=1-16
#SBATCH --cpus-per-task=8
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=logs/accord-%A_%a.out

set -euo pipefail
ACCORD=${ACCORD:-accord}
SCENARIO=${SCENARIO:-scenarios/peace-plan-2025.toml}
ROUNDS=${ROUNDS:-100000000}

# Edit the sweep here; it is the same for every shard and for the single run.
sweep=(
  sweep "$SCENARIO"
  --proposal plan_28 --clause troop_cap --from 400000 --to 1000000 --points 101
  --rounds "$ROUNDS" --seed 2025
  --threads "${SLURM_CPUS_PER_TASK:-$(nproc)}"
)

if [[ -z ${SLURM_ARRAY_TASK_ID:-} ]]; then
  # Not a task of a job array: the whole sweep on this machine.
  exec "$ACCORD" "${sweep[@]}" --format json -o single.json
fi

SHARDS=${SLURM_ARRAY_TASK_COUNT:?submit this file as a job array: sbatch --array=1-N}
mkdir -p parts
"$ACCORD" "${sweep[@]}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  -o "parts/part-${SLURM_ARRAY_TASK_ID}.json"
