// ServiceAccount tokens end to end: `kubectl create token` issues a TokenRequest (kubectl sends it as protobuf), the
// token authenticates as system:serviceaccount:<ns>:<name> in its groups while the ServiceAccount lives with the same
// uid, and is refused (kube's plain 401) once it has expired, when it names another audience, when another key signed
// it, or when its ServiceAccount or bound Pod is gone. Legacy Secret-based tokens count while their Secret holds them.
// Also: TokenRequest's refusals, discovery listing serviceaccounts/token, and the issuer discovery documents.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, createLocalJWKSet } from 'jose';
import { startKgate, type Kgate } from '../support/kgate.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const NS = 'default';
const SA_PATH = `/api/v1/namespaces/${NS}/serviceaccounts`;
const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

function payloadOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** A token signed with `key` over exactly these claims: what an attacker (or an old issuer) could present. */
function forge(key: KeyObject, claims: Record<string, unknown>, kid?: string): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'RS256', ...(kid && { kid }) })
    .sign(key);
}

/** Polls until `check` holds: the authenticator reads the watch cache, which follows etcd a moment behind a write. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${what}: not within 30s`);
}

describe('ServiceAccount tokens', function () {
  this.timeout(120_000);
  let kg: Kgate;
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

  before(async () => {
    kg = await startKgate({ serviceAccounts: { signingKey, apiAudiences: [ISSUER, 'x'] } });
    await kg.kubectl(['create', 'serviceaccount', 'builder']);
    // builder may list pods in default; the group every ServiceAccount of default is in may list configmaps.
    await kg.kubectl(['create', 'role', 'pod-reader', '--verb=list', '--resource=pods']);
    await kg.kubectl(['create', 'rolebinding', 'builder-reads-pods', '--role=pod-reader', `--serviceaccount=${NS}:builder`]);
    await kg.kubectl(['create', 'role', 'cm-reader', '--verb=list', '--resource=configmaps']);
    await kg.kubectl(['create', 'rolebinding', 'sas-read-cms', '--role=cm-reader', `--group=system:serviceaccounts:${NS}`]);
  });
  after(async () => {
    await kg?.close();
  });

  const uidOf = async (name: string) => (await kg.request('GET', `${SA_PATH}/${name}`)).body.metadata.uid as string;

  it('kubectl create token issues a token that authenticates as the ServiceAccount', async () => {
    const { stdout } = await kg.kubectl(['create', 'token', 'builder', '--audience=x', '--duration=10m']);
    const token = stdout.trim();
    const claims = payloadOf(token);
    assert.equal(claims.iss, ISSUER);
    assert.deepEqual(claims.aud, ['x']);
    assert.equal(claims.sub, `system:serviceaccount:${NS}:builder`);
    assert.equal(claims.exp - claims.iat, 600);
    assert.equal(claims.nbf, claims.iat);
    assert.match(claims.jti, /^[0-9a-f-]{36}$/);
    assert.deepEqual(claims['kubernetes.io'], { namespace: NS, serviceaccount: { name: 'builder', uid: await uidOf('builder') } });

    const pods = await kg.kubectl(['--token', token, 'get', 'pods', '-n', NS], { allowFail: true });
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stderr, /No resources found in default namespace/);
    // The group system:serviceaccounts:default grants configmaps.
    assert.equal((await kg.request('GET', `/api/v1/namespaces/${NS}/configmaps`, { token })).status, 200);
    // Nothing grants secrets: the 403 names the ServiceAccount's user.
    const secrets = await kg.kubectl(['--token', token, 'get', 'secrets', '-n', NS], { allowFail: true });
    assert.notEqual(secrets.code, 0);
    assert.match(
      secrets.stderr,
      /secrets is forbidden: User "system:serviceaccount:default:builder" cannot list resource "secrets" in API group "" in the namespace "default"/,
    );
  });

  it('the default audience is the API’s; a token for another audience is a plain 401', async () => {
    const { stdout } = await kg.kubectl(['create', 'token', 'builder']);
    const claims = payloadOf(stdout.trim());
    assert.deepEqual(claims.aud, [ISSUER, 'x']);
    assert.equal(claims.exp - claims.iat, 3600);

    const other = (await kg.kubectl(['create', 'token', 'builder', '--audience=vault'])).stdout.trim();
    const res = await kg.request('GET', `/api/v1/namespaces/${NS}/pods`, { token: other });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, UNAUTHORIZED);
    const viaKubectl = await kg.kubectl(['--token', other, 'get', 'pods'], { allowFail: true });
    assert.match(viaKubectl.stderr, /You must be logged in to the server \(Unauthorized\)/);
  });

  it('a token past its expiry (beyond the minute of leeway) or signed by another key is refused', async () => {
    const uid = await uidOf('builder');
    const now = Math.floor(Date.now() / 1000);
    const claims = (exp: number) => ({
      aud: [ISSUER],
      exp,
      iat: exp - 600,
      iss: ISSUER,
      'kubernetes.io': { namespace: NS, serviceaccount: { name: 'builder', uid } },
      nbf: exp - 600,
      sub: `system:serviceaccount:${NS}:builder`,
    });
    const list = (token: string) => kg.request('GET', `/api/v1/namespaces/${NS}/pods`, { token });
    // The same claims, unexpired and signed with the right key, pass: the refusals below are the expiry and the key.
    assert.equal((await list(await forge(signingKey, claims(now + 600)))).status, 200);
    const expired = await list(await forge(signingKey, claims(now - 120)));
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, UNAUTHORIZED);
    assert.equal((await list(await forge(otherKey, claims(now + 600)))).status, 401);
    // A token from an issuer that is not ours is not a ServiceAccount token at all: still 401, never anonymous.
    assert.equal((await list(await forge(signingKey, { ...claims(now + 600), iss: 'https://elsewhere' }))).status, 401);
  });

  it('a token stops authenticating once its ServiceAccount is deleted, and stays refused when it is recreated', async () => {
    await kg.kubectl(['create', 'serviceaccount', 'temp']);
    await kg.kubectl(['create', 'rolebinding', 'temp-reads-pods', '--role=pod-reader', `--serviceaccount=${NS}:temp`]);
    const token = (await kg.kubectl(['create', 'token', 'temp', '--duration=10m'])).stdout.trim();
    const status = async () => (await kg.request('GET', `/api/v1/namespaces/${NS}/pods`, { token })).status;
    assert.equal(await status(), 200);
    await kg.kubectl(['delete', 'serviceaccount', 'temp']);
    await eventually('token refused after the ServiceAccount was deleted', async () => (await status()) === 401);
    await kg.kubectl(['create', 'serviceaccount', 'temp']);
    const recreated = await uidOf('temp');
    assert.notEqual(recreated, payloadOf(token)['kubernetes.io'].serviceaccount.uid);
    // Wait until the new ServiceAccount is what a fresh token sees, then check the old one is still refused.
    const fresh = (await kg.kubectl(['create', 'token', 'temp'])).stdout.trim();
    await eventually('a fresh token for the new ServiceAccount authenticates', async () => {
      return (await kg.request('GET', `/api/v1/namespaces/${NS}/pods`, { token: fresh })).status === 200;
    });
    assert.equal(await status(), 401);
  });

  it('a token bound to a Pod names the pod and its node, and ends with the pod', async () => {
    await kg.request('POST', '/api/v1/nodes', { body: { metadata: { name: 'n1' } } });
    const pod = await kg.request('POST', `/api/v1/namespaces/${NS}/pods`, {
      body: {
        metadata: { name: 'app' },
        spec: { serviceAccountName: 'builder', nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] },
      },
    });
    assert.equal(pod.status, 201, pod.text);
    const token = (await kg.kubectl(['create', 'token', 'builder', '--bound-object-kind=Pod', '--bound-object-name=app'])).stdout.trim();
    const bound = payloadOf(token)['kubernetes.io'];
    assert.deepEqual(bound.pod, { name: 'app', uid: pod.body.metadata.uid });
    assert.equal(bound.node.name, 'n1');
    const status = async () => (await kg.request('GET', `/api/v1/namespaces/${NS}/pods`, { token })).status;
    assert.equal(await status(), 200);
    await kg.request('DELETE', `/api/v1/namespaces/${NS}/pods/app?gracePeriodSeconds=0`);
    await eventually('token refused after its pod was deleted', async () => (await status()) === 401);
  });

  it('a legacy Secret-based token counts while its Secret holds it', async () => {
    const uid = await uidOf('builder');
    const token = await forge(signingKey, {
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': NS,
      'kubernetes.io/serviceaccount/secret.name': 'builder-token',
      'kubernetes.io/serviceaccount/service-account.name': 'builder',
      'kubernetes.io/serviceaccount/service-account.uid': uid,
      sub: `system:serviceaccount:${NS}:builder`,
    });
    const status = async () => (await kg.request('GET', `/api/v1/namespaces/${NS}/pods`, { token })).status;
    assert.equal(await status(), 401, 'no Secret holds it yet');
    const secret = {
      metadata: { name: 'builder-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } },
      type: 'kubernetes.io/service-account-token',
      data: { token: Buffer.from(token).toString('base64') },
    };
    assert.equal((await kg.request('POST', `/api/v1/namespaces/${NS}/secrets`, { body: secret })).status, 201);
    await eventually('legacy token accepted once its Secret holds it', async () => (await status()) === 200);
    await kg.request('PATCH', `/api/v1/namespaces/${NS}/secrets/builder-token`, {
      raw: JSON.stringify({ data: { token: Buffer.from('something else').toString('base64') } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    await eventually('legacy token refused once its Secret holds another', async () => (await status()) === 401);
  });

  it('TokenRequest refuses what kube refuses, with kube’s Status', async () => {
    const post = (name: string, body: unknown) => kg.request('POST', `${SA_PATH}/${name}/token`, { body });
    const short = await post('builder', { spec: { expirationSeconds: 10 } });
    assert.equal(short.status, 422);
    assert.equal(
      short.body.message,
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 10: may not specify a duration less than 10 minutes',
    );
    assert.deepEqual(short.body.details, {
      group: 'authentication.k8s.io',
      kind: 'TokenRequest',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 10: may not specify a duration less than 10 minutes',
          field: 'spec.expirationSeconds',
        },
      ],
    });
    const missing = await post('nobody', {});
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'serviceaccounts "nobody" not found');
    const kind = await post('builder', { spec: { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'c' } } });
    assert.equal(kind.status, 400);
    assert.equal(kind.body.message, 'cannot bind token to object of type /v1, Kind=ConfigMap');
    const name = await post('builder', { metadata: { name: 'other' } });
    assert.equal(name.status, 422);
    assert.equal(
      name.body.message,
      'TokenRequest.authentication.k8s.io "builder" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified',
    );
    const wrongKind = await post('builder', { kind: 'Pod', apiVersion: 'v1' });
    assert.equal(wrongKind.status, 400);
    assert.equal(
      wrongKind.body.message,
      'Pod in version "v1" cannot be handled as a TokenRequest: converting (v1.Pod) to (authentication.TokenRequest): unknown conversion',
    );
    const get = await kg.request('GET', `${SA_PATH}/builder/token`);
    assert.equal(get.status, 405);
  });

  it('TokenRequest answers with the request, defaults and the token, as kube lays it out', async () => {
    const res = await kg.request('POST', `${SA_PATH}/builder/token`, { body: { spec: { audiences: ['x'] } } });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    assert.equal(res.body.metadata.uid, await uidOf('builder'));
    assert.deepEqual(res.body.spec, { audiences: ['x'], expirationSeconds: 3600, boundObjectRef: null });
    assert.deepEqual(res.body.metadata.managedFields[0].fieldsV1, { 'f:spec': { 'f:audiences': {}, 'f:expirationSeconds': {} } });
    const exp = payloadOf(res.body.status.token).exp;
    assert.equal(Date.parse(res.body.status.expirationTimestamp) / 1000, exp);
  });

  it('discovery lists serviceaccounts/token as kube does', async () => {
    const res = await kg.request('GET', '/api/v1');
    const token = res.body.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token');
    assert.deepEqual(token, {
      name: 'serviceaccounts/token',
      singularName: '',
      namespaced: true,
      group: 'authentication.k8s.io',
      version: 'v1',
      kind: 'TokenRequest',
      verbs: ['create'],
    });
  });

  it('serves the issuer discovery documents to ServiceAccounts, and its keys verify issued tokens', async () => {
    const token = (await kg.kubectl(['create', 'token', 'builder'])).stdout.trim();
    const config = await kg.request('GET', '/.well-known/openid-configuration', { token });
    assert.equal(config.status, 200);
    assert.equal(config.headers['content-type'], 'application/json');
    assert.equal(config.headers['cache-control'], 'public, max-age=3600');
    assert.deepEqual(config.body, {
      issuer: ISSUER,
      jwks_uri: `${kg.url}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = await kg.request('GET', '/openid/v1/jwks', { token });
    assert.equal(jwks.status, 200);
    assert.equal(jwks.headers['content-type'], 'application/jwk-set+json');
    assert.deepEqual(Object.keys(jwks.body.keys[0]), ['use', 'kty', 'kid', 'alg', 'n', 'e']);
    const verified = await compactVerify(token, createLocalJWKSet(jwks.body));
    assert.equal(JSON.parse(new TextDecoder().decode(verified.payload)).sub, `system:serviceaccount:${NS}:builder`);
    // Anonymous users are not bound to system:service-account-issuer-discovery.
    assert.equal((await kg.request('GET', '/openid/v1/jwks', { token: null })).status, 403);
  });
});
