// `make run` end to end (scripts/run.sh, as the Makefile calls it): a private etcd and kgate come up, the written
// kubeconfig works with kubectl, and SIGTERM stops both and frees the port.

import { KUBECTL } from '../support/clients.js';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { freePort } from '../support/ports.js';

const execFileAsync = promisify(execFile);
const REPO_ROOT = new URL('../../../', import.meta.url).pathname;
const READY_LINE = /kgate is serving https:\/\/127\.0\.0\.1:(\d+)/;

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves with the output so far once `pattern` appears; rejects if the process exits first. */
function waitForOutput(child: ChildProcess, pattern: RegExp, output: { text: string }): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = pattern.exec(output.text);
      if (match) {
        cleanup();
        resolve(match);
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`run.sh exited with ${code} before ${pattern}:\n${output.text}`));
    };
    const cleanup = (): void => {
      child.stdout?.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

describe('make run (scripts/run.sh)', () => {
  let home: string;
  let child: ChildProcess | undefined;
  const output = { text: '' };

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'kgate-run-'));
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(home, { recursive: true, force: true });
  });

  it('serves kubectl with the kubeconfig it writes, then stops etcd and kgate on SIGTERM', async () => {
    const port = await freePort();
    child = spawn('scripts/run.sh', [], {
      cwd: REPO_ROOT,
      env: { ...process.env, KGATE_HOME: home, ARGS: `--secure-port=${port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));

    const ready = await waitForOutput(child, READY_LINE, output);
    assert.equal(Number(ready[1]), port);
    assert.match(output.text, new RegExp(`export KUBECONFIG=${join(home, 'kubeconfig')}`));
    // The hint puts the pinned clients first on PATH.
    assert.match(output.text, new RegExp(`export PATH=${join(REPO_ROOT, '.tools', 'bin')}:\\$PATH`));
    const etcdUrl = /etcd is serving (http:\/\/127\.0\.0\.1:(\d+))/.exec(output.text);
    assert.ok(etcdUrl, output.text);

    const kubeconfig = parse(await readFile(join(home, 'kubeconfig'), 'utf8')) as {
      'current-context': string;
      clusters: Array<{ cluster: { server: string } }>;
    };
    assert.equal(kubeconfig['current-context'], 'kgate');
    assert.equal(kubeconfig.clusters[0].cluster.server, `https://127.0.0.1:${port}`);
    assert.match(await readFile(join(home, 'tokens.csv'), 'utf8'), /^[^,]+,kgate-admin,[^,]+,system:masters$/m);

    const namespaces = await execFileAsync(KUBECTL, ['get', 'ns', '-o', 'name'], {
      env: { ...process.env, KUBECONFIG: join(home, 'kubeconfig') },
    });
    assert.match(namespaces.stdout, /^namespace\/default$/m);

    // ServiceAccount tokens work out of the box: the token authenticates as the ServiceAccount (which may not list pods).
    const env = { ...process.env, KUBECONFIG: join(home, 'kubeconfig') };
    await execFileAsync(KUBECTL, ['create', 'serviceaccount', 'demo'], { env });
    const token = (await execFileAsync(KUBECTL, ['create', 'token', 'demo', '--duration=10m'], { env })).stdout.trim();
    const refused = await execFileAsync(KUBECTL, ['--token', token, 'get', 'pods'], { env }).then(
      () => assert.fail('the ServiceAccount may not list pods'),
      (error: { stderr: string }) => error.stderr,
    );
    assert.match(refused, /User "system:serviceaccount:default:demo" cannot list resource "pods"/);

    // Node,RBAC as kubeadm configures kube-apiserver: a kubelet is refused with the Node authorizer's reason.
    const asKubelet = await execFileAsync(KUBECTL, ['--as=system:node:n1', '--as-group=system:nodes', 'get', 'nodes'], { env }).then(
      () => assert.fail('a kubelet may not list nodes'),
      (error: { stderr: string }) => error.stderr,
    );
    assert.match(asKubelet, /node 'n1' cannot read all nodes, only its own Node object/);

    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 143);
    assert.equal(await accepts(port), false, 'kgate still listening');
    assert.equal(await accepts(Number(etcdUrl[2])), false, 'etcd still listening');
  });
});
