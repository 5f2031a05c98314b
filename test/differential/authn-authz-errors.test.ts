// Authentication and authorization refusals beside the reference kube-apiserver: the same credentials (bad,
// missing, malformed, expired or wrong-audience tokens, certificates from another CA or out of date, no credentials
// with anonymous auth off) and the same denied requests (in a namespace, at cluster scope, by name, on a
// subresource, on a non-resource URL, impersonating a user, group, uid, ServiceAccount or extra) sent to both, over
// HTTP/1.1 and over HTTP/2. The status code, the content type and the whole body must be identical: kube's Status
// for a 401 or 403 carries nothing that differs legitimately between two servers (the Audit-Id header does, and is
// not compared). Follows k8s.io/apiserver/pkg/endpoints/filters (authentication.go, authorization.go,
// impersonation.go) and pkg/endpoints/handlers/responsewriters/errors.go, whose answers the reference gives.
// Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http2 from 'node:http2';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { certificateFiles, ensureCertificates, issueClientCertificate } from '../../src/server/certs.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const NS = '/api/v1/namespaces/default';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const tokens = [{ token: 'alice-token', user: 'alice', uid: 'alice', groups: ['devs'] }];

/** Who sends a request: a bearer token, a client certificate, a raw Authorization header, or nothing. */
type Credential =
  | { kind: 'admin' }
  | { kind: 'token'; token: string }
  | { kind: 'header'; value: string }
  | { kind: 'none' }
  /** A token each server issues or signs for itself (ServiceAccount uids differ between the two). */
  | { kind: 'minted'; mint: keyof Minted }
  | { kind: 'cert'; cert: keyof Certs }
  | { kind: 'certAndToken'; cert: keyof Certs; token: string };

interface Case {
  title: string;
  method: string;
  path: string;
  as: Credential;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Minted {
  /** A ServiceAccount token for builder, valid but for another audience. */
  wrongAudience: string;
  /** Signed with the ServiceAccount key, right issuer, audience and uid, expired an hour ago. */
  expired: string;
  /** A valid ServiceAccount token for builder (the control: it authenticates, then RBAC refuses). */
  valid: string;
}

interface Certs {
  /** CN=carl, O=ops, signed by the server's client CA. */
  carl: { cert: string; key: string };
  /** CN=mallory, O=system:masters, signed by a CA the server does not trust. */
  stranger: { cert: string; key: string };
  /** CN=carl from the server's CA, but its validity ended before now. */
  expired: { cert: string; key: string };
  /** The server's own serving certificate: the client CA signed it, but for serverAuth only. */
  serving: { cert: string; key: string };
}

const token = (t: string): Credential => ({ kind: 'token', token: t });
const ALICE = token('alice-token');
const role = (name: string, rules: object[]) => ({ metadata: { name }, rules });
const binding = (name: string, kind: 'Role' | 'ClusterRole', roleName: string, subject: object) => ({
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName },
  subjects: [subject],
});
const user = (name: string) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });

