// Where a result came from: the command, the commit, the machine, the wall time.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export function runInfo(started: number): Record<string, unknown> {
  let commit = 'unknown';
  try { commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { /* not a git checkout */ }
  let dirty = false;
  try { dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== ''; } catch { /* idem */ }
  return {
    command: ['rlvr-world', ...process.argv.slice(2)].join(' '),
    commit, dirty,
    finished: new Date().toISOString(),
    wallMinutes: +((Date.now() - started) / 60000).toFixed(2),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version },
  };
}
