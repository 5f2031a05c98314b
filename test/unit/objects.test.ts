import assert from 'node:assert/strict';
import { deepEqual, isObject } from '../../src/apimachinery/objects.js';

describe('isObject', () => {
  it('accepts JSON objects only: not null, arrays or scalars', () => {
    assert.equal(isObject({}), true);
    assert.equal(isObject({ a: 1 }), true);
    for (const v of [null, undefined, [], [1], 'x', 0, true]) assert.equal(isObject(v), false, JSON.stringify(v));
  });
});

describe('deepEqual', () => {
  it('ignores key order and respects array order', () => {
    assert.equal(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), true);
    assert.equal(deepEqual([1, 2], [2, 1]), false);
  });

  it('treats a member whose value is undefined as absent, as JSON does', () => {
    assert.equal(deepEqual({ a: 1, b: undefined }, { a: 1 }), true);
    assert.equal(deepEqual({ a: undefined }, { b: undefined }), true);
    assert.equal(deepEqual({ a: 1, b: undefined }, { a: 1, c: 2 }), false);
  });

  it('tells apart values JSON tells apart', () => {
    const different: [unknown, unknown][] = [
      [null, {}],
      [{}, []],
      [[], {}],
      ['1', 1],
      [{ a: null }, {}],
      [{ a: { b: 1 } }, { a: { b: 2 } }],
      [[1], [1, 2]],
    ];
    for (const [a, b] of different) assert.equal(deepEqual(a, b), false, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  });
});
