// A rank started by `rlvr-world launch` must not outlive its launcher: killed with SIGKILL, the
// launcher cannot stop its ranks, and orphans would go on writing checkpoints that a relaunch
// with --resume races. So each rank polls its launcher's pid and ends itself (SIGTERM, then
// SIGKILL) within a second or so of its death. The poll runs on a worker thread, because a
// training step holds the main thread in libtorch for as long as it takes. (PR_SET_PDEATHSIG
// would do the same from the kernel, but needs a native call, so a rebuild of the addon.)
import { Worker } from 'node:worker_threads';

/** Set by `launch` in each rank's environment: the launcher's pid. */
export const LAUNCHER_PID_ENV = 'RLVR_LAUNCHER_PID';

// CommonJS, run by the worker. The launcher is gone when this process, its child, has been
// reparented; a grandchild (a rank's own subprocess) checks that the pid still runs instead.
const WATCHER = `
const { workerData: w } = require('node:worker_threads');
const { readFileSync, writeSync } = require('node:fs');
const alive = (pid) => {
  try { process.kill(pid, 0); } catch (e) { if (e.code !== 'EPERM') return false; }
  try { const s = readFileSync('/proc/' + pid + '/stat', 'utf8'); return s[s.lastIndexOf(')') + 2] !== 'Z'; } catch { return true; }
};
const child = process.ppid === w.launcher;
let ending = false;
setInterval(() => {
  if (ending || (child ? process.ppid === w.launcher : alive(w.launcher))) return;
  ending = true;
  try { writeSync(2, w.message); } catch {}
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), w.graceMs);
}, w.intervalMs);
`;

let watching = false;

/**
 * Starts watching the launcher named by $RLVR_LAUNCHER_PID (nothing happens without it).
 * Returns whether a watch is running; calling it again does nothing more.
 */
export function watchLauncher(env: NodeJS.ProcessEnv = process.env, intervalMs = 250, graceMs = 2000): boolean {
  const launcher = Number(env[LAUNCHER_PID_ENV]);
  if (watching || !Number.isInteger(launcher) || launcher <= 0) return watching;
  const message = `rlvr-world (rank ${env.RANK ?? '?'}): the launcher (pid ${launcher}) is gone; stopping this rank\n`;
  const worker = new Worker(WATCHER, { eval: true, workerData: { launcher, intervalMs, graceMs, message } });
  worker.unref(); // never what keeps a finished rank alive
  watching = true;
  return true;
}
