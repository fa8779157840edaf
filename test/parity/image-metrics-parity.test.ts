// Frame metrics against torchmetrics 1.9 (shared/fixtures/metrics): SSIM, PSNR, MSE, MAE per image.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, fixturesSkip, readJson } from '../helpers.js';
import { SafetensorsFile } from '../../src/core/tensor/index.js';
import { mse, mae, psnr, ssim, type Image } from '../../src/domains/video/image-metrics.js';

interface Ref {
  per_image: { ssim: number; psnr: number | null; mse: number; mae: number }[];
}

function images(name: string): Image[] {
  const f = new SafetensorsFile(fixture('metrics', 'images.safetensors'));
  const t = f.read(name);
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const data = t.toArray() as Float32Array;
  t.dispose();
  f.close();
  return Array.from({ length: n }, (_, i) => ({
    data: data.subarray(i * c * h * w, (i + 1) * c * h * w),
    channels: c,
    height: h,
    width: w,
  }));
}

test('SSIM, PSNR, MSE and MAE match torchmetrics within 1e-4 on every fixture image', { skip: fixturesSkip }, () => {
  const ref = readJson<Ref>(fixture('metrics', 'reference.json'));
  const pred = images('pred'),
    target = images('target');
  assert.equal(pred.length, ref.per_image.length);
  ref.per_image.forEach((r, i) => {
    assert.ok(
      Math.abs(ssim(pred[i]!, target[i]!) - r.ssim) < 1e-4,
      `ssim[${i}] ${ssim(pred[i]!, target[i]!)} vs ${r.ssim}`,
    );
    assert.ok(Math.abs(mse(pred[i]!, target[i]!) - r.mse) < 1e-4, `mse[${i}]`);
    assert.ok(Math.abs(mae(pred[i]!, target[i]!) - r.mae) < 1e-4, `mae[${i}]`);
    if (r.psnr === null) assert.equal(psnr(pred[i]!, target[i]!), Infinity);
    else
      assert.ok(
        Math.abs(psnr(pred[i]!, target[i]!) - r.psnr) < 1e-4,
        `psnr[${i}] ${psnr(pred[i]!, target[i]!)} vs ${r.psnr}`,
      );
  });
});
