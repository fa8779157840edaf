// Maximum-likelihood training of the world model: next-token loss on the target tokens
// only, length-bucketed batches, AdamW with warmup + cosine/constant, gradient clipping,
// periodic evaluation with the domain's metrics, atomic checkpoints and exact resume.
import { scope, manualSeed, setNumThreads, AdamW, clipGradNorm, F } from '../tensor/index.js';
import type { LlamaForCausalLM } from '../models/index.js';
import type { RunConfig } from '../config/schema.js';
import type { Example, WorldModelDomain } from '../domains/types.js';
import { Rng } from '../util/random.js';
import { mleBatch, IGNORE_INDEX } from './batch.js';
import { learningRate } from './schedule.js';
import { evaluate } from './evaluate.js';
import { buildModel, decayGroups } from './build-model.js';
import { saveCheckpoint, latestCheckpoint, readTrainerState, restoreOptimizerAndRng, loadCheckpointModel } from './checkpoint.js';
import { RunLog, summarize, prefix, type Metrics } from './metrics-log.js';

export interface TrainOptions { resume?: boolean; quiet?: boolean; writeExtras?: (dir: string) => void }
export interface TrainResult { model: LlamaForCausalLM; checkpoint: string; metrics: Record<string, number> }

interface Encoded { prompt: number[]; target: number[] }

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

export async function trainMle<E extends Example, P>(cfg: RunConfig, domain: WorldModelDomain<E, P>, o: TrainOptions = {}): Promise<TrainResult> {
  const c = cfg.mle;
  if (cfg.threads) setNumThreads(cfg.threads);
  manualSeed(cfg.seed);
  const log = new RunLog(cfg.runDir, o.quiet);
  const [train, test] = await Promise.all([domain.examples('train'), domain.examples('test')]);
  if (train.length === 0) throw new Error(`domain ${domain.name}: no training examples`);
  const encoded: Encoded[] = await Promise.all(train.map(async (e) => ({ prompt: await domain.codec.prompt(e), target: await domain.codec.target(e) })));
  const lengths = encoded.map((e) => e.prompt.length + e.target.length);
  const maxTarget = Math.max(...encoded.map((e) => e.target.length));
  const evalSet = test.slice(0, c.evalExamples);

  let model: LlamaForCausalLM;
  let start = 0;
  const resumeFrom = o.resume ? latestCheckpoint(cfg.runDir) : null;
  if (resumeFrom) {
    const st = readTrainerState(resumeFrom);
    if (st.phase !== 'mle') throw new Error(`${resumeFrom} is a ${st.phase} checkpoint, not an MLE one`);
    model = loadCheckpointModel(resumeFrom, cfg.device);
    start = st.step;
  } else {
    model = buildModel(cfg, domain, Math.max(...lengths) + 16);
  }
  model.requiresGrad_();
  const opt = new AdamW(decayGroups(model, c.weightDecay), { lr: c.learningRate, betas: [0.9, 0.95] });
  if (resumeFrom) {
    restoreOptimizerAndRng(resumeFrom, opt);
    log.truncateAfter(start);
    log.info(`resuming MLE from ${resumeFrom} (step ${start})`);
  } else {
    log.info(`MLE: ${model.numParameters().toLocaleString()} parameters, ${train.length} training examples, ${c.steps} steps`);
  }

  const batchesPerEpoch = epochBatches(lengths, c.batchSize, cfg.seed, 0).length;
  let cachedEpoch = -1, batches: number[][] = [];
  const save = (step: number): string => saveCheckpoint({ runDir: cfg.runDir, model, optimizer: opt, state: { phase: 'mle', step, rng: 0, config: cfg }, writeExtras: o.writeExtras });
  const runEval = async (step: number): Promise<Record<string, number>> => {
    const r = await evaluate(model, domain, evalSet, { greedy: true, maxNewTokens: maxTarget + 16 });
    log.write({ step, phase: 'mle-eval', ...prefix('eval/', r.metrics) });
    const shown = await Promise.all(r.rows.slice(0, c.numSamplesShown).map(async (row) => ({
      id: row.example.id, prompt: await domain.codec.text(await domain.codec.prompt(row.example)), prediction: await domain.codec.text(row.tokens),
      truth: await domain.codec.text(await domain.codec.target(row.example)), reward: row.scores[Object.keys(row.scores)[0]!] ?? 0,
    })));
    if (step % c.samplesSteps === 0 || step === c.steps) log.samples(step, 'MLE greedy predictions', shown);
    return r.metrics;
  };

  let lastEval: Record<string, number> = {};
  log.startProgress(c.steps, start, 'mle');
  let tokens = 0, t0 = Date.now();
  for (let step = start + 1; step <= c.steps; step++) {
    const epoch = Math.floor((step - 1) / batchesPerEpoch);
    if (epoch !== cachedEpoch) { batches = epochBatches(lengths, c.batchSize, cfg.seed, epoch); cachedEpoch = epoch; }
    const rows = batches[(step - 1) % batchesPerEpoch]!.map((i) => encoded[i]!);
    const lr = learningRate(step - 1, c.steps, { lr: c.learningRate, warmupSteps: c.warmupSteps, schedule: c.lrSchedulerType, minLrRatio: c.minLrRatio });
    opt.lr = lr;
    const { loss, gradNorm, targetTokens } = scope(() => {
      const b = mleBatch(rows, domain.codec.padTokenId, cfg.device);
      const logits = model.forward(b.ids);
      const l = F.crossEntropy(logits.reshape(-1, logits.size(-1)), b.labels.reshape(-1), { ignoreIndex: IGNORE_INDEX });
      l.backward();
      const gn = clipGradNorm(model.parameters(), c.maxGradNorm);
      opt.step();
      opt.zeroGrad();
      return { loss: l.item(), gradNorm: gn, targetTokens: b.targetTokens };
    });
    tokens += targetTokens;
    if (step % c.loggingSteps === 0 || step === c.steps) {
      const secs = (Date.now() - t0) / 1000;
      const m: Metrics = { loss, lr, grad_norm: gradNorm, epoch, target_tokens_per_s: tokens / Math.max(secs, 1e-9) };
      log.write({ step, phase: 'mle', ...m });
      log.progress(step, summarize(m, ['loss', 'lr', 'grad_norm']) + (lastEval.accuracy !== undefined ? ` | eval acc ${lastEval.accuracy.toFixed(3)}` : ''));
      tokens = 0; t0 = Date.now();
    }
    if (step % c.evalSteps === 0 || step === c.steps) lastEval = await runEval(step);
    if (step % c.saveSteps === 0 || step === c.steps) save(step);
  }
  log.stopProgress();
  if (start >= c.steps) lastEval = await runEval(c.steps);
  const checkpoint = latestCheckpoint(cfg.runDir) ?? save(c.steps);
  return { model, checkpoint, metrics: lastEval };
}

