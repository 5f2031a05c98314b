// Golden bytes: kgate's JSON answers to a scripted sequence equal kube-apiserver v1.34.4's, byte for byte after
// masking uids, timestamps, resourceVersions and allocated IPs. The golden files were recorded from the
// reference kube-apiserver by tools/capture-golden.ts (test/fixtures/golden/README.md).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { sendStep } from '../../tools/capture-golden.js';
import { GOLDEN_STEPS, maskGolden } from '../fixtures/golden/scenario.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { REFERENCE_ADMISSION_FLAGS } from '../support/reference.js';

const GOLDEN_DIR = fileURLToPath(new URL('../../../test/fixtures/golden/', import.meta.url));

describe('JSON bytes as kube-apiserver writes them (golden files)', function () {
  this.timeout(60_000);
  let kg: Kgate;
  let agent: https.Agent;
  const answers = new Map<string, { status: number; text: string }>();

  before(async function () {
    // The golden bodies were recorded with the reference's admission flags (no ServiceAccount admission).
    kg = await startKgate({ flags: REFERENCE_ADMISSION_FLAGS });
    agent = new https.Agent({ ca: kg.ca, keepAlive: true });
    // The steps build on each other (a conflict needs the object), so they run in order once.
    for (const step of GOLDEN_STEPS) answers.set(step.name, await sendStep(kg.url, kg.token, step, agent));
  });
  after(async function () {
    agent?.destroy();
    await kg?.close();
  });

  it('`curl -sk` gets indented JSON and `?pretty=false` compact JSON with its newline', async function () {
    const curl = (path: string) =>
      new Promise<string>((resolve, reject) =>
        execFile('curl', ['-sk', '-H', `Authorization: Bearer ${kg.token}`, `${kg.url}${path}`], (err, stdout) =>
          err ? reject(err) : resolve(stdout),
        ),
      );
    const path = '/api/v1/namespaces/golden';
    const pretty = await curl(path);
    assert.match(pretty, /^\{\n {2}"kind": "Namespace",\n {2}"apiVersion": "v1",\n {2}"metadata": \{\n {4}"name": "golden",/);
    assert.ok(pretty.endsWith('\n}'), pretty.slice(-20));
    const compact = await curl(`${path}?pretty=false`);
    assert.match(compact, /^\{"kind":"Namespace","apiVersion":"v1","metadata":\{"name":"golden",/);
    assert.ok(compact.endsWith('}\n'), compact.slice(-20));
  });

  it('etcd holds the Go layout, and an object stored in an older layout is served in it with resourceVersion in place', async function () {
    const etcdctl = async (...args: string[]) =>
      (await promisify(execFile)('etcdctl', ['--endpoints', kg.etcd.endpoint, ...args], { env: { ...process.env, ETCDCTL_API: '3' } }))
        .stdout;
    const stored = await etcdctl('get', '/registry/roles/golden/empty', '--print-value-only');
    assert.match(
      stored,
      /^\{"kind":"Role","apiVersion":"rbac.authorization.k8s.io\/v1","metadata":\{"name":"empty","namespace":"golden","uid":"[^"]+","creationTimestamp":"[^"]+"\},"rules":null\}/,
    );
    const old = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { b: '2', a: '1' },
      metadata: { creationTimestamp: '2025-01-01T00:00:00Z', uid: 'u-1', namespace: 'golden', name: 'old' },
    };
    await etcdctl('put', '/registry/configmaps/golden/old', JSON.stringify(old));
    const got = await sendStep(
      kg.url,
      kg.token,
      { name: 'old', method: 'GET', path: '/api/v1/namespaces/golden/configmaps/old', status: 200 },
      agent,
    );
    assert.match(
      got.text,
      /^\{"kind":"ConfigMap","apiVersion":"v1","metadata":\{"name":"old","namespace":"golden","uid":"u-1","resourceVersion":"\d+","creationTimestamp":"2025-01-01T00:00:00Z"\},"data":\{"a":"1","b":"2"\}\}\n$/,
    );
  });

  for (const step of GOLDEN_STEPS) {
    it(`${step.method} ${step.path.replace(/\?.*/, '')}${step.watch ? ' (watch)' : ''} answers ${step.status} with kube's bytes: ${step.name}`, function () {
      const got = answers.get(step.name)!;
      assert.equal(got.status, step.status, got.text);
      const want = readFileSync(`${GOLDEN_DIR}${step.name}.json`, 'utf8');
      assert.equal(maskGolden(got.text), want);
    });
  }
});
