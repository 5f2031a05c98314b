// Creates/s: POST pods through kgate (autocannon, 64 connections) vs etcd3 create-if-absent txns (64 in flight)
// of the same stored value size.

import { runAutocannon } from '../autocannon-load.js';
import { runConcurrent } from '../concurrency.js';
import { ensureNamespace, rawKey, type BenchContext } from '../context.js';
import { podManifest } from '../pod.js';
import { createIfAbsent } from '../raw-etcd.js';
import { atLeast, progress, report, type Figure } from '../report.js';

const NAMESPACE = 'bench-create';
const CONCURRENCY = 64;
const COUNT = 5_000;

export const CREATE_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'creates_c64_per_s', target: atLeast(0.8) }];

export async function benchCreates(ctx: BenchContext): Promise<void> {
  await ensureNamespace(ctx.http, NAMESPACE);
  const bodies = Array.from({ length: COUNT + 2 * CONCURRENCY }, (_, i) => JSON.stringify(podManifest(NAMESPACE, `c-${i}`)));
  progress(`creates: ${COUNT} POSTs through kgate`);
  const kgate = await runAutocannon({
    url: `${ctx.kgate.url}/api/v1/namespaces/${NAMESPACE}/pods`,
    token: ctx.home.token,
    connections: CONCURRENCY,
    amount: COUNT,
    method: 'POST',
    bodies,
  });

  const values = Array.from({ length: COUNT }, (_, i) => ctx.storedPod(NAMESPACE, `c-${i}`));
  progress(`creates: ${COUNT} raw etcd txns`);
  const raw = await runConcurrent(CONCURRENCY, COUNT, (i) => createIfAbsent(ctx.raw, rawKey(NAMESPACE, `c-${i}`), values[i]));

  const failures = kgate.failed > 0 ? `, kgate non-2xx/errors=${kgate.failed}` : '';
  report({
    ...CREATE_FIGURES[0],
    kgate: kgate.perSecond,
    etcd: raw.perSecond,
    note: `n=${COUNT}, kgate: autocannon c=${CONCURRENCY}; etcd: etcd3 txn c=${CONCURRENCY}, value ${values[0].length} B${failures}`,
  });
}
