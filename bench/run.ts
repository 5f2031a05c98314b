// `make bench`: kgate against the reference kube-apiserver and raw etcd in the same run, on loopback only. Starts a
// private etcd and kgate (as a child process), and, when `make reference` built it, kube-apiserver over its own fresh
// etcd (test/support/reference.ts, as kube's integration tests start it, default flags and watch cache). Each
// scenario measures the two servers one after the other, never at once, alternating which goes first (sides.ts),
// then raw etcd (kgate's etcd, the etcd3 client). It prints one judged line per figure on stdout and the CPU
// seconds each process used for it (see report.ts), then `bench: N ok, N short`, and tears everything down
// whatever happens. Exit code 1 when a scenario failed (its figures print as short). Without the reference binary
// (or with KGATE_BENCH_PEER=off) the peer columns print `-` and the figures keep their targets against raw etcd.
// KGATE_BENCH_NODE_ARGS (space-separated) passes Node flags to kgate, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startEtcd, type EtcdProcess } from '../test/support/etcd.js';
import { referenceBinary, startReference, type ReferenceServer } from '../test/support/reference.js';
import { learnStoredPod, type BenchContext, type KgateContext, type ServerProcess } from './context.js';
import { KgateHttp } from './http.js';
import { BENCH_USER, freePort, prepareKgateHome, spawnKgate, type KgateHome } from './kgate-process.js';
import { cpuSeconds, findPid, rssMb, settledRssMb } from './memory.js';
import { createRawClient } from './raw-etcd.js';
import { budget, hasFailures, info, printSummary, progress, report, reportFailure, setPeer, type CpuSplit, type Figure } from './report.js';
import { benchCachedMemory, CACHE_MEMORY_FIGURES } from './scenarios/cache-memory.js';
import { benchChurn, CHURN_FIGURES } from './scenarios/churn.js';
import { benchCreates, CREATE_FIGURES } from './scenarios/creates.js';
import { benchRbac, RBAC_FIGURES } from './scenarios/rbac.js';
import { ADMISSION_FIGURES, benchAdmission } from './scenarios/admission.js';
import { benchGets, GET_FIGURES } from './scenarios/gets.js';
import { benchIdleWatchers, IDLE_WATCHER_FIGURES } from './scenarios/idle-watchers.js';
import { benchList, fillPods, LIST_FIGURES } from './scenarios/list.js';
import { benchUpdates, UPDATE_FIGURES } from './scenarios/updates.js';
import { benchWatch, WATCH_FIGURES } from './scenarios/watch.js';
import { meterCpu, onEachServer, type Sides } from './sides.js';

