// The total parser of model output: text in, a state difference or null out, never a throw.
// It follows the published reward code: the text after the last final-answer marker, else
// the last fenced ```json block, else the whole text; Python literals and broken JSON are
// repaired (jsonrepair handles both True/False/None and truncation, quotes, commas).
import { jsonrepair } from 'jsonrepair';

const MARKERS = ['The final answer is:', 'the final answer is:', 'The final state is:', 'The final game state is:'];
const FENCE = /```(?:json)?\s*\n?([\s\S]*?)```/g;

/** The part of the text that should hold the answer's JSON. */
export function answerSpan(text: string): string {
  let best = -1;
  let bestLen = 0;
  for (const m of MARKERS) {
    const at = text.lastIndexOf(m);
    if (at > best) {
      best = at;
      bestLen = m.length;
    }
  }
  if (best >= 0) return stripFence(text.slice(best + bestLen));
  let last: string | undefined;
  for (const m of text.matchAll(FENCE)) last = m[1];
  return last ?? text;
}

function stripFence(s: string): string {
  const m = /```(?:json)?\s*\n?([\s\S]*?)(```|$)/.exec(s);
  return m && s.trimStart().startsWith('```') ? (m[1] ?? s) : s;
}

/** Parses the answer's JSON (repairing it when needed); undefined when nothing sensible is there. */
export function parseJsonLoose(span: string): unknown {
  const s = span.trim();
  const start = s.indexOf('{');
  if (start < 0) return undefined;
  const candidates = [s.slice(start)];
  const end = s.lastIndexOf('}');
  if (end > start) candidates.unshift(s.slice(start, end + 1));
  for (const c of candidates) {
    try {
      return JSON.parse(c);
    } catch {
      /* try the repair */
    }
    try {
      return JSON.parse(jsonrepair(c));
    } catch {
      /* next candidate */
    }
  }
  return undefined;
}

/** A prediction as the reward reads it: the parsed answer, or undefined when unparseable. */
export function parsePrediction(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return parseJsonLoose(answerSpan(text));
  } catch {
    return undefined; // jsonrepair or a regex on pathological input: garbage scores 0
  }
}
