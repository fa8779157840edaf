// Where a result came from: the command, the commit, the machine, the wall time.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

/** The checkout's commit and whether tracked files differ from it; call at the start of a run. */
export function gitState(): { commit: string; dirty: boolean } {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    /* not a git checkout */
  }
  let dirty = false;
  try {
    dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() !== '';
  } catch {
    /* idem */
  }
  return { commit, dirty };
}

/** A job's stage timer: announces each stage on stderr and keeps its minutes for the report. */
export function stageTimer(job: string): {
  timed: <T>(name: string, f: () => Promise<T> | T) => Promise<T>;
  minutes: Record<string, number>;
  summary: () => string;
} {
  const minutes: Record<string, number> = {};
  return {
    minutes,
    timed: async (name, f) => {
      const t = Date.now();
      console.error(`== ${job}: ${name}`);
      const r = await f();
      minutes[name] = +((Date.now() - t) / 60000).toFixed(2);
      return r;
    },
    summary: () =>
      Object.entries(minutes)
        .map(([k, v]) => `${k} ${v}`)
        .join('; '),
  };
}

/** What a results file records: the command, the commit it started from, the machine, the wall time. */
export function runInfo(started: number, git: { commit: string; dirty: boolean }): Record<string, unknown> {
  return {
    command: ['rlvr-world', ...process.argv.slice(2)].join(' '),
    commit: git.commit,
    dirty: git.dirty,
    finished: new Date().toISOString(),
    wallMinutes: +((Date.now() - started) / 60000).toFixed(2),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
      node: process.version,
    },
  };
}
