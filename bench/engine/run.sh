#!/usr/bin/env bash
# Engine benchmark: rlvr-world (TypeScript over our libtorch binding) vs PyTorch from Python
# on the same LLaMA configs (bench/engine/configs.json), with the same thread count.
#   bash bench/engine/run.sh          env: THREADS (default 2), QUICK=1 (smoke run)
# Prints a table and writes runs/bench-engine.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=bench/engine
PY=/usr/bin/python3   # Debian's python3-torch; the pyenv python3 on PATH has no torch

export THREADS="${THREADS:-2}"
# libtorch's own pool (OpenMP) and the BLAS it calls: Debian's libtorch is built against the
# generic BLAS interface, so torch.set_num_threads / setNumThreads do not reach OpenBLAS; its
# env var does.
export OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS"
# OpenMP workers that spin after each parallel region starve OpenBLAS's own threads when both
# pools share the cores (decoding ran ~3-5x slower on 2 cores); both sides get the same setting.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

# 1. PyTorch for the peer
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "installing python3-torch (apt-get)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-torch
  "$PY" -c 'import torch' || { echo "python3-torch is still not importable by $PY" >&2; exit 1; }
fi

# 2. our side, compiled (when dist/ is missing or older than any TypeScript source)
JS=dist/bench/engine/engine.js
if [ ! -f "$JS" ] || [ -n "$(find src bench -name '*.ts' -newer "$JS" -print -quit)" ]; then
  echo "compiling TypeScript (npx tsc -p .)" >&2
  npx tsc -p .
fi

# which library Debian's libblas.so.3 alternative points at (the reference BLAS is ~20-30x
# slower on matrix products and single-threaded; scripts/setup.sh installs OpenBLAS)
BLAS="$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
export BENCH_BLAS="$BLAS"
case "$BLAS" in */blas/libblas.so.3*) echo "warning: libtorch runs the reference BLAS ($BLAS); install libopenblas0-pthread (scripts/setup.sh)" >&2 ;; esac

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# This machine may be shared: before each measurement, wait (up to 2 minutes) for the CPUs to
# be idle; during it, count the CPU time other processes took (all busy time minus ours) and
# flag the measurement when that exceeds 10% of the machine.
cpu_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
HZ="$(getconf CLK_TCK)"
wait_idle() {
  local b0 t0 b1 t1 waited=0
  while :; do
    read -r b0 t0 < <(cpu_ticks); sleep 1; read -r b1 t1 < <(cpu_ticks)
    [ $((100 * (b1 - b0))) -le $((10 * (t1 - t0))) ] && return 0
    waited=$((waited + 1))
    [ $waited -eq 1 ] && echo "waiting for the CPUs to go idle ($((100 * (b1 - b0) / (t1 - t0)))% busy)" >&2
    [ $waited -ge 120 ] && { echo "warning: the CPUs are still busy; measuring anyway" >&2; return 0; }
  done
}
# timed SIDE ID CMD...: runs CMD, appends its stdout to $TMP/SIDE.jsonl, notes foreign CPU use
timed() {
  local side="$1" id="$2"; shift 2
  local b0 t0 b1 t1 real user sys
  read -r b0 t0 < <(cpu_ticks)
  { TIMEFORMAT='%R %U %S'; time BENCH_ONLY="$id" "$@" >> "$TMP/$side.jsonl" 2>&3; } 3>&2 2> "$TMP/time"
  read -r b1 t1 < <(cpu_ticks)
  read -r real user sys < "$TMP/time"
  awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v hz="$HZ" -v u="$user" -v s="$sys" -v side="$side" -v id="$id" 'BEGIN {
    f = b / hz - (u + s); share = t > 0 ? f / (t / hz) : 0
    if (share > 0.10) printf "%s %s: other processes took %.0f%% of the CPUs (%.1f s)\n", side, id, 100 * share, f }' >> "$TMP/busy.txt"
}

# 3. one measurement at a time, both sides back to back (never at once: they share the cores),
#    alternating which side goes first so slow drifts of the machine hit both alike
IDS="$(node -e '
  const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const ids = Object.keys(b.models).map((m) => `train/${m}`);
  for (const m of Object.keys(b.models)) for (const B of b.sample.batches) ids.push(`sample/${m}/${B}`);
  ids.push("ops");
  console.log(ids.join(" "));' "$HERE/configs.json")"
ours() { wait_idle; timed ours "$1" node "$JS" "$HERE/configs.json"; }
peer() { wait_idle; timed peer "$1" "$PY" "$HERE/peer.py" "$HERE/configs.json"; }
echo "== $THREADS threads, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, BLAS $BLAS${QUICK:+, QUICK}" >&2
i=0
for id in $IDS; do
  if [ $((i % 2)) -eq 0 ]; then ours "$id"; peer "$id"; else peer "$id"; ours "$id"; fi
  i=$((i + 1))
done

# 4. the table and runs/bench-engine.json
BENCH_BUSY="$(cat "$TMP/busy.txt" 2>/dev/null || true)" OMP_WAIT_POLICY="$OMP_WAIT_POLICY" \
  node "$HERE/report.mjs" "$TMP/ours.jsonl" "$TMP/peer.jsonl" runs/bench-engine.json
