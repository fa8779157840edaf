// Domains by name, for configs and the command line. A domain is a folder with a plugin
// (domains/plugin.ts); adding one is adding its folder and a line below, or registering it
// at run time: registerDomain(plugin), or $RLVR_WORLD_DOMAINS (modules exporting `plugin`).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { WorldModelDomain } from '../train/domain.js';
import type { DomainPlugin, Verifier } from './plugin.js';
import { counterPlugin } from './counter/plugin.js';
import { textgamePlugin } from './textgame/plugin.js';
import { videoPlugin } from './video/plugin.js';
import { webPlugin } from './web/plugin.js';

const plugins = new Map<string, DomainPlugin<any>>();
for (const p of [counterPlugin, textgamePlugin, videoPlugin, webPlugin]) plugins.set(p.name, p);

type Factory = (options: Record<string, unknown>) => WorldModelDomain<any, any> | Promise<WorldModelDomain<any, any>>;

/** Registers a domain plugin (or, in short, a name and a factory) under its name. */
export function registerDomain(plugin: DomainPlugin<any>): void;
export function registerDomain(name: string, create: Factory): void;
export function registerDomain(p: DomainPlugin<any> | string, create?: Factory): void {
  const plugin = typeof p === 'string' ? { name: p, description: p, create: create! } : p;
  if (!plugin?.name || typeof plugin.create !== 'function')
    throw new Error('registerDomain: a plugin needs a name and create(options)');
  plugins.set(plugin.name, plugin);
}

/**
 * Loads and registers the domain modules named in $RLVR_WORLD_DOMAINS (paths separated by
 * ':' or ','), each exporting `plugin` (or a default export): a domain in a folder of its own.
 */
export async function loadDomainModules(paths = process.env.RLVR_WORLD_DOMAINS ?? ''): Promise<string[]> {
  const names: string[] = [];
  for (const path of paths
    .split(/[:,]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const mod = (await import(pathToFileURL(resolve(path)).href)) as { plugin?: DomainPlugin; default?: DomainPlugin };
    const plugin = mod.plugin ?? mod.default;
    if (!plugin) throw new Error(`${path}: a domain module exports \`plugin\` (a DomainPlugin)`);
    registerDomain(plugin);
    names.push(plugin.name);
  }
  return names;
}

export function domainPlugin(name: string): DomainPlugin<any> {
  const p = plugins.get(name);
  if (!p) throw new Error(`unknown domain '${name}' (available: ${domainNames().join(', ')})`);
  return p;
}

export async function getDomain(
  name: string,
  options: Record<string, unknown> = {},
): Promise<WorldModelDomain<any, any>> {
  return domainPlugin(name).create(options);
}

export const domainNames = (): string[] => [...plugins.keys()];
export const demoNames = (): string[] => [...plugins.values()].filter((p) => p.demo).map((p) => p.name);

/** The reward service's verifiers, by domain name. */
export const domainVerifiers = (): Record<string, Verifier> =>
  Object.fromEntries([...plugins.values()].filter((p) => p.verifier).map((p) => [p.name, p.verifier!]));
