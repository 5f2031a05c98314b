// Authorization over HTTP and through kubectl: RBAC roles and bindings are resources, written with kubectl and
// enforced from the next request; refusals are kube's 403 and write nothing; kube's bootstrap policy is
// reconciled at start; --authorization-mode, --anonymous-auth and --client-ca-file change the answers as they do on
// kube-apiserver.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { certificateFiles } from '../../src/server/certs.js';
import { startKgate, type Kgate } from '../support/kgate.js';

const CMS = '/api/v1/namespaces/default/configmaps';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const ALICE = 'alice-token';
const BUILDER = 'builder-token';
const tokens = [
  { token: ALICE, user: 'alice', uid: 'alice', groups: ['devs'] },
  // A ServiceAccount's username, as a ServiceAccount token would authenticate it.
  {
    token: BUILDER,
    user: 'system:serviceaccount:default:builder',
    uid: 'sa',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:default'],
  },
];

const forbiddenList = (user: string, resource: string, namespace: string) =>
  `${resource} is forbidden: User "${user}" cannot list resource "${resource}" in API group "" in the namespace "${namespace}"`;

describe('RBAC authorization', function () {
  this.timeout(120_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate({ tokens });
  });
  after(async () => {
    await kg?.close();
  });

  it('a user without bindings is refused with kube’s 403 Status', async () => {
    const res = await kg.request('GET', CMS, { token: ALICE });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: forbiddenList('alice', 'configmaps', 'default'),
      reason: 'Forbidden',
      details: { kind: 'configmaps' },
      code: 403,
    });
    const node = await kg.request('GET', '/api/v1/nodes/n1', { token: ALICE });
    assert.equal(
      node.body.message,
      'nodes "n1" is forbidden: User "alice" cannot get resource "nodes" in API group "" at the cluster scope',
    );
    assert.deepEqual(node.body.details, { name: 'n1', kind: 'nodes' });
    const deploy = await kg.request('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale', { token: ALICE });
    assert.equal(
      deploy.body.message,
      'deployments.apps "web" is forbidden: User "alice" cannot get resource "deployments/scale" in API group "apps" in the namespace "default"',
    );
  });

  it('a refused write leaves etcd unchanged', async () => {
    const before = await kg.request('GET', CMS);
    const res = await kg.request('POST', CMS, {
      token: ALICE,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sneaky' } },
    });
    assert.equal(res.status, 403);
    assert.equal((await kg.request('GET', `${CMS}/sneaky`)).status, 404);
    assert.equal((await kg.request('GET', CMS)).body.metadata.resourceVersion, before.body.metadata.resourceVersion);
  });

  it('every authenticated user may read discovery, /version and health (system:discovery, system:public-info-viewer)', async () => {
    for (const path of ['/api', '/apis', '/api/v1', '/version', '/healthz', '/readyz', '/livez', '/openapi/v2']) {
      assert.equal((await kg.request('GET', path, { token: ALICE })).status, 200, path);
    }
  });

  it('anonymous requests are system:anonymous: health and /version only', async () => {
    for (const path of ['/healthz', '/livez', '/readyz', '/version'])
      assert.equal((await kg.request('GET', path, { token: null })).status, 200, path);
    const api = await kg.request('GET', '/api', { token: null });
    assert.equal(api.status, 403);
    assert.equal(api.body.message, 'forbidden: User "system:anonymous" cannot get path "/api"');
    assert.deepEqual(api.body.details, {});
    const cms = await kg.request('GET', CMS, { token: null });
    assert.equal(cms.body.message, forbiddenList('system:anonymous', 'configmaps', 'default'));
  });

  it('a Role bound with kubectl takes effect on the next request, and deleting the binding revokes it on the next', async () => {
    await kg.kubectl(['create', 'role', 'cm-reader', '--verb=get,list', '--resource=configmaps', '-n', 'default']);
    await kg.kubectl(['create', 'rolebinding', 'alice-reads', '--role=cm-reader', '--user=alice', '-n', 'default']);
    const allowed = await kg.request('GET', CMS, { token: ALICE });
    assert.equal(allowed.status, 200, allowed.text);
    assert.equal(allowed.body.kind, 'ConfigMapList');
    // The Role grants get and list, nothing else, and only in its namespace.
    assert.equal((await kg.request('POST', CMS, { token: ALICE, body: { metadata: { name: 'x' } } })).status, 403);
    assert.equal((await kg.request('GET', '/api/v1/namespaces/kube-system/configmaps', { token: ALICE })).status, 403);
    await kg.kubectl(['delete', 'rolebinding', 'alice-reads', '-n', 'default']);
    const revoked = await kg.request('GET', CMS, { token: ALICE });
    assert.equal(revoked.status, 403);
    assert.equal(revoked.body.message, forbiddenList('alice', 'configmaps', 'default'));
  });

  it('kubectl as that user prints kube’s Forbidden error', async () => {
    const out = await kg.kubectl(['get', 'configmaps', '-n', 'default', `--token=${ALICE}`], { allowFail: true });
    assert.notEqual(out.code, 0);
    assert.match(
      out.stderr,
      /Error from server \(Forbidden\): configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"/,
    );
  });

  it('kubectl --as and --as-group impersonate, as the admin may and a plain user may not', async () => {
    const asAlice = await kg.kubectl(['get', 'secrets', '-n', 'default', '--as=alice'], { allowFail: true });
    assert.equal(asAlice.stderr.trim(), `Error from server (Forbidden): ${forbiddenList('alice', 'secrets', 'default')}`);
    const asMasters = await kg.kubectl(['get', 'secrets', '-n', 'default', '--as=alice', '--as-group=system:masters', '-o', 'name'], {
      allowFail: true,
    });
    assert.equal(asMasters.code, 0, asMasters.stderr);
    const aliceAsBob = await kg.kubectl(['get', 'pods', `--token=${ALICE}`, '--as=bob'], { allowFail: true });
    assert.equal(
      aliceAsBob.stderr.trim(),
      'Error from server (Forbidden): users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  it('a ClusterRoleBinding to a group grants every member, in every namespace', async () => {
    await kg.kubectl(['create', 'clusterrole', 'ns-reader', '--verb=get,list,watch', '--resource=namespaces,configmaps']);
    await kg.kubectl(['create', 'clusterrolebinding', 'devs-read', '--clusterrole=ns-reader', '--group=devs']);
    try {
      assert.equal((await kg.request('GET', '/api/v1/namespaces', { token: ALICE })).status, 200);
      assert.equal((await kg.request('GET', '/api/v1/namespaces/kube-system/configmaps', { token: ALICE })).status, 200);
      assert.equal((await kg.request('DELETE', '/api/v1/namespaces/kube-public', { token: ALICE })).status, 403);
    } finally {
      await kg.kubectl(['delete', 'clusterrolebinding', 'devs-read']);
    }
    assert.equal((await kg.request('GET', '/api/v1/namespaces', { token: ALICE })).status, 403);
  });

  it('a ServiceAccount subject matches system:serviceaccount:<ns>:<name>, its namespace defaulting to the binding’s', async () => {
    await kg.kubectl(['create', 'role', 'cm-writer', '--verb=create,get', '--resource=configmaps', '-n', 'default']);
    await kg.request('POST', `${RBAC}/namespaces/default/rolebindings`, {
      body: {
        metadata: { name: 'builder-writes' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-writer' },
        subjects: [{ kind: 'ServiceAccount', name: 'builder' }],
      },
    });
    const created = await kg.request('POST', CMS, { token: BUILDER, body: { metadata: { name: 'built' } } });
    assert.equal(created.status, 201, created.text);
    assert.equal((await kg.request('GET', CMS, { token: BUILDER })).status, 403, 'list was not granted');
  });

  it('resourceNames limit a rule to the named objects', async () => {
    await kg.request('POST', CMS, { body: { metadata: { name: 'open' } } });
    await kg.kubectl(['create', 'role', 'one-cm', '--verb=get', '--resource=configmaps', '--resource-name=open', '-n', 'default']);
    await kg.kubectl(['create', 'rolebinding', 'alice-one', '--role=one-cm', '--user=alice', '-n', 'default']);
    assert.equal((await kg.request('GET', `${CMS}/open`, { token: ALICE })).status, 200);
    assert.equal((await kg.request('GET', `${CMS}/built`, { token: ALICE })).status, 403);
  });

  it('resourceNames also allow a list or watch that selects the named object by metadata.name', async () => {
    await kg.kubectl([
      'create',
      'role',
      'list-one-cm',
      '--verb=list,watch',
      '--resource=configmaps',
      '--resource-name=open',
      '-n',
      'default',
    ]);
    await kg.kubectl(['create', 'rolebinding', 'alice-list-one', '--role=list-one-cm', '--user=alice', '-n', 'default']);
    const one = await kg.kubectl([
      '--token',
      ALICE,
      'get',
      'configmaps',
      '-n',
      'default',
      '--field-selector',
      'metadata.name=open',
      '-o',
      'name',
    ]);
    assert.equal(one.stdout.trim(), 'configmap/open');
    const other = await kg.request('GET', `${CMS}?fieldSelector=metadata.name%3Dbuilt`, { token: ALICE });
    assert.equal(
      other.body.message,
      'configmaps "built" is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"',
    );
    assert.equal((await kg.request('GET', CMS, { token: ALICE })).status, 403);
  });

  it('a binding to a missing role says so in the refusal', async () => {
    await kg.kubectl(['create', 'rolebinding', 'dangling', '--clusterrole=no-such-role', '--user=carol', '-n', 'default']);
    await kg.kubectl(['delete', 'rolebinding', 'alice-one', '-n', 'default']);
    const res = await kg.request('GET', `${CMS}/open`, { token: ALICE });
    assert.equal(res.status, 403);
    assert.equal(
      res.body.message,
      'configmaps "open" is forbidden: User "alice" cannot get resource "configmaps" in API group "" in the namespace "default"',
    );
  });

  it('a user who may create Roles but not get Secrets cannot create a Role granting get on Secrets (escalation: 403)', async () => {
    await kg.kubectl(['create', 'role', 'role-maker', '--verb=create', '--resource=roles.rbac.authorization.k8s.io', '-n', 'default']);
    await kg.kubectl(['create', 'rolebinding', 'alice-makes', '--role=role-maker', '--user=alice', '-n', 'default']);
    const out = await kg.kubectl(['create', 'role', 'peek', '--verb=get', '--resource=secrets', '-n', 'default', `--token=${ALICE}`], {
      allowFail: true,
    });
    assert.notEqual(out.code, 0);
    assert.equal(
      out.stderr.trim(),
      'Error from server (Forbidden): roles.rbac.authorization.k8s.io "peek" is forbidden: user "alice" (groups=["devs" "system:authenticated"]) ' +
        'is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
    );
    assert.equal((await kg.request('GET', `${RBAC}/namespaces/default/roles/peek`)).status, 404);
    // A Role within what alice holds (she may create roles) is fine.
    await kg.kubectl([
      'create',
      'role',
      'maker-2',
      '--verb=create',
      '--resource=roles.rbac.authorization.k8s.io',
      '-n',
      'default',
      `--token=${ALICE}`,
    ]);
    await kg.kubectl(['delete', 'rolebinding', 'alice-makes', '-n', 'default']);
  });

  it('kube’s bootstrap policy is stored at start: 68 ClusterRoles, 49 ClusterRoleBindings, kube-system and kube-public Roles', async () => {
    const roles = await kg.request('GET', `${RBAC}/clusterroles?labelSelector=kubernetes.io/bootstrapping=rbac-defaults`);
    assert.equal(roles.body.items.length, 68);
    const admin = roles.body.items.find((r: any) => r.metadata.name === 'cluster-admin');
    assert.deepEqual(admin.rules, [
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ]);
    assert.equal(admin.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true');
    const bindings = await kg.request('GET', `${RBAC}/clusterrolebindings?labelSelector=kubernetes.io/bootstrapping=rbac-defaults`);
    assert.equal(bindings.body.items.length, 49);
    const masters = bindings.body.items.find((b: any) => b.metadata.name === 'cluster-admin');
    assert.deepEqual(masters.subjects, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }]);
    const ksRoles = await kg.request('GET', `${RBAC}/namespaces/kube-system/roles`);
    assert.ok(ksRoles.body.items.some((r: any) => r.metadata.name === 'extension-apiserver-authentication-reader'));
  });

  it('admin, edit and view hold the rules of the roles labelled for them, and a newly labelled role joins view', async () => {
    const view = await kg.request('GET', `${RBAC}/clusterroles/view`);
    assert.ok(
      view.body.rules.some((r: any) => r.resources?.includes('configmaps') && r.verbs.includes('list')),
      JSON.stringify(view.body.rules),
    );
    const admin = await kg.request('GET', `${RBAC}/clusterroles/admin`);
    assert.ok(admin.body.rules.some((r: any) => r.resources?.includes('rolebindings')));
    await kg.request('POST', `${RBAC}/clusterroles`, {
      body: {
        metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
        rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }],
      },
    });
    // The aggregation follows the write's watch event: watch view until it holds the new rule.
    const events = await kg.watch(
      `${RBAC}/clusterroles?watch=true&fieldSelector=metadata.name%3Dview`,
      (evs) => evs.some((e) => e.object.rules?.some((r: any) => r.resources?.includes('widgets'))),
      { deadlineMs: 30_000 },
    );
    assert.ok(
      events.some((e) => e.object.rules?.some((r: any) => r.resources?.includes('widgets'))),
      'view did not pick up widgets-view',
    );
    // A RoleBinding to view now grants it.
    await kg.kubectl(['create', 'rolebinding', 'alice-view', '--clusterrole=view', '--user=alice', '-n', 'default']);
    assert.equal((await kg.request('GET', `${CMS}`, { token: ALICE })).status, 200);
    await kg.kubectl(['delete', 'rolebinding', 'alice-view', '-n', 'default']);
  });

  it('a restart restores a deleted default role and keeps one marked autoupdate=false as the operator left it', async () => {
    await kg.kubectl(['delete', 'clusterrole', 'system:basic-user']);
    await kg.request('PATCH', `${RBAC}/clusterroles/system:discovery`, {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] },
    });
    await kg.stopServer();
    await kg.restartServer();
    assert.equal((await kg.request('GET', `${RBAC}/clusterroles/system:basic-user`)).status, 200);
    const discovery = await kg.request('GET', `${RBAC}/clusterroles/system:discovery`);
    assert.deepEqual(discovery.body.rules, []);
    // With system:discovery emptied, an ordinary user may no longer read /apis.
    assert.equal((await kg.request('GET', '/apis', { token: ALICE })).status, 403);
  });
});

