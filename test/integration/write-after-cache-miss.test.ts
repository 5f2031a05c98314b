// A write whose object the watch cache has not seen yet (written straight into etcd a moment ago) must still find
// it: the cache's miss is confirmed against etcd before the patch or update runs, never answered as a 404.
import assert from 'node:assert/strict';
import { Etcd3 } from 'etcd3';
import { startKgate, type Kgate } from '../support/kgate.js';

describe('writes right after an object appears in etcd', function () {
  this.timeout(120_000);
  let kg: Kgate;
  let client: Etcd3;
  before(async () => {
    kg = await startKgate();
    client = new Etcd3({ hosts: kg.etcd.endpoint });
  });
  after(async () => {
    client?.close();
    await kg?.close();
  });

  it('PATCH and PUT find objects the cache has not caught up with (50 rounds)', async () => {
    for (let i = 0; i < 50; i++) {
      const name = `fresh-${i}`;
      const cm = {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name, namespace: 'default', uid: `u-${i}`, creationTimestamp: '2026-01-01T00:00:00Z' },
        data: { n: '0' },
      };
      await client.put(`/registry/configmaps/default/${name}`).value(JSON.stringify(cm));
      const patched = await kg.request('PATCH', `/api/v1/namespaces/default/configmaps/${name}`, {
        raw: JSON.stringify({ data: { n: '1' } }),
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      assert.equal(patched.status, 200, `round ${i}: ${patched.text}`);
      assert.equal(patched.body.data.n, '1');

      const other = `put-${i}`;
      await client.put(`/registry/configmaps/default/${other}`).value(JSON.stringify({ ...cm, metadata: { ...cm.metadata, name: other } }));
      const put = await kg.request('PUT', `/api/v1/namespaces/default/configmaps/${other}`, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: other }, data: { n: '2' } },
      });
      assert.equal(put.status, 200, `round ${i}: ${put.text}`);
    }
  });
});
