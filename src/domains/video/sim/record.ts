// Rollouts of a policy in the simulator, recorded as episodes in the published layout, and
// many of them written to a folder with an index.
//
// Frame/action convention (as the published .npz pairs them): frames[t] is the observation
// BEFORE action t, so an episode of T steps holds T frames and T actions, and the frame after
// the last action is not in it (a rollout returns it separately as finalFrame).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../../core/util/rng.js';
import { writeEpisode, type Episode } from '../episodes.js';
import { cloneScene, randomScene, success, TASK_KINDS, type Scene, type Task, type TaskKind } from './scene.js';
import { ACTION_DIM, step } from './physics.js';
import { render } from './render.js';
import { POLICIES, POLICY_NAMES, type Policy, type PolicyName } from './policies.js';

export interface RolloutOptions {
  seed: number;
  /** default: drawn from the seed (kind, and a colour among the scene's blocks) */
  task?: Task;
  policy: PolicyName | Policy;
  /** T, the number of actions (and of frames) */
  steps?: number;
  height?: number;
  width?: number;
  /** 2–4; default drawn from the seed */
  blocks?: number;
  /** only draw tasks of these kinds (default: both) */
  kinds?: readonly TaskKind[];
  /** keep the T + 1 scene states (before each action, and the last) */
  keepStates?: boolean;
}

export interface Rollout {
  episode: Episode;
  task: Task;
  policy: PolicyName;
  seed: number;
  /** the target block is in the bin at the end (it never leaves the bin once in) */
  success: boolean;
  /** the t whose action put the target in the bin: frames from t + 1 on show it there */
  successStep: number | null;
  /** the observation after the last action */
  finalFrame: Uint8Array;
  states?: Scene[];
}

/**
 * One episode. The seed fixes the scene and the task first, the policy's draws after, so every
 * policy run with a seed faces the same scene and task.
 */
export function rollout(opts: RolloutOptions): Rollout {
  const { seed, steps = 40, height = 64, width = 64 } = opts;
  const policy = typeof opts.policy === 'string' ? POLICIES[opts.policy] : opts.policy;
  if (!policy) throw new Error(`rollout: unknown policy '${String(opts.policy)}' (known: ${POLICY_NAMES.join(', ')})`);
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`rollout: steps must be a positive integer (got ${steps})`);
  const rng = new Rng(seed);
  let scene = randomScene(rng, { blocks: opts.blocks, include: opts.task?.target });
  const kinds = opts.kinds ?? TASK_KINDS;
  if (kinds.length === 0) throw new Error('rollout: kinds is empty');
  // both draws always happen, so a given task does not shift the policy's random stream
  const kind = rng.pick(kinds),
    target = rng.pick(scene.blocks).color;
  const task: Task = opts.task ?? { kind, target };

  const frameSize = height * width * 3;
  const frames = new Uint8Array(steps * frameSize),
    actions = new Float32Array(steps * ACTION_DIM);
  const states: Scene[] | undefined = opts.keepStates ? [] : undefined;
  let successStep: number | null = null;
  for (let t = 0; t < steps; t++) {
    render(scene, { height, width }, frames.subarray(t * frameSize, (t + 1) * frameSize));
    states?.push(cloneScene(scene));
    const a = policy(scene, task, rng);
    actions.set(a, t * ACTION_DIM);
    // the recorded (float32) action is the one applied, so replaying the file reproduces the episode
    scene = step(scene, actions.subarray(t * ACTION_DIM, (t + 1) * ACTION_DIM));
    if (successStep === null && success(scene, task)) successStep = t;
  }
  states?.push(cloneScene(scene));
  return {
    episode: { frames, actions, length: steps, height, width, actionDim: ACTION_DIM },
    task,
    policy: policy.policyName,
    seed,
    success: success(scene, task),
    successStep,
    finalFrame: render(scene, { height, width }),
    ...(states ? { states } : {}),
  };
}

export interface GenerateOptions extends Omit<RolloutOptions, 'seed' | 'policy' | 'task'> {
  count: number;
  seed: number;
  /** relative weights of the policies (default: all expert) */
  policyMix?: Partial<Record<PolicyName, number>>;
}

/** Episodes one at a time, each with its own seed and policy drawn from `seed`. */
export function* iterateEpisodes(opts: GenerateOptions): Generator<Rollout> {
  const { count, seed, policyMix = { expert: 1 }, ...rest } = opts;
  const mix = POLICY_NAMES.map((p) => [p, policyMix[p] ?? 0] as const).filter(([, w]) => w > 0);
  const total = mix.reduce((a, [, w]) => a + w, 0);
  if (!(total > 0) || mix.some(([, w]) => !Number.isFinite(w)))
    throw new Error(`generateEpisodes: policyMix needs a positive finite weight (got ${JSON.stringify(policyMix)})`);
  const rng = new Rng(seed);
  for (let i = 0; i < count; i++) {
    const epSeed = rng.int(2 ** 32);
    let u = rng.next() * total,
      name = mix[mix.length - 1]![0];
    for (const [p, w] of mix) {
      if (u < w) {
        name = p;
        break;
      }
      u -= w;
    }
    yield rollout({ ...rest, seed: epSeed, policy: name });
  }
}

export const generateEpisodes = (opts: GenerateOptions): Rollout[] => [...iterateEpisodes(opts)];

export interface IndexEntry {
  file: string;
  seed: number;
  policy: PolicyName;
  task: Task;
  success: boolean;
  successStep: number | null;
  length: number;
  height: number;
  width: number;
}

/**
 * Writes episode-00000.npz, episode-00001.npz, … into dir, and index.json listing each file's
 * task, policy and outcome. Takes an iterator too, so episodes need not all be in memory.
 */
export function saveEpisodes(dir: string, rollouts: Iterable<Rollout>): IndexEntry[] {
  mkdirSync(dir, { recursive: true });
  const index: IndexEntry[] = [];
  for (const r of rollouts) {
    const file = `episode-${String(index.length).padStart(5, '0')}.npz`;
    writeEpisode(join(dir, file), r.episode);
    const { length, height, width } = r.episode;
    index.push({
      file,
      seed: r.seed,
      policy: r.policy,
      task: r.task,
      success: r.success,
      successStep: r.successStep,
      length,
      height,
      width,
    });
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  return index;
}
