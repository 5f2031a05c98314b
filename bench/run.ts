// `make bench`: kgate against raw etcd in the same run, on loopback only. Starts a private etcd and kgate (as a
// child process), runs each scenario against both, prints `bench: <name> kgate=<v> etcd=<v> ratio=<kgate/etcd>`
// lines and a summary, and tears everything down whatever happens. Exit code 1 when any scenario failed.

import { rmSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdProcess } from '../test/support/etcd.js';
import { learnStoredPod, type BenchContext } from './context.js';
import { KgateHttp } from './http.js';
import { freePort, prepareKgateHome, spawnKgate, type KgateHome, type KgateProcess } from './kgate-process.js';
import { findPid, rssMb } from './memory.js';
import { createRawClient } from './raw-etcd.js';
import { hasFailures, printSummary, progress, report, reportFailure } from './report.js';
import { benchCreates } from './scenarios/creates.js';
import { benchGets } from './scenarios/gets.js';
import { benchList, fillPods } from './scenarios/list.js';
import { benchUpdates } from './scenarios/updates.js';
import { benchWatch } from './scenarios/watch.js';

/** The whole run must end well inside this; past it everything is torn down and the run fails. */
const RUN_DEADLINE_MS = 240_000;
/** Lets start-up garbage settle before the idle memory reading. */
const IDLE_SETTLE_MS = 1_000;

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

async function attempt<T>(scenario: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    reportFailure(scenario, error);
    return undefined;
  }
}

function etcdRssMb(etcd: EtcdProcess): number | undefined {
  return rssMb(findPid('etcd', etcd.dataDir));
}

async function startKgate(home: KgateHome, etcd: EtcdProcess, port: number): Promise<KgateProcess> {
  const kgate = await spawnKgate(home, etcd.endpoint, port);
  resources.kgate = kgate;
  return kgate;
}

async function run(): Promise<void> {
  const home = (resources.home = await prepareKgateHome());
  progress('starting etcd and kgate');
  const etcdSpawned = performance.now();
  const etcd = (resources.etcd = await startEtcd());
  const etcdReadyMs = performance.now() - etcdSpawned;
  const raw = (resources.raw = createRawClient(etcd.endpoint));
  const port = await freePort();
  const kgate = await startKgate(home, etcd, port);
  report({
    name: 'readyz_empty_ms',
    kgate: kgate.readyMs,
    etcd: etcdReadyMs,
    note: 'spawn → first 200 on /readyz (kgate, 5 ms polls) vs /health (etcd, startEtcd 50 ms polls)',
  });
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  report({ name: 'rss_idle_mb', kgate: kgate.rssMb(), etcd: etcdRssMb(etcd), note: 'VmRSS of each process' });

  const http = (resources.http = new KgateHttp(kgate.url, home.token, home.caCert));
  const ctx: BenchContext = { etcd, raw, home, kgate, http, storedPod: await learnStoredPod(http, raw) };

  await attempt('creates', () => benchCreates(ctx));
  await attempt('gets', () => benchGets(ctx));
  await attempt('updates', () => benchUpdates(ctx));
  const filled = await attempt('list', async () => {
    await fillPods(ctx);
    await benchList(ctx);
    return true;
  });
  report({ name: 'rss_after_list_mb', kgate: ctx.kgate.rssMb(), etcd: etcdRssMb(etcd), note: 'VmRSS after the 10k lists' });

  const watch = await attempt('watch', () => benchWatch(ctx));
  if (watch) report({ name: 'rss_watchers_mb', kgate: watch.rssWithWatchersMb, etcd: etcdRssMb(etcd), note: 'VmRSS with 100 watchers open' });

  if (filled) {
    await attempt('restart', async () => {
      progress('restart: etcd then kgate with 10k pods stored');
      await ctx.kgate.stop();
      const restarted = performance.now();
      await etcd.restart();
      const etcdRestartMs = performance.now() - restarted;
      ctx.kgate = await startKgate(home, etcd, port);
      report({
        name: 'readyz_10k_ms',
        kgate: ctx.kgate.readyMs,
        etcd: etcdRestartMs,
        note: '10,000 pods stored; restart → ready, as readyz_empty_ms',
      });
    });
  }
}

async function main(): Promise<number> {
  const began = performance.now();
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    console.log(`bench: aborted after ${RUN_DEADLINE_MS / 1000} s`);
    void teardown().finally(() => process.exit(1));
  }, RUN_DEADLINE_MS);
  try {
    await run();
  } catch (error) {
    reportFailure('setup', error);
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
