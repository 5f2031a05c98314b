// The ServiceAccount token authenticators on their own (k8s.io/kubernetes/pkg/serviceaccount's jwt_test.go and
// claims_test.go cases): the user a token maps to, with kube's groups and extras, and the checks that refuse it.
// Tokens are issued by kgate's own TokenSigner; the objects they name come from an in-memory getter.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { KubeObject } from '../../src/apimachinery/meta.js';
import type { AuthResult, Authenticator } from '../../src/authentication/index.js';
import { serviceAccountAuthenticators, type ServiceAccountTokenGetter } from '../../src/authentication/serviceaccount/authenticator.js';
import { serviceAccountClaims, TokenSigner } from '../../src/authentication/serviceaccount/claims.js';
import { parsePublicKeysPEM } from '../../src/authentication/serviceaccount/keys.js';

const ISSUER = 'https://issuer.example';
const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const keys = parsePublicKeysPEM(ec.publicKey.export({ type: 'spki', format: 'pem' }).toString());
const signer = new TokenSigner(ISSUER, ec.privateKey);

const objects = new Map<string, KubeObject>();
const put = (key: string, name: string, uid: string, extra: object = {}) =>
  objects.set(key, { metadata: { name, namespace: 'ns', uid }, ...extra });
const getter: ServiceAccountTokenGetter = {
  getServiceAccount: async (ns, name) => objects.get(`sa/${ns}/${name}`),
  getPod: async (ns, name) => objects.get(`pod/${ns}/${name}`),
  getSecret: async (ns, name) => objects.get(`secret/${ns}/${name}`),
  getNode: async (name) => objects.get(`node/${name}`),
};

async function authenticate(chain: Authenticator[], token: string): Promise<AuthResult> {
  for (const a of chain) {
    const r = await a.authenticate({ authorization: `Bearer ${token}` });
    if (r.kind !== 'none') return r;
  }
  return { kind: 'none' };
}

describe('ServiceAccount token authenticator', () => {
  const chain = serviceAccountAuthenticators({ issuers: [ISSUER], keys, apiAudiences: ['api'], lookup: true, getter });
  const now = () => Math.floor(Date.now() / 1000);
  beforeEach(() => {
    objects.clear();
    put('sa/ns/builder', 'builder', 'sa-uid');
    put('pod/ns/app', 'app', 'pod-uid', { spec: { serviceAccountName: 'builder', nodeName: 'n1' } });
    objects.set('node/n1', { metadata: { name: 'n1', uid: 'node-uid' } });
  });

  it('maps a pod-bound ES384 token to the ServiceAccount with kube’s groups and extras', async () => {
    const claims = serviceAccountClaims({
      serviceAccount: objects.get('sa/ns/builder')!,
      pod: objects.get('pod/ns/app'),
      node: objects.get('node/n1'),
      expirationSeconds: 600,
      warnAfterSeconds: 0,
      audiences: ['api'],
      now: now(),
    });
    const token = await signer.sign(claims);
    assert.equal(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).alg, 'ES384');
    const result = await authenticate(chain, token);
    assert.deepEqual(result, {
      kind: 'authenticated',
      audiences: ['api'],
      user: {
        name: 'system:serviceaccount:ns:builder',
        uid: 'sa-uid',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
        extra: {
          'authentication.kubernetes.io/pod-name': ['app'],
          'authentication.kubernetes.io/pod-uid': ['pod-uid'],
          'authentication.kubernetes.io/credential-id': [`JTI=${String(claims.jti)}`],
          'authentication.kubernetes.io/node-name': ['n1'],
          'authentication.kubernetes.io/node-uid': ['node-uid'],
        },
      },
    });
  });

  it('refuses a token whose pod, ServiceAccount uid or audience no longer fits, and leaves foreign issuers alone', async () => {
    const base = {
      serviceAccount: objects.get('sa/ns/builder')!,
      expirationSeconds: 600,
      warnAfterSeconds: 0,
      audiences: ['api'],
      now: now(),
    };
    const podBound = await signer.sign(serviceAccountClaims({ ...base, pod: objects.get('pod/ns/app') }));
    const plain = await signer.sign(serviceAccountClaims(base));
    const otherAudience = await signer.sign(serviceAccountClaims({ ...base, audiences: ['vault'] }));
    assert.equal((await authenticate(chain, plain)).kind, 'authenticated');
    assert.equal((await authenticate(chain, otherAudience)).kind, 'rejected');
    objects.delete('pod/ns/app');
    assert.equal((await authenticate(chain, podBound)).kind, 'rejected');
    put('sa/ns/builder', 'builder', 'another-uid');
    assert.equal((await authenticate(chain, plain)).kind, 'rejected');
    const foreign = await new TokenSigner('https://elsewhere', ec.privateKey).sign(serviceAccountClaims(base));
    assert.equal((await authenticate(chain, foreign)).kind, 'none');
  });

  it('accepts a token within the minute of leeway after exp, and refuses it after', async () => {
    const sign = (exp: number) =>
      signer.sign(
        serviceAccountClaims({
          serviceAccount: objects.get('sa/ns/builder')!,
          expirationSeconds: 600,
          warnAfterSeconds: 0,
          audiences: ['api'],
          now: exp - 600,
        }),
      );
    assert.equal((await authenticate(chain, await sign(now() - 30))).kind, 'authenticated');
    assert.equal((await authenticate(chain, await sign(now() - 90))).kind, 'rejected');
  });
});
