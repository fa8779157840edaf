// Loads the N-API binding (native/build/Release/rlvr_torch.node, or $RLVR_NATIVE), typed as NativeApi.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import type { NativeApi } from './native-api.js';

/** A tensor's id in the engine's tensor table, owned by one `Tensor`. */
export type Handle = number & { readonly __tensorHandle: unique symbol };
/** An opaque reference to a libtorch optimizer. */
export interface OptimizerHandle {
  readonly __optimizerHandle: unique symbol;
}
/** An opaque reference to a native decoder (native/src/decode.cc). */
export interface DecoderHandle {
  readonly __decoderHandle: unique symbol;
}

function findBinding(): string {
  if (process.env.RLVR_NATIVE) return resolve(process.env.RLVR_NATIVE);
  // this file is dist/src/tensor/native.js (compiled) or src/tensor/native.ts (tsx)
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'native', 'build', 'Release', 'rlvr_torch.node');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    'rlvr-world: native engine not built. Run `npm run build:native` (needs libtorch: apt-get install libtorch-dev).',
  );
}

// OpenMP workers that spin after each parallel region starve OpenBLAS's threads on few
// cores (decoding measured 3-5x slower); libgomp reads this when libtorch loads.
process.env.OMP_WAIT_POLICY ??= 'PASSIVE';

const require = createRequire(import.meta.url);
/** The addon's exports, typed by native-api.ts (test/native-api.test.ts checks that the names match). */
export const native = require(findBinding()) as NativeApi;
