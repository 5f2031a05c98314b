// LimitRanger (default on): a namespace's LimitRange defaults a new Pod's container requests and limits and says so in
// the kubernetes.io/limit-ranger annotation; min, max and maxLimitRequestRatio refuse Pods and PersistentVolumeClaims
// with kube's 403 and write nothing; a namespace without LimitRanges is left alone.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const NS = 'limits';
const PODS = `/api/v1/namespaces/${NS}/pods`;
const CLAIMS = `/api/v1/namespaces/${NS}/persistentvolumeclaims`;

const pod = (name: string, resources?: object, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'busybox', ...(resources && { resources }) }], ...extra },
});

const claim = (name: string, storage: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
});

const LIMIT_RANGE = `apiVersion: v1
kind: LimitRange
metadata:
  name: bounds
  namespace: ${NS}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m}
    min: {cpu: 50m}
    max: {cpu: "1"}
  - type: Pod
    maxLimitRequestRatio: {cpu: "10"}
  - type: PersistentVolumeClaim
    min: {storage: 1Gi}
    max: {storage: 5Gi}
`;

describe('LimitRanger', function () {
  this.timeout(60_000);
  let kg: Kgate;

  async function refused(path: string, body: unknown, message: string): Promise<void> {
    const res = await kg.request('POST', path, { body });
    assert.equal(res.status, 403, res.text);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: 'Forbidden',
      details: { name: (body as any).metadata.name, kind: path.split('/').pop() },
      code: 403,
    });
    // Nothing was written.
    assert.equal((await kg.request('GET', `${path}/${(body as any).metadata.name}`)).status, 404);
  }

  before(async () => {
    kg = await startKgate();
    await kg.kubectl(['create', 'namespace', NS]);
    await kg.kubectl(['apply', '-f', '-'], { input: LIMIT_RANGE });
  });
  after(async () => {
    await kg?.close();
  });

  it('defaults a new Pod from the LimitRange and annotates what it set, as kubectl shows', async () => {
    await kg.kubectl(['-n', NS, 'run', 'web', '--image=busybox', '--restart=Never']);
    const resources = await kg.kubectl(['-n', NS, 'get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].resources}']);
    // defaultRequest memory comes from default (the LimitRange's own defaulting), cpu from defaultRequest.
    assert.deepEqual(JSON.parse(resources.stdout), {
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '256Mi' },
    });
    const annotation = await kg.kubectl([
      '-n',
      NS,
      'get',
      'pod',
      'web',
      '-o',
      "jsonpath={.metadata.annotations['kubernetes\\.io/limit-ranger']}",
    ]);
    assert.equal(annotation.stdout, 'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web');
  });

  it('fills only what a container leaves out, init containers included', async () => {
    const res = await kg.request('POST', PODS, {
      body: pod('partial', { requests: { cpu: '200m' } }, { initContainers: [{ name: 'init', image: 'busybox' }] }),
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.spec.containers[0].resources, {
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '200m', memory: '256Mi' },
    });
    assert.deepEqual(res.body.spec.initContainers[0].resources, {
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '256Mi' },
    });
    assert.equal(
      res.body.metadata.annotations['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: memory request for container app; cpu, memory limit for container app; ' +
        'cpu, memory request for init container init; cpu, memory limit for init container init',
    );
  });

  it('refuses a container below min with kube message', async () => {
    await refused(
      PODS,
      pod('small', { requests: { cpu: '10m' }, limits: { cpu: '20m' } }),
      // minConstraint reports the request before it looks at the limit.
      'pods "small" is forbidden: minimum cpu usage per Container is 50m, but request is 10m',
    );
  });

  it('refuses a container above max, and a pod over its limit/request ratio, in one message', async () => {
    await refused(
      PODS,
      pod('big', { requests: { cpu: '100m' }, limits: { cpu: '2' } }),
      'pods "big" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, cpu max limit to request ratio per Pod is 10, but provided ratio is 20.000000]',
    );
  });

  it('refuses a claim outside the PersistentVolumeClaim bounds', async () => {
    await refused(
      CLAIMS,
      claim('huge', '10Gi'),
      'persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi',
    );
    await refused(
      CLAIMS,
      claim('tiny', '100Mi'),
      'persistentvolumeclaims "tiny" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 100Mi',
    );
    assert.equal((await kg.request('POST', CLAIMS, { body: claim('fits', '2Gi') })).status, 201);
  });

  it('names a generated pod by its generated name when refusing it', async () => {
    const res = await kg.request('POST', PODS, {
      body: { ...pod('', { requests: { cpu: '1m' }, limits: { cpu: '2m' } }), metadata: { generateName: 'gen-' } },
    });
    assert.equal(res.status, 403, res.text);
    assert.match(res.body.message, /^pods "gen-[a-z0-9]{5}" is forbidden: minimum cpu usage per Container is 50m, but request is 1m$/);
  });

  it('leaves pods in a namespace without LimitRanges as they are', async () => {
    const res = await kg.request('POST', '/api/v1/namespaces/default/pods', { body: pod('plain') });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.metadata.annotations, undefined);
    assert.equal(res.body.spec.containers[0].resources && Object.keys(res.body.spec.containers[0].resources).length, 0);
  });

  it('is off with --disable-admission-plugins=LimitRanger', async () => {
    const off = await startKgate({ etcd: kg.etcd, flags: ['--disable-admission-plugins=LimitRanger'] });
    try {
      const res = await off.request('POST', PODS, { body: pod('unlimited', { requests: { cpu: '1m' } }) });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.metadata.annotations, undefined);
    } finally {
      await off.close();
    }
  });
});
