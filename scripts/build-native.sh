#!/usr/bin/env bash
# Builds the native engine when its sources (or the libtorch found) changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! desc=$(node native/find-libtorch.mjs --describe 2>&1); then
  echo "rlvr-world: $desc" >&2
  exit 1
fi
stamp=native/build/.sources
sum=$( (cat native/binding.gyp native/find-libtorch.mjs native/src/*; echo "$desc") | sha1sum | cut -c1-40)
if [ ! -f native/build/Release/rlvr_torch.node ] || [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  echo "rlvr-world: building the native engine against ${desc:0:160}" >&2
  # Build against the running Node's own headers when it ships them (no header download).
  prefix=$(dirname "$(dirname "$(command -v node)")")
  nodedir=${npm_config_nodedir:-}
  if [ -z "$nodedir" ] && [ -f "$prefix/include/node/node_api.h" ]; then nodedir=$prefix; fi
  gyp=node-gyp
  [ -x node_modules/.bin/node-gyp ] && gyp=node_modules/.bin/node-gyp
  "$gyp" rebuild --directory native -j "${JOBS:-2}" --loglevel=warn ${nodedir:+--nodedir="$nodedir"} >&2
  echo "$sum" > "$stamp"
fi
