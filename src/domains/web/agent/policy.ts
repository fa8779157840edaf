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
  if (/body|comment|message|text|content|reply|description|note/.test(name))
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

/** What a link in a table row or list entry that shows a value the objective names is worth. */
const ROW = 2;

/** The kind of action an element offers, for variety among candidates. */
function kindOf(n: RenderedNode | undefined): string {
  if (!n) return 'other';
  const url = (n.props['url'] ?? '').replace(/^'|'$/g, '');
  if (n.role === 'link' && url) return `url:${url}`;
  if (n.role === 'radio' || n.role === 'checkbox') return `${n.role}:${n.id}`;
  return `${n.role}:${words(n.name)[0] ?? ''}`;
}

/** Links in a row, list entry or article that shows one of the objective's literal values. */
function rowsWithLiteral(obj: Objective, nodes: RenderedNode[]): Set<number> {
  const lits = [...obj.quoted, ...obj.emails, ...obj.names].map((l) => l.toLowerCase());
  const out = new Set<number>();
  if (!lits.length && !obj.ids.length) return out;
  const has = (text: string) =>
    lits.some((l) => text.toLowerCase().includes(l)) ||
    obj.ids.some((id) => new RegExp(`(^|\\D)${id}(\\D|$)`).test(text));
  const stack: number[] = [];
  const container = nodes.map((n, i) => {
    while (stack.length && nodes[stack[stack.length - 1]!]!.depth >= n.depth) stack.pop();
    const c = [...stack].reverse().find((j) => ['row', 'listitem', 'article'].includes(nodes[j]!.role)) ?? -1;
    stack.push(i);
    return c;
  });
  const marked = new Set<number>();
  nodes.forEach((n, i) => {
    if (container[i]! >= 0 && has(n.name)) marked.add(container[i]!);
  });
  nodes.forEach((n, i) => {
    if (n.role === 'link' && marked.has(container[i]!)) out.add(i);
  });
  return out;
}

/** What pointing at the item the objective's superlative means is worth. */
const PICK = 3;

/** Whether the page's title or a heading names the objective's place (or it names none). */
function atPlace(obj: Objective, nodes: RenderedNode[]): boolean {
  if (!obj.places.length) return true;
  return nodes.some(
    (n) => (n.role === 'RootWebArea' || n.role === 'heading') && obj.places.some((p) => words(n.name).includes(p)),
  );
}

/**
 * The item a superlative in the objective points at, on a list page at the objective's place:
 * in a list sorted as it asks (the sort link for "cheapest", "newest", … is this page), the
 * first item's link and its first button for the objective's verb; for "the … with the most
 * comments", the button for the verb after the largest count of comments. Indices of nodes.
 */
function listPicks(obj: Objective, nodes: RenderedNode[], pageUrl: string): Set<number> {
  const out = new Set<number>();
  if (!atPlace(obj, nodes)) return out;
  const nav = ancestorsWithRole(nodes, 'navigation');
  const urlOf = (n: RenderedNode) => (n.props['url'] ?? '').replace(/^'|'$/g, '');
  const verbButton = (from: number) =>
    nodes.findIndex((n, j) => j > from && n.role === 'button' && obj.actionWords.has(words(n.name)[0] ?? ''));
  const sorted = nodes.findIndex((n) => {
    const lower = n.name.toLowerCase();
    return (
      n.role === 'link' &&
      pageUrl !== '' &&
      urlOf(n) === pageUrl &&
      obj.sortCues.some((c) => lower === c || (c.includes(' ') && lower.includes(c)))
    );
  });
  if (sorted >= 0) {
    const first = nodes.findIndex((n, j) => j > sorted && n.role === 'link' && nav[j]! < 0);
    if (first >= 0) out.add(first);
    const b = verbButton(sorted);
    if (b >= 0) out.add(b);
  }
  const most = /\bwith the most (\w+)/i.exec(obj.text)?.[1];
  if (most) {
    const noun = stem(most);
    let best = -1,
      at = -1;
    nodes.forEach((n, j) => {
      const m = /(\d+)\s+(\w+)/.exec(n.name);
      if (m && stem(m[2]!) === noun && Number(m[1]) > best) {
        best = Number(m[1]);
        at = j;
      }
    });
    const b = at >= 0 ? verbButton(at) : -1;
    if (b >= 0) out.add(b);
  }
  return out;
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
  const group = new Map<string, string>();
  const add = (action: string, score: number, i: number) => {
    // repeating an action is rarely progress; a small position term breaks ties by page order
    out.push({ action, score: score - 3 * (seen.get(key(action)) ?? 0) - i * 1e-4 });
    group.set(action, kindOf(nodes[i]));
  };
  const inRow = rowsWithLiteral(obj, nodes);
  const picked = listPicks(obj, nodes, pageUrl);
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
      if (picked.has(i)) s += PICK;
      if (inRow.has(i)) s += ROW;
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
      if (picked.has(i)) s += PICK;
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
  // the best of each kind first: links to one URL are one choice, and a page of twenty vote
  // buttons should not crowd out the link to where the objective is
  const taken = new Map<string, number>(),
    picks: Candidate[] = [],
    rest: Candidate[] = [];
  for (const c of out) {
    const g = group.get(c.action) ?? c.action;
    const n = taken.get(g) ?? 0;
    taken.set(g, n + 1);
    (n < (g.startsWith('url:') ? 1 : 2) ? picks : rest).push(c);
  }
  return [...picks, ...rest].slice(0, Math.max(0, k));
}
