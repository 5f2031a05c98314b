// The commands users type, with the real kubectl against a real kgate on a real etcd, asserting what
// kubectl prints.
import { KUBECTL } from '../support/clients.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKgate, type Kgate } from '../support/kgate.js';

/** The manifests `create -f` reads, in one namespace. */
const manifests = (ns: string) => ({
  pod: `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: ${ns}
  labels: {app: web, tier: front}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
`,
  deployment: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${ns}
  labels: {app: api}
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: example/api:2.1
`,
  service: `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: ${ns}
spec:
  selector: {app: api}
  ports:
  - port: 80
    targetPort: 8080
`,
  configmap: `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${ns}
data:
  mode: production
  retries: "3"
`,
  secret: `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: ${ns}
type: Opaque
stringData:
  password: s3cret
`,
});

describe('kubectl against kgate', function () {
  let kg: Kgate;
  let dir: string;

  /** Writes the manifests for `ns` and returns their paths by name. */
  async function writeManifests(ns: string): Promise<Record<string, string>> {
    const paths: Record<string, string> = {};
    for (const [name, text] of Object.entries(manifests(ns))) {
      paths[name] = join(dir, `${ns}-${name}.yaml`);
      await writeFile(paths[name], text);
    }
    return paths;
  }

  before(async function () {
    kg = await startKgate();
    dir = await mkdtemp(join(tmpdir(), 'kgate-kubectl-'));
    // The read-only commands below look at namespace "shop" holding one of each manifest.
    await kg.kubectl(['create', 'namespace', 'shop']);
    for (const path of Object.values(await writeManifests('shop'))) await kg.kubectl(['create', '-f', path]);
  });
  after(async function () {
    await kg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('create namespace', async function () {
    const r = await kg.kubectl(['create', 'namespace', 'store']);
    assert.equal(r.stdout.trim(), 'namespace/store created');
    const ns = await kg.kubectl(['get', 'ns', 'store', '-o', 'jsonpath={.status.phase}']);
    assert.equal(ns.stdout, 'Active');
  });

  it('create -f a Pod, a Deployment, a Service, a ConfigMap and a Secret from YAML', async function () {
    await kg.kubectl(['create', 'namespace', 'outlet']);
    for (const [name, path] of Object.entries(await writeManifests('outlet'))) {
      const r = await kg.kubectl(['create', '-f', path]);
      assert.match(r.stdout, /created/, name);
    }
    const names = await kg.kubectl(['get', 'pods,deployments,services,configmaps,secrets', '-n', 'outlet', '-o', 'name']);
    const lines = names.stdout.trim().split('\n').sort();
    assert.deepEqual(lines, ['configmap/settings', 'deployment.apps/api', 'pod/web', 'secret/creds', 'service/api']);
  });

  it('get prints server-side columns, -o yaml, -o json and -o jsonpath', async function () {
    const pods = await kg.kubectl(['get', 'pods', '-n', 'shop']);
    const [header, ...rows] = pods.stdout.trim().split('\n');
    const row = rows.find((r) => r.startsWith('web '));
    assert.match(header, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.match(row ?? pods.stdout, /^web\s+0\/1\s+Pending\s+0\s+\d+s$/);
    const yaml = await kg.kubectl(['get', 'pod', 'web', '-n', 'shop', '-o', 'yaml']);
    assert.match(yaml.stdout, /^kind: Pod$/m);
    assert.match(yaml.stdout, /image: nginx:1\.27/);
    assert.match(yaml.stdout, /resourceVersion: "\d+"/);
    const json = JSON.parse((await kg.kubectl(['get', 'deploy', 'api', '-n', 'shop', '-o', 'json'])).stdout);
    assert.equal(json.kind, 'Deployment');
    assert.equal(json.spec.replicas, 2);
    assert.equal(json.metadata.generation, 1);
    const secret = await kg.kubectl(['get', 'secret', 'creds', '-n', 'shop', '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(secret.stdout, 'base64').toString(), 's3cret');
    const cm = await kg.kubectl(['get', 'cm', '-n', 'shop', 'settings', '-o', 'jsonpath={.data.mode}']);
    assert.equal(cm.stdout, 'production');
  });

  it('describe pod', async function () {
    const r = await kg.kubectl(['describe', 'pod', 'web', '-n', 'shop']);
    assert.match(r.stdout, /^Name:\s+web$/m);
    assert.match(r.stdout, /^Namespace:\s+shop$/m);
    assert.match(r.stdout, /^Labels:\s+app=web$/m);
    assert.match(r.stdout, /Image:\s+nginx:1\.27/);
    assert.match(r.stdout, /^Status:\s+Pending$/m);
  });

  it('get -l and --field-selector', async function () {
    // Every namespace's pod "web" carries tier=front; no other pod does.
    const byLabel = await kg.kubectl(['get', 'pods', '-A', '-l', 'tier=front', '-o', 'name']);
    assert.deepEqual([...new Set(byLabel.stdout.trim().split('\n'))], ['pod/web']);
    const none = await kg.kubectl(['get', 'pods', '-n', 'shop', '-l', 'tier notin (front)', '-o', 'name']);
    assert.equal(none.stdout.trim(), '');
    const byField = await kg.kubectl([
      'get',
      'pods',
      '-n',
      'shop',
      '--field-selector',
      'status.phase=Pending,metadata.name=web',
      '-o',
      'name',
    ]);
    assert.equal(byField.stdout.trim(), 'pod/web');
    const bad = await kg.kubectl(['get', 'pods', '-n', 'shop', '--field-selector', 'spec.bogus=x'], { allowFail: true });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /field label not supported: spec\.bogus/);
  });

  it('get --raw /api/v1/nodes', async function () {
    const r = await kg.kubectl(['get', '--raw', '/api/v1/nodes']);
    const list = JSON.parse(r.stdout);
    assert.equal(list.kind, 'NodeList');
    assert.deepEqual(list.items, []);
    assert.match(list.metadata.resourceVersion, /^\d+$/);
  });

  it('api-resources and api-versions', async function () {
    const res = await kg.kubectl(['api-resources']);
    assert.match(res.stdout, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(res.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(res.stdout, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    const versions = (await kg.kubectl(['api-versions'])).stdout.trim().split('\n');
    for (const v of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1']) {
      assert.ok(versions.includes(v), `${v} in ${versions.join(',')}`);
    }
  });

  it('run and create deployment', async function () {
    const run = await kg.kubectl(['run', 'nginx', '--image=nginx', '-n', 'shop']);
    assert.equal(run.stdout.trim(), 'pod/nginx created');
    const image = await kg.kubectl([
      'get',
      'pod',
      'nginx',
      '-n',
      'shop',
      '-o',
      'jsonpath={.spec.containers[0].image} {.metadata.labels.run}',
    ]);
    assert.equal(image.stdout, 'nginx nginx');
    const dep = await kg.kubectl(['create', 'deployment', 'my-deployment', '--image=nginx', '-n', 'shop']);
    assert.equal(dep.stdout.trim(), 'deployment.apps/my-deployment created');
    const sel = await kg.kubectl(['get', 'deploy', 'my-deployment', '-n', 'shop', '-o', 'jsonpath={.spec.selector.matchLabels.app}']);
    assert.equal(sel.stdout, 'my-deployment');
  });

  it('get pods -w sees a concurrent change', async function () {
    const child = spawn(KUBECTL, ['get', 'pods', '-n', 'shop', '-w', '--output-watch-events'], {
      env: { ...process.env, KUBECONFIG: kg.kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const seen = new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`kubectl -w never printed the new pod; got:\n${out}`)), 30_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        // The initial listing has printed; make the concurrent change once.
        if (out.includes('web') && !out.includes('watched')) {
          out += '\n(watched)\n';
          void kg.kubectl(['run', 'watched', '--image=busybox', '-n', 'shop']).catch(reject);
        }
        if (/^ADDED\s+watched\s/m.test(out)) {
          clearTimeout(deadline);
          resolve();
        }
      });
    });
    try {
      await seen;
    } finally {
      child.kill();
    }
    assert.match(out, /^EVENT\s+NAME\s+READY\s+STATUS/m);
  });

  it('delete waits for the object to go and reports it', async function () {
    await kg.kubectl(['run', 'doomed', '--image=nginx', '-n', 'shop']);
    const r = await kg.kubectl(['delete', 'pod', 'doomed', '-n', 'shop', '--timeout=30s']);
    // kubectl 1.34 names the namespace it deleted from.
    assert.equal(r.stdout.trim(), 'pod "doomed" deleted from shop namespace');
    const after = await kg.kubectl(['get', 'pod', 'doomed', '-n', 'shop'], { allowFail: true });
    assert.notEqual(after.code, 0);
    assert.match(after.stderr, /pods "doomed" not found/);
  });
});
