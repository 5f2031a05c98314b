// ResourceQuota's arithmetic and evaluators (k8s.io/apiserver/pkg/quota/v1/resources.go, pkg/quota/v1/evaluator/core):
// what a pod, a service and a claim cost, which scopes a pod falls under, kube's pretty printing, and CheckRequest's
// deltas on update.
import assert from 'node:assert/strict';
import type { AdmissionAttributes } from '../../src/admission/index.js';
import { evaluatorFor, groupResourcesFor } from '../../src/admission/quota/evaluators.js';
import { checkRequest, ResourceQuota } from '../../src/admission/quota/plugin.js';
import {
  add,
  lessThanOrEqual,
  parseResourceList,
  prettyPrint,
  resourceListJSON,
  subtractNonNegative,
} from '../../src/admission/quota/resources.js';
import type { KubeObject } from '../../src/storage/interface.js';

const json = (list: ReturnType<typeof parseResourceList>) => resourceListJSON(list);
const pods = evaluatorFor({ group: '', resource: 'pods' });
const services = evaluatorFor({ group: '', resource: 'services' });
const claims = evaluatorFor({ group: '', resource: 'persistentvolumeclaims' });

const container = (name: string, requests: object = {}, limits: object = {}, extra: object = {}) => ({
  name,
  image: 'x',
  resources: { requests, limits },
  ...extra,
});

describe('quota arithmetic', () => {
  it('adds in the format of the first non-zero operand and prints sorted name=quantity pairs', () => {
    const sum = add(parseResourceList({ memory: '512Mi', cpu: '0' }), parseResourceList({ memory: '512Mi', cpu: '250m', pods: '1' }));
    assert.deepEqual(json(sum), { cpu: '250m', memory: '1Gi', pods: '1' });
    assert.equal(prettyPrint(sum), 'cpu=250m,memory=1Gi,pods=1');
    assert.deepEqual(json(add(parseResourceList({ pods: '999' }), parseResourceList({ pods: '1' }))), { pods: '1k' });
  });

  it('compares only the names the limit has, and subtracts without going below zero', () => {
    assert.deepEqual(lessThanOrEqual(parseResourceList({ pods: '3', cpu: '9' }), parseResourceList({ pods: '2' })), {
      allowed: false,
      exceeded: ['pods'],
    });
    assert.deepEqual(json(subtractNonNegative(parseResourceList({ pods: '1', cpu: '1' }), parseResourceList({ pods: '2' }))), {
      cpu: '1',
      pods: '0',
    });
  });
});

describe('quota evaluators', () => {
  it("a pod costs its containers' sum, its largest init container, its sidecars and its overhead", () => {
    const pod = {
      spec: {
        containers: [container('a', { cpu: '100m', memory: '64Mi' }, { cpu: '200m' }), container('b', { cpu: '100m' })],
        initContainers: [
          container('side', { cpu: '50m' }, {}, { restartPolicy: 'Always' }),
          container('big', { cpu: '1', memory: '1Gi' }, { cpu: '2' }),
        ],
        overhead: { cpu: '10m' },
      },
    };
    assert.deepEqual(json(pods.usage(pod)), {
      'count/pods': '1',
      cpu: '1060m',
      'limits.cpu': '2010m',
      memory: '1Gi',
      pods: '1',
      'requests.cpu': '1060m',
      'requests.memory': '1Gi',
    });
  });

  it('a pod that ended costs only count/pods; one being deleted keeps its compute in the books until it is gone', () => {
    const base = { spec: { containers: [container('a', { cpu: '1' })] } };
    assert.deepEqual(json(pods.usage({ ...base, status: { phase: 'Succeeded' } })), { 'count/pods': '1' });
    const deleting = { ...base, metadata: { deletionTimestamp: '2000-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 } };
    assert.deepEqual(json(pods.usage(deleting)), { 'count/pods': '1' });
    assert.equal(json(pods.usage(deleting, { asCharged: true }))['requests.cpu'], '1');
  });

  it('scopes: BestEffort by cpu and memory only, Terminating by activeDeadlineSeconds, PriorityClass by selector', () => {
    const bestEffort = { spec: { containers: [container('a', { 'ephemeral-storage': '1Gi' })] } };
    const burstable = { spec: { containers: [container('a', { cpu: '1m' })], activeDeadlineSeconds: 0, priorityClassName: 'high' } };
    const scope = (scopeName: string, operator = 'Exists', values?: string[]) => ({ scopeName, operator, values });
    assert.deepEqual(
      [bestEffort, burstable].map((p) => [
        pods.matchesScope(scope('BestEffort'), p),
        pods.matchesScope(scope('Terminating'), p),
        pods.matchesScope(scope('PriorityClass', 'In', ['high']), p),
        pods.matchesScope(scope('PriorityClass', 'NotIn', ['high']), p),
      ]),
      [
        [true, false, false, true],
        [false, true, true, false],
      ],
    );
  });

  it('services count node ports and load balancers by type', () => {
    const ports = [{ port: 80, nodePort: 30080 }, { port: 81 }];
    assert.deepEqual(json(services.usage({ spec: { type: 'NodePort', ports } })), {
      'count/services': '1',
      services: '1',
      'services.loadbalancers': '0',
      'services.nodeports': '2',
    });
    assert.deepEqual(
      json(services.usage({ spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports } }))['services.nodeports'],
      '1',
    );
  });

  it('claims count storage rounded up to whole bytes, also per storage class', () => {
    assert.deepEqual(json(claims.usage({ spec: { storageClassName: 'fast', resources: { requests: { storage: '1500m' } } } })), {
      'count/persistentvolumeclaims': '1',
      'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
      'fast.storageclass.storage.k8s.io/requests.storage': '2',
      persistentvolumeclaims: '1',
      'requests.storage': '2',
    });
  });

  it("any other resource is counted as count/<resource>.<group>, with kube's legacy names for four core kinds", () => {
    assert.deepEqual(json(evaluatorFor({ group: 'apps', resource: 'deployments' }).usage({})), { 'count/deployments.apps': '1' });
    assert.deepEqual(json(evaluatorFor({ group: '', resource: 'secrets' }).usage({})), { 'count/secrets': '1', secrets: '1' });
    assert.deepEqual(groupResourcesFor(['count/deployments.apps', 'requests.cpu', 'configmaps']), [
      { group: '', resource: 'pods' },
      { group: 'apps', resource: 'deployments' },
      { group: '', resource: 'configmaps' },
    ]);
  });
});

describe('CheckRequest', () => {
  const quota = (hard: Record<string, string>, used: Record<string, string>) => {
    const source: KubeObject = { metadata: { name: 'q' }, spec: { hard }, status: { hard, used } };
    return { name: 'q', hard: parseResourceList(hard), used: parseResourceList(used), source };
  };
  const attributes = (operation: 'CREATE' | 'UPDATE', object: KubeObject, oldObject?: KubeObject): AdmissionAttributes => ({
    operation,
    resource: { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true } as AdmissionAttributes['resource'],
    subresource: '',
    namespace: 'ns',
    name: 's',
    object,
    oldObject,
    dryRun: false,
    warn: () => undefined,
    annotate: () => undefined,
  });

  it('charges an update only what it adds: a service turned NodePort costs node ports, not another service', () => {
    const hard = { services: '5', 'services.nodeports': '4' };
    const old = { metadata: { resourceVersion: '7' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } };
    const now = { spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] } };
    const charged = checkRequest([quota(hard, { services: '1', 'services.nodeports': '0' })], attributes('UPDATE', now, old), services);
    assert.deepEqual(json(charged.get('q')!), { services: '1', 'services.nodeports': '2' });
    assert.throws(
      () => checkRequest([quota(hard, { services: '1', 'services.nodeports': '3' })], attributes('UPDATE', now, old), services),
      /^StatusError: services "s" is forbidden: exceeded quota: q, requested: services.nodeports=2, used: services.nodeports=3, limited: services.nodeports=4$/,
    );
  });

  it('refuses a quota whose status does not track what it limits yet, as kube does before its controller ran', () => {
    assert.throws(
      () => checkRequest([quota({ services: '5' }, {})], attributes('CREATE', { spec: {} }), services),
      /status unknown for quota: q, resources: services$/,
    );
  });
});

