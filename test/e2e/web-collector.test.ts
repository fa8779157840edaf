// The Chromium collector: the action parser and the tree renderer on their own, then (when
// /usr/bin/chromium exists) real pages of the local apps — trees, diffs, stable ids, bad
// actions, every task's scripted solution, and a small collect() written as JSONL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApps, TASKS, type Apps } from '../../src/domains/web/apps/index.js';
import { parseAction, formatAction } from '../../src/domains/web/browser/actions.js';
import { renderAXTree, type AXNode } from '../../src/domains/web/browser/ax-tree.js';
import { formatDiff, nodesById, treeDiff } from '../../src/domains/web/tree-diff.js';
import { Rng } from '../../src/core/util/rng.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

test('the action parser follows WebArena grammar and never throws', () => {
  const ok = (s: string) => {
    const p = parseAction(s);
    assert.ok(p.ok, s);
    return p.action;
  };
  assert.deepEqual(ok('click [12]'), { kind: 'click', id: 12 });
  assert.deepEqual(ok('  `hover [7]`  '), { kind: 'hover', id: 7 });
  assert.deepEqual(ok('type [5] [red shirt] [0]'), { kind: 'type', id: 5, text: 'red shirt', enter: false });
  assert.deepEqual(ok('type [5] [red shirt]'), { kind: 'type', id: 5, text: 'red shirt', enter: true });
  assert.deepEqual(ok('type [5] [a [b] c] [1]'), { kind: 'type', id: 5, text: 'a [b] c', enter: true });
  assert.deepEqual(ok('press [Control+a]'), { kind: 'press', key: 'Control+a' });
  assert.deepEqual(ok('scroll [down]'), { kind: 'scroll', direction: 'down' });
  assert.deepEqual(ok('scroll [UP]'), { kind: 'scroll', direction: 'up' });
  assert.deepEqual(ok('go_back'), { kind: 'go_back' });
  assert.deepEqual(ok('goto [http://apps.local/shop]'), { kind: 'goto', url: 'http://apps.local/shop' });
  assert.deepEqual(ok('stop [42]'), { kind: 'stop', answer: '42' });
  for (const s of ['type [5] [x] [1]', 'click [3]', 'press [Enter]', 'scroll [up]', 'go_back', 'goto [http://a/b]'])
    assert.equal(formatAction(ok(s)), s);
  for (const bad of [
    '',
    'click',
    'click []',
    'click [abc]',
    'click [1] [2]',
    'type [x] [y]',
    'press []',
    'scroll [left]',
    'fly [1]',
    'go_back [1]',
    'click [99999999999999999999]',
  ]) {
    assert.equal(parseAction(bad).ok, false, bad);
  }
  for (const v of [undefined, null, 42, {}, []]) assert.equal(parseAction(v).ok, false);
  const rng = new Rng(3);
  const alphabet = 'clicktypehovrsg_[]01 23\n\t`+abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < 2000; i++) {
    let s = rng.next() < 0.5 ? rng.pick(['click ', 'type ', 'press ', 'scroll ', 'goto ', 'stop ']) : '';
    for (let k = rng.int(20); k > 0; k--) s += alphabet[rng.int(alphabet.length)];
    assert.doesNotThrow(() => parseAction(s));
  }
});

