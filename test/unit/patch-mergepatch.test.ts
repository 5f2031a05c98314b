// JSON Merge Patch engine (RFC 7386 with json-patch v4's null pruning), cases from the library's
// merge_test.go as listed in patch-semantics.md §3.
import assert from 'node:assert/strict';
import { applyMergePatch, mergePatchText } from '../../src/registry/patch/mergepatch.js';
import type { JSONValue } from '../../src/apimachinery/objects.js';

const cases: { name: string; doc: JSONValue; patch: JSONValue; want: JSONValue }[] = [
  { name: 'replaces a scalar member', doc: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'adds a member', doc: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
  { name: 'null deletes a member', doc: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
  { name: 'null for an absent member is dropped', doc: { a: 'b' }, patch: { z: null }, want: { a: 'b' } },
  { name: 'merges objects recursively', doc: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, want: { a: { b: 'd' } } },
  { name: 'arrays replace wholesale', doc: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
  { name: 'nulls inside arrays stay', doc: { a: [{ b: 'c' }] }, patch: { a: [null, 1] }, want: { a: [null, 1] } },
  { name: 'a scalar replaces an array', doc: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'an object replaces a scalar, pruned of nulls', doc: { a: 'foo' }, patch: { a: { bb: { ccc: null } } }, want: { a: { bb: {} } } },
  { name: 'nulls in an added subtree are pruned', doc: {}, patch: { a: { bb: { ccc: null } } }, want: { a: { bb: {} } } },
  {
    name: 'labels: null removes one key, others stay',
    doc: { metadata: { labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { a: null, c: '3' } } },
    want: { metadata: { labels: { b: '2', c: '3' } } },
  },
  { name: 'a non-object patch replaces the document', doc: { a: 1 }, patch: ['x'], want: ['x'] },
  { name: 'an empty patch changes nothing', doc: { a: { b: [1, 2] } }, patch: {}, want: { a: { b: [1, 2] } } },
];

describe('JSON merge patch (RFC 7386, json-patch v4)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const docBefore = structuredClone(c.doc);
      assert.deepEqual(applyMergePatch(c.doc, c.patch), c.want);
      assert.deepEqual(c.doc, docBefore, 'input document untouched');
    });
  }
});

// The text MergePatch writes (kube quotes it when the result does not decode): the document and the objects the
// patch merges into or prunes are re-marshalled as Go maps (sorted keys), everything else keeps its text.
const texts: { name: string; doc: JSONValue; patch: JSONValue; want: string }[] = [
  {
    name: 'the document is a sorted map; untouched members keep their order',
    doc: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', labels: { b: '1', a: '2' } } },
    patch: { spec: { z: 1, a: null } },
    want: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"b":"1","a":"2"}},"spec":{"z":1}}',
  },
  {
    name: 'an object merged into is sorted, its untouched members keep their text',
    doc: { metadata: { name: 'p', labels: { b: '1', a: '2' } } },
    patch: { metadata: { uid: 'u' } },
    want: '{"metadata":{"labels":{"b":"1","a":"2"},"name":"p","uid":"u"}}',
  },
  {
    name: 'a value replacing a non-object is pruned and sorted at every depth',
    doc: { a: [1] },
    patch: { a: { y: { d: 1, c: null }, x: [{ q: 1, p: null }, null] } },
    want: '{"a":{"x":[{"q":1},null],"y":{"d":1}}}',
  },
  {
    name: 'a non-object replacing an object keeps its text',
    doc: { a: { b: 1 } },
    patch: { a: [{ z: 1, y: null }] },
    want: '{"a":[{"z":1,"y":null}]}',
  },
  { name: "Go's HTML-safe escapes", doc: { a: '<&>' }, patch: { b: 'x' }, want: '{"a":"\\u003c\\u0026\\u003e","b":"x"}' },
  { name: 'keys sort bytewise', doc: {}, patch: { '\u{1F600}': 1, '\uFF61': 2 }, want: '{"\uFF61":2,"\u{1F600}":1}' },
];

describe('JSON merge patch text (json-patch v4 MergePatch output)', () => {
  for (const c of texts) it(c.name, () => assert.equal(mergePatchText(c.doc, c.patch), c.want));
});
