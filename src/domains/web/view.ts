// The page as the world model sees it: a window of the accessibility tree, with page-local ids.
// Full WebArena trees run to thousands of characters and a navigation replaces every node,
// so a model that reads and writes them whole is out of reach of a CPU. The view keeps
// `maxLines` nodes around the action's element (WebArena shows the viewport, not the page;
// from the top when the action names no element), drops long properties (link urls: the page
// URL is in the prompt) and renumbers nodes: those of the tree before the action 1, 2, … in
// document order; nodes the action created get `newIdBase` + 1, + 2, … in document order, so
// the ids a model must write are predictable. The window after the action starts at the first
// node of the window before that survived (the same place on the same page), or at the top of
// a new page. The diff is computed on the two windows by the same treeDiff as full trees.
import { formatDiff, treeDiff } from './tree-diff.js';

export interface ViewOptions {
  /** nodes kept from the top of the page */
  maxLines: number;
  /** properties removed from every line */
  dropProps: string[];
  /** the first id given to nodes that appear after the action (and the most nodes a page may have) */
  newIdBase: number;
}

export const DEFAULT_VIEW: ViewOptions = { maxLines: 16, dropProps: ['url'], newIdBase: 1000 };

const LINE = /^(\t*)\[(\d+)\] (.*)$/;

interface Node {
  depth: number;
  id: string;
  rest: string;
}

function parse(tree: string, drop: string[]): Node[] {
  // a property's value is a Python repr (quoted, escapes inside) or a bare token
  const dropped = drop.length
    ? new RegExp(` (?:${drop.join('|')}): (?:'(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*"|\\S+)`, 'g')
    : null;
  const out: Node[] = [];
  for (const raw of tree.split('\n')) {
    const m = LINE.exec(raw);
    if (m) out.push({ depth: m[1]!.length, id: m[2]!, rest: dropped ? m[3]!.replace(dropped, '') : m[3]! });
  }
  return out;
}

const render = (nodes: Node[], ids: Map<string, number>): string =>
  nodes.map((n) => `${'\t'.repeat(n.depth)}[${ids.get(n.id)}] ${n.rest}`).join('\n');

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(x, hi));

/** The element id an action names (click, hover, type), or null. */
export function actionTarget(action: string): string | null {
  return /^(?:click|hover|type) \[(\d+)\]/.exec(action)?.[1] ?? null;
}

export interface ViewedTransition {
  /** the window before the action, in view ids */
  before: string;
  after: string;
  /** the action with its element id in view ids; null when its element is not on the page */
  action: string | null;
  diff: string;
}

/**
 * The view of one transition: the windows of both trees, the action in view ids and their
 * diff. `treeAfter` may be omitted (planning: only `before` and `action` are then meaningful).
 */
export function viewTransition(
  treeBefore: string,
  action: string,
  treeAfter = '',
  o: ViewOptions = DEFAULT_VIEW,
): ViewedTransition {
  const a = parse(treeBefore, o.dropProps),
    b = parse(treeAfter, o.dropProps);
  if (a.length >= o.newIdBase)
    throw new Error(`web view: a page of ${a.length} nodes needs newIdBase above ${o.newIdBase}`);
  const ids = new Map<string, number>();
  for (const n of a) if (!ids.has(n.id)) ids.set(n.id, ids.size + 1);
  const target = actionTarget(action);
  const t = target === null ? 0 : a.findIndex((n) => n.id === target);
  if (t < 0) return { before: '', after: '', action: null, diff: '' };
  const start = target === null ? 0 : clamp(t - Math.floor(o.maxLines / 2), 0, Math.max(0, a.length - o.maxLines));
  const win = a.slice(start, start + o.maxLines);
  const inWin = new Set(win.map((n) => n.id));
  const p = b.findIndex((n) => inWin.has(n.id));
  const winAfter = b.slice(p < 0 ? 0 : clamp(p, 0, Math.max(0, b.length - o.maxLines))).slice(0, o.maxLines);
  const after = new Map(ids);
  let next = o.newIdBase;
  for (const n of winAfter) if (!after.has(n.id)) after.set(n.id, ++next);
  const before = render(win, ids),
    afterText = render(winAfter, after);
  return {
    before,
    after: afterText,
    diff: formatDiff(treeDiff(before, afterText)),
    action: target === null ? action : action.replace(`[${target}]`, `[${ids.get(target)}]`),
  };
}
