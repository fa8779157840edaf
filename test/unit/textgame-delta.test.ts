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
  type TgObject,
} from '../../src/domains/textgame/index.js';
import { textgameVerifier } from '../../src/domains/textgame/verifier.js';

const examples: TgExample[] = toExamples(
  playTransitions({ games: Object.keys(GAMES), episodesPerGame: 3, maxSteps: 24, randomActionProb: 0.3, seed: 7 }),
  'delta',
);
const deltaOf = (e: TgExample) => stateDelta(e.truth.current, e.truth.currentScore, e.truth.next, e.truth.nextScore);

/** contains is a set of names to the reward: compare it sorted */
const sortedContains = (o: TgObject): TgObject => ({ ...o, contains: [...o.contains].sort() });

test('textgame delta: the true delta expands to the true diff and scores 1 on every built-in transition', () => {
  assert.ok(examples.length > 200);
  for (const e of examples) {
    const expanded = expandDelta(deltaOf(e), e.truth.current, e.truth.currentScore)!;
    assert.equal(scoreDiff(expanded, e.truth).binary, 1, e.id);
    assert.deepEqual(expanded.modified.map((o) => o.uuid).sort(), e.diff.modified.map((o) => o.uuid).sort(), e.id);
    const truthByUuid = new Map(e.diff.modified.map((o) => [o.uuid, o]));
    for (const o of expanded.modified)
      assert.deepEqual(sortedContains(o), sortedContains(truthByUuid.get(o.uuid)!), e.id);
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

test('textgame delta: numbers as increments, contents as names in and out, the score as its change', () => {
  const obj = (uuid: number, properties: Record<string, unknown>, contains: string[]): TgObject => ({
    name: `o (ID: ${uuid})`,
    uuid,
    type: 'T',
    properties,
    contains,
  });
  const current = [obj(1, { freshness: 10, isOpen: false, w: 0.1 }, ['a', 'b']), obj(2, {}, [])];
  const next = [obj(1, { freshness: 9, isOpen: true, w: 0.30000000000000004 }, ['b', 'c']), obj(2, {}, ['a'])];
  const cur = { score: 1, gameOver: false, gameWon: false },
    nxt = { score: 2, gameOver: false, gameWon: false };
  const d = stateDelta(current, cur, next, nxt);
  assert.deepEqual(d, {
    '1': { 'freshness+': -1, isOpen: true, 'w+': 0.20000000000000004, 'contains+': ['c'], 'contains-': ['a'] },
    '2': { 'contains+': ['a'] },
    score: { 'score+': 1 },
  });
  const x = expandDelta(d, current, cur)!;
  assert.deepEqual(x.modified[0]!.properties, next[0]!.properties);
  assert.deepEqual(x.score, nxt);
  // an increment that float round-off would spoil is written as the value
  const a = 0.1,
    b = 0.7;
  const d2 = stateDelta([obj(1, { w: a }, [])], cur, [obj(1, { w: b }, [])], cur);
  assert.deepEqual(d2, a + (b - a) === b ? { '1': { 'w+': b - a } } : { '1': { w: b } });
});
