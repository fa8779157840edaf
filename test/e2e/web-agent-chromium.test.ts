// The MPC web agent in Chromium (when /usr/bin/chromium exists): runAgent on three real tasks.
// The agent's parts on hand-written pages are in test/unit/web-agent.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { TASKS } from '../../src/domains/web/apps/index.js';
import type { RenderedTree } from '../../src/domains/web/browser/ax-tree.js';
import { runAgent } from '../../src/domains/web/agent/index.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

test('runAgent runs tasks in Chromium with and without a predictor', { skip, timeout: 120_000 }, async () => {
  const tasks = TASKS.filter((t) =>
    ['shop-remove-backpack', 'admin-delete-dana', 'forum-upvote-most-commented-tech'].includes(t.id),
  );
  assert.equal(tasks.length, 3);
  for (const predictor of [
    undefined,
    async (v: { tree: RenderedTree }, actions: string[]) => actions.map(() => v.tree.text),
  ]) {
    const seen: string[] = [];
    let calls = 0;
    const p =
      predictor &&
      (async (v: Parameters<typeof predictor>[0], a: string[]) => {
        calls++;
        assert.ok(a.length >= 1 && a.length <= 3);
        return predictor(v, a);
      });
    const r = await runAgent({
      seed: 0,
      tasks,
      predictor: p,
      candidates: 3,
      maxSteps: 4,
      onEpisode: (e) => seen.push(e.taskId),
    });
    assert.deepEqual(
      seen,
      tasks.map((t) => t.id),
    );
    assert.equal(r.episodes.length, 3);
    for (const e of r.episodes) {
      assert.equal(typeof e.success, 'boolean');
      assert.ok(e.steps >= 0 && e.steps <= 4 && e.actions.length === e.steps);
      if (!e.success) assert.equal(e.steps, 4);
    }
    assert.equal(r.successRate, r.episodes.filter((e) => e.success).length / 3);
    assert.ok(r.episodes.find((e) => e.taskId === 'shop-remove-backpack')!.success); // two obvious clicks
    if (p) assert.ok(calls > 0);
  }
});
