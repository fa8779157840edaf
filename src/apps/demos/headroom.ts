// The demos' headroom section: diagnose (src/train/diagnose.ts) the MLE model before RL and
// each RLVR model after, on the same fixed held-out subset, and report them side by side.
import type { LlamaForCausalLM } from '../../core/models/index.js';
import type { Example, WorldModelDomain } from '../../train/domain.js';
import { diagnose, headroomTable, spreadSubset, type DiagnoseReport } from '../../train/diagnose.js';
import type { HeadroomProfile } from '../../domains/plugin.js';
import { CONTINUED } from './control.js';

/**
 * A fixed subset (evenly spaced over the held-out set, which is often ordered by game or episode)
 * and a fixed seed, so every model of a demo is diagnosed on the same prompts and sample streams.
 */
export function diagnoseDemo<E extends Example, P>(
  model: LlamaForCausalLM,
  domain: WorldModelDomain<E, P>,
  test: E[],
  p: HeadroomProfile,
  maxNewTokens: number,
): Promise<DiagnoseReport> {
  return diagnose(model, domain, spreadSubset(test, p.examples), {
    ks: p.ks,
    samples: p.samples,
    maxNewTokens,
    seed: 0,
  });
}

/** The report's "Headroom" section: what the rows mean, then the models side by side. */
export function headroomSection(reports: Record<string, DiagnoseReport>, title = 'Headroom'): string[] {
  const r = Object.values(reports)[0];
  if (!r) return [];
  const success =
    r.goal === 'min'
      ? `(${r.metric} is lower-is-better, so pass@k does not apply)`
      : `(a sample succeeds when its ${r.metric} is 1)`;
  const control = Object.keys(reports).some((k) => k.includes(CONTINUED))
    ? ', the MLE model continued for the same training time'
    : '';
  return [
    `## ${title}`,
    '',
    `Greedy against sampled predictions (temperature ${r.temperature}) on ${r.examples} held-out examples (evenly spaced over the set), ` +
      `${r.samples} samples each, the MLE model before RL${control} and each RLVR model after (\`rlvr-world diagnose\`). ` +
      `pass@k: the chance that one of k samples succeeds ${success}; best-of-k: the expected best ${r.reward} reward of k samples; ` +
      'zero-spread groups: the chance that a GRPO group of G samples all score alike, which gives it no learning signal.',
    '',
    headroomTable(reports),
    '',
  ];
}
