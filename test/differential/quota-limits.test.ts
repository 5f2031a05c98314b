// LimitRanger and ResourceQuota beside the reference kube-apiserver (both default on there and here): the same
// LimitRange and quotas on both, then pods and claims that are defaulted, fit, or are refused. Refusals must match in
// status, reason, message and details; created pods in their resources and kubernetes.io/limit-ranger annotation; the
// quotas in status.used after the charges. The reference runs no quota controller (no kube-controller-manager), so
// each quota's status is set explicitly on both before the requests that it judges.
import assert from 'node:assert/strict';
import type { HttpResponse, Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const LIMITS = '/api/v1/namespaces/diff-limits';
const QUOTA = '/api/v1/namespaces/diff-quota';
const SCOPED = '/api/v1/namespaces/diff-scopes';

interface Step {
  title: string;
  method: string;
  path: string;
  body?: object;
}

const namespace = (name: string): Step => ({
  title: `namespace ${name}`,
  method: 'POST',
  path: '/api/v1/namespaces',
  body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
});
const pod = (name: string, resources?: object, extra: object = {}, meta: object = { name }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta,
  spec: { containers: [{ name: 'app', image: 'busybox', ...(resources && { resources }) }], ...extra },
});
const claim = (name: string, storage: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
});
const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

const COMPUTE_HARD = { pods: '2', 'requests.cpu': '1', 'limits.memory': '1Gi' };
const OBJECTS_HARD = { 'count/configmaps': '1', persistentvolumeclaims: '5', 'requests.storage': '3Gi' };
const BEST_EFFORT_HARD = { pods: '1' };
const TERMINATING_HARD = { pods: '1', 'requests.cpu': '1' };
const deadlinePod = (name: string, resources?: object) => pod(name, resources, { activeDeadlineSeconds: 60 });
const zeros = (hard: Record<string, string>) => Object.fromEntries(Object.keys(hard).map((k) => [k, '0']));
const quota = (name: string, hard: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name },
  spec: { hard },
});

const SETUP: Step[] = [
  namespace('diff-limits'),
  namespace('diff-quota'),
  namespace('diff-scopes'),
  {
    title: 'a LimitRange',
    method: 'POST',
    path: `${LIMITS}/limitranges`,
    body: {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'bounds' },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '500m', memory: '256Mi' },
            defaultRequest: { cpu: '100m' },
            min: { cpu: '50m' },
            max: { cpu: '1' },
          },
          { type: 'Pod', maxLimitRequestRatio: { cpu: '10' } },
          { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '5Gi' } },
        ],
      },
    },
  },
  { title: 'a compute quota', method: 'POST', path: `${QUOTA}/resourcequotas`, body: quota('compute', COMPUTE_HARD) },
  { title: 'an object quota', method: 'POST', path: `${QUOTA}/resourcequotas`, body: quota('objects', OBJECTS_HARD) },
  {
    title: 'a quota on best-effort pods',
    method: 'POST',
    path: `${SCOPED}/resourcequotas`,
    body: { ...quota('best-effort', BEST_EFFORT_HARD), spec: { hard: BEST_EFFORT_HARD, scopes: ['BestEffort'] } },
  },
  {
    title: 'a quota on terminating pods that are not best-effort',
    method: 'POST',
    path: `${SCOPED}/resourcequotas`,
    body: {
      ...quota('terminating', TERMINATING_HARD),
      spec: {
        hard: TERMINATING_HARD,
        scopeSelector: {
          matchExpressions: [
            { scopeName: 'Terminating', operator: 'Exists' },
            { scopeName: 'NotBestEffort', operator: 'Exists' },
          ],
        },
      },
    },
  },
];

const LIMIT_STEPS: Step[] = [
  { title: 'a pod without resources is defaulted', method: 'POST', path: `${LIMITS}/pods`, body: pod('defaulted') },
  {
    title: 'a pod with some resources, and an init container, gets the rest',
    method: 'POST',
    path: `${LIMITS}/pods`,
    body: pod('partial', { requests: { cpu: '200m' } }, { initContainers: [{ name: 'init', image: 'busybox' }] }),
  },
  { title: 'a request below min', method: 'POST', path: `${LIMITS}/pods`, body: pod('small', { requests: { cpu: '10m' } }) },
  {
    title: 'a limit above max and a ratio above the pod’s',
    method: 'POST',
    path: `${LIMITS}/pods`,
    body: pod('big', { requests: { cpu: '100m' }, limits: { cpu: '2' } }),
  },
  {
    title: 'a ratio too large alone',
    method: 'POST',
    path: `${LIMITS}/pods`,
    body: pod('ratio', { requests: { cpu: '50m' }, limits: { cpu: '900m' } }),
  },
  {
    title: 'a generated name in the refusal',
    method: 'POST',
    path: `${LIMITS}/pods`,
    body: pod('', { requests: { cpu: '1m' }, limits: { cpu: '2m' } }, {}, { generateName: 'gen-' }),
  },
  { title: 'a claim above max', method: 'POST', path: `${LIMITS}/persistentvolumeclaims`, body: claim('huge', '10Gi') },
  { title: 'a claim below min', method: 'POST', path: `${LIMITS}/persistentvolumeclaims`, body: claim('tiny', '100Mi') },
  { title: 'a claim within bounds', method: 'POST', path: `${LIMITS}/persistentvolumeclaims`, body: claim('fits', '2Gi') },
];

