// OpenID Connect and webhook authentication, and webhook authorization, as kube-apiserver does them with the same
// flags: an OIDC issuer served on loopback over HTTPS (its own CA, discovery, JWKS, tokens signed with jose),
// a TokenReview webhook and a SubjectAccessReview webhook on loopback, all against a real kgate. Users show up in
// 403 messages and in what a granted Role lets them do; bad tokens get kube's plain 401; the bodies kgate sends the
// webhooks, their caching and a webhook's deny are checked; malformed files stop kgate from starting.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { generateKeyPair, SignJWT } from 'jose';
import { ensureCertificates } from '../../src/server/certs.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { startIssuer, type OIDCIssuer } from '../support/oidc-issuer.js';
import { freePort } from '../support/ports.js';

const CMS = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

const forbiddenList = (user: string, ns: string) =>
  `configmaps is forbidden: User "${user}" cannot list resource "configmaps" in API group "" in the namespace "${ns}"`;

/** Binds `view` in `ns` to a user or group, as an admin would with kubectl. */
async function bindView(kg: Kgate, ns: string, name: string, subject: { kind: 'User' | 'Group'; name: string }): Promise<void> {
  const res = await kg.request('POST', `${RBAC}/namespaces/${ns}/rolebindings`, {
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
    },
  });
  assert.equal(res.status, 201, res.text);
}

async function ensureNamespace(kg: Kgate, name: string): Promise<void> {
  const res = await kg.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  assert.ok(res.status === 201 || res.status === 409, res.text);
}

describe('OpenID Connect authentication (--oidc-*)', function () {
  this.timeout(120_000);
  let issuer: OIDCIssuer;
  let etcd: EtcdProcess;
  let kg: Kgate;
  before(async () => {
    issuer = await startIssuer();
    etcd = await startEtcd();
    kg = await startKgate({
      etcd,
      flags: [
        `--oidc-issuer-url=${issuer.url}`,
        '--oidc-client-id=kgate',
        `--oidc-ca-file=${issuer.caFile}`,
        '--oidc-groups-claim=groups',
        '--oidc-groups-prefix=oidc:',
        '--oidc-required-claim=tenant=blue',
      ],
    });
  });
  after(async () => {
    await kg?.close();
    await etcd?.stop();
    await issuer?.close();
  });

  it('a valid ID token authenticates its sub, prefixed by the issuer URL and "#", as kube does by default', async () => {
    const token = await issuer.sign({ sub: 'alice', aud: 'kgate', groups: ['devs'], tenant: 'blue' });
    const res = await kg.request('GET', CMS('default'), { token });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.message, forbiddenList(`${issuer.url}#alice`, 'default'));
  });

  it('the groups claim, prefixed by --oidc-groups-prefix, is what a RoleBinding grants to', async () => {
    await ensureNamespace(kg, 'oidc-team');
    await bindView(kg, 'oidc-team', 'oidc-devs-view', { kind: 'Group', name: 'oidc:devs' });
    const devs = await issuer.sign({ sub: 'bob', aud: ['other', 'kgate'], groups: ['devs'], tenant: 'blue' });
    assert.equal((await kg.request('GET', CMS('oidc-team'), { token: devs })).status, 200);
    // A single string is one group (kube accepts a string or an array).
    const single = await issuer.sign({ sub: 'carol', aud: 'kgate', groups: 'devs', tenant: 'blue' });
    assert.equal((await kg.request('GET', CMS('oidc-team'), { token: single })).status, 200);
    // The unprefixed group name is not the one bound.
    const others = await issuer.sign({ sub: 'dave', aud: 'kgate', groups: ['ops'], tenant: 'blue' });
    const refused = await kg.request('GET', CMS('oidc-team'), { token: others });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, forbiddenList(`${issuer.url}#dave`, 'oidc-team'));
  });

  it('kubectl with an ID token is the OIDC user', async () => {
    const token = await issuer.sign({ sub: 'erin', aud: 'kgate', tenant: 'blue' });
    const out = await kg.kubectl(['get', 'configmaps', '-n', 'default', `--token=${token}`], { allowFail: true });
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, new RegExp(`Error from server \\(Forbidden\\): ${escape(forbiddenList(`${issuer.url}#erin`, 'default'))}`));
  });

  it('expired, wrong-audience, other-issuer, badly signed and unsupported-alg tokens are kube’s plain 401', async () => {
    const stranger = await issuer.newKey('RS256', false);
    const ecKey = await issuer.newKey('ES256', true);
    const base = { sub: 'mallory', aud: 'kgate', tenant: 'blue' };
    const cases: Record<string, string> = {
      expired: await issuer.sign(base, { expiresIn: -60 }),
      'wrong audience': await issuer.sign({ ...base, aud: 'someone-else' }),
      'other issuer': await issuer.sign({ ...base, iss: 'https://evil.example.com' }),
      // Signed by a key the issuer never published, under the kid of one it did.
      'bad signature': await issuer.sign(base, { key: stranger, kid: issuer.published[0].kid }),
      // ES256 is published but --oidc-signing-algs is the default, RS256.
      'unsupported alg': await issuer.sign(base, { key: ecKey }),
      'required claim missing': await issuer.sign({ sub: 'mallory', aud: 'kgate' }),
      'required claim differs': await issuer.sign({ ...base, tenant: 'red' }),
      'no sub': await issuer.sign({ aud: 'kgate', tenant: 'blue' }),
      'not a JWT': 'not.a.jwt',
    };
    for (const [name, token] of Object.entries(cases)) {
      const res = await kg.request('GET', CMS('default'), { token });
      assert.equal(res.status, 401, name);
      assert.deepEqual(res.body, UNAUTHORIZED, name);
    }
  });

  it('a token signed with a key the issuer published after start is accepted: an unknown kid refetches the JWKS', async () => {
    const before = issuer.jwksFetches;
    const rotated = await issuer.newKey();
    const token = await issuer.sign({ sub: 'frank', aud: 'kgate', tenant: 'blue' }, { key: rotated });
    const res = await kg.request('GET', CMS('default'), { token });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.message, forbiddenList(`${issuer.url}#frank`, 'default'));
    assert.ok(issuer.jwksFetches > before, 'the JWKS was fetched again');
  });
});

