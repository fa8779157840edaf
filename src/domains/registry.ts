// Domains by name, for configs and the command line.
import type { WorldModelDomain } from '../train/domain.js';
import { counterDomain, type CounterOptions } from './counter/index.js';
import { textgameDomain, type TextgameOptions } from './textgame/index.js';

type Factory = (options: Record<string, unknown>) => WorldModelDomain<any, any> | Promise<WorldModelDomain<any, any>>;

const domains = new Map<string, Factory>([
  ['counter', (o) => counterDomain(o as CounterOptions)],
  ['textgame', (o) => textgameDomain(o as TextgameOptions)],
  ['video', async (o) => (await import('./video/index.js')).videoDomain(o)],
  ['web', async (o) => (await import('./web/index.js')).webDomain(o)],
]);

/** Registers a domain plugin under a name (a fourth domain needs only this call). */
export function registerDomain(name: string, factory: Factory): void { domains.set(name, factory); }

export async function getDomain(name: string, options: Record<string, unknown> = {}): Promise<WorldModelDomain<any, any>> {
  const f = domains.get(name);
  if (!f) throw new Error(`unknown domain '${name}' (available: ${[...domains.keys()].join(', ')})`);
  return f(options);
}

export const domainNames = (): string[] => [...domains.keys()];
