// LPIPS plumbing through onnxruntime-node, with networks the test writes: the distance
// network's output per pair reaches the caller; wrong files and shapes are named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lpips } from '../../src/domains/video/lpips.js';
import { onnxModel } from '../onnx-writer.js';

const img = (v: (i: number) => number, h = 8, w = 8) => ({
  data: Float32Array.from({ length: 3 * h * w }, (_, i) => v(i)),
  channels: 3,
  height: h,
  width: w,
});

test("LPIPS through onnxruntime: a mean-absolute-difference network returns each pair's distance", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lpips-'));
  try {
    // distance = mean over C, H, W of |a - b| (on LPIPS's [-1, 1] scale): 2 × the [0, 1] MAE
    const model = onnxModel(
      [
        { op: 'Sub', inputs: ['a', 'b'], outputs: ['d'] },
        { op: 'Abs', inputs: ['d'], outputs: ['e'] },
        { op: 'ReduceMean', inputs: ['e'], outputs: ['r'], ints: { axes: [1, 2, 3] }, int: { keepdims: 0 } },
      ],
      [
        { name: 'a', dims: ['N', 3, 'H', 'W'] },
        { name: 'b', dims: ['N', 3, 'H', 'W'] },
      ],
      [{ name: 'r', dims: ['N'] }],
    );
    const path = join(dir, 'mad.onnx');
    writeFileSync(path, model);
    const lp = await Lpips.load(path);
    const zero = img(() => 0),
      half = img(() => 0.5),
      ramp = img((i) => (i % 7) / 7);
    const d = await lp.distances([zero, half, ramp], [half, half, zero]);
    const rampMean = Array.from(ramp.data).reduce((a, v) => a + v, 0) / ramp.data.length;
    assert.ok(Math.abs(d[0]! - 1) < 1e-6, `${d[0]}`);
    assert.ok(Math.abs(d[1]!) < 1e-6);
    assert.ok(Math.abs(d[2]! - 2 * rampMean) < 1e-5);
    assert.ok(Math.abs((await lp.distance(zero, half)) - 1) < 1e-6);
    await assert.rejects(lp.distances([zero], [img(() => 0, 4, 4)]), /image 0 is 3×4×4, expected 3×8×8/);

    writeFileSync(join(dir, 'bad.onnx'), 'not a model');
    await assert.rejects(Lpips.load(join(dir, 'bad.onnx')), /onnxruntime could not load it/);
    await assert.rejects(Lpips.load(join(dir, 'missing.onnx')), /no such file/);
    const one = onnxModel(
      [{ op: 'Abs', inputs: ['a'], outputs: ['r'] }],
      [{ name: 'a', dims: ['N', 3, 'H', 'W'] }],
      [{ name: 'r', dims: ['N', 3, 'H', 'W'] }],
    );
    writeFileSync(join(dir, 'one.onnx'), one);
    await assert.rejects(Lpips.load(join(dir, 'one.onnx')), /expected 2 inputs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
