// ServiceAccount tokens beside the reference kube-apiserver: TokenRequest's refusals (status, reason, message,
// details), the layout of an issued TokenRequest, the 401 for tokens kgate cannot trust, and the issuer discovery
// documents' shape. Both servers issue as https://kubernetes.default.svc.cluster.local with their own keys.
// Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { CompactSign } from 'jose';
import type { HttpResponse, Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const NS = '/api/v1/namespaces/default';
const TOKEN = `${NS}/serviceaccounts/builder/token`;

interface Step {
  title: string;
  method: string;
  path: string;
  body?: unknown;
  token?: string | null;
}

/** What both servers hold before the steps: a ServiceAccount, a pod running as another one, a Secret. */
const SETUP: Step[] = [
  { title: 'builder', method: 'POST', path: `${NS}/serviceaccounts`, body: { metadata: { name: 'builder' } } },
  {
    title: 'a pod of another ServiceAccount',
    method: 'POST',
    path: `${NS}/pods`,
    body: { metadata: { name: 'app' }, spec: { serviceAccountName: 'other', containers: [{ name: 'c', image: 'nginx' }] } },
  },
  { title: 'a secret', method: 'POST', path: `${NS}/secrets`, body: { metadata: { name: 's1' } } },
  {
    title: 'a pod of builder on a node that does not exist',
    method: 'POST',
    path: `${NS}/pods`,
    body: {
      metadata: { name: 'mine' },
      spec: { serviceAccountName: 'builder', nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] },
    },
  },
];

const ref = (kind: string, name: string, extra: object = {}) => ({ spec: { boundObjectRef: { kind, apiVersion: 'v1', name, ...extra } } });

