// The text game's rewards on plain text, for the reward service and the verl export: the
// ground truth is the transition as the verl export writes it (export's asText). The answer
// may be the published diff or the compact delta.
import { z } from 'zod';
import { parseGroundTruth, type Verifier } from '../plugin.js';
import { scoreDiff, type TgTruth } from './reward.js';
import { parsePrediction } from './parse.js';
import { asDiff } from './codec.js';

const TgObject = z.object({
  name: z.string(),
  uuid: z.number().int(),
  type: z.string(),
  properties: z.record(z.string(), z.unknown()),
  contains: z.array(z.string()),
});
const TgScore = z.object({ score: z.number(), gameOver: z.boolean(), gameWon: z.boolean() });
/** The text-game ground truth as the verl export writes it (a JSON string or the object). */
export const TgTruthSchema = z.object({
  current: z.array(TgObject),
  currentScore: TgScore,
  next: z.array(TgObject),
  nextScore: TgScore,
});

export const textgameVerifier: Verifier = {
  rewards: ['binary', 'task_specific'],
  score(reward, text, gt) {
    const truth = parseGroundTruth(TgTruthSchema, gt) as TgTruth;
    // the published diff, or a compact delta (./delta.ts) expanded against the current state
    const r = scoreDiff(asDiff(parsePrediction(text), truth.current, truth.currentScore), truth);
    return reward === 'binary'
      ? { score: r.binary }
      : { score: r.taskSpecific, components: { item: r.item, score: r.score, binary: r.binary } };
  },
};
