// The MPC web agent: applying predicted diffs, the goal scorer, the heuristic policy on
// hand-written pages. runAgent in Chromium is in test/e2e/web-agent-chromium.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RenderedNode, RenderedTree } from '../../src/domains/web/browser/ax-tree.js';
import { formatDiff, treeDiff } from '../../src/domains/web/tree-diff.js';
import { applyDiff, choose, proposeActions, scoreOutcome } from '../../src/domains/web/agent/index.js';
import { Rng } from '../../src/core/util/rng.js';

/** A RenderedTree from indented lines `[id] role 'name' props` (tabs = depth). */
function tree(text: string): RenderedTree {
  const nodes: RenderedNode[] = text
    .split('\n')
    .filter((l) => l.trim())
    .map((raw) => {
      const m = /^(\t*)\[(\d+)\] (\S+) '([^']*)'(.*)$/.exec(raw)!;
      const props: Record<string, string> = {};
      for (const p of m[5]!.matchAll(/(\w+): ('[^']*'|\S+)/g)) props[p[1]!] = p[2]!;
      return { id: Number(m[2]), role: m[3]!, name: m[4]!, depth: m[1]!.length, line: raw.trim(), props };
    });
  return { text, nodes };
}

const BEFORE = `[1] RootWebArea 'Order #1042 | Admin panel' focused: True
\t[2] status '' live: polite
\t[3] group 'Status'
\t\t[4] radio 'processing' checked: true
\t\t[5] radio 'shipped' checked: false
\t[6] button 'Save changes'`;

test('applyDiff drops, replaces and appends by id, and is total', () => {
  const after = `[1] RootWebArea 'Order #1042 | Admin panel' focused: True
\t[2] status '' live: polite
\t\t[9] StaticText 'Order #1042 saved.'
\t[3] group 'Status'
\t\t[4] radio 'processing' checked: false
\t\t[5] radio 'shipped' checked: true`;
  const diff = formatDiff(treeDiff(BEFORE, after));
  const got = applyDiff(BEFORE, diff);
  assert.deepEqual(treeDiff(got, after), { added: [], deleted: [], updated: [] }); // same lines by id
  assert.match(got, /^\t\t\[5\] radio 'shipped' checked: true$/m); // indentation kept on update
  assert.equal(applyDiff(BEFORE, 'New items:\nNone\n\nDeleted items:\nNone\n\nUpdated items:\nNone'), BEFORE);
  assert.equal(applyDiff(BEFORE, 'Deleted items:\n[6] button'), BEFORE.split('\n').slice(0, -1).join('\n'));
  assert.equal(applyDiff(BEFORE, "New items:\n[77] link 'x'"), `${BEFORE}\n\t[77] link 'x'`);
  assert.equal(applyDiff(BEFORE, "Updated items:\n[999] link 'nowhere'"), BEFORE); // unknown ids are not invented
  const rng = new Rng(5);
  const alphabet = "New items:Deleted Updated[]0123456789 \n\tabc'";
  for (let i = 0; i < 500; i++) {
    let s = '';
    for (let n = rng.int(80); n > 0; n--) s += alphabet[rng.int(alphabet.length)];
    assert.doesNotThrow(() => applyDiff(BEFORE, s));
  }
  for (const v of [undefined, null, 42, {}])
    assert.doesNotThrow(() => applyDiff(v as unknown as string, v as unknown as string));
});

