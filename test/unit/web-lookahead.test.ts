// The lookahead planner's parts on hand-written pages: trees parsed back from text, actions
// moved between renderings, the finished-page judge, and the search itself over a small
// scripted site with a perfect and a no-change predictor. In Chromium:
// test/e2e/web-planner-chromium.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge, atPlace, frames } from '../../src/domains/web/agent/goal.js';
import { lookahead } from '../../src/domains/web/agent/lookahead.js';
import { parseObjective } from '../../src/domains/web/agent/objective.js';
import { moveAction, parseTree, similarity } from '../../src/domains/web/agent/tree-text.js';
import { proposeActions } from '../../src/domains/web/agent/policy.js';
import { scoreOutcome } from '../../src/domains/web/agent/scorer.js';
import type { AgentView, Predictor } from '../../src/domains/web/agent/types.js';

const ORDER = `[1] RootWebArea 'Order #1042 | Admin panel' focused: True url: 'http://apps.local/admin/orders/1042'
\t[2] status '' live: polite
\t[3] heading 'Order #1042'
\t[4] StaticText 'Status: processing'
\t[95] form ''
\t\t[138] group 'Status'
\t\t\t[97] radio 'pending' checked: false
\t\t\t[98] radio 'processing' checked: true
\t\t\t[99] radio 'shipped' checked: false
\t\t[96] textbox 'Note' required: False
\t\t[148] button 'Save changes'`;

test('parseTree reads back names, props and depth; moveAction follows an element across renderings', () => {
  const t = parseTree(ORDER + "\n\t[7] link 'It\\'s here' url: 'http://x'\ngarbage line");
  assert.equal(t.nodes.length, 12);
  assert.deepEqual(
    [t.nodes[6]!.role, t.nodes[6]!.name, t.nodes[6]!.depth, t.nodes[6]!.props['checked']],
    ['radio', 'pending', 3, 'false'],
  );
  assert.equal(t.nodes[11]!.name, "It's here");
  const other = parseTree(ORDER.replace(/\[(\d+)\]/g, (_, d) => `[${Number(d) + 500}]`));
  assert.equal(moveAction('click [99]', t, other), 'click [599]');
  assert.equal(moveAction('type [96] [x] [0]', t, other), 'type [596] [x] [0]');
  assert.equal(moveAction('click [12345]', t, other), null);
  assert.equal(moveAction('go_back', t, other), 'go_back');
  assert.equal(similarity(ORDER, other.text), 1);
  assert.ok(similarity(ORDER, "[1] RootWebArea 'Other'") < 0.2);
  for (const g of ['', 'None', '[[[', undefined as unknown as string]) assert.doesNotThrow(() => parseTree(g));
});

const saved = (radio: string, status: string) =>
  ORDER.replace(/\[(\d+)\]/g, (_, d) => `[${Number(d) + 1000}]`)
    .replace("status '' live: polite", "status '' live: polite\n\t\t[1500] StaticText 'Order #1042 saved.'")
    .replace('Status: processing', `Status: ${status}`)
    .replace("'processing' checked: true", "'processing' checked: false")
    .replace(`'${radio}' checked: false`, `'${radio}' checked: true`);

test('judge: a confirmation finishes only with a real change, the wanted radio and the named values', () => {
  const goal = 'Set the status of order #1042 to shipped.';
  const checked = ORDER.replace("'processing' checked: true", "'processing' checked: false").replace(
    "'shipped' checked: false",
    "'shipped' checked: true",
  );
  assert.deepEqual(judge(goal, checked, saved('shipped', 'shipped')), { done: true, progress: 3 });
  // saved with the wrong status, or saved again with nothing new: not finished, and worse than nothing
  const wrong = judge(goal, ORDER, saved('pending', 'pending'));
  assert.equal(wrong.done, false);
  assert.ok(wrong.progress < -1);
  const again = saved('shipped', 'shipped');
  assert.equal(
    judge(
      goal,
      again,
      again.replace(/\[(\d+)\]/g, (_, d) => `[${Number(d) + 7}]`),
    ).done,
    false,
  );
  // another order's confirmation does not show #1042
  assert.equal(judge('Set the status of order #1043 to shipped.', checked, saved('shipped', 'shipped')).done, false);
  assert.deepEqual(judge(goal, ORDER, ORDER), { done: false, progress: -1 });
  // a vote pressed in place
  const list =
    "[1] RootWebArea 'cooking | Forum'\n\t[5] button 'Downvote Foo' pressed: false\n\t[6] StaticText '3 points'";
  const voted = list.replace('pressed: false', 'pressed: true').replace('3 points', '2 points');
  assert.equal(judge('Downvote the most upvoted post in the cooking forum.', list, voted).done, true);
  assert.equal(judge('Upvote the most upvoted post in the cooking forum.', list, voted).done, false);
  // a quantity asked for must show
  const product =
    "[1] RootWebArea 'Cap'\n\t[2] status ''\n\t[3] spinbutton 'Quantity' value: '1'\n\t[4] link 'Cart (2)'";
  const added = (n: number) =>
    product
      .replace("status ''", `status ''\n\t\t[9] StaticText 'Added ${n} × Blue Cap to your cart.'`)
      .replace('Cart (2)', `Cart (${2 + n})`);
  assert.equal(judge('Put two of the blue cap in the cart.', product, added(2)).done, true);
  assert.equal(judge('Put two of the blue cap in the cart.', product, added(1)).done, false);
  for (const g of ['', 'garbage', '[1] [2] [[[']) assert.doesNotThrow(() => judge(goal, g, g));
  const obj = parseObjective('Downvote the most upvoted post in the cooking forum.');
  assert.deepEqual(obj.places, ['cooking']);
  assert.ok(atPlace(obj, list));
  assert.ok(!atPlace(obj, "[1] RootWebArea 'All posts | Forum'\n\t[2] link 'cooking'"));
  // framed: at the place, and sorted as the superlative asks (the sort link is this page)
  assert.ok(frames(obj, COOKING));
  assert.ok(!frames(obj, ALL));
  assert.ok(
    !frames(
      obj,
      COOKING.replace(
        "[13] link 'Top' url: 'http://apps.local/forum/f/cooking'",
        "[13] link 'Top' url: 'http://apps.local/forum/f/cooking?sort=top'",
      ),
    ),
  );
  assert.ok(frames(parseObjective('Set the status of order #1042 to shipped.'), ORDER));
});

