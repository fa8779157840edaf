// Issue 20 items 3-6 at the command line: nonsense values, prototype keys, unclear errors and
// corrupt checkpoints each end in one line naming the problem, with exit status 1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { engineVersion, loadSafetensors, saveSafetensors } from '../../src/core/tensor/index.js';

const cli = join(repoRoot, 'dist', 'src', 'apps', 'cli', 'main.js');
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    timeout: 30_000, // a hang (mle.batchSize: 0 spun forever) fails instead of blocking
    env: { ...process.env, RLVR_DEBUG: '', ...env },
  });
const STACK = /^\s+at /m;

/** Exit 1 with one clear message and no stack trace. */
function fails(args: string[], message: RegExp) {
  const r = run(args);
  assert.equal(r.status, 1, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, STACK, r.stderr);
}

let dir = '';
let cfg = '';
let ckpt = '';
/** A copy of the trained checkpoint, changed by `edit`. */
function broken(name: string, edit: (d: string) => void): string {
  const d = join(dir, name);
  cpSync(ckpt, d, { recursive: true });
  edit(d);
  return d;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-errors-'));
  cfg = join(dir, 'run.yaml');
  writeFileSync(
    cfg,
    [
      'domain: counter',
      `runDir: ${join(dir, 'run')}`,
      'threads: 1',
      'domainOptions: { registers: 2, trainSize: 100, testSize: 6 }',
      'model: { hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1, numAttentionHeads: 2 }',
      'mle: { steps: 2, batchSize: 8, evalSteps: 2, saveSteps: 2, evalExamples: 2 }',
    ].join('\n'),
  );
  const r = run(['train', 'mle', '-c', cfg]);
  assert.equal(r.status, 0, r.stderr);
  ckpt = JSON.parse(r.stdout).checkpoint;
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('config counts out of bounds exit 1 naming the field (batchSize 0 used to hang)', { timeout: 120_000 }, () => {
  const out = ['--set', `runDir=${join(dir, 'bad')}`];
  fails(['train', 'mle', '-c', cfg, ...out, '--set', 'mle.batchSize=0'], /config field mle\.batchSize: .*\(got 0\)/);
  fails(['train', 'mle', '-c', cfg, ...out, '--set', 'mle.steps=-5'], /config field mle\.steps/);
  fails(
    ['train', 'grpo', '-c', cfg, ...out, '--set', `init=${ckpt}`, '--set', 'grpo.numGenerations=0'],
    /config field grpo\.numGenerations/,
  );
  fails(['train', 'mle', '-c', cfg, ...out, '--set', '__proto__.x=1'], /'__proto__' is not allowed/);
});

test('numeric options of the subcommands are checked', { timeout: 60_000 }, () => {
  fails(['eval', '--checkpoint', ckpt, '--examples', 'abc'], /--examples .*'abc' is invalid\. expected an integer ≥ 1/);
  fails(['diagnose', '--checkpoint', ckpt, '--batch-size', '0'], /--batch-size/);
  fails(['sample', '--checkpoint', ckpt, '--top-p', '2'], /--top-p/);
  fails(['serve-reward', '--port', 'abc'], /--port/);
  fails(['launch', '--nproc', '0', '--', 'info'], /--nproc/);
});

test('unclear errors get named messages', { timeout: 60_000 }, () => {
  if (!engineVersion().cudaBuild)
    fails(['eval', '--checkpoint', ckpt, '--device', 'cuda:0'], /--device cuda:0: this libtorch build .* has no CUDA/);
  const badJson = broken('bad-json', (d) => writeFileSync(join(d, 'trainer.json'), '{"phase": "mle",'));
  fails(['eval', '--checkpoint', badJson], /bad-json\/trainer\.json: not valid JSON/);
  const vocab = broken('vocab', (d) => {
    const file = join(d, 'model.safetensors');
    const t = loadSafetensors(file);
    for (const k of ['model.embed_tokens.weight', 'lm_head.weight']) t.set(k, t.get(k)!.narrow(0, 0, 10));
    saveSafetensors(file, t);
    const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
    writeFileSync(join(d, 'config.json'), JSON.stringify({ ...c, vocab_size: 10 }));
  });
  fails(['eval', '--checkpoint', vocab, '--examples', '2'], /vocabulary has 10 tokens but the domain's tokenizer has/);
});

test('the stack trace shows only with --debug or RLVR_DEBUG=1', { timeout: 60_000 }, () => {
  const args = ['train', 'mle', '-c', cfg, '--set', 'domain=nosuch'];
  fails(args, /^rlvr-world: unknown domain 'nosuch'/);
  assert.match(run([...args, '--debug']).stderr, STACK);
  assert.match(run(args, { RLVR_DEBUG: '1' }).stderr, STACK);
});

test(
  'corrupt checkpoints: offsets into the header refused, NaN weights warned or refused with --strict',
  { timeout: 60_000 },
  () => {
    const offsets = broken('offsets', (d) => {
      const file = join(d, 'model.safetensors');
      const buf = readFileSync(file);
      const n = Number(buf.readBigUInt64LE(0));
      const h = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
      const e = h['model.norm.weight'];
      e.data_offsets = [-64, -64 + (e.data_offsets[1] - e.data_offsets[0])];
      const json = Buffer.from(JSON.stringify(h));
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(json.length));
      writeFileSync(file, Buffer.concat([len, json, buf.subarray(8 + n)]));
    });
    fails(
      ['eval', '--checkpoint', offsets],
      /not a valid safetensors file: tensor 'model\.norm\.weight': data_offsets/,
    );
    const nan = broken('nan', (d) => {
      const file = join(d, 'model.safetensors');
      const buf = readFileSync(file);
      buf.fill(0xff, 8 + Number(buf.readBigUInt64LE(0)));
      writeFileSync(file, buf);
    });
    const warned = run(['eval', '--checkpoint', nan, '--examples', '1', '--max-new-tokens', '2']);
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stderr, /warning: .*hold NaN or infinite values/);
    fails(['eval', '--checkpoint', nan, '--strict'], /nan: \d+ of \d+ weight tensors hold NaN or infinite values/);
  },
);
