// One writer per run folder: the process that writes a run's logs and checkpoints (rank 0)
// holds `run.lock`, a small JSON file naming its host, pid and the pid's start time. A second
// writer is refused while that process lives; a lock left by a killed process is taken over.
// (proper-lockfile was considered: its staleness is an mtime refreshed by a timer, and a
// training step blocks the event loop for longer than any sane stale period.)
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { UserError } from '../core/util/user-error.js';

export const LOCK_FILE = 'run.lock';

interface Holder {
  host: string;
  pid: number;
  /** the pid's start time in clock ticks since boot (Linux), so a reused pid is not taken for the holder */
  start: string | null;
  since: string;
}

/** A process's start time from /proc, or null (no procfs, or no such process). */
function startTime(pid: number): string | null {
  try {
    // the fields after the command name, which is in parentheses and may hold spaces
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[0] === 'Z' ? null : (rest[19] ?? null); // a zombie has exited; field 22 is starttime
  } catch {
    return null;
  }
}

/** Whether the process a lock names still runs (one on another host is assumed to). */
export function holderAlive(h: Holder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // without a recorded start time (no procfs), a live pid is taken for the holder
  return h.start === null || startTime(h.pid) === h.start;
}

function readHolder(path: string): Holder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Holder;
  } catch {
    return null; // gone meanwhile, or not a lock we wrote: treated as stale
  }
}

export class RunLock {
  private released = false;
  private readonly onExit = (): void => this.release();

  private constructor(
    readonly path: string,
    private readonly token: string,
  ) {
    process.once('exit', this.onExit);
  }

  /** Takes the lock of `dir` (which must exist), or throws naming the process that holds it. */
  static acquire(dir: string): RunLock {
    const path = join(dir, LOCK_FILE);
    const me: Holder = {
      host: hostname(),
      pid: process.pid,
      start: startTime(process.pid),
      since: new Date().toISOString(),
    };
    const token = JSON.stringify({ ...me, nonce: randomUUID() }); // this lock, not just this process
    // written aside and hard-linked into place: the link is atomic and fails if a lock exists,
    // so nobody ever reads a half-written lock
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, token);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          linkSync(tmp, path);
          return new RunLock(path, token);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const h = readHolder(path);
        if ((h && holderAlive(h)) || attempt > 0)
          throw new UserError(
            `${dir} is in use by another run (${h ? `pid ${h.pid} on ${h.host}, since ${h.since}` : 'its lock was just taken'}); ` +
              'wait for it to end or stop it' +
              (h && h.host !== hostname() ? ` (remove ${path} if that process is gone)` : ''),
          );
        rmSync(path, { force: true }); // its holder is gone (killed): take the lock over
      }
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /** Gives the lock up (also done at process exit); a lock someone else has taken over is left alone. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    try {
      if (readFileSync(this.path, 'utf8') === this.token) rmSync(this.path, { force: true });
    } catch {
      // already gone
    }
  }
}
