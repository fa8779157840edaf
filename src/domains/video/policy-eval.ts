// Policy evaluation inside a video world model: scripted policies act on FRAMES (block
// positions seen by colour, the gripper known from its own actions — vision plus
// proprioception), once in the real simulator and once in the world model, which replaces the
// simulator after the context frames. Success in the simulator comes from its state; in the
// world model, from the last predicted frame (the target's colour seen in the bin). The
// question: does the world model rank the policies as reality does?
import { noGrad, scope, tensor, type Tensor } from '../../core/tensor/index.js';
import { framesTensor } from './models/conv-model.js';
import type { LlamaForCausalLM } from '../../core/models/index.js';
import { generate } from '../../core/generate/index.js';
import { Rng } from '../../core/util/rng.js';
import { ActionBins } from './actions.js';
import { actionTokens, videoVocab } from './codec.js';
import {
  BLOCK_RGB,
  COLORS,
  POLICIES,
  cloneScene,
  inRect,
  randomScene,
  render,
  step,
  success,
  TASK_KINDS,
  type Color,
  type PolicyName,
  type Scene,
  type Task,
} from './sim/index.js';
import type { FrameTokenizer } from './models/frame-tokenizer.js';

/** Block positions (and whether in the bin) read from a frame by colour; absent colours are left out. */
export function perceiveBlocks(
  frame: Uint8Array,
  height: number,
  width: number,
  bin: Scene['bin'],
): Map<Color, { x: number; y: number; inBin: boolean }> {
  const out = new Map<Color, { x: number; y: number; inBin: boolean }>();
  for (const color of COLORS) {
    const [r, g, b] = BLOCK_RGB[color];
    let sx = 0,
      sy = 0,
      n = 0,
      binCount = 0;
    for (let p = 0; p < height * width; p++) {
      const R = frame[p * 3]!,
        G = frame[p * 3 + 1]!,
        B = frame[p * 3 + 2]!;
      // the block's colour on the table, or dimmed (×0.7) lying in the bin
      const full = Math.abs(R - r) + Math.abs(G - g) + Math.abs(B - b) < 90;
      const dim = Math.abs(R - 0.7 * r) + Math.abs(G - 0.7 * g) + Math.abs(B - 0.7 * b) < 60;
      if (!full && !dim) continue;
      const x = ((p % width) + 0.5) / width,
        y = 1 - (Math.floor(p / width) + 0.5) / height;
      sx += x;
      sy += y;
      n++;
      if (inRect(bin, x, y)) binCount++;
    }
    if (n >= 3) out.set(color, { x: sx / n, y: sy / n, inBin: binCount > n / 2 });
  }
  return out;
}

/**
 * A policy that sees frames: its belief of the scene takes the blocks from each frame and the
 * gripper from simulating its own actions (the fingers' proprioception).
 */
export class FramePolicy {
  private belief: Scene;
  constructor(
    readonly name: PolicyName,
    start: Scene,
    readonly task: Task,
    private readonly rng: Rng,
    private readonly h: number,
    private readonly w: number,
  ) {
    this.belief = cloneScene(start);
  }

  act(frame: Uint8Array): number[] {
    const seen = perceiveBlocks(frame, this.h, this.w, this.belief.bin);
    for (const b of this.belief.blocks) {
      if (this.belief.gripper.holding === b.id) continue; // a held block moves with the gripper
      const s = seen.get(b.color);
      if (s) {
        b.x = s.x;
        b.y = s.y;
        b.inBin = s.inBin || b.inBin;
        b.vx = b.vy = 0;
      }
    }
    const a = POLICIES[this.name](this.belief, this.task, this.rng);
    this.belief = step(this.belief, a);
    return Array.from(a);
  }
}

export interface PolicyEvalOptions {
  policies?: PolicyName[];
  episodes: number;
  steps: number;
  contextFrames: number;
  height: number;
  width: number;
  seed: number;
  /** sampling of the world model's frames */
  topK?: number;
  temperature?: number;
  batchSize?: number;
}

export interface PolicyEvalRow {
  policy: PolicyName;
  real: number;
  worldModel: number;
  episodes: number;
}

