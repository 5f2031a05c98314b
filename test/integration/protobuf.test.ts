// kubectl's typed clients send create bodies as application/vnd.kubernetes.protobuf; kgate decodes them and
// answers JSON, so `kubectl create namespace/deployment/configmap/secret/...` work end to end.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { protobufRoot } from '../../src/protobuf/root.js';
import { startKgate, type Kgate } from '../support/kgate.js';

const FIXTURES = new URL('../../../test/fixtures/protobuf/', import.meta.url).pathname;
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** A body as client-go's protobuf serializer writes it: `k8s\0` + runtime.Unknown around the object. */
function protobufBody(apiVersion: string, kind: string, typeName: string, object: Record<string, unknown>): Buffer {
  const root = protobufRoot();
  const type = root.lookupType(typeName);
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const raw = type.encode(type.fromObject(object)).finish();
  return Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish(),
  ]);
}

describe('protobuf request bodies (kubectl)', function () {
  let kg: Kgate;
  before(async function () {
    kg = await startKgate();
  });
  after(async function () {
    await kg?.close();
  });

  it('kubectl create namespace / deployment / configmap / secret / service store the objects', async function () {
    await kg.kubectl(['create', 'namespace', 'pb']);
    await kg.kubectl(['create', 'deployment', 'd', '--image=nginx', '--replicas=0', '--port=8080', '-n', 'pb']);
    await kg.kubectl(['create', 'configmap', 'c', '--from-literal=a=b', '-n', 'pb']);
    await kg.kubectl(['create', 'secret', 'generic', 's', '--from-literal=a=b', '-n', 'pb']);
    await kg.kubectl(['create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '-n', 'pb']);
    await kg.kubectl(['run', 'p', '--image=nginx', '--labels=a=b', '--port=80', '-n', 'pb']);

    const ns = await kg.request('GET', '/api/v1/namespaces/pb');
    assert.equal(ns.status, 200, ns.text);
    assert.equal(ns.body.status.phase, 'Active');

    const d = await kg.request('GET', '/apis/apps/v1/namespaces/pb/deployments/d');
    assert.equal(d.status, 200, d.text);
    assert.equal(d.body.spec.replicas, 0);
    assert.deepEqual(d.body.metadata.labels, { app: 'd' });
    assert.equal(d.body.spec.template.spec.containers[0].image, 'nginx');
    assert.equal(d.body.spec.template.spec.containers[0].ports[0].containerPort, 8080);
    assert.match(d.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const cm = await kg.request('GET', '/api/v1/namespaces/pb/configmaps/c');
    assert.deepEqual(cm.body.data, { a: 'b' });

    const s = await kg.request('GET', '/api/v1/namespaces/pb/secrets/s');
    assert.deepEqual(s.body.data, { a: Buffer.from('b').toString('base64') });
    assert.equal(s.body.type, 'Opaque');

    const svc = await kg.request('GET', '/api/v1/namespaces/pb/services/svc');
    assert.equal(svc.body.spec.ports[0].targetPort, 8080);

    const pod = await kg.request('GET', '/api/v1/namespaces/pb/pods/p');
    assert.deepEqual(pod.body.metadata.labels, { a: 'b' });
    assert.equal(pod.body.spec.containers[0].ports[0].containerPort, 80);
  });

  it('accepts a captured protobuf body over HTTP and answers JSON', async function () {
    const res = await kg.request('POST', '/api/v1/namespaces?fieldValidation=Strict', {
      raw: readFileSync(`${FIXTURES}namespace.pb`),
      headers: { 'content-type': PROTOBUF, accept: `${PROTOBUF},application/json` },
    });
    assert.equal(res.status, 201, res.text);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.body.kind, 'Namespace');
    assert.equal(res.body.metadata.name, 'pbx');
    const got = await kg.request('GET', '/api/v1/namespaces/pbx');
    assert.equal(got.status, 200);
  });

  it('updates (PUT) from a protobuf body with the resourceVersion it carries', async function () {
    const created = await kg.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pbput' }, data: { a: '1' } },
    });
    assert.equal(created.status, 201, created.text);
    const body = protobufBody('v1', 'ConfigMap', 'k8s.io.api.core.v1.ConfigMap', {
      metadata: {
        name: 'pbput',
        namespace: 'default',
        resourceVersion: created.body.metadata.resourceVersion,
        uid: created.body.metadata.uid,
      },
      data: { a: '2' },
    });
    const updated = await kg.request('PUT', '/api/v1/namespaces/default/configmaps/pbput', {
      raw: body,
      headers: { 'content-type': PROTOBUF },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(updated.body.data, { a: '2' });
    const stale = await kg.request('PUT', '/api/v1/namespaces/default/configmaps/pbput', {
      raw: body,
      headers: { 'content-type': PROTOBUF },
    });
    assert.equal(stale.status, 409, stale.text);
  });

  it('decodes protobuf DeleteOptions (dryRun keeps the object, then a real delete)', async function () {
    await kg.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pbdel' } },
    });
    const dryRun = protobufBody('v1', 'DeleteOptions', 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', { dryRun: ['All'] });
    const res = await kg.request('DELETE', '/api/v1/namespaces/default/configmaps/pbdel', {
      raw: dryRun,
      headers: { 'content-type': PROTOBUF },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal((await kg.request('GET', '/api/v1/namespaces/default/configmaps/pbdel')).status, 200);
    const real = protobufBody('v1', 'DeleteOptions', 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', {
      propagationPolicy: 'Background',
    });
    const deleted = await kg.request('DELETE', '/api/v1/namespaces/default/configmaps/pbdel', {
      raw: real,
      headers: { 'content-type': PROTOBUF },
    });
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal((await kg.request('GET', '/api/v1/namespaces/default/configmaps/pbdel')).status, 404);
  });

  it('rejects a malformed protobuf body with 400', async function () {
    const res = await kg.request('POST', '/api/v1/namespaces', {
      raw: Buffer.from('{"kind":"Namespace"}'),
      headers: { 'content-type': PROTOBUF },
    });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.reason, 'BadRequest');
    assert.match(res.body.message, /does not appear to be a protobuf message/);
  });

  it("rejects a protobuf body of another kind with the JSON path's 400", async function () {
    const res = await kg.request('POST', '/api/v1/namespaces/pb/configmaps', {
      raw: readFileSync(`${FIXTURES}secret.pb`),
      headers: { 'content-type': PROTOBUF },
    });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.message, /Secret in version "v1" cannot be handled as a ConfigMap/);
  });

  it('lists protobuf among the accepted body media types', async function () {
    const res = await kg.request('POST', '/api/v1/namespaces', { raw: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(res.status, 415, res.text);
    assert.match(res.body.message, /application\/vnd\.kubernetes\.protobuf/);
  });
});
