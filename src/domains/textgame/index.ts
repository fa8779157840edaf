// The text-game domain (ByteSized32 state prediction) as a plugin. Built-in games are played
// to make the training data; the real ByteSized32 set can be read as an evaluation set.
// Data and tokenizer are built once into `dataDir` and reused by later runs with the same
// options (a manifest records them), so `train mle`, `train grpo` and `eval` agree.
import { join } from 'node:path';
import type { WorldModelDomain } from '../../train/domain.js';
import { TextTokenizer } from '../../core/tokenizers/index.js';
import { GAMES } from './games/index.js';
import { playTransitions } from './play.js';
import { readTransitions, writeTransitions } from './data.js';
import { toExamples } from './examples.js';
import {
  textgameCodec,
  promptText,
  targetText,
  targetOf,
  type TargetFormat,
  type PromptFormat,
  EOS_TOKEN,
  PAD_TOKEN,
  type TgExample,
  type TgPrediction,
} from './codec.js';
import { scoreDiff, type TgScoreParts } from './reward.js';
import type { TgTransition } from './format.js';
import { z } from 'zod';
import { Rng } from '../../core/util/rng.js';
import { isBuilt, writeManifest } from '../manifest.js';
import { parseOptions } from '../plugin.js';

export * from './format.js';
export * from './parse.js';
export * from './reward.js';
export * from './diff.js';
export * from './delta.js';
export * from './data.js';
export * from './codec.js';
export * from './examples.js';
export { playTransitions } from './play.js';
export { GAMES } from './games/index.js';

export interface TextgameOptions {
  /** where the generated transitions and the tokenizer are kept */
  dataDir?: string;
  /** games held out of training entirely (the generalization set) */
  heldOutGames?: string[];
  trainEpisodesPerGame?: number;
  testEpisodesPerGame?: number;
  maxSteps?: number;
  randomActionProb?: number;
  seed?: number;
  vocabSize?: number;
  /** what examples('test') returns: the built-in test split, the held-out games, or a ByteSized32 .jsonl/.zip file */
  evalSet?: string;
  /** at most this many examples of the eval set (the first of a seeded shuffle; 0 = all) */
  evalLimit?: number;
  /** what the model writes: the published diff (default) or the compact delta (./delta.ts); both are scored as the diff */
  targetFormat?: TargetFormat;
  /** how the prompt writes the current objects: the published JSON (default) or `compact` (./prompt.ts) */
  promptFormat?: PromptFormat;
  /**
   * the training transitions GRPO samples prompts from: all, or only the dynamic ones (a static
   * transition is predicted right by nearly every sample, so its group has no spread)
   */
  rlPrompts?: 'all' | 'dynamic';
}

const DEFAULTS = {
  dataDir: 'runs/textgame-data',
  heldOutGames: ['make-ice', 'wash-clothes'],
  trainEpisodesPerGame: 60,
  testEpisodesPerGame: 12,
  maxSteps: 24,
  randomActionProb: 0.3,
  seed: 1,
  vocabSize: 1024,
  evalSet: 'test',
  evalLimit: 0,
  targetFormat: 'diff' as TargetFormat,
  promptFormat: 'json' as PromptFormat,
  rlPrompts: 'all' as 'all' | 'dynamic',
};

type Resolved = typeof DEFAULTS;

/** Plays the games and trains the tokenizer into dataDir, unless it already holds data for these options. */
export async function buildTextgameData(
  o: Resolved,
  log: (m: string) => void = (m) => console.error(m),
): Promise<void> {
  const recipe = {
    heldOutGames: o.heldOutGames,
    trainEpisodesPerGame: o.trainEpisodesPerGame,
    testEpisodesPerGame: o.testEpisodesPerGame,
    maxSteps: o.maxSteps,
    randomActionProb: o.randomActionProb,
    seed: o.seed,
    vocabSize: o.vocabSize,
    // the tokenizer is trained on prompts and targets; data built for the defaults keeps its recipe
    ...(o.targetFormat === 'diff' ? {} : { targetFormat: o.targetFormat }),
    ...(o.promptFormat === 'json' ? {} : { promptFormat: o.promptFormat }),
  };
  if (isBuilt(o.dataDir, recipe)) return;
  for (const g of o.heldOutGames)
    if (!GAMES[g])
      throw new Error(`textgame: heldOutGames names an unknown game '${g}' (games: ${Object.keys(GAMES).join(', ')})`);
  const trainGames = Object.keys(GAMES).filter((g) => !o.heldOutGames.includes(g));
  const play = (games: string[], episodes: number, seed: number): TgTransition[] =>
    playTransitions({
      games,
      episodesPerGame: episodes,
      maxSteps: o.maxSteps,
      randomActionProb: o.randomActionProb,
      seed,
    });
  const train = play(trainGames, o.trainEpisodesPerGame, o.seed);
  // The test split: other seeds of the training games, without transitions seen in training.
  const key = (t: TgTransition): string =>
    JSON.stringify([t.current_state.objects, t.current_score_state, t.action_state.lastAction, t.tick_state.objects]);
  const seen = new Set(train.map(key));
  const dedupe = (ts: TgTransition[]): TgTransition[] => {
    const s = new Set<string>();
    return ts.filter((t) => {
      const k = key(t);
      if (seen.has(k) || s.has(k)) return false;
      s.add(k);
      return true;
    });
  };
  const test = dedupe(play(trainGames, o.testEpisodesPerGame, o.seed + 100_003));
  const heldOut = o.heldOutGames.length ? dedupe(play(o.heldOutGames, o.testEpisodesPerGame, o.seed + 200_003)) : [];
  writeTransitions(join(o.dataDir, 'train.jsonl'), train);
  writeTransitions(join(o.dataDir, 'test.jsonl'), test);
  writeTransitions(join(o.dataDir, 'heldout.jsonl'), heldOut);
  const texts = toExamples(train, 'train').map(
    (e) => promptText(e, o.promptFormat) + targetText(targetOf(e, o.targetFormat)),
  );
  TextTokenizer.trainBpe(texts, { vocabSize: o.vocabSize, specialTokens: [EOS_TOKEN, PAD_TOKEN] }).save(
    join(o.dataDir, 'tokenizer.json'),
  );
  writeManifest(o.dataDir, {
    recipe,
    counts: { train: train.length, test: test.length, heldout: heldOut.length },
    trainGames,
  });
  log(
    `textgame: built ${train.length} train, ${test.length} test, ${heldOut.length} held-out-game transitions in ${o.dataDir}`,
  );
}

