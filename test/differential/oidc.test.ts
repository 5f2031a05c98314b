// OIDC authentication beside the reference kube-apiserver's: both take the same --oidc-* flags and trust the same
// loopback issuer (HTTPS with its own CA, discovery, JWKS); the same ID tokens must name the same user in 403
// messages (the default username prefix: issuer URL + '#'), reach the same grants through the prefixed groups
// claim, and get the same 401 when expired, for another audience, from another issuer, badly signed or missing a
// required claim. Without the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import type { HttpResponse, Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { startIssuer, type OIDCIssuer } from '../support/oidc-issuer.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const CMS = '/api/v1/namespaces/default/configmaps';

function summary(res: HttpResponse) {
  if (res.status < 300) return { status: res.status };
  return { status: res.status, reason: res.body?.reason, message: res.body?.message, details: res.body?.details };
}

if (!referenceBinary()) {
  console.log(`OIDC differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: OIDC users as kube-apiserver authenticates them', function () {
    this.timeout(300_000);
    let issuer: OIDCIssuer;
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    const ask = async (request: Requester, token: string) => summary(await request('GET', CMS, { token }));

    before(async () => {
      issuer = await startIssuer();
      const flags = [
        `--oidc-issuer-url=${issuer.url}`,
        '--oidc-client-id=kgate',
        `--oidc-ca-file=${issuer.caFile}`,
        '--oidc-groups-claim=groups',
        '--oidc-groups-prefix=oidc:',
        '--oidc-required-claim=tenant=blue',
      ];
      [kube, kgate] = await Promise.all([
        startReference({ extraArgs: flags }),
        startKgate({ flags: [...flags, ...REFERENCE_ADMISSION_FLAGS] }),
      ]);
      // kube-apiserver discovers the issuer in the background after it is ready: wait until it knows the keys.
      const probe = await issuer.sign({ sub: 'probe', aud: 'kgate', tenant: 'blue' });
      const deadline = Date.now() + 60_000;
      while ((await kube.request('GET', CMS, { token: probe })).status === 401) {
        if (Date.now() > deadline) throw new Error(`the reference never accepted an OIDC token: ${await kube.logTail()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      // The same grant on both: the prefixed group may list configmaps in default. (A Role of its own: the
      // reference runs no controller manager to aggregate `view`.)
      const rbac = '/apis/rbac.authorization.k8s.io/v1/namespaces/default';
      for (const server of [kube, kgate]) {
        const role = await server.request('POST', `${rbac}/roles`, {
          body: {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'Role',
            metadata: { name: 'cm-reader' },
            rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }],
          },
        });
        assert.equal(role.status, 201, role.text);
        const binding = await server.request('POST', `${rbac}/rolebindings`, {
          body: {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'oidc-devs' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
            subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:devs' }],
          },
        });
        assert.equal(binding.status, 201, binding.text);
      }
      // The reference's RBAC sees the binding through an informer: wait until the grant counts there too.
      const member = await issuer.sign({ sub: 'probe', aud: 'kgate', tenant: 'blue', groups: ['devs'] });
      while ((await kube.request('GET', CMS, { token: member })).status !== 200) {
        if (Date.now() > deadline) throw new Error('the reference never applied the RoleBinding');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
      await issuer?.close();
    });

    const base = { sub: 'alice', aud: 'kgate', tenant: 'blue' };
    const cases: [string, () => Promise<string>][] = [
      ['a valid token names the issuer-prefixed sub', () => issuer.sign(base)],
      ['a token for several audiences, kgate among them', () => issuer.sign({ ...base, aud: ['x', 'kgate'] })],
      ['the prefixed groups claim reaches the group’s grant', () => issuer.sign({ ...base, groups: ['devs'] })],
      ['a string groups claim is one group', () => issuer.sign({ ...base, groups: 'devs' })],
      ['an unprefixed group name is not the bound one', () => issuer.sign({ ...base, groups: ['oidc:devs'] })],
      ['an expired token', () => issuer.sign(base, { expiresIn: -60 })],
      ['a token for another audience', () => issuer.sign({ ...base, aud: 'other' })],
      ['a token from another issuer', () => issuer.sign({ ...base, iss: 'https://evil.example.com' })],
      ['a token without the required claim', () => issuer.sign({ sub: 'alice', aud: 'kgate' })],
      ['a token whose required claim differs', () => issuer.sign({ ...base, tenant: 'red' })],
      [
        'a token signed by a key the issuer never published',
        async () => issuer.sign(base, { key: await issuer.newKey('RS256', false), kid: issuer.published[0].kid }),
      ],
      ['a username claim that is not a string', () => issuer.sign({ ...base, sub: 42 as unknown as string })],
    ];
    for (const [title, make] of cases) {
      it(title, async () => {
        const token = await make();
        const want = await ask(kube!.request, token);
        const got = await ask(kgate!.request, token);
        assert.deepEqual(got, want);
      });
    }
  });

  describe('differential: the email username claim and an unprefixed groups claim as kube-apiserver reads them', function () {
    this.timeout(300_000);
    let issuer: OIDCIssuer;
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    const ask = async (request: Requester, token: string) => summary(await request('GET', CMS, { token }));

    before(async () => {
      issuer = await startIssuer('');
      const flags = [
        `--oidc-issuer-url=${issuer.url}`,
        '--oidc-client-id=kgate',
        `--oidc-ca-file=${issuer.caFile}`,
        '--oidc-username-claim=email',
        '--oidc-groups-claim=roles',
      ];
      [kube, kgate] = await Promise.all([
        startReference({ extraArgs: flags }),
        startKgate({ flags: [...flags, ...REFERENCE_ADMISSION_FLAGS] }),
      ]);
      const probe = await issuer.sign({ email: 'probe@example.com', aud: 'kgate' });
      const deadline = Date.now() + 60_000;
      while ((await kube.request('GET', CMS, { token: probe })).status === 401) {
        if (Date.now() > deadline) throw new Error(`the reference never accepted an OIDC token: ${await kube.logTail()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
      await issuer?.close();
    });

    const base = { sub: 's-1', aud: 'kgate', email: 'alice@example.com' };
    const cases: [string, () => Promise<string>][] = [
      ['an email username is not prefixed', () => issuer.sign(base)],
      ['email_verified true', () => issuer.sign({ ...base, email_verified: true })],
      ['email_verified false is refused', () => issuer.sign({ ...base, email_verified: false })],
      ['email_verified as a string is refused', () => issuer.sign({ ...base, email_verified: 'true' })],
      ['no email claim is refused', () => issuer.sign({ sub: 's-1', aud: 'kgate' })],
      ['an unprefixed groups claim', () => issuer.sign({ ...base, roles: ['admins'] })],
      ['a groups claim of the wrong type is refused', () => issuer.sign({ ...base, roles: [1, 2] })],
      ['a null groups claim is no groups', () => issuer.sign({ ...base, roles: null })],
      ['a token that is not yet valid (nbf in 5 minutes)', () => issuer.sign({ ...base, nbf: Math.floor(Date.now() / 1000) + 300 })],
      ['a token valid within the nbf leeway (nbf in 20s)', () => issuer.sign({ ...base, nbf: Math.floor(Date.now() / 1000) + 20 })],
    ];
    for (const [title, make] of cases) {
      it(title, async () => {
        const token = await make();
        const want = await ask(kube!.request, token);
        const got = await ask(kgate!.request, token);
        assert.deepEqual(got, want);
      });
    }
  });
}
