// AdamW (libtorch's) with parameter groups, a settable learning rate and exportable state.
import { native, type OptimizerHandle, type Handle } from './native.js';
import { Tensor } from './tensor.js';

export interface AdamWOptions {
  lr: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}
export interface ParamGroup {
  params: Tensor[];
  weightDecay?: number;
}
/** Per parameter: [step, exp_avg, exp_avg_sq], or null before the first step. */
export type AdamWState = ([number, Tensor, Tensor] | null)[];

export class AdamW {
  private readonly handle: OptimizerHandle;
  readonly params: Tensor[];
  private _lr: number;

  constructor(groups: Tensor[] | ParamGroup[], o: AdamWOptions) {
    const wd = o.weightDecay ?? 0.01;
    const gs: ParamGroup[] =
      groups.length > 0 && groups[0] instanceof Tensor ? [{ params: groups as Tensor[] }] : (groups as ParamGroup[]);
    this.params = gs.flatMap((g) => g.params);
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    this.handle = native.adamw(
      gs.map((g) => g.params.map((p) => p.h)),
      gs.map((g) => g.weightDecay ?? wd),
      o.lr,
      b1,
      b2,
      o.eps ?? 1e-8,
    );
    this._lr = o.lr;
  }

  step(): void {
    native.adamwStep(this.handle);
  }
  /** Frees all gradients (sets them to none). */
  zeroGrad(): void {
    native.adamwZeroGrad(this.handle);
  }
  get lr(): number {
    return this._lr;
  }
  set lr(v: number) {
    native.adamwSetLr(this.handle, v);
    this._lr = v;
  }

  /** Copies of the moment tensors (the caller owns them). */
  state(): AdamWState {
    const raw = native.adamwGetState(this.handle);
    const copy = (h: Handle): Tensor => {
      const view = new Tensor(h);
      const c = view.clone();
      view.dispose();
      return c;
    };
    return raw.map((e) => (e === null ? null : [e[0], copy(e[1]), copy(e[2])]));
  }
  loadState(state: AdamWState): void {
    native.adamwSetState(
      this.handle,
      state.map((e) => (e === null ? null : [e[0], e[1].h, e[2].h])),
    );
  }
}

/** Scales gradients so their global norm is at most maxNorm; returns the norm before. */
export const clipGradNorm = (params: Tensor[], maxNorm: number, normType = 2): number =>
  native.clipGradNorm(
    params.map((p) => p.h),
    maxNorm,
    normType,
  );
