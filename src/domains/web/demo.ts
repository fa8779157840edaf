// The web demo's settings (`rlvr-world demo web`); the pipeline that runs them is apps/demos/web.ts.
import type { HeadroomProfile } from '../plugin.js';
import type { WebOptions } from './index.js';
import type { LookaheadOptions } from './agent/lookahead.js';

export interface WebProfile {
  domainOptions: WebOptions;
  model: Record<string, unknown>;
  mle: Record<string, unknown>;
  grpo: Record<string, unknown>;
  /** longest predicted diff, in tokens */
  maxNewTokens: number;
  /**
   * the agent: episodes per task (each from another app state), candidates per step, steps per
   * episode, and the search of the planner with the perfect world model
   */
  agent: { seeds: number; candidates: number; maxSteps: number; lookahead: LookaheadOptions };
  /** the headroom diagnosis of both models (held-out transitions) */
  headroom: HeadroomProfile;
}

/** The web demo: quick shows the pipeline in minutes on 2 cores; default is what results/web.json holds. */
export const WEB_DEMO: { quick: WebProfile; full: WebProfile } = {
  quick: {
    domainOptions: { trainEpisodes: 34, testEpisodes: 17, vocabSize: 1024, viewLines: 12 },
    model: { hiddenSize: 64, intermediateSize: 172, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: {
      steps: 120,
      batchSize: 8,
      learningRate: 3e-3,
      evalSteps: 120,
      evalExamples: 16,
      saveSteps: 120,
      loggingSteps: 20,
      samplesSteps: 1000,
    },
    grpo: {
      steps: 4,
      promptsPerStep: 4,
      numGenerations: 4,
      maxCompletionLength: 300,
      learningRate: 1e-4,
      evalSteps: 4,
      evalExamples: 16,
      saveSteps: 4,
      samplesSteps: 1000,
    },
    maxNewTokens: 300,
    agent: {
      seeds: 1,
      candidates: 3,
      maxSteps: 6,
      lookahead: { budget: 12, depth: 4, branch: 3, perEpisode: 40 },
    },
    headroom: { examples: 16, samples: 8, ks: [1, 4, 8] },
  },
  full: {
    domainOptions: { trainEpisodes: 150, testEpisodes: 34, vocabSize: 2048, viewLines: 16 },
    model: { hiddenSize: 128, intermediateSize: 344, numHiddenLayers: 4, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: {
      steps: 900,
      batchSize: 8,
      learningRate: 3e-3,
      evalSteps: 300,
      evalExamples: 32,
      saveSteps: 300,
      loggingSteps: 25,
      samplesSteps: 100000,
    },
    grpo: {
      steps: 30,
      promptsPerStep: 8,
      numGenerations: 4,
      maxCompletionLength: 400,
      learningRate: 3e-4,
      dynamicSampling: { enabled: true, maxRounds: 2 },
      evalSteps: 10,
      evalExamples: 32,
      saveSteps: 10,
      samplesSteps: 100000,
    },
    maxNewTokens: 400,
    // as bench/web/oracle-agent (results/web-planner.json): 23 tasks × 3 app states
    agent: {
      seeds: 3,
      candidates: 5,
      maxSteps: 10,
      lookahead: { budget: 40, depth: 7, branch: 4, perEpisode: 200 },
    },
    headroom: { examples: 64, samples: 16, ks: [1, 5, 16] },
  },
};
