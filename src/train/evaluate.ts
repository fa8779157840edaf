// Evaluation: decode predictions for examples (greedy or sampled) and average every metric.
import type { LlamaForCausalLM } from '../core/models/index.js';
import { generate } from '../core/generate/index.js';
import { autocast } from '../core/tensor/index.js';
import type { Example, WorldModelDomain } from './domain.js';
import { safeMetric } from './safe.js';
import type { World } from '../core/distributed/world.js';

export interface EvalOptions {
  greedy?: boolean;
  topK?: number;
  temperature?: number;
  maxNewTokens: number;
  batchSize?: number;
  /** decode under bfloat16 autocast */
  bf16?: boolean;
  /** data-parallel: each rank decodes every size-th example; metrics cover all, rows only this rank's */
  world?: World;
}
/** scores[name] is null where the metric does not apply to the example */
export interface EvalRow<E extends Example, P> {
  example: E;
  tokens: number[];
  prediction: P;
  scores: Record<string, number | null>;
}
/** metrics: averages over the examples each metric applies to; counts: how many those were */
export interface EvalResult<E extends Example, P> {
  metrics: Record<string, number>;
  counts: Record<string, number>;
  rows: EvalRow<E, P>[];
}

/** Prompt token lists for examples, encoded once. */
export async function encodePrompts<E extends Example>(
  domain: WorldModelDomain<E, any>,
  examples: E[],
): Promise<number[][]> {
  return Promise.all(examples.map((e) => domain.codec.prompt(e)));
}

export async function evaluate<E extends Example, P>(
  model: LlamaForCausalLM,
  domain: WorldModelDomain<E, P>,
  examples: E[],
  o: EvalOptions,
  prompts?: number[][],
): Promise<EvalResult<E, P>> {
  const world = o.world;
  if (world?.distributed) {
    const mine = examples.map((_, i) => i).filter((i) => i % world.size === world.rank);
    const local = await evaluate(
      model,
      domain,
      mine.map((i) => examples[i]!),
      { ...o, world: undefined },
      prompts && mine.map((i) => prompts[i]!),
    );
    // every rank's scores, back in the examples' order, averaged as one process would
    const scores: Record<string, number | null>[] = new Array(examples.length);
    for (const part of world.allGather(local.rows.map((r, k) => [mine[k]!, r.scores] as const)))
      for (const [i, sc] of part) scores[i] = sc;
    return { ...averageScores(Object.keys(domain.metrics), scores), rows: local.rows };
  }
  const enc = prompts ?? (await encodePrompts(domain, examples));
  const order = enc.map((_, i) => i).sort((a, b) => enc[a]!.length - enc[b]!.length);
  const bs = o.batchSize ?? 32;
  const tokens: number[][] = new Array(examples.length);
  const predictions: P[] = new Array(examples.length);
  for (let s = 0; s < order.length; s += bs) {
    const idx = order.slice(s, s + bs);
    const c = constraints(
      domain,
      idx.map((i) => examples[i]!),
      o.maxNewTokens,
    );
    const g = autocast(
      model.device,
      () =>
        generate(
          model,
          idx.map((i) => enc[i]!),
          {
            maxNewTokens: c.maxNewTokens,
            greedy: o.greedy ?? true,
            topK: o.topK,
            temperature: o.temperature,
            stopTokens: [domain.codec.eosTokenId],
            padTokenId: domain.codec.padTokenId,
            forced: c.forced,
            allowedRange: c.allowedRange,
          },
        ),
      { enabled: o.bf16 ?? false },
    );
    await Promise.all(
      idx.map(async (i, k) => {
        tokens[i] = g.tokens[k]!;
        predictions[i] = await safeDecode(domain, g.tokens[k]!, examples[i]!);
      }),
    );
  }
  return scorePredictions(domain, examples, predictions, tokens);
}

/** Scores given predictions (a model's, or a baseline's) with every metric of the domain. */
export async function scorePredictions<E extends Example, P>(
  domain: WorldModelDomain<E, P>,
  examples: E[],
  predictions: P[],
  tokens?: number[][],
): Promise<EvalResult<E, P>> {
  const metricFns = Object.entries(domain.metrics).map(([name, fn]) => [name, safeMetric(name, fn)] as const);
  const rows = await Promise.all(
    examples.map(async (example, i): Promise<EvalRow<E, P>> => {
      const scores: Record<string, number | null> = {};
      for (const [name, fn] of metricFns) scores[name] = await fn(predictions[i]!, example);
      return { example, tokens: tokens?.[i] ?? [], prediction: predictions[i]!, scores };
    }),
  );
  return {
    ...averageScores(
      metricFns.map(([name]) => name),
      rows.map((r) => r.scores),
    ),
    rows,
  };
}

/** Each metric's mean over the examples it applies to, and how many those were. */
function averageScores(
  names: string[],
  scores: Record<string, number | null>[],
): { metrics: Record<string, number>; counts: Record<string, number> } {
  const metrics: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const name of names) {
    const vs = scores.map((s) => s[name] ?? null).filter((v): v is number => v !== null);
    counts[name] = vs.length;
    metrics[name] = vs.length ? vs.reduce((a, v) => a + v, 0) / vs.length : 0;
  }
  return { metrics, counts };
}

/** The domain's generation constraints for a batch of examples (forced tokens, id range, length). */
export function constraints<E extends Example>(
  domain: WorldModelDomain<E, any>,
  examples: E[],
  maxNewTokens: number,
): { maxNewTokens: number; forced?: (number | null)[][]; allowedRange?: [number, number] } {
  const gen = domain.codec.generation;
  if (!gen) return { maxNewTokens };
  const cs = examples.map((e) => gen.call(domain.codec, e));
  return {
    maxNewTokens: Math.max(1, ...cs.map((c) => c.maxNewTokens ?? maxNewTokens)),
    forced: cs.some((c) => c.forced) ? cs.map((c) => c.forced ?? []) : undefined,
    allowedRange: cs[0]?.allowedRange,
  };
}

/** decode() is meant to be total; this makes sure a faulty codec cannot stop a run. */
export async function safeDecode<E extends Example, P>(
  domain: WorldModelDomain<E, P>,
  tokens: number[],
  example: E,
): Promise<P> {
  try {
    return await domain.codec.decode(tokens, example);
  } catch {
    return null as P;
  }
}
