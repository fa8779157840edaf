// Gradient-mode regions, as torch.no_grad() / torch.enable_grad().
import { native } from './native.js';

function withGrad<T>(enabled: boolean, fn: () => T): T {
  const prev = native.isGradEnabled() as boolean;
  native.setGradEnabled(enabled);
  try {
    const r = fn();
    if (r && typeof (r as { then?: unknown }).then === 'function') throw new Error('noGrad()/enableGrad(): the function must be synchronous');
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
