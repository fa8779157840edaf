// A compact target for the text game: per object only what changes. The published diff
// writes each modified object whole, so most of a dynamic transition's target is copying;
// the delta writes `{"<uuid>": {<changed properties>, "contains": [...]}, ..., "removed":
// [uuids], "score": {...}}`, with the score only when it changes and new objects given whole
// ("#name", "#type", every property and "contains"). decode() expands a delta against the
// current state into the published diff, so rewards and metrics stay exactly the published ones.
import type { TgDiff, TgObject, TgScore } from './format.js';
import { deepEqual } from './reward.js';

export type TgDelta = Record<string, unknown>;

const NAME = '#name',
  TYPE = '#type',
  DROPPED = '#dropped';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What changes from `before` to `after` (one object); undefined when nothing does. */
function objectDelta(before: TgObject | undefined, after: TgObject): Record<string, unknown> | undefined {
  const d: Record<string, unknown> = {};
  if (!before || before.name !== after.name) d[NAME] = after.name;
  if (!before || before.type !== after.type) d[TYPE] = after.type;
  for (const [k, v] of Object.entries(after.properties)) {
    if (!before || !(k in before.properties) || !deepEqual(before.properties[k], v)) d[k] = v;
  }
  const dropped = before ? Object.keys(before.properties).filter((k) => !(k in after.properties)) : [];
  if (dropped.length) d[DROPPED] = dropped;
  if (!before || !deepEqual(before.contains, after.contains)) d.contains = after.contains;
  return Object.keys(d).length ? d : undefined;
}

/** The true delta of a transition. */
export function stateDelta(current: TgObject[], currentScore: TgScore, next: TgObject[], nextScore: TgScore): TgDelta {
  const before = new Map(current.map((o) => [o.uuid, o]));
  const after = new Set(next.map((o) => o.uuid));
  const delta: TgDelta = {};
  for (const o of next) {
    const d = objectDelta(before.get(o.uuid), o);
    if (d) delta[String(o.uuid)] = d;
  }
  const removed = current.filter((o) => !after.has(o.uuid)).map((o) => o.uuid);
  if (removed.length) delta.removed = removed;
  if (!deepEqual(currentScore, nextScore)) delta.score = nextScore;
  return delta;
}

/**
 * The published diff a delta stands for, given the current state. Total: anything malformed
 * in a delta is skipped (an entry that is not an object, a removed id that is not a number),
 * and a value that is not a delta at all gives undefined (scored as unparseable).
 */
export function expandDelta(delta: unknown, current: TgObject[]): TgDiff | undefined {
  if (!isObj(delta)) return undefined;
  const byUuid = new Map(current.map((o) => [o.uuid, o]));
  const modified: TgObject[] = [];
  for (const [key, entry] of Object.entries(delta)) {
    const uuid = Number(key);
    if (key === 'removed' || key === 'score' || !Number.isInteger(uuid) || !isObj(entry)) continue;
    const base = byUuid.get(uuid);
    const properties: Record<string, unknown> = { ...(base?.properties ?? {}) };
    for (const [k, v] of Object.entries(entry))
      if (k !== NAME && k !== TYPE && k !== DROPPED && k !== 'contains') properties[k] = v;
    if (Array.isArray(entry[DROPPED])) for (const k of entry[DROPPED]) delete properties[String(k)];
    const contains = Array.isArray(entry.contains) ? entry.contains.map(String) : (base?.contains ?? []);
    modified.push({
      name: typeof entry[NAME] === 'string' ? entry[NAME] : (base?.name ?? ''),
      uuid,
      type: typeof entry[TYPE] === 'string' ? entry[TYPE] : (base?.type ?? ''),
      properties,
      contains,
    });
  }
  const removed = Array.isArray(delta.removed) ? delta.removed.map(Number).filter(Number.isInteger) : [];
  const score = isObj(delta.score) ? (delta.score as unknown as TgScore) : {};
  return { modified, removed, score };
}
