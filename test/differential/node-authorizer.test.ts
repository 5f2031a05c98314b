// The Node authorizer's answers beside the reference kube-apiserver's, both with --authorization-mode=Node,RBAC: the
// same secrets, nodes and bound pods on both, then a kubelet's requests, allowed or refused with the Node
// authorizer's reason in the 403. Status code, reason, message and details must match. Without the reference binary
// the suite registers nothing.
import assert from 'node:assert/strict';
import type { HttpResponse, Requester } from '../support/http.js';
import { generateKeyPairSync } from 'node:crypto';
import { makeCSR } from '../support/csr.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const N1 = 'n1-token';
const tokens = [
  { token: N1, user: 'system:node:n1', uid: 'n1', groups: ['system:nodes'] },
  { token: 'nameless-node-token', user: 'system:node:', uid: 'nameless', groups: ['system:nodes'] },
  { token: 'fake-node-token', user: 'system:node:n1', uid: 'fake', groups: [] },
];

const NS = '/api/v1/namespaces/default';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces';

interface Step {
  title: string;
  method: string;
  path: string;
  as?: string;
  body?: object;
  headers?: Record<string, string>;
  /** Compare the answer's status too (the review APIs answer 201 with the decision in it). */
  reviewStatus?: boolean;
}

const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name } });
const pod = (name: string, node: string, secretName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', secret: { secretName } }] },
});

const SETUP: Step[] = [
  { title: 'secret s1', method: 'POST', path: `${NS}/secrets`, body: secret('s1') },
  { title: 'secret s2', method: 'POST', path: `${NS}/secrets`, body: secret('s2') },
  {
    title: 'configmap c1',
    method: 'POST',
    path: `${NS}/configmaps`,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } },
  },
  { title: 'node n1', method: 'POST', path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } },
  { title: 'node n2', method: 'POST', path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } } },
  { title: 'pod on n1 mounting s1', method: 'POST', path: `${NS}/pods`, body: pod('on-n1', 'n1', 's1') },
  { title: 'pod on n2 mounting s2', method: 'POST', path: `${NS}/pods`, body: pod('on-n2', 'n2', 's2') },
  { title: 'secret late', method: 'POST', path: `${NS}/secrets`, body: secret('late') },
  { title: 'a pod mounting it, not yet scheduled', method: 'POST', path: `${NS}/pods`, body: pod('late', '', 'late') },
];

const BIND = `${NS}/pods/late/binding`;
const binding = (name: string, target: object, metadata: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name, ...metadata },
  target,
});
/** A scheduler's pods/binding, and the kubelet's view before and after. */
const BINDING_STEPS: Step[] = [
  { title: 'the kubelet may not read the secret of an unscheduled pod', method: 'GET', path: `${NS}/secrets/late`, as: N1 },
  { title: 'nor bind pods itself', method: 'POST', path: BIND, as: N1, body: binding('late', { kind: 'Node', name: 'n1' }) },
  { title: 'a binding named for another pod', method: 'POST', path: BIND, body: binding('other', { kind: 'Node', name: 'n1' }) },
  { title: 'a binding to something not a Node', method: 'POST', path: BIND, body: binding('late', { kind: 'Pod', name: 'n1' }) },
  { title: 'a binding to no node', method: 'POST', path: BIND, body: binding('late', { kind: 'Node' }) },
  { title: 'a binding for a missing pod', method: 'POST', path: `${NS}/pods/gone/binding`, body: binding('gone', { name: 'n1' }) },
  {
    title: 'a body that is no Binding',
    method: 'POST',
    path: BIND,
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late' } },
  },
  {
    title: 'the scheduler binds the pod to n1',
    method: 'POST',
    path: BIND,
    body: binding('late', { kind: 'Node', name: 'n1' }, { annotations: { a: 'b' } }),
  },
  { title: 'a bound pod is not bound again', method: 'POST', path: BIND, body: binding('late', { name: 'n2' }) },
];