// A small forum: the start page lists all posts (the heuristic's first choice downvotes the
// wrong post there); the cooking forum's top post is the one meant.
const ALL = `[1] RootWebArea 'All posts | Forum' url: 'http://apps.local/forum'
\t[2] link 'cooking' url: 'http://apps.local/forum/f/cooking'
\t[3] link 'Top' url: 'http://apps.local/forum'
\t[4] link 'Pasta night' url: 'http://apps.local/forum/post/1'
\t[5] button 'Downvote Pasta night' pressed: false
\t[6] StaticText '90 points'`;
const COOKING = `[11] RootWebArea 'cooking | Forum' url: 'http://apps.local/forum/f/cooking'
\t[12] link 'cooking' url: 'http://apps.local/forum/f/cooking'
\t[13] link 'Top' url: 'http://apps.local/forum/f/cooking'
\t[14] link 'Sourdough' url: 'http://apps.local/forum/post/2'
\t[15] button 'Downvote Sourdough' pressed: false
\t[16] StaticText '50 points'`;
const SITE: Record<string, Record<string, string>> = {
  [ALL]: {
    'click [5]': ALL.replace('pressed: false', 'pressed: true').replace('90 points', '89 points'),
    'click [2]': COOKING,
  },
  [COOKING]: { 'click [15]': COOKING.replace('pressed: false', 'pressed: true').replace('50 points', '49 points') },
};
const url = (t: string) => /url: '([^']*)'/.exec(t)![1]!;
const perfect: Predictor = async (v, actions) =>
  actions.map((a) => {
    const after = SITE[v.tree.text]?.[a] ?? v.tree.text;
    return { before: v.tree.text, after, next: { url: url(after), tree: parseTree(after) } };
  });
const unchanged: Predictor = async (v, actions) => actions.map(() => v.tree.text);

test('lookahead: a perfect predictor finds the path through the named place; no change leaves the heuristic', async () => {
  const view: AgentView = {
    url: 'http://apps.local/forum',
    objective: 'Downvote the most upvoted post in the cooking forum.',
    previousAction: 'None',
    tree: parseTree(ALL),
  };
  const opts = { budget: 20, depth: 3, branch: 4 };
  const plan = await lookahead(view, [], [view.url], perfect, 4, opts);
  assert.equal(plan.done, true);
  assert.deepEqual(
    plan.steps.map((s) => s.action),
    ['click [2]', 'click [15]'],
  );
  assert.ok(plan.predictions <= opts.budget + 4);
  const blind = await lookahead(view, [], [view.url], unchanged, 4, opts);
  assert.equal(blind.done, false);
  assert.equal(blind.steps.length, 1);
  assert.equal(blind.steps[0]!.action, 'click [5]'); // the heuristic's own first choice
  // a predictor that fails or returns garbage leaves the heuristic's choice too
  const broken: Predictor = async () => {
    throw new Error('no');
  };
  assert.equal((await lookahead(view, [], [], broken, 4, opts)).steps[0]!.action, 'click [5]');
  const garbage: Predictor = async (_v, a) => a.map(() => ({ before: 1, after: null }) as never);
  assert.equal((await lookahead(view, [], [], garbage, 4, opts)).steps[0]!.action, 'click [5]');
});

