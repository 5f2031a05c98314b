// Updates/s: 16 clients each PUT their own pod with the resourceVersion of their previous response (node https,
// keep-alive), on each server, vs 16 etcd3 compare-and-swap txns on modRevision, each on its own key.

import { runConcurrent } from '../concurrency.js';
import { ensureNamespace, rawKey } from '../context.js';
import { podManifest, type PodManifest } from '../pod.js';
import { compareAndSwap, putValue } from '../raw-etcd.js';
import { atLeast, progress, report, type Figure } from '../report.js';
import { onEachServer, onRawEtcd, type Sides } from '../sides.js';

const NAMESPACE = 'bench-update';
const CLIENTS = 16;
const UPDATES_PER_CLIENT = 150;

export const UPDATE_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'updates_c16_per_s', target: atLeast(0.8) }];

export async function benchUpdates(sides: Sides): Promise<void> {
  const names = Array.from({ length: CLIENTS }, (_, i) => `u-${i}`);
  const total = CLIENTS * UPDATES_PER_CLIENT;
  const servers = await onEachServer(sides, async (ctx) => {
    await ensureNamespace(ctx.http, NAMESPACE);
    const latest = await Promise.all(
      names.map((name) => ctx.http.json<PodManifest>('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, podManifest(NAMESPACE, name))),
    );
    progress(`updates: ${total} PUTs through ${ctx.side}`);
    // Worker w owns pod w; runConcurrent hands indices out in order, so every worker does its share.
    return runConcurrent(CLIENTS, total, async (i, worker) => {
      const pod = latest[worker];
      pod.metadata.labels = { ...pod.metadata.labels, 'bench/iteration': String(i) };
      latest[worker] = await ctx.http.json<PodManifest>('PUT', `/api/v1/namespaces/${NAMESPACE}/pods/${pod.metadata.name}`, pod);
    });
  });

  const { raw: client, storedPod } = sides.kgate;
  const revisions = await Promise.all(names.map((name) => putValue(client, rawKey(NAMESPACE, name), storedPod(NAMESPACE, name))));
  progress(`updates: ${total} raw etcd CAS txns`);
  const raw = await onRawEtcd(sides, () =>
    runConcurrent(CLIENTS, total, async (i, worker) => {
      const name = names[worker];
      const value = storedPod(NAMESPACE, name, { 'bench/iteration': String(i) });
      revisions[worker] = await compareAndSwap(client, rawKey(NAMESPACE, name), revisions[worker], value);
    }),
  );

  report({
    ...UPDATE_FIGURES[0],
    kgate: servers.kgate.perSecond,
    kube: servers.kube?.perSecond,
    etcd: raw.result.perSecond,
    cpu: { ...servers.cpu, ...raw.cpu },
    note: `n=${total}, servers: node https keep-alive loop c=${CLIENTS} (PUT with previous resourceVersion); etcd: etcd3 CAS txn c=${CLIENTS}`,
  });
}
