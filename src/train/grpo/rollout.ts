// GRPO's rollout and score phases: G samples for each drawn prompt, each from its own
// seeded stream (so a sample is the same whichever rank or batch draws it), scored with
// the verifiable reward; with dynamic sampling, zero-spread groups are dropped and refilled.
import { autocast } from '../../core/tensor/index.js';
import { generate, type Generation } from '../../core/generate/index.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import type { World } from '../../core/distributed/world.js';
import type { GrpoConfig } from '../config/schema.js';
import type { Example, WorldModelDomain, RewardResult } from '../domain.js';
import { constraints, safeDecode } from '../evaluate.js';
import { zeroSpread } from '../advantages.js';
import { sampleSeed, byGroup, type Sample } from './sample.js';

export interface RolloutContext<E extends Example, P> {
  policy: LlamaForCausalLM;
  domain: WorldModelDomain<E, P>;
  train: E[];
  trainPrompts: number[][];
  reward: (prediction: P, example: E) => Promise<RewardResult>;
  c: GrpoConfig;
  seed: number;
  device: string;
  bf16: boolean;
  world: World;
}
export interface Timing {
  generate: number;
  reward: number;
  reference: number;
  update: number;
}

/** This rank's block of the n = prompts × G samples: [from, to). */
function shardOf(n: number, world: World, rank: number): number[] {
  const from = Math.floor((rank * n) / world.size),
    to = Math.floor(((rank + 1) * n) / world.size);
  return Array.from({ length: to - from }, (_, j) => from + j);
}

/** Rollout: this rank generates its block of the samples (k = group · G + index). */
export function generateGroups<E extends Example, P>(
  ctx: RolloutContext<E, P>,
  step: number,
  exampleIdx: number[],
  groupBase: number,
  mine: number[],
): Generation & { allowedRange?: [number, number] } {
  const { c, domain } = ctx,
    G = c.numGenerations;
  if (mine.length === 0) return { tokens: [], logprobs: [], finishReasons: [] };
  const prompts = mine.map((k) => ctx.trainPrompts[exampleIdx[Math.floor(k / G)]!]!);
  const cons = constraints(
    domain,
    mine.map((k) => ctx.train[exampleIdx[Math.floor(k / G)]!]!),
    c.maxCompletionLength,
  );
  const g = autocast(
    ctx.device,
    () =>
      generate(ctx.policy, prompts, {
        maxNewTokens: cons.maxNewTokens,
        temperature: c.temperature,
        topP: c.topP,
        topK: c.topK,
        stopTokens: [domain.codec.eosTokenId],
        padTokenId: domain.codec.padTokenId,
        sharePrefix: c.sharePrefix,
        seeds: mine.map((k) => sampleSeed(ctx.seed, step, groupBase + Math.floor(k / G), k % G)),
        forced: cons.forced,
        allowedRange: cons.allowedRange,
      }),
    { enabled: ctx.bf16 },
  );
  return { ...g, allowedRange: cons.allowedRange };
}

/** Score: decode each generated response and reward it. */
export async function scoreGroups<E extends Example, P>(
  ctx: RolloutContext<E, P>,
  g: ReturnType<typeof generateGroups>,
  exampleIdx: number[],
  groupBase: number,
  mine: number[],
): Promise<Sample[]> {
  const G = ctx.c.numGenerations;
  return Promise.all(
    mine.map(async (k, j): Promise<Sample> => {
      const exampleIndex = exampleIdx[Math.floor(k / G)]!;
      const example = ctx.train[exampleIndex]!;
      const response = g.tokens[j]!,
        given = g.given?.[j];
      const prediction = await safeDecode(ctx.domain, response, example);
      return {
        group: groupBase + Math.floor(k / G),
        prompt: ctx.trainPrompts[exampleIndex]!,
        response,
        oldLogp: g.logprobs[j]!,
        reward: await ctx.reward(prediction, example),
        advantage: 0,
        exampleIndex,
        responseLength: response.length,
        trainedTokens: given ? given.filter((x) => !x).length : response.length,
        ...(given ? { given } : {}),
        ...(g.allowedRange ? { allowedRange: g.allowedRange } : {}),
      };
    }),
  );
}

/** Rollout and score for `exampleIdx`; the other ranks' samples arrive as rewards and token counts (remote). */
export async function rolloutGroups<E extends Example, P>(
  ctx: RolloutContext<E, P>,
  step: number,
  exampleIdx: number[],
  groupBase: number,
  timing: Timing,
): Promise<Sample[]> {
  const { world } = ctx,
    G = ctx.c.numGenerations,
    n = exampleIdx.length * G;
  const mine = shardOf(n, world, world.rank);
  let t = Date.now();
  const g = generateGroups(ctx, step, exampleIdx, groupBase, mine);
  timing.generate += (Date.now() - t) / 1000;
  t = Date.now();
  const local = await scoreGroups(ctx, g, exampleIdx, groupBase, mine);
  timing.reward += (Date.now() - t) / 1000;
  if (!world.distributed) return local;
  const gathered = world.allGather(local.map((s) => [s.reward, s.responseLength!, s.trainedTokens!] as const));
  return gathered.flatMap((part, rank) =>
    rank === world.rank
      ? local
      : part.map(([reward, responseLength, trainedTokens], j): Sample => {
          const k = shardOf(n, world, rank)[j]!;
          return {
            group: groupBase + Math.floor(k / G),
            prompt: [],
            response: [],
            oldLogp: [],
            reward,
            advantage: 0,
            exampleIndex: exampleIdx[Math.floor(k / G)]!,
            remote: true,
            responseLength,
            trainedTokens,
          };
        }),
  );
}

/**
 * Rolls out promptsPerStep groups. With dynamic sampling, groups whose rewards have (near-)zero
 * spread are dropped and new prompts are rolled out until the batch is full or maxRounds
 * rounds have run; the batch is then cut to promptsPerStep groups.
 */
export async function collectRollouts(
  rollout: (prompts: number, groupBase: number) => Promise<Sample[]>,
  c: Pick<GrpoConfig, 'promptsPerStep' | 'numGenerations' | 'dynamicSampling'>,
): Promise<{ samples: Sample[]; all: Sample[]; groupsSeen: number; zeroGroups: number; rounds: number }> {
  const ds = c.dynamicSampling;
  const samples: Sample[] = [],
    all: Sample[] = [];
  let groupsSeen = 0,
    zeroGroups = 0,
    rounds = 0;
  while (true) {
    rounds++;
    const need = ds.enabled ? c.promptsPerStep - samples.length / c.numGenerations : c.promptsPerStep;
    const fresh = await rollout(need, groupsSeen);
    groupsSeen += need;
    all.push(...fresh);
    for (const group of byGroup(fresh)) {
      const flat = zeroSpread(
        group.map((s) => s.reward.score),
        ds.threshold,
      );
      if (flat) zeroGroups++;
      if (!ds.enabled || !flat) samples.push(...group);
    }
    if (!ds.enabled || samples.length >= c.promptsPerStep * c.numGenerations || rounds >= ds.maxRounds) break;
  }
  return { samples: samples.slice(0, c.promptsPerStep * c.numGenerations), all, groupsSeen, zeroGroups, rounds };
}
