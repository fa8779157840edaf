// The text game as a registry entry. Only light modules load here; the domain itself loads
// when it is created.
import type { DomainPlugin } from '../plugin.js';
import type { TextgameOptions } from './index.js';
import { textgameVerifier } from './verifier.js';
import { TEXTGAME_DEMO } from './demo.js';

export const textgamePlugin: DomainPlugin<TextgameOptions & Record<string, unknown>> = {
  name: 'textgame',
  description: 'text games (ByteSized32 state prediction): the next state of the objects after an action',
  create: async (o) => (await import('./index.js')).textgameDomain(o),
  buildData: async (o) => {
    const m = await import('./index.js');
    await m.buildTextgameData(m.textgameOptions(o));
  },
  verifier: textgameVerifier,
  demo: TEXTGAME_DEMO,
};
