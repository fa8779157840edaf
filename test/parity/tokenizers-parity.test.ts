// A Hugging Face tokenizer.json (shared/fixtures/tokenizer): ids and decodings equal the
// tokenizers library's. BPE training is in test/unit/tokenizers.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextTokenizer } from '../../src/core/tokenizers/index.js';
import { fixture, fixturesSkip, readJson } from '../helpers.js';

test('tokenizer.json from Hugging Face: ids and decodings match exactly', { skip: fixturesSkip }, async () => {
  const ref = readJson(fixture('tokenizer', 'reference.json'));
  const tok = TextTokenizer.fromFile(fixture('tokenizer', 'tokenizer.json'));
  for (let i = 0; i < ref.samples.length; i++) {
    assert.deepEqual(await tok.encode(ref.samples[i]), ref.ids[i], `ids of sample ${i}`);
    assert.equal(await tok.decode(ref.ids[i], false), ref.decoded[i], `decoding of sample ${i}`);
  }
  assert.deepEqual(await tok.encodeBatch(ref.samples), ref.ids);
});