/** The whole run must end well inside this; past it everything is torn down and the run fails. */
const RUN_DEADLINE_MS = 230_000;
/** With kube-apiserver beside kgate every scenario runs twice, and kube-apiserver takes a while to start. */
const PEER_RUN_DEADLINE_MS = 720_000;
/** Lets start-up garbage settle before the idle memory reading. */
const IDLE_SETTLE_MS = 1_000;
/** kgate's start is polled this often; kube-apiserver's too, so neither time to ready is rounded up more. */
const READY_POLL_MS = 5;
/** kube-apiserver's own etcd is fresh, so it keeps kube's default prefix, the same key layout as kgate's. */
const KUBE_PREFIX = '/registry';
const READYZ_EMPTY: Pick<Figure, 'name' | 'target'> = { name: 'readyz_empty_ms', target: budget(1_000) };
const READYZ_10K: Pick<Figure, 'name' | 'target'> = { name: 'readyz_10k_ms', target: budget(2_000) };
const KGATE_NODE_ARGS = (process.env.KGATE_BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
/** KGATE_BENCH_ARGS (space-separated) passes kgate flags, e.g. "--workers=2". */
const KGATE_ARGS = (process.env.KGATE_BENCH_ARGS ?? '').split(' ').filter((arg) => arg !== '');
/** BENCH_ONLY=churn,list runs only those scenarios (restart and cache-memory need list); for profiling. */
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').filter((name) => name !== ''));
const selected = (scenario: string): boolean => ONLY.size === 0 || ONLY.has(scenario);
/** KGATE_BENCH_PEER=off leaves kube-apiserver out even when it is built (a quicker kgate-only run). */
const PEER_BINARY = process.env.KGATE_BENCH_PEER === 'off' ? undefined : referenceBinary();

interface Resources {
  home?: KgateHome;
  etcd?: EtcdProcess;
  kubeEtcd?: EtcdProcess;
  sides: Partial<Sides>;
}

const resources: Resources = { sides: {} };

// Last resort on signals and crashes: test/support/etcd.ts kills etcd, kgate-process.ts kgate and reference.ts
// kube-apiserver on exit; the temp dirs go here.
process.once('exit', () => {
  for (const dir of [resources.home?.dir, resources.etcd?.dataDir, resources.kubeEtcd?.dataDir]) {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

async function teardown(): Promise<void> {
  const { kgate, kube } = resources.sides;
  const steps: Array<() => unknown> = [
    () => kgate?.http.close(),
    () => kgate?.server.stop(),
    () => kgate?.raw.close(),
    () => kube?.http.close(),
    () => kube?.server.stop(),
    () => kube?.raw.close(),
    () => resources.etcd?.stop(),
    () => resources.kubeEtcd?.stop(),
    () => resources.home?.remove(),
  ];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      progress(`teardown: ${(error as Error).message}`);
    }
  }
}

async function attempt<T>(
  scenario: string,
  figures: Array<Pick<Figure, 'name' | 'target'>>,
  run: () => Promise<T>,
): Promise<T | undefined> {
  if (!selected(scenario)) return undefined;
  try {
    return await run();
  } catch (error) {
    reportFailure(scenario, figures, error);
    return undefined;
  }
}

function etcdRssMb(ctx: BenchContext | undefined): number | undefined {
  return ctx ? rssMb(ctx.etcdPid) : undefined;
}

/**
 * Starts (or restarts) a server and meters it: its CPU is all it used since spawn, its etcd's is what the etcd used
 * meanwhile (serving the server's initial lists and watches).
 */
async function metered(
  ctx: Pick<BenchContext, 'side' | 'etcdPid'>,
  start: () => Promise<ServerProcess>,
): Promise<{ server: ServerProcess; cpu: CpuSplit }> {
  const etcdMeter = meterCpu({ [`${ctx.side}_etcd`]: ctx.etcdPid });
  const server = await start();
  return { server, cpu: { [ctx.side]: cpuSeconds(server.pid), ...etcdMeter() } };
}

async function kgateSide(): Promise<{ ctx: KgateContext; cpu: CpuSplit }> {
  const home = (resources.home = await prepareKgateHome());
  const etcd = (resources.etcd = await startEtcd());
  const raw = createRawClient(etcd.endpoint);
  const port = await freePort();
  const spawn = (): Promise<ServerProcess> => spawnKgate(home, etcd.endpoint, port, { nodeArgs: KGATE_NODE_ARGS, kgateArgs: KGATE_ARGS });
  const etcdPid = findPid('etcd', etcd.dataDir);
  const { server, cpu } = await metered({ side: 'kgate', etcdPid }, spawn);
  const http = new KgateHttp(server.url, home.token, home.caCert);
  const ctx: KgateContext = {
    side: 'kgate',
    etcd,
    etcdPid,
    raw,
    server,
    token: home.token,
    userToken: home.userToken,
    http,
    storedPod: () => Buffer.alloc(0),
    async restart() {
      await ctx.server.stop();
      ctx.server = await spawn();
    },
  };
  resources.sides.kgate = ctx;
  ctx.storedPod = await learnStoredPod(http, raw);
  return { ctx, cpu };
}

function referenceProcess(reference: ReferenceServer): ServerProcess {
  return {
    pid: reference.pid,
    url: reference.url,
    readyMs: reference.readyMs,
    rssMb: () => rssMb(reference.pid),
    stop: () => reference.close(),
  };
}

async function kubeSide(): Promise<{ ctx: BenchContext; cpu: CpuSplit }> {
  const etcd = (resources.kubeEtcd = await startEtcd());
  const etcdPid = findPid('etcd', etcd.dataDir);
  let reference: ReferenceServer | undefined;
  const userToken = randomBytes(24).toString('hex');
  const spawn = async (): Promise<ServerProcess> => {
    reference = await startReference({
      etcd,
      prefix: KUBE_PREFIX,
      readyPollMs: READY_POLL_MS,
      tokens: [{ token: userToken, user: BENCH_USER, uid: BENCH_USER, groups: [] }],
      // kube's default admission plugins, as kgate runs them: pods get the same token volume on both servers.
      serviceAccountAdmission: true,
    });
    return referenceProcess(reference);
  };
  const { server, cpu } = await metered({ side: 'kube', etcdPid }, spawn);
  const connect = (ref: ReferenceServer): KgateHttp => new KgateHttp(ref.url, ref.token, ref.ca);
  const ctx: BenchContext = {
    side: 'kube',
    etcd,
    etcdPid,
    raw: createRawClient(etcd.endpoint),
    server,
    token: reference!.token,
    userToken,
    http: connect(reference!),
    async restart() {
      ctx.http.close();
      await ctx.server.stop();
      ctx.server = await spawn();
      ctx.token = reference!.token;
      ctx.http = connect(reference!);
    },
  };
  resources.sides.kube = ctx;
  return { ctx, cpu };
}

/** Restarts both servers over their stored data, one after the other in alternating order, and times them. */
async function restartBoth(sides: Sides): Promise<void> {
  const order = sides.kube ? [sides.kube, sides.kgate] : [sides.kgate];
  let cpu: CpuSplit = {};
  for (const ctx of order) {
    progress(`restart: ${ctx.side} with 10k pods stored`);
    cpu = { ...cpu, ...(await metered(ctx, async () => (await ctx.restart(), ctx.server))).cpu };
  }
  report({
    ...READYZ_10K,
    kgate: sides.kgate.server.readyMs,
    kube: sides.kube?.server.readyMs,
    cpu: { kgate: cpu.kgate, kgate_etcd: cpu.kgate_etcd, ...(sides.kube && { kube: cpu.kube, kube_etcd: cpu.kube_etcd }) },
    note: `10,000 pods stored; spawn → first 200 on /readyz, polled every ${READY_POLL_MS} ms${sides.kube ? '; kube-apiserver restarted first' : ''}`,
  });
}

async function run(): Promise<void> {
  progress('starting etcd and kgate');
  const kgate = await kgateSide();
  let kube: { ctx: BenchContext; cpu: CpuSplit } | undefined;
  if (PEER_BINARY) {
    progress(`starting etcd and kube-apiserver (${PEER_BINARY})`);
    kube = await kubeSide();
  } else {
    progress('no reference kube-apiserver (`make reference` builds it): kube=- and figures judged against raw etcd');
  }
  setPeer(kube !== undefined);
  const sides: Sides = { kgate: kgate.ctx, ...(kube && { kube: kube.ctx }) };
  report({
    ...READYZ_EMPTY,
    kgate: sides.kgate.server.readyMs,
    kube: sides.kube?.server.readyMs,
    cpu: { ...kgate.cpu, ...kube?.cpu },
    note: `spawn → first 200 on /readyz, polled every ${READY_POLL_MS} ms, empty etcd; kgate started first`,
  });
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  const idle = await onEachServer(sides, (ctx) => settledRssMb(ctx.server.pid));
  info('rss_idle_mb', idle.kgate, undefined, 'settled VmRSS of each server', idle.kube);
  info('rss_idle_etcd_mb', etcdRssMb(sides.kgate), undefined, "VmRSS of each server's etcd", etcdRssMb(sides.kube));

  // First, while the heaps are still small and quiet, so the RSS difference is the watchers' own.
  await attempt('idle-watchers', IDLE_WATCHER_FIGURES, () => benchIdleWatchers(sides));
  await attempt('creates', CREATE_FIGURES, () => benchCreates(sides));
  await attempt('gets', GET_FIGURES, () => benchGets(sides));
  await attempt('updates', UPDATE_FIGURES, () => benchUpdates(sides));
  await attempt('rbac', RBAC_FIGURES, () => benchRbac(sides));
  await attempt('admission', ADMISSION_FIGURES, () => benchAdmission(sides));
  await attempt('churn', CHURN_FIGURES, () => benchChurn(sides));
  const filled = await attempt('list', LIST_FIGURES, async () => {
    await fillPods(sides.kgate);
    if (sides.kube) await fillPods(sides.kube);
    await benchList(sides);
    return true;
  });
  info('rss_after_list_mb', sides.kgate.server.rssMb(), etcdRssMb(sides.kgate), 'VmRSS after the 10k lists', sides.kube?.server.rssMb());
  const watch = await attempt('watch', WATCH_FIGURES, () => benchWatch(sides));
  if (watch)
    info('rss_watchers_mb', watch.rssWithWatchersMb, etcdRssMb(sides.kgate), 'VmRSS with 100 watchers open', watch.kubeRssWithWatchersMb);

  if (!filled) {
    if (!selected('list')) return;
    reportFailure('restart', [READYZ_10K, ...CACHE_MEMORY_FIGURES], new Error('the 10k pods were not stored'));
    return;
  }
  const restarted = await attempt('restart', [READYZ_10K], async () => {
    await restartBoth(sides);
    return true;
  });
  if (restarted) await attempt('cache-memory', CACHE_MEMORY_FIGURES, () => benchCachedMemory(sides));
  else reportFailure('cache-memory', CACHE_MEMORY_FIGURES, new Error('a server did not restart'));
}

async function main(): Promise<number> {
  const began = performance.now();
  let timedOut = false;
  const deadlineMs = PEER_BINARY ? PEER_RUN_DEADLINE_MS : RUN_DEADLINE_MS;
  const deadline = setTimeout(() => {
    timedOut = true;
    progress(`aborted after ${deadlineMs / 1000} s; figures not yet printed are missing`);
    printSummary(performance.now() - began);
    void teardown().finally(() => process.exit(1));
  }, deadlineMs);
  try {
    await run();
  } catch (error) {
    reportFailure('setup', [], error);
  } finally {
    clearTimeout(deadline);
    if (!timedOut) await teardown();
  }
  printSummary(performance.now() - began);
  return hasFailures() ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
