// The storage contract (src/storage/interface.ts) as one suite that every implementation must pass, the way kube
// runs RunTestCreate, RunTestGet, RunTestList, RunTestGuaranteedUpdate, RunTestDelete, RunTestWatch… against
// both its etcd3 store and its cacher (k8s.io/apiserver/pkg/storage/testing/store_tests.go and
// watcher_tests.go). Each implementation runs over its own real etcd; a second, raw etcd3 client plays "someone
// else" (another gateway, etcdctl) writing, deleting and compacting behind the storage's back.
//
// Where kgate's interface is narrower than kube's, the cases follow what kgate offers: preconditions are the
// expected mod revision, GuaranteedUpdate is the caller's read-modify-CAS loop, and a watch from revision 0
// starts "from now" (kube's initial ADDED events are built by the watch handler, not by storage).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import {
  StorageError,
  type KubeObject,
  type Storage,
  type StorageEvent,
  type WatchHandle,
  type WatchOptions,
} from '../../src/storage/interface.js';
import { startEtcd, type EtcdProcess } from './etcd.js';

/** Every key the suite writes lives under this prefix; an implementation that caches must cache it. */
export const CONTRACT_PREFIX = '/registry/contract/';

export interface ContractStorage {
  storage: Storage;
  /** Stops whatever makeStorage started (the storage's close is called by the suite first). */
  cleanup?(): Promise<void>;
}

export type MakeStorage = (etcd: EtcdProcess) => Promise<ContractStorage>;

export function configMap(name: string, data: Record<string, string> = {}, resourceVersion?: string): KubeObject {
  const metadata: Record<string, unknown> = { name, namespace: 'contract', uid: `uid-${name}` };
  if (resourceVersion !== undefined) metadata.resourceVersion = resourceVersion;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

export const rvOf = (obj: KubeObject | undefined): number => Number(obj?.metadata?.resourceVersion);

/** Resolves with the StorageError the promise rejected with; fails the test if it resolved or threw something else. */
export async function rejectsWith(promise: Promise<unknown>, code: StorageError['code']): Promise<StorageError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof StorageError, `expected StorageError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected StorageError ${code}, but it resolved`);
}

/** Collects a watch's events, errors and progress notifications; waits on conditions, never on time. */
export class Recorder {
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

  /** Resolves once n events in total have arrived, or the watch failed. */
  next(n: number): Promise<void> {
    return this.until(() => this.events.length >= n || this.error !== undefined);
  }
}

/** [type, key, revision, object's resourceVersion, data.v]: what a caller acts on, in one comparable row. */
const row = (e: StorageEvent) => [e.type, e.key, e.revision, e.object.metadata?.resourceVersion, e.object.data?.v];

