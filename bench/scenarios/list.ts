// Lists of 10,000 pods: a full GET /api/v1/pods parsed by the client vs one etcd range over the prefix with every
// value parsed; and a walk with limit=500 + continue vs paged ranges of 500 at the first page's revision.
// The 10,000 pods are written straight to each server's etcd under /registry/pods, with the bytes that server
// itself stores (kgate's JSON; kube-apiserver's protobuf, taken from a pod it created and renamed in place).

import { medianOf, runConcurrent } from '../concurrency.js';
import { ensureNamespace, podKey, type BenchContext } from '../context.js';
import { podManifest } from '../pod.js';
import { deletePrefix, listAllParsed, listPagedParsed, putValue } from '../raw-etcd.js';
import { atMost, progress, report, type Figure } from '../report.js';
import { onEachServer, onRawEtcd, storedBytesOf, type Sides } from '../sides.js';

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

const podName = (i: number): string => `p-${String(i).padStart(5, '0')}`;
/** The template kube-apiserver stores, renamed to each podName(i): the same length, so the protobuf stays valid. */
const TEMPLATE_NAME = 'p-zzzzz';

/** Leaves exactly LIST_SIZE pods in the server's store: earlier scenarios' pods are removed first. */
export async function fillPods(ctx: BenchContext): Promise<void> {
  await ensureNamespace(ctx.http, LIST_NAMESPACE);
  let valueOf: (name: string) => Buffer;
  const storedPod = ctx.storedPod;
  if (storedPod) {
    valueOf = (name) => storedPod(LIST_NAMESPACE, name);
  } else {
    const template = await storedBytesOf(ctx, podManifest(LIST_NAMESPACE, TEMPLATE_NAME));
    valueOf = (name) => template.with([[TEMPLATE_NAME, name]]);
  }
  await deletePrefix(ctx.raw, '/registry/pods/');
  await deletePrefix(ctx.raw, '/bench-raw/');
  progress(`list: writing ${LIST_SIZE} pods to ${ctx.side}'s etcd`);
  const values = Array.from({ length: LIST_SIZE }, (_, i) => valueOf(podName(i)));
  await runConcurrent(64, LIST_SIZE, async (i) => {
    await putValue(ctx.raw, podKey(LIST_NAMESPACE, podName(i)), values[i]);
  });
}

async function fullList(ctx: BenchContext): Promise<number> {
  return medianOf(FULL_RUNS, async () => {
    const started = performance.now();
    const list = await ctx.http.json<PodList>('GET', '/api/v1/pods');
    expectCount(list.items.length, `${ctx.side} list`);
    return performance.now() - started;
  });
}

async function pagedWalk(ctx: BenchContext): Promise<number> {
  return medianOf(PAGED_RUNS, async () => {
    const started = performance.now();
    let seen = 0;
    let token: string | undefined;
    do {
      const query = `limit=${PAGE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const page = await ctx.http.json<PodList>('GET', `/api/v1/pods?${query}`);
      seen += page.items.length;
      token = page.metadata.continue || undefined;
    } while (token);
    expectCount(seen, `${ctx.side} paged walk`);
    return performance.now() - started;
  });
}

export async function benchList(sides: Sides): Promise<void> {
  const client = sides.kgate.raw;
  progress(`list: ${FULL_RUNS} full lists each`);
  const full = await onEachServer(sides, fullList);
  const rawFull = await onRawEtcd(sides, () =>
    medianOf(FULL_RUNS, async () => {
      const started = performance.now();
      expectCount((await listAllParsed(client, '/registry/pods/')).length, 'etcd range');
      return performance.now() - started;
    }),
  );
  report({
    ...LIST_FIGURES[0],
    kgate: full.kgate,
    kube: full.kube,
    etcd: rawFull.result,
    cpu: { ...full.cpu, ...rawFull.cpu },
    note: `median of ${FULL_RUNS}, client parses JSON; etcd: kgate's JSON values`,
  });

  progress(`list: ${PAGED_RUNS} paged walks each`);
  const paged = await onEachServer(sides, pagedWalk);
  const rawPaged = await onRawEtcd(sides, () =>
    medianOf(PAGED_RUNS, async () => {
      const started = performance.now();
      expectCount(await listPagedParsed(client, '/registry/pods/', PAGE), 'etcd paged range');
      return performance.now() - started;
    }),
  );
  report({
    ...LIST_FIGURES[1],
    kgate: paged.kgate,
    kube: paged.kube,
    etcd: rawPaged.result,
    cpu: { ...paged.cpu, ...rawPaged.cpu },
    note: `median of ${PAGED_RUNS}`,
  });
}

function expectCount(count: number, what: string): void {
  if (count !== LIST_SIZE) throw new Error(`${what} returned ${count} items, expected ${LIST_SIZE}`);
}
