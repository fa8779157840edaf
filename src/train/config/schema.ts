// The run configuration: YAML validated with zod. Names follow Hugging Face TRL's GRPOConfig
// (camelCased) where one exists; defaults follow the published RLVR-World recipe.
import { z } from 'zod';
import { ADVANTAGE_ESTIMATORS } from '../advantages.js';
import { POLICY_LOSSES, KL_ESTIMATORS, LOSS_AGGREGATIONS } from '../losses.js';

/** A count or a cadence: an integer ≥ 1 (0 or less would hang, loop, or train on nothing). */
const count = (d: number) => z.number().int().positive().default(d);
/** An integer ≥ 0, where 0 means none or off. */
const natural = (d: number) => z.number().int().min(0).default(d);
const pos = (d: number) => z.number().positive().default(d);
/** A zod enum of a registry's names: a new registry entry is a new config value. */
const names = <R extends Record<string, unknown>>(r: R) =>
  z.enum(Object.keys(r) as [keyof R & string, ...(keyof R & string)[]]);
/** AdamW's settings, named as Hugging Face's TrainingArguments names them. */
const adam = (beta2: number) => ({
  adamBeta1: z.number().min(0).lt(1).default(0.9),
  adamBeta2: z.number().min(0).lt(1).default(beta2),
  adamEpsilon: z.number().positive().default(1e-8),
});

export const ModelSchema = z
  .object({
    /** a Hugging Face checkpoint folder to start from (else a new model is built) */
    from: z.string().optional(),
    hiddenSize: z.number().int().positive().optional(),
    intermediateSize: z.number().int().positive().optional(),
    numHiddenLayers: z.number().int().positive().optional(),
    numAttentionHeads: z.number().int().positive().optional(),
    numKeyValueHeads: z.number().int().positive().optional(),
    maxPositionEmbeddings: z.number().int().positive().optional(),
    ropeTheta: z.number().positive().optional(),
    tieWordEmbeddings: z.boolean().optional(),
    modelType: z.enum(['llama', 'qwen2']).optional(),
    dtype: z.enum(['float32', 'bfloat16', 'float64']).default('float32'),
  })
  .strict();

export const MleSchema = z
  .object({
    steps: count(500),
    batchSize: count(32),
    learningRate: pos(1e-3),
    weightDecay: z.number().min(0).default(0.01),
    warmupSteps: natural(20),
    lrSchedulerType: z.enum(['cosine', 'constant']).default('cosine'),
    minLrRatio: z.number().min(0).max(1).default(0.1),
    /** the cosine decay's length in steps, after which the floor holds; 0 = the whole run */
    decaySteps: natural(0),
    maxGradNorm: pos(1.0),
    // β2 = 0.95, as nanoGPT and most LLM pre-training runs use
    ...adam(0.95),
    evalSteps: count(100),
    evalExamples: count(200),
    saveSteps: count(100),
    loggingSteps: count(10),
    samplesSteps: count(100),
    numSamplesShown: natural(3),
    /** wall-clock budget in seconds of training steps (evaluations and saves not counted): stop after the first step past it; 0 = none */
    maxSeconds: z.number().min(0).default(0),
  })
  .strict();

export const DynamicSamplingSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** groups whose reward range (max - min) is at most this are dropped */
    threshold: z.number().min(0).default(1e-6),
    /** most rollout rounds per step spent refilling the batch */
    maxRounds: count(3),
  })
  .strict();

