// Core object semantics over HTTP against a real kgate on a real etcd.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

describe('API basics (HTTP)', function () {
  let kg: Kgate;
  before(async function () {
    kg = await startKgate();
  });
  after(async function () {
    await kg?.close();
  });

  it('creates the system namespaces at start', async function () {
    const res = await kg.request('GET', '/api/v1/namespaces');
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, 'NamespaceList');
    const names = res.body.items.map((n: any) => n.metadata.name).sort();
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const ns = await kg.request('GET', '/api/v1/namespaces/default');
    assert.equal(ns.body.status.phase, 'Active');
    assert.deepEqual(ns.body.spec.finalizers, ['kubernetes']);
    assert.equal(ns.body.metadata.labels['kubernetes.io/metadata.name'], 'default');
  });

  it('creates, gets, updates and deletes a ConfigMap with etcd revisions as resourceVersions', async function () {
    const created = await kg.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'basic' }, data: { a: '1' } },
    });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(created.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const rv1 = Number(created.body.metadata.resourceVersion);
    assert.ok(rv1 > 0);
    const got = await kg.request('GET', '/api/v1/namespaces/default/configmaps/basic');
    assert.equal(got.body.metadata.resourceVersion, String(rv1));
    const updated = await kg.request('PUT', '/api/v1/namespaces/default/configmaps/basic', {
      body: { ...got.body, data: { a: '2' } },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.ok(Number(updated.body.metadata.resourceVersion) > rv1);
    const stale = await kg.request('PUT', '/api/v1/namespaces/default/configmaps/basic', {
      body: { ...got.body, data: { a: '3' } },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.equal(
      stale.body.message,
      'Operation cannot be fulfilled on configmaps "basic": the object has been modified; please apply your changes to the latest version and try again',
    );
    const del = await kg.request('DELETE', '/api/v1/namespaces/default/configmaps/basic');
    assert.equal(del.status, 200);
    assert.equal(del.body.status, 'Success');
    const gone = await kg.request('GET', '/api/v1/namespaces/default/configmaps/basic');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.message, 'configmaps "basic" not found');
  });

  it('records an Update entry in managedFields for each writer', async function () {
    const created = await kg.request('POST', '/api/v1/namespaces/default/configmaps?fieldManager=tester', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'managed' }, data: { a: '1' } },
    });
    assert.equal(created.status, 201, created.text);
    const [entry] = created.body.metadata.managedFields;
    assert.equal(entry.manager, 'tester');
    assert.equal(entry.operation, 'Update');
    assert.equal(entry.apiVersion, 'v1');
    assert.equal(entry.fieldsType, 'FieldsV1');
    assert.deepEqual(entry.fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
    const updated = await kg.request('PUT', '/api/v1/namespaces/default/configmaps/managed', {
      body: { ...created.body, data: { a: '1', b: '2' } },
      headers: { 'user-agent': 'other-tool/1.0 (linux/amd64)' },
    });
    assert.equal(updated.status, 200, updated.text);
    const managers = updated.body.metadata.managedFields.map((m: { manager: string }) => m.manager).sort();
    assert.deepEqual(managers, ['other-tool', 'tester']);
  });
});
