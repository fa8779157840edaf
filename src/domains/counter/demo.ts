// The counter demo's settings (`rlvr-world demo counter`, the generic pipeline of apps/demos/index.ts).
import type { DemoProfile } from '../plugin.js';

/** The counter demo: the generic pipeline's profiles. */
export const COUNTER_DEMO: { quick: DemoProfile; full: DemoProfile } = {
  quick: {
    domainOptions: { registers: 2, trainSize: 2000, testSize: 200 },
    mle: { steps: 300, batchSize: 32, learningRate: 3e-3, evalSteps: 300, saveSteps: 300, loggingSteps: 50 },
    grpo: {
      steps: 40,
      promptsPerStep: 32,
      numGenerations: 5,
      maxCompletionLength: 12,
      learningRate: 1e-3,
      evalSteps: 10,
      saveSteps: 40,
      samplesSteps: 40,
    },
    headroom: { examples: 32, samples: 8, ks: [1, 4, 8] },
  },
  full: {
    domainOptions: { registers: 3, trainSize: 5000, testSize: 500 },
    mle: { steps: 1500, batchSize: 32, learningRate: 3e-3, evalSteps: 500, saveSteps: 500, loggingSteps: 50 },
    grpo: {
      steps: 150,
      promptsPerStep: 32,
      numGenerations: 5,
      maxCompletionLength: 16,
      learningRate: 3e-4,
      dynamicSampling: { enabled: true, maxRounds: 4 },
      evalSteps: 25,
      saveSteps: 50,
      samplesSteps: 50,
    },
    headroom: { examples: 64, samples: 16, ks: [1, 5, 16] },
  },
};
