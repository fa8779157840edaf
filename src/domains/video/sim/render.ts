// A software rasterizer for the tabletop, seen from above by a camera a little in front of the
// robot: the table fills the image (x to the right, y up the image; a non-square image
// stretches it), and things off the table appear larger and further up the image the higher
// they are, over a shadow at their true place, so the gripper's height shows in one frame.
import { BLOCK_HALF, type Color, type Rect, type Scene } from './scene.js';

export interface RenderOptions {
  height?: number;
  width?: number;
}
type RGB = readonly [number, number, number];

export const TABLE_RGB: RGB = [176, 146, 108];
export const BIN_RIM_RGB: RGB = [96, 74, 52];
export const BIN_FLOOR_RGB: RGB = [58, 45, 34];
export const BLOCK_RGB: Record<Color, RGB> = {
  red: [214, 40, 40],
  green: [40, 170, 60],
  blue: [40, 80, 220],
  yellow: [240, 208, 30],
};
export const FINGER_RGB: RGB = [240, 240, 240];
export const PALM_RGB: RGB = [110, 110, 120];

/** How far up the image (table units) a thing at z = 1 is drawn, and how much bigger. */
const LIFT_SHIFT = 0.12,
  LIFT_SCALE = 0.9;
const BIN_RIM = 0.012;

interface Canvas {
  img: Uint8Array;
  H: number;
  W: number;
}

/** Fills pixel rows [r0, r1) and columns [c0, c1), clipped to the image. */
function fillPx(cv: Canvas, c0: number, r0: number, c1: number, r1: number, rgb: RGB, multiply = false): void {
  c0 = Math.max(0, c0);
  r0 = Math.max(0, r0);
  c1 = Math.min(cv.W, c1);
  r1 = Math.min(cv.H, r1);
  for (let r = r0; r < r1; r++) {
    for (let i = (r * cv.W + c0) * 3, end = (r * cv.W + c1) * 3; i < end; i += 3) {
      if (multiply) {
        cv.img[i] = (cv.img[i]! * rgb[0]) >> 8;
        cv.img[i + 1] = (cv.img[i + 1]! * rgb[1]) >> 8;
        cv.img[i + 2] = (cv.img[i + 2]! * rgb[2]) >> 8;
      } else {
        cv.img[i] = rgb[0];
        cv.img[i + 1] = rgb[1];
        cv.img[i + 2] = rgb[2];
      }
    }
  }
}

/** The pixel box of a table-space box centred at (x, y), at least one pixel each way. */
function box(cv: Canvas, x: number, y: number, hx: number, hy: number): [number, number, number, number] {
  const c0 = Math.round((x - hx) * cv.W),
    r0 = Math.round((1 - y - hy) * cv.H);
  let c1 = Math.round((x + hx) * cv.W),
    r1 = Math.round((1 - y + hy) * cv.H);
  if (c1 <= c0) c1 = c0 + 1;
  if (r1 <= r0) r1 = r0 + 1;
  return [c0, r0, c1, r1];
}

const fillBox = (cv: Canvas, x: number, y: number, hx: number, hy: number, rgb: RGB, multiply = false): void => {
  const [c0, r0, c1, r1] = box(cv, x, y, hx, hy);
  fillPx(cv, c0, r0, c1, r1, rgb, multiply);
};

const scaled = (rgb: RGB, f: number): RGB => [Math.round(rgb[0] * f), Math.round(rgb[1] * f), Math.round(rgb[2] * f)];

/** A block: a dark outline around its colour, so touching blocks stay apart. */
function drawBlock(cv: Canvas, x: number, y: number, half: number, rgb: RGB): void {
  const [c0, r0, c1, r1] = box(cv, x, y, half, half);
  fillPx(cv, c0, r0, c1, r1, scaled(rgb, 0.5));
  if (c1 - c0 >= 3 && r1 - r0 >= 3) fillPx(cv, c0 + 1, r0 + 1, c1 - 1, r1 - 1, rgb);
}

// The table and the empty bin are the same in every frame of a size: draw them once.
const backgrounds = new Map<string, Uint8Array>();
function background(H: number, W: number, bin: Rect): Uint8Array {
  const key = `${H}x${W}:${bin.x0},${bin.y0},${bin.x1},${bin.y1}`;
  let img = backgrounds.get(key);
  if (!img) {
    const cv = { img: new Uint8Array(H * W * 3), H, W };
    fillPx(cv, 0, 0, W, H, TABLE_RGB);
    const cx = (bin.x0 + bin.x1) / 2,
      cy = (bin.y0 + bin.y1) / 2,
      hx = (bin.x1 - bin.x0) / 2,
      hy = (bin.y1 - bin.y0) / 2;
    fillBox(cv, cx, cy, hx, hy, BIN_RIM_RGB);
    fillBox(cv, cx, cy, hx - BIN_RIM, hy - BIN_RIM, BIN_FLOOR_RGB);
    if (backgrounds.size > 16) backgrounds.clear();
    backgrounds.set(key, (img = cv.img));
  }
  return img;
}

/** The frame of a scene, uint8 [H, W, 3] row-major; pass `out` to reuse a buffer. */
export function render(scene: Scene, opts: RenderOptions = {}, out?: Uint8Array): Uint8Array {
  const H = opts.height ?? 64,
    W = opts.width ?? 64;
  if (!(Number.isInteger(H) && Number.isInteger(W) && H > 0 && W > 0))
    throw new Error(`render: height and width must be positive integers (got ${H}×${W})`);
  const img = out ?? new Uint8Array(H * W * 3);
  if (img.length !== H * W * 3) throw new Error(`render: out has ${img.length} bytes, need ${H * W * 3}`);
  img.set(background(H, W, scene.bin));
  const cv: Canvas = { img, H, W };
  const g = scene.gripper;

  // blocks in the bin lie lower, so smaller and in shadow
  for (const b of scene.blocks) if (b.inBin) drawBlock(cv, b.x, b.y, BLOCK_HALF * 0.8, scaled(BLOCK_RGB[b.color], 0.7));
  for (const b of scene.blocks)
    if (!b.inBin && g.holding !== b.id) drawBlock(cv, b.x, b.y, BLOCK_HALF, BLOCK_RGB[b.color]);

  // the gripper's shadow on the table marks where it is; the gripper itself is drawn lifted
  const shadow = 0.035 * (1 - 0.4 * g.z);
  fillBox(cv, g.x, g.y, shadow, shadow, [150, 150, 150], true);
  const s = 0.8 + LIFT_SCALE * g.z,
    cx = g.x,
    cy = g.y + LIFT_SHIFT * g.z;
  const held = g.holding === null ? null : scene.blocks[g.holding]!;
  if (held) drawBlock(cv, cx, cy, BLOCK_HALF * s, BLOCK_RGB[held.color]);

  // two fingers, apart when open, closed on the block or on each other, under a palm
  const gap = (g.closed ? (held ? BLOCK_HALF : 0.01) : 0.045) * s;
  const fw = 0.008 * s,
    len = 0.03 * s;
  fillBox(cv, cx - gap - fw, cy, fw, len, FINGER_RGB);
  fillBox(cv, cx + gap + fw, cy, fw, len, FINGER_RGB);
  fillBox(cv, cx, cy + len, gap + 2 * fw, 0.006 * s, PALM_RGB);
  return img;
}