test('candidates cover the kinds of action a page offers: one per link target, two per button kind', () => {
  const page = parseTree(
    [
      "[1] RootWebArea 'All posts | Forum' url: 'http://apps.local/forum'",
      ...[0, 1, 2, 3, 4].flatMap((i) => [
        `\t[${10 + i}] link 'cooking' url: 'http://apps.local/forum/f/cooking'`,
        `\t[${20 + i}] button 'Upvote Post ${i}' pressed: false`,
      ]),
    ].join('\n'),
  );
  const c = proposeActions('Upvote the newest post in the cooking forum.', page, [], 4).map((x) => x.action);
  assert.equal(c[0], 'click [20]'); // the heuristic's first choice stays first
  assert.deepEqual(c.slice().sort(), ['click [10]', 'click [20]', 'click [21]', 'go_back'].sort());
  // a link in a table row that shows the email asked for
  const users = parseTree(
    [
      "[1] RootWebArea 'Users | Admin panel' url: 'http://apps.local/admin/users?q=sam'",
      "\t[2] link 'Orders' url: 'http://apps.local/admin/orders'",
      "\t[3] row 'Sam Ortiz sam.ortiz@example.com'",
      "\t\t[4] cell 'Sam Ortiz'",
      "\t\t\t[5] link 'Sam Ortiz' url: 'http://apps.local/admin/users/7'",
      "\t\t[6] cell 'sam.ortiz@example.com'",
    ].join('\n'),
  );
  assert.equal(
    proposeActions('Suspend the user whose email is sam.ortiz@example.com.', users, [], 3)[0]!.action,
    'click [5]',
  );
});

test('judge and scorer: a vote on another post than the quoted one, defaults of a new page, empty results', () => {
  // a vote pressed on a post the objective does not quote finishes nothing
  const list =
    "[1] RootWebArea 'All posts | Forum'\n\t[5] button 'Upvote Pasta night' pressed: false\n\t[6] button 'Upvote Night trains' pressed: false";
  const pressed = (id: number) => list.replace(new RegExp(`(\\[${id}\\][^\\n]*)pressed: false`), '$1pressed: true');
  const goal = 'Upvote the post "Night trains".';
  assert.equal(judge(goal, list, pressed(5)).done, false);
  assert.equal(judge(goal, list, pressed(6)).done, true);
  assert.ok(scoreOutcome(goal, list, pressed(6)) > scoreOutcome(goal, list, pressed(5)));
  // a user's page opened: its radios checked by default are not the objective's choice made
  // (no penalty); an unchecked radio named by the objective's verb is a form that offers it
  const users = "[1] RootWebArea 'Users | Admin panel'\n\t[2] link 'Sam Ortiz' url: 'http://apps.local/admin/users/7'";
  const sam =
    "[21] RootWebArea 'Sam Ortiz | Admin panel'\n\t[22] StaticText 'Email: sam.ortiz@example.com'\n" +
    "\t[23] radio 'admin' checked: true\n\t[24] radio 'active' checked: true\n\t[25] radio 'suspended' checked: false";
  const suspend = 'Suspend the user whose email is sam.ortiz@example.com.';
  assert.ok(judge(suspend, users, sam).progress > 1);
  // a search with no results is a dead end, worse than the list it came from
  const none = "[31] RootWebArea 'Users | Admin panel'\n\t[32] StaticText 'No users match.'";
  assert.ok(judge(suspend, users, none).progress < 0);
  // the same list re-filtered (links with new urls, no new text) is no progress
  const refiltered = users.replace('users/7', 'users/7?x=1');
  assert.ok(scoreOutcome(suspend, users, refiltered) < 1);
});

test('atPlace reads the page title and checked radios, not the headings of listed items', () => {
  const obj = parseObjective('Reply to the newest post in the travel forum with the comment "Hi!"');
  assert.ok(atPlace(obj, "[1] RootWebArea 'travel | Forum'"));
  assert.ok(atPlace(obj, "[1] RootWebArea 'Submit | Forum'\n\t[2] radio 'travel' checked: true"));
  assert.ok(!atPlace(obj, "[1] RootWebArea 'All posts | Forum'\n\t[2] heading 'Is travel insurance worth it?'"));
});

test("lookahead: a finish outside the objective's frame is no finish; the search goes to the place first", async () => {
  // downvoting "Pasta night" on the all-posts page would finish a vote, but not in the cooking forum
  const view: AgentView = {
    url: 'http://apps.local/forum',
    objective: 'Downvote the most upvoted post in the cooking forum.',
    previousAction: 'None',
    tree: parseTree(ALL),
  };
  const oneStep = await lookahead(view, [], [view.url], perfect, 4, { budget: 20, depth: 1, branch: 4 });
  assert.equal(oneStep.done, false); // only the wrong vote is in reach
  assert.equal(oneStep.steps[0]!.action, 'click [2]'); // and the place is worth more than it
});
