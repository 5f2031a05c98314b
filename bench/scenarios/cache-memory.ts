// Each server's RSS with 10,000 pods in its watch cache; without the peer, kgate's against a budget of 3 × their
// stored JSON + 80 MB (the JSON sizes summed from etcd). Run on a freshly started server: readyz, then a
// consistent one-item list makes sure its cache reached etcd's current revision, then RSS is read once it settles.

import type { BenchContext } from '../context.js';
import { settledRssMb } from '../memory.js';
import { prefixSize } from '../raw-etcd.js';
import { budget, report, type Figure } from '../report.js';
import { onEachServer, type Sides } from '../sides.js';
import { LIST_SIZE } from './list.js';

const BASE_MB = 80;
const JSON_FACTOR = 3;

export const CACHE_MEMORY_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'rss_10k_cached_mb', target: budget(Number.NaN) }];

interface CachedMemory {
  rss: number | undefined;
  storedMb: number;
  keys: number;
}

async function cachedMemory(ctx: BenchContext): Promise<CachedMemory> {
  const stored = await prefixSize(ctx.raw, '/registry/pods/');
  if (stored.keys < LIST_SIZE) throw new Error(`${ctx.side}'s etcd holds ${stored.keys} pods, expected at least ${LIST_SIZE}`);
  await ctx.http.json('GET', '/api/v1/pods?limit=1');
  const rss = await settledRssMb(ctx.server.pid, 500, 1, 5_000);
  return { rss, storedMb: stored.valueBytes / (1024 * 1024), keys: stored.keys };
}

export async function benchCachedMemory(sides: Sides): Promise<void> {
  const servers = await onEachServer(sides, cachedMemory);
  const { kgate, kube } = servers;
  const stored = (side: string, of: CachedMemory): string => `${side}: ${of.keys} pods, ${of.storedMb.toFixed(1)} MB stored`;
  report({
    ...CACHE_MEMORY_FIGURES[0],
    kgate: kgate.rss,
    kube: kube?.rss,
    cpu: servers.cpu,
    target: budget(JSON_FACTOR * kgate.storedMb + BASE_MB),
    note: `${stored('kgate', kgate)} (JSON)${kube ? `; ${stored('kube', kube)} (protobuf)` : ''}; without the peer: budget ${JSON_FACTOR} × kgate's JSON + ${BASE_MB} MB; VmRSS settled after a fresh start`,
  });
}
