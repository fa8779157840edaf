// Robot-video episodes in the published .npz layout, and action discretization.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { dump } from 'npyjs';
import { readEpisode, writeEpisode } from '../../src/domains/video/episodes.js';
import { ActionBins } from '../../src/domains/video/actions.js';

const dir = mkdtempSync(join(tmpdir(), 'npz-'));

test('npz episodes: a written episode reads back; wrong layouts are named', () => {
  const T = 5,
    H = 4,
    W = 6,
    D = 7;
  const frames = Uint8Array.from({ length: T * H * W * 3 }, (_, i) => (i * 37) % 256);
  const actions = Float32Array.from({ length: T * D }, (_, i) => Math.sin(i));
  const file = join(dir, 'ep.npz');
  writeEpisode(file, { frames, actions, length: T, height: H, width: W, actionDim: D });
  const e = readEpisode(file);
  assert.deepEqual([e.length, e.height, e.width, e.actionDim], [T, H, W, D]);
  assert.deepEqual(e.frames, frames);
  assert.deepEqual(e.actions, actions);

  // float64 actions (numpy's default) are read too
  const f64 = join(dir, 'f64.npz');
  writeFileSync(
    f64,
    zipSync({
      'image.npy': new Uint8Array(dump(frames, [T, H, W, 3])),
      'action.npy': new Uint8Array(dump(Float64Array.from(actions), [T, D])),
    }),
  );
  assert.deepEqual(readEpisode(f64).actions, actions);

  const bad = (name: string, entries: Record<string, Uint8Array>, re: RegExp) => {
    const f = join(dir, name);
    writeFileSync(f, zipSync(entries));
    assert.throws(() => readEpisode(f), re);
  };
  bad(
    'noaction.npz',
    { 'image.npy': new Uint8Array(dump(frames, [T, H, W, 3])) },
    /noaction\.npz: no 'action' array \(found: image\)/,
  );
  bad(
    'rgba.npz',
    {
      'image.npy': new Uint8Array(dump(frames.slice(0, T * H * 6 * 2), [T, H, 6, 2])),
      'action.npy': new Uint8Array(dump(actions, [T, D])),
    },
    /'image' must be uint8 \[T, H, W, 3\]/,
  );
  bad(
    'short.npz',
    {
      'image.npy': new Uint8Array(dump(frames, [T, H, W, 3])),
      'action.npy': new Uint8Array(dump(actions.slice(0, 4 * D), [4, D])),
    },
    /'image' has 5 frames but 'action' has 4 rows/,
  );
  writeFileSync(join(dir, 'text.npz'), 'not a zip');
  assert.throws(() => readEpisode(join(dir, 'text.npz')), /text\.npz: not an \.npz \(zip\) file/);
});

test('action bins: uniform per dimension, clamped at the edges, decoding to bin centres', () => {
  const b = new ActionBins([-1, 0], [1, 10], 4);
  assert.deepEqual(b.encode([-1, 0]), [0, 0]);
  assert.deepEqual(b.encode([-0.51, 2.49]), [0, 0]);
  assert.deepEqual(b.encode([-0.5, 2.5]), [1, 1]);
  assert.deepEqual(b.encode([0.99, 9.99]), [3, 3]);
  assert.deepEqual(b.encode([1, 10]), [3, 3]); // the maximum falls in the last bin
  assert.deepEqual(b.encode([-5, 50]), [0, 3]);
  assert.deepEqual(b.decode([0, 3]), [-0.75, 8.75]);
  const fit = ActionBins.fromActions([0, 5, 2, 5, 1, 5], 2, 256);
  assert.deepEqual(
    [fit.min, fit.max],
    [
      [0, 5],
      [2, 6],
    ],
  ); // a constant dimension gets a unit range
  assert.throws(() => new ActionBins([0], [0]), /dimension 0 has max 0 ≤ min 0/);
});
