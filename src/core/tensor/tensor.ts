// The Tensor: a typed TypeScript handle over one libtorch tensor. Ops mirror PyTorch's
// names; kernels run in libtorch. Native memory is freed by dispose() or by scope().
import { native, type Handle } from './native.js';
import { track, setTensorCheck } from './scope.js';
import {
  type DType,
  type Device,
  type TypedArray,
  DTYPE_CODE,
  dtypeOfCode,
  dtypeOfArray,
  arrayOfBytes,
  BYTES_PER_ELEMENT,
} from './dtype.js';

export type Scalar = number | boolean;
export type TensorLike = Tensor | Scalar;
type Nested = number | boolean | Nested[];

export interface TensorOptions {
  dtype?: DType;
  device?: Device | string;
}

const code = (d: DType): number => {
  const c = DTYPE_CODE[d];
  if (c === undefined) throw new TypeError(`unknown dtype '${d}'`);
  return c;
};
const isScalar = (o: TensorLike): o is Scalar => typeof o === 'number' || typeof o === 'boolean';
// Tensors outside every scope that the program forgets to dispose are freed when they are
// garbage-collected (tensors inside a scope are freed by it).
const forgotten = new FinalizationRegistry<Handle>((h) => {
  try {
    native.release(h);
  } catch {
    /* already released */
  }
});
const normDim = (dims: number | number[] | undefined): number[] | null =>
  dims === undefined ? null : Array.isArray(dims) ? dims : [dims];

export class Tensor {
  private _h: Handle | null;
  private _shape: number[] | undefined;
  /** Exempt from scope disposal (parameters, caches, buffers). */
  kept = false;
  private guarded = false;

  /** @internal wraps a handle the binding returned */
  constructor(handle: Handle) {
    this._h = handle;
    if (!track(this)) this.guard();
  }

  /** @internal frees the tensor when it is garbage-collected without dispose() */
  guard(): void {
    if (!this.guarded && this._h !== null) {
      forgotten.register(this, this._h, this);
      this.guarded = true;
    }
  }

  /** @internal the native handle; throws once disposed */
  get h(): Handle {
    if (this._h === null) throw new Error('tensor used after dispose()');
    return this._h;
  }

  // ---- lifetime -----------------------------------------------------------------------
  /** Frees the native memory now. Idempotent. */
  dispose(): void {
    if (this._h !== null) {
      if (this.guarded) forgotten.unregister(this);
      native.release(this._h);
      this._h = null;
    }
  }
  get disposed(): boolean {
    return this._h === null;
  }
  /** Marks this tensor as outliving every scope; returns it. */
  keep(): this {
    this.kept = true;
    this.guard();
    return this;
  }

  // ---- information --------------------------------------------------------------------
  get shape(): number[] {
    return (this._shape ??= native.shape(this.h));
  }
  get ndim(): number {
    return this.shape.length;
  }
  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  get dtype(): DType {
    return dtypeOfCode(native.scalarType(this.h));
  }
  get device(): string {
    return native.device(this.h);
  }
  size(dim: number): number {
    const s = this.shape;
    return s[dim < 0 ? s.length + dim : dim]!;
  }
  toString(): string {
    return `Tensor(shape=[${this.shape}], dtype=${this.dtype}, device=${this.device})`;
  }

  // ---- data out -----------------------------------------------------------------------
  /** A copy of the elements as the dtype's typed array (float16/bfloat16: raw Uint16 bits). */
  toArray(): TypedArray {
    return arrayOfBytes(native.toBuffer(this.h), this.dtype);
  }
  /** Raw little-endian bytes of the elements. */
  toBytes(): Uint8Array {
    return new Uint8Array(native.toBuffer(this.h));
  }
  /** The elements as plain numbers (flattened). */
  toNumbers(): number[] {
    const d = this.dtype;
    if (d === 'float32' || d === 'float64' || d === 'int32' || d === 'int16' || d === 'int8' || d === 'uint8')
      return Array.from(this.toArray() as Float32Array);
    const t = native.to(this.h, DTYPE_CODE.float64, null);
    try {
      return Array.from(new Float64Array(native.toBuffer(t)));
    } finally {
      native.release(t);
    }
  }
  /** Nested arrays with the tensor's shape, like PyTorch's tolist(). */
  tolist(): Nested {
    const flat = this.dtype === 'bool' ? Array.from(this.toArray() as Uint8Array, (v) => v !== 0) : this.toNumbers();
    const shape = this.shape;
    if (shape.length === 0) return flat[0]!;
    let i = 0;
    const build = (d: number): Nested[] => {
      const out: Nested[] = [];
      for (let k = 0; k < shape[d]!; k++) out.push(d === shape.length - 1 ? flat[i++]! : build(d + 1));
      return out;
    };
    return build(0);
  }
  /** The single element as a number (a bool tensor's as 1 or 0). */
  item(): number {
    const v = native.item(this.h);
    return typeof v === 'boolean' ? Number(v) : v;
  }

