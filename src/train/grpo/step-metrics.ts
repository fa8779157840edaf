// What one GRPO step logs: rewards of every rolled-out sample (and their components), the
// update's KL / entropy / clipping, lengths, group statistics and phase times.
import type { Metrics } from '../metrics-log.js';
import type { Sample } from './sample.js';
import type { Timing } from './rollout.js';
import type { UpdateStats } from './update.js';

const meanStd = (v: number[]): [number, number] => {
  const mu = v.reduce((a, b) => a + b, 0) / Math.max(v.length, 1);
  return [mu, Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(v.length - 1, 1))];
};

export function stepMetrics(
  collected: { samples: Sample[]; all: Sample[]; groupsSeen: number; zeroGroups: number; rounds: number },
  u: UpdateStats | null,
  timing: Timing,
  seconds: number,
  o: { lr: number; klLogged: boolean },
): Metrics {
  const { samples, all } = collected;
  const rewards = all.map((s) => s.reward);
  const [mean, std] = meanStd(rewards.map((r) => r.score));
  const components: Metrics = {};
  for (const key of new Set(rewards.flatMap((r) => Object.keys(r.components ?? {})))) {
    [components[`reward/${key}/mean`], components[`reward/${key}/std`]] = meanStd(
      rewards.map((r) => r.components?.[key] ?? 0),
    );
  }
  const tok = u?.tokSum ?? 0;
  const genTokens = samples.reduce((a, s) => a + (s.responseLength ?? s.response.length), 0);
  return {
    'reward/mean': mean,
    'reward/std': std,
    ...components,
    // with β = 0 there is no reference model: no KL to report
    ...(o.klLogged ? { kl: tok ? u!.klSum / tok : 0 } : {}),
    entropy: tok ? u!.entSum / tok : 0,
    clip_frac: tok ? u!.clipSum / tok : 0,
    response_length: samples.length ? genTokens / samples.length : 0,
    zero_spread_groups: collected.zeroGroups / Math.max(collected.groupsSeen, 1),
    samples_used: samples.length,
    rollout_rounds: collected.rounds,
    updates: u?.updates ?? 0,
    tokens_per_s: genTokens / Math.max(seconds, 1e-9),
    samples_per_s: all.length / Math.max(seconds, 1e-9),
    lr: o.lr,
    grad_norm: u?.gradNorm ?? 0,
    'time/generate': timing.generate,
    'time/reward': timing.reward,
    'time/reference': timing.reference,
    'time/update': timing.update,
    'time/step': seconds,
  };
}
