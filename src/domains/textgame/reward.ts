// The text-game rewards, as the spec defines them (shared/reference/rlvr-world.md, domain 1):
// rebuild the predicted next state from the current one and the predicted difference, then
// compare it with the true next state object by object. Total: any failure scores 0.
import type { TgObject, TgScore } from './format.js';
import { parsePrediction } from './parse.js';

/** What the reward needs of a transition: the current objects and score, and the true next ones. */
export interface TgTruth {
  current: TgObject[];
  currentScore: TgScore;
  next: TgObject[];
  nextScore: TgScore;
}

export interface TgScoreParts {
  binary: number;
  taskSpecific: number;
  item: number;
  score: number;
  /** fraction of the really changing properties predicted right; NaN when nothing changes */
  accChanged: number;
  parsed: boolean;
}

const ZERO: TgScoreParts = { binary: 0, taskSpecific: 0, item: 0, score: 0, accChanged: Number.NaN, parsed: false };

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Python's == on JSON values: deep for lists (in order) and dicts, by value otherwise. */
export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

const sortedNames = (v: Json): Json => (Array.isArray(v) ? [...v].map(String).sort() : v);

/** The checks of one property: contains is compared as a sorted list, anything else deeply. */
function sameProp(key: string, truth: Json, pred: Json): boolean {
  return key === 'contains' ? deepEqual(sortedNames(truth), sortedNames(pred)) : deepEqual(truth, pred);
}

/** The properties the comparison checks for one object: its properties plus `contains`. */
function checkedProps(o: Record<string, Json>): Record<string, Json> {
  const props = isObj(o.properties) ? o.properties : {};
  return { ...props, contains: o.contains };
}

/** Applies a predicted difference to the current objects; throws on malformed parts (the caller scores 0). */
function rebuild(current: TgObject[], diff: Record<string, Json>): Map<number, Record<string, Json>> {
  const { modified, removed } = diff;
  if (!Array.isArray(modified) || !Array.isArray(removed)) throw new Error('modified/removed must be lists');
  const state = new Map<number, Record<string, Json>>();
  for (const o of current) state.set(o.uuid, o as unknown as Record<string, Json>);
  for (const u of removed) state.delete(Number(u));
  for (const o of modified) {
    if (!isObj(o) || o.uuid === undefined || o.uuid === null) throw new Error('modified object without a uuid');
    state.set(Number(o.uuid), o);
  }
  return state;
}

/** Scores a parsed prediction (see parsePrediction) against the truth. Never throws. */
export function scoreDiff(pred: Json, truth: TgTruth): TgScoreParts {
  try {
    if (!isObj(pred) || !('modified' in pred) || !('removed' in pred)) return ZERO;
    if (!isObj(truth.nextScore) || Object.keys(truth.nextScore).length === 0) return ZERO;
    const state = rebuild(truth.current, pred);
    const predScore: Json = isObj(pred.score) && Object.keys(pred.score).length > 0 ? pred.score : truth.currentScore;

    let correct = 0;
    let errors = 0;
    for (const t of truth.next) {
      const p = state.get(t.uuid);
      if (!p) {
        errors += 1;
        continue;
      }
      const tp = checkedProps(t as unknown as Record<string, Json>);
      const pp = checkedProps(p);
      for (const k of Object.keys(tp)) {
        if (k in pp && sameProp(k, tp[k], pp[k])) correct += 1;
        else errors += 1;
      }
    }
    let sCorrect = 0;
    let sErrors = 0;
    const ps = isObj(predScore) ? predScore : {};
    for (const [k, v] of Object.entries(truth.nextScore)) {
      if (k in ps && deepEqual(v, ps[k])) sCorrect += 1;
      else sErrors += 1;
    }
    if (correct + errors === 0 || sCorrect + sErrors === 0) return ZERO;
    const item = correct / (correct + errors);
    const score = sCorrect / (sCorrect + sErrors);
    const exact = item === 1 && score === 1 ? 1 : 0;
    const accChanged = changedAccuracy(truth, state);
    const taskSpecific = 0.09 * item + 0.01 * score + 0.2 * exact + (Number.isNaN(accChanged) ? 0 : accChanged);
    return { binary: exact, taskSpecific, item, score, accChanged, parsed: true };
  } catch {
    return ZERO;
  }
}

/** Of the properties that really change (objects present before and after), the share predicted right. */
function changedAccuracy(truth: TgTruth, pred: Map<number, Record<string, Json>>): number {
  const before = new Map(truth.current.map((o) => [o.uuid, o]));
  let changed = 0;
  let right = 0;
  for (const t of truth.next) {
    const b = before.get(t.uuid);
    if (!b) continue;
    const tp = checkedProps(t as unknown as Record<string, Json>);
    const bp = checkedProps(b as unknown as Record<string, Json>);
    const p = pred.get(t.uuid);
    const pp = p ? checkedProps(p) : undefined;
    for (const k of Object.keys(tp)) {
      if (k in bp && sameProp(k, tp[k], bp[k])) continue;
      changed += 1;
      if (pp && k in pp && sameProp(k, tp[k], pp[k])) right += 1;
    }
  }
  return changed === 0 ? Number.NaN : right / changed;
}

/** Scores model output text. Never throws: unparseable text scores 0. */
export function scoreText(text: unknown, truth: TgTruth): TgScoreParts {
  return scoreDiff(parsePrediction(text), truth);
}

/**
 * Whether a transition changes anything the reward checks (objects present, their properties,
 * `contains` as a set, the score): the dynamic/static split of the metric.
 */
export function isDynamic(truth: TgTruth): boolean {
  if (!deepEqual(truth.currentScore, truth.nextScore)) return true;
  if (truth.current.length !== truth.next.length) return true;
  const before = new Map(truth.current.map((o) => [o.uuid, o]));
  return truth.next.some((o) => {
    const b = before.get(o.uuid);
    if (!b) return true;
    const tp = checkedProps(o as unknown as Record<string, Json>),
      bp = checkedProps(b as unknown as Record<string, Json>);
    const keys = Object.keys(tp);
    return keys.length !== Object.keys(bp).length || keys.some((k) => !(k in bp) || !sameProp(k, tp[k], bp[k]));
  });
}
