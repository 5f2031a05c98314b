// PATCH end to end: kubectl patch (strategic, merge, json), the commands built on patches (label, annotate,
// set image, apply, diff, edit) and replace, against a real kgate on a real etcd; then bad patches over HTTP,
// each with kube's code and message and nothing written to etcd.
import { KUBECTL } from '../support/clients.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startKgate, type Kgate } from '../support/kgate.js';

const execFileAsync = promisify(execFile);
const NS = 'patching';

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
`;

function deployment(opts: { image: string; ports: number[]; labels: Record<string, string> }): string {
  const labels = Object.entries(opts.labels)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n');
  const ports = opts.ports.map((p) => `        - containerPort: ${p}`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
  labels:
${labels}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: ${opts.image}
        ports:
${ports}
`;
}

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${NS}
data:
  mode: foo
`;

describe('PATCH with kubectl', function () {
  let kg: Kgate;
  let dir: string;

  before(async function () {
    kg = await startKgate();
    dir = await mkdtemp(join(tmpdir(), 'kgate-patch-'));
    await writeFile(join(dir, 'ns.yaml'), NAMESPACE);
    await kg.kubectl(['create', '-f', join(dir, 'ns.yaml')]);
  });
  after(async function () {
    await kg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function getJSON(kind: string, name: string, ns = NS): Promise<any> {
    return JSON.parse((await kg.kubectl(['get', kind, name, '-n', ns, '-o', 'json'])).stdout);
  }

  async function etcdModRevision(key: string): Promise<number> {
    const { stdout } = await execFileAsync('etcdctl', ['--endpoints', kg.etcd.endpoint, 'get', key, '-w', 'json'], {
      env: { ...process.env, ETCDCTL_API: '3' },
    });
    return Number(JSON.parse(stdout).kvs[0].mod_revision);
  }

  async function writeManifest(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  describe('kubectl patch, label, annotate, set image', function () {
    // Each test patches its own fresh Deployment: replicas 2, one container "app" on nginx:1 with port 80.
    let target: string;
    let n = 0;
    beforeEach(async function () {
      target = `target-${++n}`;
      const path = await writeManifest(
        `${target}.yaml`,
        deployment({ image: 'nginx:1', ports: [80], labels: { app: 'web' } }).replace('name: web', `name: ${target}`),
      );
      await kg.kubectl(['create', '-f', path]);
    });

    it('--type strategic adds a container port and changes the image, matching the container by name', async function () {
      const patch = { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2', ports: [{ containerPort: 443 }] }] } } } };
      const r = await kg.kubectl(['patch', 'deployment', target, '-n', NS, '--type', 'strategic', '-p', JSON.stringify(patch)]);
      assert.equal(r.stdout.trim(), `deployment.apps/${target} patched`);
      const d = await getJSON('deployment', target);
      const containers = d.spec.template.spec.containers;
      assert.equal(containers.length, 1);
      assert.equal(containers[0].image, 'nginx:2');
      assert.deepEqual(
        containers[0].ports.map((p: any) => p.containerPort),
        [443, 80],
      );
      assert.equal(containers[0].ports[0].protocol, 'TCP', 'the added port is defaulted');
      assert.equal(d.metadata.generation, 2);
    });

    it('--type merge replaces a list wholesale and sets a field', async function () {
      const patch = { spec: { replicas: 5, template: { spec: { containers: [{ name: 'app', image: 'nginx:3' }] } } } };
      await kg.kubectl(['patch', 'deployment', target, '-n', NS, '--type', 'merge', '-p', JSON.stringify(patch)]);
      const d = await getJSON('deployment', target);
      assert.equal(d.spec.replicas, 5);
      assert.equal(d.spec.template.spec.containers[0].image, 'nginx:3');
      assert.equal(d.spec.template.spec.containers[0].ports, undefined, 'merge patch replaced the container list');
    });

    it('--type json applies operations, and a failing test op changes nothing', async function () {
      const ops = [
        { op: 'test', path: '/spec/replicas', value: 2 },
        { op: 'replace', path: '/spec/replicas', value: 3 },
        { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      ];
      await kg.kubectl(['patch', 'deployment', target, '-n', NS, '--type', 'json', '-p', JSON.stringify(ops)]);
      const d = await getJSON('deployment', target);
      assert.equal(d.spec.replicas, 3);
      assert.equal(d.metadata.labels.tier, 'front');

      const bad = [
        { op: 'test', path: '/spec/replicas', value: 99 },
        { op: 'replace', path: '/spec/replicas', value: 1 },
      ];
      const r = await kg.kubectl(['patch', 'deployment', target, '-n', NS, '--type', 'json', '-p', JSON.stringify(bad)], {
        allowFail: true,
      });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /the server rejected our request due to an error in our request/);
      assert.equal((await getJSON('deployment', target)).spec.replicas, 3);
    });

    it('label and annotate add, overwrite and remove keys', async function () {
      await kg.kubectl(['label', 'deployment', target, '-n', NS, 'tier=front']);
      await kg.kubectl(['label', 'deployment', target, '-n', NS, 'env=prod']);
      await kg.kubectl(['label', 'deployment', target, '-n', NS, 'env=staging', '--overwrite']);
      await kg.kubectl(['label', 'deployment', target, '-n', NS, 'tier-']);
      await kg.kubectl(['annotate', 'deployment', target, '-n', NS, 'owner=team-a']);
      const d = await getJSON('deployment', target);
      assert.deepEqual(d.metadata.labels, { app: 'web', env: 'staging' });
      assert.equal(d.metadata.annotations.owner, 'team-a');
      const r = await kg.kubectl(['label', 'deployment', target, '-n', NS, 'env=other'], { allowFail: true });
      assert.notEqual(r.code, 0, 'relabeling without --overwrite fails in kubectl');
    });

    it('set image changes one container image', async function () {
      const r = await kg.kubectl(['set', 'image', `deployment/${target}`, '-n', NS, 'app=nginx:4']);
      assert.match(r.stdout, new RegExp(`deployment.apps/${target} image updated`));
      assert.equal((await getJSON('deployment', target)).spec.template.spec.containers[0].image, 'nginx:4');
    });

    it('patch --dry-run=server returns the result and writes nothing', async function () {
      const before = await getJSON('deployment', target);
      const r = await kg.kubectl([
        'patch',
        'deployment',
        target,
        '-n',
        NS,
        '--type',
        'merge',
        '-p',
        '{"spec":{"replicas":7}}',
        '--dry-run=server',
        '-o',
        'jsonpath={.spec.replicas}',
      ]);
      assert.equal(r.stdout, '7');
      const after = await getJSON('deployment', target);
      assert.equal(after.spec.replicas, before.spec.replicas);
      assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    });

    it('kubectl scale patches the scale subresource; a stale resourceVersion there is a 409', async function () {
      const r = await kg.kubectl(['scale', 'deployment', target, '-n', NS, '--replicas', '4']);
      assert.match(r.stdout, new RegExp(`deployment.apps/${target} scaled`));
      assert.equal((await getJSON('deployment', target)).spec.replicas, 4);
      const scalePath = `/apis/apps/v1/namespaces/${NS}/deployments/${target}/scale`;
      const merged = await kg.request('PATCH', scalePath, {
        raw: '{"spec":{"replicas":6}}',
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      assert.equal(merged.status, 200, merged.text);
      assert.deepEqual([merged.body.kind, merged.body.spec.replicas], ['Scale', 6]);
      const stale = await kg.request('PATCH', scalePath, {
        raw: JSON.stringify([
          { op: 'replace', path: '/metadata/resourceVersion', value: '1' },
          { op: 'replace', path: '/spec/replicas', value: 1 },
        ]),
        headers: { 'content-type': 'application/json-patch+json' },
      });
      assert.equal(stale.status, 409, stale.text);
      await kg.kubectl(['scale', 'deployment', target, '-n', NS, '--replicas', '3']);
    });

    it('patches the status subresource, leaving spec alone', async function () {
      const r = await kg.kubectl([
        'patch',
        'deployment',
        target,
        '-n',
        NS,
        '--subresource',
        'status',
        '--type',
        'merge',
        '-p',
        '{"status":{"observedGeneration":9},"spec":{"replicas":1}}',
      ]);
      assert.match(r.stdout, /patched/);
      const d = await getJSON('deployment', target);
      assert.equal(d.status.observedGeneration, 9);
      assert.equal(d.spec.replicas, 2);
    });
  });

  describe('kubectl apply, diff, edit, replace', function () {
    it('apply creates, then a changed manifest removes what it dropped and keeps what others set', async function () {
      const v1 = await writeManifest('web-v1.yaml', deployment({ image: 'nginx:1', ports: [80, 8080], labels: { app: 'web', team: 'a' } }));
      assert.match((await kg.kubectl(['apply', '-f', v1])).stdout, /deployment.apps\/web created/);
      // Another writer sets a label and an annotation that the manifest never mentions.
      await kg.kubectl(['label', 'deployment', 'web', '-n', NS, 'owner=ops']);
      await kg.kubectl(['annotate', 'deployment', 'web', '-n', NS, 'note=kept']);

      const v2 = await writeManifest('web-v2.yaml', deployment({ image: 'nginx:2', ports: [80], labels: { app: 'web' } }));
      assert.match((await kg.kubectl(['apply', '-f', v2])).stdout, /deployment.apps\/web configured/);
      const d = await getJSON('deployment', 'web');
      assert.deepEqual(d.metadata.labels, { app: 'web', owner: 'ops' }, 'team removed, owner kept');
      assert.equal(d.metadata.annotations.note, 'kept');
      const c = d.spec.template.spec.containers[0];
      assert.equal(c.image, 'nginx:2');
      assert.deepEqual(
        c.ports.map((p: any) => p.containerPort),
        [80],
        'port 8080 removed',
      );
      assert.match(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /nginx:2/);

      assert.match((await kg.kubectl(['apply', '-f', v2])).stdout, /deployment.apps\/web unchanged/);
    });

    it('diff shows the change and exits 1, and exits 0 when there is none', async function () {
      const v2 = await writeManifest(
        'diffed-v2.yaml',
        deployment({ image: 'nginx:2', ports: [80], labels: { app: 'web' } }).replace('name: web', 'name: diffed'),
      );
      await kg.kubectl(['apply', '-f', v2]);
      const same = await kg.kubectl(['diff', '-f', v2], { allowFail: true });
      assert.equal(same.code, 0, same.stderr);
      const v3 = await writeManifest(
        'diffed-v3.yaml',
        deployment({ image: 'nginx:3', ports: [80], labels: { app: 'web' } }).replace('name: web', 'name: diffed'),
      );
      const r = await kg.kubectl(['diff', '-f', v3], { allowFail: true });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^-\s+- image: nginx:2$/m);
      assert.match(r.stdout, /^\+\s+- image: nginx:3$/m);
      assert.equal((await getJSON('deployment', 'diffed')).spec.template.spec.containers[0].image, 'nginx:2', 'diff wrote nothing');
    });

    it('edit with a scripted EDITOR patches the object', async function () {
      await kg.kubectl(['create', '-f', await writeManifest('cm.yaml', CONFIGMAP)]);
      const { stdout } = await execFileAsync(KUBECTL, ['edit', 'configmap', 'settings', '-n', NS], {
        env: { ...process.env, KUBECONFIG: kg.kubeconfig, EDITOR: 'sed -i s/mode:\\ foo/mode:\\ bar/', KUBE_EDITOR: '' },
      });
      assert.match(stdout, /configmap\/settings edited/);
      assert.equal((await getJSON('configmap', 'settings')).data.mode, 'bar');
    });

    it('replace -f writes the whole object', async function () {
      const replaced = CONFIGMAP.replace('name: settings', 'name: replaced');
      await kg.kubectl(['create', '-f', await writeManifest('replaced.yaml', replaced)]);
      const path = await writeManifest('replaced-2.yaml', replaced.replace('mode: foo', 'mode: baz\n  extra: "1"'));
      assert.match((await kg.kubectl(['replace', '-f', path])).stdout, /configmap\/replaced replaced/);
      assert.deepEqual((await getJSON('configmap', 'replaced')).data, { mode: 'baz', extra: '1' });
    });
  });

  describe('bad patches over HTTP', function () {
    // Their own namespace, holding a Deployment "web" as the apply tests leave it.
    const BAD_NS = 'patching-bad';
    const path = `/apis/apps/v1/namespaces/${BAD_NS}/deployments/web`;
    const key = `/registry/deployments/${BAD_NS}/web`;
    let revisionBefore: number;

    before(async function () {
      await kg.kubectl(['create', 'namespace', BAD_NS]);
      const manifest = deployment({ image: 'nginx:2', ports: [80], labels: { app: 'web' } }).replace(
        `namespace: ${NS}`,
        `namespace: ${BAD_NS}`,
      );
      await kg.kubectl(['apply', '-f', await writeManifest('bad-web.yaml', manifest)]);
    });

    beforeEach(async function () {
      revisionBefore = await etcdModRevision(key);
    });
    afterEach(async function () {
      assert.equal(await etcdModRevision(key), revisionBefore, 'etcd unchanged');
    });

    const patch = (contentType: string, body: string, query = '') =>
      kg.request('PATCH', `${path}${query}`, { raw: body, headers: { 'content-type': contentType } });

    it('a bad JSON pointer is a 422 with the generic message', async function () {
      const r = await patch('application/json-patch+json', JSON.stringify([{ op: 'remove', path: '/spec/nope' }]));
      assert.equal(r.status, 422);
      assert.deepEqual(r.body, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server rejected our request due to an error in our request',
        reason: 'Invalid',
        details: {},
        code: 422,
      });
    });

    it('a failed test op is a 422', async function () {
      const r = await patch('application/json-patch+json', JSON.stringify([{ op: 'test', value: 'podA', path: '/invalid/path' }]));
      assert.equal(r.status, 422);
      assert.equal(r.body.reason, 'Invalid');
      assert.equal(r.body.message, 'the server rejected our request due to an error in our request');
    });

    it('an undecodable JSON patch body is a 400', async function () {
      const r = await patch('application/json-patch+json', 'invalid');
      assert.equal(r.status, 400);
      assert.equal(r.body.message, "error decoding patch: invalid character 'i' looking for beginning of value");
      const obj = await patch('application/json-patch+json', '{}');
      assert.equal(obj.status, 400);
      assert.equal(obj.body.message, 'error decoding patch: json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    });

    it('a patch that yields an invalid object is a 422 naming the field', async function () {
      const r = await patch('application/merge-patch+json', JSON.stringify({ metadata: { labels: { extra: '-bad-' } } }));
      assert.equal(r.status, 422);
      assert.equal(r.body.reason, 'Invalid');
      // kube-apiserver reports a bad label once per ObjectMeta check a Deployment update runs: validateCommonFields'
      // two and ValidateDeploymentUpdate's own (the recorded TestValidateDeploymentUpdate cases in
      // test/fixtures/validation/cases/apps.json); the aggregate message names it once.
      assert.deepEqual(
        r.body.details.causes.map((c: { field: string }) => c.field),
        ['metadata.labels', 'metadata.labels', 'metadata.labels'],
      );
      assert.match(r.body.message, /^Deployment\.apps "web" is invalid: metadata\.labels: Invalid value: "-bad-": a valid label must be/);
    });

    it('a wrongly typed result is a 422 on field patch', async function () {
      const r = await patch('application/merge-patch+json', JSON.stringify({ spec: { replicas: 'many' } }));
      assert.equal(r.status, 422);
      assert.equal(r.body.details.causes[0].field, 'patch');
      assert.match(r.body.message, /^ "" is invalid: patch: Invalid value: /);
    });

    it('an unknown $patch directive is a 500 with the library message', async function () {
      const r = await patch(
        'application/strategic-merge-patch+json',
        JSON.stringify({ spec: { template: { spec: { $patch: 'frobnicate' } } } }),
      );
      assert.equal(r.status, 500);
      assert.equal(r.body.reason, undefined);
      assert.equal(r.body.message, 'unknown patch type: frobnicate in map: map[$patch:frobnicate]');
    });

    it('a merge-key item without its key is a 500, a bad $retainKeys a 400', async function () {
      const noKey = await patch(
        'application/strategic-merge-patch+json',
        JSON.stringify({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } }),
      );
      assert.equal(noKey.status, 500);
      assert.equal(noKey.body.message, 'map: map[image:x] does not contain declared merge key: name');
      const retain = await patch(
        'application/strategic-merge-patch+json',
        JSON.stringify({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }),
      );
      assert.equal(retain.status, 400);
      assert.equal(retain.body.message, 'invalid patch format of retainKeys');
    });

    it('unknown fields: a warning by default, a 422 under Strict', async function () {
      const body = JSON.stringify({ spec: { bogus: 1 } });
      const strict = await patch('application/merge-patch+json', body, '?fieldValidation=Strict');
      assert.equal(strict.status, 422);
      assert.match(strict.body.message, /strict decoding error: unknown field "spec\.bogus"$/);
      const warn = await patch('application/merge-patch+json', body, '?dryRun=All');
      assert.equal(warn.status, 200);
      assert.match(String(warn.headers.warning), /unknown field \\?"spec\.bogus\\?"/);
    });

    it('a stale resourceVersion in the patch is a 409', async function () {
      const r = await patch('application/merge-patch+json', JSON.stringify({ metadata: { resourceVersion: '1' }, spec: { replicas: 4 } }));
      assert.equal(r.status, 409);
      assert.equal(
        r.body.message,
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      );
    });

    it('a patch that renames the object is a 400', async function () {
      const r = await patch('application/merge-patch+json', JSON.stringify({ metadata: { name: 'other' } }));
      assert.equal(r.status, 400);
      assert.equal(r.body.message, 'the name of the object (other) does not match the name on the URL (web)');
    });

    it("an unsupported Content-Type is the router's 415", async function () {
      const r = await patch('application/json', '{}');
      assert.equal(r.status, 415);
      assert.equal(r.body.message, '415: Unsupported Media Type');
      assert.deepEqual(r.body.details, {});
    });

    it('force on a non-apply patch and a bad dryRun are 422 on PatchOptions', async function () {
      const r = await patch('application/merge-patch+json', '{}', '?force=true&dryRun=Nope');
      assert.equal(r.status, 422);
      assert.equal(
        r.body.message,
        'PatchOptions.meta.k8s.io "" is invalid: [force: Forbidden: may not be specified for non-apply patch, dryRun: Unsupported value: ["Nope"]: supported values: "All"]',
      );
    });

    it('concurrent patches all land: races re-apply the patch to the fresh object', async function () {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          patch('application/merge-patch+json', JSON.stringify({ metadata: { labels: { [`race-${i}`]: 'yes' } } })),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        Array(8).fill(200),
      );
      const labels = (await getJSON('deployment', 'web', BAD_NS)).metadata.labels;
      for (let i = 0; i < 8; i++) assert.equal(labels[`race-${i}`], 'yes');
      revisionBefore = await etcdModRevision(key);
    });

    it('a patch on a missing object is a 404', async function () {
      const r = await kg.request('PATCH', `/apis/apps/v1/namespaces/${BAD_NS}/deployments/missing`, {
        raw: '{}',
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      assert.equal(r.status, 404);
      assert.equal(r.body.message, 'deployments.apps "missing" not found');
    });
  });
});
