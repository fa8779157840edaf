// What a domain folder gives the rest of the framework, beyond the trainer's contract
// (train/domain.ts): how to build its data, how the reward service and the verl export score
// plain text, and the settings of its demo. The registry holds one per domain.
import type { z } from 'zod';
import type { RewardResult, WorldModelDomain } from '../train/domain.js';
import { firstIssue } from '../core/util/zod-issue.js';

/** A malformed request (ground truth, options): the caller's error, never the model's. */
export class BadRequest extends Error {}

/**
 * Scores model text against a serialized ground truth, without building the domain: what
 * `rlvr-world serve-reward` offers other RL engines (verl's compute_score(data_source,
 * solution_str, ground_truth)). Model text never throws (garbage scores the reward's worst);
 * a malformed ground truth throws BadRequest.
 */
export interface Verifier {
  /** reward names, the first is the default */
  rewards: string[];
  /** per reward, its worst score: what it scores when it throws or gives a non-finite score (default 0) */
  worst?: Record<string, number>;
  score(reward: string, text: string, groundTruth: unknown): RewardResult;
}

/** The headroom diagnosis a demo runs on each model: examples, samples per prompt, the k of pass@k. */
export interface HeadroomProfile {
  examples: number;
  samples: number;
  ks: number[];
}

/** A demo profile: the run settings of `rlvr-world demo <domain>` (the generic pipeline reads these fields). */
export interface DemoProfile {
  domainOptions?: object;
  model?: object;
  /** config sections, validated by the run config's schema */
  mle: object;
  grpo: object;
  /** the headroom diagnosis before and after RL */
  headroom?: HeadroomProfile;
}

export interface DomainPlugin<O extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  /** one line for `rlvr-world info` and help texts */
  description: string;
  /** the domain for these options (options are checked: a wrong field is named) */
  create(options: O): WorldModelDomain<any, any> | Promise<WorldModelDomain<any, any>>;
  /** `rlvr-world data <name>`: builds the domain's data into options.dataDir (reused while its recipe is unchanged) */
  buildData?(options: O & { dataDir: string }): Promise<void>;
  verifier?: Verifier;
  /** `rlvr-world demo <name>`: a short profile and the default one */
  demo?: { quick: DemoProfile; full: DemoProfile };
}

/** Checks domain options against a zod schema, naming the wrong field. */
export function parseOptions<S extends z.ZodType>(domain: string, schema: S, options: unknown): z.infer<S> {
  const r = schema.safeParse(options ?? {});
  if (!r.success) throw new Error(`${domain} domain option ${firstIssue(r.error, '(root)')}`);
  return r.data;
}

/** A ground truth as the verl export writes it (a JSON string or the object), checked. */
export function parseGroundTruth<T>(schema: z.ZodType<T>, gt: unknown): T {
  let v = gt;
  if (typeof gt === 'string') {
    try {
      v = JSON.parse(gt);
    } catch {
      throw new BadRequest('ground_truth is not valid JSON');
    }
  }
  const r = schema.safeParse(v);
  if (!r.success) throw new BadRequest(`ground_truth.${firstIssue(r.error, '(root)')}`);
  return r.data;
}
