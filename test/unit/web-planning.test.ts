// The world model as the planner's predictor (src/domains/web/planning.ts): the prompts it
// builds for candidate actions are the ones the model was trained on, and a decoded diff
// becomes the predicted window the scorer reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planningExamples, worldModelPredictor } from '../../src/domains/web/planning.js';
import { viewTransition } from '../../src/domains/web/view.js';
import { webPrompt, withoutId } from '../../src/domains/web/data.js';
import { nodesById } from '../../src/domains/web/tree-diff.js';
import type { AgentView } from '../../src/domains/web/agent/index.js';
import type { RenderedTree } from '../../src/domains/web/browser/ax-tree.js';

const text = [
  "[7] RootWebArea 'Forum' focused: True url: 'http://apps.local/forum'",
  "\t[9] link 'gardening' url: 'http://apps.local/forum/f/gardening'",
  "\t[12] button 'Upvote Tomato leaves' pressed: false",
  "\t[13] StaticText '12 points'",
].join('\n');
const tree: RenderedTree = { text, nodes: [] };
const view: AgentView = {
  url: 'http://apps.local/forum',
  objective: 'Upvote the tomato post.',
  previousAction: 'click [3]',
  tree,
};
const opts = { maxLines: 16, dropProps: ['url'], newIdBase: 1000 };

test('planning prompts are the training prompts of the same view; unknown elements get no prediction', () => {
  const [a, b] = planningExamples(view, ['click [12]', 'click [99]'], opts);
  const v = viewTransition(text, 'click [12]', '', opts);
  assert.equal(
    a!.example.prompt,
    webPrompt({
      url: view.url,
      objective: view.objective,
      previousAction: withoutId(view.previousAction),
      treeBefore: v.before,
      action: 'click [3]',
    }),
  );
  assert.equal(a!.before, v.before);
  assert.equal(b, null);
  const again = planningExamples(view, ['click [12]'], opts)[0]!;
  assert.notEqual(again.example.id, a!.example.id); // codecs cache encodings by example id
});

test('the predictor applies each decoded diff to its window, in candidate order; garbage leaves the window', async () => {
  const decoded: string[][] = [];
  const decode = async (examples: { prompt: string }[]) => {
    decoded.push(examples.map((e) => e.prompt));
    return [
      "New items:\nNone\n\nDeleted items:\nNone\n\nUpdated items:\n[3] button 'Upvote Tomato leaves' pressed: true\n[4] StaticText '13 points'",
      'garbage',
    ];
  };
  const p = await worldModelPredictor(decode, opts)(view, ['click [12]', 'click [99]', 'click [9]']);
  assert.equal(decoded.length, 1); // one batched call
  assert.equal(decoded[0]!.length, 2);
  const first = p[0] as { before: string; after: string };
  const after = nodesById(first.after);
  assert.equal(after.get('3'), "[3] button 'Upvote Tomato leaves' pressed: true");
  assert.equal(after.get('4'), "[4] StaticText '13 points'");
  assert.equal(p[1], null);
  const third = p[2] as { before: string; after: string };
  assert.equal(third.after, third.before);
});
