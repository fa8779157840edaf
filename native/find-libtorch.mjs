#!/usr/bin/env node
// Finds libtorch for node-gyp, in the order the README gives:
//   1. $LIBTORCH (an unpacked libtorch distribution),
//   2. a Python `torch` install ($PYTHON or python3, then /usr/bin/python3),
//   3. the system (Debian's libtorch-dev: headers in /usr/include, libraries on the linker path).
// Prints one field for binding.gyp: --include | --libdirs | --libs | --defines | --ldflags | --describe
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';

function fromRoot(root, how, abi) {
  const inc = join(root, 'include');
  if (!existsSync(join(inc, 'ATen', 'ATen.h'))) return null;
  const lib = join(root, 'lib');
  return { how, root, include: [inc, join(inc, 'torch', 'csrc', 'api', 'include')], libdir: [lib], abi, cuda: existsSync(join(lib, 'libtorch_cuda.so')) };
}

function abiOfDistribution(root) {
  const cfg = join(root, 'share', 'cmake', 'Torch', 'TorchConfig.cmake');
  if (!existsSync(cfg)) return 1;
  const m = readFileSync(cfg, 'utf8').match(/_GLIBCXX_USE_CXX11_ABI=(\d)/);
  return m ? Number(m[1]) : 1;
}

function fromPython(python) {
  try {
    const out = execFileSync(python, ['-c',
      'import torch, os; print(torch.utils.cmake_prefix_path); print(int(torch.compiled_with_cxx11_abi()))'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    // cmake_prefix_path is <torch>/share/cmake
    return fromRoot(dirname(dirname(out[0])), `python torch (${python})`, Number(out[1]));
  } catch { return null; }
}

function find() {
  if (process.env.LIBTORCH) {
    const found = fromRoot(process.env.LIBTORCH, 'LIBTORCH', abiOfDistribution(process.env.LIBTORCH));
    if (!found) throw new Error(`LIBTORCH=${process.env.LIBTORCH} has no include/ATen/ATen.h`);
    return found;
  }
  for (const py of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    const found = fromPython(py);
    if (found) return found;
  }
  if (existsSync('/usr/include/ATen/ATen.h')) {
    const libdir = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'].filter((d) => existsSync(join(d, 'libtorch.so')));
    return { how: 'system', root: '/usr', include: ['/usr/include', '/usr/include/torch/csrc/api/include'], libdir, abi: 1, cuda: libdir.some((d) => existsSync(join(d, 'libtorch_cuda.so'))) };
  }
  throw new Error('libtorch not found: set LIBTORCH, install Python torch, or apt-get install libtorch-dev');
}

// c10d's Gloo backend needs gloo's headers (Debian: libgloo-dev; a Python torch ships them);
// its NCCL backend needs the NCCL and CUDA runtime headers (pip's nvidia-* packages or a CUDA toolkit).
function distributed(t) {
  // Debian's gloo headers only with Debian's libtorch (their layouts must match the library's)
  const debian = t.how === 'system' || t.root.startsWith('/usr/lib/python3/dist-packages');
  // GLOO_INCLUDE: gloo's headers at the commit this torch was built with (its third_party/gloo)
  const roots = [...(process.env.GLOO_INCLUDE ? [process.env.GLOO_INCLUDE] : []), ...t.include, ...(debian ? ['/usr/include'] : [])];
  const gloo = roots.some((d) => existsSync(join(d, 'gloo', 'context.h')));
  const extra = [];
  let nccl = false;
  if (t.cuda) {
    const site = dirname(dirname(t.root));  // <site-packages>/torch -> <site-packages>
    const find = (file, dirs) => dirs.find((d) => existsSync(join(d, file)));
    const ncclInc = find('nccl.h', [join(site, 'nvidia', 'nccl', 'include'), '/usr/include', '/usr/local/cuda/include', ...t.include]);
    const cudaInc = find('cuda_runtime_api.h', [join(site, 'nvidia', 'cuda_runtime', 'include'), join(site, 'nvidia', 'cu13', 'include'), '/usr/local/cuda/include', '/usr/include']);
    if (ncclInc && cudaInc && process.env.RLVR_NO_NCCL !== '1') { nccl = true; extra.push(...new Set([ncclInc, cudaInc])); }
  }
  if (gloo && process.env.GLOO_INCLUDE) extra.push(process.env.GLOO_INCLUDE);
  return { gloo, nccl, include: extra };
}

const t = find();
Object.assign(t, { dist: distributed(t) });
const field = process.argv[2];
const libs = ['-ltorch', '-ltorch_cpu', '-lc10', ...(t.cuda ? ['-ltorch_cuda', '-lc10_cuda'] : [])];
const out = {
  '--include': [...t.include, ...t.dist.include].join(' '),
  '--libs': libs.join(' '),
  // --no-as-needed keeps libtorch_cuda linked although no symbol is used directly: loading it registers the CUDA backend.
  '--ldflags': [...t.libdir.flatMap((d) => [`-L${d}`, `-Wl,-rpath,${d}`]), '-Wl,--no-as-needed'].join(' '),
  '--defines': [`_GLIBCXX_USE_CXX11_ABI=${t.abi}`, ...(t.cuda ? ['RLVR_CUDA=1'] : []), ...(t.dist.gloo ? ['USE_C10D_GLOO'] : []), ...(t.dist.nccl ? ['USE_C10D_NCCL'] : [])].join(' '),
  '--describe': JSON.stringify(t),
}[field];
if (out === undefined) { console.error('usage: find-libtorch.mjs --include|--libs|--ldflags|--defines|--describe'); process.exit(2); }
console.log(out);
