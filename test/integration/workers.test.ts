// kgate as a process (node dist/src/main.js) with --workers=2: both workers serve the port, a write through
// one is read through any connection, and SIGTERM stops them all.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates } from '../../src/server/certs.js';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { freePort } from '../support/ports.js';

const MAIN = new URL('../../src/main.js', import.meta.url).pathname;


describe('kgate --workers=2', function () {
  let etcd: EtcdProcess;
  let home: string;
  let child: ChildProcess;
  let port: number;
  let ca: string;
  const token = randomBytes(12).toString('hex');

  function request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      // A fresh connection each time, so the kernel may hand it to either worker.
      const req = https.request({ host: '127.0.0.1', port, path, method, ca, agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text, headers: res.headers }));
      });
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
  }

  before(async function () {
    etcd = await startEtcd();
    home = await mkdtemp(join(tmpdir(), 'kgate-workers-'));
    const certs = await ensureCertificates(join(home, 'pki'));
    ca = certs.caCert;
    await writeFile(join(home, 'tokens.csv'), `${token},admin,1,"system:masters"\n`);
    port = await freePort();
    child = spawn(process.execPath, [MAIN, `--etcd-servers=${etcd.endpoint}`, `--secure-port=${port}`, '--bind-address=127.0.0.1',
      `--tls-cert-file=${certs.files.servingCert}`, `--tls-private-key-file=${certs.files.servingKey}`, `--token-auth-file=${join(home, 'tokens.csv')}`,
      '--workers=2'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
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

  it('serves from both workers, each reading the others\' writes', async function () {
    const created = await request('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { a: '1' } });
    assert.equal(created.status, 201);
    for (let i = 0; i < 20; i++) {
      const got = await request('GET', '/api/v1/namespaces/default/configmaps/shared');
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
