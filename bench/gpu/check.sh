#!/usr/bin/env bash
# The GPU check: builds the engine against the machine's Python torch (CUDA, NCCL), runs the
# CUDA tests, the trainer tests on cuda:0 and the distributed tests, then the engine benchmark
# on the GPU beside PyTorch (same models, same process layout) and the GRPO step benchmark.
#   bash bench/gpu/check.sh            output: $OUT (default runs/gpu-check)
# Needs Node 20 (or .gpu/node.tar.xz: bin/node + include/node) and node_modules (or
# .gpu/node_modules.tar.xz), a Python torch with CUDA, g++ and make, and the compiled dist/.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${OUT:-runs/gpu-check}"
DEV="${DEV:-cuda:0}"   # DEV=cpu CFG=bench/engine/configs.json IDS=... QUICK=1: a dry run on a CPU machine
PYTHON="${PYTHON:-python3}"
mkdir -p "$OUT" runs
exec > >(tee -a "$OUT/log.txt") 2>&1
T0=$(date +%s)
step() { echo; echo "== [$(( $(date +%s) - T0 )) s] $*"; }

if [ -f .gpu/node.tar.xz ] && ! command -v node >/dev/null; then
  mkdir -p /tmp/nodeenv && tar xJf .gpu/node.tar.xz -C /tmp/nodeenv && export PATH=/tmp/nodeenv/bin:$PATH
fi
[ -d node_modules ] || tar xJf .gpu/node_modules.tar.xz
step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
nproc
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(), "cxx11abi", torch.compiled_with_cxx11_abi())'
node --version
node native/find-libtorch.mjs --describe

step "build (node-gyp against the Python torch)"
export JOBS=$(nproc)
if ! timeout 300 bash scripts/build-native.sh; then
  step "build failed; again without the NCCL backend"
  RLVR_NO_NCCL=1 timeout 300 bash scripts/build-native.sh || { echo "BUILD FAILED"; exit 1; }
fi
node dist/src/apps/cli/main.js info

step "tests: CUDA, trainers on cuda:0, distributed (Gloo on loopback)"
RLVR_TEST_DEVICE=$DEV timeout 420 node --test --test-concurrency=1 --test-reporter=spec \
  dist/test/e2e/cuda.test.js dist/test/e2e/grpo-integration.test.js dist/test/e2e/resume.test.js dist/test/e2e/distributed.test.js 2>&1 | tee "$OUT/tests.txt" | grep -vE '^\s+at |^\s*$'

step "engine benchmark on the GPU: rlvr-world vs PyTorch (fp32, then bf16 autocast training)"
CFG="${CFG:-bench/engine/configs-gpu.json}"
IDS="${IDS:-train/10M,train/124M,sample/10M/32,sample/10M/128,sample/124M/32,sample/124M/128}"
TRAIN_IDS=$(echo "$IDS" | tr ',' '\n' | grep '^train/' | paste -sd,)
TMP=$(mktemp -d)
export DEVICE=$DEV THREADS=4
BENCH_ONLY=$IDS timeout 150 node dist/bench/engine/engine.js $CFG >> $TMP/ours.jsonl
BENCH_ONLY=$IDS timeout 150 "$PYTHON" bench/engine/peer.py $CFG >> $TMP/peer.jsonl
BF16=1 BENCH_ONLY=$TRAIN_IDS timeout 100 node dist/bench/engine/engine.js $CFG >> $TMP/ours.jsonl
BF16=1 BENCH_ONLY=$TRAIN_IDS timeout 100 "$PYTHON" bench/engine/peer.py $CFG >> $TMP/peer.jsonl
node bench/engine/report.mjs $TMP/ours.jsonl $TMP/peer.jsonl "$OUT/bench-engine-gpu.json"

step "GRPO step benchmark on $DEV (fp32, then bf16)"
timeout 120 node dist/bench/grpo/step.js "${GRPO_STEPS:-4}"
BF16=1 timeout 120 node dist/bench/grpo/step.js "${GRPO_STEPS:-4}"
unset DEVICE
step "done"
