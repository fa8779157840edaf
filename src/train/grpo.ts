// GRPO (RLVR) training of a world model from an MLE checkpoint, against a frozen reference:
// sample G predictions per prompt, score them with the verifiable reward, compute group
// advantages, and optimize PPO's clipped surrogate + β·KL(π‖π_ref) - c·entropy over
// mini-batches, with the sampling-time log-probabilities as the old policy.
import { scope, noGrad, manualSeed, setNumThreads, AdamW, clipGradNorm, autocast, tensor, Tensor } from '../tensor/index.js';
import { getWorld } from '../distributed/world.js';
import type { LlamaForCausalLM } from '../models/index.js';
import { generate } from '../generate/index.js';
import type { RunConfig, GrpoConfig } from '../config/schema.js';
import type { Example, WorldModelDomain, RewardResult } from '../domains/types.js';
import { combineRewards } from '../rewards/safe.js';
import { Rng } from '../util/random.js';
import { computeAdvantages, zeroSpread } from './advantages.js';
import { clippedSurrogate, klPenalty, aggregate } from './losses.js';
import { policyBatch } from './batch.js';
import { responseLogprobs } from './logprobs.js';
import { learningRate } from './schedule.js';
import { evaluate, encodePrompts, safeDecode, constraints } from './evaluate.js';
import { decayGroups } from './build-model.js';
import { saveCheckpoint, latestCheckpoint, readTrainerState, restoreOptimizerAndRng, loadCheckpointModel } from './checkpoint.js';
import { RunLog, summarize, prefix, type Metrics } from './metrics-log.js';
import type { TrainOptions, TrainResult } from './mle.js';

/** One sampled prediction with everything the update needs. */
export interface Sample {
  group: number;
  prompt: number[];
  response: number[];
  /** log-probabilities recorded at sampling time (old policy) */
  oldLogp: number[];
  /** response tokens that were given rather than generated (not trained on) */
  given?: boolean[];
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
  for (const p of parts) { h = Math.imul(h ^ (p >>> 0), 0x01000193); h ^= h >>> 15; }
  return h >>> 0;
}

/** The loss of one micro-batch; returns the statistics it logs. */
export function grpoLoss(policy: LlamaForCausalLM, refLogp: Tensor, samples: Sample[], c: GrpoConfig, pad: number, device: string, normalizer: number):
  { loss: Tensor; kl: number; entropy: number; clipFrac: number; tokens: number } {
  const b = policyBatch(samples.map((s) => s.prompt), samples.map((s) => s.response), pad, device, samples.map((s) => s.given ?? []));
  const { logp, entropy } = responseLogprobs(policy, b, c.temperature, true);
  const old = tensor(samples.map((s) => [...s.oldLogp, ...new Array(b.responseWidth - s.oldLogp.length).fill(0)]), { device });
  const adv = tensor(samples.map((s) => [s.advantage]), { device });
  const { loss: pg, clipped } = clippedSurrogate(logp, old, adv, c.epsilon, c.epsilonHigh);
  const kl = klPenalty(logp, refLogp, c.klEstimator);
  let perToken = pg;
  if (c.beta !== 0) perToken = perToken.add(kl.mul(c.beta));
  if (c.entropyCoef !== 0) perToken = perToken.sub(entropy!.mul(c.entropyCoef));
  const mask = b.lossMask;
  const count = mask.sum().item(), tokens = Math.max(count, 1);
  return {
    loss: aggregate(perToken, mask, c.lossType, normalizer),
    kl: kl.mul(mask).sum().item() / tokens,
    entropy: entropy!.mul(mask).sum().item() / tokens,
    clipFrac: clipped.float().mul(mask).sum().item() / tokens,
    tokens: count,
  };
}

/** aggregationCount() of a mini-batch, from its samples: trained tokens, or samples with any. */
export function lossCount(samples: Sample[], mode: GrpoConfig['lossType']): number {
  const trained = samples.map((s) => s.trainedTokens ?? s.response.filter((_, t) => !s.given?.[t]).length);
  return mode === 'token-mean' ? trained.reduce((a, b) => a + b, 0) : trained.filter((n) => n > 0).length;
}

