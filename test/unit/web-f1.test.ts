// The web domain's micro-F1 reward on hand-computed cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffF1, parseSections } from '../../src/domains/web/f1.js';

const TRUTH = [
  'New items:',
  "[1288] link 'Retry Synchronization'",
  "[1290] button 'Cancel'",
  '',
  'Deleted items:',
  'None',
  '',
  'Updated items:',
  "[80] heading 'Dashboard'",
].join('\n');
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('exact and reordered predictions score 1', () => {
  close(diffF1(TRUTH, TRUTH).f1, 1);
  const reordered = [
    'Updated items:',
    "[80] heading 'Dashboard'",
    'New items:',
    "[1290] button 'Cancel'",
    "  [1288] link 'Retry Synchronization'  ",
    'Deleted items:',
    'None',
  ].join('\n');
  close(diffF1(reordered, TRUTH).f1, 1);
});

test('duplicates count once; None counts as a line; header remainders and preamble are ignored', () => {
  const dup = [
    'I think the page changes like this.',
    'New items: (2)',
    "[1288] link 'Retry Synchronization'",
    "[1288] link 'Retry Synchronization'",
    'Deleted items:',
    'None',
    'Updated items:',
  ].join('\n');
  // predicted lines: 2 (1288, None); true lines: 4; matches 2 → P = 1, R = 0.5, F1 = 2/3
  const r = diffF1(dup, TRUTH);
  assert.deepEqual([r.matches, r.predicted, r.truth], [2, 2, 4]);
  close(r.f1, 2 / 3);
  assert.deepEqual([...parseSections(dup)[0]], ["[1288] link 'Retry Synchronization'"]);
});

test('a line in the wrong section does not match', () => {
  const wrong = [
    'New items:',
    "[80] heading 'Dashboard'",
    'Deleted items:',
    'None',
    'Updated items:',
    "[1288] link 'Retry Synchronization'",
  ].join('\n');
  // matches: None only → P = 1/3, R = 1/4, F1 = 2·(1/12)/(7/12) = 2/7
  close(diffF1(wrong, TRUTH).f1, 2 / 7);
});

test('empty sections and all-None predictions', () => {
  const none = 'New items:\nNone\n\nDeleted items:\nNone\n\nUpdated items:\nNone';
  // predicted: None in all three sections (3 lines); matches 1 (Deleted) → P = 1/3, R = 1/4
  close(diffF1(none, TRUTH).f1, 2 / 7);
  close(diffF1(none, none).f1, 1);
  assert.equal(diffF1('New items:\n\nDeleted items:\n\nUpdated items:\n', TRUTH).f1, 0);
  assert.equal(
    diffF1('New items:\n\nDeleted items:\n\nUpdated items:\n', 'New items:\n\nDeleted items:\n\nUpdated items:\n').f1,
    0,
  );
});

test('garbage and non-text score 0 without throwing', () => {
  for (const g of [
    '',
    'random text',
    "[1288] link 'Retry Synchronization'",
    '\u0000\uffff',
    undefined,
    null,
    42,
    {},
    ['New items:'],
  ]) {
    assert.equal(diffF1(g, TRUTH).f1, 0, String(g));
  }
});

test('tree diff: new, deleted and updated nodes by id, in the three sections the F1 reads', async () => {
  const { treeDiff, formatDiff } = await import('../../src/domains/web/tree-diff.js');
  const before =
    "[1] RootWebArea 'Shop' focused: True\n\t[5] link 'Cart (0)'\n\t[7] button 'Add to cart'\n\t[9] StaticText 'In stock'";
  const after =
    "[1] RootWebArea 'Shop' focused: True\n\t[5] link 'Cart (1)'\n\t[7] button 'Add to cart'\n\t[12] alert 'Added to cart'";
  const d = treeDiff(before, after);
  assert.deepEqual(d, {
    added: ["[12] alert 'Added to cart'"],
    deleted: ["[9] StaticText 'In stock'"],
    updated: ["[5] link 'Cart (1)'"],
  });
  const text = formatDiff(d);
  assert.equal(
    text,
    "New items:\n[12] alert 'Added to cart'\n\nDeleted items:\n[9] StaticText 'In stock'\n\nUpdated items:\n[5] link 'Cart (1)'",
  );
  close(diffF1(text, text).f1, 1);
  assert.equal(
    formatDiff(treeDiff(before, before)),
    'New items:\nNone\n\nDeleted items:\nNone\n\nUpdated items:\nNone',
  );
});
