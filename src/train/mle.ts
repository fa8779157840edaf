// Maximum-likelihood training of the world model: next-token loss on the target tokens
// only, length-bucketed batches, AdamW with warmup + cosine/constant, gradient clipping,
// periodic evaluation with the domain's metrics, atomic checkpoints and exact resume.
// With `init`, training continues from another run's checkpoint (see below); with
// mle.maxSeconds, it stops once that much wall-clock time was spent in training steps.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scope, manualSeed, setNumThreads, AdamW, clipGradNorm, autocast, F } from '../core/tensor/index.js';
import { getWorld, type World } from '../core/distributed/world.js';
import type { LlamaForCausalLM } from '../core/models/index.js';
import type { RunConfig } from './config/schema.js';
import type { Example, WorldModelDomain } from './domain.js';
import { Rng } from '../core/util/rng.js';
import { mleBatch, IGNORE_INDEX } from './batch.js';
import { learningRate } from './schedule.js';
import { evaluate } from './evaluate.js';
import { buildModel, decayGroups } from './build-model.js';
import {
  saveCheckpoint,
  latestCheckpoint,
  readTrainerState,
  restoreOptimizerAndRng,
  loadCheckpointModel,
} from './checkpoint.js';
import { RunLog, prefix, type Metrics } from './metrics-log.js';
import { trainingLoop } from './loop.js';
import { openRun, type RunStart } from './run-dir.js';

export interface TrainOptions {
  /** continue the run folder's newest complete checkpoint (see run-dir.ts) */
  resume?: boolean;
  /** start a new run in a folder holding an earlier one, which is moved aside */
  overwrite?: boolean;
  quiet?: boolean;
  writeExtras?: (dir: string) => void;
}
export interface TrainResult {
  model: LlamaForCausalLM;
  checkpoint: string;
  metrics: Record<string, number>;
  /** MLE: the last step, the steps this call ran, and the seconds spent in training steps (all calls of the run) */
  steps?: number;
  stepsRun?: number;
  trainSeconds?: number;
}

interface Encoded {
  prompt: number[];
  target: number[];
  given?: boolean[];
}

/** Batches of one epoch: shuffled, grouped by length within windows, batch order shuffled. */
function epochBatches(lengths: number[], batchSize: number, seed: number, epoch: number): number[][] {
  const rng = new Rng((seed * 1000003 + epoch * 7919 + 17) >>> 0);
  const idx = rng.shuffle(lengths.map((_, i) => i));
  const window = batchSize * 32;
  const batches: number[][] = [];
  for (let w = 0; w < idx.length; w += window) {
    const chunk = idx.slice(w, w + window).sort((a, b) => lengths[a]! - lengths[b]!);
    for (let b = 0; b < chunk.length; b += batchSize) batches.push(chunk.slice(b, b + batchSize));
  }
  return rng.shuffle(batches);
}

export async function trainMle<E extends Example, P>(
  cfg: RunConfig,
  domain: WorldModelDomain<E, P>,
  o: TrainOptions = {},
): Promise<TrainResult> {
  // data parallel: every rank sees the same global batch and trains on its block of rows;
  // gradients are summed over ranks, rank 0 writes logs and checkpoints
  const world = getWorld({
    device: cfg.device,
    backend: cfg.distributed.backend,
    timeoutSeconds: cfg.distributed.timeoutSeconds,
  });
  const run = openRun(world, cfg.runDir, o);
  try {
    return await mle({ ...cfg, device: world.trainingDevice(cfg.device) }, domain, o, world, run);
  } finally {
    run.release();
  }
}

