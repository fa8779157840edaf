// A validation split of unseen transitions: the transitions of a JSONL file that are in none of
// the given splits (same current state, score, action and next state), so validation never
// measures memorized training transitions.
//   node dist/bench/textgame/unseen-split.js IN.jsonl OUT.jsonl SPLIT.jsonl [SPLIT.jsonl ...]
import { readTransitions, writeTransitions, type TgTransition } from '../../src/domains/textgame/index.js';

const [input, output, ...splits] = process.argv.slice(2);
if (!input || !output || splits.length === 0)
  throw new Error('usage: unseen-split.js IN.jsonl OUT.jsonl SPLIT.jsonl ...');
const key = (t: TgTransition): string =>
  JSON.stringify([t.current_state.objects, t.current_score_state, t.action_state.lastAction, t.tick_state.objects]);
const seen = new Set(splits.flatMap((f) => readTransitions(f)).map(key));
const all = readTransitions(input);
const kept = all.filter((t) => !seen.has(key(t)));
writeTransitions(output, kept);
console.log(`${output}: ${kept.length} of ${all.length} transitions of ${input} are in none of ${splits.join(', ')}`);
