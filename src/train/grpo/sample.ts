// One sampled prediction and what the GRPO phases know of it.
import type { RewardResult } from '../domain.js';

export interface Sample {
  group: number;
  prompt: number[];
  response: number[];
  /** log-probabilities recorded at sampling time (old policy) */
  oldLogp: number[];
  /** response tokens that were given rather than generated (not trained on) */
  given?: boolean[];
  /** the id range the sampler drew from (the trainer restricts its distribution the same way) */
  allowedRange?: [number, number];
  reward: RewardResult;
  advantage: number;
  exampleIndex: number;
  /** generated on another data-parallel rank: only its reward and token counts are here */
  remote?: boolean;
  /** response tokens (default: response.length) */
  responseLength?: number;
  /** response tokens trained on, i.e. generated rather than given (default: counted from response) */
  trainedTokens?: number;
}

/** A 32-bit seed for one sample, from the run seed, the step, its group and its index in the group. */
export function sampleSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** Trained tokens of a sample: generated, not given. */
export const trainedTokens = (s: Sample): number =>
  s.trainedTokens ?? s.response.filter((_, t) => !s.given?.[t]).length;

/** Samples by group id, in first-seen order. */
export function byGroup(samples: Sample[]): Sample[][] {
  const groups = new Map<number, Sample[]>();
  for (const s of samples) {
    if (!groups.has(s.group)) groups.set(s.group, []);
    groups.get(s.group)!.push(s);
  }
  return [...groups.values()];
}
