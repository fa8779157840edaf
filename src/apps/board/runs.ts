// Finds the runs under the board's folder: every folder holding metrics.jsonl is a run, and a
// folder holding a demo's report.md or metrics.json is a demo whose runs are its sub-runs.
// A run's status comes from its lock and checkpoints: running while the process named in
// run.lock lives; finished when it left no lock and its last checkpoint covers its last
// logged step; failed otherwise (killed: a stale lock; or stopped past its last checkpoint).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { holderAlive, LOCK_FILE } from '../../train/run-lock.js';

export type Status = 'running' | 'finished' | 'failed';

export interface RunInfo {
  /** path relative to the runs folder, '/'-separated ('.' for the folder itself) */
  id: string;
  kind: 'run' | 'demo';
  status: Status;
  /** why failed, or what the status rests on */
  note: string;
  /** textgame, web, video, … from the checkpoint's config when there is one */
  domain: string | null;
  /** the demo folder this run belongs to */
  parent: string | null;
  hasSamples: boolean;
  hasReport: boolean;
  /** PNG and GIF files in the folder, relative to the runs folder */
  images: string[];
  modified: number;
}

const SKIP = new Set(['checkpoints', 'node_modules', 'data', '.git']);
const MAX_DEPTH = 4;

export function findRuns(root: string): RunInfo[] {
  const out: RunInfo[] = [];
  const walk = (dir: string, depth: number, parent: string | null): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    const id = relative(root, dir).split(sep).join('/') || '.';
    const isRun = names.includes('metrics.jsonl');
    const isDemo = !isRun && (names.includes('report.md') || names.includes('metrics.json'));
    let here = parent;
    if (isRun) out.push(runInfo(root, dir, id, names, parent));
    else if (isDemo) {
      out.push(demoInfo(root, dir, id, names, parent));
      here = id;
    }
    if (depth >= MAX_DEPTH) return;
    for (const n of names.sort()) {
      if (SKIP.has(n) || n.startsWith('.')) continue;
      const p = join(dir, n);
      try {
        if (statSync(p).isDirectory()) walk(p, depth + 1, here);
      } catch {
        /* vanished meanwhile */
      }
    }
  };
  walk(root, 0, null);
  // a demo's sub-run without a checkpoint yet takes the demo's domain
  for (const r of out) if (!r.domain && r.parent) r.domain = out.find((d) => d.id === r.parent)?.domain ?? null;
  // a demo's status follows its sub-runs until its report exists
  for (const d of out.filter((r) => r.kind === 'demo' && r.status !== 'finished')) {
    const subs = out.filter((r) => r.parent === d.id);
    if (subs.some((r) => r.status === 'running')) [d.status, d.note] = ['running', 'a sub-run is training'];
  }
  return out;
}

const images = (root: string, dir: string, names: string[]): string[] =>
  names
    .filter((n) => /\.(png|gif)$/i.test(n))
    .sort()
    .map((n) => relative(root, join(dir, n)).split(sep).join('/'));

function mtime(p: string): number {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

function readJson(p: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(readFileSync(p, 'utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The last logged step, reading only the end of the file. */
function lastStep(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const lines = text.trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const v = JSON.parse(lines[i]!) as { step?: unknown };
      if (typeof v.step === 'number') return v.step;
    } catch {
      /* a malformed line: look further up (the page reports it) */
    }
  }
  return null;
}

function runInfo(root: string, dir: string, id: string, names: string[], parent: string | null): RunInfo {
  const latestName = (() => {
    try {
      return readFileSync(join(dir, 'checkpoints', 'latest'), 'utf8').trim();
    } catch {
      return null;
    }
  })();
  const trainer = latestName ? readJson(join(dir, 'checkpoints', latestName, 'trainer.json')) : null;
  const config = (trainer?.config ?? null) as { domain?: unknown } | null;
  const base = {
    id,
    kind: 'run' as const,
    domain: typeof config?.domain === 'string' ? config.domain : null,
    parent,
    hasSamples: names.includes('samples.md'),
    hasReport: names.includes('report.md'),
    images: images(root, dir, names),
    modified: mtime(join(dir, 'metrics.jsonl')),
  };
  const lock = names.includes(LOCK_FILE) ? readJson(join(dir, LOCK_FILE)) : null;
  if (lock && holderAlive(lock as unknown as Parameters<typeof holderAlive>[0]))
    return { ...base, status: 'running', note: `pid ${String(lock.pid)} holds run.lock` };
  if (lock) return { ...base, status: 'failed', note: 'its process died holding run.lock (killed?)' };
  const last = lastStep(join(dir, 'metrics.jsonl'));
  const saved = typeof trainer?.step === 'number' ? trainer.step : null;
  if (saved === null) return { ...base, status: 'failed', note: 'no complete checkpoint' };
  if (last !== null && last > saved)
    return { ...base, status: 'failed', note: `logged step ${last}, last checkpoint at ${saved}` };
  return { ...base, status: 'finished', note: `checkpoint at step ${saved}` };
}

function demoInfo(root: string, dir: string, id: string, names: string[], parent: string | null): RunInfo {
  const summary = readJson(join(dir, 'metrics.json'));
  const finished = typeof summary?.finished === 'string' || existsSync(join(dir, 'report.md'));
  return {
    id,
    kind: 'demo',
    status: finished ? 'finished' : 'failed',
    note: finished ? `report written${summary?.finished ? ' ' + String(summary.finished) : ''}` : 'no report',
    domain: typeof summary?.domain === 'string' ? summary.domain : null,
    parent,
    hasSamples: false,
    hasReport: names.includes('report.md'),
    images: images(root, dir, names),
    modified: mtime(join(dir, 'report.md')),
  };
}
