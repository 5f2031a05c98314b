// `make bench`: kgate against raw etcd in the same run, on loopback only. Starts a private etcd and kgate (as a
// child process), runs each scenario against both, prints one judged line per figure on stdout
// (`bench: <name> kgate=<v> etcd=<v> ratio=<r> target=<t> ok|short`, see report.ts) and `bench: N ok, N short`,
// and tears everything down whatever happens. Exit code 1 when a scenario failed (its figures print as short).
// KGATE_BENCH_NODE_ARGS (space-separated) passes Node flags to kgate, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".

import { rmSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdProcess } from '../test/support/etcd.js';
import { learnStoredPod, type BenchContext } from './context.js';
import { KgateHttp } from './http.js';
import { freePort, prepareKgateHome, spawnKgate, type KgateHome, type KgateProcess } from './kgate-process.js';
import { findPid, rssMb } from './memory.js';
import { createRawClient } from './raw-etcd.js';
import { budget, hasFailures, info, printSummary, progress, report, reportFailure, type Figure } from './report.js';
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
/** Lets start-up garbage settle before the idle memory reading. */
const IDLE_SETTLE_MS = 1_000;
const READYZ_EMPTY: Pick<Figure, 'name' | 'target'> = { name: 'readyz_empty_ms', target: budget(1_000) };
const READYZ_10K: Pick<Figure, 'name' | 'target'> = { name: 'readyz_10k_ms', target: budget(2_000) };
const KGATE_NODE_ARGS = (process.env.KGATE_BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
/** KGATE_BENCH_ARGS (space-separated) passes kgate flags, e.g. "--workers=2". */
const KGATE_ARGS = (process.env.KGATE_BENCH_ARGS ?? '').split(' ').filter((arg) => arg !== '');
/** BENCH_ONLY=churn,list runs only those scenarios (restart and cache-memory need list); for profiling. */
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

function etcdRssMb(etcd: EtcdProcess): number | undefined {
  return rssMb(findPid('etcd', etcd.dataDir));
}

async function startKgate(home: KgateHome, etcd: EtcdProcess, port: number): Promise<KgateProcess> {
  const kgate = await spawnKgate(home, etcd.endpoint, port, { nodeArgs: KGATE_NODE_ARGS, kgateArgs: KGATE_ARGS });
  resources.kgate = kgate;
  return kgate;
}

async function run(): Promise<void> {
  const home = (resources.home = await prepareKgateHome());
  progress('starting etcd and kgate');
  const etcd = (resources.etcd = await startEtcd());
  const raw = (resources.raw = createRawClient(etcd.endpoint));
  const port = await freePort();
  const kgate = await startKgate(home, etcd, port);
  report({ ...READYZ_EMPTY, kgate: kgate.readyMs, note: 'spawn → first 200 on /readyz, polled every 5 ms, empty etcd' });
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  info('rss_idle_mb', kgate.rssMb(), etcdRssMb(etcd), 'VmRSS of kgate and of etcd');

  const http = (resources.http = new KgateHttp(kgate.url, home.token, home.caCert));
  const ctx: BenchContext = { etcd, raw, home, kgate, http, storedPod: await learnStoredPod(http, raw) };

  // First, while kgate's heap is still small and quiet, so the RSS difference is the watchers' own.
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

  if (!filled) {
    if (!selected('list')) return;
    reportFailure('restart', [READYZ_10K, ...CACHE_MEMORY_FIGURES], new Error('the 10k pods were not stored'));
    return;
  }
  const restarted = await attempt('restart', [READYZ_10K], async () => {
    progress('restart: kgate with 10k pods stored');
    await ctx.kgate.stop();
    ctx.kgate = await startKgate(home, etcd, port);
    report({ ...READYZ_10K, kgate: ctx.kgate.readyMs, note: '10,000 pods stored; spawn → first 200 on /readyz' });
    return true;
  });
  if (restarted) await attempt('cache-memory', CACHE_MEMORY_FIGURES, () => benchCachedMemory(ctx));
  else reportFailure('cache-memory', CACHE_MEMORY_FIGURES, new Error('kgate did not restart'));
}

async function main(): Promise<number> {
  const began = performance.now();
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    progress(`aborted after ${RUN_DEADLINE_MS / 1000} s; figures not yet printed are missing`);
    printSummary(performance.now() - began);
    void teardown().finally(() => process.exit(1));
  }, RUN_DEADLINE_MS);
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
