// Reading a run config: YAML file, then --set overrides, then validation with errors that
// name the field and what was expected.
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { RunSchema, type RunConfig } from './schema.js';
import { issueField } from '../../core/util/zod-issue.js';
import { UserError } from '../../core/util/user-error.js';

export class ConfigError extends UserError {}

// Path segments that would reach an object's prototype instead of a field of it.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Applies "a.b.c=value" (value parsed as YAML: numbers, booleans, lists) to a plain object. */
export function applySet(obj: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--set ${assignment}: expected key=value`);
  const path = assignment.slice(0, eq).split('.');
  for (const key of path) {
    if (key === '') throw new ConfigError(`--set ${assignment}: empty key in '${assignment.slice(0, eq)}'`);
    if (FORBIDDEN.has(key)) throw new ConfigError(`--set ${assignment}: '${key}' is not allowed in a key`);
  }
  let value: unknown;
  try {
    value = YAML.parse(assignment.slice(eq + 1));
  } catch (e) {
    throw new ConfigError(`--set ${assignment}: the value is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  let node: Record<string, unknown> = obj;
  for (const key of path.slice(0, -1)) {
    if (!Object.hasOwn(node, key)) node[key] = {};
    if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key]))
      throw new ConfigError(`--set ${assignment}: '${key}' is not a section`);
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function describe(issue: z.core.$ZodIssue, raw: unknown): string {
  const field = issueField(issue);
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => `config field ${[...issue.path, k].join('.')}: unknown field`).join('\n');
  const got = valueAt(raw, issue.path);
  return `config field ${field}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
}

export function validateConfig(raw: unknown, source = 'config'): RunConfig {
  const r = RunSchema.safeParse(raw ?? {});
  if (!r.success) throw new ConfigError(`${source}:\n` + r.error.issues.map((i) => describe(i, raw)).join('\n'));
  return r.data;
}

export function loadConfig(path: string | undefined, sets: string[] = []): RunConfig {
  let raw: Record<string, unknown> = {};
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(`${path}: ${(e as Error).message}`);
    }
    try {
      raw = YAML.parse(text) ?? {};
    } catch (e) {
      throw new ConfigError(`${path}: not valid YAML: ${(e as Error).message}`);
    }
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw new ConfigError(`${path}: the top level must be a mapping`);
  }
  for (const s of sets) applySet(raw, s);
  return validateConfig(raw, path ?? 'config');
}
