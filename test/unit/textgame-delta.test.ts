// The compact delta target (src/domains/textgame/delta.ts): on every transition of the
// built-in games the true delta expands to the true diff and scores 1; it is much shorter;
// the expansion never throws on garbage; the codec decodes deltas into published diffs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GAMES,
  playTransitions,
  toExamples,
  stateDelta,
  expandDelta,
  scoreDiff,
  targetText,
  type TgExample,
} from '../../src/domains/textgame/index.js';
import { textgameVerifier } from '../../src/domains/textgame/verifier.js';

const examples: TgExample[] = toExamples(
  playTransitions({ games: Object.keys(GAMES), episodesPerGame: 3, maxSteps: 24, randomActionProb: 0.3, seed: 7 }),
  'delta',
);
const deltaOf = (e: TgExample) => stateDelta(e.truth.current, e.truth.currentScore, e.truth.next, e.truth.nextScore);

test('textgame delta: the true delta expands to the true diff and scores 1 on every built-in transition', () => {
  assert.ok(examples.length > 200);
  for (const e of examples) {
    const expanded = expandDelta(deltaOf(e), e.truth.current)!;
    assert.equal(scoreDiff(expanded, e.truth).binary, 1, e.id);
    assert.deepEqual(expanded.modified.map((o) => o.uuid).sort(), e.diff.modified.map((o) => o.uuid).sort(), e.id);
    const truthByUuid = new Map(e.diff.modified.map((o) => [o.uuid, o]));
    for (const o of expanded.modified) assert.deepEqual(o, truthByUuid.get(o.uuid), e.id);
    assert.deepEqual(expanded.removed, e.diff.removed, e.id);
  }
});

test('textgame delta: static transitions are {}; targets are shorter than the diff', () => {
  let deltaChars = 0,
    diffChars = 0;
  for (const e of examples) {
    const d = deltaOf(e);
    if (!e.dynamic) assert.deepEqual(d, {}, e.id);
    deltaChars += targetText(d).length;
    diffChars += targetText(e.diff).length;
  }
  assert.ok(deltaChars < diffChars / 2, `${deltaChars} vs ${diffChars}`);
});

test('textgame delta: garbage never throws; malformed entries are skipped', () => {
  const e = examples.find((x) => x.dynamic)!;
  for (const junk of [
    undefined,
    null,
    3,
    'x',
    [],
    [1, 2],
    { 1: 5 },
    { removed: 'all' },
    { score: 3 },
    { '999': { on: true } },
  ]) {
    const r = expandDelta(junk, e.truth.current);
    if (r) assert.ok(Array.isArray(r.modified) && Array.isArray(r.removed));
    assert.ok(scoreDiff(r, e.truth).binary <= 1);
  }
  // an unknown uuid becomes a new object; a non-object entry is ignored
  const r = expandDelta({ '999': { '#name': 'x', '#type': 'T', on: true, contains: [] }, '1': 7 }, e.truth.current)!;
  assert.deepEqual(r.modified, [{ name: 'x', uuid: 999, type: 'T', properties: { on: true }, contains: [] }]);
});

test('textgame verifier scores a delta answer like the diff it stands for', () => {
  for (const e of examples.filter((x) => x.dynamic).slice(0, 20)) {
    const truth = JSON.stringify(e.truth);
    const delta = `The final answer is:${targetText(deltaOf(e))}`;
    const diff = `The final answer is:${targetText(e.diff)}`;
    assert.equal(textgameVerifier.score('binary', delta, truth).score, 1, e.id);
    assert.equal(textgameVerifier.score('binary', diff, truth).score, 1, e.id);
    assert.equal(textgameVerifier.score('binary', 'The final answer is: {}', truth).score, 0, e.id);
  }
});
