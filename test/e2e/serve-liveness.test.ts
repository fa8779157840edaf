// The reward service stays live (issue 20, item 1): batches are scored in worker threads, so
// /health answers within 50 ms while a large batch is scored; a batch past the time limit
// answers 422 and the next one is scored; 1 MB pathological outputs are scored normally.
// The 50 ms bound is a liveness bound, not a performance claim: scoring on the event loop
// delays /health by the whole batch (seconds here); beside a busy worker thread it answers
// in 2–20 ms on this loaded 2-core machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRewardServer } from '../../src/apps/serve/reward-server.js';
import { MAX_ANSWER_CHARS } from '../../src/domains/textgame/parse.js';
import { TEXTGAME_PATHOLOGICAL, TG_TRUTH } from '../pathological.js';

/** Broken JSON just under the answer cap: jsonrepair's slowest inputs (tens of ms each). */
const slowItem = { solution_str: '{' + '"a'.repeat(MAX_ANSWER_CHARS / 2 - 1), ground_truth: TG_TRUTH };
const heavy = (n: number) => JSON.stringify({ data_source: 'textgame', items: Array(n).fill(slowItem) });

async function serve(o: Parameters<typeof buildRewardServer>[0]) {
  const app = buildRewardServer(o);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const post = (body: string) =>
    fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { app, url, post };
}

test('serve-reward: /health answers within 50 ms while a large batch is scored', { timeout: 120_000 }, async (t) => {
  const { app, url, post } = await serve({});
  try {
    assert.equal((await post(heavy(1))).status, 200); // the workers are up
    let done = false;
    const scoring = post(heavy(40)).then(async (r) => {
      done = true;
      return { status: r.status, body: (await r.json()) as { scores: number[] } };
    });
    const latencies: number[] = [];
    await new Promise((r) => setTimeout(r, 50)); // the body is parsed and handed to a worker
    while (!done) {
      const t0 = performance.now();
      const h = await fetch(`${url}/health`);
      assert.equal(h.status, 200);
      await h.json();
      if (!done) latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
    const { status, body } = await scoring;
    assert.equal(status, 200);
    assert.deepEqual(body.scores, Array(40).fill(0));
    assert.ok(latencies.length >= 5, `only ${latencies.length} /health requests while scoring`);
    // the event loop is free: nine in ten within 50 ms, and none waits for the batch (a second or more);
    // single slower answers come from this loaded machine's scheduler, not from the server
    const sorted = [...latencies].sort((a, b) => a - b);
    const p90 = sorted[Math.floor(0.9 * (sorted.length - 1))]!,
      max = sorted.at(-1)!;
    const seen = `${latencies.length} requests, 90% within ${p90.toFixed(1)} ms, slowest ${max.toFixed(1)} ms`;
    t.diagnostic(seen);
    assert.ok(p90 < 50 && max < 500, seen);
  } finally {
    await app.close();
  }
});

test(
  'serve-reward: a batch past the time limit answers 422; the next one is scored',
  { timeout: 120_000 },
  async () => {
    const { app, post } = await serve({ timeLimitMs: 500 });
    try {
      const r = await post(heavy(80)); // 2–5 s of scoring
      assert.equal(r.status, 422);
      assert.match(((await r.json()) as { error: string }).error, /time limit \(0.5 s\)/);
      const ok = await post(
        JSON.stringify({ data_source: 'textgame', items: [{ solution_str: '{}', ground_truth: TG_TRUTH }] }),
      );
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as { scores: number[] }).scores.length, 1);
    } finally {
      await app.close();
    }
  },
);

test('serve-reward: 1 MB pathological outputs are scored', { timeout: 120_000 }, async () => {
  const { app, post } = await serve({ bodyLimit: 16 * 2 ** 20, timeLimitMs: 5_000 });
  try {
    const items = Object.values(TEXTGAME_PATHOLOGICAL).map((solution_str) => ({
      solution_str,
      ground_truth: TG_TRUTH,
    }));
    const r = await post(JSON.stringify({ data_source: 'textgame', reward: 'task_specific', items }));
    assert.equal(r.status, 200);
    const { scores } = (await r.json()) as { scores: number[] };
    assert.equal(scores.length, items.length);
    assert.ok(scores.every(Number.isFinite));
  } finally {
    await app.close();
  }
});
