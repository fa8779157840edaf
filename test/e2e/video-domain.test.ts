// The video domain: sequence layouts (single-step, interactive multi-step with given actions),
// decoding, rewards and metrics on frames, generation constraints, the MLE label mask, and
// policy evaluation's perception and rank correlation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, scope } from '../../src/core/tensor/index.js';
import { videoDomain, videoWorld, type VideoPrediction } from '../../src/domains/video/index.js';
import {
  videoVocab,
  singleStepSequence,
  multiStepSequence,
  predictedFrameTokens,
  videoText,
} from '../../src/domains/video/codec.js';
import { perceiveBlocks, spearman, evaluateInSimulator } from '../../src/domains/video/policy-eval.js';
import { makeScene, render, saveEpisodes, iterateEpisodes } from '../../src/domains/video/sim/index.js';
import { mleBatch, IGNORE_INDEX } from '../../src/train/batch.js';
import { constraints } from '../../src/train/evaluate.js';
import { LlamaForCausalLM, llamaConfig } from '../../src/core/models/index.js';
import { generate } from '../../src/core/generate/index.js';

test('sequences: single-step context/actions/BOS → frame + EOS; multi-step gives the true actions between predicted frames', () => {
  const v = videoVocab(10, 4);
  assert.deepEqual([v.bos, v.eos, v.pad, v.size], [14, 15, 16, 17]);
  const s = singleStepSequence(v, {
    frames: [
      [1, 2],
      [3, 4],
    ],
    actions: [
      [10, 11],
      [12, 13],
    ],
    next: [5, 6],
  });
  assert.deepEqual(s.prompt, [1, 2, 10, 11, 3, 4, 12, 13, 14]);
  assert.deepEqual(s.target, [5, 6, 15]);
  assert.deepEqual(s.given, [false, false, false]);
  const m = multiStepSequence(v, {
    context: [1, 2, 3],
    actions: [
      [10, 11],
      [12, 13],
      [10, 10],
    ],
    future: [[4], [5], [6]],
  });
  assert.deepEqual(m.prompt, [1, 2, 3, 10, 11, 14]);
  assert.deepEqual(m.target, [4, 12, 13, 5, 10, 10, 6, 15]);
  assert.deepEqual(m.given, [false, true, true, false, true, true, false, false]);
  const e = { given: m.given, truth: [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)], tokensPerFrame: 1 };
  assert.deepEqual(predictedFrameTokens(v, e, m.target), [[4], [5], [6]]);
  assert.equal(predictedFrameTokens(v, e, [4, 12, 13]), null, 'too short');
  assert.equal(predictedFrameTokens(v, e, [4, 12, 13, 11, 10, 10, 6]), null, 'an action id where a frame code belongs');
  assert.equal(predictedFrameTokens(v, e, [4, 12, 13, -1, 10, 10, 6]), null);
  assert.equal(videoText(v, [1, 2, 10, 11, 14, 5, 15]), 'f[2: 1 2] a[0 1] BOS f[1: 5] EOS');
  // MLE trains on frame tokens only: the given actions are not labels
  const b = scope(() => mleBatch([{ prompt: m.prompt, target: m.target, given: m.given }], v.pad).labels.toNumbers());
  const labels = b.slice(m.prompt.length - 1);
  assert.deepEqual(labels, [4, IGNORE_INDEX, IGNORE_INDEX, 5, IGNORE_INDEX, IGNORE_INDEX, 6, 15]);
});

