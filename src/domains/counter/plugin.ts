// The counter world (a toy for tests and RL sanity checks) as a registry entry.
import type { DomainPlugin } from '../plugin.js';
import { counterDomain, type CounterOptions } from './index.js';
import { COUNTER_DEMO } from './demo.js';

export const counterPlugin: DomainPlugin<CounterOptions & Record<string, unknown>> = {
  name: 'counter',
  description: 'a register machine: the registers after an operation (synthetic, for tests and sanity checks)',
  create: (o) => counterDomain(o),
  demo: COUNTER_DEMO,
};
