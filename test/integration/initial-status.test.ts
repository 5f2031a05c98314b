// What a just-created object's status is, per kind: kube's PrepareForCreate assigns the zero status struct (or an
// initial one), and Go writes a struct even when empty and int fields without omitempty as 0. Typed clients
// rely on `status` being there (dep.status.replicas in Python, Java, .NET).
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const NS = 'initial-status';
const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };
const jobTemplate = { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } };

const CASES: Array<{ kind: string; path: string; body: Record<string, unknown>; status: unknown }> = [
  {
    kind: 'Deployment',
    path: `/apis/apps/v1/namespaces/${NS}/deployments`,
    body: { spec: { selector: { matchLabels: { app: 'x' } }, template } },
    status: {},
  },
  {
    kind: 'ReplicaSet',
    path: `/apis/apps/v1/namespaces/${NS}/replicasets`,
    body: { spec: { selector: { matchLabels: { app: 'x' } }, template } },
    status: { replicas: 0 },
  },
  {
    kind: 'StatefulSet',
    path: `/apis/apps/v1/namespaces/${NS}/statefulsets`,
    body: { spec: { serviceName: 's', selector: { matchLabels: { app: 'x' } }, template } },
    status: { replicas: 0, availableReplicas: 0 },
  },
  {
    kind: 'DaemonSet',
    path: `/apis/apps/v1/namespaces/${NS}/daemonsets`,
    body: { spec: { selector: { matchLabels: { app: 'x' } }, template } },
    status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
  },
  { kind: 'Job', path: `/apis/batch/v1/namespaces/${NS}/jobs`, body: { spec: { template: jobTemplate } }, status: {} },
  {
    kind: 'CronJob',
    path: `/apis/batch/v1/namespaces/${NS}/cronjobs`,
    body: { spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: jobTemplate } } } },
    status: {},
  },
  { kind: 'Service', path: `/api/v1/namespaces/${NS}/services`, body: { spec: { ports: [{ port: 80 }] } }, status: { loadBalancer: {} } },
  {
    kind: 'PersistentVolumeClaim',
    path: `/api/v1/namespaces/${NS}/persistentvolumeclaims`,
    body: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    status: { phase: 'Pending' },
  },
  {
    kind: 'PersistentVolume',
    path: `/api/v1/persistentvolumes`,
    body: { spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/x' } } },
    status: { phase: 'Pending' },
  },
  {
    kind: 'ReplicationController',
    path: `/api/v1/namespaces/${NS}/replicationcontrollers`,
    body: { spec: { selector: { app: 'x' }, template } },
    status: { replicas: 0 },
  },
  {
    kind: 'Pod',
    path: `/api/v1/namespaces/${NS}/pods`,
    body: { spec: template.spec },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  },
  { kind: 'Namespace', path: `/api/v1/namespaces`, body: {}, status: { phase: 'Active' } },
  // kube stores {} and leaves the rest to kube-controller-manager's quota controller; kgate, which has none, computes
  // the status as the quota is written (its hard limits, and the one Pod created above as used).
  {
    kind: 'ResourceQuota',
    path: `/api/v1/namespaces/${NS}/resourcequotas`,
    body: { spec: { hard: { pods: '5' } } },
    status: { hard: { pods: '5' }, used: { pods: '1' } },
  },
  {
    kind: 'HorizontalPodAutoscaler',
    path: `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`,
    body: { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3 } },
    // autoscaling/v2's currentMetrics has no omitempty: Go writes it as null.
    status: { desiredReplicas: 0, currentMetrics: null },
  },
  {
    kind: 'PodDisruptionBudget',
    path: `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`,
    body: { spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } } },
    status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  },
  {
    kind: 'Ingress',
    path: `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses`,
    body: { spec: { defaultBackend: { service: { name: 's', port: { number: 80 } } } } },
    status: { loadBalancer: {} },
  },
];

describe('initial status on create', function () {
  this.timeout(120_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate();
    assert.equal((await kg.request('POST', '/api/v1/namespaces', { body: { metadata: { name: NS } } })).status, 201);
  });
  after(async () => kg?.close());

  for (const c of CASES) {
    it(`a new ${c.kind} answers and stores status ${JSON.stringify(c.status)}, whatever status it was sent with`, async () => {
      const name = `new-${c.kind.toLowerCase()}`;
      const body = { ...c.body, metadata: { name, ...((c.body.metadata as object) ?? {}) }, status: { bogus: true } };
      const created = await kg.request('POST', c.path, { body });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body.status, c.status);
      const read = await kg.request('GET', `${c.path}/${name}`);
      assert.deepEqual(read.body.status, c.status);
    });
  }

  it('an autoscaling/v1 view of a new HPA writes both replica counters', async () => {
    const r = await kg.request('GET', `/apis/autoscaling/v1/namespaces/${NS}/horizontalpodautoscalers/new-horizontalpodautoscaler`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.status, { currentReplicas: 0, desiredReplicas: 0 });
  });

  it('a main-resource update leaves status as it was', async () => {
    const path = `/apis/apps/v1/namespaces/${NS}/replicasets/new-replicaset`;
    const current = await kg.request('GET', path);
    const updated = await kg.request('PUT', path, {
      body: { ...current.body, spec: { ...current.body.spec, replicas: 4 }, status: { replicas: 9 } },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(updated.body.status, { replicas: 0 });
    assert.equal(updated.body.spec.replicas, 4);
  });
});
