import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  tensor,
  scope,
  loadSafetensors,
  saveSafetensors,
  SafetensorsFile,
  type DType,
} from '../../src/core/tensor/index.js';

test('safetensors round-trips f32, bf16, f16, i64, i32 with shapes', () =>
  scope(() => {
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    try {
      const dtypes: DType[] = ['float32', 'bfloat16', 'float16', 'int64', 'int32', 'float64', 'uint8', 'bool'];
      const src = new Map(
        dtypes.map((d, i) => [
          `t.${d}`,
          tensor(
            d === 'bool'
              ? [[true, false, true]]
              : [
                  [1, 2, i],
                  [-4, 0.5 * (d.startsWith('int') || d === 'uint8' ? 2 : 1), 6],
                ].map((r) => r.map((v) => (d === 'uint8' ? Math.abs(v) : v))),
            { dtype: d },
          ),
        ]),
      );
      const path = join(dir, 'x.safetensors');
      saveSafetensors(path, src);
      const f = new SafetensorsFile(path);
      assert.deepEqual(f.keys(), [...src.keys()]);
      assert.equal(f.tensors.get('t.bfloat16')!.dtype, 'bfloat16');
      f.close();
      const back = loadSafetensors(path);
      for (const [k, t] of src) {
        assert.equal(back.get(k)!.dtype, t.dtype, k);
        assert.deepEqual(back.get(k)!.tolist(), t.tolist(), k);
      }
      // a cast on read
      assert.equal(loadSafetensors(path, { dtype: 'float32' }).get('t.bfloat16')!.dtype, 'float32');
      // the header is 8-byte aligned like the reference writer's
      const bytes = readFileSync(path);
      assert.equal(Number(bytes.readBigUInt64LE(0)) % 8, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }));
