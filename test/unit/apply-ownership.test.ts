// Server-side apply ownership table: managers, shared ownership, conflicts, force, removal, list and map
// granularity, and Update bookkeeping, on the built-in schemas (structured-merge-diff's semantics).
import assert from 'node:assert/strict';
import {
  applyConflictError,
  applyObject,
  conflictMessage,
  decodeFieldsV1,
  encodeFieldsV1,
  managerFromRequest,
  typeForKind,
  updateManagedFields,
  type ApplyOutcome,
  type Conflict,
} from '../../src/registry/apply/index.js';
import type { KubeObject } from '../../src/storage/interface.js';

const DEPLOY = typeForKind('apps', 'v1', 'Deployment');
const POD = typeForKind('', 'v1', 'Pod');
const CM = typeForKind('', 'v1', 'ConfigMap');
const T0 = new Date('2024-01-01T00:00:00Z');
const T1 = new Date('2024-01-01T00:00:05Z');

function ok(r: ApplyOutcome): KubeObject {
  if (!r.ok) assert.fail(`unexpected conflicts: ${conflictMessage(r.conflicts)}`);
  return r.object;
}

function conflicts(r: ApplyOutcome): Conflict[] {
  if (r.ok) assert.fail('expected conflicts');
  return r.conflicts;
}

function entry(obj: KubeObject, manager: string): any {
  return (obj.metadata?.managedFields ?? []).find((e: any) => e.manager === manager);
}

function applyDeploy(live: KubeObject | undefined, cfg: KubeObject, manager: string, force = false, now = T0): ApplyOutcome {
  return applyObject(live, cfg, { type: DEPLOY, manager, apiVersion: 'apps/v1', force, now });
}

function deploy(spec: Record<string, unknown>, labels: Record<string, string> = { app: 'web' }): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels }, spec };
}

const TEMPLATE = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1', ports: [{ containerPort: 80 }] }] },
};

describe('server-side apply: FieldsV1', () => {
  it('round-trips members, "." and key elements in structured-merge-diff order', () => {
    const wire = {
      'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {} } }, 'f:finalizers': { 'v:"x"': {} } },
    };
    const set = decodeFieldsV1(wire);
    assert.deepEqual(encodeFieldsV1(set), wire);
    const reordered = encodeFieldsV1(decodeFieldsV1({ 'f:z': {}, 'k:{"b":1,"a":"x"}': {}, 'f:a': {}, 'v:2': {}, 'v:1': {} }));
    assert.deepEqual(Object.keys(reordered), ['f:a', 'f:z', 'k:{"a":"x","b":1}', 'v:1', 'v:2']);
  });

  it('rejects malformed fieldsV1', () => {
    assert.throws(() => decodeFieldsV1({ 'x:bad': {} }));
    assert.throws(() => decodeFieldsV1({ 'f:a': 'nope' }));
  });
});