/** Spearman's rank correlation, ties given their average rank. */
export function spearman(a: number[], b: number[]): number {
  const ranks = (v: number[]): number[] => {
    const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
      for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const ra = ranks(a),
    rb = ranks(b),
    n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n,
    mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0,
    da = 0,
    db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da === 0 || db === 0 ? NaN : num / Math.sqrt(da * db);
}

interface Episode {
  policy: PolicyName;
  seed: number;
  scene: Scene;
  task: Task;
  actor: FramePolicy;
}

function startEpisode(policy: PolicyName, seed: number, o: PolicyEvalOptions): Episode {
  const rng = new Rng(seed);
  const scene = randomScene(rng);
  const task: Task = { kind: rng.pick(TASK_KINDS), target: rng.pick(scene.blocks).color };
  return {
    policy,
    seed,
    scene,
    task,
    actor: new FramePolicy(policy, scene, task, new Rng(seed ^ 0x5bd1e995), o.height, o.width),
  };
}

/** The same episodes in the real simulator: success from the simulator's state. */
export function evaluateInSimulator(o: PolicyEvalOptions): Map<PolicyName, number> {
  const out = new Map<PolicyName, number>();
  for (const policy of o.policies ?? (['expert', 'noisy', 'weak', 'random'] as PolicyName[])) {
    let wins = 0;
    for (let i = 0; i < o.episodes; i++) {
      const ep = startEpisode(policy, o.seed + i, o);
      let scene = ep.scene;
      for (let t = 0; t < o.steps; t++)
        scene = step(scene, ep.actor.act(render(scene, { height: o.height, width: o.width })));
      if (success(scene, ep.task)) wins++;
    }
    out.set(policy, wins / o.episodes);
  }
  return out;
}

/**
 * The episodes inside a single-step world model: the first contextFrames frames come from the
 * simulator (the policy acting there), then every frame is the model's prediction from the
 * last contextFrames frames and actions, and the policy acts on it.
 */
export function evaluateInWorldModel(
  model: LlamaForCausalLM,
  tokenizer: FrameTokenizer,
  bins: ActionBins,
  o: PolicyEvalOptions,
): Map<PolicyName, number> {
  const vocab = videoVocab(tokenizer.codebookSize, bins.bins);
  const policies = o.policies ?? (['expert', 'noisy', 'weak', 'random'] as PolicyName[]);
  const episodes = policies.flatMap((p) =>
    Array.from({ length: o.episodes }, (_, i) => startEpisode(p, o.seed + i, o)),
  );
  const C = o.contextFrames,
    n = tokenizer.tokensPerFrame,
    hw3 = o.height * o.width * 3;
  // per episode: frame tokens and action tokens so far, and the last frame the policy saw
  const frames: number[][][] = episodes.map(() => []),
    actions: number[][][] = episodes.map(() => []);
  const last: Uint8Array[] = new Array(episodes.length);
  const encode = (imgs: Uint8Array[]): number[][] =>
    noGrad(() =>
      scope(() => tokenizer.encode(framesTensor(imgs, o.height, o.width, tokenizer.device)).tolist() as number[][]),
    );
  // context: the simulator
  episodes.forEach((ep, i) => {
    let scene = ep.scene;
    const imgs: Uint8Array[] = [];
    for (let t = 0; t < C; t++) {
      const img = render(scene, { height: o.height, width: o.width });
      imgs.push(img);
      const a = ep.actor.act(img);
      actions[i]!.push(actionTokens(bins, vocab, a));
      scene = step(scene, a);
    }
    frames[i]!.push(...encode(imgs));
  });
  const bs = o.batchSize ?? 64;
  for (let t = C; t < o.steps + 1; t++) {
    for (let s = 0; s < episodes.length; s += bs) {
      const idx = Array.from({ length: Math.min(bs, episodes.length - s) }, (_, k) => s + k);
      const prompts = idx.map((i) => [
        ...frames[i]!.slice(-C).flatMap((f, k) => [...f, ...actions[i]!.slice(-C)[k]!]),
        vocab.bos,
      ]);
      const g = generate(model, prompts, {
        maxNewTokens: n,
        temperature: o.temperature ?? 1,
        topK: o.topK ?? 100,
        allowedRange: [0, vocab.codes],
        seeds: idx.map((i) => (episodes[i]!.seed * 1000 + t) >>> 0),
      });
      const decoded = noGrad(() => scope(() => tokenizer.decode(tensorOf(g.tokens)).to('cpu').toArray() as Uint8Array));
      idx.forEach((i, k) => {
        frames[i]!.push(g.tokens[k]!);
        last[i] = decoded.slice(k * hw3, (k + 1) * hw3);
        if (t < o.steps) actions[i]!.push(actionTokens(bins, vocab, episodes[i]!.actor.act(last[i]!)));
      });
    }
  }
  const out = new Map<PolicyName, number>();
  policies.forEach((p, pi) => {
    let wins = 0;
    for (let k = 0; k < o.episodes; k++) {
      const i = pi * o.episodes + k,
        ep = episodes[i]!;
      if (perceiveBlocks(last[i]!, o.height, o.width, ep.scene.bin).get(ep.task.target)?.inBin) wins++;
    }
    out.set(p, wins / o.episodes);
  });
  return out;
}

const tensorOf = (ids: number[][]): Tensor => tensor(ids, { dtype: 'int64' });
