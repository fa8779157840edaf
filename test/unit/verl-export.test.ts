// The verl export: the parquet file reads back with verl's schema, and its ground truths are
// what the reward service scores (the true difference scores 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects, parquetMetadata, parquetSchema } from 'hyparquet';
import { textgameDomain, targetText, ANSWER_MARKER } from '../../src/domains/textgame/index.js';
import { exportVerl } from '../../src/apps/interop/verl.js';
import { domainVerifiers } from '../../src/domains/registry.js';
const VERIFIERS = domainVerifiers();

test('verl export: schema, rows, and ground truths the reward service scores', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'verl-'));
  const domain = await textgameDomain({
    dataDir: join(dir, 'data'),
    trainEpisodesPerGame: 2,
    testEpisodesPerGame: 1,
    vocabSize: 500,
  });
  const file = join(dir, 'test.parquet');
  const n = await exportVerl(domain, 'test', file);
  const examples = await domain.examples('test');
  assert.equal(n, examples.length);
  const bytes = readFileSync(file);
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const meta = parquetMetadata(buf);
  const top = parquetSchema(meta).children.map((c) => c.element.name);
  assert.deepEqual(top, ['data_source', 'prompt', 'ability', 'reward_model', 'extra_info']);
  const prompt = parquetSchema(meta).children[1]!;
  assert.equal(prompt.element.converted_type, 'LIST');
  assert.deepEqual(
    prompt.children[0]!.children[0]!.children.map((c) => c.element.name),
    ['content', 'role'],
  );
  const rows = (await parquetReadObjects({ file: buf })) as any[];
  assert.equal(rows.length, examples.length);
  rows.forEach((r, i) => {
    const e = examples[i]!;
    assert.equal(r.data_source, 'textgame');
    assert.equal(r.ability, 'world-model/textgame');
    assert.deepEqual(
      r.prompt.map((m: any) => m.role),
      ['user'],
    );
    assert.match(r.prompt[0].content, /^Task: .*\nObjects:\n[\s\S]*\nAction: .*\nThe final answer is:$/);
    assert.equal(r.reward_model.style, 'rule');
    assert.deepEqual(r.extra_info, { id: e.id, index: BigInt(i), split: 'test' });
    const gold = `${ANSWER_MARKER}${targetText(e.diff)}`;
    assert.equal(VERIFIERS.textgame!.score('binary', gold, r.reward_model.ground_truth).score, 1, e.id);
    assert.equal(VERIFIERS.textgame!.score('binary', 'garbage', r.reward_model.ground_truth).score, 0);
  });
});
