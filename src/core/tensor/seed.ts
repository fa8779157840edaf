// Seeded randomness. The generator state can be saved and restored for exact resumption.
import { native } from './native.js';
import { Tensor } from './tensor.js';

/** Seeds libtorch's CPU generator and every CUDA generator. */
export const manualSeed = (seed: number): void => native.manualSeed(seed);
/** The generator state of a device (CPU by default) as a uint8 tensor. */
export const getRngState = (device = 'cpu'): Tensor => new Tensor(native.getRngState(device));
export const setRngState = (state: Tensor, device = 'cpu'): void => native.setRngState(state.h, device);