  // ---- dtype / device -----------------------------------------------------------------
  to(target: DType | Device | string | TensorOptions): Tensor {
    if (typeof target === 'string') {
      return target in DTYPE_CODE
        ? new Tensor(native.to(this.h, code(target as DType), null))
        : new Tensor(native.to(this.h, null, target));
    }
    return new Tensor(native.to(this.h, target.dtype ? code(target.dtype) : null, target.device ?? null));
  }
  float(): Tensor {
    return this.to('float32');
  }
  double(): Tensor {
    return this.to('float64');
  }
  long(): Tensor {
    return this.to('int64');
  }
  int(): Tensor {
    return this.to('int32');
  }
  bool(): Tensor {
    return this.to('bool');
  }
  cpu(): Tensor {
    return this.to('cpu');
  }
  contiguous(): Tensor {
    return new Tensor(native.contiguous(this.h));
  }
  clone(): Tensor {
    return new Tensor(native.clone(this.h));
  }

  // ---- elementwise --------------------------------------------------------------------
  add(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.addS(this.h, o) : native.add(this.h, o.h));
  }
  sub(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.subS(this.h, o) : native.sub(this.h, o.h));
  }
  mul(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.mulS(this.h, o) : native.mul(this.h, o.h));
  }
  div(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.divS(this.h, o) : native.div(this.h, o.h));
  }
  pow(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.powS(this.h, o) : native.pow(this.h, o.h));
  }
  remainder(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.remainderS(this.h, o) : native.remainder(this.h, o.h));
  }
  floorDivide(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.floorDivideS(this.h, o) : native.floorDivide(this.h, o.h));
  }
  maximum(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.maximumS(this.h, o) : native.maximum(this.h, o.h));
  }
  minimum(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.minimumS(this.h, o) : native.minimum(this.h, o.h));
  }
  eq(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.eqS(this.h, o) : native.eq(this.h, o.h));
  }
  ne(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.neS(this.h, o) : native.ne(this.h, o.h));
  }
  lt(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.ltS(this.h, o) : native.lt(this.h, o.h));
  }
  le(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.leS(this.h, o) : native.le(this.h, o.h));
  }
  gt(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.gtS(this.h, o) : native.gt(this.h, o.h));
  }
  ge(o: TensorLike): Tensor {
    return new Tensor(isScalar(o) ? native.geS(this.h, o) : native.ge(this.h, o.h));
  }
  logicalAnd(o: Tensor): Tensor {
    return new Tensor(native.logicalAnd(this.h, o.h));
  }
  logicalOr(o: Tensor): Tensor {
    return new Tensor(native.logicalOr(this.h, o.h));
  }
  logicalNot(): Tensor {
    return new Tensor(native.logicalNot(this.h));
  }
  neg(): Tensor {
    return new Tensor(native.neg(this.h));
  }
  exp(): Tensor {
    return new Tensor(native.exp(this.h));
  }
  log(): Tensor {
    return new Tensor(native.log(this.h));
  }
  log1p(): Tensor {
    return new Tensor(native.log1p(this.h));
  }
  expm1(): Tensor {
    return new Tensor(native.expm1(this.h));
  }
  sqrt(): Tensor {
    return new Tensor(native.sqrt(this.h));
  }
  rsqrt(): Tensor {
    return new Tensor(native.rsqrt(this.h));
  }
  abs(): Tensor {
    return new Tensor(native.abs(this.h));
  }
  sign(): Tensor {
    return new Tensor(native.sign(this.h));
  }
  sin(): Tensor {
    return new Tensor(native.sin(this.h));
  }
  cos(): Tensor {
    return new Tensor(native.cos(this.h));
  }
  tanh(): Tensor {
    return new Tensor(native.tanh(this.h));
  }
  sigmoid(): Tensor {
    return new Tensor(native.sigmoid(this.h));
  }
  relu(): Tensor {
    return new Tensor(native.relu(this.h));
  }
  silu(): Tensor {
    return new Tensor(native.silu(this.h));
  }
  gelu(): Tensor {
    return new Tensor(native.gelu(this.h));
  }
  erf(): Tensor {
    return new Tensor(native.erf(this.h));
  }
  floor(): Tensor {
    return new Tensor(native.floor(this.h));
  }
  ceil(): Tensor {
    return new Tensor(native.ceil(this.h));
  }
  round(): Tensor {
    return new Tensor(native.round(this.h));
  }
  reciprocal(): Tensor {
    return new Tensor(native.reciprocal(this.h));
  }
  square(): Tensor {
    return new Tensor(native.square(this.h));
  }
  isnan(): Tensor {
    return new Tensor(native.isnan(this.h));
  }
  isfinite(): Tensor {
    return new Tensor(native.isfinite(this.h));
  }
  nonzero(): Tensor {
    return new Tensor(native.nonzero(this.h));
  }
  clamp(min: number | null, max: number | null = null): Tensor {
    return new Tensor(native.clamp(this.h, min, max));
  }
  maskedFill(mask: Tensor, value: Scalar): Tensor {
    return new Tensor(native.maskedFill(this.h, mask.h, value));
  }
  nanToNum(nan = 0, posinf = 3.4028234663852886e38, neginf = -3.4028234663852886e38): Tensor {
    return new Tensor(native.nanToNum(this.h, nan, posinf, neginf));
  }
  matmul(o: Tensor): Tensor {
    return new Tensor(native.matmul(this.h, o.h));
  }
  bmm(o: Tensor): Tensor {
    return new Tensor(native.bmm(this.h, o.h));
  }
  equal(o: Tensor): boolean {
    return native.equal(this.h, o.h);
  }
  allclose(o: Tensor, rtol = 1e-5, atol = 1e-8): boolean {
    return native.allclose(this.h, o.h, rtol, atol);
  }

  // ---- reductions ---------------------------------------------------------------------
  sum(dim?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.sum(this.h, normDim(dim), keepdim));
  }
  mean(dim?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.mean(this.h, normDim(dim), keepdim));
  }
  amax(dim?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.amax(this.h, normDim(dim), keepdim));
  }
  amin(dim?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.amin(this.h, normDim(dim), keepdim));
  }
  logsumexp(dim?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.logsumexp(this.h, normDim(dim), keepdim));
  }
  prod(dim?: number, keepdim = false): Tensor {
    return new Tensor(native.prod(this.h, dim ?? null, keepdim));
  }
  any(dim?: number, keepdim = false): Tensor {
    return new Tensor(native.any(this.h, dim ?? null, keepdim));
  }
  all(dim?: number, keepdim = false): Tensor {
    return new Tensor(native.all(this.h, dim ?? null, keepdim));
  }
  /** Variance; unbiased (n-1) by default, as in PyTorch. */
  var(dim?: number | number[], { unbiased = true, keepdim = false } = {}): Tensor {
    return new Tensor(native.var(this.h, normDim(dim), unbiased, keepdim));
  }
  std(dim?: number | number[], { unbiased = true, keepdim = false } = {}): Tensor {
    return new Tensor(native.std(this.h, normDim(dim), unbiased, keepdim));
  }
  norm(p = 2, dim?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.norm(this.h, p, normDim(dim), keepdim));
  }
  argmax(dim?: number, keepdim = false): Tensor {
    return new Tensor(native.argmax(this.h, dim ?? null, keepdim));
  }
  argmin(dim?: number, keepdim = false): Tensor {
    return new Tensor(native.argmin(this.h, dim ?? null, keepdim));
  }
  max(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    return pair(native.maxDim(this.h, dim, keepdim));
  }
  min(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    return pair(native.minDim(this.h, dim, keepdim));
  }
  cumsum(dim: number): Tensor {
    return new Tensor(native.cumsum(this.h, dim));
  }
  topk(k: number, dim = -1, largest = true): { values: Tensor; indices: Tensor } {
    return pair(native.topk(this.h, k, dim, largest));
  }
  sort(dim = -1, descending = false): { values: Tensor; indices: Tensor } {
    return pair(native.sort(this.h, dim, descending));
  }
  argsort(dim = -1, descending = false): Tensor {
    return new Tensor(native.argsort(this.h, dim, descending));
  }
  softmax(dim: number): Tensor {
    return new Tensor(native.softmax(this.h, dim));
  }
  logSoftmax(dim: number): Tensor {
    return new Tensor(native.logSoftmax(this.h, dim));
  }

  // ---- indexing -----------------------------------------------------------------------
  gather(dim: number, index: Tensor): Tensor {
    return new Tensor(native.gather(this.h, dim, index.h));
  }
  scatter(dim: number, index: Tensor, src: TensorLike): Tensor {
    return new Tensor(
      isScalar(src)
        ? native.scatter(this.h, dim, index.h, src, true)
        : native.scatter(this.h, dim, index.h, src.h, false),
    );
  }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return new Tensor(native.scatterAdd(this.h, dim, index.h, src.h));
  }
  indexSelect(dim: number, index: Tensor): Tensor {
    return new Tensor(native.indexSelect(this.h, dim, index.h));
  }
  /** Advanced indexing: t[i0, i1, ...] with index tensors; null takes a whole dimension. */
  index(indices: (Tensor | null)[]): Tensor {
    return new Tensor(
      native.index(
        this.h,
        indices.map((i) => (i ? i.h : null)),
      ),
    );
  }
  indexPut(indices: (Tensor | null)[], values: Tensor, accumulate = false): Tensor {
    return new Tensor(
      native.indexPut(
        this.h,
        indices.map((i) => (i ? i.h : null)),
        values.h,
        accumulate,
      ),
    );
  }
  maskedSelect(mask: Tensor): Tensor {
    return new Tensor(native.maskedSelect(this.h, mask.h));
  }
  oneHot(numClasses: number): Tensor {
    return new Tensor(native.oneHot(this.h, numClasses));
  }

  // ---- shape --------------------------------------------------------------------------
  reshape(...shape: number[]): Tensor {
    return new Tensor(native.reshape(this.h, shape));
  }
  view(...shape: number[]): Tensor {
    return new Tensor(native.view(this.h, shape));
  }
  permute(...dims: number[]): Tensor {
    return new Tensor(native.permute(this.h, dims));
  }
  transpose(d0: number, d1: number): Tensor {
    return new Tensor(native.transpose(this.h, d0, d1));
  }
  get T(): Tensor {
    return this.transpose(-2, -1);
  }
  unsqueeze(dim: number): Tensor {
    return new Tensor(native.unsqueeze(this.h, dim));
  }
  squeeze(dim?: number): Tensor {
    return new Tensor(native.squeeze(this.h, dim ?? null));
  }
  expand(...shape: number[]): Tensor {
    return new Tensor(native.expand(this.h, shape));
  }
  repeat(...reps: number[]): Tensor {
    return new Tensor(native.repeat(this.h, reps));
  }
  repeatInterleave(repeats: number, dim: number): Tensor {
    return new Tensor(native.repeatInterleave(this.h, repeats, dim));
  }
  flatten(start = 0, end = -1): Tensor {
    return new Tensor(native.flatten(this.h, start, end));
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return new Tensor(native.narrow(this.h, dim, start, length));
  }
  /** t[..., start:end:step, ...] along `dim` (a view). */
  slice(dim: number, start = 0, end = Number.MAX_SAFE_INTEGER, step = 1): Tensor {
    return new Tensor(native.slice(this.h, dim, start, end, step));
  }
  select(dim: number, i: number): Tensor {
    return new Tensor(native.select(this.h, dim, i));
  }
  split(sizeOrSizes: number | number[], dim = 0): Tensor[] {
    return native.split(this.h, sizeOrSizes, dim).map((h) => new Tensor(h));
  }
  chunk(n: number, dim = 0): Tensor[] {
    return native.chunk(this.h, n, dim).map((h) => new Tensor(h));
  }
  tril(k = 0): Tensor {
    return new Tensor(native.tril(this.h, k));
  }
  triu(k = 0): Tensor {
    return new Tensor(native.triu(this.h, k));
  }
  flip(...dims: number[]): Tensor {
    return new Tensor(native.flip(this.h, dims));
  }
  roll(shifts: number | number[], dims: number | number[]): Tensor {
    return new Tensor(native.roll(this.h, shifts, dims));
  }
  /** Constant padding, PyTorch's F.pad order: [lastLeft, lastRight, prevLeft, prevRight, ...]. */
  pad(pads: number[], value = 0): Tensor {
    return new Tensor(native.pad(this.h, pads, value));
  }

  // ---- in place (parameters, caches; use under noGrad for leaves that require grad) ---
  copy_(src: Tensor): this {
    native.copy_(this.h, src.h);
    return this;
  }
  fill_(v: Scalar): this {
    native.fill_(this.h, v);
    return this;
  }
  zero_(): this {
    native.zero_(this.h);
    return this;
  }
  normal_(mean = 0, std = 1): this {
    native.normal_(this.h, mean, std);
    return this;
  }
  uniform_(from = 0, to = 1): this {
    native.uniform_(this.h, from, to);
    return this;
  }
  add_(o: TensorLike, alpha = 1): this {
    if (isScalar(o)) native.add_(this.h, o, 1, true);
    else native.add_(this.h, o.h, alpha, false);
    return this;
  }
  mul_(o: TensorLike): this {
    if (isScalar(o)) native.mul_(this.h, o, true);
    else native.mul_(this.h, o.h, false);
    return this;
  }

  // ---- autograd -----------------------------------------------------------------------
  get requiresGrad(): boolean {
    return native.requiresGrad(this.h);
  }
  requiresGrad_(on = true): this {
    native.setRequiresGrad(this.h, on);
    return this;
  }
  get isLeaf(): boolean {
    return native.isLeaf(this.h);
  }
  detach(): Tensor {
    return new Tensor(native.detach(this.h));
  }
  /** The accumulated gradient (a new handle on it each call), or null. */
  get grad(): Tensor | null {
    const g = native.grad(this.h);
    return g === null ? null : new Tensor(g);
  }
  set grad(g: Tensor | null) {
    native.setGrad(this.h, g ? g.h : null);
  }
  backward(gradient?: Tensor, retainGraph = false): void {
    native.backward(this.h, gradient ? gradient.h : null, retainGraph);
  }
}

