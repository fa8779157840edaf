// One control step of the tabletop: kinematic pushing (no masses, no rotation), a little
// sliding after a push, grasping and dropping, and the bin. Deterministic: the same scene and
// action always give the same next scene, so a recorded episode replays exactly.
import { BLOCK_HALF, BLOCK_HEIGHT, GRIPPER_HALF, cloneScene, inRect, type Block, type Scene } from './scene.js';

/** An action: [dx, dy, dz, grip], each in [-1, 1]; grip > 0 means closed. */
export type Action = [number, number, number, number];
export const ACTION_DIM = 4;

/** Largest gripper move per step on the table (x, y). */
export const MAX_MOVE = 0.05;
/** Largest height change per step (z is on its own [0, 1] scale). */
export const MAX_LIFT = 0.1;
/** Fraction of a block's velocity kept from one step to the next: a pushed block slides ~0.4× its last push. */
export const FRICTION = 0.3;
/** How far one push may propagate through a row of touching blocks. */
const MAX_CHAIN = 4;

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
const unit = (v: number): number => (Number.isFinite(v) ? clamp(v, -1, 1) : 0);
const onTable = (s: Scene, b: Block): boolean => !b.inBin && s.gripper.holding !== b.id;
/** Two squares centred (dx, dy) apart, half-sides adding to `reach`, overlap (touching, to rounding, is not overlapping). */
const overlaps = (dx: number, dy: number, reach: number): boolean =>
  Math.abs(dx) < reach - 1e-9 && Math.abs(dy) < reach - 1e-9;

/**
 * How far along d (as a multiple of d) a square at offset r from a pusher must move so the
 * two squares (half-sides adding to `reach`) no longer overlap: the first face it clears.
 */
function clearance(rx: number, ry: number, dx: number, dy: number, reach: number): number {
  const along = (r: number, d: number): number => (d > 0 ? (reach - r) / d : d < 0 ? (reach + r) / -d : Infinity);
  return Math.min(along(rx, dx), along(ry, dy));
}

/**
 * Moves block b by (dx, dy), stopping at the table edges, shoving the blocks it runs into
 * along its own motion; if one of them cannot give way, b stops where it touches it.
 * Returns the displacement b actually made.
 */
function shove(s: Scene, b: Block, dx: number, dy: number, depth: number, moved: Set<number>): [number, number] {
  const x0 = b.x,
    y0 = b.y;
  b.x = clamp(b.x + dx, BLOCK_HALF, 1 - BLOCK_HALF);
  b.y = clamp(b.y + dy, BLOCK_HALF, 1 - BLOCK_HALF);
  for (const o of s.blocks) {
    const mx = b.x - x0,
      my = b.y - y0;
    // only blocks b runs into now are in its way (one it already overlapped, after a drop
    // against a wall, is left alone: pushing it along b's motion would be arbitrary)
    if (
      o === b ||
      !onTable(s, o) ||
      !overlaps(o.x - b.x, o.y - b.y, 2 * BLOCK_HALF) ||
      overlaps(o.x - x0, o.y - y0, 2 * BLOCK_HALF)
    )
      continue;
    const k = clearance(o.x - b.x, o.y - b.y, mx, my, 2 * BLOCK_HALF);
    if (depth < MAX_CHAIN && Number.isFinite(k)) shove(s, o, k * mx, k * my, depth + 1, moved);
    if (overlaps(o.x - b.x, o.y - b.y, 2 * BLOCK_HALF)) {
      // o is stuck (a wall, or too long a chain): b backs off along its own motion
      const back = Math.min(1, clearance(o.x - b.x, o.y - b.y, mx, my, 2 * BLOCK_HALF));
      b.x -= back * mx;
      b.y -= back * my;
    }
  }
  b.vx = b.x - x0;
  b.vy = b.y - y0;
  moved.add(b.id);
  return [b.vx, b.vy];
}

