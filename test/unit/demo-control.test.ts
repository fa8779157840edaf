import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grpoTrainSeconds } from '../../src/apps/demos/control.js';

// The control's time budget: the seconds of a GRPO run's steps, read from its metrics.jsonl.
test('grpoTrainSeconds sums time/step over the grpo lines only, and refuses a log with steps missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-control-'));
  try {
    const write = (rows: Record<string, unknown>[]): void =>
      writeFileSync(join(dir, 'metrics.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    write([
      { step: 0, phase: 'grpo-eval', 'eval/accuracy': 0.5 },
      { step: 1, phase: 'grpo', 'time/step': 1.5 },
      { step: 2, phase: 'grpo', 'time/step': 2 },
      { step: 2, phase: 'grpo-eval', 'eval/accuracy': 0.6, 'time/step': 100 },
      { step: 3, phase: 'grpo', 'time/step': 0.25 },
    ]);
    assert.equal(grpoTrainSeconds(dir), 3.75);
    write([
      { step: 1, phase: 'grpo', 'time/step': 1 },
      { step: 3, phase: 'grpo', 'time/step': 1 },
    ]);
    assert.throws(() => grpoTrainSeconds(dir), /not all logged/);
    write([{ step: 0, phase: 'grpo-eval' }]);
    assert.throws(() => grpoTrainSeconds(dir), /no GRPO steps/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
