// A failing reward never scores best (issue 20, item 2): a reward that throws or returns a
// non-finite score gets its declared worst value, which is no better than an unparseable
// prediction's score and below a right answer's, in every domain. The video domain's rewards
// are negated errors, where 0 is the best score and an undecodable prediction scores -1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combineRewards, safeMetric, safeReward, worstScore } from '../../src/train/safe.js';
import type { Reward, WorldModelDomain } from '../../src/train/domain.js';
import { counterDomain } from '../../src/domains/counter/index.js';
import { textgameDomain, type TgPrediction } from '../../src/domains/textgame/index.js';
import { webDomain, webOptions } from '../../src/domains/web/index.js';
import { webVerifier } from '../../src/domains/web/verifier.js';
import { textgameVerifier } from '../../src/domains/textgame/verifier.js';
import { videoMetrics, videoRewards, type VideoPrediction } from '../../src/domains/video/rewards.js';
import { invalidScores, type FrameScores } from '../../src/domains/video/scores.js';
import type { VideoExample } from '../../src/domains/video/codec.js';
import { TextTokenizer } from '../../src/core/tokenizers/index.js';
import { writeManifest } from '../../src/domains/manifest.js';
import { scoreBatch } from '../../src/apps/serve/score-batch.js';

const quiet = () => {};
/** A prediction that makes any reward reading it throw. */
const exploding = new Proxy(
  {},
  {
    get() {
      throw new Error('boom');
    },
  },
);

/**
 * Every reward of a domain: a failure scores its worst, the worst is no better than the
 * garbage prediction's score, and below the right prediction's.
 */
async function checkDomain<E extends { id: string }, P>(
  d: WorldModelDomain<E, P>,
  e: E,
  right: P,
  garbage: P,
): Promise<void> {
  for (const [name, fn] of Object.entries(d.rewards)) {
    const worst = worstScore(fn);
    const safe = safeReward(name, fn, quiet);
    assert.equal((await safe(exploding as P, e)).score, worst, `${d.name}/${name}: a throw scores the worst`);
    const nan: Reward<E, P> = Object.assign(async () => NaN, { worst: fn.worst });
    assert.equal(
      (await safeReward(name, nan, quiet)(right, e)).score,
      worst,
      `${d.name}/${name}: NaN scores the worst`,
    );
    const g = (await safe(garbage, e)).score,
      r = (await safe(right, e)).score;
    assert.ok(worst <= g, `${d.name}/${name}: worst ${worst} <= garbage ${g}`);
    assert.ok(worst < r, `${d.name}/${name}: worst ${worst} < right ${r}`);
  }
}

test('safeReward, safeMetric and combineRewards: a failure scores the declared worst, else 0', async () => {
  const logged: string[] = [];
  const neg = Object.assign(
    (p: number) => {
      if (p < 0) throw new Error('bad');
      return p > 0 ? -p : NaN;
    },
    { worst: -2 },
  );
  const safe = safeReward<{ id: string }, number>('neg', neg, (m) => logged.push(m));
  assert.deepEqual(await safe(-1, { id: 'a' }), { score: -2 });
  assert.deepEqual(await safe(0, { id: 'a' }), { score: -2 });
  assert.deepEqual(await safe(0.5, { id: 'a' }), { score: -0.5 });
  assert.match(logged[0]!, /reward 'neg' threw on example a: bad \(scored -2\)/);
  assert.equal((await safeReward('plain', () => NaN, quiet)(0, { id: 'a' })).score, 0);
  const combined = combineRewards<{ id: string }, number>({ neg, one: () => 1 }, { neg: 0.5, one: 1 }, quiet);
  assert.deepEqual(await combined(-1, { id: 'a' }), { score: 0.5 * -2 + 1, components: { neg: -2, one: 1 } });
  const mae = Object.assign(
    () => {
      throw new Error('x');
    },
    { worst: 1 },
  );
  assert.equal(await safeMetric('mae', mae, quiet)(null, { id: 'a' }), 1);
});

test('counter: failures score the worst of both rewards', async () => {
  const d = counterDomain({ testSize: 4 });
  const [e] = await d.examples('test');
  await checkDomain(d, e!, e!.next, null);
});

