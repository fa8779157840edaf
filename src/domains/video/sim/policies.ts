// Scripted policies at four skill levels. They read the true scene (no perception) and replan
// from it every step, so the expert recovers from whatever happened; rng is their only source
// of randomness, which keeps a rollout a function of its seed.
import { Rng } from '../../../core/util/rng.js';
import { BLOCK_HALF, BLOCK_HEIGHT, GRIPPER_HALF, targetBlock, type Scene, type Task } from './scene.js';
import { MAX_LIFT, MAX_MOVE, type Action } from './physics.js';

export type PolicyName = 'expert' | 'noisy' | 'weak' | 'random';
/** A policy is a function with its name and skill (higher is better) attached. */
export type Policy = ((scene: Scene, task: Task, rng: Rng) => Action) & {
  readonly policyName: PolicyName;
  readonly skill: number;
};

/** Heights the scripts work at: travelling clear of the blocks, carrying, and at the table. */
const SAFE_Z = 0.25,
  CARRY_Z = 0.35,
  LOW_Z = 0.1;

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** The action moving the gripper straight toward (x, y, z) as fast as allowed. */
function toward(s: Scene, x: number, y: number, z: number, grip: number): Action {
  const g = s.gripper;
  let ax = (x - g.x) / MAX_MOVE,
    ay = (y - g.y) / MAX_MOVE;
  const n = Math.hypot(ax, ay);
  if (n > 1) {
    ax /= n;
    ay /= n;
  }
  return [ax, ay, clamp((z - g.z) / MAX_LIFT, -1, 1), grip];
}

/** An approximately standard normal draw (Box–Muller). */
export function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

const randomAction = (rng: Rng): Action => [
  2 * rng.next() - 1,
  2 * rng.next() - 1,
  2 * rng.next() - 1,
  2 * rng.next() - 1,
];

/** Where in the bin to aim a block at (x, y): straight ahead if the bin is, else its nearest part. */
function binGoal(s: Scene, x: number): [number, number] {
  const m = 2 * BLOCK_HALF;
  return [clamp(x, s.bin.x0 + m, s.bin.x1 - m), (s.bin.y0 + s.bin.y1) / 2];
}

/**
 * Push: stand just behind the block on the line from the bin through it, lower the fingers,
 * and drive along that line; contact pushes the block along the motion, so it goes straight in.
 */
function expertPush(s: Scene, task: Task): Action {
  const g = s.gripper,
    b = targetBlock(s, task);
  if (g.holding !== null) return [0, 0, 1, -1];
  const [gx, gy] = binGoal(s, b.x);
  let ux = gx - b.x,
    uy = gy - b.y;
  const n = Math.hypot(ux, uy);
  ux /= n;
  uy /= n;
  // the contact square's boundary along -u, plus a hair so lowering does not touch it
  const k = (BLOCK_HALF + GRIPPER_HALF) / Math.max(Math.abs(ux), Math.abs(uy)) + 0.01;
  const bx = b.x - k * ux,
    by = b.y - k * uy;
  const off = Math.hypot(bx - g.x, by - g.y);
  // in place (or nearly, after a disturbance): drive through a point just ahead of it, which
  // steers the gripper back onto the line while pushing
  if (off < 0.03 && g.z < BLOCK_HEIGHT) {
    const a = toward(s, bx + ux * MAX_MOVE, by + uy * MAX_MOVE, LOW_Z, -1),
      m = Math.hypot(a[0], a[1]);
    return [a[0] / m, a[1] / m, a[2], -1];
  }
  // travel above the blocks; go down only once in place, or the descent could hit the block
  return toward(s, bx, by, off < 0.015 ? LOW_Z : SAFE_Z, -1);
}

/** Place: over the block, down, close, up, over the bin, open. */
function expertPlace(s: Scene, task: Task): Action {
  const g = s.gripper,
    b = targetBlock(s, task);
  if (g.holding === b.id) {
    if (g.z < BLOCK_HEIGHT) return [0, 0, 1, 1]; // lift clear before moving, not dragging through others
    const [dx, dy] = binGoal(s, g.x);
    if (Math.hypot(dx - g.x, dy - g.y) < 0.02) return [0, 0, 0, -1];
    return toward(s, dx, dy, CARRY_Z, 1);
  }
  if (g.holding !== null) return [0, 0, 1, -1];
  const off = Math.hypot(b.x - g.x, b.y - g.y);
  if (off < 0.02 && g.z < BLOCK_HEIGHT) return [0, 0, 0, g.closed ? -1 : 1]; // closed on nothing: open, then try again
  return toward(s, b.x, b.y, off < 0.02 ? LOW_Z : SAFE_Z, -1);
}

function expertAct(s: Scene, task: Task): Action {
  if (targetBlock(s, task).inBin) return [0, 0, 1, -1]; // done: back off, open
  return task.kind === 'push-to-bin' ? expertPush(s, task) : expertPlace(s, task);
}

/** The expert with Gaussian action noise and, now and then, a random action instead. */
function noisyAct(s: Scene, task: Task, rng: Rng): Action {
  if (rng.next() < 0.08) return randomAction(rng);
  const a = expertAct(s, task);
  return [a[0] + 0.3 * gaussian(rng), a[1] + 0.3 * gaussian(rng), a[2] + 0.3 * gaussian(rng), a[3]];
}

/**
 * Goes for the target without a plan: pushes from wherever it first touches the block (so the
 * block goes wherever that line points), grasps when roughly above it, lets go too early.
 */
function weakAct(s: Scene, task: Task, rng: Rng): Action {
  const g = s.gripper,
    b = targetBlock(s, task);
  const off = Math.hypot(b.x - g.x, b.y - g.y);
  let a: Action;
  if (task.kind === 'push-to-bin') {
    // down to the block by the shortest way, then straight for the bin from wherever it touched
    const [gx, gy] = binGoal(s, g.x);
    a = off > 0.1 ? toward(s, b.x, b.y, LOW_Z, -1) : toward(s, gx, gy, LOW_Z, -1);
  } else if (g.holding === b.id) {
    // carries straight ahead, bin or no bin, and lets go early, as soon as the far edge looks
    // close, and now and then on the way
    const dy = (s.bin.y0 + s.bin.y1) / 2;
    a = toward(s, g.x, dy, CARRY_Z, dy - g.y < 0.35 || rng.next() < 0.3 ? -1 : 1);
  } else a = toward(s, b.x, b.y, off < 0.05 ? LOW_Z : SAFE_Z, off < 0.08 && rng.next() < 0.5 ? 1 : -1);
  return [a[0] + 0.7 * gaussian(rng), a[1] + 0.7 * gaussian(rng), a[2] + 0.5 * gaussian(rng), a[3]];
}

const policy = (policyName: PolicyName, skill: number, act: (s: Scene, t: Task, rng: Rng) => Action): Policy =>
  Object.assign((s: Scene, t: Task, rng: Rng) => act(s, t, rng).map((v) => clamp(v, -1, 1)) as Action, {
    policyName,
    skill,
  });

export const expert = policy('expert', 3, expertAct);
export const noisy = policy('noisy', 2, noisyAct);
export const weak = policy('weak', 1, weakAct);
export const random = policy('random', 0, (_s, _t, rng) => randomAction(rng));

export const POLICIES: Readonly<Record<PolicyName, Policy>> = { expert, noisy, weak, random };
export const POLICY_NAMES = Object.keys(POLICIES) as PolicyName[];
