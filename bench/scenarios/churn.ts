// Churn at ten times Kubernetes' largest density test: 500 pod creates/s and 300 deletes/s, with 500 gets/s of
// single pods and 50 small lists/s (a label selector matching 10 of 100 pods), open-loop for 20 s. Reports p99
// latency of writes (creates and deletes) and of single-object reads, for each server over HTTPS and for the same
// operation mix issued straight to etcd (create-if-absent txn, delete-at-revision txn, one-key range, prefix
// range + parse + label filter).

import { ensureNamespace, rawKey, type BenchContext, type KgateContext } from '../context.js';
import { podManifest } from '../pod.js';
import { runOpenLoop, quantile, type OpenLoopStream, type StreamOutcome } from '../open-loop.js';
import { createIfAbsentAt, deleteIfAt, getValue, putValue, rangeParsed } from '../raw-etcd.js';
import { budget, info, progress, report, type Figure } from '../report.js';
import { onEachServer, onRawEtcd, seedPods, type Sides } from '../sides.js';

const WRITE_NAMESPACE = 'bench-churn';
const READ_NAMESPACE = 'bench-churn-read';
const CREATES_PER_S = 500;
const DELETES_PER_S = 300;
const GETS_PER_S = 500;
const LISTS_PER_S = 50;
const DURATION_MS = 20_000;
const MAX_IN_FLIGHT = 128;
const DRAIN_MS = 15_000;
/** Pods that exist before the churn starts, so deletes have targets from the first second. */
const SEEDED = 500;
const READ_PODS = 100;
const SHARDS = 10;

export const CHURN_FIGURES: Array<Pick<Figure, 'name' | 'target'>> = [
  { name: 'churn_write_p99_ms', target: budget(100) },
  { name: 'churn_get_p99_ms', target: budget(20) },
];

/** The operations one side (a server or raw etcd) offers to the churn. */
interface ChurnTarget {
  create(name: string): Promise<boolean>;
  remove(name: string): Promise<boolean>;
  get(name: string): Promise<boolean>;
  listShard(shard: number): Promise<boolean>;
}

const seededName = (i: number): string => `seed-${i}`;
const readName = (i: number): string => `r-${i}`;
const shardLabels = (i: number): Record<string, string> => ({ shard: String(i % SHARDS) });

function serverTarget(ctx: BenchContext): ChurnTarget {
  const pods = (namespace: string): string => `/api/v1/namespaces/${namespace}/pods`;
  return {
    create: async (name) => (await ctx.http.request('POST', pods(WRITE_NAMESPACE), podManifest(WRITE_NAMESPACE, name))).status === 201,
    remove: async (name) => (await ctx.http.request('DELETE', `${pods(WRITE_NAMESPACE)}/${name}`)).status === 200,
    get: async (name) => (await ctx.http.request('GET', `${pods(READ_NAMESPACE)}/${name}`)).status === 200,
    listShard: async (shard) => (await ctx.http.request('GET', `${pods(READ_NAMESPACE)}?labelSelector=shard%3D${shard}`)).status === 200,
  };
}

interface LabelledPod {
  metadata: { labels?: Record<string, string> };
}

function rawTarget(ctx: KgateContext): ChurnTarget {
  const revisions = new Map<string, string>();
  return {
    create: async (name) => {
      revisions.set(name, await createIfAbsentAt(ctx.raw, rawKey(WRITE_NAMESPACE, name), ctx.storedPod(WRITE_NAMESPACE, name)));
      return true;
    },
    remove: async (name) => {
      const revision = revisions.get(name);
      if (revision === undefined) return false;
      await deleteIfAt(ctx.raw, rawKey(WRITE_NAMESPACE, name), revision);
      return true;
    },
    get: async (name) => (await getValue(ctx.raw, rawKey(READ_NAMESPACE, name))).length > 0,
    listShard: async (shard) => {
      const pods = await rangeParsed<LabelledPod>(ctx.raw, rawKey(READ_NAMESPACE, ''));
      return pods.filter((pod) => pod.metadata.labels?.shard === String(shard)).length > 0;
    },
  };
}

interface ChurnOutcome {
  writeP99: number;
  getP99: number;
  outcomes: Map<string, StreamOutcome>;
}