describe('OIDC username claim and prefix rules', function () {
  this.timeout(120_000);
  let issuer: OIDCIssuer;
  let etcd: EtcdProcess;
  const started: Kgate[] = [];
  before(async () => {
    issuer = await startIssuer('');
    etcd = await startEtcd();
  });
  after(async () => {
    for (const kg of started) await kg.close();
    await etcd?.stop();
    await issuer?.close();
  });
  const start = async (flags: string[]) => {
    const kg = await startKgate({
      etcd,
      prefix: `/registry-${started.length}`,
      flags: [`--oidc-issuer-url=${issuer.url}`, '--oidc-client-id=kgate', `--oidc-ca-file=${issuer.caFile}`, ...flags],
    });
    started.push(kg);
    return kg;
  };
  const userOf = async (kg: Kgate, token: string) => {
    const res = await kg.request('GET', CMS('default'), { token });
    if (res.status === 401) return 401;
    assert.equal(res.status, 403, res.text);
    const m = /User "([^"]*)"/.exec(res.body.message);
    return m?.[1];
  };

  it('the email claim is not prefixed, and a false email_verified is refused', async () => {
    const kg = await start(['--oidc-username-claim=email']);
    const claims = { sub: 's-1', aud: 'kgate', email: 'alice@example.com' };
    assert.equal(await userOf(kg, await issuer.sign(claims)), 'alice@example.com');
    assert.equal(await userOf(kg, await issuer.sign({ ...claims, email_verified: true })), 'alice@example.com');
    assert.equal(await userOf(kg, await issuer.sign({ ...claims, email_verified: false })), 401);
    // kube decodes email_verified as a JSON boolean only.
    assert.equal(await userOf(kg, await issuer.sign({ ...claims, email_verified: 'true' })), 401);
  });

  it('--oidc-username-prefix=- disables prefixing; any other prefix replaces the issuer URL; ES256 when allowed', async () => {
    const none = await start(['--oidc-username-prefix=-', '--oidc-signing-algs=RS256,ES256']);
    assert.equal(await userOf(none, await issuer.sign({ sub: 'alice', aud: 'kgate' })), 'alice');
    // An algorithm --oidc-signing-algs allows, from a key the JWKS publishes.
    const ec = await issuer.newKey('ES256');
    assert.equal(await userOf(none, await issuer.sign({ sub: 'ellie', aud: 'kgate' }, { key: ec })), 'ellie');
    const corp = await start(['--oidc-username-prefix=corp:', '--oidc-username-claim=name']);
    assert.equal(await userOf(corp, await issuer.sign({ sub: 's-2', name: 'bob', aud: 'kgate' })), 'corp:bob');
    // A username claim that is missing or not a string refuses the token.
    assert.equal(await userOf(corp, await issuer.sign({ sub: 's-3', aud: 'kgate' })), 401);
    assert.equal(await userOf(corp, await issuer.sign({ sub: 's-4', name: 7, aud: 'kgate' })), 401);
  });
});

