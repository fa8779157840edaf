// A heuristic policy: rank WebArena actions on the current page by how well they fit the
// objective's words. It is deliberately simple (lexical overlap plus a few cues: sort links
// for superlatives, fill a form before submitting it, prefer the radio the objective's verb
// names); the MPC agent uses it to propose candidates for the world model to judge.
import type { RenderedNode, RenderedTree } from '../browser/ax-tree.js';
import { overlap, parseObjective, stem, terms, words, type Objective } from './objective.js';

export interface Candidate {
  action: string;
  score: number;
}

const TYPEABLE = new Set(['textbox', 'searchbox', 'spinbutton', 'combobox']);
const SUBMIT_WORDS = new Set([
  'save',
  'create',
  'submit',
  'post',
  'place',
  'update',
  'add',
  'send',
  'apply',
  'confirm',
]);
const DESTRUCTIVE = new Set(['remove', 'delete', 'upvote', 'downvote', 'cancel', 'logout']);

/** Per node: the index of its nearest ancestor with the given role, or -1 (from depths). */
function ancestorsWithRole(nodes: RenderedNode[], role: string): number[] {
  const stack: number[] = [];
  return nodes.map((n, i) => {
    while (stack.length && nodes[stack[stack.length - 1]!]!.depth >= n.depth) stack.pop();
    const anc = [...stack].reverse().find((j) => nodes[j]!.role === role) ?? -1;
    stack.push(i);
    return anc;
  });
}

/** Per node: the index of its parent, or -1. */
function parents(nodes: RenderedNode[]): number[] {
  const stack: number[] = [];
  return nodes.map((n, i) => {
    while (stack.length && nodes[stack[stack.length - 1]!]!.depth >= n.depth) stack.pop();
    const p = stack.length ? stack[stack.length - 1]! : -1;
    stack.push(i);
    return p;
  });
}

/** The text the objective wants in a field, judged by the field's name and role. */
export function wantedText(obj: Objective, node: RenderedNode): string | null {
  const name = node.name.toLowerCase();
  if (node.role === 'spinbutton') return obj.quantities[obj.quantities.length - 1] ?? null;
  if (node.role === 'searchbox' || /search|find|filter|query/.test(name)) {
    return obj.emails[0] ?? obj.ids[0] ?? obj.names[0] ?? obj.phrases[0] ?? obj.quoted[0] ?? null;
  }
  if (/e-?mail/.test(name)) return obj.emails[0] ?? null;
  if (/address|street/.test(name)) return obj.addresses[0] ?? null;
  if (/name/.test(name)) return obj.names[0] ?? null;
  if (/title|subject|heading/.test(name)) return obj.quoted[0] ?? null;
  if (/body|comment|message|text|content|reply|description/.test(name))
    return obj.quoted.length ? obj.quoted[obj.quoted.length - 1]! : null;
  return null;
}