describe('server-side apply: ownership', () => {
  it('records what the applier sent: granular maps per key, atomic structs whole, keyed list items with defaults', () => {
    const obj = ok(applyDeploy(undefined, deploy({ replicas: 3, selector: { matchLabels: { app: 'web' } }, template: TEMPLATE }), 'mgr-a'));
    const e = entry(obj, 'mgr-a');
    assert.equal(e.operation, 'Apply');
    assert.equal(e.apiVersion, 'apps/v1');
    assert.equal(e.time, '2024-01-01T00:00:00Z');
    assert.deepEqual(e.fieldsV1['f:metadata'], { 'f:labels': { 'f:app': {} } });
    assert.deepEqual(e.fieldsV1['f:spec']['f:selector'], {});
    const container = e.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}'];
    assert.deepEqual(container['f:ports'], { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } });
    assert.equal(obj.spec.replicas, 3);
  });

  it('shares ownership of equal values between two appliers', () => {
    const first = ok(applyDeploy(undefined, deploy({ replicas: 3 }), 'mgr-a'));
    const second = ok(applyDeploy(first, deploy({ replicas: 3 }), 'mgr-b'));
    assert.deepEqual(entry(second, 'mgr-a').fieldsV1['f:spec'], { 'f:replicas': {} });
    assert.deepEqual(entry(second, 'mgr-b').fieldsV1['f:spec'], { 'f:replicas': {} });
    // Any later change by one of them now conflicts with the other.
    const c = conflicts(applyDeploy(second, deploy({ replicas: 4 }), 'mgr-a'));
    assert.deepEqual(
      c.map((x) => x.manager.manager),
      ['mgr-b'],
    );
  });

  it("conflicts on a different value, with kube's message and causes", () => {
    const first = ok(applyDeploy(undefined, deploy({ replicas: 3 }), 'mgr-a'));
    const c = conflicts(applyDeploy(first, deploy({ replicas: 5 }), 'mgr-b'));
    const err = applyConflictError(c);
    assert.equal(err.status.code, 409);
    assert.equal(err.status.reason, 'Conflict');
    assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "mgr-a": .spec.replicas');
    assert.deepEqual(err.status.details, {
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "mgr-a"', field: '.spec.replicas' }],
    });
  });

  it('names Update managers with their apiVersion and groups several conflicts per manager', () => {
    const first = ok(applyDeploy(undefined, deploy({ replicas: 3 }, { app: 'web' }), 'mgr-a'));
    const updated = structuredClone(first);
    updated.spec.paused = true;
    updateManagedFields(first, updated, { type: DEPLOY, manager: 'ctl', apiVersion: 'apps/v1', now: T1 });
    const c = conflicts(applyDeploy(updated, deploy({ replicas: 5, paused: false }, { app: 'other' }), 'mgr-b'));
    assert.equal(
      conflictMessage(c),
      'Apply failed with 3 conflicts: conflicts with "ctl" using apps/v1:\n- .spec.paused\nconflicts with "mgr-a":\n- .metadata.labels.app\n- .spec.replicas',
    );
  });

  it('force takes ownership away from the other manager', () => {
    const first = ok(applyDeploy(undefined, deploy({ replicas: 3, paused: false }), 'mgr-a'));
    const forced = ok(applyDeploy(first, deploy({ replicas: 5 }), 'mgr-b', true, T1));
    assert.equal(forced.spec.replicas, 5);
    assert.deepEqual(entry(forced, 'mgr-a').fieldsV1['f:spec'], { 'f:paused': {} });
    assert.deepEqual(entry(forced, 'mgr-b').fieldsV1['f:spec'], { 'f:replicas': {} });
    assert.equal(entry(forced, 'mgr-b').time, '2024-01-01T00:00:05Z');
  });

  it('a manager that loses every field disappears', () => {
    const first = ok(
      applyDeploy(undefined, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } }, 'mgr-a'),
    );
    const forced = ok(applyDeploy(first, deploy({ replicas: 5 }), 'mgr-b', true));
    assert.equal(entry(forced, 'mgr-a'), undefined);
  });

  it('removes a field when its only owner stops applying it', () => {
    const first = ok(applyDeploy(undefined, deploy({ replicas: 3, paused: true }, { app: 'web', tier: 'front' }), 'mgr-a'));
    const second = ok(applyDeploy(first, deploy({ paused: true }, { app: 'web' }), 'mgr-a'));
    assert.equal(second.spec.replicas, undefined);
    assert.deepEqual(second.metadata!.labels, { app: 'web' });
    assert.deepEqual(entry(second, 'mgr-a').fieldsV1['f:spec'], { 'f:paused': {} });
  });

  it('keeps a field another applier still owns', () => {
    const a = ok(applyDeploy(undefined, deploy({ replicas: 3 }), 'mgr-a'));
    const b = ok(applyDeploy(a, deploy({ replicas: 3 }), 'mgr-b'));
    const dropped = ok(applyDeploy(b, deploy({}), 'mgr-a'));
    assert.equal(dropped.spec.replicas, 3);
    assert.deepEqual(entry(dropped, 'mgr-b').fieldsV1['f:spec'], { 'f:replicas': {} });
  });

  it('keeps a field an updater took over', () => {
    const a = ok(applyDeploy(undefined, deploy({ replicas: 3 }), 'mgr-a'));
    const scaled = structuredClone(a);
    scaled.spec.replicas = 4;
    updateManagedFields(a, scaled, { type: DEPLOY, manager: 'scaler', apiVersion: 'apps/v1', now: T1 });
    assert.equal(entry(scaled, 'mgr-a').fieldsV1['f:spec'], undefined);
    const dropped = ok(applyDeploy(scaled, deploy({}), 'mgr-a'));
    assert.equal(dropped.spec.replicas, 4);
  });

  it('removes a list item the applier dropped even when an updater set a field inside it', () => {
    const two = {
      ...TEMPLATE,
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx:1' },
          { name: 'side', image: 'busybox' },
        ],
      },
    };
    const a = ok(applyDeploy(undefined, deploy({ template: two }), 'mgr-a'));
    const touched = structuredClone(a);
    touched.spec.template.spec.containers[0].workingDir = '/srv';
    updateManagedFields(a, touched, { type: DEPLOY, manager: 'ctl', apiVersion: 'apps/v1' });
    const one = { ...TEMPLATE, spec: { containers: [{ name: 'side', image: 'busybox' }] } };
    const after = ok(applyDeploy(touched, deploy({ template: one }), 'mgr-a'));
    assert.deepEqual(
      after.spec.template.spec.containers.map((c: any) => c.name),
      ['side'],
    );
  });
});

