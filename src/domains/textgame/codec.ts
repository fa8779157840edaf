// Text in, text out: the prompt is the current state and the action (./prompt.ts); the
// target is the state difference as compact JSON. A byte-level BPE tokenizer trained on the
// training transitions turns both into tokens.
import type { Codec, Example } from '../../train/domain.js';
import type { TgObject, TgScore, TgDiff } from './format.js';
import type { TgTruth } from './reward.js';
import { parsePrediction } from './parse.js';
import { expandDelta, stateDelta, type TgDelta } from './delta.js';
import type { TextTokenizer } from '../../core/tokenizers/index.js';
import { ANSWER_MARKER, promptText, type PromptFormat } from './prompt.js';

export interface TgExample extends Example {
  game: string;
  stateId: number;
  action: string;
  taskDesc: string;
  truth: TgTruth;
  /** the target difference */
  diff: TgDiff;
  /** whether anything (objects or score) changes */
  dynamic: boolean;
}

/** A decoded prediction: the text and its parsed answer (undefined when unparseable). */
export interface TgPrediction {
  text: string;
  answer: unknown;
}

export { ANSWER_MARKER, promptText, compactObject, type PromptFormat } from './prompt.js';

export const targetText = (d: TgDiff | TgDelta): string => ` ${JSON.stringify(d)}`;

/**
 * What the model is trained to write: `diff`, the published state difference (modified objects
 * whole), or `delta`, only what changes (./delta.ts). Either way the prediction is scored as
 * the published diff.
 */
export type TargetFormat = 'diff' | 'delta';

/** The training target of an example in a format. */
export const targetOf = (e: TgExample, format: TargetFormat): TgDiff | TgDelta =>
  format === 'delta' ? stateDelta(e.truth.current, e.truth.currentScore, e.truth.next, e.truth.nextScore) : e.diff;

/** A parsed answer as the published diff: a delta (no modified/removed lists) is expanded against the current state. */
export function asDiff(answer: unknown, current: TgObject[], currentScore?: TgScore): unknown {
  const isDiff = typeof answer === 'object' && answer !== null && ('modified' in answer || 'removed' in answer);
  return answer === undefined || isDiff ? answer : expandDelta(answer, current, currentScore);
}

export const EOS_TOKEN = '<|endoftext|>';
export const PAD_TOKEN = '<|pad|>';

export function textgameCodec(
  tok: TextTokenizer,
  format: TargetFormat = 'diff',
  promptFormat: PromptFormat = 'json',
): Codec<TgExample, TgPrediction> {
  const eos = tok.tokenToId(EOS_TOKEN),
    pad = tok.tokenToId(PAD_TOKEN);
  if (eos === null || pad === null) throw new Error(`textgame codec: the tokenizer lacks ${EOS_TOKEN} or ${PAD_TOKEN}`);
  // Encoding is deterministic; cache by example id so rollouts and evaluations encode once.
  const prompts = new Map<string, number[]>();
  const targets = new Map<string, number[]>();
  const cached = async (m: Map<string, number[]>, key: string, make: () => Promise<number[]>): Promise<number[]> => {
    let v = m.get(key);
    if (!v) {
      v = await make();
      m.set(key, v);
    }
    return v;
  };
  const text = (ids: number[]): Promise<string> => {
    const end = ids.indexOf(eos);
    return tok.decode(end < 0 ? ids : ids.slice(0, end));
  };
  return {
    vocabSize: tok.vocabSize,
    eosTokenId: eos,
    padTokenId: pad,
    prompt: (e) => cached(prompts, e.id, () => tok.encode(promptText(e, promptFormat))),
    target: (e) => cached(targets, e.id, async () => [...(await tok.encode(targetText(targetOf(e, format)))), eos]),
    decode: async (ids, e) => {
      const t = await text(ids);
      const parsed = parsePrediction(`${ANSWER_MARKER}${t}`);
      return { text: t, answer: format === 'delta' ? asDiff(parsed, e.truth.current, e.truth.currentScore) : parsed };
    },
    text,
  };
}
