// PyTorch's c10d process group, as the tensor layer exposes it: typed calls on Tensors, so
// the distributed layer never touches the native handle.
import { native } from './native.js';
import type { NativeDistBackend, NativeReduceOp } from './native-api.js';
import type { Tensor } from './tensor.js';

export type DistBackend = NativeDistBackend;
export type ReduceOp = NativeReduceOp;

export const c10d = {
  /** the backends this libtorch build has (gloo, nccl) */
  backends: (): DistBackend[] => native.distBackends(),
  init: (
    backend: DistBackend,
    host: string,
    port: number,
    rank: number,
    size: number,
    timeoutMs: number,
    deviceIndex: number,
  ): void => native.distInit(backend, host, port, rank, size, timeoutMs, deviceIndex),
  /** in place */
  allReduce: (t: Tensor, op: ReduceOp): void => native.distAllReduce(t.h, op),
  /** every parameter's gradient summed over ranks (a missing one counts as zeros), then divided by `divisor` */
  allReduceGrads: (params: readonly Tensor[], divisor: number): void =>
    native.distAllReduceGrads(
      params.map((p) => p.h),
      divisor,
    ),
  broadcastParams: (params: readonly Tensor[], root: number): void =>
    native.distBroadcastParams(
      params.map((p) => p.h),
      root,
    ),
  barrier: (): void => native.distBarrier(),
  destroy: (): void => native.distDestroy(),
};
