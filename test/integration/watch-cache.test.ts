// The watch cache is correct: consistent reads see every acknowledged write (also writes the cache only learns
// about through its etcd watch), cached watches deliver exactly what etcd's own watch delivers for a scripted
// history, selectors and bookmarks behave, revisions older than the window get 410, and a client that stops
// reading has its watch closed without hurting anyone else. The oracle for "what etcd delivers" is a second
// kgate on the same etcd with the cache turned off.
// (A watch resumed after a kgate restart is covered by restart.test.ts.)
import assert from 'node:assert/strict';
import https from 'node:https';
import { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { startKgate, type Kgate } from '../support/kgate.js';

type Labels = Record<string, string>;

function cm(name: string, labels: Labels = {}, data: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

const cmsPath = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
const cmKey = (ns: string, name: string) => `/registry/configmaps/${ns}/${name}`;
const rvOf = (obj: any): number => Number(obj.metadata.resourceVersion);

/** A ConfigMap as kgate would store it, written by someone else straight into etcd. */
function storedCm(ns: string, name: string, labels: Labels, data: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, uid: `direct-${ns}-${name}`, creationTimestamp: '2025-01-01T00:00:00Z', labels },
    data,
  });
}

/** A small client of one kgate that asserts every write succeeded. */
function writer(kg: Kgate) {
  return {
    async create(ns: string, body: unknown): Promise<any> {
      const res = await kg.request('POST', cmsPath(ns), { body });
      assert.equal(res.status, 201, res.text);
      return res.body;
    },
    async update(ns: string, obj: any): Promise<any> {
      const res = await kg.request('PUT', `${cmsPath(ns)}/${obj.metadata.name}`, { body: obj });
      assert.equal(res.status, 200, res.text);
      return res.body;
    },
    async remove(ns: string, name: string): Promise<void> {
      const res = await kg.request('DELETE', `${cmsPath(ns)}/${name}`);
      assert.equal(res.status, 200, res.text);
    },
    async list(path: string): Promise<{ rv: number; items: any[] }> {
      const res = await kg.request('GET', path);
      assert.equal(res.status, 200, res.text);
      return { rv: Number(res.body.metadata.resourceVersion), items: res.body.items };
    },
    async namespace(name: string): Promise<void> {
      const res = await kg.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
      assert.equal(res.status, 201, res.text);
    },
  };
}

/** What a watch event is, for comparing streams: its type and the object's identity and revision. */
const brief = (e: any) => [e.type, e.object.metadata.namespace, e.object.metadata.name, e.object.metadata.resourceVersion];

