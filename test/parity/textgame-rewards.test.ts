// The text-game rewards: parity with the published reward code (fixture), the properties the
// spec implies on the real ByteSized32 set, the loader's errors, and a fuzz test of totality.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDir, fixture, fixturesSkip, sharedSkip } from '../helpers.js';
import { scoreText, type TgTruth } from '../../src/domains/textgame/reward.js';
import { readTransitions } from '../../src/domains/textgame/data.js';
import { toExamples } from '../../src/domains/textgame/examples.js';
import { targetText, ANSWER_MARKER, type TgExample } from '../../src/domains/textgame/codec.js';
import { Rng } from '../../src/core/util/rng.js';
import { unzipSync, strFromU8 } from 'fflate';

const realSet = join(sharedDir, 'data', 'bytesized32', 'test.zip');
/** The tests on the real set skip when it is absent. */
const realSkip = sharedSkip('data', 'bytesized32', 'test.zip');
let real: TgExample[] | undefined;
const realExamples = (): TgExample[] => (real ??= toExamples(readTransitions(realSet), 'bytesized32'));
const gold = (e: TgExample): string => `${ANSWER_MARKER}${targetText(e.diff)}`;
const NO_CHANGE = `${ANSWER_MARKER} {"modified": [], "removed": [], "score": {}}`;
const maxTaskSpecific = (e: TgExample): number => 0.3 + (Number.isNaN(scoreText(gold(e), e.truth).accChanged) ? 0 : 1);

