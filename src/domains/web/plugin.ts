// The web world as a registry entry. Only light modules load here; the domain (and Chromium,
// for its data) loads when it is created.
import type { DomainPlugin } from '../plugin.js';
import type { WebOptions } from './index.js';
import { webVerifier } from './verifier.js';
import { WEB_DEMO } from './demo.js';

export const webPlugin: DomainPlugin<WebOptions & Record<string, unknown>> = {
  name: 'web',
  description: 'web pages: the change of the accessibility tree after a browser action',
  create: async (o) => (await import('./index.js')).webDomain(o),
  buildData: async (o) => {
    const m = await import('./index.js');
    await m.buildWebData(m.webOptions(o));
  },
  verifier: webVerifier,
  demo: WEB_DEMO,
};
