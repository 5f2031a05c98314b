// Runs kgate the way an operator does — `node dist/src/main.js --flags` as a child process — so start-up time and
// memory are the real process's. The home (CA, serving certificate, admin token) is made once and reused by
// restarts.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCertificates } from '../src/server/certs.js';
import { rssMb } from './memory.js';

/** KGATE_BENCH_MAIN runs another build's dist/src/main.js under this harness (an older commit, for before/after). */
const MAIN = process.env.KGATE_BENCH_MAIN ?? fileURLToPath(new URL('../src/main.js', import.meta.url));
const READY_DEADLINE_MS = 60_000;
const READY_POLL_MS = 5;
const STOP_GRACE_MS = 5_000;

/** The user the rbac scenario's requests come from, on both servers. */
export const BENCH_USER = 'bench-user';

export interface KgateHome {
  dir: string;
  token: string;
  /** bench-user's token: no groups, so every request is decided by RBAC (the rbac scenario). */
  userToken: string;
  caCert: string;
  certFile: string;
  keyFile: string;
  tokenFile: string;
  remove(): Promise<void>;
}

export interface KgateProcess {
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 on /readyz. */
  readyMs: number;
  rssMb(): number | undefined;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export async function prepareKgateHome(): Promise<KgateHome> {
  const dir = await mkdtemp(join(tmpdir(), 'kgate-bench-'));
  const certificates = await ensureCertificates(join(dir, 'pki'));
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  const userToken = randomBytes(24).toString('hex');
  await writeFile(tokenFile, `${token},kgate-admin,bench-admin,system:masters\n${userToken},${BENCH_USER},${BENCH_USER}\n`, {
    mode: 0o600,
  });
  return {
    dir,
    token,
    userToken,
    caCert: certificates.caCert,
    certFile: certificates.files.servingCert,
    keyFile: certificates.files.servingKey,
    tokenFile,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnOptions {
  /** Node flags placed before the script, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  nodeArgs?: string[];
  /** Extra kgate flags, e.g. ['--workers=2'] (RSS figures then cover only the primary process). */
  kgateArgs?: string[];
}

export async function spawnKgate(home: KgateHome, etcdEndpoint: string, port: number, options: SpawnOptions = {}): Promise<KgateProcess> {
  const args = [
    ...(options.nodeArgs ?? []),
    MAIN,
    `--etcd-servers=${etcdEndpoint}`,
    `--secure-port=${port}`,
    '--bind-address=127.0.0.1',
    `--tls-cert-file=${home.certFile}`,
    `--tls-private-key-file=${home.keyFile}`,
    `--token-auth-file=${home.tokenFile}`,
    '--etcd-compaction-interval=0',
    ...(options.kgateArgs ?? []),
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));

  const url = `https://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitReady(url, home.caCert, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nkgate stderr:\n${stderrTail}`);
  }
  const readyMs = performance.now() - started;
  return { pid: child.pid as number, url, readyMs, rssMb: () => rssMb(child.pid), stop };
}

async function waitReady(url: string, ca: string, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('kgate exited before it was ready');
    if ((await readyzStatus(url, ca)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`kgate at ${url} not ready within ${READY_DEADLINE_MS} ms`);
}

function readyzStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get(`${url}/readyz`, { ca, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}