/** What the admin creates on both servers before the cases. */
const SETUP: { path: string; body: object }[] = [
  { path: `${NS}/serviceaccounts`, body: { metadata: { name: 'builder' } } },
  // alice may read one ConfigMap by name, and impersonate bob (only bob, and no group, uid or extra).
  {
    path: `${RBAC}/namespaces/default/roles`,
    body: role('one-cm', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['mine'] }]),
  },
  { path: `${RBAC}/namespaces/default/rolebindings`, body: binding('alice-one-cm', 'Role', 'one-cm', user('alice')) },
  // ... and read the namespace default itself (a Role in a namespace may grant its own namespace object).
  { path: `${RBAC}/namespaces/default/roles`, body: role('ns-self', [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'] }]) },
  { path: `${RBAC}/namespaces/default/rolebindings`, body: binding('alice-ns-self', 'Role', 'ns-self', user('alice')) },
  {
    path: `${RBAC}/clusterroles`,
    body: role('impersonate-bob', [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['bob'] }]),
  },
  { path: `${RBAC}/clusterrolebindings`, body: binding('alice-as-bob', 'ClusterRole', 'impersonate-bob', user('alice')) },
];

const PODS = `${NS}/pods`;
const CASES: Case[] = [
  // 401: credentials that do not authenticate, with no hint of which check failed.
  { title: 'an unknown bearer token', method: 'GET', path: PODS, as: token('no-such-token') },
  { title: 'an unknown bearer token on /healthz', method: 'GET', path: '/healthz', as: token('no-such-token') },
  { title: 'no credentials with anonymous auth off', method: 'GET', path: PODS, as: { kind: 'none' } },
  { title: 'no credentials on /version with anonymous auth off', method: 'GET', path: '/version', as: { kind: 'none' } },
  { title: 'a Bearer header without a token', method: 'GET', path: PODS, as: { kind: 'header', value: 'Bearer ' } },
  { title: 'a Basic Authorization header', method: 'GET', path: PODS, as: { kind: 'header', value: 'Basic YWxpY2U6c2VjcmV0' } },
  // kube splits the header on its first two spaces: a second word is ignored, a double space leaves no token.
  {
    title: 'a Bearer header with a word after the token',
    method: 'GET',
    path: PODS,
    as: { kind: 'header', value: 'Bearer alice-token extra' },
  },
  {
    title: 'a Bearer header with two spaces before the token',
    method: 'GET',
    path: PODS,
    as: { kind: 'header', value: 'Bearer  alice-token' },
  },
  { title: 'a lower-case bearer scheme', method: 'GET', path: PODS, as: { kind: 'header', value: 'bearer alice-token' } },
  { title: 'a token shaped like a JWT that is not one', method: 'GET', path: PODS, as: token('aaa.bbb.ccc') },
  { title: 'a JWT signed by no one (alg none)', method: 'GET', path: PODS, as: token(unsignedJWT()) },
  { title: 'an expired ServiceAccount token', method: 'GET', path: PODS, as: { kind: 'minted', mint: 'expired' } },
  { title: 'a ServiceAccount token for another audience', method: 'GET', path: PODS, as: { kind: 'minted', mint: 'wrongAudience' } },
  { title: 'a certificate from another CA', method: 'GET', path: PODS, as: { kind: 'cert', cert: 'stranger' } },
  { title: 'an expired certificate from the client CA', method: 'GET', path: PODS, as: { kind: 'cert', cert: 'expired' } },
  {
    title: 'a certificate from the client CA without the clientAuth usage',
    method: 'GET',
    path: PODS,
    as: { kind: 'cert', cert: 'serving' },
  },
  {
    title: 'a certificate from another CA beside a good token (the token answers, then RBAC)',
    method: 'GET',
    path: '/api/v1/nodes',
    as: { kind: 'certAndToken', cert: 'stranger', token: 'alice-token' },
  },
  // 403: authenticated, not authorized.
  {
    title: 'a valid ServiceAccount token lists pods it holds no grant for',
    method: 'GET',
    path: PODS,
    as: { kind: 'minted', mint: 'valid' },
  },
  { title: 'denied list in a namespace', method: 'GET', path: `${NS}/secrets`, as: ALICE },
  { title: 'denied watch in a namespace', method: 'GET', path: `${NS}/configmaps?watch=true`, as: ALICE },
  {
    title: 'denied create in a namespace',
    method: 'POST',
    path: `${NS}/configmaps`,
    as: ALICE,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
  },
  { title: 'denied deletecollection in a namespace', method: 'DELETE', path: `${NS}/configmaps`, as: ALICE },
  { title: 'denied get at cluster scope', method: 'GET', path: '/api/v1/nodes/n1', as: ALICE },
  { title: 'denied list at cluster scope', method: 'GET', path: '/api/v1/namespaces', as: ALICE },
  { title: 'denied list across all namespaces', method: 'GET', path: '/api/v1/configmaps', as: ALICE },
  {
    title: 'denied delete at cluster scope by a certificate user',
    method: 'DELETE',
    path: '/api/v1/namespaces/kube-public',
    as: { kind: 'cert', cert: 'carl' },
  },
  { title: 'denied get of another resourceName than the granted one', method: 'GET', path: `${NS}/configmaps/theirs`, as: ALICE },
  {
    title: 'denied update of the granted resourceName (get only)',
    method: 'PUT',
    path: `${NS}/configmaps/mine`,
    as: ALICE,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine' } },
  },
  { title: 'denied get of a subresource (pods/status)', method: 'GET', path: `${PODS}/p1/status`, as: ALICE },
  {
    title: 'denied update of a subresource (deployments/scale)',
    method: 'PUT',
    path: '/apis/apps/v1/namespaces/default/deployments/web/scale',
    as: ALICE,
    body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 2 } },
  },
  { title: 'denied pods/log', method: 'GET', path: `${PODS}/p1/log`, as: ALICE },
  { title: 'denied non-resource URL /metrics', method: 'GET', path: '/metrics', as: ALICE },
  { title: 'denied non-resource URL /logs/ by a certificate user', method: 'GET', path: '/logs/', as: { kind: 'cert', cert: 'carl' } },
  { title: 'denied POST to a non-resource URL', method: 'POST', path: '/healthz', as: ALICE },
  { title: 'an unknown path is still authorized first', method: 'GET', path: '/no/such/path', as: ALICE },
  // 403: impersonation, each kind of part refused in turn (alice may impersonate the user bob and nothing else).
  { title: 'impersonating a user', method: 'GET', path: PODS, as: ALICE, headers: { 'Impersonate-User': 'carol' } },
  {
    title: 'impersonating a group',
    method: 'GET',
    path: PODS,
    as: ALICE,
    headers: { 'Impersonate-User': 'bob', 'Impersonate-Group': 'system:masters' },
  },
  { title: 'impersonating a uid', method: 'GET', path: PODS, as: ALICE, headers: { 'Impersonate-User': 'bob', 'Impersonate-Uid': 'u-1' } },
  {
    title: 'impersonating a ServiceAccount',
    method: 'GET',
    path: PODS,
    as: ALICE,
    headers: { 'Impersonate-User': 'system:serviceaccount:default:builder' },
  },
  {
    title: 'impersonating an extra',
    method: 'GET',
    path: PODS,
    as: ALICE,
    headers: { 'Impersonate-User': 'bob', 'Impersonate-Extra-Scopes': 'view' },
  },
  {
    title: 'impersonating an extra with an escaped key',
    method: 'GET',
    path: PODS,
    as: ALICE,
    headers: { 'Impersonate-User': 'bob', 'Impersonate-Extra-Example.com%2fteam': 'a' },
  },
  {
    title: 'impersonating as a certificate user',
    method: 'GET',
    path: PODS,
    as: { kind: 'cert', cert: 'carl' },
    headers: { 'Impersonate-User': 'bob' },
  },
  {
    title: 'the allowed impersonation of bob, then bob is refused',
    method: 'GET',
    path: PODS,
    as: ALICE,
    headers: { 'Impersonate-User': 'bob' },
  },
  {
    title: 'impersonation headers without credentials are 401 first',
    method: 'GET',
    path: PODS,
    as: { kind: 'none' },
    headers: { 'Impersonate-User': 'bob' },
  },
];