/**
 * Rolls out promptsPerStep groups. With dynamic sampling, groups whose rewards have (near-)zero
 * spread are dropped and new prompts are rolled out until the batch is full or maxRounds
 * rounds have run; the batch is then cut to promptsPerStep groups.
 */
export async function collectRollouts(rollout: (prompts: number, groupBase: number) => Promise<Sample[]>, c: Pick<GrpoConfig, 'promptsPerStep' | 'numGenerations' | 'dynamicSampling'>):
  Promise<{ samples: Sample[]; all: Sample[]; groupsSeen: number; zeroGroups: number; rounds: number }> {
  const ds = c.dynamicSampling;
  const samples: Sample[] = [], all: Sample[] = [];
  let groupsSeen = 0, zeroGroups = 0, rounds = 0;
  while (true) {
    rounds++;
    const need = ds.enabled ? c.promptsPerStep - samples.length / c.numGenerations : c.promptsPerStep;
    const fresh = await rollout(need, groupsSeen);
    groupsSeen += need;
    all.push(...fresh);
    const byGroup = new Map<number, Sample[]>();
    for (const s of fresh) { if (!byGroup.has(s.group)) byGroup.set(s.group, []); byGroup.get(s.group)!.push(s); }
    for (const group of byGroup.values()) {
      const flat = zeroSpread(group.map((s) => s.reward.score), ds.threshold);
      if (flat) zeroGroups++;
      if (!ds.enabled || !flat) samples.push(...group);
    }
    if (!ds.enabled || samples.length >= c.promptsPerStep * c.numGenerations || rounds >= ds.maxRounds) break;
  }
  return { samples: samples.slice(0, c.promptsPerStep * c.numGenerations), all, groupsSeen, zeroGroups, rounds };
}

