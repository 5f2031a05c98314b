// Does a second kgate process on the same etcd raise throughput on this machine? Starts etcd and two kgate
// processes (each with its own watch cache, on its own port), then drives gets and creates with autocannon at a
// total concurrency of 64: all of it at one process, then split 32 + 32 across both at once. Prints one line per
// figure: `multiprocess: <name> one=<v> two=<v> ratio=<two/one>`. Not part of `make bench`; run with
// `node dist/bench/multiprocess.js` after `make build`.

import { rmSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdProcess } from '../test/support/etcd.js';
import { runAutocannon, type LoadResult } from './autocannon-load.js';
import { ensureNamespace } from './context.js';
import { KgateHttp } from './http.js';
import { freePort, prepareKgateHome, spawnKgate, type KgateHome, type KgateProcess } from './kgate-process.js';
import { cpuSeconds, findPid } from './memory.js';
import { podManifest } from './pod.js';
import { createRawClient } from './raw-etcd.js';
import { progress } from './report.js';

const CONCURRENCY = 64;
const GETS = 12_000;
const CREATES = 4_000;
const NAMESPACE = 'bench-multi';
const DEADLINE_MS = 180_000;

interface Resources {
  home?: KgateHome;
  etcd?: EtcdProcess;
  raw?: Etcd3;
  kgates: KgateProcess[];
  http?: KgateHttp;
}
const resources: Resources = { kgates: [] };

process.once('exit', () => {
  for (const dir of [resources.home?.dir, resources.etcd?.dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function teardown(): Promise<void> {
  resources.http?.close();
  for (const kgate of resources.kgates) await kgate.stop().catch(() => undefined);
  await resources.raw?.close();
  await resources.etcd?.stop().catch(() => undefined);
  await resources.home?.remove().catch(() => undefined);
}

let createBatch = 0;

/** Runs `total` requests split evenly over the given processes at once; the rate is the sum over all of them. */
async function drive(kgates: KgateProcess[], home: KgateHome, method: 'GET' | 'POST', total: number): Promise<LoadResult> {
  const connections = CONCURRENCY / kgates.length;
  const amount = total / kgates.length;
  const started = performance.now();
  const results = await Promise.all(
    kgates.map((kgate) => {
      const batch = createBatch++;
      const bodies =
        method === 'POST'
          ? Array.from({ length: amount + 2 * connections }, (_, i) => JSON.stringify(podManifest(NAMESPACE, `m-${batch}-${i}`)))
          : undefined;
      return runAutocannon({
        url:
          method === 'GET' ? `${kgate.url}/api/v1/namespaces/${NAMESPACE}/pods/target` : `${kgate.url}/api/v1/namespaces/${NAMESPACE}/pods`,
        token: home.token,
        connections,
        amount,
        method,
        ...(bodies && { bodies }),
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const ok = results.reduce((sum, r) => sum + r.ok, 0);
  return { perSecond: ok / seconds, ok, failed: results.reduce((sum, r) => sum + r.failed, 0) };
}

function cpuShares(pids: Record<string, number | undefined>): () => string {
  const before = Object.entries(pids).map(([name, pid]) => [name, pid, cpuSeconds(pid)] as const);
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    return before.map(([name, pid, used]) => `${name}=${Math.round((((cpuSeconds(pid) ?? 0) - (used ?? 0)) / seconds) * 100)}%`).join(' ');
  };
}

async function run(): Promise<void> {
  const home = (resources.home = await prepareKgateHome());
  const etcd = (resources.etcd = await startEtcd());
  resources.raw = createRawClient(etcd.endpoint);
  progress('multiprocess: starting two kgate processes');
  for (let i = 0; i < 2; i++) resources.kgates.push(await spawnKgate(home, etcd.endpoint, await freePort()));
  const [first, second] = resources.kgates;
  const http = (resources.http = new KgateHttp(first.url, home.token, home.caCert));
  await ensureNamespace(http, NAMESPACE);
  await http.json('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, podManifest(NAMESPACE, 'target'));
  // The second process's cache must hold the pod before its gets count.
  await new KgateHttp(second.url, home.token, home.caCert).json('GET', `/api/v1/namespaces/${NAMESPACE}/pods/target`);

  const pids = { kgate1: first.pid, kgate2: second.pid, etcd: findPid('etcd', etcd.dataDir), client: process.pid };
  for (const [method, total, name] of [
    ['GET', GETS, 'gets_per_s'],
    ['POST', CREATES, 'creates_per_s'],
  ] as const) {
    progress(`multiprocess: ${name} with one process`);
    let meter = cpuShares(pids);
    const one = await drive([first], home, method, total);
    const oneCpu = meter();
    progress(`multiprocess: ${name} with two processes`);
    meter = cpuShares(pids);
    const two = await drive([first, second], home, method, total);
    const twoCpu = meter();
    console.log(
      `multiprocess: ${name} one=${one.perSecond.toFixed(0)} two=${two.perSecond.toFixed(0)} ratio=${(two.perSecond / one.perSecond).toFixed(2)}` +
        ` failed=${one.failed}/${two.failed}`,
    );
    progress(`cpu one process: ${oneCpu}; two processes: ${twoCpu}`);
  }
}

async function main(): Promise<number> {
  const deadline = setTimeout(() => {
    progress('multiprocess: aborted at the deadline');
    void teardown().finally(() => process.exit(1));
  }, DEADLINE_MS);
  try {
    await run();
    return 0;
  } catch (error) {
    progress(`multiprocess failed: ${(error as Error).message}`);
    return 1;
  } finally {
    clearTimeout(deadline);
    await teardown();
  }
}

main().then((code) => process.exit(code));
