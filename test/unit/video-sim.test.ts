// The robot-manipulation simulator: determinism, physics invariants, rendering, the skill
// order of the scripted policies, and episodes written in the published .npz layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEpisode } from '../../src/domains/video/episodes.js';
import { Rng } from '../../src/core/util/rng.js';
import {
  BLOCK_HALF,
  BLOCK_RGB,
  FINGER_RGB,
  GRIPPER_HALF,
  MAX_MOVE,
  POLICIES,
  POLICY_NAMES,
  generateEpisodes,
  inRect,
  iterateEpisodes,
  makeScene,
  render,
  rollout,
  saveEpisodes,
  step,
  success,
  type Action,
  type Scene,
  type TaskKind,
} from '../../src/domains/video/sim/index.js';

const run = (s: Scene, a: Action, n: number): Scene => {
  for (let i = 0; i < n; i++) s = step(s, a);
  return s;
};
const countRgb = (img: Uint8Array, rgb: readonly number[]): number => {
  let n = 0;
  for (let i = 0; i < img.length; i += 3) if (img[i] === rgb[0] && img[i + 1] === rgb[1] && img[i + 2] === rgb[2]) n++;
  return n;
};

test('determinism: a seed gives the same frames and actions; another seed does not', () => {
  for (const policy of ['expert', 'noisy', 'random'] as const) {
    const a = rollout({ seed: 42, policy }),
      b = rollout({ seed: 42, policy }),
      c = rollout({ seed: 43, policy });
    assert.deepEqual(a.episode.frames, b.episode.frames);
    assert.deepEqual(a.episode.actions, b.episode.actions);
    assert.deepEqual([a.task, a.success, a.successStep], [b.task, b.success, b.successStep]);
    assert.notDeepEqual(a.episode.frames, c.episode.frames);
  }
  // every policy faces the same scene and task for a seed
  const e = rollout({ seed: 7, policy: 'expert' }),
    r = rollout({ seed: 7, policy: 'random' });
  assert.deepEqual(e.task, r.task);
  assert.deepEqual(e.episode.frames.subarray(0, 64 * 64 * 3), r.episode.frames.subarray(0, 64 * 64 * 3));
});

test('physics: a lowered gripper pushes a block it moves into; a raised one passes over', () => {
  const scene = (z: number) =>
    makeScene({ blocks: [{ color: 'red', x: 0.5, y: 0.4 }], gripper: { x: 0.5, y: 0.25, z } });
  const low = run(scene(0.1), [0, 1, 0, -1], 6),
    high = run(scene(0.5), [0, 1, 0, -1], 6);
  assert.ok(low.blocks[0]!.y > 0.5, `pushed block at y=${low.blocks[0]!.y}`);
  assert.ok(Math.abs(low.blocks[0]!.x - 0.5) < 1e-9, 'a straight push keeps the block on its line');
  // the gripper stays behind the block it pushes
  assert.ok(low.gripper.y <= low.blocks[0]!.y - BLOCK_HALF, 'the gripper does not pass through the block');
  assert.equal(high.blocks[0]!.y, 0.4);
  assert.ok(high.gripper.y > 0.5);
  // step is pure: the input scene is untouched
  const s0 = scene(0.1),
    copy = JSON.stringify(s0);
  step(s0, [0, 1, 0, -1]);
  assert.equal(JSON.stringify(s0), copy);
});

test('physics: blocks push blocks, stop at the walls, and slide a little after a push', () => {
  const s0 = makeScene({
    blocks: [
      { color: 'red', x: 0.5, y: 0.3 },
      { color: 'blue', x: 0.5, y: 0.4 },
    ],
    gripper: { x: 0.5, y: 0.2, z: 0.1 },
  });
  const s1 = run(s0, [0, 1, 0, -1], 5);
  assert.ok(s1.blocks[1]!.y > 0.4, 'the second block was pushed by the first');
  assert.ok(s1.blocks[1]!.y - s1.blocks[0]!.y >= 2 * BLOCK_HALF - 1e-9, 'pushed blocks do not overlap');
  // let go: the blocks drift on a bit, then stop
  const stopped = run(s1, [0, 0, 0, -1], 1);
  assert.ok(stopped.blocks[1]!.y > s1.blocks[1]!.y, 'a pushed block slides on after the push');
  const rest = run(stopped, [0, 0, 0, -1], 20),
    later = run(rest, [0, 0, 0, -1], 5);
  assert.ok(rest.blocks[1]!.y - s1.blocks[1]!.y < MAX_MOVE, 'and not far');
  assert.deepEqual(later.blocks, rest.blocks, 'friction stops it');
  // into the near wall: the block stops at the edge and so does the gripper
  const wall = run(
    makeScene({ blocks: [{ color: 'red', x: 0.5, y: 0.2 }], gripper: { x: 0.5, y: 0.3, z: 0.1 } }),
    [0, -1, 0, -1],
    10,
  );
  assert.equal(wall.blocks[0]!.y, BLOCK_HALF);
  assert.ok(
    wall.gripper.y >= BLOCK_HALF * 2 + GRIPPER_HALF - 1e-9,
    `the gripper is held back by the stuck block (at y=${wall.gripper.y})`,
  );
});

