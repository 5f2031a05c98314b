// kgate's RSS with 10,000 pods in its watch cache, against a budget of 3 × their stored JSON + 80 MB (the JSON
// sizes summed from etcd). Run on a freshly started kgate: readyz waits for the cache to sync, a consistent
// one-item list makes sure it reached etcd's current revision, then RSS is read once it settles.

import type { BenchContext } from '../context.js';
import { settledRssMb } from '../memory.js';
import { prefixSize } from '../raw-etcd.js';
import { budget, report, type Figure } from '../report.js';
import { LIST_SIZE } from './list.js';

const BASE_MB = 80;
const JSON_FACTOR = 3;

export const CACHE_MEMORY_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [{ name: 'rss_10k_cached_mb', target: budget(Number.NaN) }];

export async function benchCachedMemory(ctx: BenchContext): Promise<void> {
  const stored = await prefixSize(ctx.raw, '/registry/pods/');
  if (stored.keys < LIST_SIZE) throw new Error(`etcd holds ${stored.keys} pods, expected at least ${LIST_SIZE}`);
  await ctx.http.json('GET', '/api/v1/pods?limit=1');
  const rss = await settledRssMb(ctx.kgate.pid, 500, 1, 5_000);
  const jsonMb = stored.valueBytes / (1024 * 1024);
  report({
    ...CACHE_MEMORY_FIGURES[0],
    kgate: rss,
    target: budget(JSON_FACTOR * jsonMb + BASE_MB),
    note: `${stored.keys} pods, ${jsonMb.toFixed(1)} MB of stored JSON; budget ${JSON_FACTOR} × JSON + ${BASE_MB} MB; VmRSS settled after a fresh start`,
  });
}
