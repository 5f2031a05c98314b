// EtcdStorage and the compactor against a real etcd: what only the etcd3 implementation does (one shared
// client and watch stream, JSON readable by etcdctl, leases, compaction, etcd restarts). What every storage
// must do is the contract suite in storage-contract.test.ts.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { KubeObject, WatchHandle } from '../../src/storage/interface.js';
import { EtcdStorage } from '../../src/storage/etcd3/store.js';
import { startCompactor } from '../../src/storage/etcd3/compactor.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { configMap, rejectsWith, Recorder } from '../support/storage-contract.js';

const run = promisify(execFile);

describe('storage/etcd3 against a real etcd', function () {
  this.timeout(30_000);
  let etcd: EtcdProcess;
  let storage: EtcdStorage;
  let n = 0;
  /** A fresh key prefix per test, ending with '/'. */
  const freshPrefix = (): string => `/registry/configmaps/t${++n}-${process.pid}/`;

  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage({ servers: [etcd.endpoint] });
  });

  after(async () => {
    await storage?.close();
    await etcd?.stop();
  });

  it('many concurrent watches share the client and each sees only its own keys', async () => {
    const prefix = freshPrefix();
    const recorders = Array.from({ length: 25 }, () => new Recorder());
    const handles: WatchHandle[] = await Promise.all(
      recorders.map((r, i) => storage.watch(`${prefix}${i}/`, { afterRevision: 0, prefix: true }, r.sink)),
    );
    try {
      await Promise.all(recorders.map((_, i) => storage.create(`${prefix}${i}/obj`, configMap(`obj${i}`))));
      await Promise.all(recorders.map((r) => r.next(1)));
      recorders.forEach((r, i) => {
        assert.deepEqual(
          r.events.map((e) => e.key),
          [`${prefix}${i}/obj`],
        );
      });
    } finally {
      await Promise.all(handles.map((h) => h.stop()));
    }
  });

  it('stores JSON with apiVersion and kind and without resourceVersion, readable by etcdctl', async () => {
    const key = `${freshPrefix()}raw`;
    await storage.create(key, configMap('raw', { hello: 'world' }, '12345'));
    const { stdout } = await run('etcdctl', ['--endpoints', etcd.endpoint, 'get', key, '--print-value-only'], {
      env: { ...process.env, ETCDCTL_API: '3' },
    });
    const stored = JSON.parse(stdout.trim()) as KubeObject;
    assert.equal(stored.apiVersion, 'v1');
    assert.equal(stored.kind, 'ConfigMap');
    assert.deepEqual(stored.data, { hello: 'world' });
    assert.equal(stored.metadata?.name, 'raw');
    assert.equal('resourceVersion' in (stored.metadata ?? {}), false);
  });

  it('attaches a lease when leaseSeconds is given, reusing it for a burst', async () => {
    const prefix = freshPrefix();
    await storage.create(`${prefix}e1`, configMap('e1'), { leaseSeconds: 3600 });
    await storage.create(`${prefix}e2`, configMap('e2'), { leaseSeconds: 3600 });
    await storage.create(`${prefix}plain`, configMap('plain'));
    const res = await storage.client.kv.range({ key: Buffer.from(prefix), range_end: Buffer.from(prefix.slice(0, -1) + '0') });
    const leases = res.kvs.map((kv) => kv.lease);
    assert.notEqual(leases[0], '0');
    assert.equal(leases[1], leases[0]);
    assert.equal(leases[2], '0');
    const ttl = await storage.client.leaseClient.leaseTimeToLive({ ID: leases[0] });
    assert.ok(Number(ttl.TTL) > 3600 && Number(ttl.TTL) <= 3600 + 60, `TTL ${ttl.TTL}`);
  });

  it('the compactor: only the gateway that wins the CAS compacts, to the revision of the previous interval', async () => {
    const prefix = freshPrefix();
    const a = startCompactor(storage, 0);
    const b = startCompactor(storage, 0);
    try {
      await storage.create(`${prefix}one`, configMap('one'));
      await a.tick(); // wins (version 0 → 1), records the revision, no compaction on bootstrap
      const recorded = await storage.currentRevision();
      await b.tick(); // loses the CAS, adopts version 1
      const versionKey = Buffer.from('compact_rev_key');
      const afterFirst = await storage.client.kv.range({ key: versionKey });
      const versionAfterFirst = Number(afterFirst.kvs[0].version);

      await storage.create(`${prefix}two`, configMap('two'));
      await a.tick(); // wins again and compacts to `recorded`
      const afterSecond = await storage.client.kv.range({ key: versionKey });
      assert.equal(Number(afterSecond.kvs[0].version), versionAfterFirst + 1);
      const err = await rejectsWith(storage.list(prefix, { revision: recorded - 1 }), 'Compacted');
      assert.equal(err.revision, recorded);
      assert.equal((await storage.list(prefix, { revision: recorded })).items.length, 1);

      await b.tick(); // its version is stale now: loses, compacts nothing
      const afterThird = await storage.client.kv.range({ key: versionKey });
      assert.equal(Number(afterThird.kvs[0].version), versionAfterFirst + 1);
    } finally {
      a.stop();
      b.stop();
    }
  });

  describe('when etcd goes away', () => {
    let flaky: EtcdProcess;
    let flakyStorage: EtcdStorage;

    before(async () => {
      flaky = await startEtcd({ extraArgs: ['--experimental-watch-progress-notify-interval=200ms'] });
      flakyStorage = new EtcdStorage({ servers: [flaky.endpoint], requestTimeoutMs: 2000 }, { probeTimeoutMs: 1000 });
    });

    after(async () => {
      await flakyStorage?.close();
      await flaky?.stop();
    });

    it('a quiet watch gets progress notifications at the current revision', async () => {
      const recorder = new Recorder();
      const current = await flakyStorage.currentRevision();
      const handle = await flakyStorage.watch(freshPrefix(), { afterRevision: 0, prefix: true }, recorder.sink);
      await recorder.until(() => recorder.progress.length > 0);
      await handle.stop();
      assert.equal(recorder.progress[0], current);
      assert.equal(recorder.events.length, 0);
    });

    it('a watch resumes without losing events after etcd restarts', async () => {
      assert.equal(await flakyStorage.healthy(), true);
      const prefix = freshPrefix();
      const recorder = new Recorder();
      const handle = await flakyStorage.watch(prefix, { afterRevision: 0, prefix: true }, recorder.sink);
      const first = await flakyStorage.create(`${prefix}before`, configMap('before'));
      await recorder.next(1);

      await flaky.restart(); // same data, same ports
      const second = await flakyStorage.create(`${prefix}after`, configMap('after'));
      await recorder.next(2);
      assert.deepEqual(
        recorder.events.map((e) => [e.type, e.revision]),
        [
          ['ADDED', Number(first.metadata?.resourceVersion)],
          ['ADDED', Number(second.metadata?.resourceVersion)],
        ],
      );
      await handle.stop();
    });

    it('maps a dead etcd to Unreachable', async () => {
      const deadStorage = new EtcdStorage({ servers: ['http://127.0.0.1:1'], requestTimeoutMs: 1000 }, { probeTimeoutMs: 500 });
      try {
        assert.equal(await deadStorage.healthy(), false);
        await rejectsWith(deadStorage.get('/registry/x'), 'Unreachable');
        await rejectsWith(deadStorage.create('/registry/x', configMap('x')), 'Unreachable');
      } finally {
        await deadStorage.close();
      }
    });
  });
});