const QUOTA_STEPS: Step[] = [
  { title: 'a pod without what the quota tracks', method: 'POST', path: `${QUOTA}/pods`, body: pod('bare') },
  {
    title: 'a pod that fits',
    method: 'POST',
    path: `${QUOTA}/pods`,
    body: pod('a', { requests: { cpu: '600m' }, limits: { memory: '512Mi' } }),
  },
  {
    title: 'a pod over requests.cpu',
    method: 'POST',
    path: `${QUOTA}/pods`,
    body: pod('b', { requests: { cpu: '500m' }, limits: { memory: '256Mi' } }),
  },
  {
    title: 'a pod that takes the rest',
    method: 'POST',
    path: `${QUOTA}/pods`,
    body: pod('c', { requests: { cpu: '400m' }, limits: { memory: '512Mi' } }),
  },
  {
    title: 'a pod over three hard limits at once',
    method: 'POST',
    path: `${QUOTA}/pods`,
    body: pod('d', { requests: { cpu: '1m' }, limits: { memory: '1Mi' } }),
  },
  {
    title: 'a dry run is judged the same',
    method: 'POST',
    path: `${QUOTA}/pods?dryRun=All`,
    body: pod('e', { requests: { cpu: '1m' }, limits: { memory: '1Mi' } }),
  },
  { title: 'a configmap counted', method: 'POST', path: `${QUOTA}/configmaps`, body: configMap('c1') },
  { title: 'a configmap over its count', method: 'POST', path: `${QUOTA}/configmaps`, body: configMap('c2') },
  { title: 'a claim counted', method: 'POST', path: `${QUOTA}/persistentvolumeclaims`, body: claim('pvc1', '2Gi') },
  { title: 'a claim over requests.storage', method: 'POST', path: `${QUOTA}/persistentvolumeclaims`, body: claim('pvc2', '1500Mi') },
  {
    title: 'a claim that takes the rest',
    method: 'POST',
    path: `${QUOTA}/persistentvolumeclaims`,
    body: claim('pvc3', '1Gi'),
  },
  {
    title: 'a claim of a fraction of a byte is charged a whole byte',
    method: 'POST',
    path: `${QUOTA}/persistentvolumeclaims`,
    body: claim('pvc4', '1500m'),
  },
  {
    title: 'a secret the quotas do not track',
    method: 'POST',
    path: `${QUOTA}/secrets`,
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
  },
];

const SCOPE_STEPS: Step[] = [
  { title: 'a best-effort pod is charged to the best-effort quota', method: 'POST', path: `${SCOPED}/pods`, body: pod('be1') },
  { title: 'a second best-effort pod is over it', method: 'POST', path: `${SCOPED}/pods`, body: pod('be2') },
  {
    title: 'a burstable pod without a deadline is under no quota',
    method: 'POST',
    path: `${SCOPED}/pods`,
    body: pod('burst', { requests: { cpu: '10m' } }),
  },
  {
    title: 'a burstable pod with a deadline is charged to the terminating quota',
    method: 'POST',
    path: `${SCOPED}/pods`,
    body: deadlinePod('job1', { requests: { cpu: '600m' } }),
  },
  {
    title: 'a second terminating one is over it',
    method: 'POST',
    path: `${SCOPED}/pods`,
    body: deadlinePod('job2', { requests: { cpu: '600m' } }),
  },
  {
    title: 'a best-effort pod with a deadline falls under the best-effort quota only',
    method: 'POST',
    path: `${SCOPED}/pods`,
    body: deadlinePod('job3'),
  },
];

