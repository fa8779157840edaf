// The state of a tabletop scene: a unit-square table seen from above (x right, y away from the
// robot), a bin along the far edge, a gripper, and 2–4 coloured blocks. Plain data, so a state
// can be copied, compared and stored; physics.ts moves it, render.ts draws it.
import { Rng } from '../../../core/util/rng.js';

export const COLORS = ['red', 'green', 'blue', 'yellow'] as const;
export type Color = (typeof COLORS)[number];

export type TaskKind = 'push-to-bin' | 'place-in-bin';
export const TASK_KINDS: readonly TaskKind[] = ['push-to-bin', 'place-in-bin'];
/** What the robot is asked to do; either way, success is the target block lying in the bin. */
export interface Task {
  kind: TaskKind;
  target: Color;
}

/** Half the side of a block's square footprint (table units; the table is [0,1]×[0,1]). */
export const BLOCK_HALF = 0.04;
/** Block height on the gripper's z scale: a gripper below it touches blocks, above it clears them. */
export const BLOCK_HEIGHT = 0.2;
/** Half the side of the gripper fingers' footprint, for contact. */
export const GRIPPER_HALF = 0.025;

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Block {
  /** index in scene.blocks */
  id: number;
  color: Color;
  /** centre of the square footprint */
  x: number;
  y: number;
  /** displacement per step, decaying with friction */
  vx: number;
  vy: number;
  /** fell into the bin: off the table for good, drawn inside the bin */
  inBin: boolean;
}

export interface Gripper {
  x: number;
  y: number;
  /** height in [0, 1]; below BLOCK_HEIGHT the fingers are among the blocks */
  z: number;
  closed: boolean;
  /** id of the grasped block, which moves with the gripper */
  holding: number | null;
}

export interface Scene {
  bin: Rect;
  gripper: Gripper;
  blocks: Block[];
}

/** The bin: the middle half of the far edge (y = 1); the table has no wall there. */
export const DEFAULT_BIN: Rect = { x0: 0.25, y0: 0.8, x1: 0.75, y1: 1 };

export const inRect = (r: Rect, x: number, y: number): boolean => x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1;

export function cloneScene(s: Scene): Scene {
  return { bin: { ...s.bin }, gripper: { ...s.gripper }, blocks: s.blocks.map((b) => ({ ...b })) };
}

export interface SceneSpec {
  blocks: { color: Color; x: number; y: number; inBin?: boolean }[];
  gripper?: Partial<Gripper>;
  bin?: Rect;
}

/** A scene laid out by hand (tests, demos). */
export function makeScene(spec: SceneSpec): Scene {
  return {
    bin: { ...(spec.bin ?? DEFAULT_BIN) },
    gripper: { x: 0.5, y: 0.2, z: 0.6, closed: false, holding: null, ...spec.gripper },
    blocks: spec.blocks.map((b, id) => ({ id, color: b.color, x: b.x, y: b.y, vx: 0, vy: 0, inBin: b.inBin ?? false })),
  };
}

export interface RandomSceneOptions {
  /** 2–4 */
  blocks?: number;
  /** a colour the scene must contain (a given task's target) */
  include?: Color;
}

/**
 * Blocks in the near part of the table, apart from each other and clear of the bin, so every
 * task needs some travel; the gripper starts up high, open. The number of draws from rng does
 * not depend on `include`, so a seed gives the same layout with or without a given task.
 */
export function randomScene(rng: Rng, opts: RandomSceneOptions = {}): Scene {
  const n = opts.blocks ?? 2 + rng.int(3);
  if (!Number.isInteger(n) || n < 1 || n > COLORS.length)
    throw new Error(`randomScene: blocks must be 1–${COLORS.length} (got ${n})`);
  const colors = rng.shuffle([...COLORS]).slice(0, n);
  if (opts.include && !colors.includes(opts.include)) colors[n - 1] = opts.include;
  const gap = 2 * BLOCK_HALF + 0.04;
  const placed: { x: number; y: number }[] = [];
  for (let tries = 0; placed.length < n; tries++) {
    if (tries > 10_000) throw new Error('randomScene: could not place the blocks apart');
    const x = 0.1 + 0.8 * rng.next(),
      y = 0.1 + 0.5 * rng.next();
    if (placed.every((p) => Math.max(Math.abs(p.x - x), Math.abs(p.y - y)) >= gap)) placed.push({ x, y });
  }
  const gripper = { x: 0.2 + 0.6 * rng.next(), y: 0.1 + 0.4 * rng.next(), z: 0.6 };
  return makeScene({ blocks: placed.map((p, i) => ({ color: colors[i]!, ...p })), gripper });
}

export function targetBlock(s: Scene, task: Task): Block {
  const b = s.blocks.find((b) => b.color === task.target);
  if (!b) throw new Error(`no ${task.target} block in the scene (has ${s.blocks.map((b) => b.color).join(', ')})`);
  return b;
}

export function success(s: Scene, task: Task): boolean {
  return targetBlock(s, task).inBin;
}
