// The text game's rewards on plain text, for the reward service and the verl export: the
// ground truth is the transition as the verl export writes it (export's asText). The answer
// may be the published diff or the compact delta.
import { z } from 'zod';
import { parseGroundTruth, type Verifier } from '../plugin.js';
import { scoreDiff, type TgTruth } from './reward.js';
import { parsePrediction } from './parse.js';
import { asDiff } from './codec.js';
import { ObjectSchema, ScoreSchema } from './data.js';

/** The text-game ground truth as the verl export writes it (a JSON string or the object). */
export const TgTruthSchema = z.object({
  current: z.array(ObjectSchema),
  currentScore: ScoreSchema,
  next: z.array(ObjectSchema),
  nextScore: ScoreSchema,
});

export const textgameVerifier: Verifier = {
  rewards: ['binary', 'task_specific'],
  worst: { binary: 0, task_specific: 0 },
  score(reward, text, gt) {
    const truth = parseGroundTruth(TgTruthSchema, gt) as TgTruth;
    // the published diff, or a compact delta (./delta.ts) expanded against the current state
    const r = scoreDiff(asDiff(parsePrediction(text), truth.current, truth.currentScore), truth);
    return reward === 'binary'
      ? { score: r.binary }
      : { score: r.taskSpecific, components: { item: r.item, score: r.score, binary: r.binary } };
  },
};
