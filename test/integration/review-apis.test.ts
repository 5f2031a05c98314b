// The review APIs through real kubectl and plain HTTP: `kubectl auth can-i` (with --as, --list, -n, --subresource and
// non-resource URLs) and `kubectl auth whoami` answer from RBAC as on kube-apiserver; SubjectAccessReview,
// LocalSubjectAccessReview, SelfSubjectRulesReview and TokenReview bodies give kube's answers and kube's 400/422
// Statuses for bad input; the reviews are create-only (405/404 for other verbs) and write nothing to etcd.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { protobufRoot } from '../../src/protobuf/root.js';
import { startKgate, type Kgate } from '../support/kgate.js';

const execFileAsync = promisify(execFile);
const AUTHZ = '/apis/authorization.k8s.io/v1';
const AUTHN = '/apis/authentication.k8s.io/v1';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const ALICE = 'alice-token';
const BOB = 'bob-token';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const tokens = [
  { token: ALICE, user: 'alice', uid: 'alice-uid', groups: ['devs'] },
  { token: BOB, user: 'bob', uid: 'bob-uid', groups: [] },
];

/** A body as client-go's protobuf serializer writes it: `k8s\0` + runtime.Unknown around the object. */
function protobufBody(apiVersion: string, kind: string, typeName: string, object: Record<string, unknown>): Buffer {
  const root = protobufRoot();
  const type = root.lookupType(typeName);
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const raw = type.encode(type.fromObject(object)).finish();
  return Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish(),
  ]);
}

