// The robot-video world as a registry entry. Only light modules load here; the domain (its
// tokenizers, LPIPS) loads when it is created.
import type { DomainPlugin } from '../plugin.js';
import { VIDEO_DEMO } from './demo.js';

export const videoPlugin: DomainPlugin = {
  name: 'video',
  description: 'robot video: the next camera frames after an action, as frame tokens',
  create: async (o) => (await import('./index.js')).videoDomain(o),
  buildData: async (o) => {
    const m = await import('./index.js');
    await m.buildVideoData(m.videoOptions(o));
  },
  demo: VIDEO_DEMO,
};
