// The video domain's rewards and metrics on decoded frames. The rewards are negated errors, so
// 0 is the best score: each declares its worst, the score of an undecodable prediction
// (invalidScores), which is also what a reward that throws or returns NaN gets (train/safe.ts).
import type { Metric, Reward, RewardResult } from '../../train/domain.js';
import type { VideoExample } from './codec.js';
import { invalidScores, type FrameScores } from './scores.js';

/** Decoded predicted frames (uint8 [H, W, 3] each), or null when the tokens are not frames. */
export type VideoPrediction = { frames: Uint8Array[] } | null;

/** One scoring per (prediction, example); an undecodable prediction gets invalidScores. */
export type FrameScorer = (p: VideoPrediction, e: VideoExample) => Promise<FrameScores>;

type VideoReward = Reward<VideoExample, VideoPrediction>;
const declare = <F extends object>(worst: number, fn: F): F & { worst: number } => Object.assign(fn, { worst });

export function videoRewards(scores: FrameScorer, lpips: boolean): Record<string, VideoReward> {
  const bad = invalidScores(lpips);
  const withLpips = (s: FrameScores, base: number): number => base + (s.lpips ?? 0);
  return {
    /** the spec's reward: -(MAE + LPIPS) single-step, -mean_t(MSE_t + LPIPS_t) multi-step; LPIPS only where a network is given */
    frame: declare(
      -withLpips(bad, Math.max(bad.mae, bad.mse)),
      async (p: VideoPrediction, e: VideoExample): Promise<RewardResult> => {
        const s = await scores(p, e);
        const score = -withLpips(s, e.task === 'single' ? s.mae : s.mse);
        return { score, components: { mae: s.mae, mse: s.mse, ...(s.lpips !== null ? { lpips: s.lpips } : {}) } };
      },
    ),
    neg_mae: declare(-bad.mae, async (p: VideoPrediction, e: VideoExample) => ({ score: -(await scores(p, e)).mae })),
    neg_mse: declare(-bad.mse, async (p: VideoPrediction, e: VideoExample) => ({ score: -(await scores(p, e)).mse })),
    ...(lpips
      ? {
          neg_lpips: declare(-1, async (p: VideoPrediction, e: VideoExample) => ({
            score: -((await scores(p, e)).lpips ?? 1),
          })),
        }
      : {}),
  };
}

export function videoMetrics(
  scores: FrameScorer,
  lpips: boolean,
): Record<string, Metric<VideoExample, VideoPrediction>> {
  const bad = invalidScores(lpips);
  const metric =
    (k: 'mse' | 'mae' | 'psnr' | 'ssim' | 'repetition') =>
    async (p: VideoPrediction, e: VideoExample): Promise<number> =>
      (await scores(p, e))[k];
  return {
    // errors are lower-is-better: a failure counts as the worst error, not as 0
    mse: declare(bad.mse, metric('mse')),
    mae: declare(bad.mae, metric('mae')),
    psnr: metric('psnr'),
    ssim: metric('ssim'),
    repetition: metric('repetition'),
    valid_rate: (p: VideoPrediction) => (p ? 1 : 0),
    ...(lpips
      ? { lpips: declare(1, async (p: VideoPrediction, e: VideoExample) => (await scores(p, e)).lpips ?? 1) }
      : {}),
  };
}
