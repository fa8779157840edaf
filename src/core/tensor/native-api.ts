// The typed boundary of the N-API binding: one signature per export of
// native/build/Release/rlvr_torch.node, read from how native/src/*.cc reads its arguments
// (handle.h's converters). NATIVE_EXPORTS lists the same names; test/native-api.test.ts
// checks them against the loaded addon, and the type checks below against this interface,
// so the three cannot drift apart.
//
// Conventions of the C++ converters:
//   T(v)        a live tensor handle (a number); anything else throws
//   optT(v)     a handle, or null / undefined for none
//   ints(v)     an array of integers, or one integer (a one-element list)
//   scalar(v)   a number or a boolean (integral numbers become integer scalars)
//   dtype(v)    a libtorch ScalarType code (dtype.ts DTYPE_CODE); device(v): 'cpu', 'cuda:0', ...
//   flag(v, d)  a boolean; anything else (undefined) reads as the default d
// Where one export takes a tensor or a scalar, a trailing flag says which (overloads below).
import type { Handle, OptimizerHandle, DecoderHandle } from './native.js';

/** ints(): an integer list, or one integer read as a one-element list. */
export type NativeInts = number | readonly number[];
/** scalar(): integral numbers become integer scalars, so int tensors stay int. */
export type NativeScalar = number | boolean;
/** A libtorch ScalarType code (DTYPE_CODE). */
export type DTypeCode = number;
/** A c10::Device string: 'cpu', 'cuda', 'cuda:N'. */
export type DeviceString = string;
/** (values, indices) of maxDim, minDim, topk, sort. */
export type HandlePair = [values: Handle, indices: Handle];
/** One parameter's AdamW state: [step, exp_avg, exp_avg_sq], or null before its first step. */
export type NativeAdamWEntry = [step: number, expAvg: Handle, expAvgSq: Handle] | null;
export type NativeDistBackend = 'gloo' | 'nccl';
export type NativeReduceOp = 'sum' | 'max' | 'min';

export interface NativeApi {
  // ---- creation (ops.cc) ----------------------------------------------------------------
  zeros(shape: NativeInts, dtype: DTypeCode, device: DeviceString): Handle;
  ones(shape: NativeInts, dtype: DTypeCode, device: DeviceString): Handle;
  empty(shape: NativeInts, dtype: DTypeCode, device: DeviceString): Handle;
  full(shape: NativeInts, value: NativeScalar, dtype: DTypeCode, device: DeviceString): Handle;
  arange(start: NativeScalar, end: NativeScalar, step: NativeScalar, dtype: DTypeCode, device: DeviceString): Handle;
  randn(shape: NativeInts, dtype: DTypeCode, device: DeviceString): Handle;
  rand(shape: NativeInts, dtype: DTypeCode, device: DeviceString): Handle;
  randint(low: number, high: number, shape: NativeInts, dtype: DTypeCode, device: DeviceString): Handle;
  randperm(n: number, dtype: DTypeCode, device: DeviceString): Handle;
  multinomial(probs: Handle, n: number, replacement?: boolean): Handle;
  eye(n: number, dtype: DTypeCode, device: DeviceString): Handle;
  /** Copies the view's bytes (holding `srcDtype` elements) into a new tensor cast to `dstDtype`, moved to `device` when given. */
  fromBuffer(
    view: NodeJS.TypedArray,
    shape: NativeInts,
    srcDtype: DTypeCode,
    dstDtype: DTypeCode,
    device?: DeviceString,
  ): Handle;
  /** A new ArrayBuffer with the elements (contiguous, on the CPU). */
  toBuffer(t: Handle): ArrayBuffer;
  /** The one element: a boolean for a bool tensor, else a number. */
  item(t: Handle): number | boolean;

  // ---- information --------------------------------------------------------------------
  shape(t: Handle): number[];
  scalarType(t: Handle): DTypeCode;
  device(t: Handle): DeviceString;
  release(t: Handle): void;
  liveCount(): number;

  // ---- dtype / device -----------------------------------------------------------------
  /** null keeps the tensor's own dtype / device. */
  to(t: Handle, dtype: DTypeCode | null, device: DeviceString | null): Handle;
  contiguous(t: Handle): Handle;
  clone(t: Handle): Handle;

