// Creates/s: POST pods through each server (autocannon, 64 connections) vs etcd3 create-if-absent txns (64 in
// flight) of the same stored value size.

import { runAutocannon } from '../autocannon-load.js';
import { runConcurrent } from '../concurrency.js';
import { ensureNamespace, rawKey } from '../context.js';
import { podManifest } from '../pod.js';
import { createIfAbsent } from '../raw-etcd.js';
import { atLeast, progress, report, type Figure } from '../report.js';
import { onEachServer, onRawEtcd, type Sides } from '../sides.js';

const NAMESPACE = 'bench-create';
const CONCURRENCY = 64;
const COUNT = 5_000;

export const CREATE_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'creates_c64_per_s', target: atLeast(0.8) }];

export async function benchCreates(sides: Sides): Promise<void> {
  const bodies = Array.from({ length: COUNT + 2 * CONCURRENCY }, (_, i) => JSON.stringify(podManifest(NAMESPACE, `c-${i}`)));
  const servers = await onEachServer(sides, async (ctx) => {
    await ensureNamespace(ctx.http, NAMESPACE);
    progress(`creates: ${COUNT} POSTs through ${ctx.side}`);
    return runAutocannon({
      url: `${ctx.server.url}/api/v1/namespaces/${NAMESPACE}/pods`,
      token: ctx.token,
      connections: CONCURRENCY,
      amount: COUNT,
      method: 'POST',
      bodies,
    });
  });

  const values = Array.from({ length: COUNT }, (_, i) => sides.kgate.storedPod(NAMESPACE, `c-${i}`));
  progress(`creates: ${COUNT} raw etcd txns`);
  const raw = await onRawEtcd(sides, () =>
    runConcurrent(CONCURRENCY, COUNT, (i) => createIfAbsent(sides.kgate.raw, rawKey(NAMESPACE, `c-${i}`), values[i])),
  );

  const failed = [`kgate=${servers.kgate.failed}`, ...(servers.kube ? [`kube=${servers.kube.failed}`] : [])].join(' ');
  report({
    ...CREATE_FIGURES[0],
    kgate: servers.kgate.perSecond,
    kube: servers.kube?.perSecond,
    etcd: raw.result.perSecond,
    cpu: { ...servers.cpu, ...raw.cpu },
    note: `n=${COUNT}, servers: autocannon c=${CONCURRENCY}; etcd: etcd3 txn c=${CONCURRENCY}, value ${values[0].length} B (kgate's JSON); non-2xx/errors ${failed}`,
  });
}
