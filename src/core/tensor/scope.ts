// Deterministic freeing of native memory. Every tensor created while a scope runs is
// recorded in it; when the scope ends, all of them are disposed except those it returns
// (which move to the enclosing scope) and those marked with keep(). Tensors that live
// outside every scope are guarded by a FinalizationRegistry instead (see tensor.ts), so
// the hot path inside scopes pays nothing for garbage-collection safety.
import type { Tensor } from './tensor.js';

const frames: Tensor[][] = [];

/** Records a new tensor in the innermost scope; false when no scope is open. */
export function track(t: Tensor): boolean {
  const top = frames[frames.length - 1];
  if (!top) return false;
  top.push(t);
  return true;
}

function collect(value: unknown, into: Set<Tensor>, isTensor: (v: unknown) => v is Tensor, depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (isTensor(value)) {
    into.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, into, isTensor, depth + 1);
    return;
  }
  if (value instanceof Map) {
    for (const v of value.values()) collect(v, into, isTensor, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype)
    for (const v of Object.values(value)) collect(v, into, isTensor, depth + 1);
}

let tensorCheck: (v: unknown) => v is Tensor = (_v: unknown): _v is Tensor => false;
/** @internal set by tensor.ts to avoid an import cycle */
export function setTensorCheck(f: (v: unknown) => v is Tensor): void {
  tensorCheck = f;
}

/**
 * Runs `fn` and frees every tensor it created, except the tensors found in its return
 * value (a tensor, or arrays / plain objects / Maps holding tensors) and kept ones.
 * `fn` must be synchronous: native memory must not wait on the event loop.
 */
export function scope<T>(fn: () => T): T {
  const frame: Tensor[] = [];
  frames.push(frame);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    frames.pop();
    for (const t of frame) if (!t.kept) t.dispose();
    throw err;
  }
  frames.pop();
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    for (const t of frame) if (!t.kept) t.dispose();
    throw new Error('scope(): the function returned a Promise; scopes are synchronous');
  }
  const returned = new Set<Tensor>();
  collect(result, returned, tensorCheck);
  const parent = frames[frames.length - 1];
  for (const t of frame) {
    if (returned.has(t)) {
      if (parent) parent.push(t);
      else t.guard();
    } else if (!t.kept) t.dispose();
  }
  return result;
}

/** Number of scopes currently open. */
export function scopeDepth(): number {
  return frames.length;
}
