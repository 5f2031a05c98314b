// What `kubectl get` prints from kgate's server-side tables, and the dry-run, wait, scale-precondition and
// validation flags, with the real kubectl.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKgate, type Kgate } from '../support/kgate.js';

const NS = 'printing';

const manifests = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${NS}
  labels: {app: api, tier: back}
spec:
  replicas: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: example/api:2.1
      - name: sidecar
        image: example/proxy:1.0
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: ${NS}
spec:
  selector: {app: api}
  ports:
  - port: 80
    targetPort: 8080
    protocol: TCP
---
apiVersion: v1
kind: Pod
metadata:
  name: zeta
  namespace: ${NS}
  labels: {app: api, tier: back}
spec:
  containers:
  - name: c
    image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata:
  name: alpha
  namespace: ${NS}
  labels: {app: web}
spec:
  containers:
  - name: c
    image: nginx:1.27
---
apiVersion: v1
kind: Event
metadata:
  name: zeta.1
  namespace: ${NS}
involvedObject:
  kind: Pod
  name: zeta
  namespace: ${NS}
reason: Scheduled
message: Successfully assigned printing/zeta to node-1
type: Normal
source:
  component: default-scheduler
count: 1
`;

function rows(out: string): string[][] {
  return out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

describe('kubectl get columns and flags', function () {
  let kg: Kgate;
  let dir: string;

  before(async function () {
    kg = await startKgate();
    dir = await mkdtemp(join(tmpdir(), 'kgate-get-'));
    await writeFile(join(dir, 'all.yaml'), manifests);
    await kg.kubectl(['create', '-f', join(dir, 'all.yaml')]);
  });
  after(async function () {
    await kg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('get pods prints NAME READY STATUS RESTARTS AGE', async function () {
    const t = rows((await kg.kubectl(['get', 'pods', '-n', NS])).stdout);
    assert.deepEqual(t[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(
      t.slice(1).map((r) => r.slice(0, 4)),
      [
        ['alpha', '0/1', 'Pending', '0'],
        ['zeta', '0/1', 'Pending', '0'],
      ],
    );
  });

  it('get deploy -o wide adds containers, images and selector', async function () {
    const t = rows((await kg.kubectl(['get', 'deploy', '-n', NS, '-o', 'wide'])).stdout);
    assert.deepEqual(t[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const [name, ready, upToDate, available, , containers, images, selector] = t[1];
    assert.deepEqual([name, ready, upToDate, available], ['api', '0/3', '0', '0']);
    assert.equal(containers, 'api,sidecar');
    assert.equal(images, 'example/api:2.1,example/proxy:1.0');
    assert.equal(selector, 'app=api');
  });

  it('get svc prints type, cluster IP, ports', async function () {
    const t = rows((await kg.kubectl(['get', 'svc', '-n', NS])).stdout);
    assert.deepEqual(t[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.deepEqual(t[1].slice(0, 2), ['api', 'ClusterIP']);
    assert.equal(t[1][3], '<none>');
    assert.equal(t[1][4], '80/TCP');
  });

  it('get all lists the category "all" across groups', async function () {
    const out = (await kg.kubectl(['get', 'all', '-n', NS, '-o', 'name'])).stdout.trim().split('\n').sort();
    assert.deepEqual(out, ['deployment.apps/api', 'pod/alpha', 'pod/zeta', 'service/api']);
  });

  it('get events prints LAST SEEN TYPE REASON OBJECT MESSAGE', async function () {
    const t = rows((await kg.kubectl(['get', 'events', '-n', NS])).stdout);
    assert.deepEqual(t[0], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.deepEqual(t[1].slice(1), ['Normal', 'Scheduled', 'pod/zeta', 'Successfully assigned printing/zeta to node-1']);
  });

  it('-o custom-columns, --sort-by, --show-labels and -L', async function () {
    const custom = rows(
      (await kg.kubectl(['get', 'pods', '-n', NS, '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image'])).stdout,
    );
    assert.deepEqual(custom, [
      ['NAME', 'IMAGE'],
      ['alpha', 'nginx:1.27'],
      ['zeta', 'busybox:1.36'],
    ]);
    const sorted = (await kg.kubectl(['get', 'pods', '-n', NS, '--sort-by=.spec.containers[0].image', '-o', 'name'])).stdout
      .trim()
      .split('\n');
    assert.deepEqual(sorted, ['pod/zeta', 'pod/alpha']);
    const labels = rows((await kg.kubectl(['get', 'pods', '-n', NS, '--show-labels'])).stdout);
    assert.equal(labels[0].at(-1), 'LABELS');
    assert.equal(labels[1].at(-1), 'app=web');
    assert.equal(labels[2].at(-1), 'app=api,tier=back');
    const byL = rows((await kg.kubectl(['get', 'pods', '-n', NS, '-L', 'tier'])).stdout);
    assert.equal(byL[0].at(-1), 'TIER');
    assert.equal(byL[2].at(-1), 'back');
  });

  it('create --dry-run=server and apply --dry-run=server answer without storing', async function () {
    const cm = join(dir, 'cm.yaml');
    await writeFile(cm, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n  namespace: ${NS}\ndata:\n  a: "1"\n`);
    const created = await kg.kubectl(['create', '-f', cm, '--dry-run=server', '-o', 'jsonpath={.metadata.uid}']);
    assert.match(created.stdout, /^[0-9a-f-]{36}$/);
    const applied = await kg.kubectl(['apply', '-f', cm, '--dry-run=server']);
    assert.equal(applied.stdout.trim(), 'configmap/dry created (server dry run)');
    const get = await kg.kubectl(['get', 'cm', 'dry', '-n', NS], { allowFail: true });
    assert.notEqual(get.code, 0);
    assert.match(get.stderr, /configmaps "dry" not found/);
  });

  it('wait --for=jsonpath sees a status change', async function () {
    const waiting = kg.kubectl(['wait', '-n', NS, 'pod/zeta', '--for=jsonpath={.status.phase}=Running', '--timeout=60s']);
    const pod = (await kg.request('GET', `/api/v1/namespaces/${NS}/pods/zeta`)).body;
    const r = await kg.request('PUT', `/api/v1/namespaces/${NS}/pods/zeta/status`, {
      body: { ...pod, status: { ...pod.status, phase: 'Running' } },
    });
    assert.equal(r.status, 200, r.text);
    const done = await waiting;
    assert.equal(done.stdout.trim(), 'pod/zeta condition met');
  });

  it('scale --replicas=5, and --current-replicas that does not match is refused', async function () {
    const ok = await kg.kubectl(['scale', '-n', NS, 'deploy/api', '--replicas=5']);
    assert.equal(ok.stdout.trim(), 'deployment.apps/api scaled');
    const refused = await kg.kubectl(['scale', '-n', NS, 'deploy/api', '--current-replicas=2', '--replicas=7'], { allowFail: true });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Expected replicas to be 2, was 5/);
    const replicas = await kg.kubectl(['get', '-n', NS, 'deploy/api', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(replicas.stdout, '5');
  });

  it('an unknown field fails strict validation, and --validate=false drops it', async function () {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: loose\n  namespace: ${NS}\ndata:\n  a: "1"\nbogus: true\n`);
    const strict = await kg.kubectl(['create', '-f', bad], { allowFail: true });
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /unknown field "bogus"/);
    const loose = await kg.kubectl(['create', '-f', bad, '--validate=false']);
    assert.equal(loose.stdout.trim(), 'configmap/loose created');
    const stored = (await kg.request('GET', `/api/v1/namespaces/${NS}/configmaps/loose`)).body;
    assert.equal(stored.bogus, undefined);
    assert.deepEqual(stored.data, { a: '1' });
  });
});
