// Evaluation: decode predictions for examples (greedy or sampled) and average every metric.
import type { LlamaForCausalLM } from '../models/index.js';
import { generate } from '../generate/index.js';
import type { Example, WorldModelDomain, RewardResult } from '../domains/types.js';
import { safeReward } from '../rewards/safe.js';

export interface EvalOptions { greedy?: boolean; topK?: number; temperature?: number; maxNewTokens: number; batchSize?: number }
export interface EvalRow<E extends Example, P> { example: E; tokens: number[]; prediction: P; scores: Record<string, number> }
export interface EvalResult<E extends Example, P> { metrics: Record<string, number>; rows: EvalRow<E, P>[] }

/** Prompt token lists for examples, encoded once. */
export async function encodePrompts<E extends Example>(domain: WorldModelDomain<E, any>, examples: E[]): Promise<number[][]> {
  return Promise.all(examples.map((e) => domain.codec.prompt(e)));
}

export async function evaluate<E extends Example, P>(model: LlamaForCausalLM, domain: WorldModelDomain<E, P>, examples: E[], o: EvalOptions, prompts?: number[][]): Promise<EvalResult<E, P>> {
  const enc = prompts ?? (await encodePrompts(domain, examples));
  const metricFns = Object.entries(domain.metrics).map(([name, fn]) => [name, safeReward(name, fn)] as const);
  const order = enc.map((_, i) => i).sort((a, b) => enc[a]!.length - enc[b]!.length);
  const bs = o.batchSize ?? 32;
  const rows: EvalRow<E, P>[] = new Array(examples.length);
  for (let s = 0; s < order.length; s += bs) {
    const idx = order.slice(s, s + bs);
    const g = generate(model, idx.map((i) => enc[i]!), {
      maxNewTokens: o.maxNewTokens, greedy: o.greedy ?? true, topK: o.topK, temperature: o.temperature, stopTokens: [domain.codec.eosTokenId], padTokenId: domain.codec.padTokenId,
    });
    await Promise.all(idx.map(async (i, k) => {
      const example = examples[i]!;
      const prediction = await safeDecode(domain, g.tokens[k]!, example);
      const scores: Record<string, number> = {};
      for (const [name, fn] of metricFns) scores[name] = (await fn(prediction, example) as RewardResult).score;
      rows[i] = { example, tokens: g.tokens[k]!, prediction, scores };
    }));
  }
  const metrics: Record<string, number> = {};
  for (const [name] of metricFns) metrics[name] = rows.length ? rows.reduce((a, r) => a + r.scores[name]!, 0) / rows.length : 0;
  return { metrics, rows };
}

/** decode() is meant to be total; this makes sure a faulty codec cannot stop a run. */
export async function safeDecode<E extends Example, P>(domain: WorldModelDomain<E, P>, tokens: number[], example: E): Promise<P> {
  try { return await domain.codec.decode(tokens, example); } catch { return null as P; }
}
