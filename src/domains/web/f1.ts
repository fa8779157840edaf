// The web domain's reward (shared/reference/rlvr-world.md, domain 2): micro-F1 between the
// predicted and the true page change, over three sections. Total: garbage scores 0.

export const SECTIONS = ['New items:', 'Deleted items:', 'Updated items:'] as const;
export type Section = 0 | 1 | 2;

/**
 * The set of stripped non-empty lines under each header. A line starting with a header opens
 * that section (the rest of it is ignored); lines before the first header are ignored;
 * duplicates count once; `None` counts as a line.
 */
export function parseSections(text: unknown): [Set<string>, Set<string>, Set<string>] {
  const out: [Set<string>, Set<string>, Set<string>] = [new Set(), new Set(), new Set()];
  if (typeof text !== 'string') return out;
  let current = -1;
  // one pass with indexOf, not split('\n'): 1 MB of newlines would be a million strings
  for (let at = 0; at <= text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = end - at > 0 ? text.slice(at, end).trim() : '';
    at = end + 1;
    if (line === '') continue;
    const header = SECTIONS.findIndex((h) => line.startsWith(h));
    if (header >= 0) current = header;
    else if (current >= 0) out[current as Section].add(line);
  }
  return out;
}

export interface F1Parts {
  f1: number;
  precision: number;
  recall: number;
  matches: number;
  predicted: number;
  truth: number;
}

/** Micro-F1 over the three sections: matches are lines present in the same section of both. */
export function diffF1(prediction: unknown, truth: string): F1Parts {
  const p = parseSections(prediction),
    t = parseSections(truth);
  let matches = 0,
    predicted = 0,
    total = 0;
  for (let s = 0; s < 3; s++) {
    predicted += p[s]!.size;
    total += t[s]!.size;
    for (const line of p[s]!) if (t[s]!.has(line)) matches++;
  }
  if (matches === 0) return { f1: 0, precision: 0, recall: 0, matches, predicted, truth: total };
  const precision = matches / predicted,
    recall = matches / total;
  return { f1: (2 * precision * recall) / (precision + recall), precision, recall, matches, predicted, truth: total };
}
