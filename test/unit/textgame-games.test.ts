import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TgState, TgTransition } from '../../src/domains/textgame/format.js';
import { GAMES } from '../../src/domains/textgame/games/index.js';
import { playTransitions, validActions } from '../../src/domains/textgame/play.js';

const ALL = Object.keys(GAMES);
const play = (seed: number, randomActionProb = 0.3): TgTransition[] =>
  playTransitions({ games: ALL, episodesPerGame: 6, maxSteps: 30, randomActionProb, seed });
const objectsKey = (s: TgState): string => JSON.stringify(s.objects);
const isStatic = (t: TgTransition): boolean =>
  objectsKey(t.current_state) === objectsKey(t.tick_state) &&
  JSON.stringify(t.current_score_state) === JSON.stringify(t.next_score_state);

function checkState(s: TgState, where: string): void {
  for (const k of ['observation', 'look', 'inventory', 'taskDesc', 'lastAction'] as const)
    assert.equal(typeof s[k], 'string', `${where}: ${k}`);
  assert.ok(Number.isInteger(s.max_UUID), where);
  assert.ok(s.objects.length <= 8, `${where}: ${s.objects.length} objects`);
  const names = new Set(s.objects.map((o) => o.name));
  assert.equal(names.size, s.objects.length, `${where}: names unique`);
  assert.equal(new Set(s.objects.map((o) => o.uuid)).size, s.objects.length, `${where}: uuids unique`);
  for (const o of s.objects) {
    assert.deepEqual(Object.keys(o).sort(), ['contains', 'name', 'properties', 'type', 'uuid'], where);
    assert.ok(Number.isInteger(o.uuid) && o.uuid < s.max_UUID, `${where}: ${o.name} uuid vs max_UUID`);
    assert.ok(o.name.endsWith(` (ID: ${o.uuid})`), `${where}: ${o.name}`);
    assert.equal(typeof o.type, 'string');
    assert.ok(o.properties && typeof o.properties === 'object' && !Array.isArray(o.properties), where);
    const n = Object.keys(o.properties).length;
    assert.ok(n >= 2 && n <= 6, `${where}: ${o.name} has ${n} properties`);
    assert.ok(Array.isArray(o.contains), where);
    for (const c of o.contains) assert.ok(names.has(c), `${where}: ${o.name} contains unknown ${c}`);
  }
  // world first, then the agent, then depth-first in containment order
  assert.equal(s.objects[0]!.type, 'World', where);
  assert.equal(s.objects[1]!.type, 'Agent', where);
  const byName = new Map(s.objects.map((o) => [o.name, o]));
  const dfs = (name: string): string[] => [name, ...byName.get(name)!.contains.flatMap(dfs)];
  assert.deepEqual(
    dfs(s.objects[0]!.name),
    s.objects.map((o) => o.name),
    `${where}: object order`,
  );
}

test('every game: the scripted solution wins within 30 steps, using only listed actions', () => {
  for (const name of ALL) {
    for (let variant = 0; variant < 15; variant++) {
      const game = GAMES[name]!(variant);
      assert.deepEqual(
        game.score(),
        { score: game.score().score, gameOver: false, gameWon: false },
        `${name}/${variant} starts open`,
      );
      let steps = 0;
      for (; steps < 30 && !game.score().gameOver; steps++) {
        const action = game.solution();
        assert.ok(validActions(game).includes(action), `${name}/${variant}: "${action}" not in validActions`);
        game.step(action);
        game.tick();
        checkState(game.state(), `${name}/${variant}@${steps}`);
      }
      assert.equal(game.score().gameWon, true, `${name}/${variant} not won after ${steps} steps`);
      assert.ok(Number.isInteger(game.score().score) && game.score().score > 0, name);
    }
  }
});

test('played transitions match the schema and are JSON round-trippable', () => {
  const ts = play(3);
  assert.ok(ts.length > 100);
  for (const t of ts) {
    const where = `${t.game}#${t.state_id}`;
    for (const s of [t.current_state, t.action_state, t.tick_state]) checkState(s, where);
    assert.equal(t.action_state.lastAction, t.tick_state.lastAction);
    assert.equal(t.action_state.observation, t.tick_state.observation);
    for (const sc of [t.current_score_state, t.next_score_state]) {
      assert.ok(
        Number.isInteger(sc.score) && typeof sc.gameOver === 'boolean' && typeof sc.gameWon === 'boolean',
        where,
      );
    }
    assert.equal(t.current_score_state.gameOver, false, `${where}: no steps after game over`);
    assert.deepEqual(JSON.parse(JSON.stringify(t)), t);
  }
});

test('playTransitions is deterministic for a seed and differs for another', () => {
  assert.deepEqual(play(7), play(7));
  assert.notDeepEqual(play(7), play(8));
});

test('transitions mix static and dynamic, action- and tick-driven, with removed objects', () => {
  const ts = play(1);
  const statics = ts.filter(isStatic).length;
  assert.ok(statics > 0.15 * ts.length && statics < 0.7 * ts.length, `static share ${statics / ts.length}`);
  assert.ok(
    ts.some((t) => objectsKey(t.current_state) !== objectsKey(t.action_state)),
    'action-driven changes',
  );
  assert.ok(
    ts.some((t) => objectsKey(t.action_state) !== objectsKey(t.tick_state)),
    'tick-driven changes',
  );
  const removed = ts.filter((t) => {
    const after = new Set(t.tick_state.objects.map((o) => o.uuid));
    return t.current_state.objects.some((o) => !after.has(o.uuid));
  });
  assert.ok(removed.length > 0, 'some transition removes an object');
  // a removal comes with a new object in the mixing games: max_UUID grows
  assert.ok(removed.some((t) => t.tick_state.max_UUID > t.current_state.max_UUID));
  for (const name of ALL)
    assert.ok(
      ts.some((t) => t.game === name),
      name,
    );
});

test('unknown and impossible actions leave the objects unchanged', () => {
  const game = GAMES['boil-water']!(0);
  const before = objectsKey(game.state());
  game.step('fly to the moon');
  assert.equal(game.state().observation, "I don't understand that.");
  game.step('take stove');
  assert.match(game.state().observation, /cannot be taken/);
  assert.equal(objectsKey(game.state()), before);
});
