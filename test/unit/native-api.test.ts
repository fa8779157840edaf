// The typed native boundary: the addon's exports and NativeApi (via NATIVE_EXPORTS, which
// the compiler checks against the interface both ways) name the same functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { native } from '../../src/core/tensor/native.js';
import { NATIVE_EXPORTS } from '../../src/core/tensor/native-api.js';
import { tensor, where, scope } from '../../src/core/tensor/index.js';

test('the addon exports exactly the functions NativeApi declares', () => {
  const exported = Object.keys(native);
  assert.equal(new Set(NATIVE_EXPORTS).size, NATIVE_EXPORTS.length, 'NATIVE_EXPORTS lists a name twice');
  const declared = new Set<string>(NATIVE_EXPORTS);
  const actual = new Set(exported);
  assert.deepEqual(
    exported.filter((n) => !declared.has(n)),
    [],
    'exported by the addon but missing from NativeApi',
  );
  assert.deepEqual(
    NATIVE_EXPORTS.filter((n) => !actual.has(n)),
    [],
    'declared in NativeApi but not exported by the addon',
  );
  for (const n of NATIVE_EXPORTS) assert.equal(typeof native[n], 'function', `${n} is a function`);
});

test('call sites the typing changed: where() with scalar operands, prod(dim), item() of a bool tensor', () =>
  scope(() => {
    const c = tensor([true, false, true]);
    const a = tensor([1, 2, 3]);
    const b = tensor([10, 20, 30]);
    assert.deepEqual(where(c, a, b).tolist(), [1, 20, 3]);
    assert.deepEqual(where(c, a, 0).tolist(), [1, 0, 3]);
    assert.deepEqual(where(c, 7, b).tolist(), [7, 20, 7]);
    assert.deepEqual(where(c, 7, 0).tolist(), [7, 0, 7]);
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(m.prod(1).tolist(), [6, 120]);
    assert.deepEqual(m.prod(0, true).tolist(), [[4, 10, 18]]);
    assert.equal(m.prod().item(), 720);
    assert.equal(c.any().item(), 1);
    assert.equal(c.all().item(), 0);
  }));