test('textgame: failures score the worst of both rewards', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tg-worst-'));
  try {
    const d = await textgameDomain({ dataDir, trainEpisodesPerGame: 1, testEpisodesPerGame: 1, vocabSize: 300 });
    const e = (await d.examples('test')).find((x) => x.dynamic)!;
    const right: TgPrediction = { text: '', answer: e.diff };
    await checkDomain(d, e, right, { text: 'garbage', answer: undefined });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('web: failures score the worst of the F1 reward', { timeout: 30_000 }, async () => {
  // a data folder written by hand, with the manifest buildWebData writes for these options, so no Chromium runs
  const dataDir = mkdtempSync(join(tmpdir(), 'web-worst-'));
  try {
    const o = webOptions({ dataDir, vocabSize: 300 });
    const t = {
      url: 'http://apps.local/shop',
      objective: 'Add a shirt to the cart',
      previousAction: 'None',
      treeBefore: "[28] link 'Cart (2)'",
      action: 'click [28]',
      treeAfter: "[28] link 'Cart (3)'",
      diff: "New items:\nNone\n\nDeleted items:\nNone\n\nUpdated items:\n[28] link 'Cart (3)'",
    };
    for (const split of ['train', 'test']) writeFileSync(join(dataDir, `${split}.jsonl`), JSON.stringify(t) + '\n');
    TextTokenizer.trainBpe([t.treeBefore, t.diff], {
      vocabSize: 300,
      specialTokens: ['<|endoftext|>', '<|pad|>'],
    }).save(join(dataDir, 'tokenizer.json'));
    const { viewLines, seed, trainEpisodes, testEpisodes, randomActionProb, maxSteps, vocabSize } = o;
    const recipe = { version: 2, viewLines, seed, trainEpisodes, testEpisodes, randomActionProb, maxSteps, vocabSize };
    writeManifest(dataDir, { recipe, counts: { train: 1, test: 1 } });
    const d = await webDomain({ dataDir, vocabSize: 300 }, quiet);
    const [e] = await d.examples('test');
    await checkDomain(d, e!, e!.truth, 'garbage');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("video: failures score the undecodable prediction's -1 (-2 with LPIPS), never the best 0", async () => {
  const e = { id: 'v', task: 'single' } as VideoExample;
  const good: FrameScores = {
    ...invalidScores(true),
    mse: 0.01,
    mae: 0.05,
    psnr: 30,
    ssim: 0.9,
    lpips: 0.1,
    valid: true,
  };
  for (const lpips of [false, true]) {
    const scores = async (p: VideoPrediction): Promise<FrameScores> => {
      if (!p) return invalidScores(lpips);
      if (p.frames.length === 0) return { ...good, mae: NaN, mse: NaN, lpips: lpips ? NaN : null };
      return { ...good, lpips: lpips ? 0.1 : null };
    };
    const d = { name: `video${lpips ? '+lpips' : ''}`, rewards: videoRewards(scores, lpips) } as WorldModelDomain<
      VideoExample,
      VideoPrediction
    >;
    await checkDomain(d, e, { frames: [new Uint8Array(3)] }, null);
    for (const [name, fn] of Object.entries(d.rewards)) {
      const undecodable = (await safeReward(name, fn, quiet)(null, e)).score;
      assert.equal(worstScore(fn), undecodable, `${name}: the worst is the undecodable prediction's score`);
      assert.ok(undecodable < 0);
      // a reward that computes NaN (frames that are no image) scores the worst too
      assert.equal((await safeReward(name, fn, quiet)({ frames: [] }, e)).score, undecodable, name);
    }
    assert.equal(worstScore(d.rewards.frame!), lpips ? -2 : -1);
    const m = videoMetrics(scores, lpips);
    assert.equal(
      await safeMetric('mae', m.mae!, quiet)(exploding as VideoPrediction, e),
      1,
      'a failing MAE is the worst',
    );
  }
});

test("serve-reward: a failing verifier scores its reward's worst", () => {
  const failing = {
    rewards: ['neg_error'],
    worst: { neg_error: -1 },
    score: (_r: string, text: string) => {
      if (text === 'throw') throw new Error('boom');
      return { score: text === 'nan' ? NaN : -0.25 };
    },
  };
  const items = ['throw', 'nan', 'ok'].map((solution_str) => ({ solution_str, ground_truth: null }));
  assert.deepEqual(scoreBatch({ v: failing }, { data_source: 'v', items }), {
    scores: [-1, -1, -0.25],
    components: [undefined, undefined, undefined],
  });
  for (const v of [textgameVerifier, webVerifier]) for (const r of v.rewards) assert.equal(v.worst?.[r], 0);
});