test(
  'video domain end to end on a tiny simulator set: examples, decoding, rewards, metrics, constraints',
  { timeout: 300_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'video-'));
    try {
      manualSeed(0);
      const common = {
        dataDir: join(dir, 'data'),
        trainEpisodes: 6,
        testEpisodes: 2,
        episodeLength: 10,
        tokenizer: { steps: 40, channels: 8 },
        compressive: { steps: 40, channels: 8 },
      };
      const single = await videoDomain({ ...common, task: 'single' });
      const [train, testSet] = [await single.examples('train'), await single.examples('test')];
      assert.equal(train.length, 6 * 3); // t = 3, 5, 7 in episodes of 10 frames
      assert.ok(testSet.length > 0);
      const e = train[0]!;
      assert.equal(e.prompt.length, 4 * (64 + 4) + 1);
      assert.equal(e.target.length, 65);
      // the true next frame's tokens decode to the tokenizer's reconstruction of it
      const pred = await single.codec.decode(e.target.slice(0, -1), e);
      assert.ok(pred && pred.frames.length === 1 && pred.frames[0]!.length === 64 * 64 * 3);
      const perfect = { frames: e.truth };
      const copy = { frames: [e.context] };
      const r = async (p: VideoPrediction, k = 'frame') => {
        const x = await single.rewards[k]!(p, e);
        return typeof x === 'number' ? x : x.score;
      };
      assert.ok(Object.is(Math.abs(await r(perfect)), 0), 'the true frame has zero error');
      assert.equal(await single.metrics.psnr!(perfect, e), 100, 'PSNR is capped for identical frames');
      assert.equal(await single.metrics.repetition!(copy, e), 1, 'copying the context frame is a repetition');
      assert.equal(await single.metrics.repetition!(perfect, e), 0);
      assert.equal(await r(null), -1, 'an undecodable prediction scores the worst -MAE');
      assert.equal(await single.codec.decode([1, 2, 3], e), null);
      assert.ok(
        !('lpips' in single.metrics) && !('neg_lpips' in single.rewards),
        'no LPIPS network: LPIPS is absent, not faked',
      );

      // episodes in the published layout from elsewhere (.npz: image uint8 [T,H,W,3], action [T,D]) load into the same examples
      saveEpisodes(join(dir, 'published', 'train'), iterateEpisodes({ count: 3, seed: 5, steps: 8 }));
      saveEpisodes(join(dir, 'published', 'test'), iterateEpisodes({ count: 1, seed: 6, steps: 8 }));
      const { domain: pub, data: pubData } = await videoWorld({
        ...common,
        dataDir: join(dir, 'pub-data'),
        episodesDir: join(dir, 'published'),
      });
      assert.equal((await pub.examples('train')).length, 3 * 2); // t = 3, 5 in 8 frames
      assert.equal(pubData.train.length, 3);
      await assert.rejects(
        videoDomain({ ...common, dataDir: join(dir, 'x'), episodesDir: join(dir, 'nowhere') }),
        /nowhere\/train: no such episode folder/,
      );
      await assert.rejects(videoDomain({ ...common, trainEpisodes: 0 }), /video domain option trainEpisodes/);

      const multi = await videoDomain({ ...common, task: 'multi', futureFrames: 2 });
      const me = (await multi.examples('train'))[0]!;
      assert.equal(me.truth.length, 2);
      assert.equal(me.target.length, 16 + 4 + 16 + 1);
      const c = constraints(multi, [me], 999);
      assert.equal(c.maxNewTokens, 36);
      assert.deepEqual(c.allowedRange, [0, 1000]);
      // generating under the constraints: the given positions hold the true actions, the rest are codes
      const model = LlamaForCausalLM.init(
        llamaConfig({
          vocabSize: multi.codec.vocabSize,
          hiddenSize: 32,
          intermediateSize: 64,
          numHiddenLayers: 1,
          numAttentionHeads: 2,
        }),
      );
      const g = generate(model, [me.prompt], {
        maxNewTokens: c.maxNewTokens,
        forced: c.forced,
        allowedRange: c.allowedRange,
        seeds: [1],
      });
      me.given.slice(0, -1).forEach((isGiven, i) => {
        if (isGiven) assert.equal(g.tokens[0]![i], me.target[i]);
        else assert.ok(g.tokens[0]![i]! < 1000);
      });
      const mp = await multi.codec.decode(g.tokens[0]!, me);
      assert.ok(mp && mp.frames.length === 2);
      const score = await multi.rewards.frame!(mp, me);
      assert.ok(typeof score !== 'number' && score.score < 0 && score.score >= -1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('policy evaluation: colour perception finds the blocks; frame-driven policies keep their skill order; Spearman', () => {
  const scene = makeScene({
    blocks: [
      { color: 'red', x: 0.3, y: 0.4 },
      { color: 'blue', x: 0.7, y: 0.2 },
      { color: 'green', x: 0.5, y: 0.9, inBin: true },
    ],
    gripper: { x: 0.1, y: 0.1, z: 0.6 },
  });
  const seen = perceiveBlocks(render(scene), 64, 64, scene.bin);
  assert.ok(Math.abs(seen.get('red')!.x - 0.3) < 0.03 && Math.abs(seen.get('red')!.y - 0.4) < 0.03);
  assert.ok(Math.abs(seen.get('blue')!.x - 0.7) < 0.03 && Math.abs(seen.get('blue')!.y - 0.2) < 0.03);
  assert.equal(seen.get('red')!.inBin, false);
  assert.equal(seen.get('green')!.inBin, true);
  assert.equal(seen.has('yellow'), false);
  const rates = evaluateInSimulator({ episodes: 12, steps: 32, contextFrames: 4, height: 64, width: 64, seed: 7 });
  assert.ok(rates.get('expert')! >= 0.8, `expert ${rates.get('expert')}`);
  assert.ok(
    rates.get('expert')! > rates.get('weak')! && rates.get('noisy')! > rates.get('random')!,
    JSON.stringify([...rates]),
  );
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Math.abs(spearman([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-12);
  assert.ok(Math.abs(spearman([0, 0, 1, 2], [0, 1, 1, 2]) - 5 / 6) < 1e-12); // ties: average ranks
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
});