const STEPS: Step[] = [
  { title: 'expirationSeconds below 10 minutes', method: 'POST', path: TOKEN, body: { spec: { expirationSeconds: 10 } } },
  { title: 'expirationSeconds above 2^32', method: 'POST', path: TOKEN, body: { spec: { expirationSeconds: 2 ** 32 + 1 } } },
  { title: 'a metadata.name other than the URL’s', method: 'POST', path: TOKEN, body: { metadata: { name: 'other' } } },
  { title: 'a metadata.namespace other than the URL’s', method: 'POST', path: TOKEN, body: { metadata: { namespace: 'kube-system' } } },
  { title: 'a uid other than the ServiceAccount’s', method: 'POST', path: TOKEN, body: { metadata: { uid: 'not-the-uid' } } },
  { title: 'a missing ServiceAccount', method: 'POST', path: `${NS}/serviceaccounts/nobody/token`, body: {} },
  { title: 'a bound ConfigMap', method: 'POST', path: TOKEN, body: ref('ConfigMap', 'c') },
  {
    title: 'a bound apps/v1 Deployment',
    method: 'POST',
    path: TOKEN,
    body: { spec: { boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' } } },
  },
  { title: 'a bound pod that does not exist', method: 'POST', path: TOKEN, body: ref('Pod', 'nope') },
  { title: 'a bound pod running as another ServiceAccount', method: 'POST', path: TOKEN, body: ref('Pod', 'app') },
  { title: 'a bound secret with another uid', method: 'POST', path: TOKEN, body: ref('Secret', 's1', { uid: 'old' }) },
  { title: 'a bound node that does not exist', method: 'POST', path: TOKEN, body: ref('Node', 'n9') },
  { title: 'a body of another kind', method: 'POST', path: TOKEN, body: { kind: 'Pod', apiVersion: 'v1' } },
  { title: 'a kind no scheme knows', method: 'POST', path: TOKEN, body: { kind: 'Nope', apiVersion: 'authentication.k8s.io/v1' } },
  {
    title: 'an unknown field under Strict validation',
    method: 'POST',
    path: `${TOKEN}?fieldValidation=Strict`,
    body: { spec: { audiences: ['a'], colour: 'blue' } },
  },
  { title: 'a wrongly typed field', method: 'POST', path: TOKEN, body: { spec: { expirationSeconds: 'long' } } },
  { title: 'GET is not routed', method: 'GET', path: TOKEN },
  { title: 'dryRun=All still issues', method: 'POST', path: `${TOKEN}?dryRun=All`, body: {} },
  { title: 'an unknown dryRun value', method: 'POST', path: `${TOKEN}?dryRun=Maybe`, body: {} },
  { title: 'a token that is not a JWT', method: 'GET', path: `${NS}/pods`, token: 'not-a-jwt' },
  { title: 'anonymous may not read the issuer keys', method: 'GET', path: '/openid/v1/jwks', token: null },
];

/** Generated uids differ between the servers by nature; everything around them must not. */
const withoutUIDs = (text: unknown) =>
  typeof text === 'string' ? text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>') : text;

function summary(res: HttpResponse) {
  if (res.status < 300) return { status: res.status };
  return { status: res.status, reason: res.body?.reason, message: withoutUIDs(res.body?.message), details: res.body?.details };
}

async function run(request: Requester, step: Step) {
  return summary(await request(step.method, step.path, { body: step.body, ...(step.token !== undefined && { token: step.token }) }));
}

/** An issued TokenRequest with the values that differ by nature (uids, times, the token) replaced by their shape. */
function shapeOf(res: HttpResponse) {
  const body = structuredClone(res.body);
  body.metadata.uid = typeof body.metadata.uid;
  body.metadata.creationTimestamp = typeof body.metadata.creationTimestamp;
  for (const entry of body.metadata.managedFields) entry.time = typeof entry.time;
  body.status.token = typeof body.status.token;
  body.status.expirationTimestamp = typeof body.status.expirationTimestamp;
  // As text, so that the order of fields (Go's struct order) counts too.
  return { status: res.status, contentType: res.headers['content-type'], text: JSON.stringify(body, null, 1) };
}

if (!referenceBinary()) {
  console.log(`ServiceAccount token differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: ServiceAccount tokens as kube-apiserver issues and checks them', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      [kube, kgate] = await Promise.all([
        startReference(),
        startKgate({ serviceAccounts: { signingKey }, flags: REFERENCE_ADMISSION_FLAGS }),
      ]);
      for (const step of SETUP) {
        for (const server of [kube.request, kgate.request]) {
          const res: HttpResponse = await server(step.method, step.path, { body: step.body });
          assert.equal(res.status, 201, `${step.title}: ${res.text}`);
        }
      }
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

    it('an issued TokenRequest has kube’s layout', async () => {
      const body = { spec: { audiences: ['a', 'b'], expirationSeconds: 1200 } };
      const want = shapeOf(await kube!.request('POST', `${TOKEN}?fieldManager=diff`, { body }));
      const got = shapeOf(await kgate!.request('POST', `${TOKEN}?fieldManager=diff`, { body }));
      assert.deepEqual(got, want);
    });

    it('a pod-bound token with the projected lifetime (3607s) is extended to a year, warning after the hour', async () => {
      const body = { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'mine' } } };
      const claimsOf = async (request: Requester) => {
        const res = await request('POST', TOKEN, { body });
        const [header, payload] = (res.body.status.token as string)
          .split('.')
          .slice(0, 2)
          .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
        const k8s = payload['kubernetes.io'];
        return {
          headerKeys: Object.keys(header),
          alg: header.alg,
          payloadKeys: Object.keys(payload),
          k8sKeys: Object.keys(k8s),
          aud: payload.aud,
          lifetime: payload.exp - payload.iat,
          warnAfter: k8s.warnafter - payload.iat,
          pod: k8s.pod.name,
          node: k8s.node,
          statusLifetime: (Date.parse(res.body.status.expirationTimestamp) - Date.parse(res.body.metadata.creationTimestamp)) / 1000,
        };
      };
      assert.deepEqual(await claimsOf(kgate!.request), await claimsOf(kube!.request));
    });

    it('discovery lists serviceaccounts/token as kube does, legacy and aggregated', async () => {
      const entries = async (request: Requester) => {
        const legacy = await request('GET', '/api/v1');
        const aggregated = await request('GET', '/api', {
          headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' },
        });
        const v1 = aggregated.body.items[0].versions.find((v: { version: string }) => v.version === 'v1');
        return {
          legacy: JSON.stringify(legacy.body.resources.find((r: { name: string }) => r.name === 'serviceaccounts/token')),
          // Only the subresource: kube's core responseKind has an empty version on every core resource, which kgate fills
          // (a discovery difference outside ServiceAccount tokens).
          aggregated: JSON.stringify(v1.resources.find((r: { resource: string }) => r.resource === 'serviceaccounts').subresources),
        };
      };
      assert.deepEqual(await entries(kgate!.request), await entries(kube!.request));
    });

    it('a token signed by a key the server does not hold is kube’s 401', async () => {
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const now = Math.floor(Date.now() / 1000);
      const claims = { aud: [ISSUER], exp: now + 600, iat: now, iss: ISSUER, nbf: now, sub: 'system:serviceaccount:default:builder' };
      const token = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'RS256' })
        .sign(stranger);
      const step = { title: 'stranger', method: 'GET', path: `${NS}/pods`, token };
      assert.deepEqual(await run(kgate!.request, step), await run(kube!.request, step));
    });

    it('the issuer discovery documents have kube’s fields, types and headers', async () => {
      const shape = async (server: Kgate | ReferenceServer) => {
        // A ServiceAccount's own token reads them (system:service-account-issuer-discovery binds system:serviceaccounts).
        const issued = await server.request('POST', TOKEN, { body: {} });
        const token = issued.body.status.token as string;
        const config = await server.request('GET', '/.well-known/openid-configuration', { token });
        const jwks = await server.request('GET', '/openid/v1/jwks', { token });
        return {
          config: {
            status: config.status,
            contentType: config.headers['content-type'],
            cacheControl: config.headers['cache-control'],
            keys: Object.keys(config.body),
            // The host is each server's own advertised address; the rest must match.
            body: { ...config.body, jwks_uri: new URL(config.body.jwks_uri).pathname },
          },
          jwks: {
            status: jwks.status,
            contentType: jwks.headers['content-type'],
            cacheControl: jwks.headers['cache-control'],
            keyFields: jwks.body.keys.map((k: object) => Object.keys(k)),
            uses: jwks.body.keys.map((k: { use: string; alg: string }) => [k.use, k.alg]),
          },
        };
      };
      assert.deepEqual(await shape(kgate!), await shape(kube!));
    });
  });
}