test('the renderer prunes like WebArena and uses backend node ids', () => {
  const n = (
    nodeId: string,
    role: string,
    name: string,
    childIds: string[] = [],
    extra: Partial<AXNode> = {},
  ): AXNode => ({
    nodeId,
    role: { value: role },
    name: { value: name },
    childIds,
    backendDOMNodeId: Number(nodeId) + 100,
    ...extra,
  });
  const nodes: AXNode[] = [
    n('1', 'RootWebArea', 'Shop', ['2', '3'], {
      properties: [{ name: 'focused', value: { type: 'booleanOrUndefined', value: true } }],
    }),
    n('2', 'none', '', ['4', '5', '7', '9'], { ignored: true }),
    n('3', 'generic', '', ['10']),
    n('4', 'link', "Kid's Cap", ['6'], {
      properties: [
        { name: 'url', value: { type: 'string', value: 'http://real:1/x' } },
        { name: 'focusable', value: { type: 'booleanOrUndefined', value: true } },
      ],
    }),
    n('5', 'textbox', 'Search', ['8'], {
      value: { value: 'red' },
      properties: [{ name: 'required', value: { type: 'boolean', value: false } }],
    }),
    n('6', 'StaticText', "Kid's Cap", ['11']),
    n('7', 'radio', 'shipped', [], { properties: [{ name: 'checked', value: { type: 'tristate', value: 'true' } }] }),
    n('8', 'StaticText', 'red'),
    n('9', 'listitem', '', ['12']),
    n('10', 'StaticText', 'Total: $3.00'),
    { nodeId: '11', role: { value: 'InlineTextBox' }, name: { value: "Kid's Cap" }, childIds: [] },
    n('12', 'LineBreak', '\n'),
  ];
  const r = renderAXTree(nodes, { rewriteUrl: (u) => u.replace('http://real:1', 'http://apps.local') });
  assert.equal(
    r.text,
    [
      "[101] RootWebArea 'Shop' focused: True",
      "\t[104] link \"Kid's Cap\" url: 'http://apps.local/x'",
      "\t[105] textbox 'Search' required: False value: 'red'",
      "\t[107] radio 'shipped' checked: true",
      "\t[110] StaticText 'Total: $3.00'",
    ].join('\n'),
  );
  assert.deepEqual(
    r.nodes.map((x) => x.id),
    [101, 104, 105, 107, 110],
  );
});

