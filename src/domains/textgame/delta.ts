// A compact target for the text game: per object only what changes. The published diff
// writes each modified object whole, so most of a dynamic transition's target is copying;
// the delta writes `{"<uuid>": {<changes>}, ..., "removed": [uuids], "score": {<changes>}}`:
// - a number that changes is written as its change, `"freshness+": -1` (ticking counters are
//   then one constant), other values as they become, `"isOpen": true`;
// - `contains` as the names that enter and leave, `"contains+": [...]`, `"contains-": [...]`;
// - the score only when it changes; a static transition is `{}`;
// - a new object whole ("#name", "#type", every property and "contains").
// decode() expands a delta against the current state into the published diff, so rewards and
// metrics stay exactly the published ones.
import type { TgDiff, TgObject, TgScore } from './format.js';
import { deepEqual } from './reward.js';

export type TgDelta = Record<string, unknown>;

const NAME = '#name',
  TYPE = '#type',
  DROPPED = '#dropped',
  ADDED = 'contains+',
  LEFT = 'contains-';
const PLUS = '+';

/** The change of a number, when adding it back gives exactly the new value (no float round-off). */
function increment(before: unknown, after: unknown): number | undefined {
  if (typeof before !== 'number' || typeof after !== 'number' || !Number.isFinite(before) || !Number.isFinite(after))
    return undefined;
  const d = after - before;
  return before + d === after ? d : undefined;
}

/** Changed fields of a record: numbers as `key+` increments, anything else as it becomes. */
function fieldChanges(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  d: Record<string, unknown>,
): void {
  for (const [k, v] of Object.entries(after)) {
    if (before && k in before && deepEqual(before[k], v)) continue;
    const inc = before && k in before ? increment(before[k], v) : undefined;
    if (inc !== undefined) d[k + PLUS] = inc;
    else d[k] = v;
  }
}

/** Names in `a` that are not in `b`, as multisets. */
function minus(a: string[], b: string[]): string[] {
  const left = [...b];
  return a.filter((x) => {
    const i = left.indexOf(x);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What changes from `before` to `after` (one object); undefined when nothing does. */
function objectDelta(before: TgObject | undefined, after: TgObject): Record<string, unknown> | undefined {
  const d: Record<string, unknown> = {};
  if (!before || before.name !== after.name) d[NAME] = after.name;
  if (!before || before.type !== after.type) d[TYPE] = after.type;
  fieldChanges(before?.properties, after.properties, d);
  const dropped = before ? Object.keys(before.properties).filter((k) => !(k in after.properties)) : [];
  if (dropped.length) d[DROPPED] = dropped;
  if (!before) d.contains = after.contains;
  else {
    // contains is compared as a set of names: what enters and what leaves is the whole change
    const added = minus(after.contains, before.contains),
      left = minus(before.contains, after.contains);
    if (added.length) d[ADDED] = added;
    if (left.length) d[LEFT] = left;
  }
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
  if (!deepEqual(currentScore, nextScore)) {
    const score: Record<string, unknown> = {};
    fieldChanges(
      currentScore as unknown as Record<string, unknown>,
      nextScore as unknown as Record<string, unknown>,
      score,
    );
    delta.score = score;
  }
  return delta;
}

/** Applies changes written by fieldChanges to a copy of `base`; malformed parts are skipped. */
function applyChanges(
  base: Record<string, unknown>,
  changes: Record<string, unknown>,
  skip: Set<string>,
): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (skip.has(k)) continue;
    if (k.endsWith(PLUS) && k.length > 1) {
      const key = k.slice(0, -1);
      if (typeof out[key] === 'number' && typeof v === 'number') out[key] = (out[key] as number) + v;
    } else out[k] = v;
  }
  return out;
}

const OBJECT_FIELDS = new Set([NAME, TYPE, DROPPED, 'contains', ADDED, LEFT]);
const names = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/**
 * The published diff a delta stands for, given the current state. Total: anything malformed
 * in a delta is skipped (an entry that is not an object, a removed id that is not a number),
 * and a value that is not a delta at all gives undefined (scored as unparseable).
 */
export function expandDelta(delta: unknown, current: TgObject[], currentScore?: TgScore): TgDiff | undefined {
  if (!isObj(delta)) return undefined;
  const byUuid = new Map(current.map((o) => [o.uuid, o]));
  const modified: TgObject[] = [];
  for (const [key, entry] of Object.entries(delta)) {
    const uuid = Number(key);
    if (key === 'removed' || key === 'score' || !Number.isInteger(uuid) || !isObj(entry)) continue;
    const base = byUuid.get(uuid);
    const properties = applyChanges(base?.properties ?? {}, entry, OBJECT_FIELDS);
    for (const k of names(entry[DROPPED])) delete properties[k];
    let contains = Array.isArray(entry.contains) ? names(entry.contains) : [...(base?.contains ?? [])];
    contains = [...minus(contains, names(entry[LEFT])), ...names(entry[ADDED])];
    modified.push({
      name: typeof entry[NAME] === 'string' ? entry[NAME] : (base?.name ?? ''),
      uuid,
      type: typeof entry[TYPE] === 'string' ? entry[TYPE] : (base?.type ?? ''),
      properties,
      contains,
    });
  }
  const removed = Array.isArray(delta.removed) ? delta.removed.map(Number).filter(Number.isInteger) : [];
  const score = isObj(delta.score)
    ? (applyChanges((currentScore ?? {}) as Record<string, unknown>, delta.score, new Set()) as unknown as TgScore)
    : {};
  return { modified, removed, score };
}