describe('--authorization-mode and --anonymous-auth', function () {
  this.timeout(120_000);

  it('without the watch cache a grant and a revocation still count from the next request', async () => {
    const kg = await startKgate({ tokens, tuning: { watchCache: false } });
    try {
      await kg.kubectl(['create', 'role', 'cm-lister', '--verb=list', '--resource=configmaps', '-n', 'default']);
      for (let i = 0; i < 5; i++) {
        await kg.kubectl(['create', 'rolebinding', `alice-${i}`, '--role=cm-lister', '--user=alice', '-n', 'default']);
        assert.equal((await kg.request('GET', CMS, { token: ALICE })).status, 200, `grant ${i}`);
        await kg.kubectl(['delete', 'rolebinding', `alice-${i}`, '-n', 'default']);
        assert.equal((await kg.request('GET', CMS, { token: ALICE })).status, 403, `revocation ${i}`);
      }
    } finally {
      await kg.close();
    }
  });

  it('AlwaysAllow lets every user, anonymous too, do everything (kube-apiserver’s own default)', async () => {
    const kg = await startKgate({ tokens, authorizationModes: ['AlwaysAllow'] });
    try {
      assert.equal((await kg.request('GET', CMS, { token: ALICE })).status, 200);
      assert.equal((await kg.request('GET', CMS, { token: null })).status, 200);
    } finally {
      await kg.close();
    }
  });

  it('AlwaysDeny refuses everyone but system:masters, with kube’s reason', async () => {
    const kg = await startKgate({ authorizationModes: ['AlwaysDeny'], tokens });
    try {
      const res = await kg.request('GET', CMS, { token: ALICE });
      assert.equal(res.status, 403);
      assert.equal(res.body.message, `${forbiddenList('alice', 'configmaps', 'default')}: Everything is forbidden.`);
      // kube-apiserver allows system:masters ahead of every mode (pkg/kubeapiserver/authorizer/reload.go).
      assert.equal((await kg.request('GET', CMS)).status, 200);
    } finally {
      await kg.close();
    }
  });

  it('--anonymous-auth=false makes a request without credentials 401, health probes included', async () => {
    const kg = await startKgate({ anonymous: false });
    try {
      for (const path of [CMS, '/healthz']) {
        const res = await kg.request('GET', path, { token: null });
        assert.equal(res.status, 401, path);
        assert.equal(res.body.message, 'Unauthorized');
      }
    } finally {
      await kg.close();
    }
  });
});

