// Runs the one storage contract suite (test/support/storage-contract.ts) against both implementations of
// src/storage/interface.ts, as kube runs its storage/testing suite against etcd3 and the cacher: EtcdStorage
// alone, and CachedStorage decorating an EtcdStorage with the contract's keys cached.
import assert from 'node:assert/strict';
import { CachedStorage } from '../../src/storage/cacher/index.js';
import { EtcdStorage } from '../../src/storage/etcd3/store.js';
import { startEtcd } from '../support/etcd.js';
import { CONTRACT_PREFIX, runStorageContract } from '../support/storage-contract.js';

runStorageContract('etcd3 (EtcdStorage)', async (etcd) => ({ storage: new EtcdStorage({ servers: [etcd.endpoint] }) }));

runStorageContract('cacher (CachedStorage over EtcdStorage)', async (etcd) => {
  // kube's cacher waits 3 s for a revision it has not seen before answering TooLargeResourceVersion.
  const cacher = new CachedStorage(new EtcdStorage({ servers: [etcd.endpoint] }), { prefixes: [CONTRACT_PREFIX], maxWaitMs: 3000 });
  await cacher.start();
  // Otherwise every call would fall through to etcd and the suite would test EtcdStorage twice.
  assert.equal(cacher.isSynced, true);
  return { storage: cacher };
});

describe('cacher: stale lists', function () {
  it('an allowStale list is answered from memory, with no etcd round trip; a consistent one asks etcd its revision', async function () {
    const etcd = await startEtcd();
    let revisionCalls = 0;
    let listCalls = 0;
    // Counts what the cache asks etcd once it is synced.
    class Counting extends EtcdStorage {
      override currentRevision(): Promise<number> {
        revisionCalls++;
        return super.currentRevision();
      }
      override list(...args: Parameters<EtcdStorage['list']>) {
        listCalls++;
        return super.list(...args);
      }
    }
    const cacher = new CachedStorage(new Counting({ servers: [etcd.endpoint] }), { prefixes: [CONTRACT_PREFIX] });
    try {
      await cacher.start();
      const key = `${CONTRACT_PREFIX}stale/a`;
      const created = await cacher.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
      assert.equal(await cacher.waitForRevision(Number(created.metadata!.resourceVersion), 10_000), true);
      revisionCalls = 0;
      listCalls = 0;
      const stale = await cacher.list(`${CONTRACT_PREFIX}stale/`, { allowStale: true });
      assert.deepEqual(
        stale.items.map((o) => o.metadata?.name),
        ['a'],
      );
      assert.deepEqual([revisionCalls, listCalls], [0, 0]);
      await cacher.list(`${CONTRACT_PREFIX}stale/`);
      assert.deepEqual([revisionCalls, listCalls], [1, 0]);
    } finally {
      await cacher.close();
      await etcd.stop();
    }
  });
});
