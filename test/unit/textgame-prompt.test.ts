// The compact prompt (src/domains/textgame/prompt.ts) writes every fact of the JSON prompt in
// fewer characters: each object's name, uuid (when the name does not carry it), type,
// properties and contains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GAMES,
  playTransitions,
  toExamples,
  promptText,
  compactObject,
  type TgObject,
} from '../../src/domains/textgame/index.js';

test('textgame prompt: a compact object line holds every field once', () => {
  const stove: TgObject = {
    name: 'stove (ID: 2)',
    uuid: 2,
    type: 'Stove',
    properties: { isOn: true, temperature: 20, state: 'solid', connects: { a: ['x', 1] } },
    contains: ['pot (ID: 4)'],
  };
  assert.equal(
    compactObject(stove),
    'stove (ID: 2) Stove isOn=true temperature=20 state="solid" connects={"a":["x",1]} contains=["pot (ID: 4)"]',
  );
  // a name that does not carry its uuid keeps the uuid
  assert.equal(
    compactObject({ ...stove, name: 'stove', properties: {} }),
    'stove uuid=2 Stove contains=["pot (ID: 4)"]',
  );
});

test('textgame prompt: compact prompts are at least a quarter shorter and end with the answer marker', () => {
  const examples = toExamples(
    playTransitions({ games: Object.keys(GAMES), episodesPerGame: 1, maxSteps: 12, randomActionProb: 0.3, seed: 3 }),
    'p',
  );
  let json = 0,
    compact = 0;
  for (const e of examples) {
    const c = promptText(e, 'compact');
    assert.ok(c.endsWith('\nThe final answer is:'), e.id);
    assert.ok(c.includes(`Action: ${e.action}\n`), e.id);
    for (const o of e.truth.current) assert.ok(c.includes(compactObject(o)), e.id);
    json += promptText(e).length;
    compact += c.length;
  }
  assert.ok(compact < 0.75 * json, `${compact} vs ${json}`);
});
