// Frame metrics: a shape mismatch is named. The comparison with torchmetrics is in
// test/parity/image-metrics-parity.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ssim, type Image } from '../../src/domains/video/image-metrics.js';

test('image metrics name a shape mismatch', () => {
  const a: Image = { data: new Float32Array(3 * 16 * 16), channels: 3, height: 16, width: 16 };
  const b: Image = { data: new Float32Array(3 * 16 * 8), channels: 3, height: 16, width: 8 };
  assert.throws(() => ssim(a, b), /shapes differ \(3×16×16 vs 3×16×8\)/);
});
