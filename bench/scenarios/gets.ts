// Gets/s: GET one pod through kgate (autocannon, 64 connections) vs etcd3 range on one key at 16 and at 64 in
// flight (etcd3 multiplexes every call over one HTTP/2 connection, so 64 is not always faster than 16).

import { runAutocannon } from '../autocannon-load.js';
import { runConcurrent } from '../concurrency.js';
import { ensureNamespace, rawKey, type BenchContext } from '../context.js';
import { podManifest } from '../pod.js';
import { getValue, putValue } from '../raw-etcd.js';
import { atLeast, info, progress, report, type Figure } from '../report.js';

const NAMESPACE = 'bench-get';
const NAME = 'target';
const COUNT = 10_000;

export const GET_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'gets_c64_per_s', target: atLeast(2.5) }];

export async function benchGets(ctx: BenchContext): Promise<void> {
  await ensureNamespace(ctx.http, NAMESPACE);
  const created = await ctx.http.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, podManifest(NAMESPACE, NAME));
  if (created.status !== 201 && created.status !== 409)
    throw new Error(`create ${NAME} → ${created.status}: ${created.text.slice(0, 200)}`);
  const key = rawKey(NAMESPACE, NAME);
  await putValue(ctx.raw, key, ctx.storedPod(NAMESPACE, NAME));

  progress(`gets: ${COUNT} GETs through kgate`);
  const kgate = await runAutocannon({
    url: `${ctx.kgate.url}/api/v1/namespaces/${NAMESPACE}/pods/${NAME}`,
    token: ctx.home.token,
    connections: 64,
    amount: COUNT,
    method: 'GET',
  });
  progress(`gets: ${COUNT} raw etcd gets at 16 and at 64`);
  const raw16 = await runConcurrent(16, COUNT, async () => void (await getValue(ctx.raw, key)));
  const raw64 = await runConcurrent(64, COUNT, async () => void (await getValue(ctx.raw, key)));

  const failures = kgate.failed > 0 ? `, kgate non-2xx/errors=${kgate.failed}` : '';
  report({
    ...GET_FIGURES[0],
    kgate: kgate.perSecond,
    etcd: raw16.perSecond,
    note: `n=${COUNT}, kgate: autocannon c=64; etcd: etcd3 range c=16${failures}`,
  });
  info('gets_c64_per_s_vs_etcd_c64', kgate.perSecond, raw64.perSecond, 'etcd3 range c=64');
}
