// The video demo's settings (`rlvr-world demo video`); the pipeline that runs them is apps/demos/video.ts.
import type { HeadroomProfile } from '../plugin.js';

export interface VideoProfile {
  domainOptions: Record<string, unknown>;
  model: Record<string, unknown>;
  mle: Record<string, unknown>;
  grpo: Record<string, unknown>;
  /** test examples evaluated per task */
  evalExamples: number;
  policyEval: { episodes: number; steps: number };
  gifs: number;
  /** the headroom diagnosis of every model (held-out examples of each task) */
  headroom: HeadroomProfile;
}

/** The video demo: quick shows the pipeline in minutes on 2 cores; default is what results/video.json holds. */
export const VIDEO_DEMO: { quick: VideoProfile; full: VideoProfile } = {
  quick: {
    domainOptions: {
      trainEpisodes: 60,
      testEpisodes: 12,
      episodeLength: 24,
      tokenizer: { steps: 300, channels: 16 },
      compressive: { steps: 300, channels: 16 },
    },
    model: { hiddenSize: 64, intermediateSize: 172, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: {
      steps: 150,
      batchSize: 16,
      learningRate: 3e-3,
      evalSteps: 150,
      evalExamples: 16,
      saveSteps: 150,
      loggingSteps: 25,
      samplesSteps: 1000,
    },
    grpo: {
      steps: 5,
      promptsPerStep: 4,
      numGenerations: 4,
      maxCompletionLength: 512,
      learningRate: 1e-4,
      entropyCoef: 0,
      clipRatioC: 3,
      evalGreedy: false,
      evalTopK: 100,
      evalSteps: 5,
      evalExamples: 16,
      saveSteps: 5,
      samplesSteps: 1000,
    },
    evalExamples: 24,
    policyEval: { episodes: 4, steps: 16 },
    gifs: 2,
    headroom: { examples: 16, samples: 8, ks: [1, 4, 8] },
  },
  full: {
    domainOptions: {
      trainEpisodes: 160,
      testEpisodes: 30,
      episodeLength: 28,
      tokenizer: { steps: 1000, channels: 16, batchSize: 16 },
      compressive: { steps: 1000, channels: 16, batchSize: 16 },
    },
    model: { hiddenSize: 96, intermediateSize: 256, numHiddenLayers: 3, numAttentionHeads: 4, numKeyValueHeads: 2 },
    mle: {
      steps: 800,
      batchSize: 16,
      learningRate: 3e-3,
      evalSteps: 400,
      evalExamples: 32,
      saveSteps: 400,
      loggingSteps: 25,
      samplesSteps: 100000,
    },
    grpo: {
      steps: 30,
      promptsPerStep: 8,
      numGenerations: 8,
      maxCompletionLength: 512,
      learningRate: 2e-4,
      entropyCoef: 0,
      clipRatioC: 3,
      evalGreedy: false,
      evalTopK: 100,
      evalSteps: 10,
      evalExamples: 32,
      saveSteps: 10,
      samplesSteps: 100000,
    },
    evalExamples: 150,
    policyEval: { episodes: 12, steps: 28 },
    gifs: 3,
    headroom: { examples: 32, samples: 16, ks: [1, 5, 16] },
  },
};
