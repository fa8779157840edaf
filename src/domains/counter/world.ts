// The counter world: a few registers holding digits, changed by actions. Small enough to
// learn on a laptop CPU in minutes, exact enough to verify: the built-in world of the
// trainer tests and the engine demo.
//   state "a=3 b=7 c=0", action "add a b" -> next state "a=0 b=7 c=0"
import { Rng } from '../../core/util/rng.js';
import type { Example } from '../../train/domain.js';

export type Registers = number[];
export type Action =
  { op: 'inc' | 'dec' | 'reset' | 'noop'; a: number } | { op: 'add' | 'swap' | 'copy'; a: number; b: number };

/**
 * `next` is the true next state (what rewards and metrics check); `recorded` is what a
 * demonstrator wrote down when it differs (the MLE target): see makeExamples' demoErrorRate.
 */
export interface CounterExample extends Example {
  state: Registers;
  action: Action;
  next: Registers;
  recorded?: Registers;
}

export const NAMES = 'abcdefgh';
export const MOD = 10;

export function step(s: Registers, act: Action): Registers {
  const n = [...s];
  switch (act.op) {
    case 'inc':
      n[act.a] = (s[act.a]! + 1) % MOD;
      break;
    case 'dec':
      n[act.a] = (s[act.a]! + MOD - 1) % MOD;
      break;
    case 'reset':
      n[act.a] = 0;
      break;
    case 'noop':
      break;
    case 'add':
      n[act.a] = (s[act.a]! + s[act.b]!) % MOD;
      break;
    case 'swap':
      n[act.a] = s[act.b]!;
      n[act.b] = s[act.a]!;
      break;
    case 'copy':
      n[act.a] = s[act.b]!;
      break;
  }
  return n;
}

export const formatState = (s: Registers): string => s.map((v, i) => `${NAMES[i]}=${v}`).join(' ');
export const formatAction = (a: Action): string =>
  'b' in a ? `${a.op} ${NAMES[a.a]} ${NAMES[a.b]}` : `${a.op} ${NAMES[a.a]}`;

/** Parses "a=3 b=7 c=0"; null when the text is not a state of `n` registers. */
export function parseState(text: string, n: number): Registers | null {
  const s = text.trim();
  if (s.length !== 4 * n - 1) return null; // "a=3 b=7 c=0": 4 characters a register; a long text is not read
  const m = s.match(/^([a-h])=(\d)(?: ([a-h])=(\d))*$/);
  if (!m) return null;
  const parts = s.split(' ');
  if (parts.length !== n) return null;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const [name, v] = parts[i]!.split('=');
    if (name !== NAMES[i] || v === undefined || !/^\d$/.test(v)) return null;
    out.push(Number(v));
  }
  return out;
}

export const OPS = ['inc', 'dec', 'reset', 'noop', 'add', 'swap', 'copy'] as const;
export type Op = (typeof OPS)[number];

export function randomAction(rng: Rng, n: number, ops: readonly Op[] = OPS): Action {
  const op = rng.pick(ops);
  const a = rng.int(n);
  if (op === 'add' || op === 'swap' || op === 'copy') {
    let b = rng.int(n - 1);
    if (b >= a) b++;
    return { op, a, b };
  }
  return { op, a };
}

/**
 * `count` random transitions; train and test use disjoint seeds. With `demoErrorRate` p, a
 * biased demonstrator records each transition wrongly with probability p, always the same
 * way (the acted-on register one too high): likelihood training learns the demonstrations,
 * a verifier of the true rules does not (the RL sanity benchmark's second world).
 */
export function makeExamples(
  count: number,
  registers: number,
  seed: number,
  prefix: string,
  ops: readonly Op[] = OPS,
  demoErrorRate = 0,
): CounterExample[] {
  const rng = new Rng(seed),
    errors = new Rng(seed ^ 0x5bd1e995);
  return Array.from({ length: count }, (_, i) => {
    const state = Array.from({ length: registers }, () => rng.int(MOD));
    const action = randomAction(rng, registers, ops);
    const next = step(state, action);
    if (demoErrorRate > 0 && errors.next() < demoErrorRate) {
      const recorded = [...next];
      recorded[action.a] = (next[action.a]! + 1) % MOD;
      return { id: `${prefix}-${i}`, state, action, next, recorded };
    }
    return { id: `${prefix}-${i}`, state, action, next };
  });
}
