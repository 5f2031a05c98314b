// What storage writes to etcd and what a write returns: the value is the object's JSON without resourceVersion, and
// the returned object's text (recorded so the response is not serialized twice) is exactly JSON.stringify of it.
import assert from 'node:assert/strict';
import { knownJSON, rememberJSON } from '../../src/apimachinery/json-text.js';
import { encodeObject, encodeWrite, withRevision } from '../../src/storage/etcd3/codec.js';
import type { KubeObject } from '../../src/storage/interface.js';

const CASES: { title: string; obj: KubeObject }[] = [
  {
    title: 'a typed object (resourceVersion after uid)',
    obj: {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'p', namespace: 'ns', uid: 'u', creationTimestamp: 't', labels: { a: 'b' } },
      spec: {},
    },
  },
  {
    title: 'a typed object that still carries a resourceVersion',
    obj: {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'c', resourceVersion: '7', uid: 'u', generation: 2 },
      data: { x: '"resourceVersion":"kgate:resourceVersion"' },
    },
  },
  { title: 'a typed object whose metadata ends at uid', obj: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'n', uid: 'u' } } },
  {
    title: 'a custom resource (sorted metadata keys)',
    obj: { apiVersion: 'x.io/v1', kind: 'Thing', metadata: { annotations: {}, name: 't', uid: 'u' }, spec: { a: 1 } },
  },
  {
    title: 'a custom resource whose keys all sort after resourceVersion',
    obj: { apiVersion: 'x.io/v1', kind: 'Thing', metadata: { uid: 'u' } },
  },
  { title: 'empty metadata', obj: { kind: 'Thing', apiVersion: 'x.io/v1', metadata: {} } },
  { title: 'no metadata', obj: { kind: 'Thing', apiVersion: 'x.io/v1' } },
  {
    title: 'strings Go escapes',
    obj: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c<&>' }, data: { html: '<b>&amp;</b>\u2028' } },
  },
];

describe('storage codec: one serialization per write', () => {
  for (const { title, obj } of CASES) {
    it(`${title}: the stored value is the object without resourceVersion`, () => {
      assert.equal(encodeWrite(obj).value.toString('utf8'), encodeObject(obj).toString('utf8'));
    });
    it(`${title}: the written object's text is JSON.stringify of the object with its revision`, () => {
      assert.equal(encodeWrite(obj).textWithRevision('12345'), JSON.stringify(withRevision(obj, '12345')));
    });
  }

  it('remembers a text per object, for that object only', () => {
    const a = { kind: 'A' };
    rememberJSON(a, '{"kind":"A"}');
    assert.equal(knownJSON(a), '{"kind":"A"}');
    assert.equal(knownJSON({ kind: 'A' }), undefined);
  });
});