  // ---- elementwise --------------------------------------------------------------------
  neg(t: Handle): Handle;
  exp(t: Handle): Handle;
  log(t: Handle): Handle;
  log1p(t: Handle): Handle;
  expm1(t: Handle): Handle;
  sqrt(t: Handle): Handle;
  rsqrt(t: Handle): Handle;
  abs(t: Handle): Handle;
  sign(t: Handle): Handle;
  sin(t: Handle): Handle;
  cos(t: Handle): Handle;
  tanh(t: Handle): Handle;
  sigmoid(t: Handle): Handle;
  relu(t: Handle): Handle;
  silu(t: Handle): Handle;
  gelu(t: Handle): Handle;
  erf(t: Handle): Handle;
  floor(t: Handle): Handle;
  ceil(t: Handle): Handle;
  round(t: Handle): Handle;
  reciprocal(t: Handle): Handle;
  square(t: Handle): Handle;
  logicalNot(t: Handle): Handle;
  isnan(t: Handle): Handle;
  isfinite(t: Handle): Handle;
  nonzero(t: Handle): Handle;
  // binary ops: NAME(a, b) with two tensors, NAMES(a, s) with a scalar
  add(a: Handle, b: Handle): Handle;
  addS(a: Handle, b: NativeScalar): Handle;
  sub(a: Handle, b: Handle): Handle;
  subS(a: Handle, b: NativeScalar): Handle;
  mul(a: Handle, b: Handle): Handle;
  mulS(a: Handle, b: NativeScalar): Handle;
  div(a: Handle, b: Handle): Handle;
  divS(a: Handle, b: NativeScalar): Handle;
  pow(a: Handle, b: Handle): Handle;
  powS(a: Handle, b: NativeScalar): Handle;
  remainder(a: Handle, b: Handle): Handle;
  remainderS(a: Handle, b: NativeScalar): Handle;
  floorDivide(a: Handle, b: Handle): Handle;
  floorDivideS(a: Handle, b: NativeScalar): Handle;
  eq(a: Handle, b: Handle): Handle;
  eqS(a: Handle, b: NativeScalar): Handle;
  ne(a: Handle, b: Handle): Handle;
  neS(a: Handle, b: NativeScalar): Handle;
  lt(a: Handle, b: Handle): Handle;
  ltS(a: Handle, b: NativeScalar): Handle;
  le(a: Handle, b: Handle): Handle;
  leS(a: Handle, b: NativeScalar): Handle;
  gt(a: Handle, b: Handle): Handle;
  gtS(a: Handle, b: NativeScalar): Handle;
  ge(a: Handle, b: Handle): Handle;
  geS(a: Handle, b: NativeScalar): Handle;
  maximum(a: Handle, b: Handle): Handle;
  /** clamp_min */
  maximumS(a: Handle, b: NativeScalar): Handle;
  minimum(a: Handle, b: Handle): Handle;
  /** clamp_max */
  minimumS(a: Handle, b: NativeScalar): Handle;
  logicalAnd(a: Handle, b: Handle): Handle;
  logicalOr(a: Handle, b: Handle): Handle;
  matmul(a: Handle, b: Handle): Handle;
  bmm(a: Handle, b: Handle): Handle;
  equal(a: Handle, b: Handle): boolean;
  allclose(a: Handle, b: Handle, rtol: number, atol: number): boolean;
  /** null: no bound on that side (undefined is not accepted). */
  clamp(t: Handle, min: NativeScalar | null, max: NativeScalar | null): Handle;
  /** where(cond, a, b, aIsScalar, bIsScalar): each operand a tensor, or a scalar with its flag true. */
  where(cond: Handle, a: Handle, b: Handle, aIsScalar?: false, bIsScalar?: false): Handle;
  where(cond: Handle, a: Handle, b: NativeScalar, aIsScalar: false, bIsScalar: true): Handle;
  where(cond: Handle, a: NativeScalar, b: Handle, aIsScalar: true, bIsScalar?: false): Handle;
  where(cond: Handle, a: NativeScalar, b: NativeScalar, aIsScalar: true, bIsScalar: true): Handle;
  maskedFill(t: Handle, mask: Handle, value: NativeScalar): Handle;
  nanToNum(t: Handle, nan: number, posinf: number, neginf: number): Handle;

