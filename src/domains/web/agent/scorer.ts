// Rating a predicted next page against the goal, from the objective's words alone: what the
// action changed (lines new or updated by id) is read for progress — confirmations, the
// wanted radio checked, the wanted text in a field, a vote pressed, a count rising, a page
// about the objective's terms — and no change or an error page count against it. Total:
// garbage predictions score low, never throw.
import { nodesById } from '../tree-diff.js';
import { overlap, parseObjective, stem, terms, type Objective } from './objective.js';

/** Words of a confirmation message ("Order #1042 saved.", "Added 2 × … to your cart."). */
export const CONFIRM =
  /\b(saved|added|created|updated|removed|deleted|posted|placed|cancelled|canceled|submitted|thank you|success(fully)?)\b/i;
const FAILURE = /\b(page not found|not found|error|cannot be empty|invalid|failed|required)\b/i;
/** An empty list of results. */
const EMPTY = /^(no \w+( \w+)? (match|found)|no results|nothing (found|matches))\b/i;

const NAME = /^\s*\[\d+\]\s+(\S+)\s+(['"])(.*?)\2/;
const roleOf = (line: string) => NAME.exec(line)?.[1] ?? '';
const nameOf = (line: string) => NAME.exec(line)?.[3] ?? '';
const prop = (line: string, key: string) =>
  new RegExp(`\\b${key}: (?:'([^']*)'|"([^"]*)"|(\\S+))`)
    .exec(line)
    ?.slice(1)
    .find((v) => v !== undefined);

/** The wanted literal values: what a changed field or message holding them shows. */
function literals(obj: Objective): string[] {
  return [...obj.quoted, ...obj.emails, ...obj.names, ...obj.addresses, ...obj.phrases, ...obj.ids].map((s) =>
    s.toLowerCase(),
  );
}

function lineScore(obj: Objective, line: string, old: string | undefined): number {
  const role = roleOf(line),
    name = nameOf(line);
  let s = 0;
  if (role === 'StaticText' || role === 'status' || role === 'alert') {
    // a confirmation is a short message (a flash "Order #1042 saved."), not a page's prose
    // ("posted by ... 3 hours ago"): only those count strongly
    const short = role !== 'StaticText' || (/[.!]\s*$/.test(name) && name.split(/\s+/).length <= 10);
    if (CONFIRM.test(name)) s += short ? 3 + overlap(obj, name) : 0.2;
    if (FAILURE.test(name)) s -= 2;
  }
  if (role === 'heading' && /page not found|not found|server error/i.test(name)) s -= 4;
  if (role === 'RootWebArea')
    s += /not found|error/i.test(name) ? -4 : old !== undefined && nameOf(old) === name ? 0 : 0.5 * overlap(obj, name);
  // an empty result list ("No users match.") is a dead end
  if (role === 'StaticText' && EMPTY.test(name)) s -= 1.5;
  // A control's state counts when the action changed it (the node was on the page before). On a
  // new page it is the page's default, not an effect: only a form offering the wanted choice
  // (an unchecked radio named by the objective's verb) or holding a wanted value counts, a little.
  const st = stem(name);
  if (role === 'radio' && old === undefined && prop(line, 'checked') !== 'true' && st === obj.verb) s += 1;
  if (role === 'radio' && old !== undefined && prop(line, 'checked') === 'true' && prop(old, 'checked') !== 'true')
    s += st === obj.verb ? 3 : obj.terms.has(st) ? 2.5 : -1.5;
  if (role === 'button' && old !== undefined && prop(line, 'pressed') === 'true' && prop(old, 'pressed') !== 'true')
    s += overlap(obj, name) > 0 && obj.quoted.every((q) => name.toLowerCase().includes(q.toLowerCase())) ? 3 : -1;
  const value = prop(line, 'value');
  if (value !== undefined && value !== prop(old ?? '', 'value')) {
    const v = value.toLowerCase();
    const wanted = literals(obj).includes(v) || (role === 'spinbutton' && obj.quantities.includes(v));
    if (old === undefined) s += wanted ? 0.5 : 0;
    else s += wanted ? 2 : -0.5;
  }
  // a count in a line about the objective's terms rising ("Cart (3)", "149 points")
  if (old !== undefined) {
    const n1 = Number(/\d+/.exec(nameOf(old))?.[0]),
      n2 = Number(/\d+/.exec(name)?.[0]);
    if (
      Number.isFinite(n1) &&
      Number.isFinite(n2) &&
      n2 !== n1 &&
      nameOf(old).replace(/\d+/g, '') === name.replace(/\d+/g, '')
    )
      s += 1;
  }
  return s;
}

/**
 * How good the predicted next tree is for the objective, compared with the current tree
 * (both in the WebArena line format). Higher is better; no change scores -1, garbage -2.
 */
export function scoreOutcome(objective: string, current: string, predicted: string): number {
  try {
    const obj = parseObjective(typeof objective === 'string' ? objective : '');
    const a = nodesById(typeof current === 'string' ? current : '');
    const b = nodesById(typeof predicted === 'string' ? predicted : '');
    if (b.size === 0) return -2;
    // ids change when a page loads anew, so a line counts as changed only if its content
    // (without the id) was not on the current page: the header of a new page is no progress
    const strip = (l: string) => l.replace(/^\s*\[\d+\]\s*/, '');
    const before = new Set([...a.values()].map(strip)),
      after = new Set([...b.values()].map(strip));
    const changed: [string, string | undefined][] = [];
    for (const [id, line] of b) if (!before.has(strip(line))) changed.push([line, a.get(id)]);
    const deleted = [...a.values()].filter((l) => !after.has(strip(l)));
    if (changed.length === 0 && deleted.length === 0) return -1;
    let s = 0,
      relevance = 0,
      literalHits = 0;
    const lits = literals(obj).filter((l) => l.length > 3);
    // Relevance is read from new text only: a line whose name was already on the page (the same
    // list re-filtered, its links' urls changed) says nothing new, so wandering among variants
    // of one page does not add up as progress along a planned path.
    const names = new Set([...a.values()].map(nameOf));
    const fresh = changed.filter(([l]) => !names.has(nameOf(l)));
    for (const [line, old] of changed) {
      s += lineScore(obj, line, old);
      if (names.has(nameOf(line))) continue;
      relevance = Math.max(relevance, overlap(obj, nameOf(line)));
      if (lits.some((l) => line.toLowerCase().includes(l))) literalHits++;
    }
    s += Math.min(1.5, 0.5 * literalHits); // the objective's names/values appearing, a little
    // a new page: its most relevant line, and how much of the objective it covers overall
    const covered = new Set(fresh.flatMap(([l]) => terms(nameOf(l))).filter((t) => obj.terms.has(t))).size;
    s += 0.3 * relevance + 0.2 * Math.min(covered, 5);
    // the objective asks to remove something and it went away
    if (obj.actionWords.has('remove') || obj.actionWords.has('delete'))
      s += Math.min(2, 0.5 * deleted.filter((l) => overlap(obj, nameOf(l)) > 0).length);
    return Number.isFinite(s) ? s : -2;
  } catch {
    return -2;
  }
}
