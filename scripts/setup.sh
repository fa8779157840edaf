#!/usr/bin/env bash
# Installs what rlvr-world needs and builds it; every README command runs this first.
#   - libtorch: $LIBTORCH, a Python torch, or Debian's libtorch-dev (installed here when missing and root)
#   - npm dependencies (npm ci when node_modules is missing or older than package-lock.json)
#   - the native binding (rebuilt when its sources change) and the TypeScript (tsc)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! node native/find-libtorch.mjs --describe >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's libtorch-dev" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libtorch-dev >/dev/null
  else
    echo "setup: libtorch not found. Install Debian's libtorch-dev, a Python torch, or set LIBTORCH=/path/to/libtorch" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

PATH="$PWD/node_modules/.bin:$PATH" bash scripts/build-native.sh

npx tsc -p tsconfig.json