  // ---- reductions (dims null / undefined: over all elements) --------------------------
  sum(t: Handle, dims?: NativeInts | null, keepdim?: boolean): Handle;
  mean(t: Handle, dims?: NativeInts | null, keepdim?: boolean): Handle;
  amax(t: Handle, dims?: NativeInts | null, keepdim?: boolean): Handle;
  amin(t: Handle, dims?: NativeInts | null, keepdim?: boolean): Handle;
  logsumexp(t: Handle, dims?: NativeInts | null, keepdim?: boolean): Handle;
  /** One dimension only (the C++ reads the first element of the list). */
  prod(t: Handle, dim?: number | readonly [number] | null, keepdim?: boolean): Handle;
  /** dim null: over all elements (undefined is not accepted). */
  any(t: Handle, dim: number | null, keepdim?: boolean): Handle;
  all(t: Handle, dim: number | null, keepdim?: boolean): Handle;
  /** unbiased defaults to true. */
  var(t: Handle, dims?: NativeInts | null, unbiased?: boolean, keepdim?: boolean): Handle;
  std(t: Handle, dims?: NativeInts | null, unbiased?: boolean, keepdim?: boolean): Handle;
  /** linalg_vector_norm of order p. */
  norm(t: Handle, p: NativeScalar, dims?: NativeInts | null, keepdim?: boolean): Handle;
  argmax(t: Handle, dim: number | null, keepdim?: boolean): Handle;
  argmin(t: Handle, dim: number | null, keepdim?: boolean): Handle;
  maxDim(t: Handle, dim: number, keepdim?: boolean): HandlePair;
  minDim(t: Handle, dim: number, keepdim?: boolean): HandlePair;
  cumsum(t: Handle, dim: number): Handle;
  /** largest defaults to true; the result is sorted. */
  topk(t: Handle, k: number, dim: number, largest?: boolean): HandlePair;
  sort(t: Handle, dim: number, descending?: boolean): HandlePair;
  argsort(t: Handle, dim: number, descending?: boolean): Handle;
  softmax(t: Handle, dim: number): Handle;
  logSoftmax(t: Handle, dim: number): Handle;

  // ---- indexing -----------------------------------------------------------------------
  gather(t: Handle, dim: number, index: Handle): Handle;
  /** scatter(t, dim, index, src, srcIsScalar) */
  scatter(t: Handle, dim: number, index: Handle, src: Handle, srcIsScalar?: false): Handle;
  scatter(t: Handle, dim: number, index: Handle, src: NativeScalar, srcIsScalar: true): Handle;
  scatterAdd(t: Handle, dim: number, index: Handle, src: Handle): Handle;
  indexSelect(t: Handle, dim: number, index: Handle): Handle;
  /** Advanced indexing; null takes the whole dimension. */
  index(t: Handle, indices: readonly (Handle | null)[]): Handle;
  indexPut(t: Handle, indices: readonly (Handle | null)[], values: Handle, accumulate?: boolean): Handle;
  maskedSelect(t: Handle, mask: Handle): Handle;
  oneHot(t: Handle, numClasses: number): Handle;

  // ---- shape --------------------------------------------------------------------------
  reshape(t: Handle, shape: NativeInts): Handle;
  view(t: Handle, shape: NativeInts): Handle;
  permute(t: Handle, dims: NativeInts): Handle;
  transpose(t: Handle, dim0: number, dim1: number): Handle;
  unsqueeze(t: Handle, dim: number): Handle;
  /** dim null: every dimension of size 1 (undefined is not accepted). */
  squeeze(t: Handle, dim: number | null): Handle;
  expand(t: Handle, shape: NativeInts): Handle;
  repeat(t: Handle, repeats: NativeInts): Handle;
  repeatInterleave(t: Handle, repeats: number, dim: number): Handle;
  flatten(t: Handle, startDim: number, endDim: number): Handle;
  narrow(t: Handle, dim: number, start: number, length: number): Handle;
  slice(t: Handle, dim: number, start: number, end: number, step: number): Handle;
  select(t: Handle, dim: number, index: number): Handle;
  cat(ts: readonly Handle[], dim: number): Handle;
  stack(ts: readonly Handle[], dim: number): Handle;
  /** A number: chunks of that size; an array: split_with_sizes. */
  split(t: Handle, sizeOrSizes: number | readonly number[], dim: number): Handle[];
  chunk(t: Handle, chunks: number, dim: number): Handle[];
  tril(t: Handle, diagonal: number): Handle;
  triu(t: Handle, diagonal: number): Handle;
  flip(t: Handle, dims: NativeInts): Handle;
  roll(t: Handle, shifts: NativeInts, dims: NativeInts): Handle;
  /** constant_pad_nd, F.pad's order: [lastLeft, lastRight, prevLeft, prevRight, ...]. */
  pad(t: Handle, pads: NativeInts, value: NativeScalar): Handle;

