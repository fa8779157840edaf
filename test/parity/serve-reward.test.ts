// The reward service: good batches score as the in-process rewards do; malformed requests get
// a 4xx with the reason; a few hundred concurrent requests all succeed with correct scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture, fixturesSkip } from '../helpers.js';
import { buildRewardServer } from '../../src/apps/serve/reward-server.js';

interface Case {
  data_state: string;
  ground_truth: string;
  solution: string;
  binary: number;
  task_specific: number;
}
// the published reward code's scores (shared/fixtures/textgame-rewards); none when the fixtures are absent (the test skips)
const cases: Case[] = fixturesSkip
  ? []
  : readFileSync(fixture('textgame-rewards', 'cases.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
const split = (s: string) => {
  const gs = JSON.parse(s).game_state as any[];
  return { objs: gs.filter((o) => 'uuid' in o), score: gs.find((o) => !('uuid' in o)) };
};
const truthOf = (c: Case) => {
  const a = split(c.data_state),
    b = split(c.ground_truth);
  return JSON.stringify({ current: a.objs, currentScore: a.score, next: b.objs, nextScore: b.score });
};
const item = (c: Case) => ({ solution_str: c.solution, ground_truth: truthOf(c) });

test('serve-reward: scores, errors and concurrent load', { skip: fixturesSkip }, async () => {
  const app = buildRewardServer({ bodyLimit: 64 * 1024, concurrency: 4, maxQueue: 1000 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const post = (body: string) =>
    fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  try {
    const health = (await (await fetch(`${url}/health`)).json()) as { domains: Record<string, string[]> };
    assert.deepEqual(health.domains.textgame, ['binary', 'task_specific']);

    // good batches: the published code's rewards for the fixture cases
    const batch = cases.slice(0, 8);
    for (const reward of ['binary', 'task_specific'] as const) {
      const r = await post(JSON.stringify({ data_source: 'textgame', reward, items: batch.map(item) }));
      assert.equal(r.status, 200);
      const { scores } = (await r.json()) as { scores: number[] };
      scores.forEach((s, i) => assert.ok(Math.abs(s - batch[i]![reward]) < 1e-12, `${reward}[${i}]`));
    }
    // garbage model output is not an error: it scores 0
    const g = await post(
      JSON.stringify({
        data_source: 'textgame',
        items: [{ solution_str: '}{ not json', ground_truth: truthOf(cases[0]!) }],
      }),
    );
    assert.equal(g.status, 200);
    assert.deepEqual(((await g.json()) as { scores: number[] }).scores, [0]);

    const expect4xx = async (body: string, status: number, re: RegExp) => {
      const r = await post(body);
      assert.equal(r.status, status, body.slice(0, 80));
      assert.match(JSON.stringify(await r.json()), re);
    };
    await expect4xx('{"items": [', 400, /JSON/i);
    await expect4xx(
      JSON.stringify({ data_source: 'textgame', items: [{ solution_str: 'x', ground_truth: '{}' }], extra: 1 }),
      400,
      /Unrecognized key/,
    );
    await expect4xx(
      JSON.stringify({ data_source: 'chess', items: [{ solution_str: 'x', ground_truth: '{}' }] }),
      400,
      /unknown data_source 'chess'/,
    );
    await expect4xx(
      JSON.stringify({ data_source: 'textgame', reward: 'f1', items: [item(cases[0]!)] }),
      400,
      /reward 'f1' is not one of textgame's/,
    );
    await expect4xx(
      JSON.stringify({ data_source: 'textgame', items: [{ solution_str: 'x', ground_truth: '{"current": 5}' }] }),
      400,
      /items\.0: ground_truth\.current/,
    );
    await expect4xx(
      JSON.stringify({ data_source: 'textgame', items: [{ solution_str: 5, ground_truth: '{}' }] }),
      400,
      /items\.0\.solution_str/,
    );
    await expect4xx(JSON.stringify({ data_source: 'textgame', items: cases.slice(0, 40).map(item) }), 413, /.+/);

    // concurrent load: 300 requests of one item each, all answered, all correct
    const picks = Array.from({ length: 300 }, (_, i) => cases[(i * 7) % cases.length]!);
    const answers = await Promise.all(
      picks.map(async (c) => {
        const r = await post(JSON.stringify({ data_source: 'textgame', reward: 'task_specific', items: [item(c)] }));
        return { status: r.status, score: ((await r.json()) as { scores: number[] }).scores[0]! };
      }),
    );
    answers.forEach((a, i) => {
      assert.equal(a.status, 200);
      assert.ok(Math.abs(a.score - picks[i]!.task_specific) < 1e-12, `request ${i}`);
    });
  } finally {
    await app.close();
  }
});
