// Rewards that score model text against a serialized ground truth, without building a domain:
// what `rlvr-world serve-reward` offers to other RL engines (verl's compute_score(data_source,
// solution_str, ground_truth)). A malformed ground truth is the caller's error (thrown as a
// BadRequest); model text never throws: garbage scores 0.
import { z } from 'zod';
import { scoreText, type TgTruth } from '../../domains/textgame/reward.js';
import { diffF1 } from '../../domains/web/f1.js';
import type { RewardResult } from '../../train/domain.js';

export class BadRequest extends Error {}

export interface Verifier {
  /** reward names, the first is the default */
  rewards: string[];
  score(reward: string, text: string, groundTruth: unknown): RewardResult;
}

const TgObject = z.object({ name: z.string(), uuid: z.number().int(), type: z.string(), properties: z.record(z.string(), z.unknown()), contains: z.array(z.string()) });
const TgScore = z.object({ score: z.number(), gameOver: z.boolean(), gameWon: z.boolean() });
/** The text-game ground truth as the verl export writes it (a JSON string or the object). */
export const TgTruthSchema = z.object({ current: z.array(TgObject), currentScore: TgScore, next: z.array(TgObject), nextScore: TgScore });

function parseTruth<T>(schema: z.ZodType<T>, gt: unknown): T {
  let v = gt;
  if (typeof gt === 'string') {
    try { v = JSON.parse(gt); } catch { throw new BadRequest('ground_truth is not valid JSON'); }
  }
  const r = schema.safeParse(v);
  if (!r.success) { const i = r.error.issues[0]!; throw new BadRequest(`ground_truth.${i.path.join('.')}: ${i.message}`); }
  return r.data;
}

export const VERIFIERS: Record<string, Verifier> = {
  textgame: {
    rewards: ['binary', 'task_specific'],
    score(reward, text, gt) {
      const r = scoreText(text, parseTruth(TgTruthSchema, gt) as TgTruth);
      return reward === 'binary' ? { score: r.binary } : { score: r.taskSpecific, components: { item: r.item, score: r.score, binary: r.binary } };
    },
  },
  web: {
    rewards: ['f1'],
    score(_reward, text, gt) {
      if (typeof gt !== 'string') throw new BadRequest('ground_truth must be the true change as text');
      const r = diffF1(text, gt);
      return { score: r.f1, components: { precision: r.precision, recall: r.recall } };
    },
  },
};
