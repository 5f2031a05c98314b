// The scale subresource: autoscaling/v1 Scale views of workloads, with resourceVersion preconditions.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
};

describe('scale subresource', function () {
  let kg: Kgate;
  let n = 0;
  // Each test gets its own namespace holding a fresh Deployment "web" with 2 replicas.
  let ns: string;
  let deploymentPath: string;
  let path: string;
  before(async function () {
    kg = await startKgate();
  });
  beforeEach(async function () {
    ns = `scale-${++n}`;
    deploymentPath = `/apis/apps/v1/namespaces/${ns}/deployments/web`;
    path = `${deploymentPath}/scale`;
    const created = await kg.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    });
    assert.equal(created.status, 201, created.text);
    const r = await kg.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, { body: deployment });
    assert.equal(r.status, 201, r.text);
  });
  after(async function () {
    await kg?.close();
  });

  it('reads a Deployment as an autoscaling/v1 Scale', async function () {
    const r = await kg.request('GET', path);
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, 'Scale');
    assert.equal(r.body.apiVersion, 'autoscaling/v1');
    assert.equal(r.body.spec.replicas, 2);
    assert.equal(r.body.status.replicas, 0);
    assert.equal(r.body.status.selector, 'app=web');
    assert.equal(r.body.metadata.name, 'web');
  });

  it('writes replicas through PUT, bumping generation and keeping the rest', async function () {
    const scale = (await kg.request('GET', path)).body;
    const r = await kg.request('PUT', path, { body: { ...scale, spec: { replicas: 5 } } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.spec.replicas, 5);
    const dep = (await kg.request('GET', deploymentPath)).body;
    assert.equal(dep.spec.replicas, 5);
    assert.equal(dep.metadata.generation, 2);
    assert.equal(dep.spec.template.spec.containers[0].image, 'nginx:1.27');
  });

  it('refuses a stale resourceVersion with 409 and a negative count with 422', async function () {
    const stale = await kg.request('PUT', path, {
      body: {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name: 'web', namespace: ns, resourceVersion: '1' },
        spec: { replicas: 7 },
      },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    const neg = await kg.request('PUT', path, {
      body: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web' }, spec: { replicas: -1 } },
    });
    assert.equal(neg.status, 422);
    assert.equal(
      neg.body.message,
      'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    const dep = (await kg.request('GET', deploymentPath)).body;
    assert.equal(dep.spec.replicas, 2, 'neither write changed the Deployment');
    assert.equal(dep.metadata.generation, 1);
  });

  it('answers 404 for a missing workload and for kinds without scale', async function () {
    assert.equal((await kg.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/nope/scale`)).status, 404);
    assert.equal((await kg.request('GET', `/apis/apps/v1/namespaces/${ns}/daemonsets/web/scale`)).status, 404);
  });
});
