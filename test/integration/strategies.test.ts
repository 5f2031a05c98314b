// Per-kind registry behaviour over HTTP against real etcd: immutable fields, workload and Job rules, the
// namespace finalize path, and resources shared between group/versions (HPA v1/v2).
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const NS = 'strategies';

describe('per-kind strategies', function () {
  let kg: Kgate;
  before(async function () {
    kg = await startKgate();
    const r = await kg.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    assert.equal(r.status, 201, r.text);
  });
  after(async function () {
    await kg?.close();
  });

  it('an immutable ConfigMap refuses data changes and cannot be made mutable again', async function () {
    const base = `/api/v1/namespaces/${NS}/configmaps`;
    const created = await kg.request('POST', base, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'frozen' }, data: { a: '1' }, immutable: true },
    });
    assert.equal(created.status, 201, created.text);
    const changed = await kg.request('PUT', `${base}/frozen`, { body: { ...created.body, data: { a: '2' } } });
    assert.equal(changed.status, 422);
    assert.equal(changed.body.message, 'ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    const thawed = await kg.request('PUT', `${base}/frozen`, { body: { ...created.body, immutable: false } });
    assert.equal(thawed.status, 422);
    assert.deepEqual(
      thawed.body.details.causes.map((c: { field: string }) => c.field),
      ['immutable'],
    );
    assert.deepEqual((await kg.request('GET', `${base}/frozen`)).body.data, { a: '1' });
  });

  it("a Secret's type never changes, and stringData lands base64-encoded in data", async function () {
    const base = `/api/v1/namespaces/${NS}/secrets`;
    const created = await kg.request('POST', base, {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { user: 'admin' } },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.type, 'Opaque');
    assert.deepEqual(created.body.data, { user: Buffer.from('admin').toString('base64') });
    assert.equal(created.body.stringData, undefined);
    const retyped = await kg.request('PUT', `${base}/s`, { body: { ...created.body, type: 'kubernetes.io/tls' } });
    assert.equal(retyped.status, 422);
    // kube-apiserver v1.34.4's answer: the new type's own rules are checked too.
    assert.equal(
      retyped.body.message,
      'Secret "s" is invalid: [type: Invalid value: "kubernetes.io/tls": field is immutable, data[tls.crt]: Required value, data[tls.key]: Required value]',
    );
  });

  it('a Deployment needs a selector matching its template, and the selector is immutable', async function () {
    const base = `/apis/apps/v1/namespaces/${NS}/deployments`;
    const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const mismatch = await kg.request('POST', base, {
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { selector: { matchLabels: { app: 'b' } }, template },
      },
    });
    assert.equal(mismatch.status, 422);
    assert.equal(mismatch.body.details.causes[0].field, 'spec.template.metadata.labels');
    assert.match(mismatch.body.details.causes[0].message, /`selector` does not match template `labels`/);
    const created = await kg.request('POST', base, {
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { selector: { matchLabels: { app: 'a' } }, template },
      },
    });
    assert.equal(created.status, 201, created.text);
    const moved = await kg.request('PUT', `${base}/d`, {
      body: {
        ...created.body,
        spec: {
          ...created.body.spec,
          selector: { matchLabels: { app: 'a', extra: 'x' } },
          template: { ...template, metadata: { labels: { app: 'a', extra: 'x' } } },
        },
      },
    });
    assert.equal(moved.status, 422);
    assert.deepEqual(
      moved.body.details.causes.map((c: { field: string; message: string }) => [c.field, c.message.endsWith('field is immutable')]),
      [['spec.selector', true]],
    );
  });

  it('a Job selects its pods by its own uid and needs a restartPolicy of OnFailure or Never', async function () {
    const base = `/apis/batch/v1/namespaces/${NS}/jobs`;
    const spec = (restartPolicy?: string) => ({
      template: { spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'c', image: 'busybox' }] } },
    });
    const always = await kg.request('POST', base, { body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: spec() } });
    assert.equal(always.status, 422);
    assert.equal(always.body.details.causes[0].field, 'spec.template.spec.restartPolicy');
    const created = await kg.request('POST', base, {
      body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: spec('Never') },
    });
    assert.equal(created.status, 201, created.text);
    const uid = created.body.metadata.uid;
    assert.deepEqual(created.body.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.equal(created.body.spec.template.metadata.labels['batch.kubernetes.io/job-name'], 'j');
    assert.equal(created.body.spec.template.metadata.labels['controller-uid'], uid);
  });

  it('a terminating namespace goes once /finalize empties spec.finalizers', async function () {
    const del = await kg.request('DELETE', `/api/v1/namespaces/${NS}-gone`);
    assert.equal(del.status, 404);
    const ns = await kg.request('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${NS}-gone` } },
    });
    assert.equal(ns.status, 201, ns.text);
    const marked = await kg.request('DELETE', `/api/v1/namespaces/${NS}-gone`);
    assert.equal(marked.status, 200);
    assert.equal(marked.body.status.phase, 'Terminating');
    assert.deepEqual(marked.body.spec.finalizers, ['kubernetes']);
    // A main-resource PUT cannot drop the finalizer; only /finalize can.
    const viaPut = await kg.request('PUT', `/api/v1/namespaces/${NS}-gone`, { body: { ...marked.body, spec: { finalizers: [] } } });
    assert.equal(viaPut.status, 200, viaPut.text);
    assert.deepEqual(viaPut.body.spec.finalizers, ['kubernetes']);
    const finalized = await kg.request('PUT', `/api/v1/namespaces/${NS}-gone/finalize`, {
      body: { ...viaPut.body, spec: { finalizers: [] } },
    });
    assert.equal(finalized.status, 200, finalized.text);
    assert.equal((await kg.request('GET', `/api/v1/namespaces/${NS}-gone`)).status, 404);
  });

  it('the system namespaces cannot be deleted', async function () {
    const r = await kg.request('DELETE', '/api/v1/namespaces/kube-system');
    assert.equal(r.status, 403);
    assert.equal(r.body.message, 'namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });

  it('an autoscaling/v1 HPA reads back as autoscaling/v2 with a CPU metric, and a v2 change reads back as v1', async function () {
    const v1 = await kg.request('POST', `/apis/autoscaling/v1/namespaces/${NS}/horizontalpodautoscalers`, {
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
          maxReplicas: 5,
          targetCPUUtilizationPercentage: 70,
        },
      },
    });
    assert.equal(v1.status, 201, v1.text);
    assert.equal(v1.body.apiVersion, 'autoscaling/v1');
    assert.equal(v1.body.spec.targetCPUUtilizationPercentage, 70);
    const v2 = await kg.request('GET', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/h`);
    assert.equal(v2.body.apiVersion, 'autoscaling/v2');
    assert.deepEqual(v2.body.spec.metrics, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    assert.equal(v2.body.spec.targetCPUUtilizationPercentage, undefined);
    assert.equal(v2.body.metadata.resourceVersion, v1.body.metadata.resourceVersion);
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };
    const updated = await kg.request('PUT', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/h`, {
      body: { ...v2.body, spec: { ...v2.body.spec, metrics: [...v2.body.spec.metrics, memory] } },
    });
    assert.equal(updated.status, 200, updated.text);
    const back = (await kg.request('GET', `/apis/autoscaling/v1/namespaces/${NS}/horizontalpodautoscalers/h`)).body;
    assert.equal(back.spec.targetCPUUtilizationPercentage, 70);
    assert.deepEqual(JSON.parse(back.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics']), [memory]);
  });
});
