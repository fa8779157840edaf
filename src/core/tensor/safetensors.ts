// safetensors read/write (https://github.com/huggingface/safetensors format): an 8-byte
// little-endian header length, a JSON header {name: {dtype, shape, data_offsets}}, then
// the raw little-endian data. Reading and writing go one tensor at a time, so a large file
// is never held twice in memory.
import { openSync, readSync, writeSync, closeSync, fstatSync } from 'node:fs';
import { Tensor, fromTypedArray } from './tensor.js';
import { type DType, BYTES_PER_ELEMENT, arrayOfBytes } from './dtype.js';

const FROM_ST: Record<string, DType> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};
const TO_ST: Record<DType, string> = Object.fromEntries(Object.entries(FROM_ST).map(([k, v]) => [v, k])) as Record<
  DType,
  string
>;

export interface TensorInfo {
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}
export interface ReadOptions {
  device?: string;
  dtype?: DType;
}

const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * One header entry, checked: offsets are relative to the data section, so a negative begin
 * would read the header as weights and an end past `dataBytes` the end of the file.
 */
function tensorInfo(name: string, raw: unknown, dataBytes: number): TensorInfo {
  const e = (raw ?? {}) as { dtype?: string; shape?: unknown; data_offsets?: unknown };
  const dtype = FROM_ST[e.dtype ?? ''];
  if (!dtype) throw new Error(`tensor '${name}' has unsupported dtype ${e.dtype}`);
  if (!Array.isArray(e.shape) || !e.shape.every(isIndex))
    throw new Error(`tensor '${name}': shape ${JSON.stringify(e.shape)} is not a list of sizes`);
  const offsets = e.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex))
    throw new Error(
      `tensor '${name}': data_offsets ${JSON.stringify(offsets)} are not two offsets ≥ 0 into the data after the header`,
    );
  const [begin, end] = offsets as [number, number];
  const shape = e.shape as number[];
  const bytes = shape.reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT[dtype];
  if (end - begin !== bytes)
    throw new Error(
      `tensor '${name}': data_offsets [${begin}, ${end}] hold ${end - begin} bytes, shape [${shape}] of ${dtype} needs ${bytes}`,
    );
  if (end > dataBytes)
    throw new Error(
      `tensor '${name}' runs past the end of the file (data_offsets end ${end} > ${dataBytes} bytes of data; truncated?)`,
    );
  return { dtype, shape, begin, end };
}

/** Two tensors sharing bytes would alias each other's weights. */
function checkNoOverlap(tensors: Map<string, TensorInfo>): void {
  const byBegin = [...tensors].filter(([, t]) => t.end > t.begin).sort(([, a], [, b]) => a.begin - b.begin);
  for (let i = 1; i < byBegin.length; i++) {
    const [prevName, prev] = byBegin[i - 1]!;
    const [name, t] = byBegin[i]!;
    if (t.begin < prev.end)
      throw new Error(
        `tensor '${name}' (data_offsets [${t.begin}, ${t.end}]) overlaps '${prevName}' ([${prev.begin}, ${prev.end}])`,
      );
  }
}

/** An open safetensors file: its header is parsed and checked, tensors are read on demand. */
export class SafetensorsFile {
  readonly tensors = new Map<string, TensorInfo>();
  readonly metadata: Record<string, string>;
  private fd: number | null;
  private readonly dataStart: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    try {
      const size = fstatSync(this.fd).size;
      const lenBuf = Buffer.alloc(8);
      if (size < 8 || readSync(this.fd, lenBuf, 0, 8, 0) !== 8) throw new Error('file too short for a header');
      const headerLen = Number(lenBuf.readBigUInt64LE(0));
      if (headerLen <= 0 || 8 + headerLen > size)
        throw new Error(`header length ${headerLen} does not fit a ${size}-byte file`);
      const hb = Buffer.alloc(headerLen);
      readSync(this.fd, hb, 0, headerLen, 8);
      let header: unknown;
      try {
        header = JSON.parse(hb.toString('utf8'));
      } catch (e) {
        throw new Error(`header is not JSON (${(e as Error).message})`, { cause: e });
      }
      if (!header || typeof header !== 'object' || Array.isArray(header))
        throw new Error('header is not a JSON object');
      this.dataStart = 8 + headerLen;
      this.metadata = ((header as Record<string, unknown>).__metadata__ as Record<string, string>) ?? {};
      for (const [name, raw] of Object.entries(header)) {
        if (name === '__metadata__') continue;
        this.tensors.set(name, tensorInfo(name, raw, size - this.dataStart));
      }
      checkNoOverlap(this.tensors);
    } catch (e) {
      this.close();
      throw new Error(`${path}: not a valid safetensors file: ${(e as Error).message}`, { cause: e });
    }
  }

  keys(): string[] {
    return [...this.tensors.keys()];
  }

  /** Reads one tensor (optionally cast and moved). */
  read(name: string, o: ReadOptions = {}): Tensor {
    const info = this.tensors.get(name);
    if (!info) throw new Error(`${this.path}: no tensor named '${name}'`);
    if (this.fd === null) throw new Error(`${this.path}: file is closed`);
    const bytes = info.end - info.begin;
    const buf = new ArrayBuffer(Math.max(bytes, 8));
    const got = readSync(this.fd, new Uint8Array(buf, 0, bytes), 0, bytes, this.dataStart + info.begin);
    if (got !== bytes) throw new Error(`${this.path}: short read of '${name}'`);
    const numel = bytes / BYTES_PER_ELEMENT[info.dtype];
    return fromTypedArray(arrayOfBytes(buf, info.dtype, 0, numel), info.shape, info.dtype, o);
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/** Loads every tensor of a safetensors file. */
export function loadSafetensors(path: string, o: ReadOptions = {}): Map<string, Tensor> {
  const f = new SafetensorsFile(path);
  try {
    return new Map(f.keys().map((k) => [k, f.read(k, o)]));
  } finally {
    f.close();
  }
}

/** Writes tensors (in the given order) to a safetensors file; data is copied to the CPU one tensor at a time. */
export function saveSafetensors(
  path: string,
  tensors: Map<string, Tensor> | Record<string, Tensor>,
  metadata: Record<string, string> = { format: 'pt' },
): void {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of entries) {
    const bytes = t.numel * BYTES_PER_ELEMENT[t.dtype];
    header[name] = { dtype: TO_ST[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // align data to 8 bytes, as the reference writer does
  const hb = Buffer.from(json, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(hb.length));
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, len);
    writeSync(fd, hb);
    for (const [, t] of entries) writeSync(fd, t.toBytes());
  } finally {
    closeSync(fd);
  }
}