describe('an OIDC issuer that is not up when kgate starts', function () {
  this.timeout(120_000);
  let kg: Kgate | undefined;
  let issuer: OIDCIssuer | undefined;
  after(async () => {
    await kg?.close();
    await issuer?.close();
  });

  it('is discovered once it answers: tokens are 401 until then, as kube’s "not initialized" authenticator', async () => {
    const port = await freePort();
    const url = `https://127.0.0.1:${port}/late`;
    const dir = await mkdtemp(join(tmpdir(), 'kgate-late-issuer-'));
    try {
      // The CA kgate is told to trust exists before the issuer serves with it.
      const { files } = await ensureCertificates(join(dir, 'pki'));
      kg = await startKgate({
        flags: [`--oidc-issuer-url=${url}`, '--oidc-client-id=kgate', `--oidc-ca-file=${files.caCert}`, '--oidc-username-prefix=-'],
      });
      const { privateKey } = await generateKeyPair('RS256');
      const early = await new SignJWT({ iss: url, sub: 'late', aud: 'kgate' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k' })
        .setExpirationTime('10m')
        .sign(privateKey);
      const refused = await kg.request('GET', CMS('default'), { token: early });
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body, UNAUTHORIZED);
      issuer = await startIssuer('/late', port, join(dir, 'pki'));
      assert.equal(issuer.url, url);
      const res = await kg.request('GET', CMS('default'), { token: await issuer.sign({ sub: 'late', aud: 'kgate' }) });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.message, forbiddenList('late', 'default'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

interface Review {
  body: any;
}

/** An HTTPS webhook on loopback that records what it is sent and answers with `answer`. */
async function startWebhook(
  caDir: string,
  answer: (body: any) => { status: number; body: unknown },
): Promise<{ url: string; calls: Review[]; close(): Promise<void> }> {
  const pki = await ensureCertificates(join(caDir, 'pki'));
  const calls: Review[] = [];
  const server: Server = createServer({ cert: pki.servingCertChain, key: pki.servingKey }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      calls.push({ body });
      const out = answer(body);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A webhook kubeconfig as kube documents it: the cluster is the remote service, the CA a file beside it. */
async function writeWebhookKubeconfig(dir: string, name: string, server: string): Promise<string> {
  const path = join(dir, `${name}.kubeconfig`);
  await writeFile(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server, 'certificate-authority': 'pki/ca.crt' } }],
      users: [{ name: 'kgate', user: { token: 'webhook-secret' } }],
      contexts: [{ name: 'webhook', context: { cluster: name, user: 'kgate' } }],
      'current-context': 'webhook',
    }),
  );
  return path;
}

describe('webhook token authentication and webhook authorization', function () {
  this.timeout(120_000);
  let dir: string;
  let authn: Awaited<ReturnType<typeof startWebhook>>;
  let authz: Awaited<ReturnType<typeof startWebhook>>;
  let kg: Kgate;
  let authnConfig: string;
  let authzConfig: string;
  const tokenReviews = () => authn.calls.map((c) => c.body);
  const accessReviews = (user: string) => authz.calls.map((c) => c.body).filter((b) => b.spec.user === user);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kgate-webhooks-'));
    authn = await startWebhook(dir, (review) => {
      if (review.spec.token === 'wendy-token') {
        return {
          status: 200,
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenReview',
            status: {
              authenticated: true,
              user: { username: 'wendy', uid: 'w-1', groups: ['web-devs'], extra: { 'example.com/team': ['web'] } },
            },
          },
        };
      }
      // A plain refusal, or one with an error (which kube does not cache).
      const status = review.spec.token === 'erroring-token' ? { authenticated: false, error: 'unknown token' } : { authenticated: false };
      return { status: 200, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status } };
    });
    authz = await startWebhook(dir, (review) => {
      const ns = review.spec.resourceAttributes?.namespace;
      const status =
        ns === 'allowed-ns'
          ? { allowed: true, reason: 'allowed by the policy webhook' }
          : ns === 'denied-ns'
            ? { allowed: false, denied: true, reason: 'denied by the policy webhook' }
            : { allowed: false, reason: 'no opinion from the policy webhook' };
      if (ns === 'broken-ns') return { status: 400, body: { message: 'cannot decide' } };
      return { status: 200, body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', status } };
    });
    authnConfig = await writeWebhookKubeconfig(dir, 'authn', `${authn.url}/authenticate`);
    authzConfig = await writeWebhookKubeconfig(dir, 'authz', `${authz.url}/authorize`);
    kg = await startKgate({
      flags: [
        `--authentication-token-webhook-config-file=${authnConfig}`,
        '--authentication-token-webhook-version=v1',
        '--authentication-token-webhook-cache-ttl=1h',
        '--authorization-mode=Webhook,RBAC',
        `--authorization-webhook-config-file=${authzConfig}`,
        '--authorization-webhook-version=v1',
        '--authorization-webhook-cache-authorized-ttl=1h',
        '--authorization-webhook-cache-unauthorized-ttl=1h',
      ],
    });
    for (const ns of ['allowed-ns', 'denied-ns', 'rbac-ns', 'broken-ns']) await ensureNamespace(kg, ns);
  });
  after(async () => {
    await kg?.close();
    await authn?.close();
    await authz?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends a TokenReview v1 with the bearer token and takes status.user, caching the answer', async () => {
    const res = await kg.request('GET', CMS('allowed-ns'), { token: 'wendy-token' });
    assert.equal(res.status, 200, res.text);
    const reviews = tokenReviews().filter((r) => r.spec.token === 'wendy-token');
    assert.equal(reviews.length, 1);
    assert.deepEqual(reviews[0], {
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {},
      spec: { token: 'wendy-token' },
      status: { user: {} },
    });
    // The user the webhook named is the one authorized, groups and extra included.
    const sar = accessReviews('wendy').find((r) => r.spec.resourceAttributes?.namespace === 'allowed-ns');
    assert.deepEqual(sar, {
      kind: 'SubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: {
        resourceAttributes: { namespace: 'allowed-ns', verb: 'list', version: 'v1', resource: 'configmaps' },
        user: 'wendy',
        groups: ['web-devs', 'system:authenticated'],
        extra: { 'example.com/team': ['web'] },
        uid: 'w-1',
      },
      status: { allowed: false },
    });
    // Within --authentication-token-webhook-cache-ttl and the authorized TTL, neither webhook is asked again.
    const authzCalls = authz.calls.length;
    assert.equal((await kg.request('GET', CMS('allowed-ns'), { token: 'wendy-token' })).status, 200);
    assert.equal(tokenReviews().filter((r) => r.spec.token === 'wendy-token').length, 1);
    assert.equal(authz.calls.length, authzCalls);
  });

  it('a token the webhook does not authenticate is kube’s plain 401; the refusal is cached unless it carries an error', async () => {
    for (const token of ['forged-token', 'erroring-token']) {
      for (let i = 0; i < 2; i++) {
        const res = await kg.request('GET', CMS('allowed-ns'), { token });
        assert.equal(res.status, 401);
        assert.deepEqual(res.body, UNAUTHORIZED);
      }
    }
    assert.equal(tokenReviews().filter((r) => r.spec.token === 'forged-token').length, 1);
    assert.equal(tokenReviews().filter((r) => r.spec.token === 'erroring-token').length, 2);
  });

  it('a static token answers before the webhook is asked; system:masters is allowed before the authorizer webhook', async () => {
    const before = { authn: authn.calls.length, authz: authz.calls.length };
    assert.equal((await kg.request('GET', CMS('denied-ns'))).status, 200);
    assert.equal(authn.calls.length, before.authn);
    assert.equal(authz.calls.length, before.authz);
  });

  it('the webhook’s deny ends the chain: RBAC’s grant does not count, and the 403 carries the webhook’s reason', async () => {
    await bindView(kg, 'denied-ns', 'wendy-view', { kind: 'User', name: 'wendy' });
    const res = await kg.request('GET', CMS('denied-ns'), { token: 'wendy-token' });
    assert.equal(res.status, 403);
    assert.equal(res.body.message, `${forbiddenList('wendy', 'denied-ns')}: denied by the policy webhook`);
    const out = await kg.kubectl(['get', 'configmaps', '-n', 'denied-ns', '--token=wendy-token'], { allowFail: true });
    assert.match(out.stderr, /Error from server \(Forbidden\): .* in the namespace "denied-ns": denied by the policy webhook/);
  });

  it('no opinion from the webhook leaves the decision to RBAC; a refusal carries the webhook’s reason; answers are cached', async () => {
    const refused = await kg.request('GET', CMS('rbac-ns'), { token: 'wendy-token' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, `${forbiddenList('wendy', 'rbac-ns')}: no opinion from the policy webhook`);
    await bindView(kg, 'rbac-ns', 'wendy-view', { kind: 'User', name: 'wendy' });
    assert.equal((await kg.request('GET', CMS('rbac-ns'), { token: 'wendy-token' })).status, 200);
    // Both requests had the same attributes: the unauthorized answer was cached after the first.
    assert.equal(accessReviews('wendy').filter((r) => r.spec.resourceAttributes?.namespace === 'rbac-ns').length, 1);
  });

  it('a list’s selectors go in the review as requirements, and a fieldSelector pinning metadata.name names the object', async () => {
    const path = `${CMS('allowed-ns')}?labelSelector=app%3Dweb,tier+in+(b,a),!old&fieldSelector=metadata.name%3Dcm-1`;
    assert.equal((await kg.request('GET', path, { token: 'wendy-token' })).status, 200);
    const review = accessReviews('wendy').find((r) => r.spec.resourceAttributes?.name === 'cm-1');
    assert.deepEqual(review?.spec.resourceAttributes, {
      namespace: 'allowed-ns',
      verb: 'list',
      version: 'v1',
      resource: 'configmaps',
      name: 'cm-1',
      fieldSelector: { requirements: [{ key: 'metadata.name', operator: 'In', values: ['cm-1'] }] },
      labelSelector: {
        requirements: [
          { key: 'app', operator: 'In', values: ['web'] },
          { key: 'old', operator: 'DoesNotExist' },
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
        ],
      },
    });
  });

  it('non-resource requests are reviewed by path and verb', async () => {
    await kg.request('GET', '/version', { token: 'wendy-token' });
    const review = accessReviews('wendy').find((r) => r.spec.nonResourceAttributes?.path === '/version');
    assert.deepEqual(review?.spec.nonResourceAttributes, { path: '/version', verb: 'get' });
  });

  it('kube’s default review version, v1beta1, names the groups field "group"', async () => {
    const legacy = await startKgate({
      etcd: kg.etcd,
      prefix: '/registry-v1beta1',
      flags: [
        `--authentication-token-webhook-config-file=${authnConfig}`,
        '--authorization-mode=Webhook',
        `--authorization-webhook-config-file=${authzConfig}`,
      ],
    });
    try {
      const before = { authn: authn.calls.length, authz: authz.calls.length };
      assert.equal((await legacy.request('GET', CMS('v1beta1-ns'), { token: 'wendy-token' })).status, 403);
      const [tokenReview] = authn.calls.slice(before.authn).map((c) => c.body);
      assert.equal(tokenReview.apiVersion, 'authentication.k8s.io/v1beta1');
      assert.deepEqual(tokenReview.spec, { token: 'wendy-token' });
      const [accessReview] = authz.calls.slice(before.authz).map((c) => c.body);
      assert.equal(accessReview.apiVersion, 'authorization.k8s.io/v1beta1');
      assert.deepEqual(accessReview.spec, {
        resourceAttributes: { namespace: 'v1beta1-ns', verb: 'list', version: 'v1', resource: 'configmaps' },
        user: 'wendy',
        group: ['web-devs', 'system:authenticated'],
        extra: { 'example.com/team': ['web'] },
        uid: 'w-1',
      });
    } finally {
      await legacy.close();
    }
  });

  it('a webhook that fails with nobody else deciding is kube’s 500 InternalError', async () => {
    const res = await kg.request('GET', CMS('broken-ns'), { token: 'wendy-token' });
    assert.equal(res.status, 500);
    assert.match(res.text, /^Internal Server Error: "\/api\/v1\/namespaces\/broken-ns\/configmaps": /);
    assert.equal((await kg.request('GET', CMS('broken-ns'))).status, 200, 'the admin is not affected');
  });
});

describe('OIDC and webhook flags that cannot work stop kgate from starting', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kgate-bad-flags-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const run = (args: string[]) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [MAIN, '--etcd-servers=http://127.0.0.1:1', `--cert-dir=${join(dir, 'certs')}`, ...args],
        { timeout: 30_000 },
        (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });

  it('names the file or flag at fault, with kube’s messages', async () => {
    const garbage = join(dir, 'garbage.pem');
    await writeFile(garbage, 'not a certificate\n');
    const malformed = join(dir, 'malformed.kubeconfig');
    await writeFile(malformed, 'clusters: [unclosed\n');
    const cases: [string[], RegExp][] = [
      [
        ['--oidc-client-id=kgate'],
        /^Error: oidc-issuer-url and oidc-client-id must be specified together when any oidc-\* flags are set$/m,
      ],
      [
        ['--oidc-issuer-url=http://issuer.example.com', '--oidc-client-id=kgate'],
        /invalid authentication configuration: jwt\[0\]\.issuer\.url: Invalid value: "http:\/\/issuer\.example\.com": URL scheme must be https/,
      ],
      [
        ['--oidc-issuer-url=https://issuer.example.com', '--oidc-client-id=kgate', `--oidc-ca-file=${garbage}`],
        new RegExp(`data does not contain any valid RSA or ECDSA certificates \\(--oidc-ca-file=${escape(garbage)}\\)`),
      ],
      [
        ['--oidc-issuer-url=https://issuer.example.com', '--oidc-client-id=kgate', `--oidc-ca-file=${join(dir, 'missing.pem')}`],
        new RegExp(`^Error: open ${escape(join(dir, 'missing.pem'))}: no such file or directory$`, 'm'),
      ],
      [
        ['--oidc-issuer-url=https://issuer.example.com', '--oidc-client-id=kgate', '--oidc-signing-algs=HS256'],
        /oidc: unsupported signing alg: "HS256"/,
      ],
      [[`--authentication-token-webhook-config-file=${malformed}`], new RegExp(`error loading config file "${escape(malformed)}"`)],
      [
        [`--authentication-token-webhook-config-file=${join(dir, 'missing.kubeconfig')}`],
        new RegExp(`stat ${escape(join(dir, 'missing.kubeconfig'))}: no such file or directory`),
      ],
      [['--authorization-mode=RBAC,Webhook'], /authorization-mode Webhook's authorization config file not passed/],
      [[`--authorization-webhook-config-file=${malformed}`], /cannot specify --authorization-webhook-config-file without mode Webhook/],
      [
        ['--authorization-mode=Webhook', `--authorization-webhook-config-file=${malformed}`],
        new RegExp(`invalid authorization config: error loading config file "${escape(malformed)}"`),
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await run(args);
      assert.equal(code, 1, args.join(' '));
      assert.match(stderr, message, args.join(' '));
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
