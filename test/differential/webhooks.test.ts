// The token-authentication and authorization webhooks beside the reference kube-apiserver's: both servers are
// given the same kind of kubeconfig for the same recording webhook (each on its own path), the same requests are
// sent to both, and the TokenReview and SubjectAccessReview bodies they post, the query and headers of those
// posts, and the answers clients get (200, the 403 with the webhook's reason, the 401) must match.
// Both run with the same --service-account-issuer, so both send it as the API audience in spec.audiences. Without
// the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensureCertificates } from '../../src/server/certs.js';
import type { HttpResponse } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS, HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

interface Post {
  query: string;
  contentType: string | undefined;
  accept: string | undefined;
  authorization: string | undefined;
  body: any;
}

function summary(res: HttpResponse) {
  if (res.status < 300) return { status: res.status };
  return { status: res.status, reason: res.body?.reason, message: res.body?.message, details: res.body?.details };
}

/** Answers TokenReviews for "wendy-token" and SubjectAccessReviews by namespace; records every post per path. */
function answer(body: any): unknown {
  if (body.kind === 'TokenReview') {
    const ok = body.spec.token === 'wendy-token';
    return {
      apiVersion: body.apiVersion,
      kind: 'TokenReview',
      status: ok
        ? { authenticated: true, user: { username: 'wendy', uid: 'w-1', groups: ['web-devs'], extra: { 'example.com/team': ['web'] } } }
        : body.spec.token === 'erroring-token'
          ? { authenticated: false, error: 'unknown token' }
          : { authenticated: false },
    };
  }
  const ns = body.spec.resourceAttributes?.namespace;
  const status =
    ns === 'denied-ns'
      ? { allowed: false, denied: true, reason: 'denied by the policy webhook' }
      : ns === 'default'
        ? { allowed: true }
        : { allowed: false, reason: 'no opinion from the policy webhook' };
  return { apiVersion: body.apiVersion, kind: 'SubjectAccessReview', status };
}

if (!referenceBinary()) {
  console.log(`webhook differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: webhook authentication and authorization as kube-apiserver calls them', function () {
    this.timeout(300_000);
    let dir: string;
    let server: Server;
    const posts = new Map<string, Post[]>();
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kgate-webhook-diff-'));
      const pki = await ensureCertificates(join(dir, 'pki'));
      server = createServer({ cert: pki.servingCertChain, key: pki.servingKey }, (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const url = new URL(req.url ?? '/', 'https://webhook');
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const list = posts.get(url.pathname) ?? [];
          list.push({
            query: url.search,
            contentType: req.headers['content-type'],
            accept: req.headers.accept,
            authorization: req.headers.authorization,
            body,
          });
          posts.set(url.pathname, list);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer(body)));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const kubeconfig = async (name: string) => {
        const path = join(dir, `${name}.kubeconfig`);
        await writeFile(
          path,
          stringify({
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [{ name: 'webhook', cluster: { server: `${base}/${name}`, 'certificate-authority': join(dir, 'pki/ca.crt') } }],
            users: [{ name: 'apiserver', user: { token: 'webhook-secret' } }],
            contexts: [{ name: 'webhook', context: { cluster: 'webhook', user: 'apiserver' } }],
            'current-context': 'webhook',
          }),
        );
        return path;
      };
      const flags = async (who: string) => [
        `--authentication-token-webhook-config-file=${await kubeconfig(`${who}-authn`)}`,
        '--authentication-token-webhook-version=v1',
        `--authorization-webhook-config-file=${await kubeconfig(`${who}-authz`)}`,
        '--authorization-webhook-version=v1',
      ];
      // startReference already passes --authorization-mode=RBAC; pflag appends a second use, giving RBAC,Webhook.
      const [kubeFlags, kgateFlags] = [await flags('kube'), await flags('kgate')];
      [kube, kgate] = await Promise.all([
        startReference({ extraArgs: [...kubeFlags, '--authorization-mode=Webhook'] }),
        startKgate({
          flags: [...kgateFlags, '--authorization-mode=RBAC,Webhook', ...REFERENCE_ADMISSION_FLAGS],
          serviceAccounts: { signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
        }),
      ]);
      for (const target of [kube, kgate]) {
        const res = await target.request('POST', '/api/v1/namespaces', {
          body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'denied-ns' } },
        });
        assert.equal(res.status, 201, res.text);
        // A binding to a missing Role: RBAC's no-opinion then carries a reason of its own, joined to the webhook's.
        const binding = await target.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-public/rolebindings', {
          body: {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'wendy-missing' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'missing' },
            subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'wendy' }],
          },
        });
        assert.equal(binding.status, 201, binding.text);
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const requests: [string, string, string][] = [
      [
        'the webhook allows a list with selectors',
        '/api/v1/namespaces/default/configmaps?labelSelector=app%3Dweb,tier+in+(a,b),!old,x+notin+(y)&fieldSelector=metadata.name%3Dx',
        'wendy-token',
      ],
      ['the webhook denies', '/api/v1/namespaces/denied-ns/configmaps', 'wendy-token'],
      [
        'a refused list pinned to one name by its fieldSelector',
        '/api/v1/namespaces/kube-system/configmaps?fieldSelector=metadata.name%3Dcm1',
        'wendy-token',
      ],
      ['the webhook has no opinion and RBAC refuses', '/api/v1/namespaces/kube-system/secrets/s1', 'wendy-token'],
      ['a non-resource path', '/healthz/etcd', 'wendy-token'],
      ['RBAC’s and the webhook’s no-opinion reasons, one per line', '/api/v1/namespaces/kube-public/configmaps', 'wendy-token'],
      ['a token the webhook does not authenticate', '/api/v1/namespaces/default/configmaps', 'forged-token'],
      ['the same token again (a cached refusal)', '/api/v1/namespaces/default/configmaps', 'forged-token'],
      ['a token refused with an error', '/api/v1/namespaces/default/configmaps', 'erroring-token'],
      ['the same token again (errors are not cached)', '/api/v1/namespaces/default/configmaps', 'erroring-token'],
    ];
    const answers = new Map<string, { kube: unknown; kgate: unknown }>();

    for (const [title, path, token] of requests) {
      it(`${title}: the same answer`, async () => {
        const want = summary(await kube!.request('GET', path, { token }));
        const got = summary(await kgate!.request('GET', path, { token }));
        answers.set(title, { kube: want, kgate: got });
        assert.deepEqual(got, want);
      });
    }

    it('the same TokenReviews, as many of them, query and headers', () => {
      assert.ok((posts.get('/kube-authn') ?? []).length > 0, 'the reference called its token webhook');
      assert.deepEqual(posts.get('/kgate-authn'), posts.get('/kube-authn'));
    });

    it('the same SubjectAccessReviews, query and headers', () => {
      const reviews = (list: Post[] | undefined) => (list ?? []).filter((post) => post.body.spec.user === 'wendy');
      assert.ok(reviews(posts.get('/kube-authz')).length > 0, 'the reference called its authorization webhook');
      assert.deepEqual(reviews(posts.get('/kgate-authz')), reviews(posts.get('/kube-authz')));
    });
  });
}
