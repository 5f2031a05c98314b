// Watch fan-out: 100 HTTP watchers on one namespace's pods (from a resourceVersion) receive 1,000 pod updates vs
// 100 etcd3 watchers on the same key prefix receiving the same 1,000 updates. The updates are plain etcd puts in
// every run (to the server's own etcd, of the bytes that server stored, one label value rewritten in place), so
// only delivery differs. Rate = watchers × updates / (first write → last event received).
// Each server is measured twice: over HTTP/1.1 (a connection per watch) and over HTTP/2 (all 100 watches
// multiplexed as streams of one connection, as client-go does); both are set against the same etcd round.

import type { Etcd3, Watcher } from 'etcd3';
import { runConcurrent } from '../concurrency.js';
import { ensureNamespace, podKey, type BenchContext } from '../context.js';
import type { WatchStream } from '../http.js';
import { podManifest, type PodManifest } from '../pod.js';
import { currentRevision, putValue } from '../raw-etcd.js';
import { atLeast, progress, report, type CpuSplit, type Figure } from '../report.js';
import { onEachServer, onRawEtcd, storedBytesOf, type Sides, type StoredBytes } from '../sides.js';

const NAMESPACE = 'bench-watch';
const WATCHERS = 100;
const PODS = 10;
const UPDATES = 1_000;
const WRITE_CONCURRENCY = 8;
const DELIVERY_DEADLINE_MS = 30_000;

export const WATCH_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [
  { name: 'watch_100x1000_events_per_s', target: atLeast(1.0) },
  { name: 'watch_h2_100x1000_events_per_s', target: atLeast(1.0) },
];

export interface WatchFigures {
  /** kgate's RSS while its 100 watchers are open (after delivery). */
  rssWithWatchersMb: number | undefined;
  kubeRssWithWatchersMb: number | undefined;
}

/** Counts events until every watcher has seen `expected`; resolves with the time the last one arrived. */
class DeliveryCounter {
  private readonly counts: number[];
  private remaining: number;
  private resolveDone!: (at: number) => void;
  readonly done: Promise<number>;

  constructor(
    watchers: number,
    private readonly expected: number,
  ) {
    this.counts = new Array<number>(watchers).fill(0);
    this.remaining = watchers;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  record(watcher: number): void {
    if (++this.counts[watcher] === this.expected && --this.remaining === 0) this.resolveDone(performance.now());
  }

  get delivered(): number {
    return this.counts.reduce((sum, n) => sum + n, 0);
  }
}

/** A label value each update rewrites in the stored bytes, fixed-width so kube-apiserver's protobuf stays valid. */
const MARKER = 'r000000000';
let nextRound = 0;

/** Creates the watched pods through the server and keeps the bytes it stored for each, for raw updates later. */
async function storedWatchPods(ctx: BenchContext): Promise<StoredBytes[]> {
  await ensureNamespace(ctx.http, NAMESPACE);
  const templates: StoredBytes[] = [];
  for (let i = 0; i < PODS; i++) {
    const manifest = podManifest(NAMESPACE, `w-${i}`);
    manifest.metadata.labels = { ...manifest.metadata.labels, 'bench/round': MARKER };
    templates.push(await storedBytesOf(ctx, manifest));
  }
  return templates;
}

/** Puts UPDATES new values of the pods in `raw` (c=8); resolves with the time the first write started. */
async function writeUpdates(raw: Etcd3, templates: StoredBytes[]): Promise<number> {
  const values = Array.from({ length: UPDATES }, (_, i) =>
    templates[i % PODS].with([[MARKER, `r${String(nextRound++).padStart(MARKER.length - 1, '0')}`]]),
  );
  const started = performance.now();
  await runConcurrent(WRITE_CONCURRENCY, UPDATES, async (i) => void (await putValue(raw, podKey(NAMESPACE, `w-${i % PODS}`), values[i])));
  return started;
}

async function awaitDelivery(counter: DeliveryCounter, what: string): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: ${counter.delivered} of ${WATCHERS * UPDATES} events within ${DELIVERY_DEADLINE_MS} ms`)),
      DELIVERY_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([counter.done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Round {
  rate: number;
  rssMb: number | undefined;
}

/** One server's round: 100 watchers from the list's resourceVersion, every MODIFIED event counts (JSON parsed). */
async function serverRound(
  ctx: BenchContext,
  templates: StoredBytes[],
  round: string,
  open: (path: string, onEvent: (event: { type: string }) => void) => WatchStream,
): Promise<Round> {
  const list = await ctx.http.json<{ metadata: { resourceVersion: string } }>('GET', `/api/v1/namespaces/${NAMESPACE}/pods`);
  const counter = new DeliveryCounter(WATCHERS, UPDATES);
  const streams: WatchStream[] = [];
  try {
    progress(`watch: ${WATCHERS} ${ctx.side} watchers (${round}), ${UPDATES} updates`);
    for (let w = 0; w < WATCHERS; w++) {
      streams.push(
        open(`/api/v1/namespaces/${NAMESPACE}/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (event) => {
          if (event.type === 'MODIFIED') counter.record(w);
        }),
      );
    }
    await Promise.all(streams.map((s) => s.established));
    const started = await writeUpdates(ctx.raw, templates);
    const finished = await awaitDelivery(counter, `${ctx.side} watchers (${round})`);
    return { rate: (WATCHERS * UPDATES) / ((finished - started) / 1000), rssMb: ctx.server.rssMb() };
  } finally {
    for (const stream of streams) stream.close();
  }
}

