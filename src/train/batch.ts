// Padded tensors for training: MLE sequences (right-padded) and policy batches
// (prompt left-padded, response right-padded, so every response starts at one column).
import { tensor, type Tensor } from '../core/tensor/index.js';
import { distinctRows } from '../core/util/distinct.js';

export const IGNORE_INDEX = -100;

/** inputs = (prompt + target)[:-1], labels = (prompt + target)[1:] with the prompt and padding ignored. */
/** `given[j]` marks target tokens supplied by the environment (not trained on). */
export function mleBatch(
  rows: { prompt: number[]; target: number[]; given?: boolean[] }[],
  pad: number,
  device = 'cpu',
): { ids: Tensor; labels: Tensor; targetTokens: number } {
  const T = Math.max(...rows.map((r) => r.prompt.length + r.target.length)) - 1;
  const ids: number[][] = [],
    labels: number[][] = [];
  let targetTokens = 0;
  for (const { prompt, target, given } of rows) {
    const seq = [...prompt, ...target];
    const lab = seq
      .slice(1)
      .map((t, i) => (i + 1 >= prompt.length && !given?.[i + 1 - prompt.length] ? t : IGNORE_INDEX));
    targetTokens += given ? given.filter((g) => !g).length : target.length;
    ids.push([...seq.slice(0, -1), ...new Array(T - seq.length + 1).fill(pad)]);
    labels.push([...lab, ...new Array(T - lab.length).fill(IGNORE_INDEX)]);
  }
  return {
    ids: tensor(ids, { dtype: 'int64', device }),
    labels: tensor(labels, { dtype: 'int64', device }),
    targetTokens,
  };
}

export interface PolicyBatch {
  /** [B, Lp + Lr]: left-padded prompt, then the response, right-padded */
  ids: Tensor;
  /** [B, Lp + Lr] 1 for real tokens */
  attention: Tensor;
  /** [B, Lp + Lr] positions counting real tokens only */
  positions: Tensor;
  /** [B, Lr] the response tokens (pad where absent) */
  responseIds: Tensor;
  /** [B, Lr] float 1 where a response token is trained on (generated, not given, not padding) */
  lossMask: Tensor;
  promptWidth: number;
  responseWidth: number;
}

/**
 * `given[b][t]` marks response tokens that were supplied rather than generated (e.g. true
 * action tokens interleaved into a video rollout): they are context, not policy output.
 */
export function policyBatch(
  prompts: number[][],
  responses: number[][],
  pad: number,
  device = 'cpu',
  given?: boolean[][],
): PolicyBatch {
  const Lp = Math.max(...prompts.map((p) => p.length));
  const Lr = Math.max(1, ...responses.map((r) => r.length));
  const ids: number[][] = [],
    att: number[][] = [],
    pos: number[][] = [],
    resp: number[][] = [],
    mask: number[][] = [];
  prompts.forEach((p, b) => {
    const r = responses[b]!;
    const left = Lp - p.length,
      right = Lr - r.length;
    ids.push([...new Array(left).fill(pad), ...p, ...r, ...new Array(right).fill(pad)]);
    att.push([...new Array(left).fill(0), ...new Array(p.length + r.length).fill(1), ...new Array(right).fill(0)]);
    pos.push([
      ...new Array(left).fill(0),
      ...Array.from({ length: p.length + r.length }, (_, i) => i),
      ...new Array(right).fill(Math.max(0, p.length + r.length - 1)),
    ]);
    resp.push([...r, ...new Array(right).fill(pad)]);
    mask.push([...r.map((_, t) => (given?.[b]?.[t] ? 0 : 1)), ...new Array(right).fill(0)]);
  });
  return {
    ids: tensor(ids, { dtype: 'int64', device }),
    attention: tensor(att, { dtype: 'int64', device }),
    positions: tensor(pos, { dtype: 'int64', device }),
    responseIds: tensor(resp, { dtype: 'int64', device }),
    lossMask: tensor(mask, { dtype: 'float32', device }),
    promptWidth: Lp,
    responseWidth: Lr,
  };
}

/**
 * A policy batch whose rows share prompts (shared-prefix GRPO): each distinct prompt once,
 * left-padded, and per row the index of its prompt and its response, right-padded.
 */
export interface SharedPolicyBatch {
  /** [P, Lp] distinct prompts, left-padded */
  promptIds: Tensor;
  /** [P, Lp] 1 for real prompt tokens */
  promptAttention: Tensor;
  /** [P, Lp] positions counting real tokens only */
  promptPositions: Tensor;
  /** [B] int64: row b's prompt */
  rowPrompt: Tensor;
  /** [B, Lr] the response tokens (pad where absent) */
  responseIds: Tensor;
  /** [B, Lp + Lr] 1 for the row's real prompt tokens and its response tokens */
  attention: Tensor;
  /** [B, Lr] positions of the response tokens (continuing the prompt's) */
  responsePositions: Tensor;
  /** [B, Lr] float 1 where a response token is trained on */
  lossMask: Tensor;
  promptWidth: number;
  responseWidth: number;
}

export function sharedPolicyBatch(
  prompts: number[][],
  responses: number[][],
  pad: number,
  device = 'cpu',
  given?: boolean[][],
): SharedPolicyBatch {
  const { distinct, rowOf: rowPrompt } = distinctRows(prompts);
  const Lp = Math.max(...distinct.map((p) => p.length));
  const Lr = Math.max(1, ...responses.map((r) => r.length));
  const left = (p: number[]): number => Lp - p.length;
  const promptAtt = distinct.map((p) => [...new Array(left(p)).fill(0), ...new Array(p.length).fill(1)]);
  return {
    promptIds: tensor(
      distinct.map((p) => [...new Array(left(p)).fill(pad), ...p]),
      { dtype: 'int64', device },
    ),
    promptAttention: tensor(promptAtt, { dtype: 'int64', device }),
    promptPositions: tensor(
      distinct.map((p) => [...new Array(left(p)).fill(0), ...p.map((_, i) => i)]),
      { dtype: 'int64', device },
    ),
    rowPrompt: tensor(rowPrompt, { dtype: 'int64', device }),
    responseIds: tensor(
      responses.map((r) => [...r, ...new Array(Lr - r.length).fill(pad)]),
      { dtype: 'int64', device },
    ),
    attention: tensor(
      responses.map((r, b) => [
        ...promptAtt[rowPrompt[b]!]!,
        ...new Array(r.length).fill(1),
        ...new Array(Lr - r.length).fill(0),
      ]),
      { dtype: 'int64', device },
    ),
    responsePositions: tensor(
      responses.map((r, b) => {
        const n = distinct[rowPrompt[b]!]!.length;
        return Array.from({ length: Lr }, (_, t) => n + Math.min(t, Math.max(r.length - 1, 0)));
      }),
      { dtype: 'int64', device },
    ),
    lossMask: tensor(
      responses.map((r, b) => [...r.map((_, t) => (given?.[b]?.[t] ? 0 : 1)), ...new Array(Lr - r.length).fill(0)]),
      { dtype: 'float32', device },
    ),
    promptWidth: Lp,
    responseWidth: Lr,
  };
}
