// The web domain on a tiny collection in Chromium: examples, the codec's round trip, the F1
// reward and metrics, and evaluation on a published-layout parquet file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDomain } from '../../src/domains/registry.js';
import { exportVerl } from '../../src/apps/interop/verl.js';

const skip = existsSync('/usr/bin/chromium') ? false : 'no /usr/bin/chromium (scripts/setup.sh installs it)';

test(
  'web domain: collected transitions, codec round trip, F1 reward, published-layout evaluation',
  { skip, timeout: 240_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webdom-'));
    try {
      const opts = { dataDir: join(dir, 'data'), trainEpisodes: 2, testEpisodes: 1, maxSteps: 3, vocabSize: 600 };
      const d = await getDomain('web', opts);
      const train = await d.examples('train');
      assert.ok(train.length >= 2, `${train.length} transitions`);
      const e = train[0]!;
      assert.match(
        e.prompt,
        /^URL: .*\nOBJECTIVE: .*\nPREVIOUS ACTION: None\nCURRENT ACCESSIBILITY TREE:\n\t*\[\d+\] \S+/,
      );
      assert.match(e.truth, /^New items:\n[\s\S]*\nDeleted items:\n[\s\S]*\nUpdated items:\n/);
      const target = await d.codec.target(e);
      assert.equal(target.at(-1), d.codec.eosTokenId);
      const decoded = await d.codec.decode(target, e);
      assert.equal(decoded, e.truth.trim());
      const score = (p: string) => {
        const r = d.rewards.f1!(p, e) as { score: number };
        return r.score;
      };
      assert.equal(score(decoded), 1);
      assert.equal(score('New items:\nNone\n\nDeleted items:\nNone\n\nUpdated items:\nNone') < 1, true);
      assert.equal(score('garbage'), 0);
      assert.equal(await d.metrics.f1!(decoded, e), 1);
      // a second build with the same recipe reuses the folder; the test split evaluates in the published layout too
      const pq = join(dir, 'test.parquet');
      await exportVerl(d, 'test', pq);
      const pub = await getDomain('web', { ...opts, evalSet: pq });
      const [a, b] = [await d.examples('test'), await pub.examples('test')];
      assert.equal(b.length, a.length);
      assert.equal(b[0]!.truth, a[0]!.truth);
      assert.equal(b[0]!.prompt, a[0]!.prompt);
      await assert.rejects(getDomain('web', { ...opts, evalSets: 'x' }), /web domain option evalSets/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
