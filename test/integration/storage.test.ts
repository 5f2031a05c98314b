// EtcdStorage and the compactor against a real etcd started by the test harness.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { StorageError, type KubeObject, type StorageEvent, type WatchHandle } from '../../src/storage/interface.js';
import { EtcdStorage } from '../../src/storage/etcd3/store.js';
import { startCompactor } from '../../src/storage/etcd3/compactor.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';

const run = promisify(execFile);

function configMap(name: string, data: Record<string, string> = {}, resourceVersion?: string): KubeObject {
  const metadata: Record<string, unknown> = { name, namespace: 'default', uid: `uid-${name}` };
  if (resourceVersion !== undefined) metadata.resourceVersion = resourceVersion;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

async function rejectsWith(promise: Promise<unknown>, code: StorageError['code']): Promise<StorageError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof StorageError, `expected StorageError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected StorageError ${code}, but it resolved`);
}

/** Collects watch events; `next(n)` resolves once n events (in total) have arrived. */
class Recorder {
  readonly events: StorageEvent[] = [];
  readonly progress: number[] = [];
  error: StorageError | undefined;
  private waiters: Array<() => void> = [];

  readonly sink = {
    onEvent: (event: StorageEvent) => {
      this.events.push(event);
      this.wake();
    },
    onError: (err: StorageError) => {
      this.error = err;
      this.wake();
    },
    onProgress: (revision: number) => {
      this.progress.push(revision);
      this.wake();
    },
  };

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  next(n: number): Promise<void> {
    return this.until(() => this.events.length >= n || this.error !== undefined);
  }
}

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

  it('creates once; a second create is KeyExists', async () => {
    const key = `${freshPrefix()}a`;
    const created = await storage.create(key, configMap('a', { x: '1' }));
    const rv = Number(created.metadata?.resourceVersion);
    assert.ok(rv > 0);
    const got = await storage.get(key);
    assert.deepEqual(got, configMap('a', { x: '1' }, String(rv)));
    await rejectsWith(storage.create(key, configMap('a')), 'KeyExists');
    assert.equal(await storage.get(`${key}-missing`), undefined);
  });

  it('update is a CAS on the mod revision: stale is Conflict, missing is KeyNotFound', async () => {
    const key = `${freshPrefix()}b`;
    const created = await storage.create(key, configMap('b', { v: '1' }));
    const rv1 = Number(created.metadata?.resourceVersion);
    const updated = await storage.update(key, rv1, configMap('b', { v: '2' }, String(rv1)));
    const rv2 = Number(updated.metadata?.resourceVersion);
    assert.ok(rv2 > rv1);
    assert.deepEqual((await storage.get(key))?.data, { v: '2' });
    const conflict = await rejectsWith(storage.update(key, rv1, configMap('b', { v: '3' })), 'Conflict');
    assert.equal(conflict.revision, rv2);
    assert.deepEqual((await storage.get(key))?.data, { v: '2' });
    await rejectsWith(storage.update(`${key}-missing`, rv1, configMap('c')), 'KeyNotFound');
  });

  it('delete is a CAS and returns the last state at the deletion revision', async () => {
    const key = `${freshPrefix()}d`;
    const created = await storage.create(key, configMap('d', { k: 'v' }));
    const rv = Number(created.metadata?.resourceVersion);
    await rejectsWith(storage.delete(key, rv - 1), 'Conflict');
    const deleted = await storage.delete(key, rv);
    const deletedAt = Number(deleted.metadata?.resourceVersion);
    assert.ok(deletedAt > rv);
    assert.equal(deletedAt, await storage.currentRevision());
    assert.deepEqual(deleted.data, { k: 'v' });
    assert.equal(await storage.get(key), undefined);
    await rejectsWith(storage.delete(key, rv), 'KeyNotFound');
  });

  it('lists pages with limit/startAfterKey at one revision, with remainingItemCount', async () => {
    const prefix = freshPrefix();
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const rvs = new Map<string, string>();
    for (const name of names) {
      const obj = await storage.create(`${prefix}${name}`, configMap(name, { name }));
      rvs.set(name, obj.metadata?.resourceVersion as string);
    }
    assert.equal(await storage.count(prefix), 7);

    const page1 = await storage.list(prefix, { limit: 3 });
    assert.deepEqual(page1.items.map((o) => o.metadata?.name), ['a', 'b', 'c']);
    assert.equal(page1.items[1].metadata?.resourceVersion, rvs.get('b'));
    assert.equal(page1.lastKey, `${prefix}c`);
    assert.equal(page1.remainingItemCount, 4);

    // Changes after the first page must not show up in later pages of the same list.
    const e = await storage.get(`${prefix}e`);
    await storage.update(`${prefix}e`, Number(e?.metadata?.resourceVersion), configMap('e', { name: 'changed' }));
    await storage.create(`${prefix}ee`, configMap('ee'));

    const page2 = await storage.list(prefix, { limit: 3, startAfterKey: page1.lastKey, revision: page1.revision });
    assert.deepEqual(page2.items.map((o) => o.metadata?.name), ['d', 'e', 'f']);
    assert.deepEqual(page2.items[1].data, { name: 'e' });
    assert.equal(page2.items[1].metadata?.resourceVersion, rvs.get('e'));
    assert.equal(page2.revision, page1.revision);
    assert.equal(page2.remainingItemCount, 1);

    const page3 = await storage.list(prefix, { limit: 3, startAfterKey: page2.lastKey, revision: page1.revision });
    assert.deepEqual(page3.items.map((o) => o.metadata?.name), ['g']);
    assert.equal(page3.lastKey, undefined);
    assert.equal(page3.remainingItemCount, undefined);

    const all = await storage.list(prefix);
    assert.deepEqual(all.items.map((o) => o.metadata?.name), ['a', 'b', 'c', 'd', 'e', 'ee', 'f', 'g']);
    assert.equal(all.revision, await storage.currentRevision());
    // A sibling prefix that merely starts with the same characters is not included.
    assert.equal((await storage.list(prefix.slice(0, -1) + 'x/')).items.length, 0);
  });

  it('a list at a compacted revision is Compacted; a future revision is TooLargeResourceVersion', async () => {
    const prefix = freshPrefix();
    const first = await storage.create(`${prefix}x`, configMap('x'));
    const oldRevision = Number(first.metadata?.resourceVersion);
    await storage.create(`${prefix}y`, configMap('y'));
    const compactor = startCompactor(storage, 0);
    const compactedTo = await compactor.compactNow();
    compactor.stop();
    const err = await rejectsWith(storage.list(prefix, { revision: oldRevision }), 'Compacted');
    assert.equal(err.revision, compactedTo);
    // The compact revision itself is still readable.
    assert.equal((await storage.list(prefix, { revision: compactedTo })).items.length, 2);
    const current = await storage.currentRevision();
    const future = await rejectsWith(storage.list(prefix, { revision: current + 1000 }), 'TooLargeResourceVersion');
    assert.equal(future.revision, current);
  });

  it('watch delivers ADDED, MODIFIED, DELETED in order with their revisions', async () => {
    const prefix = freshPrefix();
    const recorder = new Recorder();
    const handle = await storage.watch(prefix, { afterRevision: 0, prefix: true }, recorder.sink);
    try {
      const key = `${prefix}w`;
      const created = await storage.create(key, configMap('w', { step: '1' }));
      const rv1 = Number(created.metadata?.resourceVersion);
      const updated = await storage.update(key, rv1, configMap('w', { step: '2' }));
      const rv2 = Number(updated.metadata?.resourceVersion);
      const deleted = await storage.delete(key, rv2);
      const rv3 = Number(deleted.metadata?.resourceVersion);
      await storage.create(`${prefix.slice(0, -1)}-other/z`, configMap('z')); // outside the prefix
      await recorder.next(3);

      assert.equal(recorder.error, undefined);
      assert.deepEqual(
        recorder.events.map((e) => [e.type, e.key, e.revision, e.object.metadata?.resourceVersion, e.object.data?.step]),
        [
          ['ADDED', key, rv1, String(rv1), '1'],
          ['MODIFIED', key, rv2, String(rv2), '2'],
          ['DELETED', key, rv3, String(rv3), '2'],
        ],
      );
      assert.equal(recorder.events[1].prevObject?.metadata?.resourceVersion, String(rv1));
      assert.equal(recorder.events[2].prevObject?.metadata?.resourceVersion, String(rv2));
      assert.equal(recorder.events[0].object.kind, 'ConfigMap');

      // A watch from a past revision replays history after it; a single-key watch sees only that key.
      const replay = new Recorder();
      const replayHandle = await storage.watch(key, { afterRevision: rv1, prefix: false }, replay.sink);
      await replay.next(2);
      await replayHandle.stop();
      assert.deepEqual(replay.events.map((e) => [e.type, e.revision]), [['MODIFIED', rv2], ['DELETED', rv3]]);

      // Re-creating a deleted key is ADDED again (version restarts at 1).
      await storage.create(key, configMap('w', { step: 'again' }));
      await recorder.next(4);
      assert.equal(recorder.events[3].type, 'ADDED');
    } finally {
      await handle.stop();
    }
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
        assert.deepEqual(r.events.map((e) => e.key), [`${prefix}${i}/obj`]);
      });
    } finally {
      await Promise.all(handles.map((h) => h.stop()));
    }
  });

  it('a watch from a compacted revision ends with onError(Compacted) carrying the compact revision', async () => {
    const prefix = freshPrefix();
    const old = await storage.create(`${prefix}c`, configMap('c'));
    await storage.create(`${prefix}d`, configMap('d'));
    const compactor = startCompactor(storage, 0);
    const compactedTo = await compactor.compactNow();
    compactor.stop();
    const recorder = new Recorder();
    const handle = await storage.watch(prefix, { afterRevision: Number(old.metadata?.resourceVersion) - 1, prefix: true }, recorder.sink);
    await recorder.until(() => recorder.error !== undefined);
    await handle.stop();
    assert.equal(recorder.events.length, 0);
    assert.equal(recorder.error?.code, 'Compacted');
    assert.equal(recorder.error?.revision, compactedTo);

    // The client's shared watch stream still works for new watches afterwards.
    const after = new Recorder();
    const afterHandle = await storage.watch(prefix, { afterRevision: compactedTo, prefix: true }, after.sink);
    await storage.create(`${prefix}e`, configMap('e'));
    await after.next(1);
    await afterHandle.stop();
    assert.deepEqual(after.events.map((e) => [e.type, e.key]), [['ADDED', `${prefix}e`]]);
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

  it('50 parallel CAS-retry increments end with the right count', async () => {
    const key = `${freshPrefix()}counter`;
    await storage.create(key, configMap('counter', { n: '0' }));
    let conflicts = 0;
    const increment = async (): Promise<void> => {
      for (;;) {
        const current = await storage.get(key);
        assert.ok(current);
        const next = { ...current, data: { n: String(Number(current.data?.n) + 1) } };
        try {
          await storage.update(key, Number(current.metadata?.resourceVersion), next);
          return;
        } catch (err) {
          if (!(err instanceof StorageError && err.code === 'Conflict')) throw err;
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, increment));
    assert.equal((await storage.get(key))?.data?.n, '50');
    assert.ok(conflicts > 0, 'parallel increments should have collided at least once');
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
        [['ADDED', Number(first.metadata?.resourceVersion)], ['ADDED', Number(second.metadata?.resourceVersion)]],
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