test('physics: a block pushed over the bin edge falls in and stays', () => {
  const task = { kind: 'push-to-bin' as const, target: 'green' as const };
  let s = makeScene({ blocks: [{ color: 'green', x: 0.5, y: 0.65 }], gripper: { x: 0.5, y: 0.55, z: 0.1 } });
  assert.equal(success(s, task), false);
  s = run(s, [0, 1, 0, -1], 6);
  const b = s.blocks[0]!;
  assert.ok(b.inBin && success(s, task), `block at y=${b.y} should be in the bin`);
  assert.ok(inRect(s.bin, b.x, b.y));
  // nothing gets it out again: sweeping, grasping, random actions
  const rng = new Rng(3);
  for (let t = 0; t < 200; t++) {
    s = step(s, [2 * rng.next() - 1, 2 * rng.next() - 1, 2 * rng.next() - 1, 2 * rng.next() - 1]);
    assert.ok(s.blocks[0]!.inBin && s.blocks[0]!.x === b.x && s.blocks[0]!.y === b.y && s.gripper.holding === null);
  }
});

test('physics: a grasped block follows the gripper and lands where it opens', () => {
  let s = makeScene({
    blocks: [
      { color: 'yellow', x: 0.3, y: 0.3 },
      { color: 'red', x: 0.7, y: 0.3 },
    ],
    gripper: { x: 0.3, y: 0.3, z: 0.15 },
  });
  // closing high over it grasps nothing
  assert.equal(step({ ...s, gripper: { ...s.gripper, z: 0.5 } }, [0, 0, 0, 1]).gripper.holding, null);
  s = step(s, [0, 0, 0, 1]);
  assert.equal(s.gripper.holding, 0);
  s = run(s, [1, 0.5, 1, 1], 4);
  const y = s.blocks[0]!;
  assert.deepEqual([y.x, y.y], [s.gripper.x, s.gripper.y]);
  assert.ok(s.gripper.z > 0.4);
  assert.deepEqual([s.blocks[1]!.x, s.blocks[1]!.y], [0.7, 0.3], 'a lifted block passes over the others');
  const [gx, gy] = [s.gripper.x, s.gripper.y];
  s = step(s, [0, 0, 0, -1]);
  assert.equal(s.gripper.holding, null);
  assert.deepEqual([s.blocks[0]!.x, s.blocks[0]!.y, s.blocks[0]!.inBin], [gx, gy, false]);
  // grasp it again and drop it over the bin
  s = run(s, [0, 0, -1, -1], 4);
  s = step(s, [0, 0, 0, 1]);
  assert.equal(s.gripper.holding, 0);
  s = run(s, [0, 1, 1, 1], 12);
  assert.ok(inRect(s.bin, s.gripper.x, s.gripper.y) && !s.blocks[0]!.inBin, 'still held over the bin');
  s = step(s, [0, 0, 0, -1]);
  assert.ok(s.blocks[0]!.inBin && success(s, { kind: 'place-in-bin', target: 'yellow' }));
});

