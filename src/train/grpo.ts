// GRPO (RLVR) training of a world model from an MLE checkpoint, against a frozen reference.
// Each step runs the phases in grpo/: rollout (G samples per prompt) → score (the verifiable
// reward) → advantages (per group) → reference log-probs (skipped when β = 0) → update (PPO's
// clipped surrogate + β·KL(π‖π_ref) - c·entropy over mini-batches, the sampling-time
// log-probabilities as the old policy). The loop around them (log, evaluate, save, resume)
// is the one MLE uses.
import { manualSeed, setNumThreads, AdamW } from '../core/tensor/index.js';
import { getWorld, type World } from '../core/distributed/world.js';
import type { RunConfig } from './config/schema.js';
import type { Example, WorldModelDomain } from './domain.js';
import { combineRewards } from './safe.js';
import { Rng } from '../core/util/rng.js';
import { evaluate, encodePrompts } from './evaluate.js';
import { decayGroups } from './build-model.js';
import { saveCheckpoint, readTrainerState, restoreOptimizerAndRng, loadCheckpointModel } from './checkpoint.js';
import { learningRate } from './schedule.js';
import { RunLog, prefix, type Metrics } from './metrics-log.js';
import { trainingLoop } from './loop.js';
import { openRun, type RunStart } from './run-dir.js';
import { headroom } from './diagnose.js';
import { rolloutGroups, collectRollouts, type RolloutContext, type Timing } from './grpo/rollout.js';
import { referenceLogprobs } from './grpo/reference.js';
import { assignAdvantages, updatePolicy } from './grpo/update.js';
import { stepMetrics } from './grpo/step-metrics.js';
import type { TrainOptions, TrainResult } from './mle.js';

export { sampleSeed, type Sample } from './grpo/sample.js';
export { collectRollouts } from './grpo/rollout.js';
export { grpoLoss, lossCount, miniBatches } from './grpo/update.js';

export async function trainGrpo<E extends Example, P>(
  cfg: RunConfig,
  domain: WorldModelDomain<E, P>,
  o: TrainOptions = {},
): Promise<TrainResult> {
  // data parallel: every rank draws the same prompts; the step's samples are split into one
  // block per rank, rewards and token counts are gathered so that group advantages, dynamic
  // sampling and loss normalizers are global; gradients are summed over ranks
  const world = getWorld({
    device: cfg.device,
    backend: cfg.distributed.backend,
    timeoutSeconds: cfg.distributed.timeoutSeconds,
  });
  const run = openRun(world, cfg.runDir, o);
  try {
    return await grpo({ ...cfg, device: world.trainingDevice(cfg.device) }, domain, o, world, run);
  } finally {
    run.release();
  }
}

