// Server-side apply with the real kubectl against a real kgate on a real etcd: create and update by apply,
// a second manager's conflict, --force-conflicts, --show-managed-fields, the client-side → server-side
// migration, plus the exact HTTP answers of the apply endpoint.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as yamlParse } from 'yaml';
import { typeForKind, updateManagedFields } from '../../src/registry/apply/index.js';
import { startKgate, type Kgate } from '../support/kgate.js';

const NS = 'ssa';

function deployment(name: string, replicas: number, image = 'nginx:1.27'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
`;
}

const APPLY = { 'content-type': 'application/apply-patch+yaml' };

describe('kubectl server-side apply against kgate', function () {
  let kg: Kgate;
  let dir: string;

  const write = async (file: string, text: string): Promise<string> => {
    const path = join(dir, file);
    await writeFile(path, text);
    return path;
  };

  /** Server-side applies deployment(name, replicas) as `manager` (kubectl's default manager when omitted). */
  const applyAs = async (name: string, replicas: number, manager?: string, force = false): Promise<void> => {
    const file = await write(`${name}-${manager ?? 'kubectl'}-${replicas}.yaml`, deployment(name, replicas));
    const args = [
      'apply',
      '--server-side',
      ...(manager ? [`--field-manager=${manager}`] : []),
      ...(force ? ['--force-conflicts'] : []),
      '-f',
      file,
    ];
    await kg.kubectl(args);
  };

  before(async function () {
    kg = await startKgate();
    dir = await mkdtemp(join(tmpdir(), 'kgate-ssa-'));
    await kg.kubectl(['create', 'namespace', NS]);
  });
  after(async function () {
    await kg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates, then updates, with kubectl apply --server-side', async function () {
    const file = await write('web.yaml', deployment('web', 2));
    const created = await kg.kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(created.stdout.trim(), 'deployment.apps/web serverside-applied');
    await write('web.yaml', deployment('web', 3));
    await kg.kubectl(['apply', '--server-side', '-f', file]);
    const replicas = await kg.kubectl(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(replicas.stdout, '3');
  });

  it('shows the Apply entry with --show-managed-fields', async function () {
    await applyAs('shown', 3);
    const r = await kg.kubectl(['get', 'deploy', 'shown', '-n', NS, '-o', 'yaml', '--show-managed-fields']);
    const obj = yamlParse(r.stdout);
    const entries = obj.metadata.managedFields as any[];
    const apply = entries.find((e) => e.manager === 'kubectl' && e.operation === 'Apply');
    assert.ok(apply, `no kubectl Apply entry in ${JSON.stringify(entries)}`);
    assert.equal(apply.apiVersion, 'apps/v1');
    assert.equal(apply.fieldsType, 'FieldsV1');
    assert.deepEqual(apply.fieldsV1['f:spec']['f:replicas'], {});
    assert.deepEqual(apply.fieldsV1['f:spec']['f:selector'], {});
    const plain = await kg.kubectl(['get', 'deploy', 'shown', '-n', NS, '-o', 'yaml']);
    assert.doesNotMatch(plain.stdout, /managedFields/);
  });

  it("a second manager changing an owned field gets kubectl's conflict error naming the field", async function () {
    await applyAs('contested', 3);
    const file = await write('contested-other.yaml', deployment('contested', 5));
    const r = await kg.kubectl(['apply', '--server-side', '--field-manager=other', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
    const replicas = await kg.kubectl(['get', 'deploy', 'contested', '-n', NS, '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(replicas.stdout, '3');
  });

  it('--force-conflicts takes the field over', async function () {
    await applyAs('forced', 3);
    const file = await write('forced-other.yaml', deployment('forced', 5));
    await kg.kubectl(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', file]);
    const obj = JSON.parse((await kg.kubectl(['get', 'deploy', 'forced', '-n', NS, '-o', 'json', '--show-managed-fields'])).stdout);
    assert.equal(obj.spec.replicas, 5);
    const byManager = Object.fromEntries(obj.metadata.managedFields.map((e: any) => [e.manager, e]));
    assert.deepEqual(byManager.other.fieldsV1['f:spec']['f:replicas'], {});
    assert.equal(byManager.kubectl.fieldsV1['f:spec']['f:replicas'], undefined);
  });

  it('migrates from client-side apply: kubectl apply, then kubectl apply --server-side, without conflicts', async function () {
    const file = await write('csa.yaml', deployment('csa', 2));
    await kg.kubectl(['apply', '-f', file]);
    await write('csa.yaml', deployment('csa', 2, 'nginx:1.28'));
    const r = await kg.kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(r.stdout.trim(), 'deployment.apps/csa serverside-applied');
    const obj = JSON.parse((await kg.kubectl(['get', 'deploy', 'csa', '-n', NS, '-o', 'json', '--show-managed-fields'])).stdout);
    assert.equal(obj.spec.template.spec.containers[0].image, 'nginx:1.28');
    assert.ok(obj.metadata.managedFields.some((e: any) => e.manager === 'kubectl' && e.operation === 'Apply'));
  });

  it('migrates when managedFields record the client-side apply as kubectl-client-side-apply', async function () {
    const file = await write('hist.yaml', deployment('hist', 2));
    await kg.kubectl(['apply', '-f', file]);
    const path = `/apis/apps/v1/namespaces/${NS}/deployments/hist`;
    const live = (await kg.request('GET', path)).body;
    // What kube records for kubectl's client-side apply create: one Update entry owning every field.
    const recorded = structuredClone(live);
    delete recorded.metadata.managedFields;
    updateManagedFields(undefined, recorded, {
      type: typeForKind('apps', 'v1', 'Deployment'),
      manager: 'kubectl-client-side-apply',
      apiVersion: 'apps/v1',
    });
    const patched = await kg.request('PATCH', path, {
      raw: JSON.stringify([{ op: 'replace', path: '/metadata/managedFields', value: recorded.metadata.managedFields }]),
      headers: { 'content-type': 'application/json-patch+json' },
    });
    assert.equal(patched.status, 200, patched.text);

    await write('hist.yaml', deployment('hist', 2, 'nginx:1.28'));
    const r = await kg.kubectl(['apply', '--server-side', '-f', file]);
    assert.equal(r.stdout.trim(), 'deployment.apps/hist serverside-applied');
    const obj = JSON.parse((await kg.kubectl(['get', 'deploy', 'hist', '-n', NS, '-o', 'json', '--show-managed-fields'])).stdout);
    assert.equal(obj.spec.template.spec.containers[0].image, 'nginx:1.28');
    const managers = obj.metadata.managedFields.map((e: any) => `${e.manager}/${e.operation}`);
    assert.ok(managers.includes('kubectl/Apply'), managers.join(','));
    // The server keeps the last-applied annotation in step with what kubectl applied.
    const lastApplied = JSON.parse(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.equal(lastApplied.spec.template.spec.containers[0].image, 'nginx:1.28');
  });

  it("answers the apply endpoint's errors as kube does", async function () {
    // "other" owns .spec.replicas, taken over from kubectl.
    await applyAs('endpoint', 3);
    await applyAs('endpoint', 5, 'other', true);
    const path = `/apis/apps/v1/namespaces/${NS}/deployments/endpoint`;
    const noManager = await kg.request('PATCH', path, { raw: deployment('endpoint', 1), headers: APPLY });
    assert.equal(noManager.status, 422);
    assert.equal(
      noManager.body.message,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );

    const withMF = await kg.request('PATCH', `${path}?fieldManager=x`, {
      raw: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'endpoint', managedFields: [] } }),
      headers: APPLY,
    });
    assert.equal(withMF.status, 400);
    assert.equal(withMF.body.message, 'metadata.managedFields must be nil');

    const wrongKind = await kg.request('PATCH', `${path}?fieldManager=x`, { raw: '{"apiVersion":"v1","kind":"Pod"}', headers: APPLY });
    assert.equal(wrongKind.status, 400);
    assert.equal(wrongKind.body.message, 'invalid object type: /v1, Kind=Pod');

    const conflict = await kg.request('PATCH', `${path}?fieldManager=third`, {
      raw: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'endpoint' }, spec: { replicas: 9 } }),
      headers: APPLY,
    });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.reason, 'Conflict');
    assert.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "other": .spec.replicas');
    assert.deepEqual(conflict.body.details, {
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "other"', field: '.spec.replicas' }],
    });

    const created = await kg.request('PATCH', `/api/v1/namespaces/${NS}/configmaps/fresh?fieldManager=x`, {
      raw: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata:\n  a: "1"\n',
      headers: APPLY,
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.data, { a: '1' });
    assert.equal(created.body.metadata.managedFields[0].manager, 'x');

    const again = await kg.request('PATCH', `/api/v1/namespaces/${NS}/configmaps/fresh?fieldManager=x`, {
      raw: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\ndata:\n  a: "1"\n',
      headers: APPLY,
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.metadata.resourceVersion, created.body.metadata.resourceVersion, 'a no-op apply writes nothing');

    const unknown = await kg.request('PATCH', `/api/v1/namespaces/${NS}/configmaps/fresh?fieldManager=x`, {
      raw: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fresh"},"bogus":1}',
      headers: APPLY,
    });
    assert.equal(unknown.status, 500);
    assert.equal(
      unknown.body.message,
      `failed to create typed patch object (${NS}/fresh; /v1, Kind=ConfigMap): .bogus: field not declared in schema`,
    );
  });
});
