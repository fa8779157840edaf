// Pages as the planner holds them between steps: a tree's text parsed back into nodes (a
// predictor may give only the text of the next page), nodes matched across two renderings
// of one page (the ids of a predicted page are not those of the real page), and an action
// moved from one rendering to the other.
import type { RenderedNode, RenderedTree } from '../browser/ax-tree.js';

const LINE = /^(\t*)\[(\d+)\] (\S+) (?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")?(.*)$/;
const PROP = /(\w+): ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+)/g;

/** A tree from its text (`[id] role 'name' props`, tabs for depth); lines that do not parse are skipped. */
export function parseTree(text: string): RenderedTree {
  const nodes: RenderedNode[] = [];
  const lines: string[] = [];
  for (const raw of (typeof text === 'string' ? text : '').split('\n')) {
    const m = LINE.exec(raw);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const p of m[6]!.matchAll(PROP)) props[p[1]!] = p[2]!;
    const name = (m[4] ?? m[5] ?? '').replace(/\\(.)/g, '$1');
    nodes.push({ id: Number(m[2]), role: m[3]!, name, depth: m[1]!.length, line: raw.trim(), props });
    lines.push(raw);
  }
  return { text: lines.join('\n'), nodes };
}

/** Per node: `role|name|occurrence`, the same for one element in two renderings of a page. */
export function nodeKeys(nodes: RenderedNode[]): string[] {
  const seen = new Map<string, number>();
  return nodes.map((n) => {
    const k = `${n.role}|${n.name}`;
    const i = seen.get(k) ?? 0;
    seen.set(k, i + 1);
    return `${k}|${i}`;
  });
}

/** The id in `to` of the element with id `id` in `from`, or undefined. */
export function matchId(id: number, from: RenderedTree, to: RenderedTree): number | undefined {
  const i = from.nodes.findIndex((n) => n.id === id);
  if (i < 0) return undefined;
  const key = nodeKeys(from.nodes)[i]!;
  const j = nodeKeys(to.nodes).indexOf(key);
  return j < 0 ? undefined : to.nodes[j]!.id;
}

/** An action on `from` rewritten for `to` (its element by key); null when the element is not there. */
export function moveAction(action: string, from: RenderedTree, to: RenderedTree): string | null {
  const m = /^(click|hover|type) \[(\d+)\]/.exec(action);
  if (!m) return action;
  const id = matchId(Number(m[2]), from, to);
  return id === undefined ? null : action.replace(`[${m[2]}]`, `[${id}]`);
}

const strip = (line: string) => line.replace(/^\s*\[\d+\]\s*/, '').trim();

/** How alike two pages are, ids aside: shared lines over all lines (Jaccard), 1 for the same page. */
export function similarity(a: string, b: string): number {
  const sa = new Set(a.split('\n').map(strip).filter(Boolean)),
    sb = new Set(b.split('\n').map(strip).filter(Boolean));
  if (!sa.size && !sb.size) return 1;
  let both = 0;
  for (const l of sa) if (sb.has(l)) both++;
  return both / (sa.size + sb.size - both);
}