export function runStorageContract(name: string, makeStorage: MakeStorage): void {
  describe(`storage contract: ${name}`, function () {
    this.timeout(60_000);
    let etcd: EtcdProcess;
    let made: ContractStorage;
    let storage: Storage;
    /** "Someone else": writes, deletes and compactions the storage only learns about from etcd. */
    let raw: Etcd3;
    let n = 0;
    const run = randomBytes(3).toString('hex');
    /** A key prefix of this test's own, ending with '/': no test reads what another wrote. */
    const freshPrefix = (): string => `${CONTRACT_PREFIX}${run}-${++n}/`;
    const watches: WatchHandle[] = [];
    const watch = async (key: string, opts: WatchOptions, recorder: Recorder): Promise<WatchHandle> => {
      const handle = await storage.watch(key, opts, recorder.sink);
      watches.push(handle);
      return handle;
    };
    /** A watch's outcome when it cannot start: the call rejects, or the sink hears onError before any event. */
    const watchFailure = async (key: string, opts: WatchOptions): Promise<{ error: StorageError; events: StorageEvent[] }> => {
      const recorder = new Recorder();
      try {
        await watch(key, opts, recorder);
      } catch (err) {
        assert.ok(err instanceof StorageError, String(err));
        return { error: err, events: recorder.events };
      }
      await recorder.until(() => recorder.error !== undefined);
      return { error: recorder.error!, events: recorder.events };
    };
    const compact = async (): Promise<number> => {
      const revision = await storage.currentRevision();
      await raw.kv.compact({ revision, physical: true });
      return revision;
    };

    before(async function () {
      // Progress notifications every 200 ms, so an idle watch hears how far it is current without waiting minutes.
      etcd = await startEtcd({ extraArgs: ['--experimental-watch-progress-notify-interval=200ms'] });
      raw = new Etcd3({ hosts: etcd.endpoint });
      made = await makeStorage(etcd);
      storage = made.storage;
    });
    afterEach(async function () {
      await Promise.all(watches.splice(0).map((h) => h.stop()));
    });
    after(async function () {
      await storage?.close();
      await made?.cleanup?.();
      raw?.close();
      await etcd?.stop();
    });

    describe('create (RunTestCreate, RunTestCreateWithKeyExist)', function () {
      it('returns the object with its etcd revision as resourceVersion, and get reads the same', async function () {
        const key = `${freshPrefix()}foo`;
        assert.equal(await storage.get(key), undefined);
        const created = await storage.create(key, configMap('foo', { v: '1' }));
        assert.ok(rvOf(created) > 0);
        assert.equal(rvOf(created), await storage.currentRevision());
        assert.deepEqual(created, configMap('foo', { v: '1' }, String(rvOf(created))));
        assert.deepEqual(await storage.get(key), created);
      });

      it('a second create of the same key is KeyExists and leaves the first object', async function () {
        const key = `${freshPrefix()}foo`;
        const first = await storage.create(key, configMap('foo', { v: '1' }));
        const err = await rejectsWith(storage.create(key, configMap('foo', { v: '2' })), 'KeyExists');
        assert.equal(err.key, key);
        assert.deepEqual(await storage.get(key), first);
      });

      it('a create of a key someone else wrote is KeyExists', async function () {
        const key = `${freshPrefix()}foo`;
        await raw.put(key).value(JSON.stringify(configMap('foo')));
        await rejectsWith(storage.create(key, configMap('foo')), 'KeyExists');
      });

      it('never stores resourceVersion: etcd holds the JSON without it, whatever the input carried', async function () {
        const key = `${freshPrefix()}foo`;
        const created = await storage.create(key, configMap('foo', { v: '1' }, '12345'));
        assert.notEqual(created.metadata?.resourceVersion, '12345');
        const stored = JSON.parse((await raw.get(key).string())!) as KubeObject;
        assert.deepEqual(stored, configMap('foo', { v: '1' }));
        const updated = await storage.update(key, rvOf(created), created);
        const storedAgain = JSON.parse((await raw.get(key).string())!) as KubeObject;
        assert.equal('resourceVersion' in storedAgain.metadata!, false);
        assert.equal(rvOf(updated), rvOf(await storage.get(key)));
      });

      it("does not change the caller's object", async function () {
        const key = `${freshPrefix()}foo`;
        const input = configMap('foo', { v: '1' }, '7');
        const copy = structuredClone(input);
        await storage.create(key, input);
        assert.deepEqual(input, copy);
      });
    });

    describe('get (RunTestGet)', function () {
      it('a missing key is undefined, not an error', async function () {
        assert.equal(await storage.get(`${freshPrefix()}non-existing`), undefined);
        assert.equal(await storage.get(`${freshPrefix()}non-existing`, { allowStale: true }), undefined);
      });

      it('resourceVersion is the mod revision of the last write, not the create revision', async function () {
        const prefix = freshPrefix();
        const created = await storage.create(`${prefix}foo`, configMap('foo', { v: '1' }));
        const updated = await storage.update(`${prefix}foo`, rvOf(created), configMap('foo', { v: '2' }));
        await storage.create(`${prefix}bar`, configMap('bar')); // moves etcd's revision past foo's
        const got = await storage.get(`${prefix}foo`);
        assert.equal(rvOf(got), rvOf(updated));
        assert.deepEqual(got?.data, { v: '2' });
      });

      it('reads every write acknowledged before it, also writes made straight to etcd', async function () {
        const prefix = freshPrefix();
        for (let i = 0; i < 20; i++) {
          const key = `${prefix}k${i}`;
          const put = await raw.put(key).value(JSON.stringify(configMap(`k${i}`, { v: String(i) })));
          const got = await storage.get(key);
          assert.equal(rvOf(got), Number(put.header.revision), `k${i}`);
          assert.deepEqual(got?.data, { v: String(i) });
          await raw.delete().key(key);
          assert.equal(await storage.get(key), undefined, `k${i} still there after its delete`);
        }
      });

      it('with allowStale, reflects every write up to a revision once waitForRevision(revision) resolved true', async function () {
        const key = `${freshPrefix()}foo`;
        const put = await raw.put(key).value(JSON.stringify(configMap('foo', { v: 'direct' })));
        assert.equal(await storage.waitForRevision(Number(put.header.revision), 10_000), true);
        const got = await storage.get(key, { allowStale: true });
        assert.equal(rvOf(got), Number(put.header.revision));
      });
    });

    describe('list (RunTestList, RunTestListContinuation, RunTestCount)', function () {
      /** Five objects under prefix/, then one updated and one deleted: the history list cases read back. */
      async function seed(prefix: string) {
        const created: KubeObject[] = [];
        for (const name of ['a', 'b', 'c', 'd', 'e']) created.push(await storage.create(`${prefix}${name}`, configMap(name, { v: name })));
        const updated = await storage.update(`${prefix}a`, rvOf(created[0]), configMap('a', { v: 'a2' }));
        const deleted = await storage.delete(`${prefix}e`, rvOf(created[4]));
        return { created, updated, deleted };
      }
      const names = (items: KubeObject[]) => items.map((o) => o.metadata?.name);

      it('returns every object under the prefix in key order, at the current revision', async function () {
        const prefix = freshPrefix();
        const { created, updated, deleted } = await seed(prefix);
        const list = await storage.list(prefix);
        assert.deepEqual(list.items, [updated, ...created.slice(1, 4)]);
        assert.equal(list.revision, rvOf(deleted));
        assert.equal(list.revision, await storage.currentRevision());
        assert.equal(list.lastKey, undefined);
        assert.equal(list.remainingItemCount, undefined);
      });

      it('an empty prefix lists nothing at the current revision (consistent List)', async function () {
        const prefix = freshPrefix();
        await storage.create(`${freshPrefix()}elsewhere`, configMap('elsewhere'));
        const list = await storage.list(prefix);
        assert.deepEqual(list.items, []);
        assert.equal(list.revision, await storage.currentRevision());
      });

      it('a prefix does not include a sibling whose name merely starts with the same characters', async function () {
        const base = freshPrefix();
        await storage.create(`${base}a/x`, configMap('x'));
        await storage.create(`${base}ab/y`, configMap('y'));
        await storage.create(`${base}a`, configMap('a-itself'));
        assert.deepEqual(names((await storage.list(`${base}a/`)).items), ['x']);
        assert.deepEqual(names((await storage.list(`${base}ab/`)).items), ['y']);
        assert.equal(await storage.count(`${base}a/`), 1);
        assert.equal(await storage.count(base), 3);
      });

      it('with allowStale, lists every write up to a revision once waitForRevision(revision) resolved true', async function () {
        const prefix = freshPrefix();
        await storage.create(`${prefix}a`, configMap('a', { v: 'a' }));
        const put = await raw.put(`${prefix}b`).value(JSON.stringify(configMap('b', { v: 'direct' })));
        assert.equal(await storage.waitForRevision(Number(put.header.revision), 10_000), true);
        const list = await storage.list(prefix, { allowStale: true });
        assert.deepEqual(
          list.items.map((o) => [o.metadata?.name, o.data?.v]),
          [
            ['a', 'a'],
            ['b', 'direct'],
          ],
        );
        assert.ok(list.revision >= Number(put.header.revision), `list revision ${list.revision}`);
      });

      it("withKeys returns each item's full key beside it", async function () {
        const prefix = freshPrefix();
        await seed(prefix);
        const list = await storage.list(prefix, { withKeys: true, limit: 3 });
        assert.deepEqual(
          list.keys,
          ['a', 'b', 'c'].map((k) => `${prefix}${k}`),
        );
      });

      it('reads the state at an exact past revision: objects as they were, deleted ones included (match=Exact)', async function () {
        const prefix = freshPrefix();
        const { created, updated } = await seed(prefix);
        // Each write's revision shows exactly the objects written so far.
        for (let i = 0; i < created.length; i++) {
          const list = await storage.list(prefix, { revision: rvOf(created[i]) });
          assert.deepEqual(list.items, created.slice(0, i + 1), `at the revision of write ${i + 1}`);
          assert.equal(list.revision, rvOf(created[i]));
        }
        const afterUpdate = await storage.list(prefix, { revision: rvOf(updated) });
        assert.deepEqual(afterUpdate.items, [updated, ...created.slice(1)]);
        // Before the first write: nothing (the revision exists; the prefix was empty then).
        const before = await storage.list(prefix, { revision: rvOf(created[0]) - 1 });
        assert.deepEqual(before.items, []);
      });

      it("pages with limit and startAfterKey, every page at the first page's revision, with remainingItemCount", async function () {
        const prefix = freshPrefix();
        const all: KubeObject[] = [];
        for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g'])
          all.push(await storage.create(`${prefix}${name}`, configMap(name, { v: name })));

        const page1 = await storage.list(prefix, { limit: 3 });
        assert.deepEqual(page1.items, all.slice(0, 3));
        assert.equal(page1.lastKey, `${prefix}c`);
        assert.equal(page1.remainingItemCount, 4);

        // Changes after the first page do not show in later pages of the same list.
        await storage.update(`${prefix}e`, rvOf(all[4]), configMap('e', { v: 'changed' }));
        await storage.create(`${prefix}ee`, configMap('ee'));
        await storage.delete(`${prefix}g`, rvOf(all[6]));

        const page2 = await storage.list(prefix, { limit: 3, startAfterKey: page1.lastKey, revision: page1.revision });
        assert.deepEqual(page2.items, all.slice(3, 6));
        assert.equal(page2.revision, page1.revision);
        assert.equal(page2.lastKey, `${prefix}f`);
        assert.equal(page2.remainingItemCount, 1);

        const page3 = await storage.list(prefix, { limit: 3, startAfterKey: page2.lastKey, revision: page1.revision });
        assert.deepEqual(page3.items, all.slice(6));
        assert.equal(page3.lastKey, undefined);
        assert.equal(page3.remainingItemCount, undefined);

        const now = await storage.list(prefix);
        assert.deepEqual(names(now.items), ['a', 'b', 'c', 'd', 'e', 'ee', 'f']);
      });

      it('a limit equal to or above the number of items returns them all without a continuation', async function () {
        const prefix = freshPrefix();
        await seed(prefix);
        for (const limit of [4, 5, 100]) {
          const list = await storage.list(prefix, { limit });
          assert.deepEqual(names(list.items), ['a', 'b', 'c', 'd'], `limit ${limit}`);
          assert.equal(list.lastKey, undefined, `limit ${limit}`);
          assert.equal(list.remainingItemCount, undefined, `limit ${limit}`);
        }
      });

      it('a limit at an exact past revision pages that state (limit, match=Exact)', async function () {
        const prefix = freshPrefix();
        const { created } = await seed(prefix);
        const list = await storage.list(prefix, { limit: 1, revision: rvOf(created[1]) });
        assert.deepEqual(list.items, [created[0]]);
        assert.equal(list.revision, rvOf(created[1]));
        assert.equal(list.lastKey, `${prefix}a`);
        assert.equal(list.remainingItemCount, 1);
        const rest = await storage.list(prefix, { limit: 1, revision: rvOf(created[1]), startAfterKey: list.lastKey });
        assert.deepEqual(rest.items, [created[1]]);
        assert.equal(rest.lastKey, undefined);
      });

      it('reflects every write acknowledged before it, also writes made straight to etcd', async function () {
        const prefix = freshPrefix();
        for (let i = 0; i < 20; i++) {
          const put = await raw.put(`${prefix}k${i}`).value(JSON.stringify(configMap(`k${i}`)));
          const list = await storage.list(prefix);
          assert.ok(list.revision >= Number(put.header.revision), `list at ${list.revision} before the put at ${put.header.revision}`);
          assert.equal(list.items.length, i + 1);
          assert.equal(await storage.count(prefix), i + 1);
        }
        const deleted = await raw.delete().key(`${prefix}k0`);
        const list = await storage.list(prefix);
        assert.ok(list.revision >= Number(deleted.header.revision));
        assert.equal(
          list.items.some((o) => o.metadata?.name === 'k0'),
          false,
        );
      });

      it('a revision etcd has not reached is TooLargeResourceVersion carrying the current revision', async function () {
        const prefix = freshPrefix();
        await storage.create(`${prefix}a`, configMap('a'));
        const current = await storage.currentRevision();
        const err = await rejectsWith(storage.list(prefix, { revision: current + 1000 }), 'TooLargeResourceVersion');
        assert.ok(err.revision !== undefined && err.revision >= current, `revision ${err.revision}`);
      });

      it("a compacted revision is Compacted carrying etcd's compact revision; the compact revision itself still reads", async function () {
        const prefix = freshPrefix();
        const first = await storage.create(`${prefix}x`, configMap('x'));
        await storage.create(`${prefix}y`, configMap('y'));
        const compactedTo = await compact();
        const err = await rejectsWith(storage.list(prefix, { revision: rvOf(first) }), 'Compacted');
        assert.equal(err.revision, compactedTo);
        await rejectsWith(storage.assertRevisionAvailable(rvOf(first)), 'Compacted');
        await storage.assertRevisionAvailable(compactedTo);
        assert.equal((await storage.list(prefix, { revision: compactedTo })).items.length, 2);
      });

      it('the next page of a list whose revision was compacted since the first page is Compacted', async function () {
        const prefix = freshPrefix();
        for (const name of ['a', 'b', 'c']) await storage.create(`${prefix}${name}`, configMap(name));
        const page1 = await storage.list(prefix, { limit: 1 });
        assert.equal(page1.remainingItemCount, 2);
        await storage.create(`${prefix}d`, configMap('d'));
        await compact();
        await rejectsWith(storage.list(prefix, { limit: 1, startAfterKey: page1.lastKey, revision: page1.revision }), 'Compacted');
      });
    });

    describe('update (RunTestGuaranteedUpdate, RunTestConditionalUpdate)', function () {
      it('with the current mod revision replaces the object and returns the new resourceVersion', async function () {
        const key = `${freshPrefix()}foo`;
        const created = await storage.create(key, configMap('foo', { v: '1' }));
        const updated = await storage.update(key, rvOf(created), configMap('foo', { v: '2' }, created.metadata?.resourceVersion));
        assert.ok(rvOf(updated) > rvOf(created));
        assert.equal(rvOf(updated), await storage.currentRevision());
        assert.deepEqual(updated, configMap('foo', { v: '2' }, String(rvOf(updated))));
        assert.deepEqual(await storage.get(key), updated);
      });

      it('with a stale mod revision is Conflict carrying the current one, and changes nothing', async function () {
        const key = `${freshPrefix()}foo`;
        const created = await storage.create(key, configMap('foo', { v: '1' }));
        const updated = await storage.update(key, rvOf(created), configMap('foo', { v: '2' }));
        const err = await rejectsWith(storage.update(key, rvOf(created), configMap('foo', { v: '3' })), 'Conflict');
        assert.equal(err.revision, rvOf(updated));
        assert.deepEqual(await storage.get(key), updated);
      });

      it('after someone else changed the object in etcd is Conflict', async function () {
        const key = `${freshPrefix()}foo`;
        const created = await storage.create(key, configMap('foo', { v: '1' }));
        const put = await raw.put(key).value(JSON.stringify(configMap('foo', { v: 'theirs' })));
        const err = await rejectsWith(storage.update(key, rvOf(created), configMap('foo', { v: 'mine' })), 'Conflict');
        assert.equal(err.revision, Number(put.header.revision));
        assert.deepEqual((await storage.get(key))?.data, { v: 'theirs' });
      });

      it('of a missing key is KeyNotFound, and creates nothing', async function () {
        const prefix = freshPrefix();
        const other = await storage.create(`${prefix}other`, configMap('other'));
        await rejectsWith(storage.update(`${prefix}missing`, rvOf(other), configMap('missing')), 'KeyNotFound');
        assert.equal(await storage.get(`${prefix}missing`), undefined);
      });

      it('of a key deleted since it was read is KeyNotFound', async function () {
        const key = `${freshPrefix()}foo`;
        const created = await storage.create(key, configMap('foo'));
        await raw.delete().key(key);
        await rejectsWith(storage.update(key, rvOf(created), configMap('foo', { v: '2' })), 'KeyNotFound');
        assert.equal(await storage.get(key), undefined);
      });

      it('an unconditional update (read, modify, CAS, retry on Conflict) loses no increment among 50 parallel writers', async function () {
        const key = `${freshPrefix()}counter`;
        await storage.create(key, configMap('counter', { n: '0' }));
        let conflicts = 0;
        // kube's GuaranteedUpdate: try with what a (possibly stale) read suggests, re-read fresh on conflict.
        // A stale miss is confirmed with a fresh read, as the registry does.
        const increment = async (): Promise<void> => {
          let current = (await storage.get(key, { allowStale: true })) ?? (await storage.get(key));
          for (;;) {
            assert.ok(current);
            try {
              await storage.update(key, rvOf(current), { ...current, data: { n: String(Number(current.data?.n) + 1) } });
              return;
            } catch (err) {
              if (!(err instanceof StorageError && err.code === 'Conflict')) throw err;
              conflicts++;
              current = await storage.get(key);
            }
          }
        };
        await Promise.all(Array.from({ length: 50 }, increment));
        assert.equal((await storage.get(key))?.data?.n, '50');
        assert.ok(conflicts > 0, 'parallel increments should have collided at least once');
      });

      it('a stale suggestion is Conflict, and the fresh read after it succeeds (GuaranteedUpdate with a stale cached object)', async function () {
        const key = `${freshPrefix()}foo`;
        const created = await storage.create(key, configMap('foo', { v: '1' }));
        const put = await raw.put(key).value(JSON.stringify(configMap('foo', { v: 'theirs' })));
        const suggestion = await storage.get(key, { allowStale: true });
        // A cache may not have seen their write (or even the create) yet; either way the CAS decides, never the
        // suggestion.
        if (suggestion !== undefined && rvOf(suggestion) !== Number(put.header.revision)) {
          assert.equal(rvOf(suggestion), rvOf(created));
          await rejectsWith(storage.update(key, rvOf(suggestion), configMap('foo', { v: 'mine' })), 'Conflict');
        }
        const fresh = await storage.get(key);
        assert.equal(rvOf(fresh), Number(put.header.revision));
        const updated = await storage.update(key, rvOf(fresh), { ...fresh, data: { v: 'mine' } });
        assert.deepEqual((await storage.get(key))?.data, { v: 'mine' });
        assert.equal(rvOf(await storage.get(key)), rvOf(updated));
      });
    });

    describe('guarded writes riding along a create, update or delete (WriteOptions.also)', function () {
      /** A counter object whose data.n a guarded write raises. */
      const counter = (n: number) => configMap('counter', { n: String(n) });

      it('a create and its guarded write land in one revision', async function () {
        const prefix = freshPrefix();
        const c = await storage.create(`${prefix}counter`, counter(0));
        const obj = await storage.create(`${prefix}a`, configMap('a'), {
          also: [{ key: `${prefix}counter`, expectedRevision: rvOf(c), obj: counter(1) }],
        });
        const after = await storage.get(`${prefix}counter`);
        assert.equal(after?.data?.n, '1');
        assert.equal(rvOf(after), rvOf(obj));
      });

      it('a stale guard fails the create with Conflict naming the guard, and writes neither', async function () {
        const prefix = freshPrefix();
        const c = await storage.create(`${prefix}counter`, counter(0));
        await storage.update(`${prefix}counter`, rvOf(c), counter(5));
        await assert.rejects(
          storage.create(`${prefix}a`, configMap('a'), { also: [{ key: `${prefix}counter`, expectedRevision: rvOf(c), obj: counter(1) }] }),
          (e: unknown) => e instanceof StorageError && e.code === 'Conflict' && e.key === `${prefix}counter`,
        );
        assert.equal(await storage.get(`${prefix}a`), undefined);
        assert.equal((await storage.get(`${prefix}counter`))?.data?.n, '5');
      });

      it('a taken key is still KeyExists, whatever the guard', async function () {
        const prefix = freshPrefix();
        const c = await storage.create(`${prefix}counter`, counter(0));
        await storage.create(`${prefix}a`, configMap('a'));
        await assert.rejects(
          storage.create(`${prefix}a`, configMap('a'), {
            also: [{ key: `${prefix}counter`, expectedRevision: rvOf(c) + 1000, obj: counter(1) }],
          }),
          (e: unknown) => e instanceof StorageError && e.code === 'KeyExists' && e.key === `${prefix}a`,
        );
        assert.equal((await storage.get(`${prefix}counter`))?.data?.n, '0');
      });

      it('an update and a delete carry their guarded writes, and a stale guard keeps the object as it was', async function () {
        const prefix = freshPrefix();
        const c = await storage.create(`${prefix}counter`, counter(0));
        const a = await storage.create(`${prefix}a`, configMap('a', { v: '1' }));
        const stale = { also: [{ key: `${prefix}counter`, expectedRevision: rvOf(c) - 1, obj: counter(9) }] };
        await assert.rejects(
          storage.update(`${prefix}a`, rvOf(a), configMap('a', { v: '2' }), stale),
          (e: unknown) => e instanceof StorageError && e.code === 'Conflict' && e.key === `${prefix}counter`,
        );
        await assert.rejects(
          storage.delete(`${prefix}a`, rvOf(a), stale),
          (e: unknown) => e instanceof StorageError && e.code === 'Conflict' && e.key === `${prefix}counter`,
        );
        assert.equal((await storage.get(`${prefix}a`))?.data?.v, '1');
        // A stale object is the object's own Conflict, not the guard's.
        await assert.rejects(
          storage.update(`${prefix}a`, rvOf(a) - 1, configMap('a', { v: '2' }), {
            also: [{ key: `${prefix}counter`, expectedRevision: rvOf(c), obj: counter(1) }],
          }),
          (e: unknown) => e instanceof StorageError && e.code === 'Conflict' && e.key === `${prefix}a`,
        );
        const updated = await storage.update(`${prefix}a`, rvOf(a), configMap('a', { v: '2' }), {
          also: [{ key: `${prefix}counter`, expectedRevision: rvOf(c), obj: counter(1) }],
        });
        const c1 = await storage.get(`${prefix}counter`);
        assert.equal(rvOf(c1), rvOf(updated));
        const deleted = await storage.delete(`${prefix}a`, rvOf(updated), {
          also: [{ key: `${prefix}counter`, expectedRevision: rvOf(c1), obj: counter(0) }],
        });
        const c0 = await storage.get(`${prefix}counter`);
        assert.equal(c0?.data?.n, '0');
        assert.equal(rvOf(c0), rvOf(deleted));
        assert.equal(await storage.get(`${prefix}a`), undefined);
      });

      it('20 parallel creates bounded by a guarded counter of 5: exactly 5 objects, and the counter says 5', async function () {
        const prefix = freshPrefix();
        await storage.create(`${prefix}counter`, counter(0));
        const attempt = async (i: number): Promise<boolean> => {
          let allowStale = true;
          for (;;) {
            // A cache may not have the counter yet: the fresh read does.
            const current = (await storage.get(`${prefix}counter`, { allowStale })) ?? (await storage.get(`${prefix}counter`))!;
            const n = Number(current.data?.n);
            if (n >= 5) {
              // A refusal read from a cache is confirmed on a fresh read first.
              if (allowStale) {
                allowStale = false;
                continue;
              }
              return false;
            }
            try {
              await storage.create(`${prefix}obj/${i}`, configMap(String(i)), {
                also: [{ key: `${prefix}counter`, expectedRevision: rvOf(current), obj: counter(n + 1) }],
              });
              return true;
            } catch (e) {
              if (e instanceof StorageError && e.code === 'Conflict' && e.key === `${prefix}counter`) {
                allowStale = false;
                continue;
              }
              throw e;
            }
          }
        };
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(i)));
        assert.equal(results.filter(Boolean).length, 5);
        assert.equal(await storage.count(`${prefix}obj/`), 5);
        assert.equal((await storage.get(`${prefix}counter`))?.data?.n, '5');
      });
    });

    describe('delete (RunTestConditionalDelete, RunTestUnconditionalDelete, RunTestDeleteWithSuggestion…)', function () {
      it('with the current mod revision returns the last state stamped with the deletion revision', async function () {
        const key = `${freshPrefix()}foo`;
        const created = await storage.create(key, configMap('foo', { v: '1' }));
        const deleted = await storage.delete(key, rvOf(created));
        assert.ok(rvOf(deleted) > rvOf(created));
        assert.equal(rvOf(deleted), await storage.currentRevision());
        assert.deepEqual(deleted, configMap('foo', { v: '1' }, String(rvOf(deleted))));
        assert.equal(await storage.get(key), undefined);
      });

      it('with a stale mod revision (the precondition fails) is Conflict and keeps the object', async function () {
        const key = `${freshPrefix()}foo`;
        const created = await storage.create(key, configMap('foo', { v: '1' }));
        const updated = await storage.update(key, rvOf(created), configMap('foo', { v: '2' }));
        const err = await rejectsWith(storage.delete(key, rvOf(created)), 'Conflict');
        assert.equal(err.revision, rvOf(updated));
        assert.deepEqual(await storage.get(key), updated);
        // The retry with the fresh state deletes the updated object (RunTestDeleteWithSuggestionAndConflict).
        const deleted = await storage.delete(key, rvOf(updated));
        assert.deepEqual(deleted.data, { v: '2' });
      });

      it('of a missing key is KeyNotFound', async function () {
        const prefix = freshPrefix();
        const other = await storage.create(`${prefix}other`, configMap('other'));
        await rejectsWith(storage.delete(`${prefix}non-existing`, rvOf(other)), 'KeyNotFound');
      });

      it('again with the revision of an object already deleted is KeyNotFound (RunTestDeleteWithSuggestionOfDeletedObject)', async function () {
        const key = `${freshPrefix()}foo`;
        const created = await storage.create(key, configMap('foo'));
        await storage.delete(key, rvOf(created));
        await rejectsWith(storage.delete(key, rvOf(created)), 'KeyNotFound');
      });

      it('of an object deleted and created again since it was read is Conflict, and the new object stays', async function () {
        const key = `${freshPrefix()}foo`;
        const first = await storage.create(key, configMap('foo', { v: 'first' }));
        await storage.delete(key, rvOf(first));
        const second = await storage.create(key, configMap('foo', { v: 'second' }));
        await rejectsWith(storage.delete(key, rvOf(first)), 'Conflict');
        assert.deepEqual(await storage.get(key), second);
      });
    });

    describe('watch (RunTestWatch, RunTestWatchFromZero, RunTestWatchFromNonZero, RunTestDeleteTriggerWatch…)', function () {
      for (const prefixWatch of [true, false]) {
        it(`${prefixWatch ? 'a prefix' : 'a single-key'} watch delivers ADDED, MODIFIED, DELETED in order with their revisions and previous states`, async function () {
          const prefix = freshPrefix();
          const key = `${prefix}foo`;
          const recorder = new Recorder();
          await watch(prefixWatch ? prefix : key, { afterRevision: await storage.currentRevision(), prefix: prefixWatch }, recorder);
          const created = await storage.create(key, configMap('foo', { v: '1' }));
          const updated = await storage.update(key, rvOf(created), configMap('foo', { v: '2' }));
          const deleted = await storage.delete(key, rvOf(updated));
          await recorder.next(3);
          assert.equal(recorder.error, undefined);
          assert.deepEqual(recorder.events.map(row), [
            ['ADDED', key, rvOf(created), String(rvOf(created)), '1'],
            ['MODIFIED', key, rvOf(updated), String(rvOf(updated)), '2'],
            ['DELETED', key, rvOf(deleted), String(rvOf(deleted)), '2'],
          ]);
          assert.deepEqual(recorder.events[0].object, created);
          assert.deepEqual(recorder.events[1].object, updated);
          assert.deepEqual(recorder.events[1].prevObject, created);
          // The DELETED object is the last state at the deletion revision (RunTestWatchDeleteEventObjectHaveLatestRV).
          assert.deepEqual(recorder.events[2].object, deleted);
          assert.deepEqual(recorder.events[2].prevObject, updated);
        });
      }

      it('from 0 starts now: a write acknowledged before the watch began never arrives, later ones do', async function () {
        // Several rounds: an implementation that starts "now" from a lagging view would replay the earlier write.
        for (let round = 0; round < 20; round++) {
          const prefix = freshPrefix();
          const before = await storage.create(`${prefix}before`, configMap('before'));
          const recorder = new Recorder();
          await watch(prefix, { afterRevision: 0, prefix: true }, recorder);
          const updated = await storage.update(`${prefix}before`, rvOf(before), configMap('before', { v: '2' }));
          const after = await storage.create(`${prefix}after`, configMap('after'));
          await recorder.until(() => recorder.events.some((e) => e.revision === rvOf(after)) || recorder.error !== undefined);
          assert.deepEqual(
            recorder.events.map((e) => [e.type, e.revision]),
            [
              ['MODIFIED', rvOf(updated)],
              ['ADDED', rvOf(after)],
            ],
            `round ${round}`,
          );
        }
      });

      it('from a resourceVersion replays every later change in order, then follows live ones (RunTestWatchFromNonZero)', async function () {
        const prefix = freshPrefix();
        const a = await storage.create(`${prefix}a`, configMap('a', { v: '1' }));
        const b = await storage.create(`${prefix}b`, configMap('b', { v: '1' }));
        const a2 = await storage.update(`${prefix}a`, rvOf(a), configMap('a', { v: '2' }));
        const bGone = await storage.delete(`${prefix}b`, rvOf(b));
        const recorder = new Recorder();
        await watch(prefix, { afterRevision: rvOf(a), prefix: true }, recorder);
        const c = await storage.create(`${prefix}c`, configMap('c', { v: '1' }));
        await recorder.next(4);
        assert.deepEqual(recorder.events.map(row), [
          ['ADDED', `${prefix}b`, rvOf(b), String(rvOf(b)), '1'],
          ['MODIFIED', `${prefix}a`, rvOf(a2), String(rvOf(a2)), '2'],
          ['DELETED', `${prefix}b`, rvOf(bGone), String(rvOf(bGone)), '1'],
          ['ADDED', `${prefix}c`, rvOf(c), String(rvOf(c)), '1'],
        ]);
      });

      it('from a resourceVersion on a single key sees only that key, not keys that extend its name', async function () {
        const prefix = freshPrefix();
        const foo = await storage.create(`${prefix}foo`, configMap('foo', { v: '1' }));
        await storage.create(`${prefix}foobar`, configMap('foobar'));
        const foo2 = await storage.update(`${prefix}foo`, rvOf(foo), configMap('foo', { v: '2' }));
        const recorder = new Recorder();
        await watch(`${prefix}foo`, { afterRevision: rvOf(foo) - 1, prefix: false }, recorder);
        await recorder.next(2);
        await storage.create(`${prefix}foobaz`, configMap('foobaz'));
        const deleted = await storage.delete(`${prefix}foo`, rvOf(foo2));
        await recorder.next(3);
        assert.deepEqual(
          recorder.events.map((e) => [e.type, e.key, e.revision]),
          [
            ['ADDED', `${prefix}foo`, rvOf(foo)],
            ['MODIFIED', `${prefix}foo`, rvOf(foo2)],
            ['DELETED', `${prefix}foo`, rvOf(deleted)],
          ],
        );
      });

      it('a prefix watch does not see a sibling prefix that merely starts with the same characters', async function () {
        const base = freshPrefix();
        const recorder = new Recorder();
        await watch(`${base}a/`, { afterRevision: await storage.currentRevision(), prefix: true }, recorder);
        await storage.create(`${base}ab/y`, configMap('y'));
        await storage.create(`${base}a`, configMap('a-itself'));
        const x = await storage.create(`${base}a/x`, configMap('x'));
        await recorder.next(1);
        assert.deepEqual(
          recorder.events.map((e) => [e.key, e.revision]),
          [[`${base}a/x`, rvOf(x)]],
        );
      });

      it('delivers changes made straight to etcd by someone else, interleaved in revision order', async function () {
        const prefix = freshPrefix();
        const recorder = new Recorder();
        await watch(prefix, { afterRevision: await storage.currentRevision(), prefix: true }, recorder);
        const revisions: number[] = [];
        for (let i = 0; i < 10; i++) {
          if (i % 2 === 0) revisions.push(rvOf(await storage.create(`${prefix}mine-${i}`, configMap(`mine-${i}`))));
          else
            revisions.push(Number((await raw.put(`${prefix}theirs-${i}`).value(JSON.stringify(configMap(`theirs-${i}`)))).header.revision));
        }
        const gone = await raw.delete().key(`${prefix}theirs-1`);
        await recorder.next(11);
        assert.deepEqual(
          recorder.events.map((e) => e.revision),
          [...revisions, Number(gone.header.revision)],
        );
        assert.deepEqual(
          recorder.events.map((e) => e.type),
          [...Array(10).fill('ADDED'), 'DELETED'],
        );
        assert.equal(recorder.events[10].object.metadata?.name, 'theirs-1');
      });

      it('re-creating a deleted key arrives as ADDED again', async function () {
        const prefix = freshPrefix();
        const key = `${prefix}foo`;
        const recorder = new Recorder();
        await watch(prefix, { afterRevision: await storage.currentRevision(), prefix: true }, recorder);
        const first = await storage.create(key, configMap('foo', { v: '1' }));
        await storage.delete(key, rvOf(first));
        const again = await storage.create(key, configMap('foo', { v: 'again' }));
        await recorder.next(3);
        assert.deepEqual(
          recorder.events.map((e) => e.type),
          ['ADDED', 'DELETED', 'ADDED'],
        );
        assert.deepEqual(recorder.events[2].object, again);
      });

      it('delivers nothing after stop()', async function () {
        const prefix = freshPrefix();
        const stopped = new Recorder();
        const handle = await storage.watch(prefix, { afterRevision: await storage.currentRevision(), prefix: true }, stopped.sink);
        const witness = new Recorder();
        await watch(prefix, { afterRevision: await storage.currentRevision(), prefix: true }, witness);
        await storage.create(`${prefix}one`, configMap('one'));
        await stopped.next(1);
        await handle.stop();
        await storage.create(`${prefix}two`, configMap('two'));
        await storage.create(`${prefix}three`, configMap('three'));
        await witness.next(3); // the witness has seen both later writes, so the stopped watch would have too
        assert.deepEqual(
          stopped.events.map((e) => e.object.metadata?.name),
          ['one'],
        );
        assert.equal(stopped.error, undefined);
      });

      it('an idle watch hears progress up to writes elsewhere, never going back', async function () {
        const prefix = freshPrefix();
        const recorder = new Recorder();
        const start = await storage.currentRevision();
        await watch(prefix, { afterRevision: start, prefix: true }, recorder);
        const elsewhere = await storage.create(`${freshPrefix()}elsewhere`, configMap('elsewhere'));
        await recorder.until(() => recorder.progress.some((rev) => rev >= rvOf(elsewhere)));
        assert.equal(recorder.events.length, 0);
        assert.deepEqual(
          [...recorder.progress].sort((x, y) => x - y),
          recorder.progress,
        );
        assert.ok(
          recorder.progress.every((rev) => rev >= start),
          JSON.stringify(recorder.progress),
        );
      });

      it('from now after a compaction still delivers MODIFIED and DELETED, with previous states, of an object last written before it', async function () {
        const prefix = freshPrefix();
        const key = `${prefix}foo`;
        const created = await storage.create(key, configMap('foo', { v: '1' }));
        await storage.create(`${prefix}bar`, configMap('bar'));
        await compact();
        const recorder = new Recorder();
        await watch(prefix, { afterRevision: await storage.currentRevision(), prefix: true }, recorder);
        const updated = await storage.update(key, rvOf(created), configMap('foo', { v: '2' }));
        const deleted = await storage.delete(key, rvOf(updated));
        await recorder.next(2);
        assert.equal(recorder.error, undefined);
        assert.deepEqual(recorder.events.map(row), [
          ['MODIFIED', key, rvOf(updated), String(rvOf(updated)), '2'],
          ['DELETED', key, rvOf(deleted), String(rvOf(deleted)), '2'],
        ]);
        assert.deepEqual(recorder.events[0].prevObject, created);
        assert.deepEqual(recorder.events[1].prevObject, updated);
      });

      it("from a compacted revision fails with Compacted carrying etcd's compact revision, before any event", async function () {
        const prefix = freshPrefix();
        const old = await storage.create(`${prefix}c`, configMap('c'));
        await storage.create(`${prefix}d`, configMap('d'));
        const compactedTo = await compact();
        const { error, events } = await watchFailure(prefix, { afterRevision: rvOf(old) - 1, prefix: true });
        assert.equal(error.code, 'Compacted', error.message);
        assert.equal(error.revision, compactedTo);
        assert.deepEqual(events, []);

        // From the compact revision on, watching works again.
        const after = new Recorder();
        await watch(prefix, { afterRevision: compactedTo, prefix: true }, after);
        const e = await storage.create(`${prefix}e`, configMap('e'));
        await after.next(1);
        assert.deepEqual(
          after.events.map((ev) => [ev.type, ev.revision]),
          [['ADDED', rvOf(e)]],
        );
      });
    });

    describe('revisions', function () {
      it("currentRevision is etcd's header revision: at least every acknowledged write, including others'", async function () {
        const prefix = freshPrefix();
        const mine = await storage.create(`${prefix}mine`, configMap('mine'));
        assert.equal(await storage.currentRevision(), rvOf(mine));
        const theirs = await raw.put(`/unrelated/${run}-${n}-theirs`).value('not json at all');
        assert.equal(await storage.currentRevision(), Number(theirs.header.revision));
      });

      it('reads stay consistent with a key outside the contract prefix holding a value that is not JSON', async function () {
        const prefix = freshPrefix();
        const foreign = await raw.put(`/unrelated/${run}-${n}`).value('\u0000binary');
        const list = await storage.list(prefix);
        assert.ok(list.revision >= Number(foreign.header.revision));
        const created = await storage.create(`${prefix}ok`, configMap('ok'));
        assert.deepEqual(await storage.get(`${prefix}ok`), created);
      });

      it('reports itself healthy while etcd answers', async function () {
        assert.equal(await storage.healthy(), true);
      });
    });
  });
}
