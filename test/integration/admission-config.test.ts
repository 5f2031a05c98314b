// --admission-control-config-file over HTTP: a PodSecurityConfiguration whose defaults enforce baseline refuses a
// privileged Pod in an unlabelled namespace with kube's 403 (nothing stored), lets it into a namespace the file
// exempts, and still lets a namespace's labels choose another level; kgate as a process refuses to start on a bad
// file with kube-apiserver's message.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKgate, type Kgate } from '../support/kgate.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
const PS = 'pod-security.kubernetes.io';

const BASELINE_CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults:
      enforce: baseline
    exemptions:
      namespaces: [exempt]
`;

const namespace = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const privilegedPod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
});

describe('--admission-control-config-file', function () {
  this.timeout(120_000);
  let dir: string;
  let kg: Kgate;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kgate-admcfg-'));
    const file = join(dir, 'admission.yaml');
    await writeFile(file, BASELINE_CONFIG);
    kg = await startKgate({ flags: [`--admission-control-config-file=${file}`] });
    for (const ns of [namespace('plain'), namespace('exempt'), namespace('open', { [`${PS}/enforce`]: 'privileged' })]) {
      const res = await kg.request('POST', '/api/v1/namespaces', { body: ns });
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    await kg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the default enforce level refuses a privileged Pod in an unlabelled namespace with kube's 403", async () => {
    const res = await kg.request('POST', '/api/v1/namespaces/plain/pods', { body: privilegedPod('x') });
    assert.equal(res.status, 403, res.text);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods "x" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)',
      reason: 'Forbidden',
      details: { name: 'x', kind: 'pods' },
      code: 403,
    });
    assert.equal((await kg.request('GET', '/api/v1/namespaces/plain/pods/x')).status, 404);
  });

  it('kubectl prints the refusal', async () => {
    const res = await kg.kubectl(['apply', '-n', 'plain', '-f', '-'], { input: JSON.stringify(privilegedPod('y')), allowFail: true });
    assert.notEqual(res.code, 0);
    assert.match(
      res.stderr,
      /pods "y" is forbidden: violates PodSecurity "baseline:latest": privileged \(container "c" must not set securityContext\.privileged=true\)/,
    );
  });

  it('the exempt namespace takes the Pod', async () => {
    const res = await kg.request('POST', '/api/v1/namespaces/exempt/pods', { body: privilegedPod('x') });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.warning, undefined);
  });

  it("a namespace's enforce label still overrides the default", async () => {
    const res = await kg.request('POST', '/api/v1/namespaces/open/pods', { body: privilegedPod('x') });
    assert.equal(res.status, 201, res.text);
  });

  it("kgate refuses to start on a bad file, with kube-apiserver's message", async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, BASELINE_CONFIG.replace('enforce: baseline', 'enforce: bogus'));
    const missing = join(dir, 'missing.yaml');
    const run = (file: string) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [MAIN, '--etcd-servers=http://127.0.0.1:1', `--cert-dir=${join(dir, 'certs')}`, `--admission-control-config-file=${file}`],
          { timeout: 30_000 },
          (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
        );
      });
    const invalid = await run(bad);
    assert.equal(invalid.code, 1);
    assert.match(
      invalid.stderr,
      /^Error: failed to apply admission: failed to initialize admission plugin "PodSecurity": PodSecurity configuration error: enforce: must be one of privileged, baseline, restricted$/m,
    );
    const unreadable = await run(missing);
    assert.equal(unreadable.code, 1);
    assert.ok(
      unreadable.stderr.includes(
        `Error: failed to apply admission: failed to read plugin config: unable to read admission control configuration from "${missing}" [open ${missing}: no such file or directory]`,
      ),
      unreadable.stderr,
    );
  });
});
