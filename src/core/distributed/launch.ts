// `rlvr-world launch`: starts one process per rank with torchrun's environment variables
// (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, GROUP_RANK, MASTER_ADDR, MASTER_PORT) and
// watches them: the first rank that fails takes the others down (SIGTERM, then SIGKILL after
// a grace period), so a dead rank never leaves the rest waiting in a collective; and each rank
// watches the launcher's pid, so a launcher killed outright leaves no rank behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { LAUNCHER_PID_ENV } from './launcher-watch.js';

export interface LaunchOptions {
  /** processes on this node */
  nproc: number;
  nnodes?: number;
  nodeRank?: number;
  /** ADDR:PORT of rank 0's rendezvous; default 127.0.0.1 and a free port (one node only) */
  master?: string;
  /** the command: a program and its arguments, or a subcommand of `cli` (train ...) */
  command: string[];
  /** the command-line entry that runs `subcommands` (the rlvr-world command passes itself) */
  cli?: { entry: string; subcommands: string[] };
  /** seconds between SIGTERM and SIGKILL when stopping the other ranks */
  graceSeconds?: number;
  /** prefix every output line with its rank (default: when there are several ranks) */
  tag?: boolean;
  /** where messages about the ranks go */
  log?: (message: string) => void;
}

export interface LaunchResult {
  exitCode: number;
  /** the first rank that failed, how, and after how many seconds */
  failure?: { rank: number; code: number | null; signal: NodeJS.Signals | null; seconds: number };
  /** seconds from the first failure until every rank had stopped */
  stopSeconds?: number;
}

/** A TCP port that was free a moment ago, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function parseMaster(master: string): { addr: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(master);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new Error(`launch: --master must be ADDR:PORT (got '${master}')`);
  return { addr: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export async function launch(o: LaunchOptions): Promise<LaunchResult> {
  const log = o.log ?? ((m: string) => console.error(m));
  const nnodes = o.nnodes ?? 1,
    nodeRank = o.nodeRank ?? 0;
  if (!Number.isInteger(o.nproc) || o.nproc < 1)
    throw new Error(`launch: --nproc must be a positive integer (got ${o.nproc})`);
  if (!Number.isInteger(nnodes) || nnodes < 1)
    throw new Error(`launch: --nnodes must be a positive integer (got ${nnodes})`);
  if (!Number.isInteger(nodeRank) || nodeRank < 0 || nodeRank >= nnodes)
    throw new Error(`launch: --node-rank must be in [0, ${nnodes - 1}] (got ${nodeRank})`);
  if (nnodes > 1 && !o.master)
    throw new Error("launch: --master ADDR:PORT is required with --nnodes > 1 (rank 0's node address and a free port)");
  if (o.command.length === 0)
    throw new Error('launch: no command (e.g. rlvr-world launch --nproc 2 -- train mle -c run.yaml)');
  const { addr, port } = o.master ? parseMaster(o.master) : { addr: '127.0.0.1', port: await freePort() };
  const worldSize = nnodes * o.nproc;
  const [program, ...args] = o.cli?.subcommands.includes(o.command[0]!)
    ? [process.execPath, o.cli.entry, ...o.command]
    : o.command;
  const threads = String(Math.max(1, Math.floor(availableParallelism() / o.nproc)));
  const tag = o.tag ?? worldSize > 1;

  const t0 = Date.now();
  const children: { rank: number; child: ChildProcess; done: boolean }[] = [];
  let failure: LaunchResult['failure'];
  let failedAt = 0;
  let killTimer: NodeJS.Timeout | null = null;

  const stopOthers = (): void => {
    for (const c of children) if (!c.done) c.child.kill('SIGTERM');
    killTimer = setTimeout(
      () => {
        for (const c of children) if (!c.done) c.child.kill('SIGKILL');
      },
      (o.graceSeconds ?? 10) * 1000,
    );
    killTimer.unref();
  };

  const exits = Array.from(
    { length: o.nproc },
    (_, local) =>
      new Promise<void>((resolve) => {
        const rank = nodeRank * o.nproc + local;
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          RANK: String(rank),
          LOCAL_RANK: String(local),
          WORLD_SIZE: String(worldSize),
          LOCAL_WORLD_SIZE: String(o.nproc),
          GROUP_RANK: String(nodeRank),
          MASTER_ADDR: addr,
          MASTER_PORT: String(port),
          // the rank watches this pid and ends itself if the launcher dies (launcher-watch.ts)
          [LAUNCHER_PID_ENV]: String(process.pid),
          // torchrun's default: the cores are shared among the node's ranks
          OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? (o.nproc > 1 ? threads : undefined),
        };
        if (env.OMP_NUM_THREADS === undefined) delete env.OMP_NUM_THREADS;
        const child = spawn(program!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        const entry = { rank, child, done: false };
        children.push(entry);
        for (const [stream, sink] of [
          [child.stdout!, process.stdout],
          [child.stderr!, process.stderr],
        ] as const) {
          createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
            sink.write((tag ? `[rank ${rank}] ` : '') + line + '\n'),
          );
        }
        child.on('error', (err) => log(`launch: rank ${rank}: could not start ${program}: ${err.message}`));
        child.on('close', (code, signal) => {
          entry.done = true;
          const failed = code !== 0;
          if (failed && !failure) {
            failure = { rank, code, signal, seconds: (Date.now() - t0) / 1000 };
            failedAt = Date.now();
            log(
              `launch: rank ${rank} (pid ${child.pid}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; stopping the other ranks`,
            );
            stopOthers();
          }
          resolve();
        });
      }),
  );
  const forward = (sig: NodeJS.Signals) => (): void => {
    for (const c of children) if (!c.done) c.child.kill(sig);
  };
  const onInt = forward('SIGINT'),
    onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    await Promise.all(exits);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    if (killTimer) clearTimeout(killTimer);
  }
  if (!failure) return { exitCode: 0 };
  const stopSeconds = (Date.now() - failedAt) / 1000;
  log(
    `launch: all ranks stopped ${stopSeconds.toFixed(1)} s after rank ${failure.rank} failed; a training run continues from its last checkpoint with --resume`,
  );
  return { exitCode: failure.code && failure.code > 0 ? failure.code : 1, failure, stopSeconds };
}
