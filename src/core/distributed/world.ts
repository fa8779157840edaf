// The data-parallel world of a training process: its rank among `size` processes and the
// collectives the trainers use, on PyTorch's c10d (Gloo on CPU, NCCL on CUDA). The world is
// read from torchrun's environment variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
// MASTER_PORT), which `rlvr-world launch` sets; without them the process is a world of one
// and every collective is the identity.
import { tensor, c10d, type Tensor } from '../tensor/index.js';
import { watchLauncher } from './launcher-watch.js';

export type Backend = 'gloo' | 'nccl';

/** A collective or the rendezvous failed: another rank stopped, or the timeout passed. */
export class DistributedError extends Error {
  override name = 'DistributedError';
}

/** Runs a native collective; its failure becomes a DistributedError saying what to do next. */
function collective<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new DistributedError(
      `${(err as Error).message}\n  another rank has probably stopped (see its output) or the network failed; ` +
        'the run continues from its last checkpoint with --resume',
    );
  }
}

export interface WorldEnv {
  rank: number;
  size: number;
  localRank: number;
  localSize: number;
  masterAddr: string;
  masterPort: number;
}

export interface WorldOptions {
  /** the training device ('cpu', 'cuda', 'cuda:N'); picks the backend when backend is 'auto' */
  device: string;
  backend?: Backend | 'auto';
  /** how long a collective (or the rendezvous) may wait for the other ranks */
  timeoutSeconds?: number;
}

function envInt(env: NodeJS.ProcessEnv, name: string, dflt?: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (dflt === undefined)
      throw new Error(`distributed: environment variable ${name} is not set (set by rlvr-world launch or torchrun)`);
    return dflt;
  }
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0)
    throw new Error(`distributed: environment variable ${name}=${JSON.stringify(raw)} is not a non-negative integer`);
  return v;
}

/** The world described by torchrun-style variables, or null when WORLD_SIZE is unset. */
export function worldFromEnv(env: NodeJS.ProcessEnv = process.env): WorldEnv | null {
  if (env.WORLD_SIZE === undefined || env.WORLD_SIZE === '') return null;
  const size = envInt(env, 'WORLD_SIZE');
  if (size < 1) throw new Error('distributed: WORLD_SIZE must be at least 1');
  const rank = envInt(env, 'RANK');
  if (rank >= size) throw new Error(`distributed: RANK=${rank} is not below WORLD_SIZE=${size}`);
  const masterPort = envInt(env, 'MASTER_PORT', 29500);
  if (masterPort < 1 || masterPort > 65535) throw new Error(`distributed: MASTER_PORT=${masterPort} is not a TCP port`);
  return {
    rank,
    size,
    localRank: envInt(env, 'LOCAL_RANK', rank),
    localSize: envInt(env, 'LOCAL_WORLD_SIZE', size),
    masterAddr: env.MASTER_ADDR || '127.0.0.1',
    masterPort,
  };
}

export class World {
  private constructor(
    readonly rank: number,
    readonly size: number,
    readonly localRank: number,
    readonly backend: Backend | null,
    private readonly device: string,
  ) {}

  /** A world of one: every collective is the identity. */
  static single(): World {
    return new World(0, 1, 0, null, 'cpu');
  }

  static init(env: WorldEnv, o: WorldOptions): World {
    const device = o.device === 'cuda' ? `cuda:${env.localRank}` : o.device;
    const backend: Backend =
      !o.backend || o.backend === 'auto' ? (device.startsWith('cuda') ? 'nccl' : 'gloo') : o.backend;
    const available = c10d.backends();
    if (!available.includes(backend)) {
      throw new Error(
        `distributed: backend '${backend}' is not in this build (built with: ${available.join(', ') || 'none'})` +
          (backend === 'gloo' ? '; on Debian install libgloo-dev and rebuild (npm run setup)' : ''),
      );
    }
    if (backend === 'nccl' && !device.startsWith('cuda'))
      throw new Error(`distributed: backend nccl needs a CUDA device, the run's device is ${device}`);
    const deviceIndex = device.startsWith('cuda') ? Number(device.split(':')[1] ?? 0) : -1;
    collective(() =>
      c10d.init(
        backend,
        env.masterAddr,
        env.masterPort,
        env.rank,
        env.size,
        Math.round((o.timeoutSeconds ?? 600) * 1000),
        deviceIndex,
      ),
    );
    return new World(env.rank, env.size, env.localRank, backend, backend === 'nccl' ? device : 'cpu');
  }

