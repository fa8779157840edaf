// The total parser of model output: text in, a state difference or null out, never a throw.
// It follows the published reward code: the text after the last final-answer marker, else
// the last fenced ```json block, else the whole text; Python literals and broken JSON are
// repaired (jsonrepair handles both True/False/None and truncation, quotes, commas).
// Linear in the text's length: fences are found with indexOf, not a backtracking regex (the
// old /```(?:json)?\s*\n?([\s\S]*?)```/g took 95 s on ``` and 1 MB of spaces), and answers
// longer than MAX_ANSWER_CHARS are not parsed at all.
import { jsonrepair } from 'jsonrepair';

const MARKERS = ['The final answer is:', 'the final answer is:', 'The final state is:', 'The final game state is:'];
const FENCE = '```';
const WHITESPACE = /\s*/y;

/**
 * The longest answer JSON read (from its first `{`): 3.7 times the largest next state of the
 * ByteSized32 test set (4.4 KB; 8.9 KB indented by 4), so no right answer is cut. It bounds
 * the superlinear parts: jsonrepair (0.4 s on 64 KiB of unclosed strings) and the delta's
 * multiset difference of `contains` lists.
 */
export const MAX_ANSWER_CHARS = 16 * 1024;

/** Where the content of a fence opened at `open` starts: after ```, an optional `json` and whitespace. */
function contentStart(text: string, open: number): number {
  let at = open + FENCE.length;
  if (text.startsWith('json', at)) at += 4;
  WHITESPACE.lastIndex = at;
  WHITESPACE.exec(text);
  return WHITESPACE.lastIndex;
}

/** The content of the last closed fenced block, as /```(?:json)?\s*\n?([\s\S]*?)```/g's last match. */
function lastFenced(text: string): string | undefined {
  let last: string | undefined;
  for (let open = text.indexOf(FENCE); open >= 0;) {
    const start = contentStart(text, open);
    const close = text.indexOf(FENCE, start);
    if (close < 0) break; // no later fence closes either
    last = text.slice(start, close);
    open = text.indexOf(FENCE, close + FENCE.length);
  }
  return last;
}

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
  return lastFenced(text) ?? text;
}

/** An answer that opens with a fence: its content up to the closing fence or the end. */
function stripFence(s: string): string {
  const open = s.length - s.trimStart().length;
  if (!s.startsWith(FENCE, open)) return s;
  const start = contentStart(s, open);
  const close = s.indexOf(FENCE, start);
  return s.slice(start, close < 0 ? s.length : close);
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
    if (c.length > MAX_ANSWER_CHARS) continue;
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
    return undefined; // jsonrepair's RangeError on deep nesting: garbage scores 0
  }
}
