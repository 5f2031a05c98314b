// The pod, node, storage and ingress admission plugins beside the reference kube-apiserver running kube's default
// plugin set, ServiceAccount included: the same requests to both, in order, and the same answers — created objects
// (the account, token volume, tolerations, priority, taint, finalizers and default classes the plugins add) and
// refusals (code, reason, message, details). Masked: what differs by design (uids, resourceVersions, timestamps,
// and the token volume's random 5-character suffix). The reference runs no controller-manager, so the test makes the
// `default` ServiceAccount there that kgate's stand-in made. Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import type { Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';
import { normalise } from './compare.js';

const NS = '/api/v1/namespaces/adm';
const MERGE = { 'content-type': 'application/merge-patch+json' };

interface Step {
  title: string;
  method: string;
  path: string;
  body?: object;
  headers?: Record<string, string>;
  /** Compare only this part of the body (the rest differs for reasons outside admission). */
  part?: (body: any) => unknown;
}

const pod = (name: string, spec: object = {}, metadata: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...metadata },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});
const pvc = (name: string, spec: object = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const post = (title: string, path: string, body: object): Step => ({ title, method: 'POST', path, body });

const STEPS: Step[] = [
  post('a pod runs as `default` with the token volume and the default tolerations and priority', `${NS}/pods`, {
    ...pod('web', { initContainers: [{ name: 'init', image: 'busybox' }] }),
  }),
  post('a pod that turns automounting off gets no volume', `${NS}/pods`, pod('quiet', { automountServiceAccountToken: false })),
  post('a pod naming a missing account is refused', `${NS}/pods`, pod('ghostly', { serviceAccountName: 'ghost' })),
  post(
    'a mirror pod naming an account is refused',
    `${NS}/pods`,
    pod('mirror', { nodeName: 'n1', serviceAccountName: 'default' }, { annotations: { 'kubernetes.io/config.mirror': 'x' } }),
  ),
  post(
    'a mirror pod with a secret volume is refused',
    `${NS}/pods`,
    pod(
      'mirror2',
      { nodeName: 'n1', volumes: [{ name: 's', secret: { secretName: 's' } }] },
      { annotations: { 'kubernetes.io/config.mirror': 'x' } },
    ),
  ),
  post('a pod of a system class gets its value', `${NS}/pods`, pod('critical', { priorityClassName: 'system-node-critical' })),
  {
    title: 'a system PriorityClass cannot be deleted',
    method: 'DELETE',
    path: '/apis/scheduling.k8s.io/v1/priorityclasses/system-node-critical',
  },
  post('a pod naming a missing PriorityClass is refused', `${NS}/pods`, pod('gold', { priorityClassName: 'gold' })),
  post(
    'a pod stating another priority than its class is refused',
    `${NS}/pods`,
    pod('liar', { priorityClassName: 'system-cluster-critical', priority: 3 }),
  ),
  post('a pod naming a missing RuntimeClass is refused', `${NS}/pods`, pod('sandboxed', { runtimeClassName: 'gvisor' })),
  post('a pod stating an overhead without a RuntimeClass is refused', `${NS}/pods`, pod('heavy', { overhead: { cpu: '250m' } })),
  post('a RuntimeClass with an overhead and scheduling constraints', '/apis/node.k8s.io/v1/runtimeclasses', {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: { name: 'adm-kata' },
    handler: 'kata',
    overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
    scheduling: { nodeSelector: { runtime: 'kata' }, tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }] },
  }),
  post('an invalid RuntimeClass is refused', '/apis/node.k8s.io/v1/runtimeclasses', {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: { name: 'adm-bad' },
    handler: 'Not_A_Label',
    overhead: { podFixed: { cpu: '-1' } },
    scheduling: {
      nodeSelector: { 'bad key!': 'x' },
      tolerations: [
        { key: 'a', operator: 'Exists' },
        { key: 'a', operator: 'Exists', tolerationSeconds: 5, effect: 'NoSchedule' },
        { key: 'a', operator: 'Exists' },
      ],
    },
  }),
  {
    title: 'a RuntimeClass update must name a resourceVersion, and its handler is immutable',
    method: 'PUT',
    path: '/apis/node.k8s.io/v1/runtimeclasses/adm-kata',
    body: { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'adm-kata' }, handler: 'runc' },
  },
  {
    title: 'kubectl’s table of RuntimeClasses',
    method: 'GET',
    path: '/apis/node.k8s.io/v1/runtimeclasses/adm-kata',
    headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    part: (body) => ({ columns: body?.columnDefinitions, cells: body?.rows?.map((r: any) => r.cells.slice(0, 2)) }),
  },
  post('a pod of that class gets its overhead, node selector and tolerations', `${NS}/pods`, pod('kata', { runtimeClassName: 'adm-kata' })),
  post(
    'a pod whose node selector contradicts its class is refused',
    `${NS}/pods`,
    pod('kata2', { runtimeClassName: 'adm-kata', nodeSelector: { runtime: 'runc' } }),
  ),
  post(
    'a pod whose overhead differs from its class’s is refused',
    `${NS}/pods`,
    pod('kata3', { runtimeClassName: 'adm-kata', overhead: { cpu: '1' } }),
  ),
  post('a Node gets the not-ready taint', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'adm-node' } }),
  post('a claim gets the pvc-protection finalizer and no class while none is default', `${NS}/persistentvolumeclaims`, pvc('first')),
  {
    ...post('a volume gets the pv-protection finalizer', '/api/v1/persistentvolumes', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'adm-pv' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/adm' } },
    }),
    // kgate's PersistentVolume strategy does not yet set status.lastPhaseTransitionTime on create as kube's does.
    part: (body) => body?.metadata?.finalizers,
  },
  post('a default StorageClass', '/apis/storage.k8s.io/v1/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'adm-std', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'example.com/disk',
  }),
  post('a claim naming no class gets the default one', `${NS}/persistentvolumeclaims`, pvc('second')),
  post('a claim naming "" keeps it', `${NS}/persistentvolumeclaims`, pvc('static', { storageClassName: '' })),
  {
    title: 'the claim is bound',
    method: 'PATCH',
    path: `${NS}/persistentvolumeclaims/second/status`,
    body: { status: { phase: 'Bound' } },
    headers: MERGE,
  },
  {
    title: 'a bound claim of a class without expansion cannot grow',
    method: 'PATCH',
    path: `${NS}/persistentvolumeclaims/second`,
    body: { spec: { resources: { requests: { storage: '5Gi' } } } },
    headers: MERGE,
  },
  post('a default IngressClass', '/apis/networking.k8s.io/v1/ingressclasses', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'adm-nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'example.com/ingress' },
  }),
  post('an Ingress naming no class gets the default one', '/apis/networking.k8s.io/v1/namespaces/adm/ingresses', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
  }),
  post('a global default PriorityClass', '/apis/scheduling.k8s.io/v1/priorityclasses', {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'adm-batch' },
    value: 100,
    globalDefault: true,
    preemptionPolicy: 'Never',
  }),
  post('a second global default is refused', '/apis/scheduling.k8s.io/v1/priorityclasses', {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'adm-batch2' },
    value: 200,
    globalDefault: true,
  }),
  post('a pod naming no class gets the global default', `${NS}/pods`, pod('batchy')),
  { title: 'the global default goes', method: 'DELETE', path: '/apis/scheduling.k8s.io/v1/priorityclasses/adm-batch' },
  { title: 'the namespace’s `default` account goes', method: 'DELETE', path: `${NS}/serviceaccounts/default` },
  post('a pod in a namespace without its `default` account is refused', `${NS}/pods`, pod('orphan')),
];

