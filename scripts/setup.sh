#!/usr/bin/env bash
# Installs what rlvr-world needs and builds it; every README command runs this first.
#   - libtorch: $LIBTORCH, a Python torch, or Debian's libtorch-dev + OpenBLAS, and fonts for plots (installed here when missing and root)
#   - npm dependencies (npm ci when node_modules is missing or older than package-lock.json)
#   - the native binding (rebuilt when its sources change) and the TypeScript (tsc)
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's libtorch links the reference BLAS unless OpenBLAS is installed; with OpenBLAS
# its matrix products run ~20x faster (the BLAS alternative switches automatically).
need=()
node native/find-libtorch.mjs --describe >/dev/null 2>&1 || need+=(libtorch-dev)
if command -v dpkg >/dev/null && dpkg -s libtorch-dev >/dev/null 2>&1 || [[ " ${need[*]} " == *libtorch-dev* ]]; then
  dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
fi
# Data-parallel training (c10d's Gloo backend) compiles against gloo's headers.
if dpkg -s libtorch-dev >/dev/null 2>&1 || [[ " ${need[*]} " == *libtorch-dev* ]]; then
  dpkg -s libgloo-dev >/dev/null 2>&1 || need+=(libgloo-dev)
fi
# The web domain drives Debian's Chromium (playwright-core; nothing downloads a browser).
[ -x /usr/bin/chromium ] || need+=(chromium)
# Report plots render their labels with DejaVu Sans.
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${need[*]} from Debian" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  elif [[ " ${need[*]} " == *libtorch-dev* ]]; then
    echo "setup: libtorch not found. Install Debian's libtorch-dev (and libopenblas0-pthread), a Python torch, or set LIBTORCH=/path/to/libtorch" >&2
    exit 1
  else
    echo "setup: warning: ${need[*]} not installed (OpenBLAS: Debian's libtorch uses the slow reference BLAS without it; fonts: plot labels need DejaVu Sans; gloo: multi-process training; chromium: the web domain's collector)" >&2
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # onnxruntime-node (LPIPS) ships its CPU binaries; its postinstall would fetch GPU ones from nuget.org
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi

bash scripts/build-native.sh

npx tsc -p tsconfig.json

# The board's page (uPlot, marked), bundled for offline use next to its server.
node web/board/build.mjs
