// Lists of 10,000 pods: a full GET /api/v1/pods parsed by the client vs one etcd range over the prefix with every
// value parsed; and a walk with limit=500 + continue vs paged ranges of 500 at the first page's revision.
// The 10,000 pods are written straight to etcd under kgate's key layout, with the bytes kgate itself stores.

import { medianOf, runConcurrent } from '../concurrency.js';
import { ensureNamespace, podKey, type BenchContext } from '../context.js';
import { deletePrefix, listAllParsed, listPagedParsed, putValue } from '../raw-etcd.js';
import { atMost, progress, report, type Figure } from '../report.js';

export const LIST_NAMESPACE = 'bench-list';
export const LIST_SIZE = 10_000;
const PAGE = 500;
const FULL_RUNS = 5;
const PAGED_RUNS = 3;

export const LIST_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [
  { name: 'list_10k_ms', target: atMost(0.5) },
  { name: 'list_10k_paged_500_ms', target: atMost(1.0) },
];

interface PodList {
  metadata: { continue?: string };
  items: unknown[];
}

/** Leaves exactly LIST_SIZE pods in the store: earlier scenarios' pods are removed first. */
export async function fillPods(ctx: BenchContext): Promise<void> {
  await ensureNamespace(ctx.http, LIST_NAMESPACE);
  await deletePrefix(ctx.raw, '/registry/pods/');
  await deletePrefix(ctx.raw, '/bench-raw/');
  progress(`list: writing ${LIST_SIZE} pods to etcd`);
  const values = Array.from({ length: LIST_SIZE }, (_, i) => ctx.storedPod(LIST_NAMESPACE, `p-${String(i).padStart(5, '0')}`));
  await runConcurrent(64, LIST_SIZE, async (i) => {
    await putValue(ctx.raw, podKey(LIST_NAMESPACE, `p-${String(i).padStart(5, '0')}`), values[i]);
  });
}

export async function benchList(ctx: BenchContext): Promise<void> {
  progress(`list: ${FULL_RUNS} full lists each`);
  const kgateFull = await medianOf(FULL_RUNS, async () => {
    const started = performance.now();
    const list = await ctx.http.json<PodList>('GET', '/api/v1/pods');
    expectCount(list.items.length, 'kgate list');
    return performance.now() - started;
  });
  const rawFull = await medianOf(FULL_RUNS, async () => {
    const started = performance.now();
    expectCount((await listAllParsed(ctx.raw, '/registry/pods/')).length, 'etcd range');
    return performance.now() - started;
  });
  report({ ...LIST_FIGURES[0], kgate: kgateFull, etcd: rawFull, note: `median of ${FULL_RUNS}, client parses JSON` });

  progress(`list: ${PAGED_RUNS} paged walks each`);
  const kgatePaged = await medianOf(PAGED_RUNS, async () => {
    const started = performance.now();
    let seen = 0;
    let token: string | undefined;
    do {
      const query = `limit=${PAGE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const page = await ctx.http.json<PodList>('GET', `/api/v1/pods?${query}`);
      seen += page.items.length;
      token = page.metadata.continue || undefined;
    } while (token);
    expectCount(seen, 'kgate paged walk');
    return performance.now() - started;
  });
  const rawPaged = await medianOf(PAGED_RUNS, async () => {
    const started = performance.now();
    expectCount(await listPagedParsed(ctx.raw, '/registry/pods/', PAGE), 'etcd paged range');
    return performance.now() - started;
  });
  report({ ...LIST_FIGURES[1], kgate: kgatePaged, etcd: rawPaged, note: `median of ${PAGED_RUNS}` });
}

function expectCount(count: number, what: string): void {
  if (count !== LIST_SIZE) throw new Error(`${what} returned ${count} items, expected ${LIST_SIZE}`);
}
