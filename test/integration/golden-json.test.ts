// Golden bytes: kgate's JSON answers to a scripted sequence equal kube-apiserver v1.34.4's, byte for byte after
// masking uids, timestamps, resourceVersions and allocated IPs. The golden files were recorded from the
// reference kube-apiserver by tools/capture-golden.ts (test/fixtures/golden/README.md).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { sendStep } from '../../tools/capture-golden.js';
import { GOLDEN_STEPS, maskGolden } from '../fixtures/golden/scenario.js';
import { startKgate, type Kgate } from '../support/kgate.js';

const GOLDEN_DIR = fileURLToPath(new URL('../../../test/fixtures/golden/', import.meta.url));

describe('JSON bytes as kube-apiserver writes them (golden files)', function () {
  this.timeout(60_000);
  let kg: Kgate;
  let agent: https.Agent;
  const answers = new Map<string, { status: number; text: string }>();

  before(async function () {
    kg = await startKgate();
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
        execFile('curl', ['-sk', '-H', `Authorization: Bearer ${kg.token}`, `${kg.url}${path}`], (err, stdout) => (err ? reject(err) : resolve(stdout))),
      );
    const path = '/api/v1/namespaces/golden';
    const pretty = await curl(path);
    assert.match(pretty, /^\{\n  "kind": "Namespace",\n  "apiVersion": "v1",\n  "metadata": \{\n    "name": "golden",/);
    assert.ok(pretty.endsWith('\n}'), pretty.slice(-20));
    const compact = await curl(`${path}?pretty=false`);
    assert.match(compact, /^\{"kind":"Namespace","apiVersion":"v1","metadata":\{"name":"golden",/);
    assert.ok(compact.endsWith('}\n'), compact.slice(-20));
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