test('the scorer prefers progress to no change and error pages, and never throws', () => {
  const goal = 'Set the status of order #1042 to shipped.';
  const saved = BEFORE.replace(
    "[2] status '' live: polite",
    "[2] status '' live: polite\n\t\t[9] StaticText 'Order #1042 saved.'",
  )
    .replace("radio 'shipped' checked: false", "radio 'shipped' checked: true")
    .replace("radio 'processing' checked: true", "radio 'processing' checked: false");
  const checked = BEFORE.replace("radio 'shipped' checked: false", "radio 'shipped' checked: true").replace(
    "radio 'processing' checked: true",
    "radio 'processing' checked: false",
  );
  const notFound = "[50] RootWebArea 'Not found'\n\t[51] heading 'Page not found'";
  const none = scoreOutcome(goal, BEFORE, BEFORE);
  assert.ok(scoreOutcome(goal, BEFORE, saved) > none);
  assert.ok(scoreOutcome(goal, BEFORE, checked) > none);
  assert.ok(scoreOutcome(goal, BEFORE, notFound) < none);
  // the wrong radio is worse than the wanted one
  const wrong =
    BEFORE.replace("radio 'processing' checked: true", "radio 'processing' checked: false") +
    "\n\t\t[7] radio 'cancelled' checked: true";
  assert.ok(scoreOutcome(goal, BEFORE, checked) > scoreOutcome(goal, BEFORE, wrong));
  // a search box holding the wanted text, a cart count rising
  const shop = "[1] RootWebArea 'Shop'\n\t[2] searchbox 'Search products'\n\t[3] link 'Cart (2)'";
  assert.ok(
    scoreOutcome(
      'Add the cheapest red shirt to the cart.',
      shop,
      shop.replace("'Search products'", "'Search products' value: 'red shirt'"),
    ) > scoreOutcome('Add the cheapest red shirt to the cart.', shop, shop),
  );
  assert.ok(scoreOutcome('Add the cheapest red shirt to the cart.', shop, shop.replace('Cart (2)', 'Cart (3)')) > -1);
  for (const g of ['', 'garbage', '[1] [2] [[[', '\u0000', 'None']) {
    for (const [a, b] of [
      [g, g],
      [BEFORE, g],
      [g, BEFORE],
    ] as const)
      assert.ok(Number.isFinite(scoreOutcome(goal, a, b)));
  }
  assert.ok(
    Number.isFinite(scoreOutcome(undefined as unknown as string, null as unknown as string, 42 as unknown as string)),
  );
});

const SHOP = tree(`[2] RootWebArea 'Home | One Stop Shop' focused: True url: 'http://apps.local/shop'
\t[15] link 'One Stop Shop' url: 'http://apps.local/shop'
\t[4] searchbox 'Search products'
\t[21] button 'Search'
\t[26] link 'Accessories' url: 'http://apps.local/shop/category/accessories'
\t[27] link 'Cart (2)' url: 'http://apps.local/shop/cart'
\t[34] link 'Red Relaxed Jeans' url: 'http://apps.local/shop/product/51'`);

test('the policy proposes typing the wanted text, filling forms before submitting, and avoids repeats', () => {
  const red = proposeActions('Add the cheapest red shirt to the cart.', SHOP, [], 5);
  assert.equal(red[0]!.action, 'type [4] [red shirt] [1]');
  assert.ok(red.length <= 5 && red.every((c, i) => i === 0 || red[i - 1]!.score >= c.score));
  // once searched, the same search is not the first choice again (ids change between pages)
  assert.notEqual(
    proposeActions('Add the cheapest red shirt to the cart.', SHOP, ['type [99] [red shirt] [1]'], 5)[0]!.action,
    'type [4] [red shirt] [1]',
  );
  assert.equal(
    proposeActions('Add the cheapest item in the Accessories category to the cart.', SHOP, [], 3)[0]!.action,
    'click [26]',
  );

  const order = tree(`[1] RootWebArea 'Order #1042 | Admin panel' url: 'http://apps.local/admin/orders/1042'
\t[95] form ''
\t\t[138] group 'Status'
\t\t\t[97] radio 'pending' checked: false
\t\t\t[98] radio 'processing' checked: true
\t\t\t[99] radio 'shipped' checked: false
\t\t[96] textbox 'Note' required: False
\t\t[148] button 'Save changes'`);
  assert.equal(proposeActions('Set the status of order #1042 to shipped.', order, [], 5)[0]!.action, 'click [99]');
  const shipped = tree(
    order.text
      .replace("'processing' checked: true", "'processing' checked: false")
      .replace("'shipped' checked: false", "'shipped' checked: true"),
  );
  assert.equal(
    proposeActions('Set the status of order #1042 to shipped.', shipped, ['click [99]'], 5)[0]!.action,
    'click [148]',
  );

  const signup = tree(`[1] RootWebArea 'Create user' url: 'http://apps.local/admin/users/new'
\t[190] form ''
\t\t[191] textbox 'Name' required: False
\t\t[192] textbox 'Email' required: False
\t\t[219] group 'Role'
\t\t\t[193] radio 'admin' checked: false
\t\t\t[195] radio 'viewer' checked: true
\t\t[224] button 'Create user'`);
  const acts = proposeActions(
    'Create a user named Casey Wong with the email casey.wong@example.com and the admin role.',
    signup,
    [],
    6,
  ).map((c) => c.action);
  assert.ok(
    acts.includes('type [191] [Casey Wong] [0]') &&
      acts.includes('type [192] [casey.wong@example.com] [0]') &&
      acts.includes('click [193]'),
  );
  assert.ok(acts.indexOf('click [224]') === -1 || acts.indexOf('click [224]') > 2); // not before the form is filled

  const product = tree(`[1] RootWebArea 'Blue Fleece Hoodie' url: 'http://apps.local/shop/product/21'
\t[6] form ''
\t\t[5] spinbutton 'Quantity' value: '1'
\t\t[50] button 'Add to cart'`);
  assert.equal(
    proposeActions('Put two of the most expensive blue hoodie in the cart.', product, [], 3)[0]!.action,
    'type [5] [2] [0]',
  );
  assert.deepEqual(
    proposeActions('anything', { text: '', nodes: [] }, [], 3).map((c) => c.action),
    ['go_back'],
  );
  assert.deepEqual(proposeActions('x', SHOP, [], 0), []);
});