  // ---- in place -----------------------------------------------------------------------
  copy_(t: Handle, src: Handle): void;
  fill_(t: Handle, value: NativeScalar): void;
  zero_(t: Handle): void;
  normal_(t: Handle, mean: number, std: number): void;
  uniform_(t: Handle, from: number, to: number): void;
  /** add_(t, other, alpha, otherIsScalar): t += alpha·other; a scalar `other` ignores alpha. */
  add_(t: Handle, other: Handle, alpha: NativeScalar, otherIsScalar?: false): void;
  add_(t: Handle, other: NativeScalar, alpha: NativeScalar, otherIsScalar: true): void;
  /** mul_(t, other, otherIsScalar) */
  mul_(t: Handle, other: Handle, otherIsScalar?: false): void;
  mul_(t: Handle, other: NativeScalar, otherIsScalar: true): void;

  // ---- neural-network kernels (nn.cc) -------------------------------------------------
  linear(x: Handle, weight: Handle, bias?: Handle | null): Handle;
  embedding(weight: Handle, ids: Handle): Handle;
  /** reduction: 0 none, 1 mean, 2 sum. */
  crossEntropy(
    logits: Handle,
    target: Handle,
    ignoreIndex: number,
    reduction: 0 | 1 | 2,
    labelSmoothing: number,
  ): Handle;
  /** A boolean mask is true where attention is allowed; scale null / undefined: 1/sqrt(D). */
  sdpa(q: Handle, k: Handle, v: Handle, mask?: Handle | null, isCausal?: boolean, scale?: number | null): Handle;
  conv2d(
    x: Handle,
    weight: Handle,
    bias: Handle | null,
    stride: NativeInts,
    padding: NativeInts,
    dilation: NativeInts,
    groups: number,
  ): Handle;
  convTranspose2d(
    x: Handle,
    weight: Handle,
    bias: Handle | null,
    stride: NativeInts,
    padding: NativeInts,
    outputPadding: NativeInts,
    groups: number,
    dilation: NativeInts,
  ): Handle;
  layerNorm(x: Handle, normalizedShape: NativeInts, weight: Handle | null, bias: Handle | null, eps: number): Handle;
  groupNorm(x: Handle, groups: number, weight: Handle | null, bias: Handle | null, eps: number): Handle;
  dropout(x: Handle, p: number, train?: boolean): Handle;
  avgPool2d(x: Handle, kernel: NativeInts, stride: NativeInts): Handle;
  maxPool2d(x: Handle, kernel: NativeInts, stride: NativeInts): Handle;
  upsampleNearest2d(x: Handle, size: NativeInts): Handle;
  /** Every channel of x [N,C,H,W] convolved with one kernel [1,1,kh,kw], no padding. */
  conv2dDepthwise(x: Handle, kernel: Handle): Handle;

  // ---- autograd, random state, threads, devices (autograd.cc) -------------------------
  /** on defaults to true. */
  setRequiresGrad(t: Handle, on?: boolean): void;
  requiresGrad(t: Handle): boolean;
  isLeaf(t: Handle): boolean;
  detach(t: Handle): Handle;
  backward(t: Handle, gradient?: Handle | null, retainGraph?: boolean): void;
  /** A new handle on the accumulated gradient, or null. */
  grad(t: Handle): Handle | null;
  /** null / undefined clears the gradient. */
  setGrad(t: Handle, gradient?: Handle | null): void;
  isGradEnabled(): boolean;
  /** enabled defaults to true. */
  setGradEnabled(enabled?: boolean): void;
  /** Enters (enabled true, computing in `dtype`) or leaves (false) an autocast region. */
  autocast(deviceType: 'cpu' | 'cuda', enabled: true, dtype: DTypeCode): void;
  autocast(deviceType: 'cpu' | 'cuda', enabled: false, dtype?: DTypeCode): void;
  /** Seeds the CPU generator and every CUDA one. */
  manualSeed(seed: number): void;
  /** device defaults to the CPU. */
  getRngState(device?: DeviceString): Handle;
  setRngState(state: Handle, device?: DeviceString): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  cudaIsAvailable(): boolean;
  cudaDeviceCount(): number;
  /** Waits for the device's queued work (all devices when not a number); a no-op without CUDA. */
  cudaSynchronize(device?: number): void;
  version(): { torch: string; cudaBuild: boolean };

