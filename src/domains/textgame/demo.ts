// The textgame demo's settings (`rlvr-world demo textgame`); the pipeline that runs them is apps/demos/textgame.ts.
import type { HeadroomProfile } from '../plugin.js';
import type { TextgameOptions } from './index.js';

export interface TextgameProfile {
  domainOptions: TextgameOptions;
  model: Record<string, unknown>;
  mle: Record<string, unknown>;
  grpo: Record<string, unknown>;
  /** RL runs, one per reward */
  rewards: string[];
  /** longest prediction at evaluation */
  maxNewTokens: number;
  /** transitions of the real set scored with the models (a seeded sample; the baseline uses all) */
  realLimit: number;
  /** the headroom diagnosis of every model (held-out transitions) */
  headroom: HeadroomProfile;
}

/** The main job's profiles: quick shows the pipeline in minutes; default is what the README quotes. */
export const TEXTGAME_DEMO: { quick: TextgameProfile; full: TextgameProfile } = {
  quick: {
    domainOptions: { trainEpisodesPerGame: 12, testEpisodesPerGame: 4, vocabSize: 768, targetFormat: 'delta' },
    model: { hiddenSize: 64, intermediateSize: 172, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: {
      steps: 150,
      batchSize: 16,
      learningRate: 3e-3,
      evalSteps: 150,
      evalExamples: 32,
      saveSteps: 150,
      loggingSteps: 25,
      samplesSteps: 150,
    },
    grpo: {
      steps: 6,
      promptsPerStep: 8,
      numGenerations: 4,
      maxCompletionLength: 160,
      learningRate: 2e-4,
      dynamicSampling: { enabled: true, maxRounds: 2 },
      evalSteps: 3,
      evalExamples: 32,
      saveSteps: 6,
      samplesSteps: 6,
    },
    rewards: ['binary', 'task_specific'],
    maxNewTokens: 160,
    realLimit: 40,
    headroom: { examples: 32, samples: 8, ks: [1, 4, 8] },
  },
  full: {
    domainOptions: { trainEpisodesPerGame: 60, testEpisodesPerGame: 12, vocabSize: 1024 },
    model: { hiddenSize: 128, intermediateSize: 344, numHiddenLayers: 4, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: {
      steps: 1500,
      batchSize: 16,
      learningRate: 2e-3,
      evalSteps: 250,
      evalExamples: 100,
      saveSteps: 250,
      loggingSteps: 25,
      samplesSteps: 250,
    },
    grpo: {
      steps: 60,
      promptsPerStep: 16,
      numGenerations: 5,
      maxCompletionLength: 256,
      learningRate: 1e-4,
      dynamicSampling: { enabled: true, maxRounds: 2 },
      evalSteps: 10,
      evalExamples: 100,
      saveSteps: 10,
      samplesSteps: 20,
    },
    rewards: ['binary', 'task_specific'],
    maxNewTokens: 256,
    realLimit: 200,
    headroom: { examples: 64, samples: 16, ks: [1, 5, 16] },
  },
};
