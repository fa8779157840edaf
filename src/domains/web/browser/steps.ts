// From the tasks' high-level steps ("click the link named X") and from random exploration to
// concrete WebArena actions on the current tree's [id]s.
import type { Step } from '../apps/tasks.js';
import type { Rng } from '../../../core/util/rng.js';
import type { RenderedNode } from './ax-tree.js';

/** The action for a step on this tree, or null when its element is not on the page. */
export function resolveStep(nodes: RenderedNode[], step: Step, origin: string): string | null {
  switch (step.op) {
    case 'goto':
      return `goto [${origin}${step.path}]`;
    case 'go_back':
      return 'go_back';
    case 'press':
      return `press [${step.key}]`;
    case 'click':
    case 'type': {
      const n = nodes.find((x) => x.role === step.role && x.name.trim() === step.name);
      if (!n) return null;
      return step.op === 'click'
        ? `click [${n.id}]`
        : `type [${n.id}] [${step.text}] [${step.enter === false ? 0 : 1}]`;
    }
  }
}

const CLICKABLE = new Set(['link', 'button', 'radio', 'checkbox', 'switch', 'tab', 'menuitem']);
const TYPEABLE = new Set(['textbox', 'searchbox', 'spinbutton', 'combobox']);
const WORDS = [
  'red shirt',
  'hoodie',
  'jeans',
  'black',
  'backpack',
  'sneakers',
  'gardening',
  'sourdough',
  'Great post, thanks!',
  'Priya',
  '1042',
  'Jordan',
  'example.com',
  'Alex Kim',
  'new idea',
  'cap',
];

/** A random valid action on the current page: mostly clicks and typing, sometimes navigation. */
export function randomAction(nodes: RenderedNode[], rng: Rng): string {
  const clickable = nodes.filter((n) => CLICKABLE.has(n.role));
  const typeable = nodes.filter((n) => TYPEABLE.has(n.role));
  const r = rng.next();
  if (typeable.length && r < 0.3) {
    const n = rng.pick(typeable);
    const text = n.role === 'spinbutton' ? String(1 + rng.int(4)) : rng.pick(WORDS);
    return `type [${n.id}] [${text}] [${rng.next() < 0.6 ? 1 : 0}]`;
  }
  if (clickable.length && r < 0.85) return `click [${rng.pick(clickable).id}]`;
  const q = rng.next();
  if (q < 0.4 && nodes.length) return `hover [${rng.pick(nodes).id}]`;
  if (q < 0.7) return `scroll [${rng.next() < 0.7 ? 'down' : 'up'}]`;
  return 'go_back';
}
