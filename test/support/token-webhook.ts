// A TokenReview webhook for tests, as --authentication-token-webhook-config-file expects one
// (k8s.io/apiserver/plugin/pkg/authenticator/token/webhook/webhook.go is the caller): HTTPS on loopback with its own
// CA (the test PKI helper), answering each posted TokenReview from a table of tokens, and the kubeconfig that points
// an API server at it (the cluster is the webhook, the user the credentials the server presents to it). kgate and
// the reference kube-apiserver can share one.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensureCertificates } from '../../src/server/certs.js';

/** The user a TokenReview's status names (authentication.k8s.io/v1 UserInfo). */
export interface WebhookUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface TokenWebhook {
  /** https://127.0.0.1:<port>/authenticate */
  url: string;
  /** A kubeconfig for --authentication-token-webhook-config-file. */
  configFile: string;
  /** How many TokenReviews were posted. */
  reviews: number;
  close(): Promise<void>;
}

/** Starts the webhook: a token in `users` is that user; any other token is answered authenticated: false. */
export async function startTokenWebhook(users: Record<string, WebhookUser>): Promise<TokenWebhook> {
  const dir = await mkdtemp(join(tmpdir(), 'kgate-token-webhook-'));
  const pki = await ensureCertificates(join(dir, 'pki'));
  const server = createServer({ cert: pki.servingCertChain, key: pki.servingKey }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let review: any;
      try {
        review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      webhook.reviews++;
      const user = Object.hasOwn(users, review?.spec?.token) ? users[review.spec.token] : undefined;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          apiVersion: review.apiVersion,
          kind: 'TokenReview',
          status: user ? { authenticated: true, user } : { authenticated: false },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/authenticate`;
  const configFile = join(dir, 'token-webhook.kubeconfig');
  await writeFile(
    configFile,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'token-webhook', cluster: { server: url, 'certificate-authority': pki.files.caCert } }],
      users: [{ name: 'apiserver', user: { token: 'webhook-secret' } }],
      contexts: [{ name: 'token-webhook', context: { cluster: 'token-webhook', user: 'apiserver' } }],
      'current-context': 'token-webhook',
    }),
  );
  const webhook: TokenWebhook = {
    url,
    configFile,
    reviews: 0,
    async close() {
      // The API servers may keep their connections alive; a test ends them rather than waiting on them.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await rm(dir, { recursive: true, force: true });
    },
  };
  return webhook;
}
