// State differences: what the model is trained to output for a transition.
import type { TgDiff, TgObject, TgScore } from './format.js';
import { deepEqual } from './reward.js';

/** The true difference: objects that are new or changed (in full), uuids removed, and the next score. */
export function stateDiff(current: TgObject[], next: TgObject[], nextScore: TgScore): TgDiff {
  const before = new Map(current.map((o) => [o.uuid, o]));
  const after = new Set(next.map((o) => o.uuid));
  return {
    modified: next.filter((o) => {
      const b = before.get(o.uuid);
      return !b || !deepEqual(b, o);
    }),
    removed: current.filter((o) => !after.has(o.uuid)).map((o) => o.uuid),
    score: nextScore,
  };
}
