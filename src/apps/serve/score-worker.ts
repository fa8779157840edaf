// A worker thread of the reward service (piscina): it scores batches with the verifiers of the
// registered domains, including those of $RLVR_WORLD_DOMAINS, so a slow batch never blocks
// the server's event loop and can be stopped by terminating the thread.
import type { MessagePort } from 'node:worker_threads';
import { domainVerifiers, loadDomainModules } from '../../domains/registry.js';
import { scoreBatch, type ScoreAnswer, type ScoreBatch } from './score-batch.js';

await loadDomainModules();
const VERIFIERS = domainVerifiers();

/** Scores a batch; `started` tells the server when, so its time limit counts scoring only. */
export default function score({ batch, started }: { batch: ScoreBatch; started: MessagePort }): ScoreAnswer {
  started.postMessage('started');
  return scoreBatch(VERIFIERS, batch);
}

/** The data sources this thread scores. */
export function names(): string[] {
  return Object.keys(VERIFIERS);
}