describe('--client-ca-file: X.509 client certificates', function () {
  this.timeout(120_000);
  let kg: Kgate;
  let otherPki: string;
  before(async () => {
    kg = await startKgate({ clientCA: true });
    // Another CA, under another name (a CA with the very name of the trusted one makes OpenSSL try the trusted
    // key and leave an error behind that drops the connection instead of answering 401).
    otherPki = await mkdtemp(join(tmpdir(), 'kgate-other-ca-'));
    const ca = await selfsigned.generate([{ name: 'commonName', value: 'some-other-ca' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, digitalSignature: true, critical: true },
      ],
    });
    const files = certificateFiles(otherPki);
    await writeFile(files.caCert, ca.cert);
    await writeFile(files.caKey, ca.private);
  });
  after(async () => {
    await kg?.close();
    await rm(otherPki, { recursive: true, force: true });
  });

  it('a certificate the client CA signed is its CommonName, in its Organizations (kubectl over HTTP/2)', async () => {
    const admin = await kg.clientKubeconfig('carol', ['system:masters']);
    const out = await kg.kubectl(['--kubeconfig', admin, 'get', 'namespaces', '-o', 'name']);
    assert.match(out.stdout, /^namespace\/kube-system$/m);
    const plain = await kg.clientKubeconfig('dave', ['team-a', 'team-b']);
    const refused = await kg.kubectl(['--kubeconfig', plain, 'get', 'configmaps'], { allowFail: true });
    assert.equal(refused.stderr.trim(), `Error from server (Forbidden): ${forbiddenList('dave', 'configmaps', 'default')}`);
    // The groups count: a binding to one of them grants dave.
    await kg.kubectl(['create', 'rolebinding', 'team-a-view', '--clusterrole=view', '--group=team-a', '-n', 'default']);
    const allowed = await kg.kubectl(['--kubeconfig', plain, 'get', 'configmaps', '-o', 'name'], { allowFail: true });
    assert.equal(allowed.code, 0, allowed.stderr);
  });

  it('a certificate from another CA is 401, and so is one without a CommonName', async () => {
    const stranger = await kg.clientKubeconfig('mallory', ['system:masters'], otherPki);
    const out = await kg.kubectl(['--kubeconfig', stranger, 'get', 'namespaces'], { allowFail: true });
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
    const nameless = await kg.clientKubeconfig('', ['system:masters']);
    const out2 = await kg.kubectl(['--kubeconfig', nameless, 'get', 'namespaces'], { allowFail: true });
    assert.match(out2.stderr, /Unauthorized/);
  });

  it('without a certificate the connection still serves bearer tokens and anonymous requests (HTTP/1.1 too)', async () => {
    assert.equal((await kg.request('GET', '/api/v1/namespaces')).status, 200);
    assert.equal((await kg.request('GET', '/api/v1/namespaces', { token: null })).status, 403);
  });
});