test('Chromium over the local apps', { skip, timeout: 150_000 }, async (t) => {
  const { BrowserSession, executeAction, runEpisode, collect, writeTransitions, CANONICAL_ORIGIN } =
    await import('../../src/domains/web/browser/index.js');
  let apps: Apps | undefined;
  let session: Awaited<ReturnType<typeof BrowserSession.open>> | undefined;
  const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('rlvr-web-chromium-')));
  try {
    apps = await startApps({ seed: 5 });
    session = await BrowserSession.open({ origin: { real: apps.url, canonical: CANONICAL_ORIGIN } });
    const s = session,
      a = apps;
    const id = (tree: { nodes: { id: number; role: string; name: string }[] }, role: string, name: string) => {
      const node = tree.nodes.find((x) => x.role === role && x.name === name);
      assert.ok(node, `${role} '${name}' in the tree`);
      return node.id;
    };

    await t.test('search, open a product, add to cart: trees, stable ids and the diff', async () => {
      a.reset(5);
      const cheapest = a
        .state()
        .shop.products.filter((p) => p.colour === 'Red' && p.type === 'Shirt')
        .sort((x, y) => x.price - y.price)[0]!;
      await s.goto(`${CANONICAL_ORIGIN}/shop`);
      let tree = await s.snapshot();
      assert.match(tree.text, /^\[\d+\] RootWebArea 'Home \| One Stop Shop' focused: True/);
      assert.match(s.url(), /^http:\/\/apps\.local\/shop$/);
      let r = await executeAction(s, `type [${id(tree, 'searchbox', 'Search products')}] [red shirt] [1]`);
      assert.ok(r.ok, JSON.stringify(r));
      tree = await s.snapshot();
      assert.match(
        tree.text,
        new RegExp(`\\[\\d+\\] link '${cheapest.name}' url: 'http://apps\\.local/shop/product/${cheapest.id}'`),
      );
      assert.ok(!tree.text.includes(a.url), 'the random port never shows');

      r = await executeAction(s, `click [${id(tree, 'link', cheapest.name)}]`);
      assert.ok(r.ok);
      const t0 = await s.snapshot();
      assert.match(t0.text, /\[\d+\] button 'Add to cart'/);
      assert.match(t0.text, new RegExp(`\\[\\d+\\] heading '${cheapest.name}'`));
      assert.match(s.url(), new RegExp(`/shop/product/${cheapest.id}$`));

      // typing on the same page keeps every node's id; only the field changes
      r = await executeAction(s, `type [${id(t0, 'spinbutton', 'Quantity')}] [3] [0]`);
      assert.ok(r.ok);
      const t1 = await s.snapshot();
      const d1 = treeDiff(t0.text, t1.text);
      assert.equal(id(t1, 'button', 'Add to cart'), id(t0, 'button', 'Add to cart'));
      assert.ok(
        d1.updated.some((l) => /spinbutton 'Quantity' focused: True .*value: '3'/.test(l)),
        formatDiff(d1),
      );
      const kept = [...nodesById(t0.text).keys()].filter((k) => nodesById(t1.text).has(k)).length;
      assert.ok(kept >= nodesById(t0.text).size - 2, 'ids are stable across an action on the same page');

      // add to cart patches the page in place: the cart link is an updated item
      const count = a.state().shop.cart.reduce((n, l) => n + l.qty, 0);
      r = await executeAction(s, `click [${id(t1, 'button', 'Add to cart')}]`);
      assert.ok(r.ok);
      const t2 = await s.snapshot();
      const diff = formatDiff(treeDiff(t1.text, t2.text));
      const updated = diff.split('Updated items:')[1]!;
      assert.match(
        updated,
        new RegExp(`\\[${id(t1, 'link', `Cart (${count})`)}\\] link 'Cart \\(${count + 3}\\)'`),
        diff,
      );
      assert.match(diff.split('Deleted items:')[0]!, /StaticText 'Added 3 × .* to your cart\.'/);
      assert.equal(a.state().shop.cart.find((l) => l.productId === cheapest.id)?.qty, 3);
    });

    await t.test('upvoting updates the button and the score in place', async () => {
      a.reset(5);
      await s.goto(`${CANONICAL_ORIGIN}/forum/f/books`);
      const t0 = await s.snapshot();
      const button = t0.nodes.find(
        (x: { role: string; name: string }) => x.role === 'button' && x.name.startsWith('Upvote '),
      )!;
      const post = a.state().forum.posts.find((p) => `Upvote ${p.title}` === button.name)!;
      const r = await executeAction(s, `click [${button.id}]`);
      assert.ok(r.ok);
      const d = treeDiff(t0.text, (await s.snapshot()).text);
      assert.deepEqual(d.added, []);
      assert.ok(
        d.updated.some((l) => l.startsWith(`[${button.id}] button '${button.name}'`) && l.includes('pressed: true')),
        JSON.stringify(d),
      );
      assert.ok(
        d.updated.some((l) => l.includes(`StaticText '${post.score + 1} points'`)),
        JSON.stringify(d),
      );
      assert.equal(post.myVote, 1);
    });

    await t.test('bad actions return errors without throwing', async () => {
      await s.goto(`${CANONICAL_ORIGIN}/shop`);
      for (const bad of [
        'click [999999]',
        'hover [0]',
        'type [424242] [x] [1]',
        'jump [3]',
        'click [abc]',
        '',
        'press [NoSuchKey]',
        'goto [ftp://x]',
      ]) {
        const r = await executeAction(s, bad);
        assert.equal(r.ok, false, bad);
        assert.ok(!r.ok && r.error.length > 0);
      }
      assert.ok((await executeAction(s, 'scroll [down]')).ok);
      assert.match(s.url(), /\/shop$/);
    });

    await t.test("every task's scripted solution succeeds in the browser", async () => {
      const failed: string[] = [];
      for (const task of TASKS) {
        a.reset(5);
        const r = await runEpisode(s, a, task);
        if (!r.success) failed.push(`${task.id}: ${r.errors.join('; ')}`);
        assert.ok(r.transitions.length > 0);
      }
      assert.deepEqual(failed, []);
    });

    await session.close();
    session = undefined;

    await t.test('collect() mixes scripted and random actions and writes JSONL', async () => {
      const transitions = await collect({ seed: 2, episodes: 3, randomActionProb: 0.3, maxSteps: 6 });
      assert.ok(transitions.length >= 3);
      for (const tr of transitions) {
        assert.equal(tr.diff, formatDiff(treeDiff(tr.treeBefore, tr.treeAfter)));
        assert.ok(parseAction(tr.action).ok, tr.action);
        assert.ok(TASKS.some((x) => x.id === tr.taskId && x.objective === tr.objective));
        assert.match(tr.url, /^http:\/\/apps\.local\//);
      }
      assert.equal(transitions[0]!.previousAction, 'None');
      const dir = mkdtempSync(join(tmpdir(), 'rlvr-web-jsonl-'));
      try {
        const file = join(dir, 'sub', 'transitions.jsonl');
        await writeTransitions(file, transitions);
        const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
        assert.equal(lines.length, transitions.length);
        assert.deepEqual(JSON.parse(lines[0]!), transitions[0]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  } finally {
    await session?.close();
    await apps?.close();
  }
  const left = readdirSync(tmpdir()).filter((f) => f.startsWith('rlvr-web-chromium-') && !before.has(f));
  assert.deepEqual(left, [], 'profile directories are removed');
});
