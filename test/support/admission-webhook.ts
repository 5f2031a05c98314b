// An admission webhook server for tests: HTTPS on loopback with its own CA (the test PKI helper), answering each
// posted AdmissionReview by path, the way real webhooks (cert-manager, Kyverno, Gatekeeper) answer: allow, deny
// with a message, add a label by JSONPatch, warn, hang, or answer garbage. kgate and the reference kube-apiserver
// can share one. It records the reviews it was sent.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates } from '../../src/server/certs.js';

export interface AdmissionWebhookServer {
  /** https://127.0.0.1:<port> (or the host asked for) */
  url: string;
  host: string;
  port: number;
  /** base64 of the CA's PEM, for clientConfig.caBundle. */
  caBundle: string;
  /** The reviews received, per path. */
  reviews: Map<string, any[]>;
  close(): Promise<void>;
}

type Answer = (review: any) => Record<string, unknown> | 'hang' | 'garbage';

const jsonPatch = (ops: unknown[]) => ({ patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') });

/** The answers by path; `response` fields beside uid. */
export const ANSWERS: Record<string, Answer> = {
  '/allow': () => ({ allowed: true }),
  // Adds metadata.labels["webhook-added"]="yes" (creating the map when absent).
  '/add-label': (review) =>
    review.request.object?.metadata?.labels
      ? { allowed: true, ...jsonPatch([{ op: 'add', path: '/metadata/labels/webhook-added', value: 'yes' }]) }
      : { allowed: true, ...jsonPatch([{ op: 'add', path: '/metadata/labels', value: { 'webhook-added': 'yes' } }]) },
  // Sets labels["labels-seen"] to how many other labels the object has: a webhook whose answer depends on what
  // later webhooks add, for reinvocation.
  '/count-labels': (review) => {
    const labels = { ...(review.request.object?.metadata?.labels ?? {}) };
    delete labels['labels-seen'];
    return {
      allowed: true,
      ...jsonPatch([{ op: 'add', path: '/metadata/labels', value: { ...labels, 'labels-seen': String(Object.keys(labels).length) } }]),
    };
  },
  // Refuses objects labelled bad=true, with a message and kube's Forbidden shape.
  '/deny-bad': (review) =>
    review.request.object?.metadata?.labels?.bad === 'true'
      ? { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'objects labelled bad=true are not allowed here' } }
      : { allowed: true },
  // A denial without any status: kube's 400 "without explanation".
  '/deny-plain': () => ({ allowed: false }),
  '/warn': () => ({ allowed: true, warnings: ['this configmap is watched by a test webhook'], auditAnnotations: { seen: 'yes' } }),
  '/hang': () => 'hang',
  '/garbage': () => 'garbage',
};

/** Starts the server; `pkiDir` picks the CA (two servers with different dirs have CAs that do not trust each other). */
export async function startAdmissionWebhook(opts: { extraNames?: string[]; host?: string } = {}): Promise<AdmissionWebhookServer> {
  const host = opts.host ?? '127.0.0.1';
  const dir = await mkdtemp(join(tmpdir(), 'kgate-admission-webhook-'));
  const pki = await ensureCertificates(join(dir, 'pki'), { extraNames: [...(opts.extraNames ?? []), host] });
  const reviews = new Map<string, any[]>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer({ cert: pki.servingCertChain, key: pki.servingKey }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      let review: any;
      try {
        review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      const list = reviews.get(path) ?? [];
      list.push(review);
      reviews.set(path, list);
      const answer = (ANSWERS[path] ?? ANSWERS['/allow'])(review);
      if (answer === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (answer === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('this is not an AdmissionReview');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response: { uid: review.request.uid, ...answer } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    host,
    caBundle: Buffer.from(pki.caCert).toString('base64'),
    reviews,
    async close() {
      for (const res of hanging) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A configuration with one webhook named `<name>.kgate.test` calling `url` (rules: configmaps CREATE/UPDATE). */
export function webhookConfiguration(
  kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration',
  name: string,
  clientConfig: Record<string, unknown>,
  hook: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name },
    webhooks: [
      {
        name: `${name}.kgate.test`,
        clientConfig,
        rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        ...hook,
      },
    ],
  };
}

/**
 * This machine's first non-loopback IPv4 address: Endpoints and EndpointSlices refuse loopback addresses (in kube
 * as in kgate), so a webhook reached through a Service listens there.
 */
export function externalIPv4(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}