  // ---- AdamW and gradient clipping (optim.cc) -----------------------------------------
  /** One parameter group per element of `groups`, with the matching weight decay. */
  adamw(
    groups: readonly (readonly Handle[])[],
    weightDecays: readonly number[],
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
  ): OptimizerHandle;
  adamwStep(opt: OptimizerHandle): void;
  /** Sets every parameter's gradient to none. */
  adamwZeroGrad(opt: OptimizerHandle): void;
  adamwSetLr(opt: OptimizerHandle, lr: number): void;
  /** Per parameter, in group order; the handles are new tensors the caller owns. */
  adamwGetState(opt: OptimizerHandle): NativeAdamWEntry[];
  /** Entries as adamwGetState returns them, one per parameter (the tensors are copied). */
  adamwSetState(
    opt: OptimizerHandle,
    entries: readonly (readonly [step: number, expAvg: Handle, expAvgSq: Handle] | null)[],
  ): void;
  /** Clips in place; returns the total norm before clipping. */
  clipGradNorm(params: readonly Handle[], maxNorm: number, normType: number): number;

  // ---- c10d process group (dist.cc) ---------------------------------------------------
  /** deviceIndex: the CUDA device of an nccl group, -1 for none. */
  distInit(
    backend: NativeDistBackend,
    host: string,
    port: number,
    rank: number,
    size: number,
    timeoutMs: number,
    deviceIndex: number,
  ): void;
  /** In place: every rank ends with the reduction. */
  distAllReduce(t: Handle, op: NativeReduceOp): void;
  /** Gradients summed across ranks (missing ones count as zeros), then divided by `divisor`. */
  distAllReduceGrads(params: readonly Handle[], divisor: number): void;
  /** Parameters set to rank `root`'s values. */
  distBroadcastParams(params: readonly Handle[], root: number): void;
  distBarrier(): void;
  distDestroy(): void;
  /** The backends this build has. */
  distBackends(): NativeDistBackend[];

  // ---- the native decode step (decode.cc) ---------------------------------------------
  /** A decoder over a LLaMA model's weights, a KV cache and the sampling settings (the tensors are shared, not copied). */
  decodeInit(spec: NativeDecoderSpec): DecoderHandle;
  /**
   * Picks one token per row from `logits` [B, V]; or, with `ids` instead, first runs them (one
   * per row, at cache position `past`; `positions` per row, default `past`) through the model,
   * writing the cache. uniforms: one per row (seeded inverse-CDF draws), or null (multinomial).
   * Returns the B tokens, then their B log-probabilities.
   */
  decodeStep(
    decoder: DecoderHandle,
    logits: Handle | null,
    ids: readonly number[] | null,
    positions: readonly number[] | null,
    past: number,
    uniforms: readonly number[] | null,
  ): Float64Array;
  /** Drops the decoder's references to the weights and the cache. */
  decodeFree(decoder: DecoderHandle): void;
}

/** decodeInit's argument: each layer's 16 tensors in llama.ts's Layer order (null for an absent bias). */
export interface NativeDecoderSpec {
  layers: (Handle | null)[][];
  embed: Handle;
  norm: Handle;
  lmHead: Handle;
  invFreq: Handle;
  heads: number;
  kvHeads: number;
  headDim: number;
  eps: number;
  keys: Handle[];
  values: Handle[];
  /** [B, capacity] int64: 0 on left padding, 1 elsewhere; null when no row is padded */
  mask: Handle | null;
  greedy: boolean;
  temperature: number;
  topK: number;
  topP: number;
  range: [number, number] | null;
}