test('physics: blocks never leave the table except into the bin, never overlap, and stay in the bin', () => {
  for (const policy of ['random', 'weak', 'noisy'] as const) {
    for (let seed = 0; seed < 25; seed++) {
      const { states } = rollout({ seed, policy, blocks: 4, keepStates: true, height: 8, width: 8 });
      states!.forEach((s, t) => {
        const table = s.blocks.filter((b) => !b.inBin && s.gripper.holding !== b.id);
        for (const b of s.blocks) {
          if (b.inBin) assert.ok(inRect(s.bin, b.x, b.y));
          else if (s.gripper.holding === b.id) assert.ok(b.x >= 0 && b.x <= 1 && b.y >= 0 && b.y <= 1);
          else
            assert.ok(
              b.x >= BLOCK_HALF && b.x <= 1 - BLOCK_HALF && b.y >= BLOCK_HALF && b.y <= 1 - BLOCK_HALF,
              `${policy} seed ${seed} t ${t}: ${b.color} at (${b.x}, ${b.y})`,
            );
          if (t > 0 && states![t - 1]!.blocks[b.id]!.inBin) assert.ok(b.inBin, 'a block in the bin stays there');
        }
        for (let i = 0; i < table.length; i++) {
          for (let j = i + 1; j < table.length; j++) {
            const [p, q] = [table[i]!, table[j]!];
            assert.ok(
              Math.max(Math.abs(p.x - q.x), Math.abs(p.y - q.y)) >= 2 * BLOCK_HALF - 1e-9,
              `${policy} seed ${seed} t ${t}: ${p.color} and ${q.color} overlap`,
            );
          }
        }
      });
    }
  }
});

test('render: shape, block colours, a visible gripper whose height and grip show, any size', () => {
  const s = makeScene({
    blocks: [
      { color: 'blue', x: 0.3, y: 0.4 },
      { color: 'yellow', x: 0.7, y: 0.5 },
      { color: 'green', x: 0.5, y: 0.9, inBin: true },
    ],
    gripper: { x: 0.5, y: 0.2, z: 0.1 },
  });
  const img = render(s);
  assert.equal(img.length, 64 * 64 * 3);
  assert.ok(countRgb(img, BLOCK_RGB.blue) >= 4 && countRgb(img, BLOCK_RGB.yellow) >= 4);
  assert.equal(countRgb(img, BLOCK_RGB.red), 0, 'no red block, no red');
  const emptyBin = render({ ...s, blocks: s.blocks.slice(0, 2) });
  assert.notDeepEqual(img, emptyBin, 'the block in the bin is drawn');
  assert.equal(countRgb(img, BLOCK_RGB.green), 0, 'in the shade of the bin');
  // the gripper is visible, and its height and grip change the picture
  assert.ok(countRgb(img, FINGER_RGB) > 0);
  // at 128×128, so that pixel rounding does not decide: how many finger pixels, the topmost row
  const fingers = (z: number): [number, number] => {
    const f = render({ ...s, gripper: { ...s.gripper, z } }, { height: 128, width: 128 });
    let n = 0,
      top = Infinity;
    for (let i = 0; i < f.length; i += 3)
      if (f[i] === FINGER_RGB[0] && f[i + 1] === FINGER_RGB[1] && f[i + 2] === FINGER_RGB[2]) {
        n++;
        top = Math.min(top, Math.floor(i / 3 / 128));
      }
    return [n, top];
  };
  const [lowN, lowTop] = fingers(0.1),
    [highN, highTop] = fingers(1);
  assert.ok(highN >= 2 * lowN && lowN > 0, `higher is drawn bigger (${highN} vs ${lowN} finger pixels)`);
  assert.ok(highTop < lowTop - 5, `and further up the image (row ${highTop} vs ${lowTop})`);
  assert.notDeepEqual(render({ ...s, gripper: { ...s.gripper, z: 0.9 } }), img);
  assert.notDeepEqual(render({ ...s, gripper: { ...s.gripper, closed: true } }), img);
  // a target in a rollout's first frame shows in its colour
  const r = rollout({ seed: 11, policy: 'expert' });
  assert.ok(countRgb(r.episode.frames.subarray(0, 64 * 64 * 3), BLOCK_RGB[r.task.target]) > 0);
  for (const [H, W] of [
    [96, 128],
    [17, 23],
    [1, 1],
  ] as const) {
    const f = render(s, { height: H, width: W });
    assert.equal(f.length, H * W * 3);
    if (H > 32) assert.ok(countRgb(f, BLOCK_RGB.blue) > 0 && countRgb(f, FINGER_RGB) > 0);
  }
  assert.throws(() => render(s, { height: 0, width: 5 }), /positive integers/);
  // fast: 5,000 frames at 64×64
  const out = new Uint8Array(64 * 64 * 3),
    t0 = performance.now();
  for (let i = 0; i < 5000; i++) render(s, {}, out);
  const ms = performance.now() - t0;
  console.log(`render: 5000 frames of 64x64 in ${ms.toFixed(0)} ms`);
  assert.ok(ms < 5000);
});

