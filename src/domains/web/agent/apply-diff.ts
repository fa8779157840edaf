// From a predicted page change (the world model's `New items / Deleted items / Updated items`
// text, as formatDiff writes it) to the predicted next tree, so a scorer can read the whole
// page the action leads to. Total: garbage lines (no [id]) are ignored, never thrown on.
import { parseSections } from '../f1.js';

const ID = /^\s*\[(\d+)\]/;

/**
 * Apply a diff to a tree: lines of deleted ids go, lines of updated ids are replaced in place
 * (keeping their indentation), new lines are appended at the end (one tab deep; a diff
 * carries no depth). A new line whose id is already in the tree counts as an update.
 */
export function applyDiff(tree: string, diff: string): string {
  const [added, deleted, updated] = parseSections(typeof diff === 'string' ? diff : '');
  const idOf = (line: string) => ID.exec(line)?.[1];
  const gone = new Set<string>();
  for (const l of deleted) {
    const id = idOf(l);
    if (id !== undefined) gone.add(id);
  }
  const repl = new Map<string, string>();
  for (const l of [...added, ...updated]) {
    const id = idOf(l);
    if (id !== undefined) repl.set(id, l.trim());
  }
  const out: string[] = [];
  const present = new Set<string>();
  for (const raw of (typeof tree === 'string' ? tree : '').split('\n')) {
    const id = idOf(raw);
    if (id === undefined) {
      if (raw.trim() !== '') out.push(raw);
      continue;
    }
    if (gone.has(id) && !repl.has(id)) continue;
    present.add(id);
    const r = repl.get(id);
    out.push(r === undefined ? raw : raw.slice(0, raw.length - raw.trimStart().length) + r);
  }
  for (const l of added) {
    const id = idOf(l);
    if (id !== undefined && !present.has(id)) {
      out.push(`\t${l.trim()}`);
      present.add(id);
    }
  }
  return out.join('\n');
}
