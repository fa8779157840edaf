// Argument parsers for the numeric and JSON options: commander hands them the text and prints
// their InvalidArgumentError as one line naming the option. Number('abc') is NaN, and a NaN or
// out-of-range count used to run on silently (0 examples, accuracy 0) or hang (batch size 0).
import { InvalidArgumentError } from 'commander';

const range = (min: number, max: number): string =>
  max === Infinity || max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;

/** An integer in [min, max]. */
export const int =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (text: string): number => {
    const n = Number(text);
    if (!/^\s*[-+]?\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer ${range(min, max)}.`);
    return n;
  };

/** Comma-separated integers, each in [min, max]. */
export const intList =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (text: string): number[] => {
    try {
      return text.split(',').map(int(min, max));
    } catch {
      throw new InvalidArgumentError(`expected comma-separated integers ${range(min, max)}.`);
    }
  };

/** A finite number, above `gt` (exclusive) or at least `min`, and at most `max`. */
export const real =
  (b: { gt?: number; min?: number; max?: number }) =>
  (text: string): number => {
    const n = Number(text);
    const ok =
      text.trim() !== '' &&
      Number.isFinite(n) &&
      (b.gt === undefined || n > b.gt) &&
      (b.min === undefined || n >= b.min) &&
      (b.max === undefined || n <= b.max);
    if (ok) return n;
    const bounds = [
      b.gt !== undefined ? `> ${b.gt}` : b.min !== undefined ? `≥ ${b.min}` : '',
      b.max !== undefined ? `≤ ${b.max}` : '',
    ].filter(Boolean);
    throw new InvalidArgumentError(`expected a number${bounds.length ? ' ' + bounds.join(' and ') : ''}.`);
  };

/** A JSON object (domain options). */
export const jsonObject = (text: string): Record<string, unknown> => {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError(`not valid JSON: ${(e as Error).message}.`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InvalidArgumentError('expected a JSON object {...}.');
  return v as Record<string, unknown>;
};
