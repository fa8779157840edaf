// Scoring one /score batch with the verifiers: shared by the worker threads (score-worker.ts)
// and the in-process path. It returns a bad request as a value, since an exception's class
// does not survive the trip back from a worker thread.
import { BadRequest, type Verifier } from '../../domains/plugin.js';

export interface ScoreItem {
  data_source?: string;
  solution_str: string;
  ground_truth: unknown;
}
export interface ScoreBatch {
  /** the domain for every item without its own data_source */
  data_source?: string;
  reward?: string;
  items: ScoreItem[];
}
export type ScoreAnswer =
  { scores: number[]; components: (Record<string, number> | undefined)[] } | { badRequest: string };

/** The data sources a batch names, item by item (undefined where none is given). */
export const sourcesOf = (b: ScoreBatch): (string | undefined)[] => b.items.map((i) => i.data_source ?? b.data_source);

export function scoreBatch(verifiers: Record<string, Verifier>, b: ScoreBatch): ScoreAnswer {
  const scores: number[] = [];
  const components: (Record<string, number> | undefined)[] = [];
  const domains = sourcesOf(b);
  for (let k = 0; k < b.items.length; k++) {
    const domain = domains[k];
    const v = domain ? verifiers[domain] : undefined;
    if (!v)
      return {
        badRequest: `items.${k}: unknown data_source '${domain ?? ''}' (known: ${Object.keys(verifiers).join(', ')})`,
      };
    const reward = b.reward ?? v.rewards[0]!;
    if (!v.rewards.includes(reward))
      return { badRequest: `reward '${reward}' is not one of ${domain}'s (${v.rewards.join(', ')})` };
    // a reward must not fail on model output; when it does, it scores its worst, as in training
    const worst = v.worst?.[reward] ?? 0;
    try {
      const r = v.score(reward, b.items[k]!.solution_str, b.items[k]!.ground_truth);
      scores.push(Number.isFinite(r.score) ? r.score : worst);
      components.push(r.components);
    } catch (e) {
      if (e instanceof BadRequest) return { badRequest: `items.${k}: ${e.message}` };
      scores.push(worst);
      components.push(undefined);
    }
  }
  return { scores, components };
}
