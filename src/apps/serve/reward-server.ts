// `rlvr-world serve-reward`: this framework's verifiable rewards over HTTP, so a Python RL run
// (verl, TRL, …) can score its samples with them unchanged. Requests are validated, bodies
// are size-limited, and batches are scored in worker threads (piscina) with bounded
// concurrency (a full queue answers 503) and a time limit (a batch that runs past it answers
// 422 and its thread is stopped), so /health and other requests stay answered while a batch
// is scored; a malformed request gets a 4xx with the reason, never a crash. Slow clients are
// cut off: a request's headers must arrive within headersTimeoutMs and the whole request within
// requestTimeoutMs (408, connection closed); a body past the limit answers 413 as soon as its
// Content-Length, or the bytes received so far, pass it, without reading the rest.
import Fastify, { type FastifyInstance } from 'fastify';
import pLimit from 'p-limit';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { z } from 'zod';
import type { Verifier } from '../../domains/plugin.js';
import { domainVerifiers } from '../../domains/registry.js';
import { firstIssue } from '../../core/util/zod-issue.js';
import { scoreBatch, sourcesOf, type ScoreAnswer, type ScoreBatch } from './score-batch.js';

export interface RewardServerOptions {
  /** largest request body in bytes */
  bodyLimit?: number;
  /** batches scored at once (worker threads) */
  concurrency?: number;
  /** batches waiting beyond that before answering 503 */
  maxQueue?: number;
  /** most items in one batch */
  maxItems?: number;
  /** longest a batch may take to score, in ms, before it answers 422 (default 30 s) */
  timeLimitMs?: number;
  /** longest a client may take to send a request's headers, in ms (default 10 s; then 408 and closed) */
  headersTimeoutMs?: number;
  /** longest a client may take to send a whole request, body included, in ms (default 30 s; then 408 and closed) */
  requestTimeoutMs?: number;
  /** deepest nesting of arrays and objects in a request body (default 64; a text-game batch nests 7) */
  maxDepth?: number;
  /**
   * verifiers by data_source, scored on the event loop without a time limit (functions cannot
   * go to a worker thread); default: those of the registered domains, scored in workers
   */
  verifiers?: Record<string, Verifier>;
}

/** data_source and reward are names; a longer one is refused rather than echoed in an error */
const Name = z.string().max(200);
const Item = z
  .object({
    data_source: Name.optional(),
    solution_str: z.string(),
    ground_truth: z.unknown(),
  })
  .strict();
const Batch = z
  .object({
    /** the domain for every item without its own data_source */
    data_source: Name.optional(),
    reward: Name.optional(),
    items: z.array(Item),
  })
  .strict();

class TimeLimit extends Error {}

/**
 * Whether JSON text nests arrays and objects deeper than `max`, by one pass over its characters
 * (strings skipped), before it is parsed: JSON.parse took a second per million levels on the
 * event loop (4 s for an 8 MB body), and the parsed value overflowed the stack of the copy to a
 * worker thread (500).
 */
export function jsonNestedDeeperThan(text: string, max: number): boolean {
  let depth = 0,
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // a backslash in a string skips the escaped character
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/**
 * Scores batches in worker threads. The workers load the registry and $RLVR_WORLD_DOMAINS
 * themselves; a domain registered only in this process (registerDomain at run time) is scored
 * here, on the event loop. The time limit counts from when a worker starts the batch (it says
 * so on a port), so starting a thread, after one was stopped, does not count against it.
 */
function workerScorer(concurrency: number, timeLimitMs: number, inProcess: (b: ScoreBatch) => ScoreAnswer) {
  const pool = new Piscina({
    filename: new URL('./score-worker-entry.cjs', import.meta.url).href,
    minThreads: 1,
    maxThreads: concurrency,
  });
  let inWorkers: Promise<Set<string>> | undefined;
  const score = async (batch: ScoreBatch): Promise<ScoreAnswer> => {
    inWorkers ??= pool.run(null, { name: 'names' }).then((n: string[]) => new Set(n));
    const known = await inWorkers;
    if (!sourcesOf(batch).every((d) => d !== undefined && known.has(d))) return inProcess(batch);
    const { port1, port2: started } = new MessageChannel();
    const stop = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    port1.once('message', () => (timer = setTimeout(() => stop.abort(), timeLimitMs)));
    try {
      return await pool.run({ batch, started }, { signal: stop.signal, transferList: [started] });
    } catch (e) {
      if (stop.signal.aborted) throw new TimeLimit();
      throw e;
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  };
  return { score, close: () => pool.destroy() };
}

export function buildRewardServer(o: RewardServerOptions = {}): FastifyInstance {
  const maxItems = o.maxItems ?? 4096,
    maxQueue = o.maxQueue ?? 256,
    concurrency = o.concurrency ?? 4,
    timeLimitMs = o.timeLimitMs ?? 30_000,
    requestTimeout = o.requestTimeoutMs ?? 30_000,
    headersTimeout = Math.min(o.headersTimeoutMs ?? 10_000, requestTimeout),
    maxDepth = o.maxDepth ?? 64;
  const app: FastifyInstance = Fastify({
    bodyLimit: o.bodyLimit ?? 8 * 2 ** 20,
    logger: false,
    // Node checks these timeouts every connectionsCheckingInterval (30 s by default): check often
    // enough that a slow client is cut off close to its time; Fastify's own default turns requestTimeout off
    requestTimeout,
    http: {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.max(20, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
  });
  // JSON bodies: Fastify's parser (proto poisoning refused), after a check of the nesting depth
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    if (jsonNestedDeeperThan(text, maxDepth))
      return done(Object.assign(new Error(`body: nested deeper than ${maxDepth} levels`), { statusCode: 400 }));
    parseJson(req, text, done);
  });
  // at most `concurrency` batches run at once, so a batch's time limit starts when a worker takes it
  const limit = pLimit(concurrency);
  const VERIFIERS = o.verifiers ?? domainVerifiers();
  const inProcess = (b: ScoreBatch): ScoreAnswer => scoreBatch(VERIFIERS, b);
  const workers = o.verifiers ? undefined : workerScorer(concurrency, timeLimitMs, inProcess);
  if (workers) app.addHook('onClose', async () => workers.close());
  const score = workers?.score ?? (async (b: ScoreBatch) => inProcess(b));

  app.get('/health', async () => ({
    ok: true,
    domains: Object.fromEntries(Object.entries(VERIFIERS).map(([k, v]) => [k, v.rewards])),
  }));

  app.post('/score', async (req, reply) => {
    // too many items is refused before they are checked one by one (300,000 took 1.2 s)
    const n = (req.body as { items?: unknown } | null)?.items;
    if (Array.isArray(n) && n.length > maxItems)
      return reply.code(413).send({ error: `at most ${maxItems} items per batch (got ${n.length})` });
    const parsed = Batch.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: firstIssue(parsed.error, 'body') });
    const b = parsed.data;
    if (limit.pendingCount >= maxQueue)
      return reply.code(503).header('retry-after', '1').send({ error: 'too many batches waiting; retry later' });
    try {
      const answer = await limit(() => score(b));
      if ('badRequest' in answer) return reply.code(400).send({ error: answer.badRequest });
      return answer;
    } catch (e) {
      if (!(e instanceof TimeLimit)) throw e;
      return reply.code(422).send({
        error: `scoring took longer than the time limit (${timeLimitMs / 1000} s); send fewer or shorter items`,
      });
    }
  });
  return app;
}
