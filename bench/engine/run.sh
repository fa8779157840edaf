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
export OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS"

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

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# 3. both sides, one after the other (never at once: they share the cores)
echo "== rlvr-world, $THREADS threads${QUICK:+ (QUICK)}" >&2
node "$JS" "$HERE/configs.json" > "$TMP/ours.json"
echo "== PyTorch, $THREADS threads${QUICK:+ (QUICK)}" >&2
"$PY" "$HERE/peer.py" "$HERE/configs.json" > "$TMP/peer.json"

# 4. the table and runs/bench-engine.json
node "$HERE/report.mjs" "$TMP/ours.json" "$TMP/peer.json" runs/bench-engine.json
