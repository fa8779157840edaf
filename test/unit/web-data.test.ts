// Web transitions into one example type: the collector's JSONL and the paper's published
// parquet layout (written here with the same schema verl reads); bad lines and rows are named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readTransitions, readPublishedWeb, webPrompt } from '../../src/domains/web/data.js';
import { VERL_SCHEMA } from '../../src/apps/interop/verl.js';
import { diffF1 } from '../../src/domains/web/f1.js';

const t = {
  url: 'http://apps.local/shop/product/2',
  objective: 'Add the cheapest red shirt to the cart',
  previousAction: 'None',
  treeBefore: "[28] link 'Cart (2)'\n[50] button 'Add to cart'",
  action: 'click [50]',
  treeAfter: "[28] link 'Cart (4)'\n[50] button 'Add to cart' focused: True",
  diff: "New items:\nNone\n\nDeleted items:\nNone\n\nUpdated items:\n[28] link 'Cart (4)'",
};

test('collector JSONL: examples with the prompt built from the fields; a bad line is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webdata-'));
  try {
    const f = join(dir, 'train.jsonl');
    writeFileSync(f, JSON.stringify(t) + '\n\n' + JSON.stringify({ ...t, action: 'click [28]' }) + '\n');
    const ex = readTransitions(f);
    assert.equal(ex.length, 2);
    assert.equal(ex[0]!.prompt, webPrompt(t));
    assert.match(ex[0]!.prompt, /^URL: http:\/\/apps.local\/shop\/product\/2\nOBJECTIVE: Add the cheapest red shirt/);
    assert.match(ex[0]!.prompt, /\[50\] button 'Add to cart'\nACTION: click \[50\]/);
    assert.equal(ex[1]!.id, 'train.jsonl:3');
    assert.equal(diffF1(ex[0]!.truth, ex[0]!.truth).f1, 1);
    writeFileSync(f, JSON.stringify(t) + '\n{"url": 3}\n');
    assert.throws(() => readTransitions(f), /train.jsonl:2: field url: /);
    writeFileSync(f, '{oops\n');
    assert.throws(() => readTransitions(f), /train.jsonl:1: not JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('published layout: parquet rows with a chat prompt and reward_model.ground_truth', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'webpq-'));
  try {
    const rows = [0, 1, 2].map((i) => ({
      data_source: 'web',
      prompt: [
        { content: 'You are a world model.', role: 'system' },
        { content: `${webPrompt(t)} #${i}`, role: 'user' },
      ],
      ability: 'world_model',
      reward_model: { ground_truth: t.diff, style: 'rule' },
      extra_info: { id: `w${i}`, index: BigInt(i), split: 'test' },
    }));
    const names = ['data_source', 'prompt', 'ability', 'reward_model', 'extra_info'] as const;
    const write = (rs: typeof rows, file: string): void => {
      writeFileSync(
        file,
        new Uint8Array(
          parquetWriteBuffer({
            columnData: names.map((name) => ({ name, data: rs.map((r) => (r as Record<string, unknown>)[name]) })),
            schema: VERL_SCHEMA,
          }),
        ),
      );
    };
    const f = join(dir, 'test.parquet');
    write(rows, f);
    const ex = await readPublishedWeb(f);
    assert.equal(ex.length, 3);
    assert.equal(ex[2]!.id, 'w2');
    assert.equal(ex[1]!.prompt, `You are a world model.\n${webPrompt(t)} #1`);
    assert.equal(ex[0]!.truth, t.diff);
    write([{ ...rows[0]!, prompt: [] }], join(dir, 'bad.parquet'));
    await assert.rejects(readPublishedWeb(join(dir, 'bad.parquet')), /bad.parquet: row 0: field prompt/);
    writeFileSync(join(dir, 'junk.parquet'), 'not parquet');
    await assert.rejects(readPublishedWeb(join(dir, 'junk.parquet')), /junk.parquet: not a readable parquet file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
