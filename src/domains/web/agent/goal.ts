// Whether a predicted page change finishes the objective, from the objective's words and the
// two pages alone (never the task or the app state). Finished is: the vote the objective asks
// for pressed, or a new confirmation message ("Order #1042 saved.") that comes with a real
// change to the page (saving what was saved already changes nothing), shows every value the
// objective names (order number, name, email, quoted text, address), leaves no radio the
// objective wants unchecked, and shows the quantity it asks for. Otherwise the change is
// rated for progress (scoreOutcome), a confirmation that fails those tests counting against.
import { nodesById } from '../tree-diff.js';
import { parseObjective, stem, words, type Objective } from './objective.js';
import { CONFIRM, scoreOutcome } from './scorer.js';
import { parseTree } from './tree-text.js';

export interface Judgement {
  done: boolean;
  /** progress toward the objective when not done (no change -1, an error page or message about -3) */
  progress: number;
}

const NAME = /^\s*\[\d+\]\s+(\S+)\s+(['"])(.*?)\2/;
const roleOf = (line: string) => NAME.exec(line)?.[1] ?? '';
const nameOf = (line: string) => NAME.exec(line)?.[3] ?? '';
const strip = (line: string) => line.replace(/^\s*\[\d+\]\s*/, '');
const FAILURE = /\b(page not found|not found|error|cannot be empty|invalid|failed|required|choose a)\b/i;

/** A confirmation: a short message ending a sentence, or a heading that thanks. */
export function isConfirmation(line: string): boolean {
  const role = roleOf(line),
    name = nameOf(line);
  if (!CONFIRM.test(name)) return false;
  if (role === 'heading') return /thank you/i.test(name);
  return (
    (role === 'StaticText' || role === 'status' || role === 'alert') &&
    /[.!]['"]?\s*$/.test(name) &&
    name.split(/\s+/).length <= 14
  );
}

/** Radio groups whose wanted option (named by the objective's verb or terms) is not checked. */
function pendingRadios(obj: Objective, page: string): number {
  const nodes = parseTree(page).nodes;
  const stack: number[] = [];
  const groups = new Map<number, { want: number; checked: boolean }>();
  nodes.forEach((n, i) => {
    while (stack.length && nodes[stack[stack.length - 1]!]!.depth >= n.depth) stack.pop();
    const parent = stack.length ? stack[stack.length - 1]! : -1;
    stack.push(i);
    if (n.role !== 'radio') return;
    const s = stem(n.name);
    const rank = s === obj.verb ? 3 : obj.terms.has(s) ? 2 : 0;
    const g = groups.get(parent);
    if (rank && (!g || rank > g.want)) groups.set(parent, { want: rank, checked: n.props['checked'] === 'true' });
  });
  return [...groups.values()].filter((g) => !g.checked).length;
}

/** The values the objective names, each of which a finished page shows. */
function literals(obj: Objective): string[] {
  return [...obj.quoted, ...obj.emails, ...obj.names, ...obj.addresses, ...obj.ids].map((s) => s.toLowerCase());
}

export function judge(objective: string | Objective, before: string, after: string): Judgement {
  try {
    const obj = typeof objective === 'string' ? parseObjective(objective) : objective;
    const a = nodesById(typeof before === 'string' ? before : ''),
      b = nodesById(typeof after === 'string' ? after : '');
    if (b.size === 0) return { done: false, progress: -3 };
    const was = new Set([...a.values()].map(strip)),
      now = new Set([...b.values()].map(strip));
    const changed = [...b.values()].filter((l) => !was.has(strip(l)));
    const deleted = [...a.values()].filter((l) => !now.has(strip(l)));
    if (!changed.length && !deleted.length) return { done: false, progress: -1 };
    if (
      changed.some(
        (l) => roleOf(l) === 'alert' || (/^(heading|RootWebArea)$/.test(roleOf(l)) && FAILURE.test(nameOf(l))),
      )
    )
      return { done: false, progress: -3 };
    // the vote asked for, pressed (in place: the button keeps its id)
    for (const [id, line] of b) {
      if (roleOf(line) !== 'button' || !/\bpressed: true\b/.test(line)) continue;
      const old = a.get(id);
      if (old !== undefined && /\bpressed: true\b/.test(old)) continue;
      const first = words(nameOf(line))[0] ?? '';
      // the vote on the thing the objective quotes, if it quotes one ("Upvote the post "…"")
      const on = nameOf(line).toLowerCase();
      if (old !== undefined && obj.actionWords.has(first) && obj.quoted.every((q) => on.includes(q.toLowerCase())))
        return { done: true, progress: 3 };
    }
    const confirmations = changed.filter(isConfirmation);
    const rated = scoreOutcome(obj.text, before, after);
    const progress = Number.isFinite(rated) ? Math.max(-4, Math.min(2.5, rated)) : 0;
    if (!confirmations.length) return { done: false, progress };
    const text = after.toLowerCase();
    const others = changed.filter((l) => !isConfirmation(l) && !(roleOf(l) === 'status' && nameOf(l) === ''));
    const quantityShown =
      !obj.quantities.length ||
      changed.some((l) => obj.quantities.some((q) => new RegExp(`(^|[^\\d#])${q}([^\\d]|$)`).test(strip(l))));
    const done =
      (others.length > 0 || deleted.length > 0) &&
      literals(obj).every((l) => text.includes(l)) &&
      pendingRadios(obj, after) === 0 &&
      quantityShown;
    return done ? { done: true, progress: 3 } : { done: false, progress: Math.min(progress, -1.5) };
  } catch {
    return { done: false, progress: -3 };
  }
}

/**
 * Whether a page frames the objective: it is at the place the objective names (if any) and,
 * for a superlative ("cheapest", "newest"), lists things sorted as it asks — the page's own
 * URL is that of its sort link. A finished page reached through such a page is the one meant.
 */
export function frames(obj: Objective, page: string): boolean {
  if (obj.places.length && !atPlace(obj, page)) return false;
  if (!obj.sortCues.length) return true;
  const url = /url: '([^']*)'/.exec(page.split('\n').find((l) => roleOf(l) === 'RootWebArea') ?? '')?.[1];
  if (!url) return false;
  return page.split('\n').some((l) => {
    if (roleOf(l) !== 'link' || !l.includes(`url: '${url}'`)) return false;
    const lower = nameOf(l).toLowerCase();
    return obj.sortCues.some((c) => lower === c || (c.includes(' ') && lower.includes(c)));
  });
}

/**
 * Whether a page is about one of the objective's places: its title or a checked radio names it.
 * Not any heading: a list's items have headings too ("Is travel insurance worth it?" is a post
 * in some forum, not the travel forum).
 */
export function atPlace(obj: Objective, page: string): boolean {
  if (!obj.places.length) return false;
  return page.split('\n').some((l) => {
    const role = roleOf(l);
    // a page titled with the place, or a form with the place chosen
    if (role === 'radio' ? !/\bchecked: true\b/.test(l) : role !== 'RootWebArea') return false;
    const ws = words(nameOf(l));
    return obj.places.some((p) => ws.includes(p));
  });
}
