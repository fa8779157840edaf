// The counter world's biased demonstrator: training targets are the demonstrations, rewards
// and test transitions are the true rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counterDomain, step, formatState } from '../../src/domains/counter/index.js';

test('demoErrorRate: MLE targets follow the demonstrator, rewards and test data the true rules', async () => {
  const d = counterDomain({ registers: 2, trainSize: 1000, testSize: 200, demoErrorRate: 0.6 });
  const train = await d.examples('train'),
    testSet = await d.examples('test');
  const wrong = train.filter((e) => e.recorded);
  assert.ok(
    Math.abs(wrong.length / train.length - 0.6) < 0.06,
    `share recorded wrongly ${wrong.length / train.length}`,
  );
  assert.ok(
    testSet.every((e) => !e.recorded),
    'test transitions are true',
  );
  for (const e of wrong.slice(0, 20)) {
    assert.deepEqual(e.next, step(e.state, e.action));
    assert.equal(e.recorded![e.action.a], (e.next[e.action.a]! + 1) % 10);
    assert.equal(d.codec.text(await d.codec.target(e)), formatState(e.recorded!));
    assert.equal(await d.rewards.exact!(e.recorded!, e), 0);
    assert.equal(await d.rewards.exact!(e.next, e), 1);
  }
  const clean = await counterDomain({ registers: 2, trainSize: 1000 }).examples('train');
  assert.ok(clean.every((e) => !e.recorded));
  assert.deepEqual(
    clean.map((e) => e.next),
    train.map((e) => e.next),
    'the same transitions, only the records differ',
  );
  assert.throws(() => counterDomain({ demoErrorRate: 1.5 }), /demoErrorRate must be in \[0, 1\]/);
});
