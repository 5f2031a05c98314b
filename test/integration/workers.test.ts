// kgate as a process (node dist/src/main.js) with --workers=2: two distinct worker processes serve the port, a
// write answered by one is read back through the other, and SIGTERM stops them all. Which process answered a
// request is what kgate itself logs at --v=2: every access-log line starts with the pid of the process that
// wrote it and carries the request's Audit-Id, so no test-only hook in the server is needed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates } from '../../src/server/certs.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { freePort } from '../support/ports.js';

const MAIN = new URL('../../src/main.js', import.meta.url).pathname;

/** The parent pid of a live process, from /proc/<pid>/stat (the field after the parenthesised command). */
async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Every live process whose parent is `pid`. */
async function childrenOf(pid: number): Promise<number[]> {
  const entries = await readdir('/proc');
  const children: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    if ((await parentOf(Number(entry))) === pid) children.push(Number(entry));
  }
  return children.sort((a, b) => a - b);
}

describe('kgate --workers=2', function () {
  let etcd: EtcdProcess;
  let home: string;
  let child: ChildProcess;
  let port: number;
  let ca: string;
  const token = randomBytes(12).toString('hex');

  let log = '';
  const logWaiters = new Set<() => void>();

  function request(
    method: string,
    path: string,
    body?: unknown,
    auditID = randomBytes(8).toString('hex'),
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      // A fresh connection each time, so the kernel may hand it to either worker.
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'audit-id': auditID };
      const req = https.request({ host: '127.0.0.1', port, path, method, ca, agent: false, headers }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text, headers: res.headers }),
        );
      });
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
  }

  /** The pid of the process that logged the request with this Audit-Id (its access-log line may trail the response). */
  async function answeredBy(auditID: string): Promise<number> {
    const line = new RegExp(`^[IWE]\\d{4} [\\d:.]+ +(\\d+)\\] .* auditID="${auditID}"`, 'm');
    const deadline = Date.now() + 30_000;
    for (;;) {
      const match = line.exec(log);
      if (match) return Number(match[1]);
      if (Date.now() > deadline) throw new Error(`no access-log line for Audit-Id ${auditID}:\n${log.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000); // re-check the deadline even if nothing more is logged
        logWaiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends requests over fresh connections, a few at a time, until `done` says enough processes answered. */
  async function spread(
    send: (auditID: string) => Promise<unknown>,
    done: (pids: Map<number, string[]>) => boolean,
  ): Promise<Map<number, string[]>> {
    const byPid = new Map<number, string[]>();
    for (let round = 0; round < 100 && !done(byPid); round++) {
      const ids = Array.from({ length: 6 }, () => randomBytes(8).toString('hex'));
      await Promise.all(ids.map((id) => send(id)));
      for (const id of ids) {
        const pid = await answeredBy(id);
        byPid.set(pid, [...(byPid.get(pid) ?? []), id]);
      }
    }
    return byPid;
  }

  before(async function () {
    etcd = await startEtcd();
    home = await mkdtemp(join(tmpdir(), 'kgate-workers-'));
    const certs = await ensureCertificates(join(home, 'pki'));
    ca = certs.caCert;
    await writeFile(join(home, 'tokens.csv'), `${token},admin,1,"system:masters"\n`);
    port = await freePort();
    child = spawn(
      process.execPath,
      [
        MAIN,
        `--etcd-servers=${etcd.endpoint}`,
        `--secure-port=${port}`,
        '--bind-address=127.0.0.1',
        `--tls-cert-file=${certs.files.servingCert}`,
        `--tls-private-key-file=${certs.files.servingKey}`,
        `--token-auth-file=${join(home, 'tokens.csv')}`,
        '--workers=2',
        '--v=2',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (c: Buffer) => {
      log += c.toString();
      for (const wake of logWaiters) wake();
      logWaiters.clear();
    });
    // Ready once two workers have each logged that they serve.
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`workers did not start:\n${log}`)), 30_000);
      const check = () => {
        if ((log.match(/Serving securely on/g) ?? []).length >= 2) {
          clearTimeout(deadline);
          resolve();
        }
      };
      child.stderr?.on('data', check);
      child.once('exit', (code) => reject(new Error(`kgate exited ${code}:\n${log}`)));
    });
  });
  after(async function () {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
    }
    await etcd?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('two distinct worker processes, both children of the primary, answer requests', async function () {
    const byPid = await spread(
      async (id) => assert.equal((await request('GET', '/api/v1/namespaces/default/configmaps', undefined, id)).status, 200),
      (pids) => pids.size >= 2,
    );
    const pids = [...byPid.keys()].sort((a, b) => a - b);
    assert.equal(pids.length, 2, `answered by ${JSON.stringify([...byPid].map(([pid, ids]) => [pid, ids.length]))}`);
    assert.equal(pids.includes(child.pid!), false, 'the primary itself answered');
    for (const pid of pids) assert.equal(await parentOf(pid), child.pid, `process ${pid} is not a worker of kgate ${child.pid}`);
    assert.deepEqual(await childrenOf(child.pid!), pids);
  });

  it('a write answered by one worker is read back through the other', async function () {
    const writeID = randomBytes(8).toString('hex');
    const created = await request(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { a: '1' } },
      writeID,
    );
    assert.equal(created.status, 201);
    const writer = await answeredBy(writeID);
    const reads: Array<{ status: number; body: any }> = [];
    const byPid = await spread(
      async (id) => reads.push(await request('GET', '/api/v1/namespaces/default/configmaps/shared', undefined, id)),
      (pids) => [...pids.keys()].some((pid) => pid !== writer),
    );
    assert.ok(
      [...byPid.keys()].some((pid) => pid !== writer),
      `every read was answered by the writer ${writer}`,
    );
    for (const got of reads) {
      assert.equal(got.status, 200);
      assert.deepEqual(got.body.data, { a: '1' });
      assert.equal(got.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
    }
  });

  it('stops every worker on SIGTERM and exits 0', async function () {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
