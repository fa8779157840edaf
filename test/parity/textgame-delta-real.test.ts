// The compact delta on the real ByteSized32 set: on every transition the true delta expands to
// the true diff (every object the reward checks) and scores 1 under the published reward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedDir, sharedSkip } from '../helpers.js';
import { readTransitions } from '../../src/domains/textgame/data.js';
import { toExamples } from '../../src/domains/textgame/examples.js';
import type { TgObject } from '../../src/domains/textgame/format.js';
import { stateDelta, expandDelta } from '../../src/domains/textgame/delta.js';
import { scoreDiff } from '../../src/domains/textgame/reward.js';
import { targetText } from '../../src/domains/textgame/codec.js';

const realSet = join(sharedDir, 'data', 'bytesized32', 'test.zip');

/** contains is a set of names to the reward: compare it sorted */
const sortedContains = (o: TgObject): TgObject => ({ ...o, contains: [...o.contains].sort() });

test(
  'textgame delta on the real set: every true delta expands to the true diff and scores 1',
  { skip: sharedSkip('data', 'bytesized32', 'test.zip') },
  () => {
    const examples = toExamples(readTransitions(realSet), 'bytesized32');
    assert.ok(examples.length >= 2954);
    let deltaChars = 0,
      diffChars = 0;
    for (const e of examples) {
      const delta = stateDelta(e.truth.current, e.truth.currentScore, e.truth.next, e.truth.nextScore);
      const expanded = expandDelta(JSON.parse(JSON.stringify(delta)), e.truth.current, e.truth.currentScore)!;
      const parts = scoreDiff(expanded, e.truth);
      assert.equal(parts.binary, 1, e.id);
      assert.equal(parts.taskSpecific, scoreDiff(e.diff, e.truth).taskSpecific, e.id);
      const truth = new Map(e.diff.modified.map((o) => [o.uuid, o]));
      for (const o of expanded.modified) assert.deepEqual(sortedContains(o), sortedContains(truth.get(o.uuid)!), e.id);
      // an object the diff lists but the delta leaves out changed only the order of its contents
      const written = new Set(expanded.modified.map((o) => o.uuid));
      const before = new Map(e.truth.current.map((o) => [o.uuid, o]));
      for (const [uuid, o] of truth)
        if (!written.has(uuid)) assert.deepEqual(sortedContains(before.get(uuid)!), sortedContains(o), e.id);
      assert.deepEqual(expanded.removed, e.diff.removed, e.id);
      deltaChars += targetText(delta).length;
      diffChars += targetText(e.diff).length;
    }
    console.log(
      `real set: ${examples.length} transitions; delta targets ${deltaChars} chars, diff targets ${diffChars} (${(deltaChars / diffChars).toFixed(3)}×)`,
    );
  },
);
