// The text-game domain plugin: data built once per recipe, tokenizer persisted, the codec's
// target decoding to a prediction the reward scores 1, and the no-change baseline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  textgameDomain,
  textgameOptions,
  scoreText,
  ANSWER_MARKER,
  type TgExample,
} from '../../src/domains/textgame/index.js';
import { scorePredictions } from '../../src/train/evaluate.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tg-domain-'));
const opts = { dataDir, trainEpisodesPerGame: 4, testEpisodesPerGame: 2, vocabSize: 600 };

test('data and tokenizer are built once per recipe, and rebuilt when the recipe changes', async () => {
  const d = await textgameDomain(opts);
  const manifest = JSON.parse(readFileSync(join(dataDir, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.recipe.heldOutGames, ['make-ice', 'wash-clothes']);
  assert.equal(manifest.trainGames.length, 8);
  const train = await d.examples('train');
  assert.equal(train.length, manifest.counts.train);
  assert.ok(
    !train.some((e) => e.game === 'make-ice' || e.game === 'wash-clothes'),
    'held-out games stay out of training',
  );
  const t0 = statSync(join(dataDir, 'tokenizer.json')).mtimeMs;
  const again = await textgameDomain(opts);
  assert.equal(statSync(join(dataDir, 'tokenizer.json')).mtimeMs, t0, 'same recipe: nothing rebuilt');
  assert.deepEqual(await again.codec.prompt(train[0]!), await d.codec.prompt(train[0]!));
  const held = await (await textgameDomain({ ...opts, evalSet: 'heldout' })).examples('test');
  assert.ok(held.length > 0 && held.every((e) => e.game === 'make-ice' || e.game === 'wash-clothes'));
  const other = mkdtempSync(join(tmpdir(), 'tg-domain-'));
  await textgameDomain({ ...opts, dataDir: other, seed: 2 });
  assert.notEqual(readFileSync(join(other, 'train.jsonl'), 'utf8'), readFileSync(join(dataDir, 'train.jsonl'), 'utf8'));
});

test('the test split holds no transition seen in training', async () => {
  const d = await textgameDomain(opts);
  const key = (e: TgExample) => JSON.stringify([e.truth.current, e.truth.currentScore, e.action, e.truth.next]);
  const seen = new Set((await d.examples('train')).map(key));
  const test = await d.examples('test');
  assert.ok(test.length > 20);
  for (const e of test) assert.ok(!seen.has(key(e)), e.id);
});

test('codec: the target tokens decode to a prediction every reward and metric scores as exact', async () => {
  const d = await textgameDomain(opts);
  const examples = [...(await d.examples('train')).slice(0, 150), ...(await d.examples('test'))];
  for (const e of examples) {
    const target = await d.codec.target(e);
    assert.equal(target.at(-1), d.codec.eosTokenId);
    const p = await d.codec.decode(target, e);
    assert.equal(await d.rewards.binary!(p, e), 1, e.id);
    const ts = (await d.rewards.task_specific!(p, e)) as { score: number };
    assert.ok(ts.score >= 0.3 - 1e-12, e.id);
    assert.equal(await d.metrics.accuracy!(p, e), 1);
    assert.equal(await d.metrics.accuracy_dynamic!(p, e), e.dynamic ? 1 : null);
    assert.equal(await d.metrics.accuracy_static!(p, e), e.dynamic ? null : 1);
  }
  const garbage = await d.codec.decode([5, 9, 77, 3, 3, 100], examples[0]!);
  assert.equal(await d.rewards.binary!(garbage, examples[0]!), 0);
});

test('no-change baseline: accuracy equals the static share; dynamic and static accuracies are 0 and 1', async () => {
  const d = await textgameDomain(opts);
  const test = await d.examples('test');
  const text = `${ANSWER_MARKER} {"modified": [], "removed": [], "score": {}}`;
  const r = await scorePredictions(
    d,
    test,
    test.map(() => ({ text, answer: { modified: [], removed: [], score: {} } })),
  );
  const statics = test.filter((e) => !e.dynamic).length;
  assert.ok(statics > 0 && statics < test.length, 'both kinds of transition occur');
  assert.equal(r.metrics.accuracy, statics / test.length);
  assert.equal(r.metrics.accuracy_static, 1);
  assert.equal(r.metrics.accuracy_dynamic, 0);
  assert.equal(r.counts.accuracy_static, statics);
  for (const e of test) assert.equal(scoreText(text, e.truth).binary, e.dynamic ? 0 : 1);
});

test('a wrong domain option is named', async () => {
  await assert.rejects(
    textgameDomain({ ...opts, trainEpisodes: 3 } as never),
    /textgame domain option trainEpisodes: /,
  );
  await assert.rejects(textgameDomain({ ...opts, randomActionProb: 2 }), /textgame domain option randomActionProb: /);
});

test('the example configs are valid run configs', async () => {
  const { loadConfig } = await import('../../src/train/config/load.js');
  const { repoRoot } = await import('../helpers.js');
  for (const f of ['textgame.yaml', 'counter.yaml']) {
    const cfg = loadConfig(join(repoRoot, 'examples', f));
    assert.ok(cfg.domain === 'textgame' || cfg.domain === 'counter', f);
  }
  const tg = loadConfig(join(repoRoot, 'examples', 'textgame.yaml'));
  assert.doesNotThrow(() => textgameOptions(tg.domainOptions));
});

test('rlPrompts: dynamic gives GRPO only the dynamic training transitions; the default gives all', async () => {
  const all = await textgameDomain(opts);
  assert.equal(all.rlPrompt, undefined);
  const dyn = await textgameDomain({ ...opts, rlPrompts: 'dynamic' });
  const train = await dyn.examples('train');
  const picked = train.filter((e) => dyn.rlPrompt!(e));
  assert.ok(picked.length > 0 && picked.length < train.length);
  assert.ok(picked.every((e) => e.dynamic));
  assert.throws(() => textgameOptions({ rlPrompts: 'static' }), /rlPrompts/);
});