/** The part of an answer both servers must agree on; a generated name is masked (each server picks its own). */
function summary(res: HttpResponse) {
  if (res.status >= 300) {
    const text = JSON.stringify({ status: res.status, reason: res.body?.reason, message: res.body?.message, details: res.body?.details });
    return JSON.parse(text.replace(/gen-[a-z0-9]{5}/g, 'gen-*'));
  }
  const body = res.body ?? {};
  if (body.kind !== 'Pod') return { status: res.status };
  return {
    status: res.status,
    resources: [...(body.spec.initContainers ?? []), ...body.spec.containers].map((c: { resources?: unknown }) => c.resources),
    annotations: body.metadata.annotations,
  };
}

const run = async (request: Requester, step: Step) => summary(await request(step.method, step.path, { body: step.body }));

/** Sets a quota's status.used as kube's controller would. */
async function putUsed(request: Requester, ns: string, name: string, hard: Record<string, string>, used: Record<string, string>) {
  const current = await request('GET', `${ns}/resourcequotas/${name}`);
  assert.equal(current.status, 200, current.text);
  const put = await request('PUT', `${ns}/resourcequotas/${name}/status`, { body: { ...current.body, status: { hard, used } } });
  assert.equal(put.status, 200, put.text);
}

/** kube-apiserver's quota lister follows a watch: waits until a dry run of `probe` gets the answer `wanted` says. */
async function waitForJudgement(request: Requester, ns: string, probe: object, wanted: (res: HttpResponse) => boolean) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request('POST', `${ns}/${(probe as { kind: string }).kind.toLowerCase()}s?dryRun=All`, { body: probe });
    if (wanted(res)) return;
    if (Date.now() > deadline) assert.fail(`the probe never got the awaited answer: ${res.status} ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sets a quota's status to nothing used, and waits until admission judges by it (a probe too large is refused). */
async function settleQuota(request: Requester, name: string, hard: Record<string, string>, probe: object, refusal: RegExp) {
  await putUsed(request, QUOTA, name, hard, zeros(hard));
  await waitForJudgement(request, QUOTA, probe, (res) => res.status === 403 && refusal.test(res.body?.message));
}

/**
 * A scoped quota of one pod: no probe is too large for an empty one, so it is shown full first (a probe is refused),
 * then empty (the probe passes).
 */
async function settleScoped(request: Requester, name: string, hard: Record<string, string>, probe: object) {
  await putUsed(request, SCOPED, name, hard, hard);
  await waitForJudgement(request, SCOPED, probe, (res) => res.status === 403 && res.body?.message?.includes(`exceeded quota: ${name}`));
  await putUsed(request, SCOPED, name, hard, zeros(hard));
  await waitForJudgement(request, SCOPED, probe, (res) => res.status === 201);
}

if (!referenceBinary()) {
  console.log(`LimitRanger/ResourceQuota differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: LimitRanger and ResourceQuota as kube-apiserver applies them', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      [kube, kgate] = await Promise.all([startReference(), startKgate()]);
      for (const step of SETUP) {
        for (const server of [kube, kgate]) {
          const res = await run(server.request, step);
          assert.equal(res.status, 201, `${step.title}: ${JSON.stringify(res)}`);
        }
      }
      for (const server of [kube, kgate]) {
        await settleQuota(
          server.request,
          'compute',
          COMPUTE_HARD,
          pod('probe', { requests: { cpu: '2' }, limits: { memory: '1Mi' } }),
          /exceeded quota: compute/,
        );
        await settleQuota(server.request, 'objects', OBJECTS_HARD, claim('probe', '4Gi'), /exceeded quota: objects/);
        await settleScoped(server.request, 'best-effort', BEST_EFFORT_HARD, pod('probe'));
        await settleScoped(server.request, 'terminating', TERMINATING_HARD, deadlinePod('probe', { requests: { cpu: '1m' } }));
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
    });

    for (const step of [...LIMIT_STEPS, ...QUOTA_STEPS, ...SCOPE_STEPS]) {
      it(step.title, async () => {
        const want = await run(kube!.request, step);
        const got = await run(kgate!.request, step);
        assert.deepEqual(got, want);
      });
    }

    it('leaves the same status.used in each quota', async () => {
      for (const path of [
        `${QUOTA}/resourcequotas/compute`,
        `${QUOTA}/resourcequotas/objects`,
        `${SCOPED}/resourcequotas/best-effort`,
        `${SCOPED}/resourcequotas/terminating`,
      ]) {
        const want = (await kube!.request('GET', path)).body.status;
        const got = (await kgate!.request('GET', path)).body.status;
        assert.deepEqual(got, want, path);
      }
    });
  });
}
