// Issue 20 items 3 and 5: the CLI's option parsers and its one-line error reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { int, intList, real, jsonObject } from '../../src/apps/cli/options.js';
import { errorText, takeDebugFlag } from '../../src/apps/cli/errors.js';
import { ConfigError } from '../../src/train/config/load.js';

test('numeric options refuse text, fractions and out-of-range values', () => {
  assert.equal(int(1)('12'), 12);
  assert.equal(int(0, 65535)('0'), 0);
  for (const bad of ['abc', '', ' ', '1.5', '0', '-3', '1e3', '0x10'])
    assert.throws(() => int(1)(bad), InvalidArgumentError, bad);
  assert.throws(() => int(0, 65535)('65536'), /from 0 to 65535/);
  assert.deepEqual(intList(1)('1,5,16'), [1, 5, 16]);
  assert.throws(() => intList(1)('1,0'), InvalidArgumentError);
  assert.equal(real({ gt: 0, max: 1 })('0.9'), 0.9);
  for (const bad of ['abc', '', '0', '1.1', 'NaN', 'Infinity'])
    assert.throws(() => real({ gt: 0, max: 1 })(bad), InvalidArgumentError, bad);
  assert.equal(real({ min: 0 })('0'), 0);
});

test('--domain-options takes a JSON object', () => {
  assert.deepEqual(jsonObject('{"a":1}'), { a: 1 });
  assert.throws(() => jsonObject('{bad'), /not valid JSON/);
  assert.throws(() => jsonObject('[1]'), /JSON object/);
});

test('errors print one line; the stack only with --debug', () => {
  assert.equal(
    errorText(new ConfigError('run.yaml:\nconfig field mle.steps: too small'), false),
    'run.yaml:\nconfig field mle.steps: too small',
  );
  const libtorch = new Error(
    "Could not run 'aten::empty' with arguments from the 'CUDA' backend.\n\nCPU: registered at ...",
  );
  assert.equal(
    errorText(libtorch, false),
    "Could not run 'aten::empty' with arguments from the 'CUDA' backend. (--debug shows the rest)",
  );
  assert.equal(errorText(new TypeError('x is undefined'), false), 'TypeError: x is undefined');
  assert.match(errorText(new Error('boom'), true), /^Error: boom\n\s+at /);
});

test('--debug is taken from argv before --, and passed on as RLVR_DEBUG=1', () => {
  const saved = process.env.RLVR_DEBUG;
  try {
    delete process.env.RLVR_DEBUG;
    const argv = ['node', 'main.js', 'launch', '--debug', '--', 'train', '--debug'];
    assert.equal(takeDebugFlag(argv), true);
    assert.deepEqual(argv, ['node', 'main.js', 'launch', '--', 'train', '--debug']);
    assert.equal(process.env.RLVR_DEBUG, '1');
    delete process.env.RLVR_DEBUG;
    assert.equal(takeDebugFlag(['node', 'main.js', 'eval']), false);
  } finally {
    if (saved === undefined) delete process.env.RLVR_DEBUG;
    else process.env.RLVR_DEBUG = saved;
  }
});