  /** The device this rank trains on: a bare 'cuda' becomes cuda:LOCAL_RANK. */
  trainingDevice(device: string): string {
    return device === 'cuda' ? `cuda:${this.localRank}` : device;
  }

  get isMain(): boolean {
    return this.rank === 0;
  }
  get distributed(): boolean {
    return this.backend !== null;
  }

  /** The contiguous block [start, end) of n items that this rank takes. */
  shard(n: number): [number, number] {
    return [Math.floor((this.rank * n) / this.size), Math.floor(((this.rank + 1) * n) / this.size)];
  }

  private reduce(values: ArrayLike<number>, op: 'sum' | 'max' | 'min'): number[] {
    if (!this.distributed) return Array.from(values);
    const t = tensor(Float64Array.from(values), { dtype: 'float64', device: this.device });
    try {
      collective(() => c10d.allReduce(t, op));
      return t.toNumbers();
    } finally {
      t.dispose();
    }
  }

  /** Element-wise sum over ranks (float64, so integer counts stay exact). */
  allReduceSum(values: ArrayLike<number>): number[] {
    return this.reduce(values, 'sum');
  }
  allReduceMax(values: ArrayLike<number>): number[] {
    return this.reduce(values, 'max');
  }

  /** Every rank's value, in rank order (JSON-serializable values). */
  allGather<T>(value: T): T[] {
    if (!this.distributed) return [value];
    const bytes = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
    const width = this.allReduceMax([bytes.length])[0]!;
    // each rank writes its bytes (+1, so 0 means padding) into its own slot; a sum gathers them
    const slots = new Float64Array(this.size * width);
    bytes.forEach((b, i) => {
      slots[this.rank * width + i] = b + 1;
    });
    const all = this.allReduceSum(slots);
    return Array.from({ length: this.size }, (_, r) => {
      const mine = all
        .slice(r * width, (r + 1) * width)
        .filter((v) => v > 0)
        .map((v) => v - 1);
      return JSON.parse(Buffer.from(mine).toString('utf8')) as T;
    });
  }

  /** Gradients summed over ranks (then divided by `divisor`); missing gradients count as zero. */
  allReduceGrads(params: Tensor[], divisor = 1): void {
    if (this.distributed) collective(() => c10d.allReduceGrads(params, divisor));
  }

  /** Every rank's parameters set to rank `root`'s. */
  broadcastParams(params: Tensor[], root = 0): void {
    if (this.distributed) collective(() => c10d.broadcastParams(params, root));
  }

  barrier(): void {
    if (this.distributed) collective(() => c10d.barrier());
  }

  destroy(): void {
    if (this.distributed) c10d.destroy();
  }
}

let current: World | null = null;

/**
 * The process's world: initialized on first use from the environment (a world of one when
 * WORLD_SIZE is unset), then shared by every trainer of the process.
 */
export function getWorld(o: WorldOptions): World {
  if (current) return current;
  watchLauncher(); // a rank of `rlvr-world launch` ends with its launcher, even mid-rendezvous
  const env = worldFromEnv();
  current = env && env.size > 1 ? World.init(env, o) : World.single();
  return current;
}

/** Ends the process group (tests and the CLI call this before exiting). */
export function destroyWorld(): void {
  current?.destroy();
  current = null;
}

/** The c10d backends this build has. */
export const distributedBackends = (): Backend[] => c10d.backends();