describe('watch cache', function () {
  let etcd: EtcdProcess;
  let client: Etcd3;
  let cached: Kgate;
  let uncached: Kgate;
  let w: ReturnType<typeof writer>;

  before(async function () {
    etcd = await startEtcd();
    client = new Etcd3({ hosts: etcd.endpoint });
    cached = await startKgate({ etcd, tuning: { bookmarkIntervalMs: 100 } });
    uncached = await startKgate({ etcd, tuning: { watchCache: false, bookmarkIntervalMs: 100 } });
    w = writer(cached);
  });
  after(async function () {
    await cached?.close();
    await uncached?.close();
    client?.close();
    await etcd?.stop();
  });

  describe('consistent reads', function () {
    before(async function () {
      await w.namespace('wc-read');
    });

    it('a list right after a create, update or delete through kgate reflects it', async function () {
      for (let i = 0; i < 40; i++) {
        const created = await w.create('wc-read', cm(`r-${i}`, { round: String(i) }, { v: '0' }));
        let list = await w.list(cmsPath('wc-read'));
        assert.ok(list.rv >= rvOf(created), `list rv ${list.rv} < write rv ${rvOf(created)}`);
        assert.equal(list.items.find((o) => o.metadata.name === `r-${i}`)?.metadata.resourceVersion, created.metadata.resourceVersion);

        const updated = await w.update('wc-read', { ...created, data: { v: '1' } });
        list = await w.list(`${cmsPath('wc-read')}?labelSelector=round%3D${i}`);
        assert.ok(list.rv >= rvOf(updated));
        assert.deepEqual(
          list.items.map((o) => [o.metadata.name, o.metadata.resourceVersion, o.data.v]),
          [[`r-${i}`, updated.metadata.resourceVersion, '1']],
        );

        const got = await cached.request('GET', `${cmsPath('wc-read')}/r-${i}`);
        assert.equal(got.body.metadata.resourceVersion, updated.metadata.resourceVersion);

        if (i % 2 === 0) {
          await w.remove('wc-read', `r-${i}`);
          list = await w.list(`${cmsPath('wc-read')}?labelSelector=round%3D${i}`);
          assert.deepEqual(list.items, []);
          const gone = await cached.request('GET', `${cmsPath('wc-read')}/r-${i}`);
          assert.equal(gone.status, 404, gone.text);
        }
      }
    });

    it('a list right after a write made directly to etcd reflects it', async function () {
      for (let i = 0; i < 40; i++) {
        const key = cmKey('wc-read', `d-${i}`);
        const put = await client.put(key).value(storedCm('wc-read', `d-${i}`, { direct: 'yes' }, { v: '0' }));
        const putRv = Number(put.header.revision);
        let list = await w.list(`${cmsPath('wc-read')}?labelSelector=direct%3Dyes`);
        assert.ok(list.rv >= putRv, `list rv ${list.rv} < etcd put rv ${putRv}`);
        assert.equal(list.items.find((o) => o.metadata.name === `d-${i}`)?.metadata.resourceVersion, String(putRv));

        const again = await client.put(key).value(storedCm('wc-read', `d-${i}`, { direct: 'yes' }, { v: '1' }));
        const got = await cached.request('GET', `${cmsPath('wc-read')}/d-${i}`);
        assert.equal(got.status, 200, got.text);
        assert.deepEqual([got.body.metadata.resourceVersion, got.body.data], [again.header.revision, { v: '1' }]);

        if (i % 2 === 1) {
          const deleted = await client.delete().key(key);
          list = await w.list(`${cmsPath('wc-read')}?labelSelector=direct%3Dyes`);
          assert.ok(list.rv >= Number(deleted.header.revision));
          assert.equal(
            list.items.some((o) => o.metadata.name === `d-${i}`),
            false,
            `d-${i} still listed after its delete`,
          );
        }
      }
      const final = await w.list(`${cmsPath('wc-read')}?labelSelector=direct%3Dyes`);
      assert.deepEqual(final.items.map((o) => o.metadata.name).sort(), Array.from({ length: 20 }, (_, k) => `d-${2 * k}`).sort());
    });

    it('concurrent writers each see their own write in the list that follows it', async function () {
      // Many reads share one trip to etcd for its current revision; none may ride one answered before its write.
      const lane = async (lane: number) => {
        for (let i = 0; i < 10; i++) {
          const name = `c-${lane}-${i}`;
          let rv: number;
          if (i % 2 === 0) rv = rvOf(await w.create('wc-read', cm(name, { lane: String(lane) })));
          else
            rv = Number(
              (await client.put(cmKey('wc-read', name)).value(storedCm('wc-read', name, { lane: String(lane) }, {}))).header.revision,
            );
          const list = await w.list(`${cmsPath('wc-read')}?labelSelector=lane%3D${lane}`);
          assert.ok(list.rv >= rv);
          assert.ok(
            list.items.some((o) => o.metadata.name === name && rvOf(o) === rv),
            `${name}@${rv} missing from list at ${list.rv}`,
          );
        }
      };
      await Promise.all(Array.from({ length: 16 }, (_, lane) => lane).map(lane));
    });
  });

  describe('cached watches match etcd watches for a scripted history', function () {
    const A = 'wc-seq-a';
    const B = 'wc-seq-b';
    const END = 'zz-end';

    // Each watch ends with the sentinel object, created last in A and then in B, which every selector matches.
    const watches: Array<{ path: string; endsIn: string }> = [
      { path: `${cmsPath(A)}?watch=true`, endsIn: A },
      { path: `${cmsPath(A)}?watch=true&labelSelector=team%3Dblue`, endsIn: A },
      { path: `${cmsPath(B)}?watch=true&labelSelector=team%20in%20(blue%2Cred)`, endsIn: B },
      { path: `/api/v1/configmaps?watch=true&labelSelector=team%3Dblue`, endsIn: B },
      { path: `/api/v1/configmaps?watch=true&labelSelector=team%20notin%20(red)`, endsIn: B },
      { path: `/api/v1/configmaps?watch=true&fieldSelector=metadata.namespace%3D${B}`, endsIn: B },
      { path: `/api/v1/configmaps?watch=true&labelSelector=team%3Dblue&fieldSelector=metadata.namespace%3D${A}`, endsIn: A },
    ];
    const untilSentinel = (ns: string) => (events: any[]) =>
      events.some((e) => e.object.metadata.name === END && e.object.metadata.namespace === ns);

    /** Runs the history through both gateways and etcd directly; returns every change as [type, ns, name, rv]. */
    async function script(): Promise<Array<[string, string, string, string]>> {
      const changes: Array<[string, string, string, string]> = [];
      const viaCached = writer(cached);
      const viaUncached = writer(uncached);
      const record = (type: string, ns: string, obj: any) => {
        changes.push([type, ns, obj.metadata.name, obj.metadata.resourceVersion]);
        return obj;
      };
      const relabel = (obj: any, labels: Labels) => ({ ...obj, metadata: { ...obj.metadata, labels } });
      const direct = async (type: 'ADDED' | 'MODIFIED' | 'DELETED', ns: string, name: string, labels: Labels) => {
        const res =
          type === 'DELETED'
            ? await client.delete().key(cmKey(ns, name))
            : await client.put(cmKey(ns, name)).value(storedCm(ns, name, labels, { by: 'etcd' }));
        changes.push([type, ns, name, res.header.revision]);
      };
      const remove = async (kg: ReturnType<typeof writer>, ns: string, name: string) => {
        await kg.remove(ns, name);
        changes.push(['DELETED', ns, name, '?']); // the deletion revision is checked from the streams
      };

      let a1 = record('ADDED', A, await viaCached.create(A, cm('a1', { team: 'blue' }, { v: '1' })));
      let b1 = record('ADDED', B, await viaUncached.create(B, cm('b1', { team: 'red' })));
      let a2 = record('ADDED', A, await viaCached.create(A, cm('a2', { team: 'red' })));
      a1 = record('MODIFIED', A, await viaCached.update(A, { ...a1, data: { v: '2' } }));
      a2 = record('MODIFIED', A, await viaUncached.update(A, relabel(a2, { team: 'blue' })));
      a1 = record('MODIFIED', A, await viaCached.update(A, relabel(a1, { team: 'green' })));
      b1 = record('MODIFIED', B, await viaCached.update(B, relabel(b1, { team: 'blue' })));
      await remove(viaCached, B, 'b1');
      let b2 = record('ADDED', B, await viaCached.create(B, cm('b2', {})));
      b2 = record('MODIFIED', B, await viaCached.update(B, relabel(b2, { team: 'red' })));
      await direct('ADDED', A, 'a3', { team: 'blue' });
      await direct('MODIFIED', A, 'a3', { team: 'red' });
      a2 = record('MODIFIED', A, await viaCached.update(A, relabel(a2, {})));
      b2 = record('MODIFIED', B, await viaUncached.update(B, relabel(b2, { team: 'blue' })));
      await direct('MODIFIED', A, 'a3', { team: 'blue' });
      await remove(viaUncached, A, 'a2');
      a1 = record('MODIFIED', A, await viaCached.update(A, relabel(a1, { team: 'blue' })));
      await direct('DELETED', A, 'a3', {});
      await remove(viaCached, A, 'a1');
      record('MODIFIED', B, await viaCached.update(B, { ...b2, data: { last: 'yes' } }));
      record('ADDED', A, await viaCached.create(A, cm(END, { team: 'blue', end: 'yes' })));
      record('ADDED', B, await viaCached.create(B, cm(END, { team: 'blue', end: 'yes' })));
      return changes;
    }

    it('delivers identical event sequences from the cache and from etcd, live and replayed', async function () {
      await w.namespace(A);
      await w.namespace(B);
      const start = (await w.list('/api/v1/configmaps')).rv;
      const open = (kg: Kgate) => watches.map(({ path, endsIn }) => kg.watch(`${path}&resourceVersion=${start}`, untilSentinel(endsIn)));

      // Live: the watches are open while the history is written. Replayed: opened after it, from the same start.
      const liveCached = open(cached);
      const liveUncached = open(uncached);
      const changes = await script();
      const streams = {
        liveCached: await Promise.all(liveCached),
        liveUncached: await Promise.all(liveUncached),
        replayCached: await Promise.all(open(cached)),
        replayUncached: await Promise.all(open(uncached)),
      };

      watches.forEach(({ path }, i) => {
        const oracle = streams.liveUncached[i];
        for (const [name, perWatch] of Object.entries(streams)) {
          const events = perWatch[i];
          assert.deepEqual(events.map(brief), oracle.map(brief), `${name} differs from etcd for ${path}`);
          // Whole objects too: labels, data and (for DELETED by selector) the state as it last matched.
          assert.deepEqual(
            events.map((e: any) => e.object),
            oracle.map((e: any) => e.object),
            `${name} objects differ from etcd for ${path}`,
          );
        }
      });

      // The oracle itself is right: the unselected watch of A is A's history, in order.
      const historyOfA = changes.filter(([, ns]) => ns === A);
      const streamA = streams.liveUncached[0].map(brief);
      assert.deepEqual(
        streamA.map(([type, , name, rv], k) => [type, A, name, historyOfA[k][3] === '?' ? '?' : rv]),
        historyOfA,
      );
      const revisions = streamA.map((e) => Number(e[3]));
      assert.deepEqual(
        [...revisions].sort((x, y) => x - y),
        revisions,
      );

      // And the selector transitions are there: a1 leaves team=blue as DELETED and comes back as ADDED.
      assert.deepEqual(
        streams.replayCached[1].filter((e) => e.object.metadata.name === 'a1').map((e) => [e.type, e.object.metadata.labels.team]),
        [
          ['ADDED', 'blue'],
          ['MODIFIED', 'blue'],
          ['DELETED', 'blue'],
          ['ADDED', 'blue'],
          ['DELETED', 'blue'],
        ],
      );
    });
  });

  describe('selectors on cached watches', function () {
    const NS = 'wc-sel';
    before(async function () {
      await w.namespace(NS);
    });

    it('set-based label selectors turn transitions into ADDED and DELETED', async function () {
      const start = (await w.list(cmsPath(NS))).rv;
      const relabel = (obj: any, labels: Labels) => ({ ...obj, metadata: { ...obj.metadata, labels } });
      let x = await w.create(NS, cm('x', { env: 'dev' }));
      x = await w.update(NS, relabel(x, { env: 'prod' })); // enters
      x = await w.update(NS, relabel(x, { env: 'prod', canary: 'true' })); // leaves (!canary)
      x = await w.update(NS, relabel(x, { env: 'staging' })); // enters again
      x = await w.update(NS, { ...x, data: { k: 'v' } }); // stays
      await w.create(NS, cm('y', { env: 'qa' })); // never matches
      await w.remove(NS, 'x'); // leaves by deletion
      await w.create(NS, cm('z', { env: 'prod' }));
      const events = await cached.watch(
        `${cmsPath(NS)}?watch=true&resourceVersion=${start}&labelSelector=${encodeURIComponent('env in (prod,staging),!canary')}`,
        (evs) => evs.some((e) => e.object.metadata.name === 'z'),
      );
      assert.deepEqual(
        events.map((e) => [e.type, e.object.metadata.name, e.object.metadata.labels]),
        [
          ['ADDED', 'x', { env: 'prod' }],
          ['DELETED', 'x', { env: 'prod' }],
          ['ADDED', 'x', { env: 'staging' }],
          ['MODIFIED', 'x', { env: 'staging' }],
          ['DELETED', 'x', { env: 'staging' }],
          ['ADDED', 'z', { env: 'prod' }],
        ],
      );
    });

    it('field selectors on pod status.phase follow status transitions', async function () {
      const PODS = `/api/v1/namespaces/${NS}/pods`;
      const start = (await w.list(PODS)).rv;
      const pod = (name: string) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
      });
      const setPhase = async (obj: any, phase: string) => {
        const res = await cached.request('PUT', `${PODS}/${obj.metadata.name}/status`, {
          body: { ...obj, status: { ...obj.status, phase } },
        });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.status.phase, phase);
        return res.body;
      };
      const created = await cached.request('POST', PODS, { body: pod('p1') });
      assert.equal(created.status, 201, created.text);
      let p1 = await setPhase(created.body, 'Pending');
      p1 = await setPhase(p1, 'Running');
      const running = p1;
      p1 = await setPhase(p1, 'Succeeded');
      const other = await cached.request('POST', PODS, { body: pod('p2') });
      assert.equal(other.status, 201, other.text);
      const p2 = await setPhase(other.body, 'Running');

      const path = `${PODS}?watch=true&resourceVersion=${start}&fieldSelector=${encodeURIComponent('status.phase=Running')}`;
      const until = (evs: any[]) => evs.some((e) => e.object.metadata.name === 'p2');
      const [fromCache, fromEtcd] = await Promise.all([cached.watch(path, until), uncached.watch(path, until)]);
      assert.deepEqual(
        fromCache.map((e) => [e.type, e.object.metadata.name, e.object.status.phase, e.object.metadata.resourceVersion]),
        [
          ['ADDED', 'p1', 'Running', running.metadata.resourceVersion],
          ['DELETED', 'p1', 'Running', p1.metadata.resourceVersion],
          ['ADDED', 'p2', 'Running', p2.metadata.resourceVersion],
        ],
      );
      assert.deepEqual(fromCache, fromEtcd);
    });

    it('a metadata.name field selector sees only that object, in every namespace', async function () {
      await w.namespace('wc-sel-2');
      const start = (await w.list('/api/v1/configmaps')).rv;
      await w.create(NS, cm('pick-me'));
      await w.create(NS, cm('not-me'));
      await w.create('wc-sel-2', cm('pick-me'));
      await w.remove(NS, 'pick-me');
      const events = await cached.watch(
        `/api/v1/configmaps?watch=true&resourceVersion=${start}&fieldSelector=metadata.name%3Dpick-me`,
        (evs) => evs.length >= 3,
      );
      assert.deepEqual(
        events.map((e) => [e.type, e.object.metadata.namespace, e.object.metadata.name]),
        [
          ['ADDED', NS, 'pick-me'],
          ['ADDED', 'wc-sel-2', 'pick-me'],
          ['DELETED', NS, 'pick-me'],
        ],
      );
    });
  });

  describe('bookmarks from the cache', function () {
    const NS = 'wc-bm';
    before(async function () {
      await w.namespace(NS);
    });

    it('carry the revision of the last event delivered, never going back', async function () {
      const start = (await w.list(cmsPath(NS))).rv;
      const last = await w.create(NS, cm('bm-1'));
      await w.update(NS, { ...last, data: { v: '2' } }).then((u) => w.update(NS, { ...u, data: { v: '3' } }));
      const final = await w.create(NS, cm('bm-2'));
      const events = await cached.watch(`${cmsPath(NS)}?watch=true&allowWatchBookmarks=true&resourceVersion=${start}`, (evs) =>
        evs.some((e) => e.type === 'BOOKMARK' && rvOf(e.object) >= rvOf(final)),
      );
      const now = (await w.list(cmsPath(NS))).rv;
      const bookmarks = events.filter((e) => e.type === 'BOOKMARK').map((e) => rvOf(e.object));
      assert.deepEqual(
        [...bookmarks].sort((x, y) => x - y),
        bookmarks,
      );
      assert.ok(
        bookmarks.every((rv) => rv >= start && rv <= now),
        JSON.stringify(bookmarks),
      );
      assert.deepEqual(events.filter((e) => e.type !== 'BOOKMARK').length, 4);
    });

    it('advance for a watch whose selector filters out every event', async function () {
      const start = (await w.list(cmsPath(NS))).rv;
      let written: number | undefined;
      // Once the first bookmark (at the start) has arrived, write something the selector does not match; a later
      // bookmark must carry its revision, or a client re-watching from its last bookmark would replay history.
      const events = await cached.watch(
        `${cmsPath(NS)}?watch=true&allowWatchBookmarks=true&resourceVersion=${start}&fieldSelector=metadata.name%3Dbm-none`,
        (evs) => {
          if (evs.length === 1 && written === undefined) {
            written = 0;
            void w.create(NS, cm(`bm-other-${start}`)).then((o) => (written = rvOf(o)));
          }
          return written !== undefined && written > 0 && evs.some((e) => rvOf(e.object) >= written!);
        },
        { deadlineMs: 10_000 },
      );
      assert.ok(events.every((e) => e.type === 'BOOKMARK'));
      const bookmarks = events.map((e) => rvOf(e.object));
      assert.equal(bookmarks[0], start);
      assert.deepEqual(
        [...bookmarks].sort((x, y) => x - y),
        bookmarks,
      );
    });
  });

  describe('watch window and compaction', function () {
    let etcd2: EtcdProcess;
    let client2: Etcd3;
    let small: Kgate;
    const NS = 'default';

    before(async function () {
      // Its own etcd: compacting it must not take history away from the other suites.
      etcd2 = await startEtcd();
      client2 = new Etcd3({ hosts: etcd2.endpoint });
      small = await startKgate({ etcd: etcd2, tuning: { watchCacheWindow: 5 } });
    });
    after(async function () {
      await small?.close();
      client2?.close();
      await etcd2?.stop();
    });

    it('serves resumes within the window from the cache and older ones from etcd, and 410 once etcd compacted them', async function () {
      const kw = writer(small);
      const start = (await kw.list(cmsPath(NS))).rv;
      const written: any[] = [];
      let obj = await kw.create(NS, cm('win', {}, { n: '0' }));
      written.push(obj);
      for (let i = 1; i < 12; i++) {
        obj = await kw.update(NS, { ...obj, data: { n: String(i) } });
        written.push(obj);
      }
      const expected = written.map((o, i) => [i === 0 ? 'ADDED' : 'MODIFIED', o.metadata.resourceVersion, String(i)]);
      const summary = (events: any[]) => events.map((e) => [e.type, e.object.metadata.resourceVersion, e.object.data.n]);

      // Older than the 5-event window, but etcd still has the history.
      const all = await small.watch(`${cmsPath(NS)}?watch=true&resourceVersion=${start}`, (evs) => evs.length >= 12);
      assert.deepEqual(summary(all), expected);
      // Within the window.
      const tail = await small.watch(
        `${cmsPath(NS)}?watch=true&resourceVersion=${written[8].metadata.resourceVersion}`,
        (evs) => evs.length >= 3,
      );
      assert.deepEqual(summary(tail), expected.slice(9));

      // etcd compacts past the start: neither etcd nor the cache's window can serve it any more.
      await client2.kv.compact({ revision: written[10].metadata.resourceVersion, physical: true });
      const expired = await small.watch(`${cmsPath(NS)}?watch=true&resourceVersion=${start}`, () => true);
      assert.equal(expired.length, 1, JSON.stringify(expired));
      assert.equal(expired[0].type, 'ERROR');
      assert.equal(expired[0].object.kind, 'Status');
      assert.equal(expired[0].object.code, 410);
      assert.equal(expired[0].object.reason, 'Expired');
      const oldList = await small.request('GET', `${cmsPath(NS)}?resourceVersion=${start}&resourceVersionMatch=Exact`);
      assert.equal(oldList.status, 410, oldList.text);
      assert.equal(oldList.body.reason, 'Expired');

      // A resume after the compaction point still works, from the cache.
      const last = await small.watch(
        `${cmsPath(NS)}?watch=true&resourceVersion=${written[10].metadata.resourceVersion}`,
        (evs) => evs.length >= 1,
      );
      assert.deepEqual(summary(last), expected.slice(11));
    });

    it('sends 410 when kgate compaction (compact_rev_key) moved past a cached watch start', async function () {
      const kw = writer(small);
      const start = (await kw.list(cmsPath(NS))).rv;
      let obj = await kw.create(NS, cm('win-2', {}, { n: '0' }));
      obj = await kw.update(NS, { ...obj, data: { n: '1' } });
      // What a gateway's compactor does: record the revision in compact_rev_key, then compact to it.
      const target = rvOf(obj);
      await client2.put('compact_rev_key').value(String(target));
      await client2.kv.compact({ revision: target, physical: true });
      await kw.list(cmsPath(NS)); // a consistent read: the cache has seen compact_rev_key
      const expired = await small.watch(`${cmsPath(NS)}?watch=true&resourceVersion=${start}`, () => true);
      assert.deepEqual(
        expired.map((e) => [e.type, e.object.code, e.object.reason]),
        [['ERROR', 410, 'Expired']],
      );
    });
  });

  describe('slow watchers', function () {
    const NS = 'wc-slow';
    const LIMIT = 64 * 1024;
    let slowKg: Kgate;
    // More than the kernel's socket buffers and the limit together can hold.
    const COUNT = 64;
    const blob = 'x'.repeat(256 * 1024);

    before(async function () {
      await w.namespace(NS);
      slowKg = await startKgate({ etcd, tuning: { watchMaxPendingBytes: LIMIT } });
    });
    after(async function () {
      await slowKg?.close();
    });

    /** Opens a watch whose response is not read until `resume` is called. */
    function pausedWatch(path: string): Promise<{ resume(): Promise<{ events: any[]; partial: string }> }> {
      return new Promise((resolve, reject) => {
        const req = https.request(
          `${slowKg.url}${path}`,
          { headers: { authorization: `Bearer ${slowKg.token}` }, ca: slowKg.ca, agent: false },
          (res) => {
            assert.equal(res.statusCode, 200);
            res.pause();
            resolve({
              resume: () =>
                new Promise((done, fail) => {
                  let text = '';
                  let finished = false;
                  const finish = () => {
                    if (finished) return;
                    finished = true;
                    const lines = text.split('\n');
                    const partial = lines.pop()!;
                    done({ events: lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l)), partial });
                  };
                  res.on('data', (c: Buffer) => (text += c.toString('utf8')));
                  res.on('end', finish);
                  res.on('close', finish);
                  res.on('error', fail);
                  res.resume();
                }),
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
    }

    it('closes the watch of a client that stops reading, and keeps serving everyone else', async function () {
      const start = (await w.list(cmsPath(NS))).rv;
      const path = `${cmsPath(NS)}?watch=true&resourceVersion=${start}`;
      const slow = await pausedWatch(path);
      const reader = slowKg.watch(path, (evs) => evs.length >= COUNT, { deadlineMs: 120_000 });

      const sw = writer(slowKg);
      const created: any[] = [];
      for (let i = 0; i < COUNT; i++) created.push(await sw.create(NS, cm(`big-${String(i).padStart(2, '0')}`, {}, { blob })));

      // The reader got every event; the cache fanned each one out to both watchers as it went.
      const everything = await reader;
      assert.deepEqual(
        everything.map((e) => [e.type, e.object.metadata.name, e.object.metadata.resourceVersion]),
        created.map((o) => ['ADDED', o.metadata.name, o.metadata.resourceVersion]),
      );

      // The slow client now reads what was queued for it, and its stream ends there.
      const { events, partial } = await slow.resume();
      assert.equal(partial, '', 'the stream ended inside an event');
      assert.ok(events.length < COUNT, `the slow watcher was not closed: it got all ${events.length} events`);
      assert.deepEqual(events.map(brief), everything.slice(0, events.length).map(brief));

      // Everyone else is served normally: lists, and new watches from where the slow client stopped.
      const list = await sw.list(cmsPath(NS));
      assert.deepEqual(
        list.items.map((o) => o.metadata.name),
        created.map((o) => o.metadata.name),
      );
      const lastSeen = events.length > 0 ? events.at(-1).object.metadata.resourceVersion : String(start);
      const resumed = await slowKg.watch(
        `${cmsPath(NS)}?watch=true&resourceVersion=${lastSeen}&fieldSelector=metadata.name%3Dbig-63`,
        (evs) => evs.length >= 1,
      );
      assert.deepEqual(resumed.map(brief), everything.slice(-1).map(brief));
    });

    // A new watch's initial burst (replayed history or the current state) is not "falling behind": the client
    // has not had a chance to read yet, so it must get all of it even when it exceeds the pending limit.
    describe("a new watch's initial burst", function () {
      const BURST = 'wc-burst';
      let backlogStart = 0;
      let backlog: unknown[][] = [];

      before(async function () {
        await w.namespace(BURST);
        backlogStart = (await w.list(cmsPath(BURST))).rv;
        const sw = writer(slowKg);
        const created: any[] = [];
        for (let i = 0; i < COUNT; i++) created.push(await sw.create(BURST, cm(`big-${String(i).padStart(2, '0')}`, {}, { blob })));
        backlog = created.map((o) => ['ADDED', BURST, o.metadata.name, o.metadata.resourceVersion]);
      });

      it('delivers a replayed history larger than the pending limit in full', async function () {
        const replayed = await slowKg.watch(
          `${cmsPath(BURST)}?watch=true&resourceVersion=${backlogStart}`,
          (evs) => evs.length >= backlog.length,
          { deadlineMs: 120_000 },
        );
        assert.deepEqual(replayed.map(brief), backlog);
      });

      it('delivers an initial state larger than the pending limit in full', async function () {
        const initial = await slowKg.watch(`${cmsPath(BURST)}?watch=true`, (evs) => evs.length >= backlog.length, { deadlineMs: 120_000 });
        assert.deepEqual(initial.map(brief), backlog);
      });
    });
  });
});