test('policies: expert > noisy > weak > random, measured over 40 seeded episodes per task', () => {
  const N = 40,
    rates: Record<string, Record<string, number>> = {};
  for (const kind of ['push-to-bin', 'place-in-bin'] as TaskKind[]) {
    for (const name of POLICY_NAMES) {
      let ok = 0;
      for (let i = 0; i < N; i++)
        if (rollout({ seed: 9000 + i, policy: name, kinds: [kind], height: 16, width: 16 }).success) ok++;
      (rates[kind] ??= {})[name] = ok / N;
    }
    const r = rates[kind]!;
    console.log(`success rates, ${kind}: ${POLICY_NAMES.map((p) => `${p} ${r[p]!.toFixed(3)}`).join(', ')}`);
    assert.ok(r.expert! >= 0.9, `${kind}: expert ${r.expert}`);
    assert.ok(
      r.noisy! < r.expert! && r.noisy! > r.weak! + 0.2,
      `${kind}: noisy ${r.noisy} between weak ${r.weak} and expert ${r.expert}`,
    );
    assert.ok(r.weak! < 0.5, `${kind}: weak ${r.weak}`);
    assert.ok(r.random! <= 0.1, `${kind}: random ${r.random}`);
  }
  const skills = POLICY_NAMES.map((p) => POLICIES[p].skill);
  assert.deepEqual(
    skills,
    [...skills].sort((a, b) => b - a),
  );
});

test('episodes: frames before actions, round trip through .npz with an index, replay', () => {
  const r = rollout({ seed: 5, policy: 'expert', height: 24, width: 32, keepStates: true });
  const { episode: e, states } = r;
  assert.deepEqual([e.length, e.height, e.width, e.actionDim], [40, 24, 32, 4]);
  assert.equal(states!.length, 41);
  // frames[t] shows the state before action t; replaying the recorded actions gives the same states
  let s = states![0]!;
  for (let t = 0; t < e.length; t++) {
    assert.deepEqual(e.frames.subarray(t * 24 * 32 * 3, (t + 1) * 24 * 32 * 3), render(s, { height: 24, width: 32 }));
    s = step(s, e.actions.subarray(t * 4, (t + 1) * 4));
    assert.deepEqual(s, states![t + 1]);
  }
  assert.deepEqual(r.finalFrame, render(s, { height: 24, width: 32 }));
  assert.ok(
    r.success &&
      r.successStep !== null &&
      success(states![r.successStep + 1]!, r.task) &&
      !success(states![r.successStep]!, r.task),
  );

  const dir = mkdtempSync(join(tmpdir(), 'video-sim-'));
  const made = generateEpisodes({
    count: 6,
    seed: 1,
    policyMix: { expert: 1, random: 1 },
    steps: 12,
    height: 16,
    width: 16,
  });
  const index = saveEpisodes(dir, made);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')), index);
  assert.deepEqual(
    index.map((x) => x.file),
    [
      'episode-00000.npz',
      'episode-00001.npz',
      'episode-00002.npz',
      'episode-00003.npz',
      'episode-00004.npz',
      'episode-00005.npz',
    ],
  );
  made.forEach((m, i) => {
    const back = readEpisode(join(dir, index[i]!.file));
    assert.deepEqual(back, m.episode);
    assert.deepEqual([index[i]!.policy, index[i]!.task, index[i]!.success], [m.policy, m.task, m.success]);
  });
  assert.ok(new Set(index.map((x) => x.policy)).size === 2, 'both policies in the mix were drawn');
  // streaming writes the same files
  const again = saveEpisodes(
    join(dir, 'stream'),
    iterateEpisodes({ count: 6, seed: 1, policyMix: { expert: 1, random: 1 }, steps: 12, height: 16, width: 16 }),
  );
  assert.deepEqual(again, index);
  assert.throws(() => generateEpisodes({ count: 1, seed: 1, policyMix: {} }), /positive finite weight/);
});

test('speed: 200 episodes of 40 steps at 64×64', () => {
  const t0 = performance.now();
  let frames = 0,
    ok = 0;
  for (const r of iterateEpisodes({ count: 200, seed: 2, policyMix: { expert: 2, noisy: 1, weak: 1, random: 1 } })) {
    frames += r.episode.length;
    if (r.success) ok++;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(`generate: 200 episodes (${frames} frames, ${ok} successes) in ${s.toFixed(2)} s`);
  assert.equal(frames, 200 * 40);
  assert.ok(s < 20, `${s} s`);
});