test('rewards equal the published reward code on all 331 fixture cases', { skip: fixturesSkip }, () => {
  const lines = readFileSync(fixture('textgame-rewards', 'cases.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 331);
  const split = (s: string) => {
    const gs = JSON.parse(s).game_state as any[];
    return { objs: gs.filter((o) => 'uuid' in o), score: gs.find((o) => !('uuid' in o)) };
  };
  for (const c of lines) {
    const cur = split(c.data_state),
      nxt = split(c.ground_truth);
    const r = scoreText(c.solution, {
      current: cur.objs,
      currentScore: cur.score,
      next: nxt.objs,
      nextScore: nxt.score,
    });
    const where = `${c.game}#${c.state_id} ${c.variant}`;
    assert.equal(r.binary, c.binary, `binary, ${where}`);
    assert.ok(
      Math.abs(r.taskSpecific - c.task_specific) < 1e-12,
      `task-specific ${r.taskSpecific} vs ${c.task_specific}, ${where}`,
    );
  }
});

test('real ByteSized32 set: the loader reads all 2,954 transitions of 31 games', { skip: realSkip }, () => {
  const ex = realExamples();
  assert.equal(ex.length, 2954);
  assert.equal(new Set(ex.map((e) => e.game)).size, 31);
});

test('real set: the true next state scores 1 (binary) and the maximum task-specific reward', { skip: realSkip }, () => {
  for (const e of realExamples()) {
    const r = scoreText(gold(e), e.truth);
    assert.equal(r.binary, 1, e.id);
    assert.ok(Math.abs(r.taskSpecific - maxTaskSpecific(e)) < 1e-12, `${e.id}: ${r.taskSpecific}`);
  }
});

test(
  'real set: "no change" scores 1 exactly on static transitions; its accuracy is the static share',
  { skip: realSkip },
  () => {
    let hits = 0,
      statics = 0;
    for (const e of realExamples()) {
      const r = scoreText(NO_CHANGE, e.truth);
      assert.equal(r.binary, e.dynamic ? 0 : 1, e.id);
      hits += r.binary;
      statics += e.dynamic ? 0 : 1;
    }
    assert.equal(statics, 1744); // counted independently with Python on test.jsonl (contains compared as sets)
    assert.equal(hits / realExamples().length, statics / realExamples().length);
  },
);

test('loader: a malformed line is reported by file and line; nothing is returned', { skip: realSkip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-'));
  const good = firstRawLine();
  const bad = JSON.parse(good);
  delete bad.tick_state.objects[0].uuid;
  const cases: [string, RegExp][] = [
    [`${good}\n${good}\n{"current_state": \n`, /bad\.jsonl:3: not valid JSON/],
    [`${good}\n${JSON.stringify(bad)}\n`, /bad\.jsonl:2: field tick_state\.objects\.0\.uuid/],
    [`${good}\n${JSON.stringify({ ...JSON.parse(good), game: 5 })}\n`, /bad\.jsonl:2: field game/],
  ];
  for (const [text, re] of cases) {
    writeFileSync(join(dir, 'bad.jsonl'), text);
    assert.throws(() => readTransitions(join(dir, 'bad.jsonl')), re);
  }
  writeFileSync(join(dir, 'good.jsonl'), `${good}\n\n${good}\n`);
  assert.equal(readTransitions(join(dir, 'good.jsonl')).length, 2);
});

/** The first line of the real set, as written in the file. */
function firstRawLine(): string {
  const entries = unzipSync(readFileSync(realSet));
  return strFromU8(Object.values(entries)[0]!).split('\n')[0]!;
}

test('fuzz: thousands of malformed outputs never throw and score 0', { skip: realSkip }, () => {
  const rng = new Rng(7);
  const ex = realExamples().filter((e) => e.dynamic);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
  const wrongTypes = [
    '{"modified": "x", "removed": [], "score": {}}',
    '{"modified": [], "removed": {}, "score": 3}',
    '{"modified": [1, 2], "removed": []}',
    '{"modified": [{"name": "a"}], "removed": []}',
    '{"modified": [{"uuid": null}], "removed": []}',
    '[]',
    '"text"',
    '42',
    'null',
    'true',
    '{"modified": null, "removed": null}',
    '{"removed": []}',
    '{"modified": []}',
    '{}',
    '{"modified": [[]], "removed": [[]]}',
  ];
  let n = 0;
  for (let i = 0; i < 3000; i++) {
    const e = pick(ex);
    const g = targetText(e.diff);
    let text: string;
    let mustBeZero = true;
    switch (i % 5) {
      case 0:
        text = Array.from({ length: Math.floor(rng.next() * 400) }, () =>
          String.fromCharCode(Math.floor(rng.next() * 0x3000)),
        ).join('');
        break;
      case 1:
        text = `${ANSWER_MARKER} ${pick(wrongTypes)}`;
        break;
      case 2:
        text = `${ANSWER_MARKER}${g.slice(0, 1 + Math.floor(rng.next() * g.indexOf('"removed"')))}`;
        break; // cut before `removed`
      case 3: {
        // random edits anywhere: may or may not still parse, must not throw
        const cs = [...g];
        for (let k = 0; k < 5; k++)
          cs.splice(
            Math.floor(rng.next() * cs.length),
            Math.floor(rng.next() * 3),
            pick(['{', '}', '"', ',', ':', '[', ']', 'True', '\\', '']),
          );
        text = `${ANSWER_MARKER}${cs.join('')}`;
        mustBeZero = false;
        break;
      }
      default:
        text = `${pick(['```json\n', 'The final state is:', '', 'the final answer is: ```'])}${g.slice(0, Math.floor(rng.next() * g.length))}`;
        mustBeZero = false;
    }
    const r = scoreText(text, e.truth);
    assert.ok(
      r.taskSpecific >= 0 && r.taskSpecific <= 1.3 + 1e-12 && (r.binary === 0 || r.binary === 1),
      `out of range on ${JSON.stringify(text.slice(0, 80))}`,
    );
    if (mustBeZero)
      assert.equal(
        r.taskSpecific + r.binary,
        0,
        `case ${i % 5} scored ${r.taskSpecific} on ${JSON.stringify(text.slice(0, 120))}`,
      );
    n++;
  }
  assert.equal(n, 3000);
  for (const v of [undefined, null, 5, {}, [], Symbol('x')])
    assert.equal(scoreText(v as unknown, ex[0]!.truth).binary, 0);
});

test('truth with an empty score scores 0 whatever the prediction', { skip: realSkip }, () => {
  const e = realExamples()[0]!;
  const truth: TgTruth = { ...e.truth, nextScore: {} as never };
  assert.equal(scoreText(gold(e), truth).taskSpecific, 0);
});
