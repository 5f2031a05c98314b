// `make bench`: kgate against raw etcd in the same run, on loopback only. Starts a private etcd and kgate (as a
// child process), runs each scenario against both, prints one judged line per figure on stdout
// (`bench: <name> kgate=<v> etcd=<v> ratio=<r> target=<t> ok|short`, see report.ts) and `bench: N ok, N short`,
// and tears everything down whatever happens. When `make reference` has built kube-apiserver, every scenario runs
// on it first, over its own fresh etcd, and the lines gain kube= and ratio_kube= (judged against it).
// Exit code 1 when a scenario failed (its figures print as short).
// KGATE_BENCH_NODE_ARGS (space-separated) passes Node flags to kgate, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".

import { rmSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdProcess } from '../test/support/etcd.js';
import { HOW_TO_BUILD, referenceBinary, startReference, startReferenceEtcd, type ReferenceServer } from '../test/support/reference.js';
import { learnServedPod, learnStoredPod, type BenchContext } from './context.js';
import { KgateHttp } from './http.js';
import { freePort, prepareKgateHome, spawnKgate, type KgateHome, type KgateProcess } from './kgate-process.js';
import { cpuSeconds, findPid, rssMb } from './memory.js';
import { createRawClient } from './raw-etcd.js';
import { beginPeerPhase, budget, endPeerPhase, hasFailures, info, printSummary, progress, report, reportFailure, type Figure } from './report.js';
import { benchCachedMemory, CACHE_MEMORY_FIGURES } from './scenarios/cache-memory.js';
import { benchChurn, CHURN_FIGURES } from './scenarios/churn.js';
import { benchCreates, CREATE_FIGURES } from './scenarios/creates.js';
import { benchGets, GET_FIGURES } from './scenarios/gets.js';
import { benchIdleWatchers, IDLE_WATCHER_FIGURES } from './scenarios/idle-watchers.js';
import { benchList, fillPods, LIST_FIGURES } from './scenarios/list.js';
import { benchUpdates, UPDATE_FIGURES } from './scenarios/updates.js';
import { benchWatch, WATCH_FIGURES } from './scenarios/watch.js';

