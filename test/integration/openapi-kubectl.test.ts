// Real kubectl against kgate's OpenAPI: strict validation on create (the fieldValidation check on /openapi/v3)
// and `kubectl explain` reading the per group/version documents.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: strict-ok
  namespace: default
spec:
  containers:
  - name: app
    image: nginx:1.27
`;

const POD_WITH_UNKNOWN_FIELD = `apiVersion: v1
kind: Pod
metadata:
  name: strict-bogus
  namespace: default
spec:
  bogus: true
  containers:
  - name: app
    image: nginx:1.27
`;

describe('OpenAPI with kubectl', function () {
  this.timeout(60_000);
  let kg: Kgate;
  before(async function () {
    kg = await startKgate();
  });
  after(async function () {
    await kg?.close();
  });

  it('serves the /openapi/v3 index and a hash-pinned, immutable group/version document over HTTP', async function () {
    const index = await kg.request('GET', '/openapi/v3');
    assert.equal(index.status, 200);
    const url: string = index.body.paths['api/v1'].serverRelativeURL;
    assert.match(url, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    const doc = await kg.request('GET', url, { headers: { accept: 'application/json' } });
    assert.equal(doc.status, 200);
    assert.equal(doc.headers['cache-control'], 'public, immutable');
    assert.equal(doc.headers.etag, `"${url.split('hash=')[1]}"`);
    const again = await kg.request('GET', url, { headers: { 'if-none-match': String(doc.headers.etag) } });
    assert.equal(again.status, 304);
    const protobufOnly = await kg.request('GET', url, {
      headers: { accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf' },
    });
    assert.equal(protobufOnly.status, 406);
    const stale = await kg.request('GET', '/openapi/v3/api/v1?hash=0123');
    assert.equal(stale.status, 301);
    assert.equal(stale.headers.location, url);
    assert.equal((await kg.request('GET', '/openapi/v3/apis/nope/v1')).status, 404);
  });

  it('serves /openapi/v2 as JSON when kubectl offers JSON beside protobuf', async function () {
    const res = await kg.request('GET', '/openapi/v2', {
      headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json;q=0.9' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.swagger, '2.0');
    assert.equal(
      res.body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch.operationId,
      'patchAppsV1NamespacedDeployment',
    );
  });

  it('kubectl create -f with default (strict) validation creates a valid pod', async function () {
    const r = await kg.kubectl(['create', '-f', '-'], { input: POD, allowFail: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pod\/strict-ok created/);
    const got = await kg.request('GET', '/api/v1/namespaces/default/pods/strict-ok');
    assert.equal(got.status, 200);
  });

  it('kubectl create -f rejects an unknown field under strict validation', async function () {
    const r = await kg.kubectl(['create', '-f', '-'], { input: POD_WITH_UNKNOWN_FIELD, allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown field "spec\.bogus"/);
    assert.doesNotMatch(r.stderr, /failed to download openapi/);
    const got = await kg.request('GET', '/api/v1/namespaces/default/pods/strict-bogus');
    assert.equal(got.status, 404);
  });

  it('kubectl explain pods.spec.containers prints the field docs', async function () {
    const r = await kg.kubectl(['explain', 'pods.spec.containers'], { allowFail: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+Pod/);
    assert.match(r.stdout, /A single application container that you want to run within a pod\./);
    assert.match(r.stdout, /imagePullPolicy\s+<string>/);
  });

  it('kubectl explain deployment.spec.strategy prints the field docs', async function () {
    const r = await kg.kubectl(['explain', 'deployment.spec.strategy'], { allowFail: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /GROUP:\s+apps/);
    assert.match(r.stdout, /FIELD: strategy <DeploymentStrategy>/);
    assert.match(r.stdout, /DeploymentStrategy describes how to replace existing pods with new ones\./);
    assert.match(r.stdout, /Type of deployment\. Can be "Recreate" or "RollingUpdate"/);
    assert.match(r.stdout, /rollingUpdate\s+<RollingUpdateDeployment>/);
  });
});