describe('server-side apply: lists and maps', () => {
  const pod = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...meta },
    spec,
  });
  const applyPod = (live: KubeObject | undefined, cfg: KubeObject, manager: string, force = false) =>
    applyObject(live, cfg, { type: POD, manager, apiVersion: 'v1', force, now: T0 });
  const containers = (...names: string[]) => names.map((name) => ({ name, image: `${name}:1` }));

  it('listType=set: values are owned one by one and unioned', () => {
    const a = ok(applyPod(undefined, pod({ containers: containers('c') }, { finalizers: ['a', 'c'] }), 'mgr-a'));
    const b = ok(applyPod(a, pod({ containers: containers('c') }, { finalizers: ['b', 'c'] }), 'mgr-b'));
    assert.deepEqual(b.metadata!.finalizers, ['a', 'b', 'c']);
    assert.deepEqual(entry(b, 'mgr-a').fieldsV1['f:metadata']['f:finalizers'], { 'v:"a"': {}, 'v:"c"': {} });
    assert.deepEqual(entry(b, 'mgr-b').fieldsV1['f:metadata']['f:finalizers'], { 'v:"b"': {}, 'v:"c"': {} });
    // Only the sole owner's value goes when it stops applying it; the shared one stays.
    const dropped = ok(applyPod(b, pod({ containers: containers('c') }, { finalizers: [] }), 'mgr-a'));
    assert.deepEqual(dropped.metadata!.finalizers, ['b', 'c']);
  });

  it("listType=map: items merge by key, keeping other managers' items in place", () => {
    const a = ok(applyPod(undefined, pod({ containers: containers('a', 'b') }), 'mgr-a'));
    const b = ok(applyPod(a, pod({ containers: containers('z') }), 'mgr-b'));
    assert.deepEqual(
      b.spec.containers.map((c: any) => c.name),
      ['a', 'b', 'z'],
    );
    const c = conflicts(applyPod(b, pod({ containers: [{ name: 'a', image: 'other' }] }), 'mgr-b'));
    assert.deepEqual(
      c.map((x) => x.path),
      [['f:spec', 'f:containers', 'k:{"name":"a"}', 'f:image']],
    );
    assert.equal(conflictMessage(c), 'Apply failed with 1 conflict: conflict with "mgr-a": .spec.containers[name="a"].image');
  });

  it('listType=atomic: the whole list is one field', () => {
    const a = ok(applyPod(undefined, pod({ containers: [{ name: 'a', image: 'i', args: ['x', 'y'] }] }), 'mgr-a'));
    const e = entry(a, 'mgr-a').fieldsV1['f:spec']['f:containers']['k:{"name":"a"}'];
    assert.deepEqual(e['f:args'], {});
    const c = conflicts(applyPod(a, pod({ containers: [{ name: 'a', args: ['x'] }] }), 'mgr-b'));
    assert.deepEqual(
      c.map((x) => x.path.at(-1)),
      ['f:args'],
    );
    const forced = ok(applyPod(a, pod({ containers: [{ name: 'a', args: ['x'] }] }), 'mgr-b', true));
    assert.deepEqual(forced.spec.containers[0].args, ['x']);
  });

  it('granular maps are owned per key; atomic maps as a whole', () => {
    const a = ok(applyPod(undefined, pod({ containers: containers('c'), nodeSelector: { disk: 'ssd' } }, { labels: { x: '1' } }), 'mgr-a'));
    const b = ok(applyPod(a, pod({ containers: containers('c') }, { labels: { y: '2' } }), 'mgr-b'));
    assert.deepEqual(b.metadata!.labels, { x: '1', y: '2' });
    assert.deepEqual(entry(a, 'mgr-a').fieldsV1['f:spec']['f:nodeSelector'], {});
    const c = conflicts(applyPod(b, pod({ containers: containers('c'), nodeSelector: { zone: 'a' } }), 'mgr-b'));
    assert.deepEqual(
      c.map((x) => x.path),
      [['f:spec', 'f:nodeSelector']],
    );
    const forced = ok(applyPod(b, pod({ containers: containers('c'), nodeSelector: { zone: 'a' } }), 'mgr-b', true));
    assert.deepEqual(forced.spec.nodeSelector, { zone: 'a' });
  });

  it('rejects fields the schema does not declare and duplicate keys', () => {
    assert.throws(
      () => applyPod(undefined, pod({ containers: containers('c'), bogus: 1 }), 'mgr-a'),
      /\.spec\.bogus: field not declared in schema/,
    );
    assert.throws(() => applyPod(undefined, pod({ containers: containers('c', 'c') }), 'mgr-a'), /duplicate entries for key \[name="c"\]/);
  });
});

