// Watch fan-out: 100 HTTP watchers on one namespace's pods (from a resourceVersion) receive 1,000 pod updates vs
// 100 etcd3 watchers on the same key prefix receiving the same 1,000 updates. The updates are plain etcd puts in
// both runs, so only delivery differs. Rate = watchers × updates / (first write → last event received).
// kgate is measured twice: over HTTP/1.1 (a connection per watch) and over HTTP/2 (all 100 watches multiplexed
// as streams of one connection, as client-go does); both are set against the same etcd round.

import type { Watcher } from 'etcd3';
import { runConcurrent } from '../concurrency.js';
import { ensureNamespace, podKey, type BenchContext } from '../context.js';
import type { WatchStream } from '../http.js';
import { podManifest, type PodManifest } from '../pod.js';
import { currentRevision, putValue } from '../raw-etcd.js';
import { atLeast, progress, report, type Figure } from '../report.js';

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

async function writeUpdates(ctx: BenchContext, round: string): Promise<number> {
  const names = Array.from({ length: PODS }, (_, i) => `w-${i}`);
  const values = Array.from({ length: UPDATES }, (_, i) => ctx.storedPod(NAMESPACE, names[i % PODS], { 'bench/round': `${round}-${i}` }));
  const started = performance.now();
  await runConcurrent(
    WRITE_CONCURRENCY,
    UPDATES,
    async (i) => void (await putValue(ctx.raw, podKey(NAMESPACE, names[i % PODS]), values[i])),
  );
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

export async function benchWatch(ctx: BenchContext): Promise<WatchFigures> {
  await ensureNamespace(ctx.http, NAMESPACE);
  for (let i = 0; i < PODS; i++) {
    const reply = await ctx.http.request('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, podManifest(NAMESPACE, `w-${i}`));
    if (reply.status !== 201 && reply.status !== 409) throw new Error(`create w-${i} → ${reply.status}: ${reply.text.slice(0, 200)}`);
  }

  // kgate: every MODIFIED event on the namespace's pods counts; JSON is parsed per line by the client.
  const kgateRound = async (
    round: string,
    open: (path: string, onEvent: (event: { type: string }) => void) => WatchStream,
  ): Promise<{ rate: number; rssMb: number | undefined }> => {
    const list = await ctx.http.json<{ metadata: { resourceVersion: string } }>('GET', `/api/v1/namespaces/${NAMESPACE}/pods`);
    const counter = new DeliveryCounter(WATCHERS, UPDATES);
    const streams: WatchStream[] = [];
    try {
      progress(`watch: ${WATCHERS} kgate watchers (${round}), ${UPDATES} updates`);
      for (let w = 0; w < WATCHERS; w++) {
        streams.push(
          open(`/api/v1/namespaces/${NAMESPACE}/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (event) => {
            if (event.type === 'MODIFIED') counter.record(w);
          }),
        );
      }
      await Promise.all(streams.map((s) => s.established));
      const started = await writeUpdates(ctx, round);
      const finished = await awaitDelivery(counter, `kgate watchers (${round})`);
      return { rate: (WATCHERS * UPDATES) / ((finished - started) / 1000), rssMb: ctx.kgate.rssMb() };
    } finally {
      for (const stream of streams) stream.close();
    }
  };
  const http1 = await kgateRound('kgate', (path, onEvent) => ctx.http.watch(path, onEvent));
  const rssWithWatchersMb = http1.rssMb;
  const session = await ctx.http.http2Session();
  let http2Rate: number;
  try {
    http2Rate = (await kgateRound('kgate-h2', (path, onEvent) => ctx.http.watchHttp2(session, path, onEvent))).rate;
  } finally {
    session.close();
  }

  // etcd: the same prefix, from the revision after kgate's round; the client parses each value as JSON.
  const fromRevision = String(Number(await currentRevision(ctx.raw)) + 1);
  const rawCounter = new DeliveryCounter(WATCHERS, UPDATES);
  const watchers: Watcher[] = [];
  let rawRate: number;
  try {
    progress(`watch: ${WATCHERS} raw etcd watchers, ${UPDATES} updates`);
    for (let w = 0; w < WATCHERS; w++) {
      const watcher = await ctx.raw.watch().prefix(podKey(NAMESPACE, '')).startRevision(fromRevision).create();
      watcher.on('put', (kv) => {
        JSON.parse(kv.value.toString('utf8')) as PodManifest;
        rawCounter.record(w);
      });
      watchers.push(watcher);
    }
    const started = await writeUpdates(ctx, 'etcd');
    const finished = await awaitDelivery(rawCounter, 'etcd watchers');
    rawRate = (WATCHERS * UPDATES) / ((finished - started) / 1000);
  } finally {
    await Promise.all(watchers.map((watcher) => watcher.cancel()));
  }

  report({
    ...WATCH_FIGURES[0],
    kgate: http1.rate,
    etcd: rawRate,
    note: `${WATCHERS} watchers × ${UPDATES} updates (etcd puts c=${WRITE_CONCURRENCY}); kgate: HTTPS streams; etcd: etcd3 watchers`,
  });
  report({
    ...WATCH_FIGURES[1],
    kgate: http2Rate,
    etcd: rawRate,
    note: `as above; kgate: ${WATCHERS} HTTP/2 streams on one connection (4 MiB stream, 1 GiB connection windows, as Go's client)`,
  });
  return { rssWithWatchersMb };
}
