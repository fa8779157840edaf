// Reads metrics.jsonl from a byte offset, so the page can poll the tail of a growing log.
// A line that is not a JSON object becomes an error for that run, never an exception: the
// rest of the log, and the other runs, still show.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface MetricsRow {
  step: number;
  phase: string;
  [name: string]: number | string | null;
}

export interface MetricsChunk {
  rows: MetricsRow[];
  errors: string[];
  /** where the next read starts: after the last complete line */
  next: number;
  /** the line number the next read starts at */
  line: number;
  /** an unterminated last line that is not JSON: a truncated log, or a line still being written */
  tail: string | null;
}

/** The complete lines of `path` from byte `from` on (line numbers continue from `line`). */
export function readMetrics(path: string, from = 0, line = 1): MetricsChunk {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return { rows: [], errors: [`cannot read metrics.jsonl: ${(e as Error).message}`], next: from, line, tail: null };
  }
  try {
    const size = fstatSync(fd).size;
    if (size < from) from = 0; // rewritten (a resumed run truncates its log): read it again
    const buf = Buffer.alloc(Math.max(0, size - from));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    const text = buf.subarray(0, got).toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    const rows: MetricsRow[] = [];
    const errors: string[] = [];
    let n = line;
    for (const l of text.slice(0, end).split('\n').slice(0, -1)) {
      const row = parseLine(l);
      if (typeof row === 'string') errors.push(`metrics.jsonl line ${n}: ${row}`);
      else if (row) rows.push(row);
      n++;
    }
    // an unterminated last line is read again next time (it may be mid-write); until then the
    // page shows it as this run's current error
    const rest = text.slice(end);
    const tail =
      rest.trim() !== '' && typeof parseLine(rest) === 'string'
        ? `metrics.jsonl line ${n}: truncated (${rest.length} bytes, no newline)`
        : null;
    return { rows, errors, next: from + Buffer.byteLength(text.slice(0, end)), line: n, tail };
  } finally {
    closeSync(fd);
  }
}

/** A row, null for a blank line, or why the line is not one. */
function parseLine(l: string): MetricsRow | null | string {
  if (l.trim() === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(l);
  } catch {
    return `not JSON (${JSON.stringify(l.length > 60 ? l.slice(0, 60) + '…' : l)})`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  if (typeof o.step !== 'number' || !Number.isFinite(o.step)) return 'no numeric "step"';
  const row: MetricsRow = { step: o.step, phase: typeof o.phase === 'string' ? o.phase : '' };
  for (const [k, x] of Object.entries(o))
    if (k !== 'step' && k !== 'phase') row[k] = typeof x === 'number' || typeof x === 'string' ? x : null;
  return row;
}