describe('review APIs (kubectl auth can-i / whoami, SubjectAccessReview, TokenReview)', function () {
  this.timeout(180_000);
  let kg: Kgate;
  const canI = async (args: string[]) => {
    const res = await kg.kubectl(['auth', 'can-i', ...args], { allowFail: true });
    return { answer: res.stdout.trim(), code: res.code };
  };

  before(async () => {
    kg = await startKgate({ tokens, clientCA: true });
    // alice may read pods and their logs in default, and GET /logs anywhere; bob holds nothing.
    const ok = (r: { status: number; text: string }) => assert.ok(r.status < 300, r.text);
    ok(
      await kg.request('POST', `${RBAC}/namespaces/default/roles`, {
        body: {
          metadata: { name: 'pod-reader' },
          rules: [
            { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
            { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
          ],
        },
      }),
    );
    ok(
      await kg.request('POST', `${RBAC}/namespaces/default/rolebindings`, {
        body: {
          metadata: { name: 'alice-reads-pods' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
          subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
        },
      }),
    );
    ok(
      await kg.request('POST', `${RBAC}/clusterroles`, {
        body: { metadata: { name: 'log-viewer' }, rules: [{ nonResourceURLs: ['/logs', '/logs/*'], verbs: ['get'] }] },
      }),
    );
    ok(
      await kg.request('POST', `${RBAC}/clusterrolebindings`, {
        body: {
          metadata: { name: 'devs-view-logs' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'log-viewer' },
          subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }],
        },
      }),
    );
  });
  after(async () => {
    await kg?.close();
  });

  it('kubectl auth can-i answers yes (exit 0) for granted verbs and no (exit 1) for the rest', async () => {
    const as = ['--token', ALICE];
    assert.deepEqual(await canI(['list', 'pods', '-n', 'default', ...as]), { answer: 'yes', code: 0 });
    assert.deepEqual(await canI(['get', 'pods/web', '-n', 'default', ...as]), { answer: 'yes', code: 0 });
    assert.deepEqual(await canI(['delete', 'pods', '-n', 'default', ...as]), { answer: 'no', code: 1 });
    assert.deepEqual(await canI(['list', 'pods', '-n', 'kube-system', ...as]), { answer: 'no', code: 1 });
    assert.deepEqual(await canI(['get', 'pods', '--subresource=log', '-n', 'default', ...as]), { answer: 'yes', code: 0 });
    assert.deepEqual(await canI(['get', 'pods', '--subresource=exec', '-n', 'default', ...as]), { answer: 'no', code: 1 });
    assert.deepEqual(await canI(['get', '/logs/kube.log', ...as]), { answer: 'yes', code: 0 });
    assert.deepEqual(await canI(['get', '/metrics', ...as]), { answer: 'no', code: 1 });
    assert.deepEqual(await canI(['get', '/version', '--token', BOB]), { answer: 'yes', code: 0 });
    assert.deepEqual(await canI(['list', 'pods', '-n', 'default', '--token', BOB]), { answer: 'no', code: 1 });
    // The admin (system:masters) may do anything.
    assert.deepEqual(await canI(['delete', 'nodes']), { answer: 'yes', code: 0 });
  });

  it('kubectl auth can-i --as asks for the impersonated user', async () => {
    assert.deepEqual(await canI(['list', 'pods', '-n', 'default', '--as', 'alice']), { answer: 'yes', code: 0 });
    assert.deepEqual(await canI(['list', 'pods', '-n', 'default', '--as', 'bob']), { answer: 'no', code: 1 });
    // A group given with --as-group counts: devs may read /logs.
    assert.deepEqual(await canI(['get', '/logs', '--as', 'bob', '--as-group', 'devs']), { answer: 'yes', code: 0 });
    // alice may not impersonate: her can-i --as is refused with kube's 403.
    const refused = await kg.kubectl(['auth', 'can-i', 'list', 'pods', '--as', 'bob', '--token', ALICE], { allowFail: true });
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope/,
    );
  });

  it('kubectl auth can-i --list prints the user’s rules in the namespace', async () => {
    const res = await kg.kubectl(['auth', 'can-i', '--list', '-n', 'default', '--token', ALICE]);
    const lines = res.stdout.split('\n');
    assert.match(lines[0], /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    assert.ok(
      lines.some((l) => /^pods\s+\[\]\s+\[\]\s+\[get list\]$/.test(l)),
      res.stdout,
    );
    assert.ok(
      lines.some((l) => /^pods\/log\s+\[\]\s+\[\]\s+\[get\]$/.test(l)),
      res.stdout,
    );
    assert.ok(
      lines.some((l) => /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/.test(l)),
      res.stdout,
    );
    assert.ok(
      lines.some((l) => /^\s+\[\/logs\/\*\]\s+\[\]\s+\[get\]$/.test(l)),
      res.stdout,
    );
    // Another namespace has no RoleBinding for alice: her pod rules are gone.
    const other = await kg.kubectl(['auth', 'can-i', '--list', '-n', 'kube-system', '--token', ALICE]);
    assert.ok(!/^pods\s/m.test(other.stdout), other.stdout);
    assert.match(other.stdout, /^selfsubjectrulesreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
  });

  it('kubectl auth whoami prints a token user, a certificate user and an impersonated user', async () => {
    const token = await kg.kubectl(['auth', 'whoami', '--token', ALICE]);
    assert.equal(token.stdout, 'ATTRIBUTE   VALUE\nUsername    alice\nUID         alice-uid\nGroups      [devs system:authenticated]\n');

    const certKubeconfig = await kg.clientKubeconfig('carol', ['team-a', 'team-b']);
    const cert = await kg.kubectl(['--kubeconfig', certKubeconfig, 'auth', 'whoami', '-o', 'json']);
    const review = JSON.parse(cert.stdout);
    assert.equal(review.kind, 'SelfSubjectReview');
    assert.equal(review.apiVersion, 'authentication.k8s.io/v1');
    // kube names a certificate's credential by the SHA-256 of its DER (x509.CommonNameUserConversion).
    const pem = Buffer.from(parse(await readFile(certKubeconfig, 'utf8')).users[0].user['client-certificate-data'], 'base64');
    const credentialID = `X509SHA256=${new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase()}`;
    assert.deepEqual(review.status, {
      userInfo: {
        username: 'carol',
        groups: ['team-a', 'team-b', 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': [credentialID] },
      },
    });
    assert.match(review.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const impersonated = await kg.kubectl(['auth', 'whoami', '--as', 'dave', '--as-group', 'ops', '--as-uid', 'd-1', '-o', 'json']);
    assert.deepEqual(JSON.parse(impersonated.stdout).status, {
      userInfo: { username: 'dave', uid: 'd-1', groups: ['ops', 'system:authenticated'] },
    });
    const table = await kg.kubectl(['auth', 'whoami', '--as', 'dave', '--as-group', 'ops']);
    assert.equal(table.stdout, 'ATTRIBUTE   VALUE\nUsername    dave\nGroups      [ops system:authenticated]\n');
  });

  it('SelfSubjectReview returns the impersonated user’s extra', async () => {
    const res = await kg.request('POST', `${AUTHN}/selfsubjectreviews`, {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      headers: { 'Impersonate-User': 'dave', 'Impersonate-Extra-Scopes': 'view' },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.status, { userInfo: { username: 'dave', groups: ['system:authenticated'], extra: { scopes: ['view'] } } });
  });

  it('SubjectAccessReview answers for the user it names, with RBAC’s reason', async () => {
    const res = await kg.request('POST', `${AUTHZ}/subjectaccessreviews`, {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: 'alice', resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } },
      },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.kind, 'SubjectAccessReview');
    assert.deepEqual(res.body.spec, { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' }, user: 'alice' });
    assert.deepEqual(res.body.status, {
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "alice-reads-pods/default" of Role "pod-reader" to User "alice"',
    });
    // The create handler recorded the request's field manager, as kube's does.
    assert.equal(res.body.metadata.managedFields[0].operation, 'Update');

    const denied = await kg.request('POST', `${AUTHZ}/subjectaccessreviews`, {
      body: { spec: { user: 'bob', nonResourceAttributes: { verb: 'get', path: '/logs' } } },
    });
    assert.deepEqual(denied.body.status, { allowed: false });
    const unparsable = await kg.request('POST', `${AUTHZ}/subjectaccessreviews`, {
      body: { spec: { user: 'bob', resourceAttributes: { verb: 'list', resource: 'pods', labelSelector: { rawSelector: 'a in (b' } } } },
    });
    assert.deepEqual(unparsable.body.status, {
      allowed: false,
      evaluationError: 'spec.resourceAttributes.labelSelector ignored due to parse error',
    });
  });

  it('a SubjectAccessReview with neither resourceAttributes nor nonResourceAttributes is kube’s 422', async () => {
    const res = await kg.request('POST', `${AUTHZ}/subjectaccessreviews`, { body: { spec: { user: 'alice' } } });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        '.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
      reason: 'Invalid',
      details: {
        group: 'authorization.k8s.io',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
            field: 'spec.resourceAttributes',
          },
        ],
      },
      code: 422,
    });
    const noUser = await kg.request('POST', `${AUTHZ}/subjectaccessreviews`, {
      body: { spec: { nonResourceAttributes: { verb: 'get', path: '/x' } } },
    });
    assert.equal(noUser.status, 422);
    assert.equal(
      noUser.body.message,
      '.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
    );
  });

  it('a LocalSubjectAccessReview must name its own namespace (422), and another metadata.namespace is a 400', async () => {
    const ok = await kg.request('POST', `${AUTHZ}/namespaces/default/localsubjectaccessreviews`, {
      body: { spec: { user: 'alice', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } } },
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.metadata.namespace, 'default');
    assert.equal(ok.body.status.allowed, true);

    const mismatch = await kg.request('POST', `${AUTHZ}/namespaces/default/localsubjectaccessreviews`, {
      body: { spec: { user: 'alice', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'other' } } },
    });
    assert.equal(mismatch.status, 422);
    assert.deepEqual(mismatch.body.details, {
      group: 'authorization.k8s.io',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "other": must match metadata.namespace',
          field: 'spec.resourceAttributes.namespace',
        },
      ],
    });
    assert.equal(
      mismatch.body.message,
      '.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace',
    );

    const otherMeta = await kg.request('POST', `${AUTHZ}/namespaces/default/localsubjectaccessreviews`, {
      body: {
        metadata: { namespace: 'x' },
        spec: { user: 'alice', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'x' } },
      },
    });
    assert.equal(otherMeta.status, 400);
    assert.equal(otherMeta.body.message, 'the namespace of the provided object does not match the namespace sent on the request');

    const nonResource = await kg.request('POST', `${AUTHZ}/namespaces/default/localsubjectaccessreviews`, {
      body: { spec: { user: 'alice', nonResourceAttributes: { verb: 'get', path: '/x' } } },
    });
    assert.equal(nonResource.status, 422);
    assert.equal(
      nonResource.body.message,
      '.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: {"Path":"/x","Verb":"get"}: disallowed on this kind of request',
    );
  });

  it('SelfSubjectRulesReview needs spec.namespace (400) and answers with rules only', async () => {
    const missing = await kg.request('POST', `${AUTHZ}/selfsubjectrulesreviews`, { body: { spec: {} }, token: ALICE });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'no namespace on request',
      reason: 'BadRequest',
      code: 400,
    });
    const res = await kg.request('POST', `${AUTHZ}/selfsubjectrulesreviews`, { body: { spec: { namespace: 'default' } }, token: BOB });
    assert.equal(res.status, 201);
    // A new object: no spec, no managedFields; bob holds only what system:authenticated holds.
    assert.deepEqual(res.body.metadata, {});
    assert.deepEqual(res.body.spec, {});
    assert.equal(res.body.status.incomplete, false);
    assert.deepEqual(res.body.status.resourceRules.map((r: { resources: string[] }) => r.resources.join(',')).sort(), [
      'selfsubjectaccessreviews,selfsubjectrulesreviews',
      'selfsubjectreviews',
    ]);
  });

  it('SelfSubjectRulesReview reports a binding to a missing role in evaluationError', async () => {
    await kg.request('POST', `${RBAC}/namespaces/default/rolebindings`, {
      body: {
        metadata: { name: 'bob-ghost' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ghost' },
        subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }],
      },
    });
    const res = await kg.request('POST', `${AUTHZ}/selfsubjectrulesreviews`, { body: { spec: { namespace: 'default' } }, token: BOB });
    assert.equal(res.status, 201);
    assert.equal(res.body.status.evaluationError, 'role.rbac.authorization.k8s.io "ghost" not found');
    assert.equal(res.body.status.incomplete, false);
  });

  it('TokenReview runs a token through the authenticators; a bad one is authenticated=false, a missing one a 400', async () => {
    const good = await kg.request('POST', `${AUTHN}/tokenreviews`, { body: { spec: { token: ALICE } } });
    assert.equal(good.status, 201);
    assert.deepEqual(good.body.status, {
      authenticated: true,
      user: { username: 'alice', uid: 'alice-uid', groups: ['devs', 'system:authenticated'] },
    });
    const bad = await kg.request('POST', `${AUTHN}/tokenreviews`, { body: { spec: { token: 'not-a-token' } } });
    assert.equal(bad.status, 201);
    assert.deepEqual(bad.body.status, { user: {}, error: 'invalid bearer token' });
    const missing = await kg.request('POST', `${AUTHN}/tokenreviews`, { body: { spec: {} } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.message, 'token is required for TokenReview in authentication');
    // Only who may create tokenreviews may ask: alice is refused with kube's 403.
    const refused = await kg.request('POST', `${AUTHN}/tokenreviews`, { body: { spec: { token: ALICE } }, token: ALICE });
    assert.equal(refused.status, 403);
    assert.equal(
      refused.body.message,
      'tokenreviews.authentication.k8s.io is forbidden: User "alice" cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope',
    );
  });

  it('protobuf bodies of SubjectAccessReview, LocalSubjectAccessReview and TokenReview decode (as kubectl sends them)', async () => {
    const headers = { 'content-type': PROTOBUF, accept: `${PROTOBUF},application/json` };
    const sar = await kg.request('POST', `${AUTHZ}/subjectaccessreviews`, {
      raw: protobufBody('authorization.k8s.io/v1', 'SubjectAccessReview', 'k8s.io.api.authorization.v1.SubjectAccessReview', {
        spec: {
          user: 'alice',
          groups: ['devs'],
          resourceAttributes: { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default' },
        },
      }),
      headers,
    });
    assert.equal(sar.status, 201, sar.text);
    assert.equal(sar.headers['content-type'], 'application/json');
    assert.equal(sar.body.status.allowed, true);
    const lsar = await kg.request('POST', `${AUTHZ}/namespaces/default/localsubjectaccessreviews`, {
      raw: protobufBody('authorization.k8s.io/v1', 'LocalSubjectAccessReview', 'k8s.io.api.authorization.v1.LocalSubjectAccessReview', {
        spec: { user: 'carol', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' } },
      }),
      headers,
    });
    assert.equal(lsar.status, 201, lsar.text);
    assert.deepEqual(lsar.body.status, { allowed: false });
    const tr = await kg.request('POST', `${AUTHN}/tokenreviews`, {
      raw: protobufBody('authentication.k8s.io/v1', 'TokenReview', 'k8s.io.api.authentication.v1.TokenReview', { spec: { token: BOB } }),
      headers,
    });
    assert.equal(tr.status, 201, tr.text);
    assert.equal(tr.body.status.user.username, 'bob');
  });

  it('the reviews are create-only: GET is 405, object paths 404, and nothing reaches etcd', async () => {
    const keys = async () =>
      (await execFileAsync('etcdctl', ['--endpoints', kg.etcd.endpoint, 'get', '', '--prefix', '--keys-only'])).stdout
        .split('\n')
        .filter((k) => k !== '')
        .sort();
    const before = await keys();
    for (const [path, body] of [
      [`${AUTHZ}/selfsubjectaccessreviews`, { spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }],
      [`${AUTHZ}/subjectaccessreviews`, { spec: { user: 'a', nonResourceAttributes: { verb: 'get', path: '/' } } }],
      [`${AUTHN}/selfsubjectreviews`, {}],
      [`${AUTHN}/tokenreviews`, { spec: { token: BOB } }],
    ] as const) {
      assert.equal((await kg.request('POST', path, { body })).status, 201, path);
      const list = await kg.request('GET', path);
      assert.equal(list.status, 405, path);
      assert.equal(list.body.reason, 'MethodNotAllowed');
      assert.equal((await kg.request('GET', `${path}/x`)).status, 404, path);
    }
    assert.equal((await kg.request('POST', `${AUTHZ}/localsubjectaccessreviews`, { body: {} })).status, 404);
    assert.deepEqual(await keys(), before);
  });

  it('discovery lists the reviews with verbs [create] and no storage version hash', async () => {
    const list = await kg.request('GET', AUTHZ);
    assert.deepEqual(
      list.body.resources.map((r: Record<string, unknown>) => [r.name, r.namespaced, r.verbs, r.storageVersionHash]),
      [
        ['localsubjectaccessreviews', true, ['create'], undefined],
        ['selfsubjectaccessreviews', false, ['create'], undefined],
        ['selfsubjectrulesreviews', false, ['create'], undefined],
        ['subjectaccessreviews', false, ['create'], undefined],
      ],
    );
    const authn = await kg.request('GET', AUTHN);
    assert.deepEqual(
      authn.body.resources.map((r: { name: string }) => r.name),
      ['selfsubjectreviews', 'tokenreviews'],
    );
    const res = await kg.kubectl(['api-resources', '--api-group=authorization.k8s.io', '-o', 'wide']);
    assert.match(res.stdout, /^selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview\s+create\s*$/m);
  });
});
