// Updates/s: 16 clients each PUT their own pod with the resourceVersion of their previous response (node https,
// keep-alive) vs 16 etcd3 compare-and-swap txns on modRevision, each on its own key.

import { runConcurrent } from '../concurrency.js';
import { ensureNamespace, rawKey, type BenchContext } from '../context.js';
import { podManifest, type PodManifest } from '../pod.js';
import { compareAndSwap, putValue } from '../raw-etcd.js';
import { atLeast, progress, report, type Figure } from '../report.js';

const NAMESPACE = 'bench-update';
const CLIENTS = 16;
const UPDATES_PER_CLIENT = 150;

export const UPDATE_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'updates_c16_per_s', target: atLeast(0.8) }];

export async function benchUpdates(ctx: BenchContext): Promise<void> {
  await ensureNamespace(ctx.http, NAMESPACE);
  const names = Array.from({ length: CLIENTS }, (_, i) => `u-${i}`);
  const latest = await Promise.all(
    names.map((name) => ctx.http.json<PodManifest>('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, podManifest(NAMESPACE, name))),
  );
  const total = CLIENTS * UPDATES_PER_CLIENT;

  progress(`updates: ${total} PUTs through kgate`);
  // Worker w owns pod w; runConcurrent hands indices out in order, so every worker does its share.
  const kgate = await runConcurrent(CLIENTS, total, async (i, worker) => {
    const pod = latest[worker];
    pod.metadata.labels = { ...pod.metadata.labels, 'bench/iteration': String(i) };
    latest[worker] = await ctx.http.json<PodManifest>('PUT', `/api/v1/namespaces/${NAMESPACE}/pods/${pod.metadata.name}`, pod);
  });

  const revisions = await Promise.all(names.map((name) => putValue(ctx.raw, rawKey(NAMESPACE, name), ctx.storedPod(NAMESPACE, name))));
  progress(`updates: ${total} raw etcd CAS txns`);
  const raw = await runConcurrent(CLIENTS, total, async (i, worker) => {
    const name = names[worker];
    const value = ctx.storedPod(NAMESPACE, name, { 'bench/iteration': String(i) });
    revisions[worker] = await compareAndSwap(ctx.raw, rawKey(NAMESPACE, name), revisions[worker], value);
  });

  report({
    ...UPDATE_FIGURES[0],
    kgate: kgate.perSecond,
    etcd: raw.perSecond,
    note: `n=${total}, kgate: node https keep-alive loop c=${CLIENTS} (PUT with previous resourceVersion); etcd: etcd3 CAS txn c=${CLIENTS}`,
  });
}
