// A domain is a folder and one registration: a throwaway domain written to a temporary folder
// goes through the whole framework — `rlvr-world data`, `train mle`, `train grpo` (through
// $RLVR_WORLD_DOMAINS) and the reward service (through the registry) — with no change to src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { loadDomainModules, domainNames, getDomain } from '../../src/domains/registry.js';
import { buildRewardServer } from '../../src/apps/serve/reward-server.js';

const cli = join(repoRoot, 'dist', 'src', 'apps', 'cli', 'main.js');

// The "flip" world: four bits, an action flips one; the model predicts the next bits.
const FLIP_PLUGIN = `
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CHARS = '01234;>';
const EOS = 0, PAD = 1, OFF = 2;
const encode = (s) => [...s].map((c) => CHARS.indexOf(c) + OFF);
const text = (ids) => ids.filter((t) => t >= OFF).map((t) => CHARS[t - OFF] ?? '').join('');
const flip = (bits, i) => bits.slice(0, i) + (bits[i] === '0' ? '1' : '0') + bits.slice(i + 1);
const read = (file) => readFileSync(file, 'utf8').trim().split('\\n').map((l) => JSON.parse(l));

export const plugin = {
  name: 'flip',
  description: 'four bits; an action flips one',
  async buildData(o) {
    const size = o.size ?? 64;
    mkdirSync(o.dataDir, { recursive: true });
    const rows = (n, start) => Array.from({ length: n }, (_, k) => {
      const s = (start + k * 7) % 16, state = s.toString(2).padStart(4, '0'), action = String(k % 4);
      return JSON.stringify({ id: 'x' + (start + k), state, action, next: flip(state, Number(action)) });
    }).join('\\n');
    writeFileSync(join(o.dataDir, 'train.jsonl'), rows(size, 0));
    writeFileSync(join(o.dataDir, 'test.jsonl'), rows(8, 1000));
    writeFileSync(join(o.dataDir, 'manifest.json'), JSON.stringify({ recipe: { size }, counts: { train: size, test: 8 } }));
  },
  create(o) {
    if (!o.dataDir) throw new Error('flip domain option dataDir: required');
    const exact = (p, e) => (p === e.next ? 1 : 0);
    return {
      name: 'flip',
      examples: async (split) => read(join(o.dataDir, split + '.jsonl')),
      codec: {
        vocabSize: CHARS.length + OFF, eosTokenId: EOS, padTokenId: PAD,
        prompt: (e) => encode(e.state + ';' + e.action + '>'),
        target: (e) => [...encode(e.next), EOS],
        decode: (ids) => { const end = ids.indexOf(EOS); return text(end < 0 ? ids : ids.slice(0, end)); },
        text,
      },
      rewards: { exact, bits: (p, e) => [...e.next].filter((b, i) => p[i] === b).length / 4 },
      metrics: { accuracy: exact },
      defaultReward: 'exact',
      primaryMetric: 'accuracy',
      suggestedModel: { hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 1, numAttentionHeads: 2, numKeyValueHeads: 1, maxPositionEmbeddings: 32 },
    };
  },
  verifier: {
    rewards: ['exact'],
    score: (_reward, solution, truth) => ({ score: solution.trim() === String(truth) ? 1 : 0 }),
  },
};
`;

test('a throwaway domain from a temporary folder: data → MLE → GRPO → serve-reward', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'domain-plugin-'));
  try {
    mkdirSync(join(dir, 'flip'));
    const module = join(dir, 'flip', 'plugin.mjs');
    writeFileSync(module, FLIP_PLUGIN);
    const env = { ...process.env, RLVR_WORLD_DOMAINS: module };
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });

    const data = run('data', 'flip', '--out', join(dir, 'data'), '--set', 'size=48');
    assert.equal(data.status, 0, data.stderr);
    assert.deepEqual(JSON.parse(data.stdout).counts, { train: 48, test: 8 });

    const cfg = join(dir, 'run.yaml');
    writeFileSync(
      cfg,
      [
        'domain: flip',
        'threads: 1',
        `domainOptions: { dataDir: ${join(dir, 'data')} }`,
        'mle: { steps: 8, batchSize: 8, evalSteps: 8, saveSteps: 8, evalExamples: 8 }',
        'grpo: { steps: 2, promptsPerStep: 4, numGenerations: 2, maxCompletionLength: 6, evalSteps: 2, saveSteps: 2, evalExamples: 8, evalPassExamples: 4 }',
      ].join('\n'),
    );
    const mle = run('train', 'mle', '-c', cfg, '--set', `runDir=${join(dir, 'mle')}`);
    assert.equal(mle.status, 0, mle.stderr);
    const mleOut = JSON.parse(mle.stdout);
    assert.ok(existsSync(join(mleOut.checkpoint, 'model.safetensors')));
    assert.ok(mleOut.eval.accuracy >= 0 && mleOut.eval.accuracy <= 1);

    const grpo = run(
      'train',
      'grpo',
      '-c',
      cfg,
      '--set',
      `runDir=${join(dir, 'grpo')}`,
      '--set',
      `init=${mleOut.checkpoint}`,
    );
    assert.equal(grpo.status, 0, grpo.stderr);
    assert.match(JSON.parse(grpo.stdout).checkpoint, /step-0000002$/);

    // the same module registered in this process: the reward service scores with its verifier
    assert.deepEqual(await loadDomainModules(module), ['flip']);
    assert.ok(domainNames().includes('flip'));
    const domain = await getDomain('flip', { dataDir: join(dir, 'data') });
    const [e] = await domain.examples('test');
    const app = buildRewardServer();
    try {
      const health = await app.inject({ method: 'GET', url: '/health' });
      assert.deepEqual(health.json().domains.flip, ['exact']);
      const r = await app.inject({
        method: 'POST',
        url: '/score',
        payload: {
          data_source: 'flip',
          items: [
            { solution_str: e.next, ground_truth: e.next },
            { solution_str: 'garbage', ground_truth: e.next },
          ],
        },
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json().scores, [1, 0]);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
