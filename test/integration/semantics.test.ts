// Object semantics beyond plain CRUD: generateName, finalizers, paged lists at one resourceVersion, Exact
// reads, deletecollection by label, and namespace termination.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const NS = 'default';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;

describe('object semantics', function () {
  let kg: Kgate;

  async function create(path: string, body: unknown): Promise<any> {
    const res = await kg.request('POST', path, { body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  before(async function () {
    kg = await startKgate();
  });
  after(async function () {
    await kg?.close();
  });

  it('generates names from generateName', async function () {
    const a = await create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    const b = await create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    assert.match(a.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.match(b.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.notEqual(a.metadata.name, b.metadata.name);
    assert.equal(a.metadata.generateName, 'gen-');
    const got = await kg.request('GET', `${CMS}/${a.metadata.name}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.metadata.uid, a.metadata.uid);
  });

  it('keeps an object with finalizers until they are removed', async function () {
    const obj = await create(CMS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
      data: { a: '1' },
    });
    const del = await kg.request('DELETE', `${CMS}/held`);
    assert.equal(del.status, 200, del.text);
    // Not deleted yet: the answer is the object, marked.
    assert.equal(del.body.kind, 'ConfigMap');
    assert.match(del.body.metadata.deletionTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(del.body.metadata.deletionGracePeriodSeconds, 0);
    assert.deepEqual(del.body.metadata.finalizers, ['example.com/hold']);

    const marked = await kg.request('GET', `${CMS}/held`);
    assert.equal(marked.status, 200);
    assert.equal(marked.body.metadata.deletionTimestamp, del.body.metadata.deletionTimestamp);
    assert.equal(marked.body.metadata.uid, obj.metadata.uid);

    // A terminating object takes no new finalizers.
    const add = await kg.request('PUT', `${CMS}/held`, {
      body: { ...marked.body, metadata: { ...marked.body.metadata, finalizers: ['example.com/hold', 'example.com/more'] } },
    });
    assert.equal(add.status, 422, add.text);
    assert.equal(add.body.reason, 'Invalid');
    assert.equal(add.body.details.causes[0].field, 'metadata.finalizers');

    const release = await kg.request('PUT', `${CMS}/held`, {
      body: { ...marked.body, metadata: { ...marked.body.metadata, finalizers: [] } },
    });
    assert.equal(release.status, 200, release.text);
    const gone = await kg.request('GET', `${CMS}/held`);
    assert.equal(gone.status, 404, gone.text);
    assert.equal(gone.body.message, 'configmaps "held" not found');
  });

  it('walks every page of a limited list at one resourceVersion', async function () {
    const names = Array.from({ length: 7 }, (_, i) => `page-${i}`);
    for (const name of names) await create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { paged: 'yes' } } });
    const seen: string[] = [];
    const rvs = new Set<string>();
    let cont: string | undefined;
    let pages = 0;
    let firstRemaining: number | undefined;
    do {
      const q = `limit=3&labelSelector=paged%3Dyes${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
      const res = await kg.request('GET', `${CMS}?${q}`);
      assert.equal(res.status, 200, res.text);
      pages++;
      seen.push(...res.body.items.map((i: any) => i.metadata.name));
      rvs.add(res.body.metadata.resourceVersion);
      cont = res.body.metadata.continue || undefined;
      if (pages === 1) {
        firstRemaining = res.body.metadata.remainingItemCount;
        // A write between pages is not seen by later pages: they read at the first page's revision.
        await create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'page-9', labels: { paged: 'yes' } } });
      }
    } while (cont);
    assert.equal(pages, 3);
    assert.deepEqual(seen, names);
    assert.equal(rvs.size, 1);
    // With a label selector kube does not report remainingItemCount.
    assert.equal(firstRemaining, undefined);

    const unfiltered = await kg.request('GET', `${CMS}?limit=2`);
    assert.equal(unfiltered.status, 200);
    assert.equal(unfiltered.body.items.length, 2);
    assert.equal(typeof unfiltered.body.metadata.continue, 'string');
    const total = (await kg.request('GET', CMS)).body.items.length;
    assert.equal(unfiltered.body.metadata.remainingItemCount, total - 2);
  });

  it('reads a list at an exact older resourceVersion', async function () {
    const first = await create(CMS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'exact', labels: { exact: 'yes' } },
      data: { v: '1' },
    });
    const rv = first.metadata.resourceVersion;
    const updated = await kg.request('PUT', `${CMS}/exact`, { body: { ...first, data: { v: '2' } } });
    assert.equal(updated.status, 200, updated.text);
    await create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'exact-later', labels: { exact: 'yes' } } });

    const then = await kg.request('GET', `${CMS}?labelSelector=exact%3Dyes&resourceVersion=${rv}&resourceVersionMatch=Exact`);
    assert.equal(then.status, 200, then.text);
    assert.equal(then.body.metadata.resourceVersion, rv);
    assert.deepEqual(
      then.body.items.map((i: any) => [i.metadata.name, i.data?.v, i.metadata.resourceVersion]),
      [['exact', '1', rv]],
    );

    const now = await kg.request('GET', `${CMS}?labelSelector=exact%3Dyes&resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`);
    assert.equal(now.status, 200, now.text);
    assert.ok(Number(now.body.metadata.resourceVersion) > Number(rv));
    assert.deepEqual(
      now.body.items.map((i: any) => [i.metadata.name, i.data?.v]),
      [
        ['exact', '2'],
        ['exact-later', undefined],
      ],
    );
  });

  it('deletes a collection by label selector', async function () {
    for (const [name, team] of [
      ['dc-a', 'red'],
      ['dc-b', 'red'],
      ['dc-c', 'blue'],
    ]) {
      await create(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { team } } });
    }
    const res = await kg.request('DELETE', `${CMS}?labelSelector=team%3Dred`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.kind, 'ConfigMapList');
    assert.deepEqual(
      res.body.items.map((i: any) => i.metadata.name),
      ['dc-a', 'dc-b'],
    );
    const left = await kg.request('GET', `${CMS}?labelSelector=team`);
    assert.deepEqual(
      left.body.items.map((i: any) => i.metadata.name),
      ['dc-c'],
    );
  });

  it('marks a deleted namespace Terminating and refuses new content in it', async function () {
    const ns = await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    assert.equal(ns.status.phase, 'Active');
    await create('/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inside' } });

    const del = await kg.request('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(del.status, 200, del.text);
    assert.equal(del.body.kind, 'Namespace');
    assert.equal(del.body.status.phase, 'Terminating');
    assert.match(del.body.metadata.deletionTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const got = await kg.request('GET', '/api/v1/namespaces/doomed');
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.status.phase, 'Terminating');
    assert.deepEqual(got.body.spec.finalizers, ['kubernetes']);

    const refused = await kg.request('POST', '/api/v1/namespaces/doomed/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } },
    });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.reason, 'Forbidden');
    assert.equal(
      refused.body.message,
      'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    );

    // What was inside can still be read and deleted while the namespace terminates.
    const inside = await kg.request('GET', '/api/v1/namespaces/doomed/configmaps/inside');
    assert.equal(inside.status, 200, inside.text);
    const delInside = await kg.request('DELETE', '/api/v1/namespaces/doomed/configmaps/inside');
    assert.equal(delInside.status, 200, delInside.text);
  });
});
