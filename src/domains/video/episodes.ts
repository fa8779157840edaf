// Robot-video episodes in the published layout: one .npz per episode holding `image`, uint8
// [T, H, W, 3], and `action`, float [T, D]. Read with fflate (the zip) and npyjs (each .npy);
// anything else is reported with the file and the key.
import { readFileSync, writeFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { parse, dump } from 'npyjs';

export interface Episode {
  /** frames, uint8, [T, H, W, 3] row-major */
  frames: Uint8Array;
  /** actions, [T, D] row-major */
  actions: Float32Array;
  length: number;
  height: number;
  width: number;
  actionDim: number;
}

function npy(entries: Record<string, Uint8Array>, key: string, file: string) {
  const bytes = entries[`${key}.npy`];
  if (!bytes)
    throw new Error(
      `${file}: no '${key}' array (found: ${
        Object.keys(entries)
          .map((k) => k.replace(/\.npy$/, ''))
          .join(', ') || 'none'
      })`,
    );
  try {
    return parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw new Error(`${file}: '${key}' is not a readable .npy array (${(e as Error).message})`, { cause: e });
  }
}

export function readEpisode(file: string): Episode {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(file));
  } catch (e) {
    throw new Error(`${file}: not an .npz (zip) file (${(e as Error).message})`, { cause: e });
  }
  const image = npy(entries, 'image', file),
    action = npy(entries, 'action', file);
  if (image.dtype !== 'u1' || image.shape.length !== 4 || image.shape[3] !== 3)
    throw new Error(`${file}: 'image' must be uint8 [T, H, W, 3] (got ${image.dtype} [${image.shape}])`);
  if (!['f4', 'f8'].includes(action.dtype) || action.shape.length !== 2)
    throw new Error(`${file}: 'action' must be float32/float64 [T, D] (got ${action.dtype} [${action.shape}])`);
  if (image.fortranOrder || action.fortranOrder)
    throw new Error(`${file}: arrays in Fortran order are not supported; save them C-ordered`);
  const [T, H, W] = image.shape as [number, number, number];
  if (action.shape[0] !== T)
    throw new Error(`${file}: 'image' has ${T} frames but 'action' has ${action.shape[0]} rows`);
  return {
    frames: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
    actions: Float32Array.from(action.data as Float32Array | Float64Array),
    length: T,
    height: H,
    width: W,
    actionDim: action.shape[1]!,
  };
}

export function writeEpisode(file: string, e: Episode): void {
  const npyBytes = (a: ArrayBuffer): Uint8Array => new Uint8Array(a);
  writeFileSync(
    file,
    zipSync({
      'image.npy': npyBytes(dump(e.frames, [e.length, e.height, e.width, 3])),
      'action.npy': npyBytes(dump(e.actions, [e.length, e.actionDim])),
    }),
  );
}
