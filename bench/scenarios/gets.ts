// Gets/s: GET one pod through each server (autocannon, 64 connections) vs etcd3 range on one key at 16 and at 64
// in flight (etcd3 multiplexes every call over one HTTP/2 connection, so 64 is not always faster than 16).

import { runAutocannon } from '../autocannon-load.js';
import { runConcurrent } from '../concurrency.js';
import { ensureNamespace, rawKey } from '../context.js';
import { podManifest } from '../pod.js';
import { getValue, putValue } from '../raw-etcd.js';
import { atLeast, info, progress, report, type Figure } from '../report.js';
import { onEachServer, onRawEtcd, type Sides } from '../sides.js';

const NAMESPACE = 'bench-get';
const NAME = 'target';
const COUNT = 10_000;

export const GET_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'gets_c64_per_s', target: atLeast(2.5) }];

export async function benchGets(sides: Sides): Promise<void> {
  const servers = await onEachServer(sides, async (ctx) => {
    await ensureNamespace(ctx.http, NAMESPACE);
    const created = await ctx.http.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, podManifest(NAMESPACE, NAME));
    if (created.status !== 201 && created.status !== 409)
      throw new Error(`create ${NAME} → ${created.status}: ${created.text.slice(0, 200)}`);
    progress(`gets: ${COUNT} GETs through ${ctx.side}`);
    return runAutocannon({
      url: `${ctx.server.url}/api/v1/namespaces/${NAMESPACE}/pods/${NAME}`,
      token: ctx.token,
      connections: 64,
      amount: COUNT,
      method: 'GET',
    });
  });

  const { raw: client, storedPod } = sides.kgate;
  const key = rawKey(NAMESPACE, NAME);
  await putValue(client, key, storedPod(NAMESPACE, NAME));
  progress(`gets: ${COUNT} raw etcd gets at 16 and at 64`);
  const raw16 = await onRawEtcd(sides, () => runConcurrent(16, COUNT, async () => void (await getValue(client, key))));
  const raw64 = await runConcurrent(64, COUNT, async () => void (await getValue(client, key)));

  const failed = [`kgate=${servers.kgate.failed}`, ...(servers.kube ? [`kube=${servers.kube.failed}`] : [])].join(' ');
  report({
    ...GET_FIGURES[0],
    kgate: servers.kgate.perSecond,
    kube: servers.kube?.perSecond,
    etcd: raw16.result.perSecond,
    cpu: { ...servers.cpu, ...raw16.cpu },
    note: `n=${COUNT}, servers: autocannon c=64; etcd: etcd3 range c=16; non-2xx/errors ${failed}`,
  });
  info('gets_c64_per_s_vs_etcd_c64', servers.kgate.perSecond, raw64.perSecond, 'etcd3 range c=64', servers.kube?.perSecond);
}
