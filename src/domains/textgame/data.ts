// Reading and writing ByteSized32 JSONL files (plain, or the published test.zip). Every line
// is validated; a malformed line stops the load with its file and line number, so a file is
// never partly loaded silently.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { z } from 'zod';
import { firstIssue } from '../../core/util/zod-issue.js';
import type { TgTransition } from './format.js';

/** One object of a state, as the published data writes it (also the verifier's ground truth). */
export const ObjectSchema = z.object({
  name: z.string(),
  uuid: z.number().int(),
  type: z.string(),
  properties: z.record(z.string(), z.unknown()),
  contains: z.array(z.string()),
});
const StateSchema = z.object({
  observation: z.string(),
  look: z.string(),
  inventory: z.string(),
  taskDesc: z.string(),
  lastAction: z.string(),
  objects: z.array(ObjectSchema),
  max_UUID: z.number().int(),
});
export const ScoreSchema = z.object({ score: z.number(), gameOver: z.boolean(), gameWon: z.boolean() });
export const TransitionSchema = z.object({
  current_state: StateSchema,
  action_state: StateSchema,
  tick_state: StateSchema,
  current_score_state: ScoreSchema,
  next_score_state: ScoreSchema,
  game: z.string(),
  state_id: z.number().int(),
});

/** The text of a .jsonl file, or of the one .jsonl inside a .zip. */
function readText(file: string): string {
  const bytes = readFileSync(file);
  if (!file.endsWith('.zip')) return bytes.toString('utf8');
  const entries = unzipSync(bytes, { filter: (f) => f.name.endsWith('.jsonl') });
  const names = Object.keys(entries);
  if (names.length !== 1)
    throw new Error(`${file}: expected one .jsonl inside the zip, found ${names.length ? names.join(', ') : 'none'}`);
  return strFromU8(entries[names[0]!]!);
}

/** Parses ByteSized32 transitions; throws `file:line: what is wrong` on the first bad line. */
export function parseTransitions(text: string, file: string): TgTransition[] {
  const out: TgTransition[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    const r = TransitionSchema.safeParse(json);
    if (!r.success) throw new Error(`${file}:${i + 1}: field ${firstIssue(r.error, '(line)')}`);
    out.push(r.data as TgTransition);
  });
  return out;
}

export function readTransitions(file: string): TgTransition[] {
  return parseTransitions(readText(file), file);
}

export function writeTransitions(file: string, transitions: TgTransition[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, transitions.map((t) => JSON.stringify(t)).join('\n') + '\n');
}