async function grpo<E extends Example, P>(
  cfg: RunConfig,
  domain: WorldModelDomain<E, P>,
  o: TrainOptions,
  world: World,
  run: RunStart,
): Promise<TrainResult> {
  const c = cfg.grpo;
  if (cfg.threads) setNumThreads(cfg.threads);
  manualSeed(cfg.seed);
  const log = new RunLog(cfg.runDir, o.quiet, world.isMain);
  for (const note of run.notes) log.info(note);
  if (run.restart) log.truncateAfter(-1);
  const codec = domain.codec;
  const [allTrain, test] = await Promise.all([domain.examples('train'), domain.examples('test')]);
  const train = domain.rlPrompt ? allTrain.filter((e) => domain.rlPrompt!(e)) : allTrain;
  if (!train.length) throw new Error('GRPO: the domain selects no training example as a prompt (rlPrompt)');
  if (train.length < allTrain.length) log.info(`GRPO prompts: ${train.length} of ${allTrain.length} training examples`);
  const trainPrompts = await encodePrompts(domain, train);
  const evalSet = test.slice(0, c.evalExamples);
  const evalPrompts = await encodePrompts(domain, evalSet);
  const weights = Object.keys(c.rewards).length ? c.rewards : { [domain.defaultReward]: 1 };
  const reward = combineRewards(domain.rewards, weights, (m) => log.info(m));

  const resumeFrom = run.resumeFrom;
  const initFrom = cfg.init ?? cfg.model.from;
  if (!resumeFrom && !initFrom)
    throw new Error("config field init: GRPO starts from a checkpoint (the MLE run's checkpoint folder)");
  const st = resumeFrom ? readTrainerState(resumeFrom) : null;
  if (st && st.phase !== 'grpo') throw new Error(`${resumeFrom} is a ${st.phase} checkpoint, not a GRPO one`);
  const policy = loadCheckpointModel(resumeFrom ?? initFrom!, cfg.device, { vocabSize: codec.vocabSize });
  // the reference is the starting model, also on resume; with β = 0 there is no KL term and no reference pass
  const refFrom = (st?.extra?.reference as string | undefined) ?? initFrom!;
  const reference = c.beta !== 0 ? loadCheckpointModel(refFrom, cfg.device) : null;
  policy.requiresGrad_();
  world.broadcastParams(policy.parameters());
  const opt = new AdamW(decayGroups(policy, c.weightDecay), {
    lr: c.learningRate,
    betas: [c.adamBeta1, c.adamBeta2],
    eps: c.adamEpsilon,
  });
  let start = 0;
  const rng = new Rng(cfg.seed + 12345);
  if (resumeFrom && st) {
    restoreOptimizerAndRng(resumeFrom, opt);
    start = st.step;
    rng.state = st.rng;
    log.truncateAfter(start);
    log.info(`resuming GRPO from ${resumeFrom} (step ${start})`);
  } else {
    log.info(
      `GRPO from ${initFrom}: ${policy.numParameters().toLocaleString()} parameters, G=${c.numGenerations}, ${c.promptsPerStep} prompts/step, ${c.steps} steps` +
        (world.size > 1 ? `, ${world.size} ranks (${world.backend})` : ''),
    );
  }

  const ctx: RolloutContext<E, P> = {
    policy,
    domain,
    train,
    trainPrompts,
    reward,
    c,
    seed: cfg.seed,
    device: cfg.device,
    bf16: cfg.bf16,
    world,
  };
  const pass = {
    temperature: c.temperature,
    pad: codec.padTokenId,
    device: cfg.device,
    sharePrefix: c.sharePrefix,
    bf16: cfg.bf16,
  };
  let shown: { id: string; prompt: string; prediction: string; truth: string; score: number }[] = [];

  const step = async (n: number): Promise<Metrics> => {
    const timing: Timing = { generate: 0, reward: 0, reference: 0, update: 0 };
    const t0 = Date.now();
    // rollout + score (with dynamic sampling: drop zero-spread groups, refill)
    const collected = await collectRollouts(
      (k, base) =>
        rolloutGroups(
          ctx,
          n,
          Array.from({ length: k }, () => rng.int(train.length)),
          base,
          timing,
        ),
      c,
    );
    const { samples } = collected;
    assignAdvantages(samples, c);
    opt.lr = learningRate(n - 1, c.steps, {
      lr: c.learningRate,
      warmupSteps: c.warmupSteps,
      schedule: c.lrSchedulerType,
    });
    let t = Date.now();
    const refLogps =
      reference && samples.length
        ? referenceLogprobs(reference, samples, c.microBatchSize > 0 ? c.microBatchSize : 32, pass)
        : null;
    timing.reference = (Date.now() - t) / 1000;
    t = Date.now();
    const u = samples.length
      ? updatePolicy(
          { policy, opt, world, c, pad: codec.padTokenId, device: cfg.device, bf16: cfg.bf16, rng },
          samples,
          refLogps,
        )
      : null;
    timing.update = (Date.now() - t) / 1000;
    if (n % c.samplesSteps === 0) {
      shown = await Promise.all(
        samples
          .filter((s, i) => i % c.numGenerations === 0 && !s.remote)
          .slice(0, c.numSamplesShown)
          .map(async (s) => ({
            id: train[s.exampleIndex]!.id,
            prompt: await codec.text(s.prompt),
            prediction: await codec.text(s.response),
            truth: await codec.text(await codec.target(train[s.exampleIndex]!)),
            score: s.reward.score,
          })),
      );
    }
    return stepMetrics(collected, u, timing, (Date.now() - t0) / 1000, { lr: opt.lr, klLogged: reference !== null });
  };

  const evaluateAt = async (n: number): Promise<Record<string, number>> => {
    const r = await evaluate(
      policy,
      domain,
      evalSet,
      { greedy: c.evalGreedy, topK: c.evalTopK, maxNewTokens: c.maxCompletionLength, world, bf16: cfg.bf16 },
      evalPrompts,
    );
    // headroom on a fixed subset with fixed seeds: does RL turn pass@k into pass@1? (rank 0 only: it only logs)
    const passSet = evalSet.slice(0, c.evalPassExamples);
    const h =
      c.evalPassK > 0 && passSet.length && world.isMain
        ? await headroom(policy, domain, passSet, {
            k: c.evalPassK,
            temperature: c.temperature,
            maxNewTokens: c.maxCompletionLength,
            reward: Object.keys(weights).length === 1 ? Object.keys(weights)[0] : undefined,
            seed: cfg.seed,
            bf16: cfg.bf16,
            prompts: evalPrompts.slice(0, passSet.length),
          })
        : null;
    const passMetrics = h
      ? {
          'pass@1': h['pass@1'],
          [`pass@${h.k}`]: h['pass@K'],
          'reward@1': h['reward@1'],
          [`reward@${h.k}`]: h['reward@K'],
        }
      : {};
    log.write({
      step: n,
      phase: 'grpo-eval',
      ...prefix('eval/', r.metrics),
      ...prefix('eval/', passMetrics as Record<string, number>),
    });
    return r.metrics;
  };

  // rank 0 writes; the others wait, so no rank reads a checkpoint before it exists
  const save = (n: number): void => {
    if (world.isMain) {
      saveCheckpoint({
        runDir: cfg.runDir,
        model: policy,
        optimizer: opt,
        state: { phase: 'grpo', step: n, rng: rng.state, config: cfg, extra: { reference: refFrom } },
        writeExtras: o.writeExtras,
      });
    }
    world.barrier();
  };

  const r = await trainingLoop({
    phase: 'grpo',
    steps: c.steps,
    start,
    log,
    world,
    runDir: cfg.runDir,
    loggingSteps: c.loggingSteps,
    evalSteps: c.evalSteps,
    saveSteps: c.saveSteps,
    evalAtStart: true,
    progressKeys: ['reward/mean', 'kl', 'entropy', 'clip_frac'],
    primaryMetric: domain.primaryMetric,
    step,
    evaluate: evaluateAt,
    save,
    afterStep: async (n) => {
      if (n % c.samplesSteps === 0) log.samples(n, 'GRPO samples', shown);
    },
  });
  reference?.dispose();
  return { model: policy, checkpoint: r.checkpoint, metrics: r.lastEval };
}
