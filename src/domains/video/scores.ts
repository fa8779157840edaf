// Scores of predicted frames against the true ones: MSE, MAE, PSNR (capped at 100 dB so a
// perfect frame averages finitely), SSIM (torchmetrics' Gaussian window 11, σ 1.5), LPIPS when
// a network is given, and repetition: whether a predicted frame is closer to the context frame
// than to its true frame (the MLE failure of copying the last frame).
import { mse, mae, ssim, cappedPsnr, imageFromHwc as toImage } from './image-metrics.js';
import type { Lpips } from './lpips.js';

export interface FrameScores {
  mse: number;
  mae: number;
  psnr: number;
  ssim: number;
  /** null: no LPIPS network was given */
  lpips: number | null;
  /** share of predicted frames closer to the context frame than to their true frame */
  repetition: number;
  /** false: the prediction could not be decoded into frames (scored worst) */
  valid: boolean;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The scores of an undecodable prediction: the worst each metric can be. */
export const invalidScores = (lpips: boolean): FrameScores => ({
  mse: 1,
  mae: 1,
  psnr: 0,
  ssim: 0,
  lpips: lpips ? 1 : null,
  repetition: 0,
  valid: false,
});

export async function scoreFrames(
  pred: Uint8Array[],
  truth: Uint8Array[],
  context: Uint8Array,
  height: number,
  width: number,
  lpips: Lpips | null,
): Promise<FrameScores> {
  const P = pred.map((f) => toImage(f, height, width)),
    T = truth.map((f) => toImage(f, height, width));
  const C = toImage(context, height, width);
  const perFrame = P.map((p, k) => ({
    mse: mse(p, T[k]!),
    mae: mae(p, T[k]!),
    psnr: cappedPsnr(p, T[k]!),
    ssim: ssim(p, T[k]!),
    toContext: mse(p, C),
  }));
  const lp = lpips ? await lpips.distances(P, T) : null;
  return {
    mse: mean(perFrame.map((s) => s.mse)),
    mae: mean(perFrame.map((s) => s.mae)),
    psnr: mean(perFrame.map((s) => s.psnr)),
    ssim: mean(perFrame.map((s) => s.ssim)),
    lpips: lp ? mean(lp) : null,
    repetition: mean(perFrame.map((s) => (s.toContext < s.mse ? 1 : 0))),
    valid: true,
  };
}