const STEPS: Step[] = [
  { title: 'the kubelet reads a secret its pod mounts', method: 'GET', path: `${NS}/secrets/s1`, as: N1 },
  { title: 'not one mounted only on another node', method: 'GET', path: `${NS}/secrets/s2`, as: N1 },
  { title: 'not a secret nobody mounts', method: 'GET', path: `${NS}/secrets/none`, as: N1 },
  { title: 'not a configmap no pod of its names', method: 'GET', path: `${NS}/configmaps/c1`, as: N1 },
  { title: 'secrets are not listed', method: 'GET', path: `${NS}/secrets`, as: N1 },
  // The kubelet's secret manager lists and watches one secret at a time by its name.
  { title: 'a secret listed by name', method: 'GET', path: `${NS}/secrets?fieldSelector=metadata.name%3Ds1`, as: N1 },
  { title: 'not an unrelated one', method: 'GET', path: `${NS}/secrets?fieldSelector=metadata.name%3Ds2`, as: N1 },
  {
    title: 'a secret watched by name',
    method: 'GET',
    path: `${NS}/secrets?fieldSelector=metadata.name%3Ds2&watch=true&timeoutSeconds=1`,
    as: N1,
  },
  {
    title: 'a name that is no path segment names nothing',
    method: 'GET',
    path: `${NS}/secrets?fieldSelector=metadata.name%3Da%2Fb`,
    as: N1,
  },
  { title: 'secrets are not written', method: 'DELETE', path: `${NS}/secrets/s1`, as: N1 },
  { title: 'secrets are namespaced', method: 'GET', path: '/api/v1/secrets', as: N1 },
  { title: 'its own pod by name', method: 'GET', path: `${NS}/pods/on-n1`, as: N1 },
  { title: 'not another node’s pod', method: 'GET', path: `${NS}/pods/on-n2`, as: N1 },
  { title: 'pods listed by its spec.nodeName', method: 'GET', path: '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1', as: N1 },
  { title: 'not pods of another node', method: 'GET', path: '/api/v1/pods?fieldSelector=spec.nodeName%3Dn2', as: N1 },
  { title: 'not all pods', method: 'GET', path: '/api/v1/pods', as: N1 },
  {
    title: 'the deprecated watch path carries no selector to the authorizer',
    method: 'GET',
    path: '/api/v1/watch/pods?fieldSelector=spec.nodeName%3Dn1&timeoutSeconds=1',
    as: N1,
  },
  { title: 'not a pod’s status by get', method: 'GET', path: `${NS}/pods/on-n1/status`, as: N1 },
  { title: 'its own Node', method: 'GET', path: '/api/v1/nodes/n1', as: N1 },
  { title: 'not another Node', method: 'GET', path: '/api/v1/nodes/n2', as: N1 },
  { title: 'not all Nodes', method: 'GET', path: '/api/v1/nodes', as: N1 },
  { title: 'not a Node’s proxy', method: 'GET', path: '/api/v1/nodes/n1/proxy', as: N1 },
  { title: 'not an unrelated PersistentVolume', method: 'GET', path: '/api/v1/persistentvolumes/pv-x', as: N1 },
  { title: 'PersistentVolumes are not listed', method: 'GET', path: '/api/v1/persistentvolumes', as: N1 },
  { title: 'not an unrelated claim', method: 'GET', path: `${NS}/persistentvolumeclaims/c`, as: N1 },
  { title: 'not an unrelated service account', method: 'GET', path: `${NS}/serviceaccounts/default`, as: N1 },
  {
    title: 'no token for an unrelated service account',
    method: 'POST',
    path: `${NS}/serviceaccounts/default/token`,
    as: N1,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
  },
  { title: 'its own Lease only in kube-node-lease', method: 'GET', path: `${LEASES}/default/leases/n1`, as: N1 },
  { title: 'not another node’s Lease', method: 'GET', path: `${LEASES}/kube-node-lease/leases/n2`, as: N1 },
  { title: 'Leases are not listed', method: 'GET', path: `${LEASES}/kube-node-lease/leases`, as: N1 },
  { title: 'services by the static node rules', method: 'GET', path: '/api/v1/services', as: N1 },
  { title: 'not deployments', method: 'GET', path: '/apis/apps/v1/namespaces/default/deployments', as: N1 },
  { title: 'health by RBAC', method: 'GET', path: '/healthz', as: N1 },
  { title: 'a node user without a node name', method: 'GET', path: `${NS}/secrets/s1`, as: 'nameless-node-token' },
  { title: 'a node’s name outside system:nodes is no node', method: 'GET', path: `${NS}/secrets/s1`, as: 'fake-node-token' },
  // NodeRestriction: the writes the authorizer allows by kind, limited to the kubelet's own objects.
  { title: 'it labels its own Node', ...patch('/api/v1/nodes/n1', { metadata: { labels: { 'example.com/rack': 'r1' } } }) },
  { title: 'not another Node', ...patch('/api/v1/nodes/n2', { metadata: { labels: { 'example.com/rack': 'r1' } } }) },
  {
    title: 'not with the labels kube reserves',
    ...patch('/api/v1/nodes/n1', { metadata: { labels: { 'node-restriction.kubernetes.io/a': 'b', 'node-role.kubernetes.io/x': '' } } }),
  },
  { title: 'not its taints', ...patch('/api/v1/nodes/n1', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }) },
  {
    title: 'no Node with reserved labels',
    method: 'POST',
    path: '/api/v1/nodes',
    as: N1,
    body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'k8s.io/x': 'y', 'kubernetes.io/os': 'linux' } } },
  },
  { title: 'no pod that is not a mirror pod', method: 'POST', path: `${NS}/pods`, as: N1, body: pod('static', 'n1', 's1') },
  {
    title: 'no mirror pod bound to another node',
    method: 'POST',
    path: `${NS}/pods`,
    as: N1,
    body: { ...pod('static', 'n2', 's1'), metadata: { name: 'static', annotations: { 'kubernetes.io/config.mirror': 'h' } } },
  },
  {
    title: 'no mirror pod without its Node as owner',
    method: 'POST',
    path: `${NS}/pods`,
    as: N1,
    body: { ...pod('static', 'n1', 's1'), metadata: { name: 'static', annotations: { 'kubernetes.io/config.mirror': 'h' } } },
  },
  { title: 'not deleting another node’s pod', method: 'DELETE', path: `${NS}/pods/on-n2`, as: N1 },
  { title: 'its own pod’s status', ...patch(`${NS}/pods/on-n1/status`, { status: { message: 'm' } }) },
  { title: 'not another node’s pod’s status', ...patch(`${NS}/pods/on-n2/status`, { status: { message: 'm' } }) },
  { title: 'not labels through its pod’s status', ...patch(`${NS}/pods/on-n1/status`, { metadata: { labels: { a: 'b' } } }) },
  {
    title: 'not another node’s Lease',
    method: 'POST',
    path: `${LEASES}/kube-node-lease/leases`,
    as: N1,
    body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n2' } },
  },
  {
    title: 'its own Lease',
    method: 'POST',
    path: `${LEASES}/kube-node-lease/leases`,
    as: N1,
    body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1' } },
  },
];