export async function benchWatch(sides: Sides): Promise<WatchFigures> {
  const templates = new Map<string, StoredBytes[]>();
  const templatesOf = async (ctx: BenchContext): Promise<StoredBytes[]> => {
    let stored = templates.get(ctx.side);
    if (!stored) templates.set(ctx.side, (stored = await storedWatchPods(ctx)));
    return stored;
  };
  const http1 = await onEachServer(sides, async (ctx) =>
    serverRound(ctx, await templatesOf(ctx), 'HTTP/1.1', (path, onEvent) => ctx.http.watch(path, onEvent)),
  );
  const http2 = await onEachServer(sides, async (ctx) => {
    const stored = await templatesOf(ctx);
    const session = await ctx.http.http2Session();
    try {
      return await serverRound(ctx, stored, 'HTTP/2', (path, onEvent) => ctx.http.watchHttp2(session, path, onEvent));
    } finally {
      session.close();
    }
  });

  // etcd: kgate's etcd, the same prefix, from the revision after kgate's rounds; the client parses each value.
  const client = sides.kgate.raw;
  const kgateTemplates = await templatesOf(sides.kgate);
  const fromRevision = String(Number(await currentRevision(client)) + 1);
  const rawCounter = new DeliveryCounter(WATCHERS, UPDATES);
  const watchers: Watcher[] = [];
  let raw: { result: number; cpu: CpuSplit };
  try {
    progress(`watch: ${WATCHERS} raw etcd watchers, ${UPDATES} updates`);
    for (let w = 0; w < WATCHERS; w++) {
      const watcher = await client.watch().prefix(podKey(NAMESPACE, '')).startRevision(fromRevision).create();
      watcher.on('put', (kv) => {
        JSON.parse(kv.value.toString('utf8')) as PodManifest;
        rawCounter.record(w);
      });
      watchers.push(watcher);
    }
    raw = await onRawEtcd(sides, async () => {
      const started = await writeUpdates(client, kgateTemplates);
      const finished = await awaitDelivery(rawCounter, 'etcd watchers');
      return (WATCHERS * UPDATES) / ((finished - started) / 1000);
    });
  } finally {
    await Promise.all(watchers.map((watcher) => watcher.cancel()));
  }

  report({
    ...WATCH_FIGURES[0],
    kgate: http1.kgate.rate,
    kube: http1.kube?.rate,
    etcd: raw.result,
    cpu: { ...http1.cpu, ...raw.cpu },
    note: `${WATCHERS} watchers × ${UPDATES} updates (puts to the server's own etcd, c=${WRITE_CONCURRENCY}); servers: HTTPS streams; etcd: etcd3 watchers`,
  });
  report({
    ...WATCH_FIGURES[1],
    kgate: http2.kgate.rate,
    kube: http2.kube?.rate,
    etcd: raw.result,
    cpu: { ...http2.cpu, ...raw.cpu },
    note: `as above; servers: ${WATCHERS} HTTP/2 streams on one connection (4 MiB stream, 1 GiB connection windows, as Go's client)`,
  });
  return { rssWithWatchersMb: http1.kgate.rssMb, kubeRssWithWatchersMb: http1.kube?.rssMb };
}
