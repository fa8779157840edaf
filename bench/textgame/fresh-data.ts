// Fresh transitions of the training games for an RL-prompt experiment: the games played again with
// another seed, without any transition of the given splits, in a copy of a data folder whose
// training split they replace. The copy keeps the source's tokenizer and manifest, so checkpoints
// trained on the source load it, and GRPO run on it samples only transitions MLE never saw.
//   node dist/bench/textgame/fresh-data.js SRC_DATA_DIR OUT_DIR SEED [SPLIT.jsonl ...]
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  playTransitions,
  readTransitions,
  writeTransitions,
  type TgTransition,
} from '../../src/domains/textgame/index.js';

const [src, out, seedArg, ...extra] = process.argv.slice(2);
if (!src || !out || !seedArg) throw new Error('usage: fresh-data.js SRC_DATA_DIR OUT_DIR SEED [SPLIT.jsonl ...]');
const manifest = JSON.parse(readFileSync(join(src, 'manifest.json'), 'utf8')) as {
  recipe: { trainEpisodesPerGame: number; maxSteps: number; randomActionProb: number };
  trainGames: string[];
};
const key = (t: TgTransition): string =>
  JSON.stringify([t.current_state.objects, t.current_score_state, t.action_state.lastAction, t.tick_state.objects]);
const seen = new Set(
  [join(src, 'train.jsonl'), join(src, 'test.jsonl'), ...extra].flatMap((f) => readTransitions(f)).map(key),
);
const played = playTransitions({
  games: manifest.trainGames,
  episodesPerGame: manifest.recipe.trainEpisodesPerGame,
  maxSteps: manifest.recipe.maxSteps,
  randomActionProb: manifest.recipe.randomActionProb,
  seed: Number(seedArg),
});
const fresh = played.filter((t) => {
  const k = key(t);
  if (seen.has(k)) return false;
  seen.add(k);
  return true;
});
mkdirSync(out, { recursive: true });
writeTransitions(join(out, 'train.jsonl'), fresh);
for (const f of ['test.jsonl', 'heldout.jsonl', 'tokenizer.json', 'manifest.json'])
  copyFileSync(join(src, f), join(out, f));
console.log(
  `${out}: ${fresh.length} of ${played.length} transitions (seed ${seedArg}) are in none of the source's splits`,
);