async function churn(target: ChurnTarget, seeded: string[], side: string): Promise<ChurnOutcome> {
  // Deletes take the oldest pod known to exist: the seeded ones, then those this run created.
  const deletable = [...seeded];
  let nextDeletable = 0;
  const streams: OpenLoopStream[] = [
    {
      name: 'create',
      perSecond: CREATES_PER_S,
      operation: async (i) => {
        const name = `${side}-${i}`;
        const created = await target.create(name);
        if (created) deletable.push(name);
        return created;
      },
    },
    {
      name: 'delete',
      perSecond: DELETES_PER_S,
      operation: async () => (nextDeletable < deletable.length ? target.remove(deletable[nextDeletable++]) : false),
    },
    { name: 'get', perSecond: GETS_PER_S, operation: (i) => target.get(readName((i * 37) % READ_PODS)) },
    { name: 'list', perSecond: LISTS_PER_S, operation: (i) => target.listShard(i % SHARDS) },
  ];
  const outcomes = await runOpenLoop(streams, { durationMs: DURATION_MS, maxInFlight: MAX_IN_FLIGHT, drainMs: DRAIN_MS });
  const of = (name: string): StreamOutcome => outcomes.get(name) as StreamOutcome;
  return {
    writeP99: quantile([...of('create').latencies, ...of('delete').latencies], 0.99),
    getP99: quantile(of('get').latencies, 0.99),
    outcomes,
  };
}

function describe(outcomes: Map<string, StreamOutcome>): string {
  return [...outcomes]
    .map(
      ([name, o]) =>
        `${name} ${o.achievedPerSecond.toFixed(0)}/s p50=${quantile(o.latencies, 0.5).toFixed(1)} p99=${quantile(o.latencies, 0.99).toFixed(1)} err=${o.errors} dropped=${o.dropped}`,
    )
    .join('; ');
}

export async function benchChurn(sides: Sides): Promise<void> {
  const seeded = Array.from({ length: SEEDED }, (_, i) => seededName(i));
  const servers = await onEachServer(sides, async (ctx) => {
    await ensureNamespace(ctx.http, WRITE_NAMESPACE);
    await ensureNamespace(ctx.http, READ_NAMESPACE);
    await seedPods(
      ctx,
      WRITE_NAMESPACE,
      seeded.map((name) => ({ name })),
    );
    await seedPods(
      ctx,
      READ_NAMESPACE,
      Array.from({ length: READ_PODS }, (_, i) => ({ name: readName(i), labels: shardLabels(i) })),
    );
    // A consistent read: the cache has seen every seed before the clock starts.
    await ctx.http.json('GET', `/api/v1/namespaces/${READ_NAMESPACE}/pods?limit=1`);
    progress(
      `churn: ${ctx.side}, ${DURATION_MS / 1000} s open-loop (${CREATES_PER_S} creates/s, ${DELETES_PER_S} deletes/s, ${GETS_PER_S} gets/s, ${LISTS_PER_S} lists/s)`,
    );
    return churn(serverTarget(ctx), seeded, ctx.side === 'kgate' ? 'k' : 'kube');
  });

  const { kgate: ctx } = sides;
  const rawTargets = rawTarget(ctx);
  await Promise.all(seeded.map((name) => rawTargets.create(name)));
  await Promise.all(
    Array.from({ length: READ_PODS }, (_, i) =>
      putValue(ctx.raw, rawKey(READ_NAMESPACE, readName(i)), ctx.storedPod(READ_NAMESPACE, readName(i), shardLabels(i))),
    ),
  );
  progress(`churn: raw etcd, same schedule`);
  const raw = await onRawEtcd(sides, () => churn(rawTargets, seeded, 'e'));

  const cpu = { ...servers.cpu, ...raw.cpu };
  const kube = servers.kube;
  report({
    ...CHURN_FIGURES[0],
    kgate: servers.kgate.writeP99,
    kube: kube?.writeP99,
    etcd: raw.result.writeP99,
    cpu,
    note: `kgate: ${describe(servers.kgate.outcomes)}`,
  });
  report({
    ...CHURN_FIGURES[1],
    kgate: servers.kgate.getP99,
    kube: kube?.getP99,
    etcd: raw.result.getP99,
    cpu,
    note: `${kube ? `kube: ${describe(kube.outcomes)}; ` : ''}etcd: ${describe(raw.result.outcomes)}`,
  });
  const listP99 = (outcome: ChurnOutcome | undefined): number | undefined =>
    outcome ? quantile(outcome.outcomes.get('list')?.latencies ?? [], 0.99) : undefined;
  info('churn_list_p99_ms', listP99(servers.kgate), listP99(raw.result), 'small lists, 10 of 100 pods', listP99(kube));
}
