// Runs the one storage contract suite (test/support/storage-contract.ts) against both implementations of
// src/storage/interface.ts, as kube runs its storage/testing suite against etcd3 and the cacher: EtcdStorage
// alone, and CachedStorage decorating an EtcdStorage with the contract's keys cached.
import assert from 'node:assert/strict';
import { CachedStorage } from '../../src/storage/cacher/index.js';
import { EtcdStorage } from '../../src/storage/etcd3/store.js';
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
