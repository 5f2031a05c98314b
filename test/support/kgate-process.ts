// A second kgate as its own OS process (node dist/src/main.js) on an in-process test server's etcd, for tests whose
// point is several kgate processes sharing one etcd (quotas, allocators): nothing is shared with the test's process
// but etcd. It trusts the same token (as system:masters) and serves a certificate from the same test CA.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates } from '../../src/server/certs.js';
import { httpRequester, type Requester } from './http.js';
import type { Kgate } from './kgate.js';
import { freePort } from './ports.js';

const MAIN = new URL('../../src/main.js', import.meta.url).pathname;

export interface KgateProcess {
  url: string;
  request: Requester;
  stop(): Promise<void>;
}

/** Starts kgate as a process on `kg`'s etcd and prefix; resolves once its /readyz answers 200. */
export async function spawnKgateProcess(kg: Kgate, args: string[] = []): Promise<KgateProcess> {
  const home = await mkdtemp(join(tmpdir(), 'kgate-process-'));
  const { files } = await ensureCertificates(kg.pkiDir);
  await writeFile(join(home, 'tokens.csv'), `${kg.token},kgate-admin,admin,"system:masters"\n`);
  const port = await freePort();
  let log = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      MAIN,
      `--etcd-servers=${kg.etcd.endpoint}`,
      `--etcd-prefix=${kg.config.etcd.prefix}`,
      `--secure-port=${port}`,
      '--bind-address=127.0.0.1',
      `--tls-cert-file=${files.servingCert}`,
      `--tls-private-key-file=${files.servingKey}`,
      `--token-auth-file=${join(home, 'tokens.csv')}`,
      ...args,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `https://127.0.0.1:${port}`;
  const agent = new https.Agent({ ca: kg.ca, keepAlive: true });
  const request = httpRequester(() => url, kg.token, agent);
  const stop = async () => {
    agent.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(home, { recursive: true, force: true });
  };
  // Ready once /readyz says so: the process has listed etcd and filled its watch cache.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`kgate exited with ${child.exitCode}:\n${log}`);
    }
    const ready = await request('GET', '/readyz').catch(() => undefined);
    if (ready?.status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`kgate did not become ready:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval of a readiness probe, not a wait for time
  }
  return { url, request, stop };
}
