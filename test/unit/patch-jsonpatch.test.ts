// JSON Patch engine: RFC 6902 operations with evanphx/json-patch v4's deviations that kube-apiserver keeps
// (cases from the library's patch_test.go and apiserver's TestJSONPatch, as listed in patch-semantics.md §2).
import assert from 'node:assert/strict';
import { applyJSONPatch, JSONPatchError, parsePointer } from '../../src/registry/patch/jsonpatch.js';
import type { JSONValue } from '../../src/apimachinery/objects.js';

const ok = (doc: JSONValue, ops: unknown[], want: JSONValue) => assert.deepEqual(applyJSONPatch(doc, ops), want);
const fails = (doc: JSONValue, ops: unknown[], message?: RegExp) =>
  assert.throws(
    () => applyJSONPatch(doc, ops),
    (e: unknown) => e instanceof JSONPatchError && (message === undefined || message.test(e.message)),
  );

describe('JSON patch (RFC 6902, json-patch v4 semantics)', () => {
  it('adds object members, overwriting an existing one', () => {
    ok({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { foo: 'bar', baz: 'qux' });
    ok({ foo: 'bar' }, [{ op: 'add', path: '/foo', value: 1 }], { foo: 1 });
  });

  it('inserts into arrays before an index, appends with "-" or index == length', () => {
    ok({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] });
    ok({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: 'x' }], { foo: ['bar', 'x'] });
    ok({ foo: ['bar'] }, [{ op: 'add', path: '/foo/1', value: 'x' }], { foo: ['bar', 'x'] });
  });

  it('counts a negative add index from the end of the grown array', () => {
    ok({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/-1', value: 'qux' }], { foo: ['bar', 'baz', 'qux'] });
  });

  it('fails an add past the end or under a missing parent', () => {
    fails({ foo: ['bar'] }, [{ op: 'add', path: '/foo/3', value: 'x' }], /invalid index/);
    fails({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], /missing path/);
  });

  it('adds null when the operation has no value', () => {
    ok({}, [{ op: 'add', path: '/a' }], { a: null });
  });

  it('removes members and elements, failing on a missing key', () => {
    ok({ a: 1, b: 2 }, [{ op: 'remove', path: '/a' }], { b: 2 });
    ok({ a: [1, 2, 3] }, [{ op: 'remove', path: '/a/1' }], { a: [1, 3] });
    ok({ a: [1, 2, 3] }, [{ op: 'remove', path: '/a/-1' }], { a: [1, 2] });
    fails({ a: 1 }, [{ op: 'remove', path: '/b' }], /nonexistent key/);
    fails({ a: [1] }, [{ op: 'remove', path: '/a/1' }], /invalid index/);
  });

  it('treats replace of a missing member as add (the v4 quirk kube keeps)', () => {
    ok(
      { metadata: {} },
      [
        { op: 'replace', path: '/metadata/path', value: 'foo' },
        { op: 'test', path: '/metadata/path', value: 'foo' },
      ],
      { metadata: { path: 'foo' } },
    );
  });

  it('fails replace on an out-of-range index and replaces the whole document on ""', () => {
    fails({ a: [1] }, [{ op: 'replace', path: '/a/5', value: 2 }], /invalid index/);
    ok({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }], { b: 2 });
  });

  it('moves and copies', () => {
    ok({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], {
      foo: ['all', 'cows', 'eat', 'grass'],
    });
    ok({ a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } });
    fails({ a: 1 }, [{ op: 'move', from: '/x', path: '/y' }], /missing from path/);
  });

  it('copies deeply: changing the copy leaves the source alone', () => {
    ok(
      { a: { b: 1 } },
      [
        { op: 'copy', from: '/a', path: '/c' },
        { op: 'replace', path: '/c/b', value: 2 },
      ],
      { a: { b: 1 }, c: { b: 2 } },
    );
  });

  it('tests by deep equality, a missing member equals null, negative indexes allowed', () => {
    ok({ a: { x: [1, { y: 2 }] } }, [{ op: 'test', path: '/a', value: { x: [1, { y: 2 }] } }], { a: { x: [1, { y: 2 }] } });
    ok({ baz: 'qux' }, [{ op: 'test', path: '/foo', value: null }], { baz: 'qux' });
    ok({ f: ['a', 'b'] }, [{ op: 'test', path: '/f/-1', value: 'b' }], { f: ['a', 'b'] });
    fails({ metadata: { name: 'podA' } }, [{ op: 'test', path: '/metadata/name', value: 'podB' }], /test failed/);
    fails({}, [{ op: 'test', path: '/invalid/path', value: 'podA' }]);
  });

  it('decodes ~1 and ~0 in pointers', () => {
    assert.deepEqual(parsePointer('/metadata/labels/app.kubernetes.io~1name'), ['root', 'metadata', 'labels', 'app.kubernetes.io/name']);
    assert.deepEqual(parsePointer('/a~01'), ['root', 'a~1']);
    ok(
      { metadata: { labels: { 'a/b': 'x', 'c~d': 'y' } } },
      [
        { op: 'remove', path: '/metadata/labels/a~1b' },
        { op: 'replace', path: '/metadata/labels/c~0d', value: 'z' },
      ],
      { metadata: { labels: { 'c~d': 'z' } } },
    );
  });

  it('rejects pointers without a leading slash, unknown ops and missing paths', () => {
    fails({}, [{ op: 'add', path: 'a', value: 1 }], /invalid JSON pointer/);
    fails({}, [{ op: 'frobnicate', path: '/a' }], /^Unexpected kind: frobnicate$/);
    fails({}, [{ op: 'add', value: 1 }], /missing path/);
    fails({}, ['not an op']);
  });

  it('applies nothing when a later operation fails (the input is never modified)', () => {
    const doc = { a: 1 };
    fails(doc, [
      { op: 'replace', path: '/a', value: 2 },
      { op: 'test', path: '/a', value: 3 },
    ]);
    assert.deepEqual(doc, { a: 1 });
  });
});
