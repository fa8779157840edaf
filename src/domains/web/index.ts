// The web-page world model domain: transitions collected in Chromium over the local apps
// (built once per recipe into dataDir), or the published parquet layout for evaluation; a
// byte-level BPE codec; the spec's micro-F1 of the predicted page diff as reward and metric.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { WorldModelDomain, Codec } from '../../train/domain.js';
import { TextTokenizer } from '../../core/tokenizers/index.js';
import { diffF1 } from './f1.js';
import { readTransitions, readPublishedWeb, type WebExample } from './data.js';
import { DEFAULT_VIEW, type ViewOptions } from './view.js';
import { isBuilt, writeManifest } from '../manifest.js';
import { parseOptions } from '../plugin.js';

export type { WebExample } from './data.js';

const EOS = '<|endoftext|>',
  PAD = '<|pad|>';

const OptionsSchema = z
  .object({
    dataDir: z.string().min(1).default('runs/web-data'),
    seed: z.number().int().default(0),
    /** collector episodes (one scripted task each, with random detours) */
    trainEpisodes: z.number().int().positive().default(60),
    testEpisodes: z.number().int().positive().default(17),
    randomActionProb: z.number().min(0).max(1).default(0.3),
    maxSteps: z.number().int().positive().default(12),
    vocabSize: z.number().int().min(300).default(2048),
    /** the model sees windows of this many tree nodes around the action's element (./view.ts); 0: whole trees */
    viewLines: z.number().int().min(0).default(DEFAULT_VIEW.maxLines),
    /** 'test', or a .jsonl (collector layout) or .parquet (published layout) file */
    evalSet: z.string().min(1).default('test'),
    evalLimit: z.number().int().min(0).default(0),
  })
  .strict();
export type WebOptions = z.input<typeof OptionsSchema>;

/** Domain options, checked: a wrong or misspelled field is named. */
export const webOptions = (options: unknown): z.infer<typeof OptionsSchema> =>
  parseOptions('web', OptionsSchema, options);

/** Collects train/test transitions in Chromium and trains the tokenizer, unless dataDir holds them for this recipe. */
export async function buildWebData(
  o: z.infer<typeof OptionsSchema>,
  log: (m: string) => void = (m) => console.error(m),
): Promise<void> {
  const recipe = {
    version: 2,
    viewLines: o.viewLines,
    seed: o.seed,
    trainEpisodes: o.trainEpisodes,
    testEpisodes: o.testEpisodes,
    randomActionProb: o.randomActionProb,
    maxSteps: o.maxSteps,
    vocabSize: o.vocabSize,
  };
  if (isBuilt(o.dataDir, recipe)) return;
  const { collect, writeTransitions } = await import('./browser/collector.js');
  mkdirSync(o.dataDir, { recursive: true });
  const counts: Record<string, number> = {};
  for (const [split, episodes, seed] of [
    ['train', o.trainEpisodes, o.seed * 2 + 1],
    ['test', o.testEpisodes, o.seed * 2 + 2],
  ] as const) {
    log(`web data: collecting ${episodes} ${split} episodes in Chromium`);
    const ts = await collect({ seed, episodes, randomActionProb: o.randomActionProb, maxSteps: o.maxSteps });
    await writeTransitions(join(o.dataDir, `${split}.jsonl`), ts);
    counts[split] = ts.length;
  }
  const texts = readTransitions(join(o.dataDir, 'train.jsonl'), viewOf(o)).map((e) => `${e.prompt} ${e.truth}`);
  TextTokenizer.trainBpe(texts, { vocabSize: o.vocabSize, specialTokens: [EOS, PAD] }).save(
    join(o.dataDir, 'tokenizer.json'),
  );
  writeManifest(o.dataDir, { recipe, counts });
  log(`web data: ${counts.train} train and ${counts.test} test transitions in ${o.dataDir}`);
}

/** The view options of the domain's options (undefined: whole trees). */
export const viewOf = (o: { viewLines: number }): ViewOptions | undefined =>
  o.viewLines ? { ...DEFAULT_VIEW, maxLines: o.viewLines } : undefined;

function webCodec(tok: TextTokenizer): Codec<WebExample, string> {
  const eos = tok.tokenToId(EOS),
    pad = tok.tokenToId(PAD);
  if (eos === null || pad === null) throw new Error(`web codec: the tokenizer lacks ${EOS} or ${PAD}`);
  const prompts = new Map<string, number[]>(),
    targets = new Map<string, number[]>();
  const text = (ids: number[]): Promise<string> => {
    const end = ids.indexOf(eos);
    return tok.decode(end < 0 ? ids : ids.slice(0, end));
  };
  return {
    vocabSize: tok.vocabSize,
    eosTokenId: eos,
    padTokenId: pad,
    prompt: async (e) => prompts.get(e.id) ?? prompts.set(e.id, await tok.encode(e.prompt)).get(e.id)!,
    target: async (e) => targets.get(e.id) ?? targets.set(e.id, [...(await tok.encode(` ${e.truth}`)), eos]).get(e.id)!,
    decode: async (ids) => (await text(ids)).trim(),
    text,
  };
}

export async function webDomain(
  options: WebOptions = {},
  log: (m: string) => void = (m) => console.error(m),
): Promise<WorldModelDomain<WebExample, string>> {
  const o = webOptions(options);
  await buildWebData(o, log);
  const tok = TextTokenizer.fromFile(join(o.dataDir, 'tokenizer.json'));
  const evalExamples = async (): Promise<WebExample[]> => {
    const all =
      o.evalSet === 'test'
        ? readTransitions(join(o.dataDir, 'test.jsonl'), viewOf(o))
        : o.evalSet.endsWith('.parquet')
          ? await readPublishedWeb(o.evalSet)
          : readTransitions(o.evalSet, viewOf(o));
    return o.evalLimit ? all.slice(0, o.evalLimit) : all;
  };
  const f1 = (p: string, e: WebExample) => {
    const s = diffF1(p, e.truth);
    return { score: s.f1, components: { precision: s.precision, recall: s.recall } };
  };
  return {
    name: 'web',
    examples: async (split) =>
      split === 'train' ? readTransitions(join(o.dataDir, 'train.jsonl'), viewOf(o)) : evalExamples(),
    codec: webCodec(tok),
    rewards: { f1 },
    metrics: {
      f1: (p, e) => diffF1(p, e.truth).f1,
      precision: (p, e) => diffF1(p, e.truth).precision,
      recall: (p, e) => diffF1(p, e.truth).recall,
    },
    defaultReward: 'f1',
    primaryMetric: 'f1',
    asText: (e) => ({ prompt: e.prompt, groundTruth: e.truth }),
    ability: 'web_world_model',
  };
}
