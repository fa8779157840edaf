// The contract between the trainers and a domain (docs/architecture.md): examples, a codec
// between examples and tokens, named rewards and named metrics. Domains implement it.
import type { LlamaConfigInput } from '../core/models/index.js';

export type Split = 'train' | 'test';

/**
 * One transition of a domain. The trainer reads only its id: what the model sees and what it
 * should predict are the domain's own fields, reached through its codec and rewards.
 */
export interface Example {
  /** unique and stable, used in logs and to name failures */
  id: string;
}

/** What a reward returns: a score, and optionally its named parts (for logging). */
export interface RewardResult {
  score: number;
  components?: Record<string, number>;
}
/** What a scorer may declare beside its function (`Object.assign(fn, { worst: -1 })`). */
export interface WorstValue {
  /**
   * The worst score it gives (an unparseable prediction's): what it scores when it throws or
   * returns a non-finite score, so a failure never scores better than a real answer. Default
   * 0, the floor of rewards in [0, 1]; a reward that can go below 0 (an error, negated) must
   * declare it.
   */
  worst?: number;
}
/**
 * A verifiable reward: a pure function of the decoded prediction and the example. It may be
 * async. It should never throw; if it does, the trainer scores its `worst` and logs the
 * example once.
 */
export type Reward<E extends Example = Example, P = unknown> = ((
  prediction: P,
  example: E,
) => RewardResult | number | Promise<RewardResult | number>) &
  WorstValue;
/**
 * A metric is evaluated like a reward (per example, then averaged), but reported, not
 * optimized. It returns null for examples it does not apply to (e.g. accuracy on dynamic
 * transitions only); the average is then over the examples it applies to. A lower-is-better
 * metric declares its `worst` as a reward does.
 */
export type Metric<E extends Example = Example, P = unknown> = ((
  prediction: P,
  example: E,
) => RewardResult | number | null | Promise<RewardResult | number | null>) &
  WorstValue;

export interface GenerationConstraints {
  /** forced[t]: the t-th new token when it is given, else null */
  forced?: (number | null)[];
  /** sampled tokens come from [lo, hi) */
  allowedRange?: [number, number];
  /** response length (overrides the configured maximum) */
  maxNewTokens?: number;
}

/** Tokens in, prediction out. decode() never throws: garbage decodes to an unparseable prediction. */
export interface Codec<E extends Example = Example, P = unknown> {
  readonly vocabSize: number;
  readonly eosTokenId: number;
  readonly padTokenId: number;
  prompt(example: E): Promise<number[]> | number[];
  /** the target tokens, ending with eosTokenId */
  target(example: E): Promise<number[]> | number[];
  decode(tokens: number[], example: E): Promise<P> | P;
  /**
   * per target token: true where it is given by the environment rather than predicted (the
   * true actions between predicted video frames); given tokens are not trained on
   */
  given?(example: E): boolean[];
  /** constraints on generating an example's response (forced given tokens, the sampled id range, its length) */
  generation?(example: E): GenerationConstraints;
  /** human-readable text of tokens (logs, sample tables) */
  text(tokens: number[]): Promise<string> | string;
}

export interface WorldModelDomain<E extends Example = Example, P = unknown> {
  name: string;
  examples(split: Split): Promise<E[]>;
  /** which training examples GRPO samples prompts from (default: all of them) */
  rlPrompt?(example: E): boolean;
  codec: Codec<E, P>;
  rewards: Record<string, Reward<E, P>>;
  metrics: Record<string, Metric<E, P>>;
  /** the reward optimized when the config names none */
  defaultReward: string;
  /** the metric that says whether a model is better (progress lines, diagnostics, reports) */
  primaryMetric: string;
  /** 'min' when lower values of the primary metric are better (errors); default 'max' */
  primaryMetricGoal?: 'max' | 'min';
  /** model size suggested for this domain when a run builds a model from scratch */
  suggestedModel?: Partial<LlamaConfigInput>;
  /**
   * The example as text for other RL engines (the verl export): the prompt a chat model sees
   * and the ground truth its reward reads (the `serve-reward` verifier of the same name).
   */
  asText?: (example: E) => { prompt: string; groundTruth: string };
  /** verl's `ability` column */
  ability?: string;
}
