// Gradient-mode regions, as torch.no_grad() / torch.enable_grad().
import { native } from './native.js';
import { DTYPE_CODE, type DType } from './dtype.js';

function withGrad<T>(enabled: boolean, fn: () => T): T {
  const prev = native.isGradEnabled();
  native.setGradEnabled(enabled);
  try {
    const r = fn();
    if (r && typeof (r as { then?: unknown }).then === 'function')
      throw new Error('noGrad()/enableGrad(): the function must be synchronous');
    return r;
  } finally {
    native.setGradEnabled(prev);
  }
}

/** Runs `fn` (synchronous) without recording operations for autograd. */
export const noGrad = <T>(fn: () => T): T => withGrad(false, fn);
/** Runs `fn` (synchronous) with autograd recording on. */
export const enableGrad = <T>(fn: () => T): T => withGrad(true, fn);
export const isGradEnabled = (): boolean => native.isGradEnabled();

/**
 * Runs `fn` (synchronous) under autocast, as torch.autocast(device_type, dtype): matrix
 * products in `dtype` (bfloat16 by default), precision-sensitive ops in float32. Weights
 * and gradients keep their own dtype. `enabled: false` runs `fn` as it is.
 */
export function autocast<T>(device: string, fn: () => T, { dtype = 'bfloat16' as DType, enabled = true } = {}): T {
  if (!enabled) return fn();
  const type = device.startsWith('cuda') ? 'cuda' : 'cpu';
  native.autocast(type, true, DTYPE_CODE[dtype]);
  try {
    const r = fn();
    if (r && typeof (r as { then?: unknown }).then === 'function')
      throw new Error('autocast(): the function must be synchronous');
    return r;
  } finally {
    native.autocast(type, false, DTYPE_CODE[dtype]);
  }
}