async function mle<E extends Example, P>(
  cfg: RunConfig,
  domain: WorldModelDomain<E, P>,
  o: TrainOptions,
  world: World,
  run: RunStart,
): Promise<TrainResult> {
  const c = cfg.mle;
  if (cfg.threads) setNumThreads(cfg.threads);
  manualSeed(cfg.seed);
  const log = new RunLog(cfg.runDir, o.quiet, world.isMain);
  for (const note of run.notes) log.info(note);
  if (run.restart) log.truncateAfter(-1);
  const [train, test] = await Promise.all([domain.examples('train'), domain.examples('test')]);
  if (train.length === 0) throw new Error(`domain ${domain.name}: no training examples`);
  const encoded: Encoded[] = await Promise.all(
    train.map(async (e) => ({
      prompt: await domain.codec.prompt(e),
      target: await domain.codec.target(e),
      given: domain.codec.given?.(e),
    })),
  );
  const lengths = encoded.map((e) => e.prompt.length + e.target.length);
  const maxTarget = Math.max(...encoded.map((e) => e.target.length));
  const evalSet = test.slice(0, c.evalExamples);

  let model: LlamaForCausalLM;
  let start = 0,
    trainSeconds = 0;
  const resumeFrom = run.resumeFrom;
  // Continuing from cfg.init: its weights. An MLE checkpoint also brings its optimizer moments,
  // RNG and step, so the run goes on exactly as that run would have (same data order, step
  // numbers and schedule position); any other folder starts a fresh optimizer at step 0.
  const initFrom = resumeFrom ? undefined : cfg.init;
  const initState = initFrom && existsSync(join(initFrom, 'trainer.json')) ? readTrainerState(initFrom) : null;
  const initMle = initState?.phase === 'mle' && existsSync(join(initFrom!, 'optimizer.safetensors'));
  if (resumeFrom) {
    const st = readTrainerState(resumeFrom);
    if (st.phase !== 'mle') throw new Error(`${resumeFrom} is a ${st.phase} checkpoint, not an MLE one`);
    model = loadCheckpointModel(resumeFrom, cfg.device);
    start = st.step;
    trainSeconds = Number(st.extra?.trainSeconds ?? 0);
  } else if (initFrom) {
    model = loadCheckpointModel(initFrom, cfg.device);
    if (initMle) start = initState!.step;
    if (start >= c.steps)
      throw new Error(
        `config field mle.steps: ${c.steps} must exceed the step of init ${initFrom} (${start}); steps continue its count`,
      );
  } else {
    model = buildModel(cfg, domain, Math.max(...lengths) + 16);
  }
  model.requiresGrad_();
  world.broadcastParams(model.parameters());
  const opt = new AdamW(decayGroups(model, c.weightDecay), {
    lr: c.learningRate,
    betas: [c.adamBeta1, c.adamBeta2],
    eps: c.adamEpsilon,
  });
  if (resumeFrom) {
    restoreOptimizerAndRng(resumeFrom, opt);
    log.truncateAfter(start);
    log.info(`resuming MLE from ${resumeFrom} (step ${start})`);
  } else if (initFrom) {
    if (initMle) restoreOptimizerAndRng(initFrom, opt);
    log.info(
      `MLE continuing from ${initFrom} (step ${start}, ${initMle ? 'its optimizer state' : 'a fresh optimizer'}): ${train.length} training examples, to step ${c.steps}` +
        (c.maxSeconds > 0 ? ` or ${c.maxSeconds} s` : ''),
    );
  } else {
    log.info(
      `MLE: ${model.numParameters().toLocaleString()} parameters, ${train.length} training examples, ${c.steps} steps` +
        (c.maxSeconds > 0 ? ` or ${c.maxSeconds} s` : '') +
        (world.size > 1 ? `, ${world.size} ranks (${world.backend})` : ''),
    );
  }

  const batchesPerEpoch = epochBatches(lengths, c.batchSize, cfg.seed, 0).length;
  let cachedEpoch = -1,
    batches: number[][] = [];
  // rank 0 writes; the others wait, so no rank reads a checkpoint before it exists
  const save = (step: number): void => {
    if (world.isMain)
      saveCheckpoint({
        runDir: cfg.runDir,
        model,
        optimizer: opt,
        state: { phase: 'mle', step, rng: 0, config: cfg, extra: { trainSeconds } },
        writeExtras: o.writeExtras,
      });
    world.barrier();
  };
  // the sample table shows each prediction's primary metric (MLE optimizes no reward)
  const shownMetric = domain.primaryMetric;
  const runEval = async (step: number, final: boolean): Promise<Record<string, number>> => {
    const r = await evaluate(model, domain, evalSet, {
      greedy: true,
      maxNewTokens: maxTarget + 16,
      world,
      bf16: cfg.bf16,
    });
    log.write({ step, phase: 'mle-eval', ...prefix('eval/', r.metrics) });
    const shown = await Promise.all(
      r.rows.slice(0, c.numSamplesShown).map(async (row) => ({
        id: row.example.id,
        prompt: await domain.codec.text(await domain.codec.prompt(row.example)),
        prediction: await domain.codec.text(row.tokens),
        truth: await domain.codec.text(await domain.codec.target(row.example)),
        score: row.scores[shownMetric] ?? 0,
      })),
    );
    if (step % c.samplesSteps === 0 || final) log.samples(step, 'MLE greedy predictions', shown, shownMetric);
    return r.metrics;
  };

  const budgetSpent = (): boolean => c.maxSeconds > 0 && trainSeconds >= c.maxSeconds;
  let tokens = 0,
    t0 = Date.now();
  const step = async (n: number): Promise<Metrics> => {
    const stepStart = performance.now();
    const epoch = Math.floor((n - 1) / batchesPerEpoch);
    if (epoch !== cachedEpoch) {
      batches = epochBatches(lengths, c.batchSize, cfg.seed, epoch);
      cachedEpoch = epoch;
    }
    const rows = batches[(n - 1) % batchesPerEpoch]!.map((i) => encoded[i]!);
    // the loss is a sum over this rank's target tokens divided by the global batch's count,
    // so the summed gradients are the gradient of the global mean
    const globalTokens = rows.reduce((a, r) => a + (r.given ? r.given.filter((g) => !g).length : r.target.length), 0);
    const [from, to] = world.shard(rows.length);
    const mine = rows.slice(from, to);
    const lr = learningRate(n - 1, c.steps, {
      lr: c.learningRate,
      warmupSteps: c.warmupSteps,
      schedule: c.lrSchedulerType,
      minLrRatio: c.minLrRatio,
      decaySteps: c.decaySteps,
    });
    opt.lr = lr;
    const { localLoss, gradNorm } = scope(() => {
      let localLoss = 0;
      if (mine.length > 0) {
        const b = mleBatch(mine, domain.codec.padTokenId, cfg.device);
        const l = autocast(
          cfg.device,
          () => {
            const logits = model.forward(b.ids);
            return F.crossEntropy(logits.reshape(-1, logits.size(-1)).float(), b.labels.reshape(-1), {
              ignoreIndex: IGNORE_INDEX,
              reduction: 'sum',
            }).div(globalTokens);
          },
          { enabled: cfg.bf16 },
        );
        l.backward();
        localLoss = l.item();
      }
      world.allReduceGrads(model.parameters());
      const gn = clipGradNorm(model.parameters(), c.maxGradNorm);
      opt.step();
      opt.zeroGrad();
      return { localLoss, gradNorm: gn };
    });
    const loss = world.size > 1 ? world.allReduceSum([localLoss])[0]! : localLoss;
    tokens += globalTokens;
    // rank 0's clock decides, so that every rank stops at the same step
    trainSeconds += (performance.now() - stepStart) / 1000;
    if (world.size > 1 && c.maxSeconds > 0) trainSeconds = world.allReduceSum([world.isMain ? trainSeconds : 0])[0]!;
    // throughput over the steps since the last logged one
    let throughput: number | null = null;
    if (n % c.loggingSteps === 0 || n === c.steps || budgetSpent()) {
      throughput = tokens / Math.max((Date.now() - t0) / 1000, 1e-9);
      tokens = 0;
      t0 = Date.now();
    }
    return { loss, lr, grad_norm: gradNorm, epoch, target_tokens_per_s: throughput };
  };

  const r = await trainingLoop({
    phase: 'mle',
    steps: c.steps,
    start,
    log,
    world,
    runDir: cfg.runDir,
    loggingSteps: c.loggingSteps,
    evalSteps: c.evalSteps,
    saveSteps: c.saveSteps,
    progressKeys: ['loss', 'lr', 'grad_norm'],
    primaryMetric: domain.primaryMetric,
    budgetSpent,
    step,
    evaluate: runEval,
    save,
  });
  const last = r.lastStep,
    lastEval = r.lastEval;
  if (last > start) {
    log.info(
      `MLE: ran steps ${start + 1}..${last} (${last - start}), ${trainSeconds.toFixed(1)} s in training steps` +
        (last < c.steps ? ` (stopped by the ${c.maxSeconds} s budget)` : ''),
    );
  }
  const checkpoint = latestCheckpoint(cfg.runDir)!;
  return { model, checkpoint, metrics: lastEval, steps: last, stepsRun: last - start, trainSeconds };
}
