#!/usr/bin/env bash
# Runs the documented Slurm job array (docs/cluster/slurm-sweep.sh) on a one-node Slurm
# started on this machine, merges the shards with the dependent merge job, and compares the
# merged result with the same sweep played on one machine, byte for byte (cmp).
#
#   sudo bash scripts/slurm-check.sh            # or as root, as CI runs it
#
# Needs root (munged and slurmd run as root here). Installs Debian's slurm-wlm and munge
# when missing. Everything else lives in a temporary folder: a munge key and socket, a
# minimal slurm.conf naming this host at 127.0.0.1 (no network beyond loopback), the state,
# spool and logs of slurmctld and slurmd, and the job's work folder. The daemons it starts
# are stopped, by their process ids, when it exits, however it exits.
#
# Settings by environment:
#   ACCORD   the accord binary (default: target/release/accord, built with cargo if needed)
#   SHARDS   array tasks (default 4)      ROUNDS  the sweep's rounds (default 2000000)
#   KEEP=1   keep the temporary folder (its path is printed) for a look at the logs
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
SHARDS=${SHARDS:-4}
ROUNDS=${ROUNDS:-2000000}

say() { printf 'slurm-check: %s\n' "$*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}

[[ $(id -u) -eq 0 ]] || fail "run as root: munged, slurmctld and slurmd are started here"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
  ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

if [[ -z ${ACCORD:-} ]]; then
  cargo build --release --locked --bin accord
  target=${CARGO_TARGET_DIR:-target}
  [[ $target == /* ]] || target=$REPO/$target
  ACCORD=$target/release/accord
fi
[[ -x $ACCORD ]] || fail "no accord binary at $ACCORD"

TMP=$(mktemp -d /tmp/accord-slurm.XXXXXX)
chmod 755 "$TMP"
WORK=$TMP/work
mkdir -p "$TMP"/{munge,state,spool,log} "$WORK"
chmod 700 "$TMP/munge"
PIDS=()
JOBS=()

cleanup() {
  local code=$?
  set +e
  if ((code != 0 && ${#JOBS[@]})); then
    scancel "${JOBS[@]}" 2>/dev/null
  fi
  # Stop what this script started, newest first, by process id.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[i]}" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null
  done
  if ((code != 0)); then
    for f in "$TMP"/log/*.log "$WORK"/logs/*; do
      [[ -f $f ]] || continue
      say "--- last lines of $f"
      tail -n 20 "$f" >&2
    done
  fi
  if [[ ${KEEP:-} == 1 ]]; then
    say "kept $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nothing listens on yet.
free_port() {
  local p
  for p in $(seq "$1" $(($1 + 200))); do
    if ! (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  fail "no free port from $1"
}

# munge: its own key, socket and logs.
dd if=/dev/urandom of="$TMP/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$TMP/munge/munge.key"
SOCKET=$TMP/munge/munge.socket
munged --foreground --force --key-file="$TMP/munge/munge.key" --socket="$SOCKET" \
  --pid-file="$TMP/munge/munged.pid" --log-file="$TMP/log/munged.log" \
  --seed-file="$TMP/munge/munged.seed" 2>>"$TMP/log/munged.log" &
PIDS+=($!)
for _ in $(seq 100); do [[ -S $SOCKET ]] && break; sleep 0.1; done
[[ -S $SOCKET ]] || fail "munged did not start"
munge --socket="$SOCKET" -n | unmunge --socket="$SOCKET" >/dev/null || fail "munge does not round-trip a credential"

# A one-node cluster on this host, at 127.0.0.1.
HOST=$(hostname -s)
CPUS=$(nproc)
CTLD_PORT=$(free_port 16817)
SLURMD_PORT=$(free_port $((CTLD_PORT + 1)))
export SLURM_CONF=$TMP/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=accordcheck
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdTimeout=60
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=1024 State=UNKNOWN
PartitionName=check Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

# In the foreground (-D) so that $! is the daemon itself; their stderr goes to the logs.
slurmctld -D -i -f "$SLURM_CONF" 2>>"$TMP/log/slurmctld.log" &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" 2>>"$TMP/log/slurmd.log" &
PIDS+=($!)

state=""
for _ in $(seq 120); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
  [[ $state == idle ]] && break
  sleep 0.5
done
[[ $state == idle ]] || fail "the node is not idle after 60 s (state: ${state:-no answer})"
say "one-node Slurm up: $HOST, $CPUS CPUs, slurmctld on 127.0.0.1:$CTLD_PORT"

# The job array as documented, from a work folder holding the scenario; the logs folder
# exists before sbatch, as the job file says it must.
mkdir -p "$WORK/logs" "$WORK/scenarios"
cp scenarios/peace-plan-2025.toml "$WORK/scenarios/"
cd "$WORK"
export ACCORD ROUNDS SCENARIO=scenarios/peace-plan-2025.toml
jid=$(sbatch --parsable --array=1-"$SHARDS" --cpus-per-task=1 --mem=100M \
  "$REPO/docs/cluster/slurm-sweep.sh")
JOBS+=("$jid")
mid=$(sbatch --parsable --dependency=afterok:"$jid" --kill-on-invalid-dep=yes \
  --job-name=accord-merge --cpus-per-task=1 --mem=100M --output=logs/merge-%j.out \
  --wrap "\"$ACCORD\" merge parts/part-*.json --format json -o merged.json")
JOBS+=("$mid")
say "submitted array job $jid ($SHARDS shards of a $ROUNDS-round sweep) and merge job $mid"

for _ in $(seq 600); do
  [[ -z $(squeue -h -j "$jid,$mid" 2>/dev/null) ]] && break
  sleep 1
done
[[ -z $(squeue -h -j "$jid,$mid") ]] || fail "jobs still queued after 600 s: $(squeue -j "$jid,$mid")"
for j in $(seq "$SHARDS"); do
  scontrol show job "${jid}_$j" | grep -q "JobState=COMPLETED" ||
    fail "array task ${jid}_$j did not complete: $(scontrol show job "${jid}_$j" | grep -o 'JobState=[A-Z_]*\|ExitCode=[0-9:]*' | tr '\n' ' ')"
done
scontrol show job "$mid" | grep -q "JobState=COMPLETED" || fail "the merge job $mid did not complete"
ls parts/part-*.json >/dev/null
[[ $(ls parts/part-*.json | wc -l) -eq $SHARDS ]] || fail "expected $SHARDS partials in parts/"
[[ -s merged.json ]] || fail "the merge job wrote no merged.json"

# The same sweep on this machine: the job file outside an array.
bash "$REPO/docs/cluster/slurm-sweep.sh"
if cmp merged.json single.json; then
  say "OK: the merged result of $SHARDS Slurm shards is byte-identical to the single run ($(wc -c <merged.json) bytes)"
else
  fail "the merged result differs from the single run"
fi