const SAR = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
const sar = (title: string, resourceAttributes: object): Step => ({
  title,
  method: 'POST',
  path: SAR,
  reviewStatus: true,
  body: {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { user: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'], resourceAttributes },
  },
});
STEPS.push(
  sar('a SubjectAccessReview sees the Node authorizer’s reason', { verb: 'get', resource: 'secrets', namespace: 'default', name: 's2' }),
  sar('and its allowance', { verb: 'get', resource: 'secrets', namespace: 'default', name: 's1' }),
  sar('and the field selector of a review', { verb: 'list', resource: 'pods', fieldSelector: { rawSelector: 'spec.nodeName=n1' } }),
  sar('as requirements', {
    verb: 'watch',
    resource: 'pods',
    fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] },
  }),
  sar('not another node’s', { verb: 'list', resource: 'pods', fieldSelector: { rawSelector: 'spec.nodeName=n2' } }),
  {
    title: 'a kubelet’s rules are not enumerable',
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
    as: N1,
    reviewStatus: true,
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } },
  },
);

function patch(path: string, body: object): Omit<Step, 'title'> {
  return { method: 'PATCH', path, as: N1, body, headers: { 'content-type': 'application/merge-patch+json' } };
}

function summary(res: HttpResponse, reviewStatus = false) {
  if (res.status < 300) return reviewStatus ? { status: res.status, review: reviewOf(res.body) } : { status: res.status };
  return { status: res.status, reason: res.body?.reason, message: res.body?.message, details: res.body?.details };
}

