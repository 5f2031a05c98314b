// Watch semantics over HTTP: initial state, resume points, selector transitions, bookmarks, watch-list,
// timeouts, all-namespace watches, and the status subresource with generation.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const NS = 'default';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;

function cm(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

describe('watch', function () {
  let kg: Kgate;

  async function create(path: string, body: unknown): Promise<any> {
    const res = await kg.request('POST', path, { body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }
  async function put(path: string, body: unknown): Promise<any> {
    const res = await kg.request('PUT', path, { body });
    assert.equal(res.status, 200, res.text);
    return res.body;
  }
  async function del(path: string): Promise<void> {
    const res = await kg.request('DELETE', path);
    assert.equal(res.status, 200, res.text);
  }
  async function listRV(path: string): Promise<string> {
    const res = await kg.request('GET', path);
    assert.equal(res.status, 200, res.text);
    return res.body.metadata.resourceVersion;
  }
  const summary = (events: any[]) => events.map((e) => [e.type, e.object.metadata.name]);

  before(async function () {
    kg = await startKgate({ tuning: { bookmarkIntervalMs: 200 } });
  });
  after(async function () {
    await kg?.close();
  });

  it('without resourceVersion sends ADDED for existing objects, then changes', async function () {
    const a = await create(CMS, cm('w-init-a', { suite: 'init' }));
    await create(CMS, cm('w-init-b', { suite: 'init' }));
    // The change is written once the initial state has arrived, so it must follow it on the same stream.
    let written: Promise<unknown> | undefined;
    const events = await kg.watch(`${CMS}?watch=true&labelSelector=suite%3Dinit`, (evs) => {
      if (evs.length === 2 && !written) written = put(`${CMS}/w-init-a`, { ...a, data: { v: '2' } });
      return evs.length >= 3;
    });
    await written;
    assert.deepEqual(summary(events.slice(0, 2)).sort(), [
      ['ADDED', 'w-init-a'],
      ['ADDED', 'w-init-b'],
    ]);
    assert.deepEqual(summary(events.slice(2)), [['MODIFIED', 'w-init-a']]);
    assert.deepEqual(events[2].object.data, { v: '2' });
  });

  it("watch=True (the Python client's spelling) streams events; a GET of one object with watch=true returns the object", async function () {
    const created = await create(CMS, cm('w-spelling', { suite: 'spelling' }));
    const events = await kg.watch(
      `${CMS}?watch=True&labelSelector=suite%3Dspelling&resourceVersion=${Number(created.metadata.resourceVersion) - 1}`,
      (evs) => evs.length >= 1,
    );
    assert.deepEqual(summary(events), [['ADDED', 'w-spelling']]);
    const one = await kg.request('GET', `${CMS}/w-spelling?watch=true`);
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.kind, 'ConfigMap');
    assert.equal(one.body.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  it('the legacy /watch/ path with a name streams only that object; a field selector naming another is 400', async function () {
    const foo = await create(CMS, cm('w-legacy-foo', { suite: 'legacy' }));
    await create(CMS, cm('w-legacy-bar', { suite: 'legacy' }));
    const path = `/api/v1/watch/namespaces/${NS}/configmaps/w-legacy-foo`;
    const foo2 = await put(`${CMS}/w-legacy-foo`, { ...foo, data: { v: '2' } });
    const events = await kg.watch(`${path}?resourceVersion=${Number(foo.metadata.resourceVersion) - 1}`, (evs) => evs.length >= 2);
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.name, e.object.metadata.resourceVersion]),
      [
        ['ADDED', 'w-legacy-foo', foo.metadata.resourceVersion],
        ['MODIFIED', 'w-legacy-foo', foo2.metadata.resourceVersion],
      ],
    );
    // Without a resourceVersion: the object's current state first, and nothing of its neighbours.
    const initial = await kg.watch(path, (evs) => evs.length >= 1);
    assert.deepEqual(
      initial.map((e) => [e.type, e.object.metadata.name]),
      [['ADDED', 'w-legacy-foo']],
    );
    const mismatch = await kg.request('GET', `${path}?fieldSelector=metadata.name%3Dw-legacy-bar`);
    assert.equal(mismatch.status, 400, mismatch.text);
    assert.equal(mismatch.body.message, "fieldSelector metadata.name doesn't match requested name");
  });

  it('from resourceVersion N sends only later events, in order', async function () {
    await create(CMS, cm('w-rv-old', { suite: 'rv' }));
    const rv = await listRV(CMS);
    const created = await create(CMS, cm('w-rv-new', { suite: 'rv' }, { v: '1' }));
    const modified = await put(`${CMS}/w-rv-new`, { ...created, data: { v: '2' } });
    await del(`${CMS}/w-rv-old`);
    const events = await kg.watch(`${CMS}?watch=true&labelSelector=suite%3Drv&resourceVersion=${rv}`, (evs) => evs.length >= 3);
    assert.deepEqual(summary(events), [
      ['ADDED', 'w-rv-new'],
      ['MODIFIED', 'w-rv-new'],
      ['DELETED', 'w-rv-old'],
    ]);
    assert.equal(events[0].object.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(events[1].object.metadata.resourceVersion, modified.metadata.resourceVersion);
    assert.ok(Number(events[2].object.metadata.resourceVersion) > Number(modified.metadata.resourceVersion));
  });

  it('turns relabelling out of a selector into DELETED and into it into ADDED', async function () {
    const obj = await create(CMS, cm('w-sel', { tier: 'front' }));
    const rv = obj.metadata.resourceVersion;
    const out = await put(`${CMS}/w-sel`, { ...obj, metadata: { ...obj.metadata, labels: { tier: 'back' } } });
    const back = await put(`${CMS}/w-sel`, { ...out, metadata: { ...out.metadata, labels: { tier: 'front' } } });
    await put(`${CMS}/w-sel`, { ...back, data: { touched: 'yes' } });
    const events = await kg.watch(`${CMS}?watch=true&labelSelector=tier%3Dfront&resourceVersion=${rv}`, (evs) => evs.length >= 3);
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.labels.tier, e.object.metadata.resourceVersion]),
      [
        // The object as it last matched, at the revision where it stopped matching.
        ['DELETED', 'front', out.metadata.resourceVersion],
        ['ADDED', 'front', back.metadata.resourceVersion],
        ['MODIFIED', 'front', events[2]?.object.metadata.resourceVersion],
      ],
    );
    assert.deepEqual(events[2].object.data, { touched: 'yes' });
  });

  it('filters by fieldSelector metadata.name', async function () {
    const rv = await listRV(CMS);
    await create(CMS, cm('w-field-other'));
    await create(CMS, cm('w-field-me', {}, { v: '1' }));
    await del(`${CMS}/w-field-other`);
    await del(`${CMS}/w-field-me`);
    const events = await kg.watch(
      `${CMS}?watch=true&fieldSelector=metadata.name%3Dw-field-me&resourceVersion=${rv}`,
      (evs) => evs.length >= 2,
    );
    assert.deepEqual(summary(events), [
      ['ADDED', 'w-field-me'],
      ['DELETED', 'w-field-me'],
    ]);
  });

  it('sends BOOKMARKs with allowWatchBookmarks=true', async function () {
    const rv = await listRV(CMS);
    const events = await kg.watch(
      `${CMS}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Dw-nothing`,
      (evs) => evs.length >= 2,
    );
    for (const e of events) {
      assert.equal(e.type, 'BOOKMARK');
      assert.equal(e.object.kind, 'ConfigMap');
      assert.equal(e.object.apiVersion, 'v1');
      assert.ok(Number(e.object.metadata.resourceVersion) >= Number(rv), JSON.stringify(e));
    }
  });

  it('serves a watch-list: ADDED for the current state, then the initial-events-end BOOKMARK', async function () {
    await create(CMS, cm('w-list-a', { suite: 'list' }));
    await create(CMS, cm('w-list-b', { suite: 'list' }));
    const rv = await listRV(CMS);
    const events = await kg.watch(
      `${CMS}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=suite%3Dlist`,
      (evs) => evs.some((e) => e.type === 'BOOKMARK'),
    );
    assert.deepEqual(summary(events.slice(0, 2)).sort(), [
      ['ADDED', 'w-list-a'],
      ['ADDED', 'w-list-b'],
    ]);
    assert.equal(events.length, 3);
    const bookmark = events[2];
    assert.equal(bookmark.type, 'BOOKMARK');
    assert.deepEqual(bookmark.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
    assert.ok(Number(bookmark.object.metadata.resourceVersion) >= Number(rv));
  });

  it('ends the stream after timeoutSeconds', async function () {
    const rv = await listRV(CMS);
    // Nothing matches, so `until` is consulted only when the server ends the stream.
    const events = await kg.watch(
      `${CMS}?watch=true&timeoutSeconds=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dw-never`,
      () => true,
    );
    assert.deepEqual(events, []);
  });

  it('watches all namespaces', async function () {
    const ns = await kg.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w-other' } },
    });
    assert.equal(ns.status, 201, ns.text);
    const rv = await listRV('/api/v1/configmaps');
    await create(CMS, cm('w-all', { suite: 'all' }));
    await create('/api/v1/namespaces/w-other/configmaps', cm('w-all', { suite: 'all' }));
    const events = await kg.watch(
      `/api/v1/configmaps?watch=true&labelSelector=suite%3Dall&resourceVersion=${rv}`,
      (evs) => evs.length >= 2,
    );
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.namespace, e.object.metadata.name]),
      [
        ['ADDED', NS, 'w-all'],
        ['ADDED', 'w-other', 'w-all'],
      ],
    );
  });

  it('bumps generation on spec changes only, and /status writes change only status', async function () {
    const DEPLOY = `/apis/apps/v1/namespaces/${NS}/deployments`;
    const d = await create(DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'w-gen' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'g' } },
        template: { metadata: { labels: { app: 'g' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
      },
      status: { replicas: 99 },
    });
    assert.equal(d.metadata.generation, 1);
    assert.equal(d.status?.replicas, undefined);

    // A status write through /status: status changes; spec, labels and generation do not.
    const statusWrite = await put(`${DEPLOY}/w-gen/status`, {
      ...d,
      metadata: { ...d.metadata, labels: { sneaky: 'yes' } },
      spec: { ...d.spec, replicas: 5 },
      status: { replicas: 1, observedGeneration: 1 },
    });
    assert.deepEqual(statusWrite.status, { replicas: 1, observedGeneration: 1 });
    assert.equal(statusWrite.spec.replicas, 1);
    assert.equal(statusWrite.metadata.labels, undefined);
    assert.equal(statusWrite.metadata.generation, 1);
    assert.ok(Number(statusWrite.metadata.resourceVersion) > Number(d.metadata.resourceVersion));

    // A main-resource write that only touches status: status is kept, generation stays.
    const statusOnly = await put(`${DEPLOY}/w-gen`, { ...statusWrite, status: { replicas: 42 } });
    assert.deepEqual(statusOnly.status, { replicas: 1, observedGeneration: 1 });
    assert.equal(statusOnly.metadata.generation, 1);

    // A metadata-only change does not bump generation either; a spec change does.
    const labelled = await put(`${DEPLOY}/w-gen`, { ...statusOnly, metadata: { ...statusOnly.metadata, labels: { l: '1' } } });
    assert.equal(labelled.metadata.generation, 1);
    const scaled = await put(`${DEPLOY}/w-gen`, { ...labelled, spec: { ...labelled.spec, replicas: 3 } });
    assert.equal(scaled.metadata.generation, 2);
    assert.equal(scaled.spec.replicas, 3);
    assert.deepEqual(scaled.status, { replicas: 1, observedGeneration: 1 });

    const got = await kg.request('GET', `${DEPLOY}/w-gen`);
    assert.equal(got.body.metadata.generation, 2);
    assert.deepEqual(got.body.status, { replicas: 1, observedGeneration: 1 });
  });
});
