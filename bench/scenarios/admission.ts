// The cost of one validating admission webhook: pod creates/s with the default admission plugins and one no-op
// ValidatingWebhookConfiguration (an HTTPS server in this process answering allowed to every pod create), beside the
// same server with no webhook configuration at all, in the same run. The configuration is written before each
// webhook turn and deleted before each plain turn, and each turn starts only once the server has taken the change
// (a dry-run probe reaches the webhook, or stops reaching it), so both servers' informer lag is out of the figure.
// Turns go ABBA BAAB after a warm-up, as in the rbac scenario; each side's rate is the mean of its four turns.
// The webhook server shares this process's CPU with the load generator (it is metered as the client).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates } from '../../src/server/certs.js';
import { runAutocannon } from '../autocannon-load.js';
import { ensureNamespace, type BenchContext } from '../context.js';
import { podManifest } from '../pod.js';
import { atLeast, progress, report, type Figure } from '../report.js';
import { onEachServer, type Sides } from '../sides.js';

const NAMESPACE = 'bench-admission';
const CREATES = 3_000;
const CONCURRENCY = 64;
const CONFIG = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const CONFIG_NAME = 'bench-noop';

export const ADMISSION_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [
  { name: 'admission_creates_webhook_vs_none', target: atLeast(0.7) },
];

interface NoopWebhook {
  url: string;
  caBundle: string;
  /** Names of the objects it was asked about, for the probes. */
  seen: Set<string>;
  close(): Promise<void>;
}

/** A webhook that allows everything, remembering the names it saw. */
async function startNoopWebhook(): Promise<NoopWebhook> {
  const dir = await mkdtemp(join(tmpdir(), 'kgate-bench-webhook-'));
  const pki = await ensureCertificates(join(dir, 'pki'));
  const seen = new Set<string>();
  const server: Server = createServer({ cert: pki.servingCertChain, key: pki.servingKey, keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const name: string = review.request?.name ?? '';
      if (name.startsWith('probe-')) seen.add(name);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/validate`,
    caBundle: Buffer.from(pki.caCert).toString('base64'),
    seen,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function configuration(hook: NoopWebhook) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: CONFIG_NAME },
    webhooks: [
      {
        name: 'noop.bench.kgate.io',
        clientConfig: { url: hook.url, caBundle: hook.caBundle },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  };
}

let probes = 0;

/** Dry-run creates until the webhook is (or is no longer) called on this server. */
async function settle(ctx: BenchContext, hook: NoopWebhook, active: boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const name = `probe-${probes++}`;
    const res = await ctx.http.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods?dryRun=All`, podManifest(NAMESPACE, name));
    if (res.status !== 201) throw new Error(`probe on ${ctx.side} → ${res.status}: ${res.text.slice(0, 200)}`);
    if (hook.seen.has(name) === active) return;
    if (Date.now() > deadline) throw new Error(`the webhook configuration never ${active ? 'took effect' : 'went away'} on ${ctx.side}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function setWebhook(ctx: BenchContext, hook: NoopWebhook, active: boolean): Promise<void> {
  const res = active
    ? await ctx.http.request('POST', CONFIG, configuration(hook))
    : await ctx.http.request('DELETE', `${CONFIG}/${CONFIG_NAME}`);
  if (res.status >= 300 && res.status !== 404 && res.status !== 409)
    throw new Error(`webhook configuration on ${ctx.side} → ${res.status}: ${res.text.slice(0, 200)}`);
  await settle(ctx, hook, active);
}

export async function benchAdmission(sides: Sides): Promise<void> {
  const hook = await startNoopWebhook();
  try {
    const bodies = (prefix: string, count: number) =>
      Array.from({ length: count + 2 * CONCURRENCY }, (_, i) => JSON.stringify(podManifest(NAMESPACE, `${prefix}-${i}`)));
    const results = await onEachServer(sides, async (ctx) => {
      await ensureNamespace(ctx.http, NAMESPACE);
      const pods = `${ctx.server.url}/api/v1/namespaces/${NAMESPACE}/pods`;
      const run = (amount: number, b: string[]) =>
        runAutocannon({ url: pods, token: ctx.token, connections: CONCURRENCY, amount, method: 'POST', bodies: b });
      progress(`admission: warm-up with and without the webhook, then ${CREATES} creates each way, in turns, on ${ctx.side}`);
      let active = false;
      const turnTo = async (want: boolean) => {
        if (want !== active) await setWebhook(ctx, hook, want);
        active = want;
      };
      await turnTo(true);
      await run(CONCURRENCY * 4, bodies('warm-webhook', CONCURRENCY * 4));
      await turnTo(false);
      await run(CONCURRENCY * 4, bodies('warm-none', CONCURRENCY * 4));
      const turns = ['none', 'webhook', 'webhook', 'none', 'webhook', 'none', 'none', 'webhook'] as const;
      const quarter = CREATES / 4;
      const rates = { none: [] as number[], webhook: [] as number[] };
      let failed = 0;
      for (const [i, which] of turns.entries()) {
        await turnTo(which === 'webhook');
        const r = await run(quarter, bodies(`${which}-${i}`, quarter));
        rates[which].push(r.perSecond);
        failed += r.failed;
      }
      await turnTo(false);
      if (failed > 0) throw new Error(`${failed} creates failed on ${ctx.side}`);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const none = mean(rates.none);
      const webhook = mean(rates.webhook);
      return { ratio: webhook / none, text: `creates/s ${webhook.toFixed(0)} with the webhook vs ${none.toFixed(0)} without` };
    });
    report({
      ...ADMISSION_FIGURES[0],
      kgate: results.kgate.ratio,
      kube: results.kube?.ratio,
      // A ratio already: the etcd column carries 1 so ratio_etcd is the figure itself.
      etcd: 1,
      cpu: results.cpu,
      note:
        `pod creates/s with one no-op validating webhook (HTTPS, loopback) / with none, default admission plugins, same server, same run; ` +
        `kgate ${results.kgate.text}` +
        (results.kube ? `; kube ${results.kube.text}` : ''),
    });
  } finally {
    await hook.close();
  }
}
