// ResourceCache: objects, sorted lists with consistent continue pages, the bounded event window and fan-out.
import assert from 'node:assert/strict';
import { StorageError, type KubeObject, type StorageEvent } from '../../src/storage/interface.js';
import { ResourceCache } from '../../src/storage/cacher/resource-cache.js';

const P = '/registry/configmaps/';
const obj = (name: string, rev: number, data = '0'): KubeObject => ({
  metadata: { name, resourceVersion: String(rev) },
  data: { v: data },
});
const ev = (type: StorageEvent['type'], ns: string, name: string, rev: number, data = '0'): StorageEvent => ({
  type,
  key: `${P}${ns}/${name}`,
  object: obj(name, rev, data),
  revision: rev,
});

function recorder() {
  const events: Array<[string, string, number]> = [];
  const progress: number[] = [];
  const errors: StorageError[] = [];
  return {
    events,
    progress,
    errors,
    sink: {
      onEvent: (e: StorageEvent) => events.push([e.type, e.key, e.revision]),
      onError: (err: StorageError) => errors.push(err),
      onProgress: (rev: number) => progress.push(rev),
    },
  };
}

describe('cacher ResourceCache', function () {
  it('applies events and lists in key order, per namespace prefix', function () {
    const c = new ResourceCache(P, 100, 0);
    c.load([{ key: `${P}b/x`, object: obj('x', 1) }], 1);
    c.apply(ev('ADDED', 'a', 'z', 2));
    c.apply(ev('ADDED', 'a', 'y', 3));
    c.apply(ev('MODIFIED', 'b', 'x', 4, '1'));
    c.apply(ev('DELETED', 'a', 'z', 5));
    const all = c.list(P, {}, 5)!;
    assert.deepEqual(
      all.items.map((o) => [o.metadata!.name, o.metadata!.resourceVersion]),
      [
        ['y', '3'],
        ['x', '4'],
      ],
    );
    assert.equal(all.revision, 5);
    assert.deepEqual(
      c.list(`${P}a/`, {}, 5)!.items.map((o) => o.metadata!.name),
      ['y'],
    );
    assert.equal(c.get(`${P}a/z`), undefined);
    assert.equal(c.count(`${P}b/`), 1);
  });

  it('serves continue pages from the state of the first page, whatever changed since', function () {
    const c = new ResourceCache(P, 100, 0);
    let rev = 0;
    for (const name of ['a', 'b', 'c', 'd', 'e']) c.apply(ev('ADDED', 'ns', name, ++rev));
    const first = c.list(P, { limit: 2 }, rev)!;
    assert.deepEqual(
      first.items.map((o) => o.metadata!.name),
      ['a', 'b'],
    );
    assert.equal(first.remainingItemCount, 3);
    const at = first.revision;
    c.apply(ev('DELETED', 'ns', 'c', ++rev));
    c.apply(ev('ADDED', 'ns', 'bb', ++rev));
    c.apply(ev('MODIFIED', 'ns', 'd', ++rev, 'changed'));
    const second = c.list(P, { limit: 2, startAfterKey: first.lastKey, revision: at }, rev)!;
    assert.deepEqual(
      second.items.map((o) => [o.metadata!.name, o.data.v]),
      [
        ['c', '0'],
        ['d', '0'],
      ],
    );
    const third = c.list(P, { limit: 2, startAfterKey: second.lastKey, revision: at }, rev)!;
    assert.deepEqual(
      third.items.map((o) => o.metadata!.name),
      ['e'],
    );
    assert.equal(third.lastKey, undefined);
    // A revision the cache never listed at is not served from memory.
    assert.equal(c.list(P, { revision: at + 1 }, rev), undefined);
  });

  it('replays the window after a revision, then follows live events, for its key or prefix only', function () {
    const c = new ResourceCache(P, 100, 0);
    c.apply(ev('ADDED', 'a', 'x', 1));
    c.apply(ev('ADDED', 'b', 'x', 2));
    c.apply(ev('MODIFIED', 'a', 'x', 3));
    const ns = recorder();
    const one = recorder();
    c.watch(`${P}a/`, true, 1, ns.sink);
    c.watch(`${P}b/x`, false, 0, one.sink);
    c.apply(ev('DELETED', 'a', 'x', 4));
    c.apply(ev('MODIFIED', 'b', 'x', 5));
    assert.deepEqual(ns.events, [
      ['MODIFIED', `${P}a/x`, 3],
      ['DELETED', `${P}a/x`, 4],
    ]);
    assert.deepEqual(one.events, [
      ['ADDED', `${P}b/x`, 2],
      ['MODIFIED', `${P}b/x`, 5],
    ]);
    // Each watcher learns of the events that were not for it as progress (for its bookmarks).
    assert.deepEqual(ns.progress, [5]);
    assert.deepEqual(one.progress, [4]);
  });

  it('keeps only the newest windowSize events: older resumes are Compacted', function () {
    const c = new ResourceCache(P, 3, 0);
    for (let rev = 1; rev <= 6; rev++) c.apply(ev('MODIFIED', 'a', 'x', rev, String(rev)));
    assert.equal(c.resumableAfter, 3);
    assert.throws(
      () => c.watch(P, true, 2, recorder().sink),
      (e: unknown) => e instanceof StorageError && e.code === 'Compacted',
    );
    const r = recorder();
    c.watch(P, true, 3, r.sink);
    assert.deepEqual(
      r.events.map((e) => e[2]),
      [4, 5, 6],
    );
  });

  it('forgets history etcd compacted, and ends every watcher when it loses etcd', function () {
    const c = new ResourceCache(P, 100, 0);
    for (let rev = 1; rev <= 4; rev++) c.apply(ev('MODIFIED', 'a', 'x', rev));
    c.compacted(3);
    assert.equal(c.resumableAfter, 3);
    assert.throws(
      () => c.watch(P, true, 1, recorder().sink),
      (e: unknown) => e instanceof StorageError && e.code === 'Compacted',
    );
    const r = recorder();
    c.watch(P, true, 3, r.sink);
    assert.deepEqual(
      r.events.map((e) => e[2]),
      [4],
    );
    const lost = new StorageError('Compacted', '', 'resyncing');
    c.failWatchers(lost);
    assert.deepEqual(r.errors, [lost]);
    assert.equal(c.watcherCount, 0);
    c.apply(ev('MODIFIED', 'a', 'x', 5));
    assert.equal(r.events.length, 1);
  });
});