test('choose lets predictions decide and the heuristic break ties', () => {
  const goal = 'Set the status of order #1042 to shipped.';
  const cands = [
    { action: 'click [6]', score: 2 },
    { action: 'click [5]', score: 1 },
  ];
  const checked = BEFORE.replace("radio 'shipped' checked: false", "radio 'shipped' checked: true");
  assert.equal(choose(goal, BEFORE, cands, null)?.action, 'click [6]');
  assert.equal(choose(goal, BEFORE, cands, [BEFORE, checked])?.action, 'click [5]');
  assert.equal(choose(goal, BEFORE, cands, [BEFORE, BEFORE])?.action, 'click [6]');
  assert.equal(choose(goal, BEFORE, cands, [null, { before: BEFORE, after: checked }])?.action, 'click [5]');
});

test('choose degrades to the heuristic order when predictions are garbage, unchanged or mere navigation', () => {
  const goal = 'Set the status of order #1042 to shipped.';
  const cands = [
    { action: 'click [6]', score: 2 },
    { action: 'click [5]', score: 1.9 },
    { action: 'click [7]', score: 1.8 },
  ];
  const garbage = ['', 'nonsense', '{}', '[[['];
  for (const junk of [...garbage, null, BEFORE]) {
    assert.equal(
      choose(
        goal,
        BEFORE,
        cands,
        cands.map(() => junk),
      )?.action,
      'click [6]',
      String(junk),
    );
    assert.equal(
      choose(
        goal,
        BEFORE,
        cands,
        cands.map(() => ({ before: BEFORE, after: junk as string })),
      )?.action,
      'click [6]',
      String(junk),
    );
  }
  assert.equal(
    choose(goal, BEFORE, cands, [{ before: 1, after: 2 } as never, 42 as never, undefined as never])?.action,
    'click [6]',
  );
  assert.equal(choose(goal, BEFORE, cands, [])?.action, 'click [6]');
  // a plain navigation to a page about the objective's words does not overrule the heuristic
  const nav = "[1001] RootWebArea 'Orders'\n\t[1002] heading 'Order #1042'\n\t[1003] link 'Orders'";
  assert.equal(choose(goal, BEFORE, cands, [BEFORE, nav, nav])?.action, 'click [6]');
  // but an error page counts against, and a confirmation for the objective wins
  const err = "[1001] RootWebArea 'Page not found'\n\t[1002] heading 'Page not found'";
  assert.equal(choose(goal, BEFORE, cands, [err, BEFORE, BEFORE])?.action, 'click [5]');
  const saved = BEFORE + "\n[1001] status ''\n\t[1002] StaticText 'Order #1042 saved.'";
  assert.equal(choose(goal, BEFORE, cands, [BEFORE, BEFORE, saved])?.action, 'click [7]');
});