/** With --anonymous-auth=true (both servers' default): who is anonymous, and what a Role on a namespace grants. */
const ANONYMOUS_CASES: Case[] = [
  { title: 'no credentials: a resource request is system:anonymous’s', method: 'GET', path: PODS, as: { kind: 'none' } },
  { title: 'no credentials: discovery is not for anonymous', method: 'GET', path: '/api', as: { kind: 'none' } },
  { title: 'no credentials: /version is readable', method: 'GET', path: '/version', as: { kind: 'none' } },
  { title: 'no credentials: POST /version is not', method: 'POST', path: '/version', as: { kind: 'none' } },
  { title: 'a Bearer header without a token is anonymous', method: 'GET', path: PODS, as: { kind: 'header', value: 'Bearer ' } },
  {
    title: 'a Basic Authorization header is anonymous',
    method: 'GET',
    path: '/api',
    as: { kind: 'header', value: 'Basic YWxpY2U6c2VjcmV0' },
  },
  { title: 'anonymous may not impersonate', method: 'GET', path: PODS, as: { kind: 'none' }, headers: { 'Impersonate-User': 'bob' } },
  { title: 'an unknown token is still 401', method: 'GET', path: PODS, as: token('no-such-token') },
  { title: 'an expired ServiceAccount token is still 401', method: 'GET', path: PODS, as: { kind: 'minted', mint: 'expired' } },
  { title: 'a certificate from another CA is still 401', method: 'GET', path: PODS, as: { kind: 'cert', cert: 'stranger' } },
  { title: 'a Role in a namespace grants reading that namespace', method: 'GET', path: '/api/v1/namespaces/default', as: ALICE },
  { title: 'and not another namespace', method: 'GET', path: '/api/v1/namespaces/kube-system', as: ALICE },
  { title: 'nor its status subresource', method: 'GET', path: '/api/v1/namespaces/default/status', as: ALICE },
  { title: 'nor listing namespaces', method: 'GET', path: '/api/v1/namespaces', as: ALICE },
];