function pair(hs: [Handle, Handle]): { values: Tensor; indices: Tensor } {
  return { values: new Tensor(hs[0]), indices: new Tensor(hs[1]) };
}

setTensorCheck((v: unknown): v is Tensor => v instanceof Tensor);

// ---- creation ---------------------------------------------------------------------------
const dev = (o?: TensorOptions): string => o?.device ?? 'cpu';

function inferShape(data: Nested): number[] {
  const shape: number[] = [];
  let d: Nested = data;
  while (Array.isArray(d)) {
    shape.push(d.length);
    d = d[0] as Nested;
  }
  return shape;
}

/** A tensor from nested arrays, a typed array (with `shape`), or a number. */
export function tensor(data: Nested | TypedArray, opts: TensorOptions & { shape?: number[] } = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const arr = data as TypedArray;
    const src = dtypeOfArray(arr, opts.dtype);
    const shape = opts.shape ?? [arr.length];
    return new Tensor(native.fromBuffer(arr, shape, code(src), code(opts.dtype ?? src), opts.device));
  }
  const shape = inferShape(data);
  const flat = (Array.isArray(data) ? (data as unknown[]).flat(Infinity) : [data]) as (number | boolean)[];
  const n = shape.reduce((a, b) => a * b, 1);
  if (flat.length !== n)
    throw new RangeError(`tensor(): ragged nested array (shape [${shape}] needs ${n} elements, got ${flat.length})`);
  const isBool = typeof flat[0] === 'boolean';
  const dtype = opts.dtype ?? (isBool ? 'bool' : 'float32');
  if (isBool || dtype === 'bool') {
    return new Tensor(
      native.fromBuffer(
        Uint8Array.from(flat, (v) => (v ? 1 : 0)),
        shape,
        code('bool'),
        code(dtype),
        opts.device,
      ),
    );
  }
  // integers travel as float64 (exact below 2^53) and are cast natively
  const src = dtype === 'float32' ? Float32Array.from(flat as number[]) : Float64Array.from(flat as number[]);
  return new Tensor(
    native.fromBuffer(src, shape, code(dtype === 'float32' ? 'float32' : 'float64'), code(dtype), opts.device),
  );
}

