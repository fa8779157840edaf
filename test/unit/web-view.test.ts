// The model's view of a page (src/domains/web/view.ts): windows around the action's element,
// page-local ids, the diff inside the window, and the readers that build prompts from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { viewTransition, actionTarget } from '../../src/domains/web/view.js';
import { readTransitions, withoutId } from '../../src/domains/web/data.js';
import { parseSections } from '../../src/domains/web/f1.js';

const page = (ids: number[], extra = ''): string =>
  [
    `[${ids[0]}] RootWebArea 'Shop' focused: True url: 'http://apps.local/shop'`,
    ...ids.slice(1).map((id, i) => `\t[${id}] link 'Item ${i + 1}' url: 'http://apps.local/p/${i + 1}'`),
  ].join('\n') + extra;

test('a window around the element, urls dropped, ids renumbered in document order', () => {
  const before = page([500, 510, 520, 530, 540, 550, 560, 570, 580, 590]); // 10 nodes
  const v = viewTransition(before, 'click [570]', before, { maxLines: 4, dropProps: ['url'], newIdBase: 100 });
  // element 570 is node 8 of 10: the window of 4 starts two above it (nodes 6..9)
  assert.equal(v.before, "\t[6] link 'Item 5'\n\t[7] link 'Item 6'\n\t[8] link 'Item 7'\n\t[9] link 'Item 8'");
  assert.equal(v.action, 'click [8]');
  assert.equal(v.diff, 'New items:\nNone\n\nDeleted items:\nNone\n\nUpdated items:\nNone');
  // near the top the window starts at the top; actions without an element see the top too
  assert.equal(
    viewTransition(before, 'click [510]', before, { maxLines: 3, dropProps: ['url'], newIdBase: 100 }).before.split(
      '\n',
    )[0],
    "[1] RootWebArea 'Shop' focused: True",
  );
  assert.equal(
    viewTransition(before, 'scroll [down]', before, { maxLines: 3, dropProps: [], newIdBase: 100 }).action,
    'scroll [down]',
  );
  // an element that is not on the page
  assert.equal(viewTransition(before, 'click [999]', before).action, null);
  assert.equal(actionTarget('type [12] [red shirt] [1]'), '12');
  assert.equal(actionTarget('go_back'), null);
});

test('a navigation: the old window is deleted, the new page is numbered from newIdBase', () => {
  const before = page([10, 11, 12]);
  const after = "[40] RootWebArea 'Cart' focused: True\n\t[41] heading 'Your cart'\n\t[42] StaticText 'Total: $3.00'";
  const v = viewTransition(before, 'click [12]', after, { maxLines: 16, dropProps: ['url'], newIdBase: 1000 });
  const [added, deleted, updated] = parseSections(v.diff);
  assert.deepEqual(
    [...added],
    ["[1001] RootWebArea 'Cart' focused: True", "[1002] heading 'Your cart'", "[1003] StaticText 'Total: $3.00'"],
  );
  assert.deepEqual([...deleted], ["[1] RootWebArea 'Shop' focused: True", "[2] link 'Item 1'", "[3] link 'Item 2'"]);
  assert.deepEqual([...updated], ['None']);
});

test('an update in place: the after window starts where the before window did; new nodes inside it are numbered', () => {
  const before = [
    "[1] RootWebArea 'Forum'",
    ...Array.from({ length: 9 }, (_, i) => `\t[${10 + i}] button 'Upvote ${i}' pressed: false`),
  ].join('\n');
  // the click inserts a status line above the window and presses button 15
  const after = [
    "[1] RootWebArea 'Forum'",
    "\t[99] status 'Vote saved'",
    ...Array.from({ length: 9 }, (_, i) => `\t[${10 + i}] button 'Upvote ${i}' pressed: ${i === 5}`),
  ].join('\n');
  const v = viewTransition(before, 'click [15]', after, { maxLines: 4, dropProps: [], newIdBase: 1000 });
  assert.equal(v.action, 'click [7]');
  const [added, deleted, updated] = parseSections(v.diff);
  assert.deepEqual([...updated], ["[7] button 'Upvote 5' pressed: true"]);
  assert.deepEqual([...added], ['None']);
  assert.deepEqual([...deleted], ['None']);
  assert.throws(
    () => viewTransition(before, 'click [15]', after, { maxLines: 4, dropProps: [], newIdBase: 5 }),
    /newIdBase/,
  );
});

test('readTransitions with a view builds the prompt from the window and the target from its diff; bad element ids are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'web-view-'));
  const t = {
    url: 'http://apps.local/shop',
    objective: 'Buy item 1.',
    previousAction: 'click [77]',
    treeBefore: page([10, 11, 12]),
    action: 'click [11]',
    treeAfter: "[40] RootWebArea 'Item 1' focused: True",
    diff: 'unused',
  };
  writeFileSync(join(dir, 'ok.jsonl'), JSON.stringify(t) + '\n');
  const [e] = readTransitions(join(dir, 'ok.jsonl'), { maxLines: 16, dropProps: ['url'], newIdBase: 1000 });
  assert.match(e!.prompt, /PREVIOUS ACTION: click\n/);
  assert.match(e!.prompt, /ACTION: click \[2\]\n/);
  assert.doesNotMatch(e!.prompt, /url: /);
  assert.match(e!.truth, /^New items:\n\[1001\] RootWebArea 'Item 1' focused: True\n/);
  assert.equal(readTransitions(join(dir, 'ok.jsonl'))[0]!.truth, 'unused'); // without a view: as recorded
  writeFileSync(
    join(dir, 'bad.jsonl'),
    JSON.stringify(t) + '\n' + JSON.stringify({ ...t, action: 'click [5]' }) + '\n',
  );
  assert.throws(
    () => readTransitions(join(dir, 'bad.jsonl'), { maxLines: 16, dropProps: ['url'], newIdBase: 1000 }),
    /bad\.jsonl:2: field action/,
  );
  assert.equal(withoutId('type [12] [red shirt] [1]'), 'type [red shirt] [1]');
  assert.equal(withoutId('go_back'), 'go_back');
});
