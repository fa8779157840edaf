// The prompt: task, the current objects one per line, score, action, then the answer marker.
// `json` writes each object as the published JSON; `compact` writes the same facts in about
// half the tokens (no repeated keys or quotes, the uuid only when the name does not carry
// it), because prompt tokens are most of the compute of a step and carry no loss.
import type { TgObject, TgScore } from './format.js';

export type PromptFormat = 'json' | 'compact';

export const ANSWER_MARKER = 'The final answer is:';

/** `key=value` pairs with JSON values, space-separated. */
const pairs = (r: Record<string, unknown>): string[] => Object.entries(r).map(([k, v]) => `${k}=${JSON.stringify(v)}`);

/** `stove (ID: 2) Stove isOn=true contains=["pot (ID: 4)"]`: every field of the object, none repeated. */
export function compactObject(o: TgObject): string {
  const carriesUuid = o.name.endsWith(` (ID: ${o.uuid})`);
  return [
    o.name,
    ...(carriesUuid ? [] : [`uuid=${o.uuid}`]),
    o.type,
    ...pairs(o.properties),
    `contains=${JSON.stringify(o.contains)}`,
  ].join(' ');
}

export function promptText(
  e: { taskDesc: string; action: string; truth: { current: TgObject[]; currentScore: TgScore } },
  format: PromptFormat = 'json',
): string {
  const compact = format === 'compact';
  const score = e.truth.currentScore as unknown as Record<string, unknown>;
  return [
    `Task: ${e.taskDesc}`,
    'Objects:',
    ...e.truth.current.map((o) => (compact ? compactObject(o) : JSON.stringify(o))),
    `Score: ${compact ? pairs(score).join(' ') : JSON.stringify(score)}`,
    `Action: ${e.action}`,
    ANSWER_MARKER,
  ].join('\n');
}