export async function trainGrpo<E extends Example, P>(cfg: RunConfig, domain: WorldModelDomain<E, P>, o: TrainOptions = {}): Promise<TrainResult> {
  // data parallel: every rank draws the same prompts; the step's samples are split into one
  // block per rank, rewards and token counts are gathered so that group advantages, dynamic
  // sampling and loss normalizers are global; gradients are summed over ranks
  const world = getWorld({ device: cfg.device, backend: cfg.distributed.backend, timeoutSeconds: cfg.distributed.timeoutSeconds });
  cfg = { ...cfg, device: world.trainingDevice(cfg.device) };
  const c = cfg.grpo;
  if (cfg.threads) setNumThreads(cfg.threads);
  manualSeed(cfg.seed);
  const log = new RunLog(cfg.runDir, o.quiet, world.isMain);
  const codec = domain.codec;
  const [train, test] = await Promise.all([domain.examples('train'), domain.examples('test')]);
  const trainPrompts = await encodePrompts(domain, train);
  const evalSet = test.slice(0, c.evalExamples);
  const evalPrompts = await encodePrompts(domain, evalSet);
  const weights = Object.keys(c.rewards).length ? c.rewards : { [domain.defaultReward]: 1 };
  const reward = combineRewards(domain.rewards, weights, (m) => log.info(m));

  const resumeFrom = o.resume ? latestCheckpoint(cfg.runDir) : null;
  const initFrom = cfg.init ?? cfg.model.from;
  if (!resumeFrom && !initFrom) throw new Error('config field init: GRPO starts from a checkpoint (the MLE run\'s checkpoint folder)');
  const st = resumeFrom ? readTrainerState(resumeFrom) : null;
  if (st && st.phase !== 'grpo') throw new Error(`${resumeFrom} is a ${st.phase} checkpoint, not a GRPO one`);
  const policy = loadCheckpointModel(resumeFrom ?? initFrom!, cfg.device);
  // the reference is the starting model, also on resume
  const refFrom = (st?.extra?.reference as string | undefined) ?? initFrom!;
  const reference = loadCheckpointModel(refFrom, cfg.device);
  policy.requiresGrad_();
  world.broadcastParams(policy.parameters());
  const opt = new AdamW(decayGroups(policy, c.weightDecay), { lr: c.learningRate });
  let start = 0;
  const jsRng = new Rng(cfg.seed + 12345);
  if (resumeFrom && st) {
    restoreOptimizerAndRng(resumeFrom, opt);
    start = st.step;
    jsRng.state = st.rng;
    log.truncateAfter(start);
    log.info(`resuming GRPO from ${resumeFrom} (step ${start})`);
  } else {
    log.info(`GRPO from ${initFrom}: ${policy.numParameters().toLocaleString()} parameters, G=${c.numGenerations}, ${c.promptsPerStep} prompts/step, ${c.steps} steps` +
      (world.size > 1 ? `, ${world.size} ranks (${world.backend})` : ''));
  }
  const maxNew = c.maxCompletionLength;
  // rank 0 writes; the others wait, so no rank reads a checkpoint before it exists
  const save = (step: number): void => {
    if (world.isMain) {
      saveCheckpoint({
        runDir: cfg.runDir, model: policy, optimizer: opt,
        state: { phase: 'grpo', step, rng: jsRng.state, config: cfg, extra: { reference: refFrom } }, writeExtras: o.writeExtras,
      });
    }
    world.barrier();
  };

  const runEval = async (step: number): Promise<Record<string, number>> => {
    const r = await evaluate(policy, domain, evalSet, { greedy: c.evalGreedy, topK: c.evalTopK, maxNewTokens: maxNew, world, bf16: cfg.bf16 }, evalPrompts);
    log.write({ step, phase: 'grpo-eval', ...prefix('eval/', r.metrics) });
    return r.metrics;
  };

  /**
   * G samples for each of `examples`, rewards scored, advantages not yet set. This rank
   * generates its block of the samples; each sample draws from its own seeded stream, so it
   * is the same sample whichever rank makes it. The others' samples arrive as rewards and
   * token counts (remote).
   */
  const rollout = async (step: number, exampleIdx: number[], groupBase: number, timing: { generate: number; reward: number }): Promise<Sample[]> => {
    const G = c.numGenerations;
    const shardOf = (rank: number): number[] => {
      const n = exampleIdx.length * G;
      const from = Math.floor((rank * n) / world.size), to = Math.floor(((rank + 1) * n) / world.size);
      return Array.from({ length: to - from }, (_, j) => from + j);
    };
    const mine = shardOf(world.rank);
    const prompts = mine.map((k) => trainPrompts[exampleIdx[Math.floor(k / G)]!]!);
    const cons = constraints(domain, mine.map((k) => train[exampleIdx[Math.floor(k / G)]!]!), maxNew);
    let t = Date.now();
    const g: { tokens: number[][]; logprobs: number[][]; given?: boolean[][] } = prompts.length === 0 ? { tokens: [], logprobs: [] } : autocast(cfg.device, () => generate(policy, prompts, {
      maxNewTokens: cons.maxNewTokens, temperature: c.temperature, topP: c.topP, topK: c.topK, stopTokens: [codec.eosTokenId], padTokenId: codec.padTokenId,
      seeds: mine.map((k) => sampleSeed(cfg.seed, step, groupBase + Math.floor(k / G), k % G)), forced: cons.forced, allowedRange: cons.allowedRange,
    }), { enabled: cfg.bf16 });
    timing.generate += (Date.now() - t) / 1000;
    t = Date.now();
    const local: Sample[] = await Promise.all(mine.map(async (k, j): Promise<Sample> => {
      const exampleIndex = exampleIdx[Math.floor(k / G)]!;
      const example = train[exampleIndex]!;
      const prediction = await safeDecode(domain, g.tokens[j]!, example);
      const response = g.tokens[j]!, given = g.given?.[j];
      return {
        group: groupBase + Math.floor(k / G), prompt: prompts[j]!, response, oldLogp: g.logprobs[j]!, reward: await reward(prediction, example),
        advantage: 0, exampleIndex, responseLength: response.length, trainedTokens: given ? given.filter((x) => !x).length : response.length,
        ...(given ? { given } : {}),
      };
    }));
    timing.reward += (Date.now() - t) / 1000;
    if (!world.distributed) return local;
    const gathered = world.allGather(local.map((s) => [s.reward, s.responseLength!, s.trainedTokens!] as const));
    return gathered.flatMap((part, rank) => rank === world.rank ? local : part.map(([rew, responseLength, trainedTokens], j): Sample => {
      const k = shardOf(rank)[j]!;
      return {
        group: groupBase + Math.floor(k / G), prompt: [], response: [], oldLogp: [], reward: rew, advantage: 0,
        exampleIndex: exampleIdx[Math.floor(k / G)]!, remote: true, responseLength, trainedTokens,
      };
    }));
  };

  let lastEval: Record<string, number> = {};
  if (start === 0) lastEval = await runEval(0);
  log.startProgress(c.steps, start, 'grpo');
  for (let step = start + 1; step <= c.steps; step++) {
    const timing = { generate: 0, reward: 0, reference: 0, update: 0 };
    const t0 = Date.now();
    // ---- rollout (with dynamic sampling: drop zero-spread groups, refill) ----
    const collected = await collectRollouts((n, base) => rollout(step, Array.from({ length: n }, () => jsRng.int(train.length)), base, timing), c);
    const { samples, groupsSeen, zeroGroups, rounds } = collected;
    const rewardsAll = collected.all.map((s) => s.reward);
    const adv = computeAdvantages(samples.map((s) => s.reward.score), samples.map((s) => s.group), c.advantageEstimator);
    samples.forEach((s, i) => { s.advantage = adv[i]!; });

    // ---- update ----
    const t1 = Date.now();
    const lr = learningRate(step - 1, c.steps, { lr: c.learningRate, warmupSteps: c.warmupSteps, schedule: c.lrSchedulerType });
    opt.lr = lr;
    let klSum = 0, entSum = 0, clipSum = 0, tokSum = 0, gradNorm = 0, updates = 0;
    if (samples.length > 0) {
      // reference log-probs once per rollout batch, for this rank's samples
      const refLogps: number[][] = new Array(samples.length);
      const localIdx = samples.map((s, i) => (s.remote ? -1 : i)).filter((i) => i >= 0);
      const chunk = c.microBatchSize > 0 ? c.microBatchSize : 32;
      for (let i = 0; i < localIdx.length; i += chunk) {
        const part = localIdx.slice(i, i + chunk).map((k) => samples[k]!);
        const rows = noGrad(() => scope(() => autocast(cfg.device, () => {
          const b = policyBatch(part.map((s) => s.prompt), part.map((s) => s.response), codec.padTokenId, cfg.device);
          return responseLogprobs(reference, b, c.temperature).logp.tolist() as number[][];
        }, { enabled: cfg.bf16 })));
        rows.forEach((r, k) => { refLogps[localIdx[i + k]!] = r.slice(0, part[k]!.response.length); });
      }
      timing.reference = (Date.now() - t1) / 1000;
      const t2 = Date.now();
      for (let epoch = 0; epoch < c.numIterations; epoch++) {
        const order = jsRng.shuffle(samples.map((_, i) => i));
        const mbSize = Math.ceil(order.length / c.miniBatches);
        for (let m = 0; m < order.length; m += mbSize) {
          const mb = order.slice(m, m + mbSize);
          const micro = c.microBatchSize > 0 ? c.microBatchSize : mb.length;
          // the mini-batch's denominator, so micro-batches add up to one loss
          const normalizer = Math.max(lossCount(mb.map((i) => samples[i]!), c.lossType), 1);
          const mineMb = mb.filter((i) => !samples[i]!.remote);
          for (let u = 0; u < mineMb.length; u += micro) {
            const part = mineMb.slice(u, u + micro).map((i) => samples[i]!);
            const partRef = mineMb.slice(u, u + micro).map((i) => refLogps[i]!);
            const stats = scope(() => {
              const width = Math.max(1, ...part.map((s) => s.response.length));
              const ref = tensor(partRef.map((r) => [...r.slice(0, width), ...new Array(Math.max(0, width - r.length)).fill(0)]), { device: cfg.device });
              const r = autocast(cfg.device, () => grpoLoss(policy, ref, part, c, codec.padTokenId, cfg.device, normalizer), { enabled: cfg.bf16 });
              r.loss.backward();
              return { kl: r.kl, entropy: r.entropy, clipFrac: r.clipFrac, tokens: r.tokens };
            });
            klSum += stats.kl * stats.tokens; entSum += stats.entropy * stats.tokens; clipSum += stats.clipFrac * stats.tokens; tokSum += stats.tokens;
          }
          world.allReduceGrads(policy.parameters());
          gradNorm = clipGradNorm(policy.parameters(), c.maxGradNorm);
          opt.step();
          opt.zeroGrad();
          updates++;
        }
      }
      timing.update = (Date.now() - t2) / 1000;
      if (world.size > 1) [klSum, entSum, clipSum, tokSum] = world.allReduceSum([klSum, entSum, clipSum, tokSum]) as [number, number, number, number];
    }

    // ---- log ----
    const scores = rewardsAll.map((r) => r.score);
    const mean = scores.reduce((a, b) => a + b, 0) / Math.max(scores.length, 1);
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(scores.length - 1, 1));
    const components: Metrics = {};
    for (const key of new Set(rewardsAll.flatMap((r) => Object.keys(r.components ?? {})))) {
      const v = rewardsAll.map((r) => r.components?.[key] ?? 0);
      const mu = v.reduce((a, b) => a + b, 0) / v.length;
      components[`reward/${key}/mean`] = mu;
      components[`reward/${key}/std`] = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(v.length - 1, 1));
    }
    const total = (Date.now() - t0) / 1000;
    const genTokens = samples.reduce((a, s) => a + (s.responseLength ?? s.response.length), 0);
    const m: Metrics = {
      'reward/mean': mean, 'reward/std': std, ...components,
      kl: tokSum ? klSum / tokSum : 0, entropy: tokSum ? entSum / tokSum : 0, clip_frac: tokSum ? clipSum / tokSum : 0,
      response_length: samples.length ? genTokens / samples.length : 0,
      zero_spread_groups: zeroGroups / Math.max(groupsSeen, 1),
      samples_used: samples.length, rollout_rounds: rounds, updates,
      tokens_per_s: genTokens / Math.max(total, 1e-9), lr, grad_norm: gradNorm,
      'time/generate': timing.generate, 'time/reward': timing.reward, 'time/reference': timing.reference, 'time/update': timing.update, 'time/step': total,
    };
    if (step % c.loggingSteps === 0 || step === c.steps) log.write({ step, phase: 'grpo', ...m });
    log.progress(step, summarize(m, ['reward/mean', 'kl', 'entropy', 'clip_frac']) + (lastEval.accuracy !== undefined ? ` | eval acc ${lastEval.accuracy.toFixed(3)}` : ''));
    if (step % c.samplesSteps === 0) {
      const shown = await Promise.all(samples.filter((s, i) => i % c.numGenerations === 0 && !s.remote).slice(0, c.numSamplesShown).map(async (s) => ({
        id: train[s.exampleIndex]!.id, prompt: await codec.text(s.prompt), prediction: await codec.text(s.response),
        truth: await codec.text(await codec.target(train[s.exampleIndex]!)), reward: s.reward.score,
      })));
      log.samples(step, 'GRPO samples', shown);
    }
    if (step % c.evalSteps === 0 || step === c.steps) lastEval = await runEval(step);
    if (step % c.saveSteps === 0 || step === c.steps) save(step);
  }
  log.stopProgress();
  if (start >= c.steps) lastEval = await runEval(c.steps);
  reference.dispose();
  // rank 0 decides (the others could race its writes), everyone joins save()'s barrier
  if (world.allReduceSum([world.isMain && !latestCheckpoint(cfg.runDir) ? 1 : 0])[0]) save(c.steps);
  const checkpoint = latestCheckpoint(cfg.runDir)!;
  return { model: policy, checkpoint, metrics: lastEval };
}
