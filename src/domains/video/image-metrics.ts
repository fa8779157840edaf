// Frame metrics for the video domain, on CHW float images in [0, 1]: MSE, MAE, PSNR and SSIM
// as torchmetrics 1.9 computes them (Gaussian window 11, σ 1.5, K1 0.01, K2 0.03; the image is
// reflect-padded and the SSIM map averaged over every pixel, border included). Plain loops
// over typed arrays: frames are small, and a reward must not depend on a device.

export interface Image {
  data: Float32Array | Float64Array;
  channels: number;
  height: number;
  width: number;
}

/** A frame's uint8 [H, W, 3] bytes (from `offset`) as a CHW image in [0, 1]. */
export function imageFromHwc(hwc: Uint8Array, height: number, width: number, offset = 0): Image {
  const hw = height * width,
    out = new Float32Array(3 * hw);
  for (let p = 0; p < hw; p++) for (let c = 0; c < 3; c++) out[c * hw + p] = hwc[offset + p * 3 + c]! / 255;
  return { data: out, channels: 3, height, width };
}

/** PSNR, capped at 100 dB so that identical frames average finitely. */
export const cappedPsnr = (a: Image, b: Image): number => Math.min(100, psnr(a, b));

function check(a: Image, b: Image): void {
  if (a.channels !== b.channels || a.height !== b.height || a.width !== b.width) {
    throw new Error(
      `image metrics: shapes differ (${a.channels}×${a.height}×${a.width} vs ${b.channels}×${b.height}×${b.width})`,
    );
  }
  if (a.data.length !== a.channels * a.height * a.width || b.data.length !== a.data.length)
    throw new Error('image metrics: data length does not match the shape');
}

export function mse(a: Image, b: Image): number {
  check(a, b);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i]! - b.data[i]!;
    s += d * d;
  }
  return s / a.data.length;
}

export function mae(a: Image, b: Image): number {
  check(a, b);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i]! - b.data[i]!);
  return s / a.data.length;
}

/** 10·log10(range² / MSE); Infinity for identical images. */
export function psnr(a: Image, b: Image, dataRange = 1): number {
  const m = mse(a, b);
  return m === 0 ? Infinity : 10 * Math.log10((dataRange * dataRange) / m);
}

export interface SsimOptions {
  kernelSize?: number;
  sigma?: number;
  k1?: number;
  k2?: number;
  dataRange?: number;
}

/** The normalized 1-D Gaussian torchmetrics builds (the 2-D window is its outer product). */
export function gaussianWindow(size: number, sigma: number): Float64Array {
  const w = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const x = i - (size - 1) / 2;
    w[i] = Math.exp(-((x / sigma) ** 2) / 2);
    sum += w[i]!;
  }
  for (let i = 0; i < size; i++) w[i]! /= sum;
  return w;
}

/** PyTorch's 'reflect' index (the edge is not repeated). */
const reflect = (i: number, n: number): number => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);

/** The Gaussian-filtered plane of the reflect-padded image, at every pixel (separable: rows, then columns). */
function blur(src: Float64Array, h: number, w: number, win: Float64Array): Float64Array {
  const k = win.length,
    pad = (k - 1) >> 1;
  const tmp = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += win[j]! * src[y * w + reflect(x + j - pad, w)]!;
      tmp[y * w + x] = s;
    }
  }
  const out = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += win[j]! * tmp[reflect(y + j - pad, h) * w + x]!;
      out[y * w + x] = s;
    }
  }
  return out;
}

export function ssim(a: Image, b: Image, o: SsimOptions = {}): number {
  check(a, b);
  const k = o.kernelSize ?? 11,
    sigma = o.sigma ?? 1.5,
    range = o.dataRange ?? 1;
  const c1 = ((o.k1 ?? 0.01) * range) ** 2,
    c2 = ((o.k2 ?? 0.03) * range) ** 2;
  const { channels: C, height: H, width: W } = a;
  const pad = (k - 1) >> 1;
  if (H <= pad || W <= pad) throw new Error(`ssim: images of ${H}×${W} are too small for a ${k}×${k} window`);
  const win = gaussianWindow(k, sigma);
  const plane = H * W;
  let sum = 0,
    count = 0;
  for (let c = 0; c < C; c++) {
    const p = new Float64Array(plane),
      t = new Float64Array(plane);
    for (let i = 0; i < plane; i++) {
      p[i] = a.data[c * plane + i]!;
      t[i] = b.data[c * plane + i]!;
    }
    const sq = (x: Float64Array, y: Float64Array): Float64Array => x.map((v, i) => v * y[i]!);
    const [mp, mt, pp, tt, pt] = [p, t, sq(p, p), sq(t, t), sq(p, t)].map((x) => blur(x, H, W, win)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        const mp2 = mp[i]! ** 2,
          mt2 = mt[i]! ** 2,
          mpt = mp[i]! * mt[i]!;
        const sp = pp[i]! - mp2,
          st = tt[i]! - mt2,
          spt = pt[i]! - mpt;
        sum += ((2 * mpt + c1) * (2 * spt + c2)) / ((mp2 + mt2 + c1) * (sp + st + c2));
        count++;
      }
    }
  }
  return sum / count;
}