/** A tensor from a typed array holding elements of `srcDtype` (raw bits for float16/bfloat16), cast to o.dtype. */
export function fromTypedArray(arr: TypedArray, shape: number[], srcDtype: DType, o: TensorOptions = {}): Tensor {
  return new Tensor(native.fromBuffer(arr, shape, code(srcDtype), code(o.dtype ?? srcDtype), o.device));
}

export const zeros = (shape: number[], o: TensorOptions = {}): Tensor =>
  new Tensor(native.zeros(shape, code(o.dtype ?? 'float32'), dev(o)));
export const ones = (shape: number[], o: TensorOptions = {}): Tensor =>
  new Tensor(native.ones(shape, code(o.dtype ?? 'float32'), dev(o)));
export const empty = (shape: number[], o: TensorOptions = {}): Tensor =>
  new Tensor(native.empty(shape, code(o.dtype ?? 'float32'), dev(o)));
export const full = (shape: number[], value: Scalar, o: TensorOptions = {}): Tensor =>
  new Tensor(native.full(shape, value, code(o.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32')), dev(o)));
/** [start, end) with `step`; int64 by default, like PyTorch's arange on integers. */
export function arange(start: number, end?: number, step = 1, o: TensorOptions = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  return new Tensor(native.arange(start, end, step, code(o.dtype ?? 'int64'), dev(o)));
}
export const randn = (shape: number[], o: TensorOptions = {}): Tensor =>
  new Tensor(native.randn(shape, code(o.dtype ?? 'float32'), dev(o)));
export const rand = (shape: number[], o: TensorOptions = {}): Tensor =>
  new Tensor(native.rand(shape, code(o.dtype ?? 'float32'), dev(o)));
export const randint = (low: number, high: number, shape: number[], o: TensorOptions = {}): Tensor =>
  new Tensor(native.randint(low, high, shape, code(o.dtype ?? 'int64'), dev(o)));
export const randperm = (n: number, o: TensorOptions = {}): Tensor =>
  new Tensor(native.randperm(n, code(o.dtype ?? 'int64'), dev(o)));
export const eye = (n: number, o: TensorOptions = {}): Tensor =>
  new Tensor(native.eye(n, code(o.dtype ?? 'float32'), dev(o)));
/** Samples `n` indices per row from (unnormalized) probabilities. */
export const multinomial = (probs: Tensor, n: number, replacement = false): Tensor =>
  new Tensor(native.multinomial(probs.h, n, replacement));
export const cat = (ts: Tensor[], dim = 0): Tensor =>
  new Tensor(
    native.cat(
      ts.map((t) => t.h),
      dim,
    ),
  );
export const stack = (ts: Tensor[], dim = 0): Tensor =>
  new Tensor(
    native.stack(
      ts.map((t) => t.h),
      dim,
    ),
  );
/** where(cond, a, b): elements of a where cond holds, else of b. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const c = cond.h;
  if (isScalar(a))
    return new Tensor(isScalar(b) ? native.where(c, a, b, true, true) : native.where(c, a, b.h, true, false));
  return new Tensor(isScalar(b) ? native.where(c, a.h, b, false, true) : native.where(c, a.h, b.h, false, false));
}
export const zerosLike = (t: Tensor, o: TensorOptions = {}): Tensor =>
  zeros(t.shape, { dtype: o.dtype ?? t.dtype, device: o.device ?? t.device });
export const onesLike = (t: Tensor, o: TensorOptions = {}): Tensor =>
  ones(t.shape, { dtype: o.dtype ?? t.dtype, device: o.device ?? t.device });

/** Number of native tensors not yet freed (for leak tests). */
export const liveTensors = (): number => native.liveCount();
export { BYTES_PER_ELEMENT };