describe('managedFields on non-apply writes', () => {
  const cm = (data: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'default', ...extra },
    data,
  });
  const update = (live: KubeObject | undefined, obj: KubeObject, manager: string, now = T0) =>
    updateManagedFields(live, obj, { type: CM, manager, apiVersion: 'v1', now });

  it('a create records every field with "." on added maps, never the server\'s metadata', () => {
    const obj = cm({ a: '1' }, { labels: { l: 'x' }, uid: 'u', resourceVersion: '5' });
    update(undefined, obj, 'kubectl-create');
    assert.deepEqual(obj.metadata!.managedFields, [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2024-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:l': {} } } },
      },
    ]);
  });

  it('another writer takes the paths it changes; removed paths leave every owner', () => {
    const created = cm({ a: '1', b: '2' });
    update(undefined, created, 'creator');
    const next = structuredClone(created);
    next.data = { a: 'changed' };
    update(created, next, 'updater', T1);
    // The creator keeps the map itself; a member left without children is written as {}.
    assert.deepEqual(entry(next, 'creator').fieldsV1, { 'f:data': {} });
    assert.deepEqual(entry(next, 'updater').fieldsV1, { 'f:data': { 'f:a': {} } });
    assert.equal(entry(next, 'updater').time, '2024-01-01T00:00:05Z');
  });

  it('a write that changes nothing leaves entries and times alone', () => {
    const created = cm({ a: '1' });
    update(undefined, created, 'creator');
    const same = structuredClone(created);
    update(created, same, 'other', T1);
    assert.deepEqual(same.metadata!.managedFields, created.metadata!.managedFields);
  });

  it('[{}] or [] resets tracking, and an untracked object stays untracked', () => {
    const created = cm({ a: '1' });
    update(undefined, created, 'creator');
    const reset = structuredClone(created);
    reset.metadata!.managedFields = [{}];
    update(created, reset, 'x');
    assert.equal(reset.metadata!.managedFields, undefined);
    const later = structuredClone(reset);
    later.data = { a: '2' };
    update(reset, later, 'y');
    assert.equal(later.metadata!.managedFields, undefined);
  });

  it('a request that drops managedFields keeps the stored ones; one that sends them replaces them', () => {
    const created = cm({ a: '1' });
    update(undefined, created, 'creator');
    const dropped = structuredClone(created);
    delete dropped.metadata!.managedFields;
    update(created, dropped, 'x');
    assert.deepEqual(dropped.metadata!.managedFields, created.metadata!.managedFields);
    const renamed = structuredClone(created);
    renamed.metadata!.managedFields[0].manager = 'renamed';
    update(created, renamed, 'x');
    assert.deepEqual(
      renamed.metadata!.managedFields.map((e: any) => e.manager),
      ['renamed'],
    );
  });

  it('folds the oldest of more than 10 Update entries into ancient-changes', () => {
    let obj = cm({});
    update(undefined, obj, 'creator');
    for (let i = 0; i < 20; i++) {
      const next = structuredClone(obj);
      next.data = { ...next.data, [`k${i}`]: 'v' };
      update(obj, next, `writer-${i}`, new Date(T0.getTime() + (i + 1) * 1000));
      obj = next;
    }
    const mf = obj.metadata!.managedFields as any[];
    assert.equal(mf.length, 10);
    assert.equal(mf[0].manager, 'ancient-changes');
    assert.ok(mf.every((e) => e.operation === 'Update'));
  });

  it('the first apply onto an untracked object conflicts with what was there (before-first-apply)', () => {
    const live = { ...cm({ a: '1' }), metadata: { name: 'c', namespace: 'default', resourceVersion: '3' } };
    const r = applyObject(live, cm({ a: '2' }), { type: CM, manager: 'mgr', apiVersion: 'v1', force: false, now: T0 });
    assert.equal(conflictMessage(conflicts(r)), 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a');
  });

  it('derives the manager from the User-Agent when fieldManager is absent', () => {
    assert.equal(managerFromRequest(null, 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc'), 'kubectl');
    assert.equal(managerFromRequest('mine', 'kubectl/v1.32.0'), 'mine');
    assert.equal(managerFromRequest('', undefined), 'unknown');
    assert.equal(managerFromRequest(undefined, 'bad\u0007agent/1'), 'badagent');
    assert.equal(managerFromRequest(undefined, 'x'.repeat(200)).length, 128);
  });
});

describe('kubectl: client-side to server-side apply', () => {
  it('forgives conflicts on fields whose live value still equals last-applied, not the others', () => {
    const lastApplied = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'my-app' } },
      spec: { replicas: 3 },
    };
    const created: KubeObject = {
      ...deploy({ replicas: 3 }, { app: 'my-app' }),
      metadata: {
        name: 'web',
        labels: { app: 'my-app' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(lastApplied) },
      },
    };
    updateManagedFields(undefined, created, { type: DEPLOY, manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', now: T0 });
    const scaled = structuredClone(created);
    scaled.spec.replicas = 100000;
    updateManagedFields(created, scaled, { type: DEPLOY, manager: 'kubectl', apiVersion: 'apps/v1', now: T0 });

    const both = applyDeploy(scaled, deploy({ replicas: 3 }, { app: 'my-new-label' }), 'kubectl');
    assert.deepEqual(
      conflicts(both).map((c) => c.path),
      [['f:spec', 'f:replicas']],
    );
    const labelOnly = ok(applyDeploy(scaled, deploy({}, { app: 'my-new-label' }), 'kubectl'));
    assert.equal(labelOnly.metadata!.labels.app, 'my-new-label');
    assert.equal(labelOnly.spec.replicas, 100000);
    // The annotation follows the applied configuration.
    assert.deepEqual(
      JSON.parse(labelOnly.metadata!.annotations['kubectl.kubernetes.io/last-applied-configuration']),
      deploy({}, { app: 'my-new-label' }),
    );
  });
});