/** A review's status; a rules review's rules in a stable order (kube lists bindings from an unordered cache). */
function reviewOf(body: { kind?: string; status?: Record<string, unknown> } | undefined) {
  const status = body?.status;
  if (body?.kind !== 'SelfSubjectRulesReview' || !status) return status;
  const sorted = (rules: unknown) => (Array.isArray(rules) ? rules.map((r) => JSON.stringify(r)).sort() : rules);
  return { ...status, resourceRules: sorted(status.resourceRules), nonResourceRules: sorted(status.nonResourceRules) };
}

async function run(request: Requester, step: Step) {
  return summary(
    await request(step.method, step.path, {
      body: step.body,
      ...(step.as && { token: step.as }),
      ...(step.headers && { headers: step.headers }),
    }),
    step.reviewStatus,
  );
}

/** Both servers' graphs follow pod events: wait until the kubelet may read s1. */
async function waitForGraph(request: Requester): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request('GET', `${NS}/secrets/s1`, { token: N1 });
    if (res.status === 200) return;
    if (Date.now() > deadline) assert.fail(`the kubelet never got s1: ${res.status} ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

if (!referenceBinary()) {
  console.log(`Node authorizer differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: Node authorizer answers as kube-apiserver gives them', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      [kube, kgate] = await Promise.all([
        // Both with NodeRestriction, as kubeadm configures kube-apiserver.
        startReference({ tokens, authorizationModes: ['Node', 'RBAC'], extraArgs: ['--enable-admission-plugins=NodeRestriction'] }),
        startKgate({
          tokens,
          authorizationModes: ['Node', 'RBAC'],
          flags: ['--enable-admission-plugins=NodeRestriction', ...REFERENCE_ADMISSION_FLAGS],
          serviceAccounts: { signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
        }),
      ]);
      for (const step of SETUP) {
        for (const server of [kube, kgate]) {
          const res = await run(server.request, step);
          assert.equal(res.status, 201, `${step.title}: ${JSON.stringify(res)}`);
        }
      }
      await Promise.all([waitForGraph(kube.request), waitForGraph(kgate.request)]);
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
    });
    for (const step of STEPS) {
      it(step.title, async () => {
        const want = await run(kube!.request, step);
        const got = await run(kgate!.request, step);
        assert.deepEqual(got, want);
      });
    }

    for (const step of BINDING_STEPS) {
      it(step.title, async () => {
        const want = await run(kube!.request, step);
        const got = await run(kgate!.request, step);
        assert.deepEqual(got, want);
      });
    }

    it('once bound, the pod relates its secret to the node, and its PodScheduled condition says so', async () => {
      const shapes = [];
      for (const server of [kube!, kgate!]) {
        const deadline = Date.now() + 60_000;
        while ((await server.request('GET', `${NS}/secrets/late`, { token: N1 })).status !== 200) {
          if (Date.now() > deadline) assert.fail('the bound pod never related its secret to n1');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const bound = (await server.request('GET', `${NS}/pods/late`)).body;
        shapes.push({
          nodeName: bound.spec.nodeName,
          annotations: bound.metadata.annotations,
          conditions: bound.status.conditions.map((c: Record<string, unknown>) => ({
            ...c,
            lastTransitionTime: typeof c.lastTransitionTime,
          })),
          managers: bound.metadata.managedFields.map((m: Record<string, unknown>) => [m.operation, m.subresource]),
        });
      }
      assert.deepEqual(shapes[1], shapes[0]);
    });

    it('a kubelet’s token requests: bound to its own pod, for an audience the pod uses', async () => {
      const answers = [];
      for (const server of [kube!, kgate!]) {
        await server.request('POST', `${NS}/serviceaccounts`, {
          body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner' } },
        });
        const uids: Record<string, string> = {};
        for (const [name, node, audience] of [
          ['plain', 'n1', undefined],
          ['with-vault', 'n1', 'vault'],
          ['elsewhere', 'n2', undefined],
        ] as const) {
          const volumes = audience ? [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 't', audience } }] } }] : [];
          const body = { ...pod(name, node, 's1'), spec: { ...pod(name, node, 's1').spec, serviceAccountName: 'runner', volumes } };
          const created = await server.request('POST', `${NS}/pods`, { body });
          assert.equal(created.status, 201, created.text);
          uids[name] = created.body.metadata.uid;
        }
        // The graph relates runner to n1 once the pods' events are in.
        const deadline = Date.now() + 60_000;
        while ((await server.request('GET', `${NS}/serviceaccounts/runner`, { token: N1 })).status !== 200) {
          if (Date.now() > deadline) assert.fail('runner never related to n1');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const request = (name?: string, uid?: string, audiences?: string[]) => ({
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: {
            ...(audiences && { audiences }),
            ...(name && { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name, ...(uid !== undefined && { uid }) } }),
          },
        });
        const cases = [
          request(),
          request('plain'),
          request('plain', 'not-the-uid'),
          request('plain', uids.plain),
          request('plain', uids.plain, ['vault']),
          request('with-vault', uids['with-vault'], ['vault']),
          request('with-vault', uids['with-vault'], ['vault', 'other']),
          request('elsewhere', uids.elsewhere),
          request('missing', 'u'),
        ];
        const got = [];
        for (const body of cases) {
          const res = await server.request('POST', `${NS}/serviceaccounts/runner/token`, { token: N1, body });
          const text = JSON.stringify(summary(res)).replaceAll(uids.plain, '<uid>');
          got.push(JSON.parse(text));
        }
        answers.push(got);
      }
      assert.deepEqual(answers[1], answers[0]);
    });

    it('a kubelet’s certificate signing requests name itself', async () => {
      for (const [cn, signerName] of [
        ['system:node:n2', 'kubernetes.io/kubelet-serving'],
        ['system:node:n2', 'kubernetes.io/kube-apiserver-client-kubelet'],
        ['system:node:n2', 'example.com/other'],
        ['system:node:n1', 'kubernetes.io/kubelet-serving'],
      ]) {
        const csr = makeCSR({ commonName: cn, organizations: ['system:nodes'], keyType: 'ec' });
        const step: Step = {
          title: `${cn} ${signerName}`,
          method: 'POST',
          path: '/apis/certificates.k8s.io/v1/certificatesigningrequests',
          as: N1,
          body: {
            apiVersion: 'certificates.k8s.io/v1',
            kind: 'CertificateSigningRequest',
            metadata: { name: `csr-${cn.replaceAll(':', '-')}-${signerName.replace(/[./]/g, '-')}` },
            spec: { request: csr.request, signerName, usages: ['digital signature', 'server auth'] },
          },
        };
        assert.deepEqual(await run(kgate!.request, step), await run(kube!.request, step), step.title);
      }
    });
  });
}
