// The page change the web world model predicts: from the accessibility trees before and after
// an action (one node a line, `[id] role 'name' props`, as WebArena renders them) to the
// `New items / Deleted items / Updated items` text. Nodes are matched by their [id]: a new id
// is a new item, a vanished id a deleted one, and an id whose line changed an updated one.
import { SECTIONS } from './f1.js';

const ID = /^\s*\[(\d+)\]/;

/** The node lines of a tree by id (stripped; lines without an [id] are skipped). */
export function nodesById(tree: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of tree.split('\n')) {
    const m = ID.exec(raw);
    if (m && !out.has(m[1]!)) out.set(m[1]!, raw.trim());
  }
  return out;
}

export interface TreeDiff {
  added: string[];
  deleted: string[];
  updated: string[];
}

export function treeDiff(before: string, after: string): TreeDiff {
  const a = nodesById(before),
    b = nodesById(after);
  const added: string[] = [],
    deleted: string[] = [],
    updated: string[] = [];
  for (const [id, line] of b) {
    const old = a.get(id);
    if (old === undefined) added.push(line);
    else if (old !== line) updated.push(line);
  }
  for (const [id, line] of a) if (!b.has(id)) deleted.push(line);
  return { added, deleted, updated };
}

/** The three sections as the model writes them; an empty section reads `None`. */
export function formatDiff(d: TreeDiff): string {
  const section = (header: string, lines: string[]): string => `${header}\n${lines.length ? lines.join('\n') : 'None'}`;
  return [section(SECTIONS[0], d.added), section(SECTIONS[1], d.deleted), section(SECTIONS[2], d.updated)].join('\n\n');
}