/** The whole run must end well inside this; past it everything is torn down and the run fails. */
const RUN_DEADLINE_MS = 230_000;
/** What the kube-apiserver peer adds to the deadline when it is built (it runs every scenario too). */
const PEER_DEADLINE_MS = 300_000;
/** Lets start-up garbage settle before the idle memory reading. */
const IDLE_SETTLE_MS = 1_000;
const READYZ_EMPTY: Pick<Figure, 'name' | 'target'> = { name: 'readyz_empty_ms', target: budget(1_000) };
const READYZ_10K: Pick<Figure, 'name' | 'target'> = { name: 'readyz_10k_ms', target: budget(2_000) };
const KGATE_NODE_ARGS = (process.env.KGATE_BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
/** KGATE_BENCH_ARGS (space-separated) passes kgate flags, e.g. "--workers=2". */
const KGATE_ARGS = (process.env.KGATE_BENCH_ARGS ?? '').split(' ').filter((arg) => arg !== '');
/**
 * BENCH_ONLY=churn,list runs only those scenarios (restart and cache-memory need list); for profiling. Add `peer`
 * to measure them on the reference kube-apiserver as well (always on when BENCH_ONLY is unset and it is built).
 */
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').filter((name) => name !== ''));
const selected = (scenario: string): boolean => ONLY.size === 0 || ONLY.has(scenario);

interface Resources {
  home?: KgateHome;
  etcd?: EtcdProcess;
  raw?: Etcd3;
  kgate?: KgateProcess;
  http?: KgateHttp;
}

const resources: Resources = {};

// Last resort on signals and crashes: test/support/etcd.ts kills etcd and kgate-process.ts kills kgate on exit;
// the temp dirs go here.
process.once('exit', () => {
  for (const dir of [resources.home?.dir, resources.etcd?.dataDir]) {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

async function teardown(): Promise<void> {
  const steps: Array<() => unknown> = [
    () => resources.http?.close(),
    () => resources.kgate?.stop(),
    () => resources.raw?.close(),
    () => resources.etcd?.stop(),
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

async function attempt<T>(scenario: string, figures: Array<Pick<Figure, 'name' | 'target'>>, run: () => Promise<T>): Promise<T | undefined> {
  if (!selected(scenario)) return undefined;
  try {
    return await run();
  } catch (error) {
    reportFailure(scenario, figures, error);
    return undefined;
  }
}

function etcdRssMb(etcd: EtcdProcess): number | undefined {
  return rssMb(findPid('etcd', etcd.dataDir));
}

async function startKgate(home: KgateHome, etcd: EtcdProcess, port: number): Promise<KgateProcess> {
  const kgate = await spawnKgate(home, etcd.endpoint, port, { nodeArgs: KGATE_NODE_ARGS, kgateArgs: KGATE_ARGS });
  resources.kgate = kgate;
  return kgate;
}

/** A server under test as the scenarios see it: the process, and the token and CA to reach it. */
interface Launched {
  process: KgateProcess;
  home: KgateHome;
}

/**
 * Every scenario against one server over `etcd`. `launch` starts (and, for the restart figures, restarts) the
 * server; `learnPod` says what a stored pod looks like for raw fills.
 */
async function runScenarios(label: string, etcd: EtcdProcess, raw: Etcd3, launch: () => Promise<Launched>, learnPod: (http: KgateHttp) => Promise<BenchContext['storedPod']>): Promise<void> {
  const first = await launch();
  report({ ...READYZ_EMPTY, kgate: first.process.readyMs, note: 'spawn → first 200 on /readyz, empty etcd' });
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  info('rss_idle_mb', first.process.rssMb(), etcdRssMb(etcd), 'VmRSS of the server and of etcd');

  const http = new KgateHttp(first.process.url, first.home.token, first.home.caCert);
  resources.http = http;
  const ctx: BenchContext = { etcd, raw, home: first.home, kgate: first.process, http, storedPod: await learnPod(http) };
  const cpu = cpuTotals(ctx, label);

  // First, while the server's heap is still small and quiet, so the RSS difference is the watchers' own.
  await attempt('idle-watchers', IDLE_WATCHER_FIGURES, () => benchIdleWatchers(ctx));
  await attempt('creates', CREATE_FIGURES, () => benchCreates(ctx));
  await attempt('gets', GET_FIGURES, () => benchGets(ctx));
  await attempt('updates', UPDATE_FIGURES, () => benchUpdates(ctx));
  await attempt('churn', CHURN_FIGURES, () => benchChurn(ctx));
  const filled = await attempt('list', LIST_FIGURES, async () => {
    await fillPods(ctx);
    await benchList(ctx);
    return true;
  });
  info('rss_after_list_mb', ctx.kgate.rssMb(), etcdRssMb(etcd), 'VmRSS after the 10k lists');
  const watch = await attempt('watch', WATCH_FIGURES, () => benchWatch(ctx));
  if (watch) info('rss_watchers_mb', watch.rssWithWatchersMb, etcdRssMb(etcd), 'VmRSS with 100 watchers open');
  cpu();

  if (!filled) {
    if (!selected('list')) return;
    reportFailure('restart', [READYZ_10K, ...CACHE_MEMORY_FIGURES], new Error('the 10k pods were not stored'));
    return;
  }
  const restarted = await attempt('restart', [READYZ_10K], async () => {
    progress('restart: the server with 10k pods stored');
    await ctx.kgate.stop();
    const next = await launch();
    ctx.kgate = next.process;
    ctx.home = next.home;
    ctx.http = new KgateHttp(next.process.url, next.home.token, next.home.caCert);
    resources.http = ctx.http;
    report({ ...READYZ_10K, kgate: ctx.kgate.readyMs, note: '10,000 pods stored; spawn → first 200 on /readyz' });
    return true;
  });
  if (restarted) await attempt('cache-memory', CACHE_MEMORY_FIGURES, () => benchCachedMemory(ctx));
  else reportFailure('cache-memory', CACHE_MEMORY_FIGURES, new Error('the server did not restart'));
}

/** CPU seconds the server, its etcd and this load generator used over the scenarios, on stderr. */
function cpuTotals(ctx: BenchContext, label: string): () => void {
  const pids = { [label]: ctx.kgate.pid, etcd: findPid('etcd', ctx.etcd.dataDir), client: process.pid };
  const before = Object.entries(pids).map(([name, pid]) => [name, pid, cpuSeconds(pid)] as const);
  return () => {
    const used = before.map(([name, pid, was]) => {
      const now = cpuSeconds(pid);
      return `${name}=${now === undefined || was === undefined ? 'n/a' : `${(now - was).toFixed(1)}s`}`;
    });
    progress(`cpu seconds over the scenarios before restart: ${used.join(' ')}`);
  };
}

async function runKgate(): Promise<void> {
  const home = (resources.home = await prepareKgateHome());
  progress('starting etcd and kgate');
  const etcd = (resources.etcd = await startEtcd());
  const raw = (resources.raw = createRawClient(etcd.endpoint));
  const port = await freePort();
  await runScenarios('kgate', etcd, raw, async () => ({ process: await startKgate(home, etcd, port), home }), (http) => learnStoredPod(http, raw));
}

/**
 * The same scenarios against the reference kube-apiserver (`make reference`) over its own fresh etcd (the version
 * kube pins, see startReferenceEtcd: kgate's etcd is Debian's 3.4, so the raw etcd column stays kgate's), with the
 * etcd prefix /registry so raw fills land where it reads. Figures are kept for the kgate lines (report.ts).
 */
async function runPeer(): Promise<void> {
  progress('peer: starting etcd and the reference kube-apiserver');
  const etcd = await startReferenceEtcd();
  const raw = createRawClient(etcd.endpoint);
  let current: ReferenceServer | undefined;
  beginPeerPhase();
  try {
    const launch = async (): Promise<Launched> => {
      const server = (current = await startReference({ etcd, prefix: '/registry' }));
      const home: KgateHome = { dir: '', token: server.token, caCert: server.ca, certFile: '', keyFile: '', tokenFile: '', remove: async () => undefined };
      return { home, process: { pid: server.pid, url: server.url, readyMs: server.readyMs, rssMb: () => rssMb(server.pid), stop: () => server.close() } };
    };
    await runScenarios('kube-apiserver', etcd, raw, launch, (http) => learnServedPod(http));
  } finally {
    endPeerPhase();
    resources.http?.close();
    resources.http = undefined;
    await current?.close().catch(() => undefined);
    await raw.close();
    await etcd.stop();
  }
}

async function run(): Promise<void> {
  if (referenceBinary() && selected('peer')) await runPeer();
  else progress(`no kube-apiserver peer: ${HOW_TO_BUILD}`);
  await runKgate();
}

async function main(): Promise<number> {
  const began = performance.now();
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    progress(`aborted after ${RUN_DEADLINE_MS / 1000} s; figures not yet printed are missing`);
    printSummary(performance.now() - began);
    void teardown().finally(() => process.exit(1));
  }, RUN_DEADLINE_MS + (referenceBinary() && selected('peer') ? PEER_DEADLINE_MS : 0));
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
