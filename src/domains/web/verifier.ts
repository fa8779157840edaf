// The web domain's reward on plain text, for the reward service and the verl export: the
// micro-F1 of the predicted page change against the true one.
import { BadRequest, type Verifier } from '../plugin.js';
import { diffF1 } from './f1.js';

export const webVerifier: Verifier = {
  rewards: ['f1'],
  worst: { f1: 0 },
  score(_reward, text, gt) {
    if (typeof gt !== 'string') throw new BadRequest('ground_truth must be the true change as text');
    const r = diffF1(text, gt);
    return { score: r.f1, components: { precision: r.precision, recall: r.recall } };
  },
};
