// Evaluation: decode predictions for examples (greedy or sampled) and average every metric.
import type { LlamaForCausalLM } from '../models/index.js';
import { generate } from '../generate/index.js';
import type { Example, WorldModelDomain, Metric } from '../domains/types.js';
import { normalizeResult } from '../rewards/safe.js';

export interface EvalOptions { greedy?: boolean; topK?: number; temperature?: number; maxNewTokens: number; batchSize?: number }
/** scores[name] is null where the metric does not apply to the example */
export interface EvalRow<E extends Example, P> { example: E; tokens: number[]; prediction: P; scores: Record<string, number | null> }
/** metrics: averages over the examples each metric applies to; counts: how many those were */
export interface EvalResult<E extends Example, P> { metrics: Record<string, number>; counts: Record<string, number>; rows: EvalRow<E, P>[] }

/** Prompt token lists for examples, encoded once. */
export async function encodePrompts<E extends Example>(domain: WorldModelDomain<E, any>, examples: E[]): Promise<number[][]> {
  return Promise.all(examples.map((e) => domain.codec.prompt(e)));
}

export async function evaluate<E extends Example, P>(model: LlamaForCausalLM, domain: WorldModelDomain<E, P>, examples: E[], o: EvalOptions, prompts?: number[][]): Promise<EvalResult<E, P>> {
  const enc = prompts ?? (await encodePrompts(domain, examples));
  const order = enc.map((_, i) => i).sort((a, b) => enc[a]!.length - enc[b]!.length);
  const bs = o.batchSize ?? 32;
  const tokens: number[][] = new Array(examples.length);
  const predictions: P[] = new Array(examples.length);
  for (let s = 0; s < order.length; s += bs) {
    const idx = order.slice(s, s + bs);
    const g = generate(model, idx.map((i) => enc[i]!), {
      maxNewTokens: o.maxNewTokens, greedy: o.greedy ?? true, topK: o.topK, temperature: o.temperature, stopTokens: [domain.codec.eosTokenId], padTokenId: domain.codec.padTokenId,
    });
    await Promise.all(idx.map(async (i, k) => {
      tokens[i] = g.tokens[k]!;
      predictions[i] = await safeDecode(domain, g.tokens[k]!, examples[i]!);
    }));
  }
  return scorePredictions(domain, examples, predictions, tokens);
}

/** Scores given predictions (a model's, or a baseline's) with every metric of the domain. */
export async function scorePredictions<E extends Example, P>(domain: WorldModelDomain<E, P>, examples: E[], predictions: P[], tokens?: number[][]): Promise<EvalResult<E, P>> {
  const metricFns = Object.entries(domain.metrics).map(([name, fn]) => [name, safeMetric(name, fn)] as const);
  const rows = await Promise.all(examples.map(async (example, i): Promise<EvalRow<E, P>> => {
    const scores: Record<string, number | null> = {};
    for (const [name, fn] of metricFns) scores[name] = await fn(predictions[i]!, example);
    return { example, tokens: tokens?.[i] ?? [], prediction: predictions[i]!, scores };
  }));
  const metrics: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const [name] of metricFns) {
    const vs = rows.map((r) => r.scores[name]).filter((v): v is number => v !== null);
    counts[name] = vs.length;
    metrics[name] = vs.length ? vs.reduce((a, v) => a + v, 0) / vs.length : 0;
  }
  return { metrics, counts, rows };
}

/** A metric that never throws: null passes through (not applicable), anything else becomes a finite score. */
function safeMetric<E extends Example, P>(name: string, fn: Metric<E, P>): (p: P, e: E) => Promise<number | null> {
  const reported = new Set<string>();
  return async (p, e) => {
    try {
      const r = await fn(p, e);
      return r === null ? null : normalizeResult(r).score;
    } catch (err) {
      if (!reported.has(e.id)) { reported.add(e.id); console.warn(`metric '${name}' threw on example ${e.id}: ${(err as Error)?.message ?? err} (scored 0)`); }
      return 0;
    }
  };
}

/** decode() is meant to be total; this makes sure a faulty codec cannot stop a run. */
export async function safeDecode<E extends Example, P>(domain: WorldModelDomain<E, P>, tokens: number[], example: E): Promise<P> {
  try { return await domain.codec.decode(tokens, example); } catch { return null as P; }
}
