// RBAC's answers beside the reference kube-apiserver's: the same users and the same grants on both, then requests
// that are allowed, refused by authorization (403), or refused as escalation by the RBAC storage (403 with the
// rules the user lacks, 404 for a binding to a missing role). Status code, reason, message and details must match.
// Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import type { HttpResponse, Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const tokens = [
  { token: 'alice-token', user: 'alice', uid: 'alice', groups: ['devs'] },
  { token: 'bob-token', user: 'bob', uid: 'bob', groups: [] },
];

interface Step {
  title: string;
  method: string;
  path: string;
  as?: string;
  body?: object;
  headers?: Record<string, string>;
}

const role = (name: string, rules: object[]) => ({ metadata: { name }, rules });
const binding = (name: string, kind: 'Role' | 'ClusterRole', roleName: string, user: string) => ({
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName },
  subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user }],
});

const NS = `${RBAC}/namespaces/default`;
const STEPS: Step[] = [
  // What the admin grants: alice may write roles and bindings in default, but holds nothing else.
  {
    title: 'admin creates the role-writer Role',
    method: 'POST',
    path: `${NS}/roles`,
    body: role('role-writer', [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create', 'update', 'get'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
    ]),
  },
  {
    title: 'admin binds it to alice',
    method: 'POST',
    path: `${NS}/rolebindings`,
    body: binding('alice-writes', 'Role', 'role-writer', 'alice'),
  },
  {
    title: 'admin creates a ClusterRole alice does not hold',
    method: 'POST',
    path: `${RBAC}/clusterroles`,
    body: role('pod-admin', [
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'], resourceNames: ['a', 'b'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]),
  },
  { title: 'alice reads configmaps she was granted', method: 'GET', path: '/api/v1/namespaces/default/configmaps', as: 'alice-token' },
  { title: 'alice may not list secrets', method: 'GET', path: '/api/v1/namespaces/default/secrets', as: 'alice-token' },
  { title: 'alice may not read a node', method: 'GET', path: '/api/v1/nodes/n1', as: 'alice-token' },
  { title: 'alice may not read /metrics', method: 'GET', path: '/metrics', as: 'alice-token' },
  { title: 'bob may not write roles at all', method: 'POST', path: `${NS}/roles`, as: 'bob-token', body: role('bobs', []) },
  {
    title: 'alice may create a Role with rules she holds',
    method: 'POST',
    path: `${NS}/roles`,
    as: 'alice-token',
    body: role('cm-reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
  },
  {
    title: 'alice may not create a Role granting get secrets (escalation)',
    method: 'POST',
    path: `${NS}/roles`,
    as: 'alice-token',
    body: role('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]),
  },
  {
    title: 'the refusal lists every missing rule, compacted and sorted',
    method: 'POST',
    path: `${NS}/roles`,
    as: 'alice-token',
    body: role('wide', [
      { apiGroups: ['', 'apps'], resources: ['configmaps', 'secrets', 'deployments/scale'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['x', 'y'] },
    ]),
  },
  {
    title: 'alice may not widen her own Role by update',
    method: 'PUT',
    path: `${NS}/roles/cm-reader`,
    as: 'alice-token',
    body: role('cm-reader', [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get'] }]),
  },
  {
    title: 'alice may bind a Role whose rules she holds',
    method: 'POST',
    path: `${NS}/rolebindings`,
    as: 'alice-token',
    body: binding('bob-reads', 'Role', 'cm-reader', 'bob'),
  },
  {
    title: 'alice may not bind a ClusterRole she does not hold',
    method: 'POST',
    path: `${NS}/rolebindings`,
    as: 'alice-token',
    body: binding('bob-pods', 'ClusterRole', 'pod-admin', 'bob'),
  },
  {
    title: 'alice binding a missing role is 404',
    method: 'POST',
    path: `${NS}/rolebindings`,
    as: 'alice-token',
    body: binding('bob-nope', 'Role', 'nope', 'bob'),
  },
  {
    title: 'admin grants alice bind on pod-admin',
    method: 'POST',
    path: `${NS}/roles`,
    body: role('binder', [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['pod-admin'] },
    ]),
  },
  {
    title: 'admin binds binder to alice',
    method: 'POST',
    path: `${NS}/rolebindings`,
    body: binding('alice-binds', 'Role', 'binder', 'alice'),
  },
  {
    title: 'with bind, alice may bind pod-admin',
    method: 'POST',
    path: `${NS}/rolebindings`,
    as: 'alice-token',
    body: binding('bob-pods-2', 'ClusterRole', 'pod-admin', 'bob'),
  },
  { title: 'bob now lists pods in default', method: 'GET', path: '/api/v1/namespaces/default/pods', as: 'bob-token' },
  {
    title: 'admin grants alice escalate on roles',
    method: 'POST',
    path: `${NS}/roles`,
    body: role('escalator', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }]),
  },
  {
    title: 'admin binds escalator to alice',
    method: 'POST',
    path: `${NS}/rolebindings`,
    body: binding('alice-escalates', 'Role', 'escalator', 'alice'),
  },
  {
    title: 'with escalate, alice may create a Role granting secrets',
    method: 'POST',
    path: `${NS}/roles`,
    as: 'alice-token',
    body: role('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]),
  },
  // Impersonation: who may act as whom, and what the impersonated user may then do.
  {
    title: 'alice may not impersonate bob',
    method: 'GET',
    path: '/api/v1/namespaces/default/pods',
    as: 'alice-token',
    headers: { 'Impersonate-User': 'bob' },
  },
  {
    title: 'alice may not impersonate a group, a uid or an extra either (the first refused part answers)',
    method: 'GET',
    path: '/api/v1/namespaces/default/pods',
    as: 'alice-token',
    headers: { 'Impersonate-User': 'alice', 'Impersonate-Uid': 'u-1' },
  },
  {
    title: 'the admin impersonating alice gets alice’s answers',
    method: 'GET',
    path: '/api/v1/namespaces/default/secrets',
    headers: { 'Impersonate-User': 'alice' },
  },
  {
    title: 'the admin impersonating alice reads what alice may',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps',
    headers: { 'Impersonate-User': 'alice' },
  },
  {
    title: 'an impersonated ServiceAccount is named as one',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps',
    headers: { 'Impersonate-User': 'system:serviceaccount:default:builder' },
  },
  {
    title: 'impersonated groups replace the user’s own',
    method: 'GET',
    path: '/api/v1/nodes',
    headers: { 'Impersonate-User': 'alice', 'Impersonate-Group': 'team-x', 'Impersonate-Extra-Scopes': 'view' },
  },
  {
    title: 'groups without a user are a plain-text 500',
    method: 'GET',
    path: '/api/v1/nodes',
    headers: { 'Impersonate-Group': 'system:masters' },
  },
  {
    title: 'admin lets alice impersonate bob only',
    method: 'POST',
    path: `${RBAC}/clusterroles`,
    body: role('impersonate-bob', [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['bob'] }]),
  },
  {
    title: 'admin binds it to alice',
    method: 'POST',
    path: `${RBAC}/clusterrolebindings`,
    body: binding('alice-as-bob', 'ClusterRole', 'impersonate-bob', 'alice'),
  },
  {
    title: 'alice as bob lists pods as bob may',
    method: 'GET',
    path: '/api/v1/namespaces/default/pods',
    as: 'alice-token',
    headers: { 'Impersonate-User': 'bob' },
  },
  {
    title: 'alice as bob may not write roles',
    method: 'POST',
    path: `${NS}/roles`,
    as: 'alice-token',
    headers: { 'Impersonate-User': 'bob' },
    body: role('as-bob', []),
  },
  {
    title: 'alice may still not impersonate carol',
    method: 'GET',
    path: '/api/v1/namespaces/default/pods',
    as: 'alice-token',
    headers: { 'Impersonate-User': 'carol' },
  },
];

function summary(res: HttpResponse) {
  if (res.status < 300) return { status: res.status };
  // A few answers are plain text (impersonation headers without a user): compare the text.
  if (res.body === undefined) return { status: res.status, text: res.text, contentType: res.headers['content-type'] };
  return { status: res.status, reason: res.body?.reason, message: res.body?.message, details: res.body?.details };
}

async function run(request: Requester, step: Step) {
  return summary(
    await request(step.method, step.path, {
      body: step.body,
      ...(step.as && { token: step.as }),
      ...(step.headers && { headers: step.headers }),
    }),
  );
}

if (!referenceBinary()) {
  console.log(`RBAC differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: RBAC answers as kube-apiserver gives them', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      [kube, kgate] = await Promise.all([startReference({ tokens }), startKgate({ tokens, flags: REFERENCE_ADMISSION_FLAGS })]);
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
  });
}
