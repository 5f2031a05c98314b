// Starts real etcd processes for integration tests: free loopback ports, a temp data dir, logs in that dir.
// Every process started here is killed when the test process exits, whatever way it exits.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtcdProcess {
  /** Client URL, e.g. http://127.0.0.1:41234. */
  endpoint: string;
  dataDir: string;
  /** Kills etcd and removes its data dir. */
  stop(): Promise<void>;
  /** Kills etcd and starts it again on the same ports and data (the data survives). */
  restart(): Promise<void>;
}

export interface StartEtcdOptions {
  /** Reuse this data dir (it is still removed by stop()). Default: a fresh mkdtemp dir. */
  dataDir?: string;
  /** Extra etcd flags, e.g. ['--auto-compaction-retention=1']. */
  extraArgs?: string[];
  /** The etcd executable; default `etcd` on PATH. The reference kube-apiserver runs on the etcd it pins. */
  binary?: string;
}

const READY_DEADLINE_MS = 30_000;
const running = new Set<ChildProcess>();

function killAllSync(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

process.once('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllSync();
    process.exit(130);
  });
}

/** Kills every etcd this module started; call from a root `after` hook or a suite's `after`. */
export async function stopAllEtcd(): Promise<void> {
  const children = [...running];
  await Promise.all(children.map((child) => killAndWait(child)));
}

/** Mocha root hooks (`--require dist/test/support/etcd.js` picks these up). */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopAllEtcd();
  },
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function killAndWait(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const goArch: Partial<Record<NodeJS.Architecture, string>> = { arm64: 'arm64', arm: 'arm', ia32: '386', s390x: 's390x' };

interface Launched {
  child: ChildProcess;
  exited: Promise<string>;
}

function launch(binary: string, dataDir: string, clientPort: number, peerPort: number, extraArgs: string[]): Launched {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name',
    'kgate-test',
    '--data-dir',
    join(dataDir, 'data'),
    '--listen-client-urls',
    client,
    '--advertise-client-urls',
    client,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    '--initial-cluster',
    `kgate-test=${peer}`,
    '--logger',
    'zap',
    '--log-outputs',
    join(dataDir, 'etcd.log'),
    ...extraArgs,
  ];
  const env = { ...process.env };
  // etcd 3.4 only runs on amd64 and ppc64le unless told the (Go) arch name is accepted.
  if (process.arch !== 'x64' && process.arch !== 'ppc64') env.ETCD_UNSUPPORTED_ARCH = goArch[process.arch] ?? process.arch;
  const child = spawn(binary, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk.toString();
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(`etcd exited (code ${code}, signal ${signal}): ${stderr.trim()}`);
    });
    child.once('error', (err) => {
      running.delete(child);
      resolve(`etcd failed to start: ${err.message}`);
    });
  });
  return { child, exited };
}

/** Resolves when etcd's /health says true; rejects if etcd exits first or the deadline passes. */
async function waitHealthy(endpoint: string, launched: Launched): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  let exitMessage: string | undefined;
  void launched.exited.then((msg) => (exitMessage = msg));
  while (Date.now() < deadline) {
    if (exitMessage) throw new Error(exitMessage);
    try {
      const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as { health?: string };
      if (body.health === 'true') return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`etcd at ${endpoint} not healthy within ${READY_DEADLINE_MS} ms`);
}

/** etcd logs to a file in its data dir, so failures to start are explained there. */
async function logTail(dataDir: string): Promise<string> {
  const log = await readFile(join(dataDir, 'etcd.log'), 'utf8').catch(() => '');
  return log.slice(-2000);
}

function isPortCollision(message: string): boolean {
  return /address already in use|bind/i.test(message);
}

export async function startEtcd(opts: StartEtcdOptions = {}): Promise<EtcdProcess> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'kgate-etcd-')));
  const extraArgs = opts.extraArgs ?? [];
  const binary = opts.binary ?? 'etcd';
  for (let attempt = 1; ; attempt++) {
    const clientPort = await freePort();
    const peerPort = await freePort();
    if (clientPort === peerPort) continue;
    const endpoint = `http://127.0.0.1:${clientPort}`;
    let launched = launch(binary, dataDir, clientPort, peerPort, extraArgs);
    try {
      await waitHealthy(endpoint, launched);
    } catch (err) {
      await killAndWait(launched.child);
      const message = `${(err as Error).message}\n${await logTail(dataDir)}`;
      if (attempt < 5 && isPortCollision(message)) continue;
      await rm(dataDir, { recursive: true, force: true });
      throw new Error(message);
    }
    return {
      endpoint,
      dataDir,
      async stop() {
        await killAndWait(launched.child);
        await rm(dataDir, { recursive: true, force: true });
      },
      async restart() {
        await killAndWait(launched.child);
        launched = launch(binary, dataDir, clientPort, peerPort, extraArgs);
        await waitHealthy(endpoint, launched);
      },
    };
  }
}
