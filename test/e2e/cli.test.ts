import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';

const cli = join(repoRoot, 'dist', 'src', 'apps', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test(
  'rlvr-world: train, eval and sample a checkpoint; bad configs exit 1 naming the field',
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    try {
      const cfg = join(dir, 'run.yaml');
      writeFileSync(
        cfg,
        [
          'domain: counter',
          `runDir: ${join(dir, 'run')}`,
          'threads: 1',
          'domainOptions: { registers: 2, trainSize: 200, testSize: 12 }',
          'model: { hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 1, numAttentionHeads: 2 }',
          'mle: { steps: 6, batchSize: 8, evalSteps: 6, saveSteps: 3, evalExamples: 4 }',
        ].join('\n'),
      );
      const train = run('train', 'mle', '-c', cfg);
      assert.equal(train.status, 0, train.stderr);
      const out = JSON.parse(train.stdout);
      assert.match(out.checkpoint, /step-0000006$/);
      for (const f of ['config.json', 'model.safetensors', 'optimizer.safetensors', 'rng.safetensors', 'trainer.json'])
        assert.ok(existsSync(join(out.checkpoint, f)), f);
      assert.deepEqual(readdirSync(join(dir, 'run', 'checkpoints')).sort(), ['latest', 'step-0000003', 'step-0000006']);
      const ev = run('eval', '--checkpoint', out.checkpoint, '--examples', '5', '--max-new-tokens', '10');
      assert.equal(ev.status, 0, ev.stderr);
      const evOut = JSON.parse(ev.stdout);
      assert.equal(evOut.domain, 'counter');
      assert.equal(evOut.examples, 5);
      assert.ok(evOut.metrics.accuracy >= 0 && evOut.metrics.accuracy <= 1);
      const sample = run('sample', '--checkpoint', out.checkpoint, '--count', '2', '-n', '2', '--max-new-tokens', '10');
      assert.equal(sample.status, 0, sample.stderr);
      assert.match(sample.stdout, /== test-0\nprompt: a=\d b=\d;/);
      assert.equal((sample.stdout.match(/\[exact \d\.\d{3}\]/g) ?? []).length, 4);
      const bad = run('train', 'rlvr', '-c', cfg, '--set', 'grpo.temperature=-1', '--set', 'grpo.lossType=mean');
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /config field grpo\.temperature: .*\(got -1\)/);
      assert.match(
        bad.stderr,
        /config field grpo\.lossType: .*"token-mean"\|"seq-mean-token-sum"\|"seq-mean-token-mean".*\(got "mean"\)/,
      );
      const noInit = run('train', 'rlvr', '-c', cfg, '--set', `runDir=${join(dir, 'rl')}`);
      assert.equal(noInit.status, 1);
      assert.match(noInit.stderr, /config field init: GRPO starts from a checkpoint/);
      const info = run('info');
      assert.equal(typeof JSON.parse(info.stdout).cudaBuild, 'boolean');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'rlvr-world data textgame writes ByteSized32 JSONL that the loader reads back; bad options are named',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-data-'));
    try {
      const r = run(
        'data',
        'textgame',
        '--out',
        dir,
        '--set',
        'trainEpisodesPerGame=3',
        '--set',
        'testEpisodesPerGame=1',
        '--set',
        'heldOutGames=[mix-paint]',
        '--set',
        'vocabSize=500',
      );
      assert.equal(r.status, 0, r.stderr);
      const manifest = JSON.parse(r.stdout);
      assert.deepEqual(manifest.recipe.heldOutGames, ['mix-paint']);
      const { readTransitions } = await import('../../src/domains/textgame/data.js');
      assert.equal(readTransitions(join(dir, 'train.jsonl')).length, manifest.counts.train);
      const held = readTransitions(join(dir, 'heldout.jsonl'));
      assert.ok(held.length > 0 && held.every((t) => t.game === 'mix-paint'));
      for (const f of ['test.jsonl', 'tokenizer.json']) assert.ok(existsSync(join(dir, f)), f);
      const bad = run('data', 'textgame', '--out', join(dir, 'x'), '--set', 'heldOutGames=[no-such-game]');
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /heldOutGames names an unknown game 'no-such-game'/);
      const misspelled = run('data', 'textgame', '--out', join(dir, 'x'), '--set', 'episodes=3');
      assert.equal(misspelled.status, 1);
      assert.match(misspelled.stderr, /textgame domain option episodes: /);
      const noData = run('data', 'counter', '--out', join(dir, 'x'));
      assert.equal(noData.status, 1);
      assert.match(noData.stderr, /the counter domain builds no data \(domains with data: textgame, video, web\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
