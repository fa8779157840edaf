// `rlvr-world serve-reward`: this framework's verifiable rewards over HTTP, so a Python RL run
// (verl, TRL, …) can score its samples with them unchanged. Requests are validated, bodies
// are size-limited, scoring runs with bounded concurrency (a full queue answers 503), and a
// malformed request gets a 4xx with the reason, never a crash.
import Fastify, { type FastifyInstance } from 'fastify';
import pLimit from 'p-limit';
import { z } from 'zod';
import { BadRequest, type Verifier } from '../../domains/plugin.js';
import { domainVerifiers } from '../../domains/registry.js';
import { firstIssue } from '../../core/util/zod-issue.js';

export interface RewardServerOptions {
  /** largest request body in bytes */
  bodyLimit?: number;
  /** batches scored at once */
  concurrency?: number;
  /** batches waiting beyond that before answering 503 */
  maxQueue?: number;
  /** most items in one batch */
  maxItems?: number;
  /** verifiers by data_source (default: those of the registered domains) */
  verifiers?: Record<string, Verifier>;
}

const Item = z
  .object({
    data_source: z.string().optional(),
    solution_str: z.string(),
    ground_truth: z.unknown(),
  })
  .strict();
const Batch = z
  .object({
    /** the domain for every item without its own data_source */
    data_source: z.string().optional(),
    reward: z.string().optional(),
    items: z.array(Item),
  })
  .strict();

export function buildRewardServer(o: RewardServerOptions = {}): FastifyInstance {
  const maxItems = o.maxItems ?? 4096,
    maxQueue = o.maxQueue ?? 256;
  const app = Fastify({ bodyLimit: o.bodyLimit ?? 8 * 2 ** 20, logger: false });
  const limit = pLimit(o.concurrency ?? 4);
  const VERIFIERS = o.verifiers ?? domainVerifiers();

  app.get('/health', async () => ({
    ok: true,
    domains: Object.fromEntries(Object.entries(VERIFIERS).map(([k, v]) => [k, v.rewards])),
  }));

  app.post('/score', async (req, reply) => {
    const parsed = Batch.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: firstIssue(parsed.error, 'body') });
    const b = parsed.data;
    if (b.items.length > maxItems)
      return reply.code(413).send({ error: `at most ${maxItems} items per batch (got ${b.items.length})` });
    if (limit.pendingCount >= maxQueue) return reply.code(503).send({ error: 'too many batches waiting; retry later' });
    try {
      return await limit(() => {
        const scores: number[] = [];
        const components: (Record<string, number> | undefined)[] = [];
        b.items.forEach((item, k) => {
          const domain = item.data_source ?? b.data_source;
          const v = domain ? VERIFIERS[domain] : undefined;
          if (!v)
            throw new BadRequest(
              `items.${k}: unknown data_source '${domain ?? ''}' (known: ${Object.keys(VERIFIERS).join(', ')})`,
            );
          const reward = b.reward ?? v.rewards[0]!;
          if (!v.rewards.includes(reward))
            throw new BadRequest(`reward '${reward}' is not one of ${domain}'s (${v.rewards.join(', ')})`);
          try {
            const r = v.score(reward, item.solution_str, item.ground_truth);
            scores.push(Number.isFinite(r.score) ? r.score : 0);
            components.push(r.components);
          } catch (e) {
            if (e instanceof BadRequest) throw new BadRequest(`items.${k}: ${e.message}`);
            scores.push(0); // a reward must not fail on model output; score 0 as the trainer does
            components.push(undefined);
          }
        });
        return { scores, components };
      });
    } catch (e) {
      if (e instanceof BadRequest) return reply.code(400).send({ error: e.message });
      throw e;
    }
  });
  return app;
}