/** An unsigned JWT (alg none) naming a ServiceAccount: no authenticator may accept it. */
function unsignedJWT(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none' })}.${part({ iss: ISSUER, sub: 'system:serviceaccount:default:builder', aud: [ISSUER], exp: now + 600 })}.`;
}

type Protocol = 'HTTP/1.1' | 'HTTP/2';

interface Reply {
  status: number;
  contentType: string | undefined;
  text: string;
}

interface Target {
  url: string;
  ca: string;
  adminToken: string;
  minted: Minted;
  certs: Certs;
}

/** The request's Authorization header and TLS client certificate for a credential. */
function credentialsOf(target: Target, as: Credential): { authorization?: string; cert?: { cert: string; key: string } } {
  switch (as.kind) {
    case 'admin':
      return { authorization: `Bearer ${target.adminToken}` };
    case 'token':
      return { authorization: `Bearer ${as.token}` };
    case 'header':
      return { authorization: as.value };
    case 'none':
      return {};
    case 'minted':
      return { authorization: `Bearer ${target.minted[as.mint]}` };
    case 'cert':
      return { cert: target.certs[as.cert] };
    case 'certAndToken':
      return { cert: target.certs[as.cert], authorization: `Bearer ${as.token}` };
  }
}

/** One request on a fresh connection (an unauthenticated HTTP/2 connection is closed by the server after its answer). */
function send(target: Target, protocol: Protocol, c: Case): Promise<Reply> {
  const { authorization, cert } = credentialsOf(target, c.as);
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  if (authorization !== undefined) headers.authorization = authorization;
  const payload = c.body === undefined ? undefined : Buffer.from(JSON.stringify(c.body));
  if (payload) headers['content-type'] = 'application/json';
  const tls = { ca: target.ca, ...(cert && { cert: cert.cert, key: cert.key }) };
  return new Promise((resolve, reject) => {
    const collect = (status: number, contentType: string | undefined, body: NodeJS.ReadableStream, done: () => void) => {
      const chunks: Buffer[] = [];
      body.on('data', (chunk: Buffer) => chunks.push(chunk));
      body.on('end', () => {
        done();
        resolve({ status, contentType, text: Buffer.concat(chunks).toString('utf8') });
      });
      body.on('error', reject);
    };
    if (protocol === 'HTTP/2') {
      const session = http2.connect(target.url, tls);
      session.on('error', reject);
      const stream = session.request({ ':method': c.method, ':path': c.path, ...headers }, { endStream: !payload });
      stream.on('response', (h) => collect(Number(h[':status']), h['content-type'] as string | undefined, stream, () => session.close()));
      stream.on('error', reject);
      if (payload) stream.end(payload);
      return;
    }
    if (payload) headers['content-length'] = String(payload.length);
    const req = https.request(`${target.url}${c.path}`, { method: c.method, headers, agent: false, ...tls }, (res) =>
      collect(res.statusCode ?? 0, res.headers['content-type'], res, () => undefined),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A token with the ServiceAccount claims kube issues, signed with `key`, valid from `iat` for `lifetime` seconds. */
function signServiceAccountToken(key: KeyObject, uid: string, iat: number, lifetime: number, audience = ISSUER): Promise<string> {
  const claims = {
    aud: [audience],
    exp: iat + lifetime,
    iat,
    iss: ISSUER,
    jti: '6e1a5c2e-0000-4000-8000-000000000001',
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'builder', uid } },
    nbf: iat,
    sub: 'system:serviceaccount:default:builder',
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'RS256' }).sign(key);
}

/** The answer as compared: all of a refusal; only the status of a success (its object differs by nature). */
const compared = (reply: Reply) => (reply.status < 300 ? { status: reply.status } : reply);

function suite(anonymous: boolean, cases: Case[]) {
  describe(`differential: 401 and 403 answers as kube-apiserver gives them (--anonymous-auth=${anonymous})`, function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    let strangerDir: string | undefined;
    const targets: { kgate?: Target; kube?: Target } = {};
    const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

    before(async () => {
      [kube, kgate] = await Promise.all([
        startReference({ tokens, clientCA: true, serviceAccountKey: signingKey, extraArgs: [`--anonymous-auth=${anonymous}`] }),
        startKgate({ tokens, clientCA: true, anonymous, serviceAccounts: { signingKey }, flags: REFERENCE_ADMISSION_FLAGS }),
      ]);
      strangerDir = await mkdtemp(join(tmpdir(), 'kgate-stranger-ca-'));
      await ensureCertificates(strangerDir);
      const stranger = await issueClientCertificate(strangerDir, { user: 'mallory', groups: ['system:masters'] });
      const long = new Date(Date.now() - 3 * 365 * 24 * 3600 * 1000);
      for (const [name, server] of [
        ['kgate', kgate],
        ['kube', kube],
      ] as const) {
        for (const step of SETUP) {
          const res = await server.request('POST', step.path, { body: step.body });
          assert.equal(res.status, 201, `${name} setup ${step.path}: ${res.text}`);
        }
        const uid = (await server.request('GET', `${NS}/serviceaccounts/builder`)).body.metadata.uid as string;
        const issue = async (audiences: string[]) => {
          const res = await server.request('POST', `${NS}/serviceaccounts/builder/token`, { body: { spec: { audiences } } });
          assert.equal(res.status, 201, res.text);
          return res.body.status.token as string;
        };
        const now = Math.floor(Date.now() / 1000);
        targets[name] = {
          url: server.url,
          ca: server.ca,
          adminToken: server.token,
          minted: {
            wrongAudience: await issue(['https://elsewhere.example']),
            expired: await signServiceAccountToken(signingKey, uid, now - 7200, 3600),
            valid: await issue([ISSUER]),
          },
          certs: {
            carl: await issueClientCertificate(server.pkiDir, { user: 'carl', groups: ['ops'] }),
            stranger,
            expired: await issueClientCertificate(server.pkiDir, { user: 'carl', groups: ['ops'], now: long, days: 30 }),
            serving: {
              cert: await readFile(certificateFiles(server.pkiDir).servingCert, 'utf8'),
              key: await readFile(certificateFiles(server.pkiDir).servingKey, 'utf8'),
            },
          },
        };
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
      if (strangerDir) await rm(strangerDir, { recursive: true, force: true });
    });

    it('the control cases authenticate on both: the valid ServiceAccount token and the certificate user', async () => {
      for (const target of [targets.kube!, targets.kgate!]) {
        const sa = await send(target, 'HTTP/1.1', { title: '', method: 'GET', path: '/api', as: { kind: 'minted', mint: 'valid' } });
        assert.equal(sa.status, 200, sa.text);
        const carl = await send(target, 'HTTP/2', { title: '', method: 'GET', path: '/api', as: { kind: 'cert', cert: 'carl' } });
        assert.equal(carl.status, 200, carl.text);
      }
    });

    for (const c of cases) {
      for (const protocol of ['HTTP/1.1', 'HTTP/2'] as const) {
        it(`${c.title} (${protocol})`, async () => {
          const want = compared(await send(targets.kube!, protocol, c));
          // Every case without anonymous auth is a refusal; with it, a few show what anonymous and a Role may do.
          if (!anonymous) assert.ok(want.status === 401 || want.status === 403, `the reference answered ${want.status}`);
          const got = compared(await send(targets.kgate!, protocol, c));
          assert.deepEqual(got, want);
        });
      }
    }

    it('a TokenReview reads its token as an Authorization header: a word after it is ignored, a space before it leaves none', async () => {
      const review = async (server: Kgate | ReferenceServer, token: string) => {
        const res = await server.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
          body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
        });
        return { code: res.status, status: res.body.status };
      };
      for (const token of ['alice-token', 'alice-token extra', ' alice-token', 'alice-token ', 'Bearer alice-token']) {
        assert.deepEqual(await review(kgate!, token), await review(kube!, token), JSON.stringify(token));
      }
    });

    it('nothing a refused request sent was written', async () => {
      for (const server of [kube!, kgate!]) {
        assert.equal((await server.request('GET', `${NS}/configmaps/x`)).status, 404);
        assert.equal((await server.request('GET', '/api/v1/namespaces/kube-public')).body.status.phase, 'Active');
      }
    });
  });
}

if (!referenceBinary()) {
  console.log(`authentication/authorization error differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  suite(false, CASES);
  suite(true, ANONYMOUS_CASES);
}
