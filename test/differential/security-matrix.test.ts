// The security matrix (test/support/security-matrix.ts) against the reference kube-apiserver: the same grants, made
// with the same kubectl, and the same HTTP request for every cell sent to kube-apiserver and to kgate. kube's status
// must be the table's (so the table is kube's answer, not only kgate's), and kgate's answer must be kube's: the same
// status, and for a refusal the same Status body. Anonymous requests count too (--anonymous-auth is on for both), and
// so do the OIDC and webhook users: both servers trust one loopback issuer and one TokenReview webhook, given the same
// --oidc-* and --authentication-token-webhook-* flags.
// Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { isDeepStrictEqual, promisify } from 'node:util';
import { issueClientCertificate } from '../../src/server/certs.js';
import { KUBECTL } from '../support/clients.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';
import {
  expectedStatus,
  FIXTURES,
  GRANTS,
  MATRIX,
  NS,
  parseMatrix,
  request,
  send,
  startIdentityProviders,
  TARGETS,
  type Column,
  type Credentials,
  type HttpAnswer,
  type IdentityProviders,
} from '../support/security-matrix.js';

const run = promisify(execFile);
const tokens = [{ token: 'tara-token', user: 'tara', uid: 'tara-uid', groups: ['matrix-devs'] }];

/** Makes the namespace, the ServiceAccount, the grants and the fixtures; answers each column's credentials. */
async function setUp(server: Kgate | ReferenceServer, providers: IdentityProviders): Promise<Partial<Record<Column, Credentials>>> {
  const kubectl = (args: string[]) => run(KUBECTL, args, { env: { ...process.env, KUBECONFIG: server.kubeconfig } });
  await kubectl(['create', 'namespace', NS]);
  await kubectl(['create', 'serviceaccount', 'robot', '-n', NS]);
  for (const grant of GRANTS) await kubectl(grant);
  for (const [collection, body] of FIXTURES) {
    const res = await server.request('POST', collection, { body });
    assert.equal(res.status, 201, res.text);
  }
  const issued = await server.request('POST', `/api/v1/namespaces/${NS}/serviceaccounts/robot/token`, { body: {} });
  assert.equal(issued.status, 201, issued.text);
  const carl = await issueClientCertificate(server.pkiDir, { user: 'carl', groups: ['matrix-ops'] });
  return {
    token: { token: 'tara-token' },
    cert: carl,
    sa: { token: issued.body.status.token as string },
    anonymous: {},
    oidc: { token: providers.oidcToken },
    webhook: { token: providers.webhookToken },
  };
}

const CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

/** kube's credential ID for a client certificate (its DER's SHA-256) or a JWT carrying a jti. */
function credentialID(who: Credentials): string | undefined {
  if (who.cert) return `X509SHA256=${new X509Certificate(who.cert).fingerprint256.replace(/:/g, '').toLowerCase()}`;
  const payload = who.token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const jti = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).jti;
    return typeof jti === 'string' ? `JTI=${jti}` : undefined;
  } catch {
    return undefined;
  }
}

/** A refusal is compared whole; a success by its status only (the objects differ by nature). */
const compared = (answer: HttpAnswer) => (answer.status < 300 ? { status: answer.status } : { status: answer.status, text: answer.text });

if (!referenceBinary()) {
  console.log(`security matrix differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: the security matrix on kube-apiserver and kgate', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    let providers: IdentityProviders | undefined;
    const credentials: { kgate?: Partial<Record<Column, Credentials>>; kube?: Partial<Record<Column, Credentials>> } = {};
    const rows = parseMatrix(MATRIX);

    before(async () => {
      const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      // One OIDC issuer and one TokenReview webhook, trusted by both servers through the same flags.
      providers = await startIdentityProviders();
      [kube, kgate] = await Promise.all([
        startReference({ tokens, clientCA: true, serviceAccountKey: signingKey, extraArgs: providers.flags }),
        startKgate({ tokens, clientCA: true, serviceAccounts: { signingKey }, flags: [...providers.flags, ...REFERENCE_ADMISSION_FLAGS] }),
      ]);
      // kube-apiserver discovers the OIDC issuer in the background after it is ready: wait until it knows the keys.
      const deadline = Date.now() + 60_000;
      while ((await kube.request('GET', '/api', { token: providers.oidcToken })).status === 401) {
        if (Date.now() > deadline) throw new Error(`the reference never accepted the OIDC token: ${await kube.logTail()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      credentials.kube = await setUp(kube, providers);
      credentials.kgate = await setUp(kgate, providers);
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
      await providers?.close();
    });

    it('kubectl auth whoami’s SelfSubjectReview names each user as kube-apiserver does', async () => {
      const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
      for (const column of Object.keys(credentials.kube!) as Column[]) {
        const ask = async (server: Kgate | ReferenceServer, who: Credentials) => {
          const res = await send(server, who, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { body: review });
          if (res.status !== 201) return compared(res);
          // Each server issued its own certificate and ServiceAccount token (and made its own ServiceAccount): the
          // credential ID must be that of what was presented, and a ServiceAccount's uid is the server's own.
          const info = { ...res.body.status.userInfo };
          const id = info.extra?.[CREDENTIAL_ID];
          if (id && isDeepStrictEqual(id, [credentialID(who)])) info.extra = { ...info.extra, [CREDENTIAL_ID]: ['(the credential’s)'] };
          if (column === 'sa' && info.uid) info.uid = '(the ServiceAccount’s)';
          return { status: res.status, userInfo: info };
        };
        const want = await ask(kube!, credentials.kube![column]!);
        const got = await ask(kgate!, credentials.kgate![column]!);
        assert.deepEqual(got, want, column);
      }
    });

    rows.forEach((row, index) => {
      it(`${row.verb} ${row.target}`, async () => {
        const target = TARGETS[row.target];
        for (const column of Object.keys(credentials.kube!) as Column[]) {
          const cell = `${column} ${row.verb} ${row.target}`;
          const allowed = row.expect[column] === 'Y';
          const want = await request(kube!, target, row.verb, credentials.kube![column]!, `${column}-${index}`);
          assert.equal(want.status, expectedStatus(row, target, allowed, 'kube'), `kube-apiserver, ${cell}: ${want.text}`);
          const got = await request(kgate!, target, row.verb, credentials.kgate![column]!, `${column}-${index}`);
          if ('path' in target && target.kgateAllowedStatus && allowed) {
            assert.equal(got.status, target.kgateAllowedStatus, `kgate, ${cell}: ${got.text}`);
          } else {
            assert.deepEqual(compared(got), compared(want), `kgate, ${cell}`);
          }
        }
      });
    });
  });
}