export const GrpoSchema = z
  .object({
    steps: count(100),
    /** prompts per step (train_batch_size) */
    promptsPerStep: count(16),
    /** samples per prompt (G) */
    numGenerations: z.number().int().min(2, 'GRPO compares samples within a group: at least 2').default(5),
    temperature: pos(1.0),
    topP: z.number().gt(0).max(1).default(1.0),
    topK: natural(0),
    maxCompletionLength: count(256),
    advantageEstimator: names(ADVANTAGE_ESTIMATORS).default('grpo'),
    /** the policy-gradient loss (verl's policy_loss): vanilla PPO clip, or gspo's sequence ratio */
    policyLoss: names(POLICY_LOSSES).default('vanilla'),
    /** lower clip range ε */
    epsilon: z.number().min(0).lt(1).default(0.2),
    /** upper clip range */
    epsilonHigh: z.number().min(0).default(0.2),
    /** dual-clip bound for negative advantages (verl's clip_ratio_c, there 3); 0 = off */
    clipRatioC: z.union([z.literal(0), z.number().gt(1)]).default(0),
    /** mini-batches per rollout batch (PPO updates per epoch) */
    miniBatches: count(2),
    /** PPO epochs over each rollout batch */
    numIterations: count(1),
    /** samples per forward/backward inside a mini-batch (gradient accumulation); 0 = whole mini-batch */
    microBatchSize: natural(0),
    /** KL coefficient */
    beta: z.number().min(0).default(0.001),
    klEstimator: names(KL_ESTIMATORS).default('k3'),
    entropyCoef: z.number().default(0.001),
    lossType: names(LOSS_AGGREGATIONS).default('token-mean'),
    learningRate: pos(1e-6),
    weightDecay: z.number().min(0).default(0.01),
    maxGradNorm: pos(1.0),
    ...adam(0.999),
    warmupSteps: natural(0),
    lrSchedulerType: z.enum(['cosine', 'constant']).default('constant'),
    /** reward weights by name; empty = the domain's default reward */
    rewards: z.record(z.string(), z.number()).default({}),
    dynamicSampling: DynamicSamplingSchema.default(DynamicSamplingSchema.parse({})),
    /**
     * the G samples of a group share their prompt: it is prefilled once for sampling and run
     * once per group in each training and reference pass (same numbers, less compute)
     */
    sharePrefix: z.boolean().default(true),
    evalSteps: count(10),
    evalExamples: count(200),
    /** validation decoding: greedy, or sampling with evalTopK */
    evalGreedy: z.boolean().default(true),
    evalTopK: natural(0),
    /** headroom logged at each evaluation: pass@1 and pass@k of k samples (temperature 1) on the first evalPassExamples; 0 = off */
    evalPassK: natural(8),
    evalPassExamples: natural(32),
    saveSteps: count(20),
    loggingSteps: count(1),
    samplesSteps: count(10),
    numSamplesShown: natural(3),
  })
  .strict();

export const DistributedSchema = z
  .object({
    /** c10d backend: auto = NCCL on CUDA devices, Gloo on CPU */
    backend: z.enum(['auto', 'gloo', 'nccl']).default('auto'),
    /** how long a rank waits in a collective (or the rendezvous) before failing the run */
    timeoutSeconds: z.number().positive().default(600),
  })
  .strict();

export const RunSchema = z
  .object({
    domain: z.string().default('counter'),
    domainOptions: z.record(z.string(), z.unknown()).default({}),
    /** where checkpoints, metrics.jsonl and samples go */
    runDir: z.string().default('runs/default'),
    seed: z.number().int().default(0),
    device: z
      .string()
      .regex(/^(cpu|cuda(:\d+)?)$/, 'expected cpu, cuda or cuda:N')
      .default('cpu'),
    threads: z.number().int().positive().optional(),
    /** bfloat16 autocast for forward and backward passes on CUDA; weights and optimizer stay float32 */
    bf16: z.boolean().default(false),
    /** data-parallel settings; the world itself comes from rlvr-world launch (torchrun's variables) */
    distributed: DistributedSchema.default(DistributedSchema.parse({})),
    model: ModelSchema.default(ModelSchema.parse({})),
    /** for `train grpo`: the MLE run's checkpoint (or any HF folder) to start from */
    init: z.string().optional(),
    mle: MleSchema.default(MleSchema.parse({})),
    grpo: GrpoSchema.default(GrpoSchema.parse({})),
  })
  .strict();

export type RunConfig = z.infer<typeof RunSchema>;
export type MleConfig = z.infer<typeof MleSchema>;
export type GrpoConfig = z.infer<typeof GrpoSchema>;
