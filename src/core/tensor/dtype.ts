// Element types and devices, with libtorch's ScalarType codes.
export type DType =
  'uint8' | 'int8' | 'int16' | 'int32' | 'int64' | 'float16' | 'float32' | 'float64' | 'bool' | 'bfloat16';
export type Device = 'cpu' | 'cuda' | `cuda:${number}`;

export const DTYPE_CODE: Record<DType, number> = {
  uint8: 0,
  int8: 1,
  int16: 2,
  int32: 3,
  int64: 4,
  float16: 5,
  float32: 6,
  float64: 7,
  bool: 11,
  bfloat16: 15,
};
const CODE_DTYPE = new Map<number, DType>(Object.entries(DTYPE_CODE).map(([k, v]) => [v, k as DType]));

export function dtypeOfCode(code: number): DType {
  const d = CODE_DTYPE.get(code);
  if (!d) throw new Error(`unsupported libtorch scalar type ${code}`);
  return d;
}

export const BYTES_PER_ELEMENT: Record<DType, number> = {
  uint8: 1,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  float16: 2,
  float32: 4,
  float64: 8,
  bool: 1,
  bfloat16: 2,
};

export function isFloating(d: DType): boolean {
  return d === 'float16' || d === 'float32' || d === 'float64' || d === 'bfloat16';
}

export type TypedArray =
  Float32Array | Float64Array | Int32Array | BigInt64Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

/** The dtype whose bytes a typed array holds (Uint16Array holds raw float16/bfloat16 bits). */
export function dtypeOfArray(a: TypedArray, wanted?: DType): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Int8Array) return 'int8';
  if (a instanceof Uint16Array) {
    if (wanted === 'float16' || wanted === 'bfloat16') return wanted;
    throw new TypeError('a Uint16Array holds raw float16/bfloat16 bits: pass dtype float16 or bfloat16');
  }
  return wanted === 'bool' ? 'bool' : 'uint8';
}

/** A typed-array view of raw bytes for a dtype (float16/bfloat16 stay raw Uint16 bits). */
export function arrayOfBytes(buf: ArrayBuffer, d: DType, byteOffset = 0, length?: number): TypedArray {
  switch (d) {
    case 'float32':
      return new Float32Array(buf, byteOffset, length);
    case 'float64':
      return new Float64Array(buf, byteOffset, length);
    case 'int32':
      return new Int32Array(buf, byteOffset, length);
    case 'int64':
      return new BigInt64Array(buf, byteOffset, length);
    case 'int16':
      return new Int16Array(buf, byteOffset, length);
    case 'int8':
      return new Int8Array(buf, byteOffset, length);
    case 'float16':
    case 'bfloat16':
      return new Uint16Array(buf, byteOffset, length);
    default:
      return new Uint8Array(buf, byteOffset, length);
  }
}
