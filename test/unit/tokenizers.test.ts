import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextTokenizer } from '../../src/core/tokenizers/index.js';

test('byte-level BPE training: exact vocabulary size, lossless on any text, saves and reloads', async () => {
  const corpus = Array.from(
    { length: 400 },
    (_, i) =>
      `{"name": "beaker (ID: ${i})", "uuid": ${i}, "properties": {"temperature": ${20 + (i % 7)}, "isOpen": ${i % 2 === 0}}}`,
  );
  const tok = TextTokenizer.trainBpe(corpus, { vocabSize: 300, specialTokens: ['<|endoftext|>', '<|pad|>'] });
  assert.equal(tok.vocabSize, 300);
  assert.equal(tok.tokenToId('<|endoftext|>'), 0);
  assert.equal(tok.tokenToId('<|pad|>'), 1);
  const text = corpus[17]!;
  const ids = await tok.encode(text);
  assert.ok(
    ids.length < text.length / 2,
    `merges compress the training text (${ids.length} ids for ${text.length} chars)`,
  );
  const unseen = 'unseen: ünïcödé 温度 🔥 \t\r\n\u00a0 done';
  assert.equal(await tok.decode(await tok.encode(unseen)), unseen);
  const dir = mkdtempSync(join(tmpdir(), 'tok-'));
  try {
    tok.save(join(dir, 'tokenizer.json'));
    const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
    assert.equal(json.model.type, 'BPE');
    assert.equal(json.pre_tokenizer.type, 'ByteLevel');
    const back = TextTokenizer.fromFile(join(dir, 'tokenizer.json'));
    assert.deepEqual(await back.encode(text), ids);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // the trainer is deterministic, and a smaller vocabulary is a prefix of a larger one
  const small = TextTokenizer.trainBpe(corpus, { vocabSize: 280 });
  for (let id = 0; id < 280; id++) assert.equal(small.idToToken(id), tok.idToToken(id));
  assert.throws(() => TextTokenizer.trainBpe(corpus, { vocabSize: 100 }), /below 258/);
});