/** Every export of the addon, in registration order; checked both ways against NativeApi below and against the addon by test/native-api.test.ts. */
export const NATIVE_EXPORTS = [
  // ops.cc
  'zeros',
  'ones',
  'empty',
  'full',
  'arange',
  'randn',
  'rand',
  'randint',
  'randperm',
  'multinomial',
  'eye',
  'fromBuffer',
  'toBuffer',
  'item',
  'shape',
  'scalarType',
  'device',
  'release',
  'liveCount',
  'to',
  'contiguous',
  'clone',
  'neg',
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'rsqrt',
  'abs',
  'sign',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'relu',
  'silu',
  'gelu',
  'erf',
  'floor',
  'ceil',
  'round',
  'reciprocal',
  'square',
  'logicalNot',
  'isnan',
  'isfinite',
  'nonzero',
  'add',
  'addS',
  'sub',
  'subS',
  'mul',
  'mulS',
  'div',
  'divS',
  'pow',
  'powS',
  'remainder',
  'remainderS',
  'floorDivide',
  'floorDivideS',
  'eq',
  'eqS',
  'ne',
  'neS',
  'lt',
  'ltS',
  'le',
  'leS',
  'gt',
  'gtS',
  'ge',
  'geS',
  'maximum',
  'maximumS',
  'minimum',
  'minimumS',
  'logicalAnd',
  'logicalOr',
  'matmul',
  'bmm',
  'equal',
  'allclose',
  'clamp',
  'where',
  'maskedFill',
  'nanToNum',
  'sum',
  'mean',
  'amax',
  'amin',
  'logsumexp',
  'prod',
  'any',
  'all',
  'var',
  'std',
  'norm',
  'argmax',
  'argmin',
  'maxDim',
  'minDim',
  'cumsum',
  'topk',
  'sort',
  'argsort',
  'softmax',
  'logSoftmax',
  'gather',
  'scatter',
  'scatterAdd',
  'indexSelect',
  'index',
  'indexPut',
  'maskedSelect',
  'oneHot',
  'reshape',
  'view',
  'permute',
  'transpose',
  'unsqueeze',
  'squeeze',
  'expand',
  'repeat',
  'repeatInterleave',
  'flatten',
  'narrow',
  'slice',
  'select',
  'cat',
  'stack',
  'split',
  'chunk',
  'tril',
  'triu',
  'flip',
  'roll',
  'pad',
  'copy_',
  'fill_',
  'zero_',
  'normal_',
  'uniform_',
  'add_',
  'mul_',
  // nn.cc
  'linear',
  'embedding',
  'crossEntropy',
  'sdpa',
  'conv2d',
  'convTranspose2d',
  'layerNorm',
  'groupNorm',
  'dropout',
  'avgPool2d',
  'maxPool2d',
  'upsampleNearest2d',
  'conv2dDepthwise',
  // autograd.cc
  'setRequiresGrad',
  'requiresGrad',
  'isLeaf',
  'detach',
  'backward',
  'grad',
  'setGrad',
  'isGradEnabled',
  'setGradEnabled',
  'autocast',
  'manualSeed',
  'getRngState',
  'setRngState',
  'setNumThreads',
  'getNumThreads',
  'cudaIsAvailable',
  'cudaDeviceCount',
  'cudaSynchronize',
  'version',
  // optim.cc
  'adamw',
  'adamwStep',
  'adamwZeroGrad',
  'adamwSetLr',
  'adamwGetState',
  'adamwSetState',
  'clipGradNorm',
  // dist.cc
  'distInit',
  'distAllReduce',
  'distAllReduceGrads',
  'distBroadcastParams',
  'distBarrier',
  'distDestroy',
  'distBackends',
  // decode.cc
  'decodeInit',
  'decodeStep',
  'decodeFree',
] as const satisfies readonly (keyof NativeApi)[];

export type NativeExportName = (typeof NATIVE_EXPORTS)[number];
// `satisfies` above: every listed name is a key of NativeApi. This: every key of NativeApi
// is listed (a missing one is named in the error as a property missing from `{}`).
const everyKeyListed: Record<Exclude<keyof NativeApi, NativeExportName>, never> = {};
void everyKeyListed;