/** The answer with what differs by design masked; JSON text, so field order counts too. */
async function answer(request: Requester, step: Step): Promise<{ status: number; body: string }> {
  const res = await request(step.method, step.path, { body: step.body, headers: step.headers });
  const masked = JSON.stringify(normalise(step.part ? step.part(res.body) : res.body)).replace(
    /kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}/g,
    'kube-api-access-<suffix>',
  );
  return { status: res.status, body: masked };
}

if (!referenceBinary()) {
  console.log(`admission plugins differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: pod, node, storage and ingress admission plugins as kube-apiserver runs them', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      [kube, kgate] = await Promise.all([startReference({ serviceAccountAdmission: true }), startKgate()]);
      for (const server of [kube, kgate]) {
        const ns = await server.request('POST', '/api/v1/namespaces', {
          body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'adm' } },
        });
        assert.equal(ns.status, 201, ns.text);
      }
      // kube-controller-manager's job, which the reference lacks and kgate stands in for.
      const sa = await kube.request('POST', `${NS}/serviceaccounts`, {
        body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } },
      });
      assert.equal(sa.status, 201, sa.text);
      assert.equal((await kgate.request('GET', `${NS}/serviceaccounts/default`)).status, 200);
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
    });
    for (const step of STEPS) {
      it(step.title, async () => {
        const want = await answer(kube!.request, step);
        const got = await answer(kgate!.request, step);
        assert.deepEqual(got, want);
      });
    }
  });
}
