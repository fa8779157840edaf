// Threads, CUDA availability and the libtorch build in use.
import { native } from './native.js';

export const setNumThreads = (n: number): void => native.setNumThreads(n);
export const getNumThreads = (): number => native.getNumThreads();
export const cuda = {
  isAvailable: (): boolean => native.cudaIsAvailable(),
  deviceCount: (): number => native.cudaDeviceCount(),
  /** Waits for all queued CUDA work (no-op without CUDA); use before reading a timer. */
  synchronize: (device?: number): void => native.cudaSynchronize(device),
};
export const engineVersion = (): { torch: string; cudaBuild: boolean } => native.version();
/** 'cuda:0' when a GPU is usable, else 'cpu'. */
export const defaultDevice = (): string => (native.cudaIsAvailable() ? 'cuda:0' : 'cpu');