describe('ResourceQuota companion writes', () => {
  const stored = (name: string, hard: Record<string, string>, used: Record<string, string>, spec: object = {}): KubeObject => ({
    metadata: { name, namespace: 'ns', resourceVersion: '5' },
    spec: { hard, ...spec },
    status: { hard, used },
  });
  const plugin = (quotas: KubeObject[]) =>
    new ResourceQuota({
      list: async () => quotas,
      statusWrite: (quota, used) => ({ key: String(quota.metadata?.name), expectedRevision: 5, obj: { status: { used } } }),
      listObjects: async () => [],
    });
  const attributes = (
    resource: string,
    operation: 'UPDATE' | 'DELETE',
    object: KubeObject | undefined,
    oldObject: KubeObject,
  ): AdmissionAttributes => ({
    operation,
    resource: { group: '', version: 'v1', resource, kind: '', namespaced: true } as AdmissionAttributes['resource'],
    subresource: '',
    namespace: 'ns',
    name: 'x',
    object,
    oldObject,
    dryRun: false,
    warn: () => undefined,
    annotate: () => undefined,
  });
  const written = (writes: Array<{ key: string; obj: KubeObject }>) => writes.map((w) => [w.key, w.obj.status.used]);

  it('a Service that stops being NodePort gives its node ports back, guarded by the revision the quota was read at', async () => {
    const q = stored('q', { services: '5', 'services.nodeports': '4' }, { services: '1', 'services.nodeports': '2' });
    const old = { metadata: { resourceVersion: '3' }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] } };
    const now = { spec: { type: 'ClusterIP', ports: [{ port: 80 }, { port: 81 }] } };
    const writes = await plugin([q]).companions(attributes('services', 'UPDATE', now, old), false);
    assert.deepEqual(written(writes), [['q', { services: '1', 'services.nodeports': '0' }]]);
    assert.equal(writes[0].expectedRevision, 5);
  });

  it('a pod that leaves a scope is given back by that quota and charged by the one it enters', async () => {
    const notTerminating = stored('nt', { pods: '5' }, { pods: '1' }, { scopes: ['NotTerminating'] });
    const terminating = stored('t', { pods: '5' }, { pods: '0' }, { scopes: ['Terminating'] });
    const old = { metadata: { resourceVersion: '3' }, spec: { containers: [{ name: 'a' }] } };
    const now = { spec: { containers: [{ name: 'a' }], activeDeadlineSeconds: 30 } };
    const writes = await plugin([notTerminating, terminating]).companions(attributes('pods', 'UPDATE', now, old), false);
    assert.deepEqual(written(writes), [
      ['nt', { pods: '0' }],
      ['t', { pods: '1' }],
    ]);
  });

  it('a delete gives back what the object was charged, and no quota that did not track it is written', async () => {
    const q = stored('q', { 'count/configmaps': '3' }, { 'count/configmaps': '2' });
    const other = stored('pods', { pods: '3' }, { pods: '2' });
    const writes = await plugin([q, other]).companions(attributes('configmaps', 'DELETE', undefined, { metadata: {} }), false);
    assert.deepEqual(written(writes), [['q', { 'count/configmaps': '1' }]]);
  });
});