function valueOf(node: RenderedNode): string {
  return (node.props['value'] ?? '').replace(/^['"]|['"]$/g, '');
}

function isSearch(node: RenderedNode): boolean {
  return node.role === 'searchbox' || /search/i.test(node.name);
}

/** The radio each group wants: the one the objective's verb names, else any the objective names. */
function wantedRadios(obj: Objective, nodes: RenderedNode[], parent: number[]): Map<number, number> {
  const byGroup = new Map<number, number>(); // group (parent index) -> radio index
  const rank = (n: RenderedNode) => {
    const s = stem(n.name);
    return s === obj.verb ? 3 : obj.terms.has(s) ? 2 : overlap(obj, n.name) > 0 ? 1 : 0;
  };
  nodes.forEach((n, i) => {
    if (n.role !== 'radio' || rank(n) === 0) return;
    const g = parent[i]!,
      cur = byGroup.get(g);
    if (cur === undefined || rank(n) > rank(nodes[cur]!)) byGroup.set(g, i);
  });
  return byGroup;
}

/**
 * The k best actions on this page for the objective, best first, each with its heuristic
 * score. Generic: reads only the objective text, the tree, the actions taken so far and
 * (optionally) the URLs visited so far, which links back to are discounted to avoid loops.
 */
export function proposeActions(
  objective: string,
  tree: RenderedTree,
  history: string[],
  k: number,
  visited: string[] = [],
): Candidate[] {
  const obj = parseObjective(objective);
  const nodes = tree.nodes;
  const form = ancestorsWithRole(nodes, 'form');
  const parent = parents(nodes);
  const radios = wantedRadios(obj, nodes, parent);
  const wantedRadioIdx = new Set(radios.values());
  const pageUrl = nodes.find((n) => n.role === 'RootWebArea')?.props['url']?.replace(/^'|'$/g, '') ?? '';
  const notFound = /not found|error/i.test(nodes[0]?.name ?? '');
  // ids change with every page load, so typed text is matched without its id
  const key = (a: string) => (a.startsWith('type ') ? a.replace(/^type \[\d+\]/, 'type') : a);
  const seen = new Map<string, number>();
  for (const h of history) seen.set(key(h), (seen.get(key(h)) ?? 0) + 1);

  // per form: fields still to fill and fields already filled as the objective wants
  const pending = new Map<number, number>(),
    done = new Map<number, number>();
  const bump = (m: Map<number, number>, f: number) => m.set(f, (m.get(f) ?? 0) + 1);
  nodes.forEach((n, i) => {
    const f = form[i]!;
    if (f < 0) return;
    if (TYPEABLE.has(n.role) && !isSearch(n)) {
      const want = wantedText(obj, n);
      if (want !== null) bump(valueOf(n) === want ? done : pending, f);
    } else if (n.role === 'radio' && wantedRadioIdx.has(i)) {
      bump(n.props['checked'] === 'true' ? done : pending, f);
    }
  });

  const out: Candidate[] = [];
  const add = (action: string, score: number, i: number) => {
    // repeating an action is rarely progress; a small position term breaks ties by page order
    out.push({ action, score: score - 3 * (seen.get(key(action)) ?? 0) - i * 1e-4 });
  };
  const searchWanted = nodes.some(
    (n) => TYPEABLE.has(n.role) && isSearch(n) && wantedText(obj, n) !== null && valueOf(n) !== wantedText(obj, n),
  );

  nodes.forEach((n, i) => {
    const name = n.name.trim();
    const lower = name.toLowerCase();
    const exact =
      [...obj.quoted, ...obj.names, ...obj.emails].some(
        (q) => lower === q.toLowerCase() || (q.length > 6 && lower.includes(q.toLowerCase())),
      ) || obj.ids.some((id) => new RegExp(`(^|\\D)${id}(\\D|$)`).test(name));
    const ov = overlap(obj, name);
    const nameTerms = terms(name).length || 1;
    const lexical = ov + 0.5 * (ov / nameTerms) + (exact ? 3 : 0);
    if (n.role === 'link') {
      let s = lexical;
      const url = (n.props['url'] ?? '').replace(/^'|'$/g, '');
      if (obj.sortCues.some((c) => lower === c || (c.includes(' ') && lower.includes(c)))) s += 3;
      if (words(name).some((w) => obj.actionWords.has(w))) s += 1.5; // "Submit a new post" for "Create a post"
      if (url && url === pageUrl)
        s -= 2.5; // already here
      else if (url) s -= 1.5 * visited.filter((v) => v === url).length;
      add(`click [${n.id}]`, s, i);
    } else if (n.role === 'button' || n.role === 'menuitem' || n.role === 'tab') {
      const first = words(name)[0] ?? '';
      let s = lexical;
      if (obj.actionWords.has(first) || obj.terms.has(stem(first))) s += 1.5;
      if (DESTRUCTIVE.has(first) && !obj.terms.has(stem(first)) && !obj.actionWords.has(first)) s -= 2;
      if (n.props['pressed'] === 'true') s -= 3; // already done
      const f = form[i]!;
      // fill a form before submitting it
      if (SUBMIT_WORDS.has(first) && f >= 0)
        s += pending.get(f) ? -3 * pending.get(f)! : 2 * Math.min(done.get(f) ?? 0, 2);
      if (/^search$/i.test(name) && searchWanted) s -= 1; // typing with Enter searches already
      add(`click [${n.id}]`, s, i);
    } else if (n.role === 'radio' || n.role === 'checkbox') {
      if (n.props['checked'] === 'true') return;
      const g = parent[i]!;
      const want = radios.get(g);
      if (want !== undefined && want !== i) return; // the group has a better-named option
      add(`click [${n.id}]`, want === i ? 4 : lexical - 1, i);
    } else if (TYPEABLE.has(n.role)) {
      const want = wantedText(obj, n);
      if (want === null || valueOf(n) === want) return;
      const search = isSearch(n);
      const s = (search ? 3 : 3.5) + 0.5 * overlap(obj, name) - (valueOf(n) ? 0.5 : 0);
      add(`type [${n.id}] [${want}] [${search ? 1 : 0}]`, s, i);
    }
  });
  add('go_back', notFound ? 5 : -0.5, nodes.length);
  out.sort((a, b) => b.score - a.score);
  return out.slice(0, Math.max(0, k));
}