/** A seeded shuffle (stable for a seed), so evaluation subsets are reproducible. */
function shuffled<T>(xs: T[], seed: number): T[] {
  return new Rng(seed + 424_242).shuffle([...xs]);
}

const OptionsSchema = z
  .object({
    dataDir: z.string().min(1),
    heldOutGames: z.array(z.string()),
    trainEpisodesPerGame: z.number().int().positive(),
    testEpisodesPerGame: z.number().int().positive(),
    maxSteps: z.number().int().positive(),
    randomActionProb: z.number().min(0).max(1),
    seed: z.number().int(),
    vocabSize: z.number().int().min(300),
    evalSet: z.string().min(1),
    evalLimit: z.number().int().min(0),
    targetFormat: z.enum(['diff', 'delta']),
    promptFormat: z.enum(['json', 'compact']),
    rlPrompts: z.enum(['all', 'dynamic']),
  })
  .partial()
  .strict();

/** Domain options, checked: a wrong or misspelled field is named. */
export function textgameOptions(options: unknown): Resolved {
  return { ...DEFAULTS, ...parseOptions('textgame', OptionsSchema, options) } as Resolved;
}

export async function textgameDomain(
  options: TextgameOptions = {},
): Promise<WorldModelDomain<TgExample, TgPrediction>> {
  const o = textgameOptions(options);
  await buildTextgameData(o);
  const tok = TextTokenizer.fromFile(join(o.dataDir, 'tokenizer.json'));
  const load = (name: string): TgExample[] => toExamples(readTransitions(join(o.dataDir, `${name}.jsonl`)), name);
  // In a seeded random order, so the first N (the trainers' periodic evaluations) are a fair sample of all games.
  const evalExamples = (): TgExample[] => {
    const set = o.evalSet;
    const all =
      set === 'test'
        ? load('test')
        : set === 'heldout'
          ? load('heldout')
          : toExamples(readTransitions(set), 'bytesized32');
    return shuffled(all, o.seed).slice(0, o.evalLimit || all.length);
  };
  // Every reward and metric reads the same comparison: compute it once per (prediction, example).
  const scored = new WeakMap<TgPrediction, { e: TgExample; r: TgScoreParts }>();
  const parts = (p: TgPrediction | null, e: TgExample): TgScoreParts => {
    if (!p) return scoreDiff(undefined, e.truth);
    const hit = scored.get(p);
    if (hit && hit.e === e) return hit.r;
    const r = scoreDiff(p.answer, e.truth);
    scored.set(p, { e, r });
    return r;
  };
  const onlyIf =
    (want: boolean) =>
    (p: TgPrediction | null, e: TgExample): number | null =>
      e.dynamic === want ? parts(p, e).binary : null;
  return {
    name: 'textgame',
    examples: async (split) => (split === 'train' ? load('train') : evalExamples()),
    ...(o.rlPrompts === 'dynamic' ? { rlPrompt: (e: TgExample) => e.dynamic } : {}),
    codec: textgameCodec(tok, o.targetFormat, o.promptFormat),
    rewards: {
      binary: (p, e) => parts(p, e).binary,
      task_specific: (p, e) => {
        const r = parts(p, e);
        return { score: r.taskSpecific, components: { item: r.item, score: r.score } };
      },
    },
    metrics: {
      accuracy: (p, e) => parts(p, e).binary,
      accuracy_dynamic: onlyIf(true),
      accuracy_static: onlyIf(false),
      task_specific: (p, e) => parts(p, e).taskSpecific,
      parse_rate: (p) => (p?.answer !== undefined ? 1 : 0),
    },
    defaultReward: 'binary',
    primaryMetric: 'accuracy',
    asText: (e) => ({ prompt: promptText(e, o.promptFormat), groundTruth: JSON.stringify(e.truth) }),
    ability: 'world-model/textgame',
    suggestedModel: {
      hiddenSize: 128,
      intermediateSize: 344,
      numHiddenLayers: 4,
      numAttentionHeads: 4,
      numKeyValueHeads: 2,
    },
  };
}