/** The next scene after `action`; `scene` is left as it was. */
export function step(scene: Scene, action: ArrayLike<number>): Scene {
  const s = cloneScene(scene),
    g = s.gripper;
  const ax = unit(action[0]!),
    ay = unit(action[1]!),
    az = unit(action[2]!),
    grip = unit(action[3]!);
  const moved = new Set<number>();

  // 1. The gripper moves. If it passes below block height it collides: a block it is right
  //    over (fingers around it) comes along; blocks ahead of it that it runs into are pushed
  //    along its motion; a block that cannot move stops the gripper.
  const zOld = g.z;
  g.z = clamp(g.z + az * MAX_LIFT, 0, 1);
  const low = Math.min(zOld, g.z) < BLOCK_HEIGHT;
  const gx0 = g.x,
    gy0 = g.y;
  const dx = clamp(g.x + ax * MAX_MOVE, 0, 1) - g.x,
    dy = clamp(g.y + ay * MAX_MOVE, 0, 1) - g.y;
  g.x += dx;
  g.y += dy;
  if (low && (dx !== 0 || dy !== 0)) {
    // a held block is part of the gripper's footprint
    const reach = BLOCK_HALF + (g.holding === null ? GRIPPER_HALF : BLOCK_HALF);
    for (const b of s.blocks) {
      if (!onTable(s, b)) continue;
      if (overlaps(b.x - gx0, b.y - gy0, BLOCK_HALF)) {
        shove(s, b, dx, dy, 0, moved);
        continue;
      }
      if (!overlaps(b.x - g.x, b.y - g.y, reach)) continue;
      // lowered beside a block (already touching it): only moving toward it pushes it
      if (overlaps(b.x - gx0, b.y - gy0, reach) && (b.x - gx0) * dx + (b.y - gy0) * dy <= 0) continue;
      const k = clearance(b.x - g.x, b.y - g.y, dx, dy, reach);
      shove(s, b, k * dx, k * dy, 0, moved);
      if (overlaps(b.x - g.x, b.y - g.y, reach)) {
        const back = Math.min(1, clearance(b.x - g.x, b.y - g.y, dx, dy, reach));
        g.x -= back * dx;
        g.y -= back * dy;
      }
    }
  }
  const held = g.holding === null ? null : s.blocks[g.holding]!;
  if (held) {
    held.x = g.x;
    held.y = g.y;
  }

  // 2. The fingers. Closing low over a block grasps it; opening lets go of what is held.
  if (grip > 0 && !g.closed) {
    g.closed = true;
    if (g.z < BLOCK_HEIGHT) {
      let best: Block | null = null,
        bestD = Infinity;
      for (const b of s.blocks) {
        const d = Math.max(Math.abs(b.x - g.x), Math.abs(b.y - g.y));
        if (onTable(s, b) && d < BLOCK_HALF && d < bestD) {
          best = b;
          bestD = d;
        }
      }
      if (best) {
        g.holding = best.id;
        best.x = g.x;
        best.y = g.y;
        best.vx = best.vy = 0;
      }
    }
  } else if (grip <= 0 && g.closed) {
    g.closed = false;
    if (held) {
      g.holding = null;
      if (!inRect(s.bin, held.x, held.y)) {
        // it lands on the table, nudging aside whatever it lands on
        held.x = clamp(held.x, BLOCK_HALF, 1 - BLOCK_HALF);
        held.y = clamp(held.y, BLOCK_HALF, 1 - BLOCK_HALF);
        for (const o of s.blocks) {
          if (o === held || !onTable(s, o) || !overlaps(o.x - held.x, o.y - held.y, 2 * BLOCK_HALF)) continue;
          let ux = o.x - held.x,
            uy = o.y - held.y;
          if (ux === 0 && uy === 0) ux = 1;
          const n = Math.hypot(ux, uy);
          ux /= n;
          uy /= n;
          const k = clearance(o.x - held.x, o.y - held.y, ux, uy, 2 * BLOCK_HALF);
          shove(s, o, k * ux, k * uy, 0, moved);
        }
      }
    }
  }

  // 3. Blocks pushed earlier and not this step slide on, slowing down.
  for (const b of s.blocks) {
    if (!onTable(s, b) || moved.has(b.id)) continue;
    if (Math.abs(b.vx) + Math.abs(b.vy) < 1e-4) {
      b.vx = b.vy = 0;
      continue;
    }
    shove(s, b, b.vx * FRICTION, b.vy * FRICTION, 0, moved);
  }

  // 4. A block whose centre is over the bin falls in and stays, lying inside the bin.
  for (const b of s.blocks) {
    if (!onTable(s, b) || !inRect(s.bin, b.x, b.y)) continue;
    b.inBin = true;
    b.vx = b.vy = 0;
    b.x = clamp(b.x, s.bin.x0 + BLOCK_HALF, s.bin.x1 - BLOCK_HALF);
    b.y = clamp(b.y, s.bin.y0 + BLOCK_HALF, s.bin.y1 - BLOCK_HALF);
  }
  return s;
}
