// The steps before a write, as pure functions in kube's order (rest.BeforeCreate, BeforeUpdate, BeforeDelete):
// case tables of what each does to an object and which Status it answers.
import assert from 'node:assert/strict';
import { StatusError } from '../../src/apimachinery/errors.js';
import type { KubeObject } from '../../src/apimachinery/meta.js';
import { beforeCreate, type CreateContext } from '../../src/registry/rest/create.js';
import { beforeDelete, preconditionsHold, type DeleteContext } from '../../src/registry/rest/delete.js';
import { beforeUpdate, type UpdateContext } from '../../src/registry/rest/update.js';
import { strategyFor } from '../../src/registry/strategies/index.js';
import { builtinScheme, type ResourceInfo } from '../../src/scheme/index.js';

const scheme = builtinScheme();
function info(group: string, version: string, resource: string): ResourceInfo {
  const r = scheme.lookup(group, version, resource);
  assert.ok(r);
  return r;
}
const CONFIGMAPS = info('', 'v1', 'configmaps');
const DEPLOYMENTS = info('apps', 'v1', 'deployments');
const NAMESPACES = info('', 'v1', 'namespaces');
const NOW = '2026-12-07T10:00:00Z';

function createCtx(r: ResourceInfo, extra: Partial<CreateContext> = {}): CreateContext {
  return {
    info: r,
    strategy: strategyFor(r, { eventTTLSeconds: 0 }),
    namespace: 'ns',
    uid: 'uid-1',
    now: NOW,
    generateName: (b) => `${b}abcde`,
    ...extra,
  };
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a StatusError');
}

/** A Deployment as the store validates it: after the kind's defaults, as every decoded write is. */
const deployment = (labels: Record<string, string>, selector: Record<string, string>): KubeObject => {
  const obj: KubeObject = {
    metadata: { name: 'web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
  strategyFor(DEPLOYMENTS, { eventTTLSeconds: 0 }).defaults(obj);
  return obj;
};

describe('beforeCreate', () => {
  const cases: Array<{ name: string; resource: ResourceInfo; obj: KubeObject; check: (o: KubeObject) => void }> = [
    {
      name: 'fills uid and creationTimestamp, sets the request namespace and clears what clients may not set (a kind that does not track generation keeps the one sent)',
      resource: CONFIGMAPS,
      obj: {
        metadata: {
          name: 'a',
          namespace: 'other',
          uid: 'forged',
          resourceVersion: '5',
          generation: 7,
          deletionTimestamp: NOW,
          selfLink: '/x',
        },
      },
      check: (o) => assert.deepEqual(o.metadata, { name: 'a', namespace: 'ns', uid: 'uid-1', generation: 7, creationTimestamp: NOW }),
    },
    {
      name: 'generates a name from generateName',
      resource: CONFIGMAPS,
      obj: { metadata: { generateName: 'cfg-' } },
      check: (o) => assert.equal(o.metadata!.name, 'cfg-abcde'),
    },
    {
      name: 'drops the namespace of a cluster-scoped object',
      resource: NAMESPACES,
      obj: { metadata: { name: 'team', namespace: 'x' } },
      check: (o) => assert.equal(o.metadata!.namespace, undefined),
    },
    {
      name: "runs the kind's PrepareForCreate (status reset to the empty struct, generation 1)",
      resource: DEPLOYMENTS,
      obj: { ...deployment({ app: 'web' }, { app: 'web' }), status: { replicas: 9 } },
      check: (o) => {
        assert.deepEqual(o.status, {});
        assert.equal(o.metadata!.generation, 1);
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const obj = structuredClone(c.obj);
      beforeCreate(createCtx(c.resource), obj);
      c.check(obj);
    });
  }

  it('answers one 422 with ObjectMeta, schema and kind errors in that order', () => {
    const obj = { metadata: { name: 'Bad_Name' }, data: { 'bad key': 'x' } };
    const err = statusOf(() =>
      beforeCreate(createCtx(CONFIGMAPS, { schemaErrors: [{ type: 'FieldValueRequired', field: 'binaryData[x]', detail: '' }] }), obj),
    );
    assert.equal(err.code, 422);
    assert.deepEqual(
      err.status.details?.causes?.map((c) => c.field),
      ['metadata.name', 'binaryData[x]', 'data[bad key]'],
    );
    assert.match(err.message, /^ConfigMap "Bad_Name" is invalid: \[metadata\.name: Invalid value/);
  });

  it("leaves the schema's errors out for a kind whose validation is kube's whole ValidateX", () => {
    const obj = { ...deployment({ app: 'web' }, { app: 'other' }), metadata: { name: 'Bad_Name' } };
    const err = statusOf(() =>
      beforeCreate(
        createCtx(DEPLOYMENTS, {
          schemaErrors: [{ type: 'FieldValueRequired', field: 'spec.template.spec.containers[0].name', detail: '' }],
        }),
        obj,
      ),
    );
    assert.deepEqual(
      err.status.details?.causes?.map((c) => c.field),
      ['metadata.name', 'spec.template.metadata.labels'],
    );
  });

  it('reports that a generated name was used, so a collision retries', () => {
    assert.deepEqual(beforeCreate(createCtx(CONFIGMAPS), { metadata: { generateName: 'x-' } }), { generatedName: true });
    assert.deepEqual(beforeCreate(createCtx(CONFIGMAPS), { metadata: { name: 'x' } }), { generatedName: false });
  });
});

describe('beforeUpdate', () => {
  const old: KubeObject = {
    ...deployment({ app: 'web' }, { app: 'web' }),
    metadata: {
      name: 'web',
      namespace: 'ns',
      uid: 'u1',
      creationTimestamp: NOW,
      generation: 2,
      resourceVersion: '10',
      managedFields: [{ manager: 'm' }],
    },
    status: { replicas: 3 },
  };
  const ctx = (subresource = '', extra: Partial<UpdateContext> = {}): UpdateContext => ({
    info: DEPLOYMENTS,
    gr: { group: 'apps', resource: 'deployments' },
    strategy: strategyFor(DEPLOYMENTS, { eventTTLSeconds: 0 }),
    namespace: 'ns',
    subresource,
    managedFieldsTracked: false,
    ...extra,
  });

  const cases: Array<{ name: string; subresource: string; change: (o: KubeObject) => void; check: (o: KubeObject) => void }> = [
    {
      name: 'a spec change bumps generation and keeps the stored status',
      subresource: '',
      change: (o) => {
        o.spec.replicas = 5;
        o.status = { replicas: 99 };
      },
      check: (o) => {
        assert.equal(o.metadata!.generation, 3);
        assert.deepEqual(o.status, { replicas: 3 });
      },
    },
    {
      name: 'a metadata-only change keeps generation',
      subresource: '',
      change: (o) => (o.metadata!.labels = { a: 'b' }),
      check: (o) => assert.equal(o.metadata!.generation, 2),
    },
    {
      name: '/status changes status only',
      subresource: 'status',
      change: (o) => {
        o.spec.replicas = 5;
        o.status = { replicas: 4 };
        o.metadata!.labels = { sneaky: 'yes' };
      },
      check: (o) => {
        assert.equal(o.spec.replicas, 1);
        assert.deepEqual(o.status, { replicas: 4 });
        assert.equal(o.metadata!.labels, undefined);
      },
    },
    {
      name: 'carries system metadata over from the stored object',
      subresource: '',
      change: (o) => {
        o.metadata!.creationTimestamp = '1999-01-01T00:00:00Z';
        delete o.metadata!.uid;
        delete o.metadata!.managedFields;
      },
      check: (o) => {
        assert.equal(o.metadata!.creationTimestamp, NOW);
        assert.equal(o.metadata!.uid, 'u1');
        assert.deepEqual(o.metadata!.managedFields, [{ manager: 'm' }]);
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const obj = structuredClone(old);
      c.change(obj);
      beforeUpdate(ctx(c.subresource), obj, old);
      c.check(obj);
    });
  }

  it('a subresource the kind does not write is 404', () => {
    const err = statusOf(() => beforeUpdate(ctx('finalize'), structuredClone(old), old));
    assert.equal(err.code, 404);
  });

  it('answers one 422 with ObjectMeta update errors before the kind update rules', () => {
    const obj = structuredClone(old);
    obj.metadata!.name = 'renamed';
    obj.spec.selector = { matchLabels: { app: 'other' } };
    const err = statusOf(() => beforeUpdate(ctx(), obj, old));
    assert.equal(err.code, 422);
    const fields = err.status.details?.causes?.map((c) => c.field) ?? [];
    assert.equal(fields[0], 'metadata.name');
    assert.ok(fields.includes('spec.selector'), fields.join(','));
  });
});

describe('beforeDelete', () => {
  const current: KubeObject = { metadata: { name: 'cfg', namespace: 'ns', uid: 'u1', resourceVersion: '7' } };
  const ctx = (extra: Partial<DeleteContext> = {}): DeleteContext => ({
    info: CONFIGMAPS,
    strategy: strategyFor(CONFIGMAPS, { eventTTLSeconds: 0 }),
    now: NOW,
    ...extra,
  });

  const cases: Array<{ name: string; obj: KubeObject; ctx: Partial<DeleteContext>; expect: (d: ReturnType<typeof beforeDelete>) => void }> =
    [
      { name: 'removes an object without finalizers', obj: current, ctx: {}, expect: (d) => assert.deepEqual(d, { action: 'delete' }) },
      {
        name: 'marks an object with finalizers',
        obj: { metadata: { ...current.metadata, finalizers: ['example.com/hold'] } },
        ctx: {},
        expect: (d) => {
          assert.equal(d.action, 'mark');
          if (d.action !== 'mark') return;
          assert.equal(d.object.metadata!.deletionTimestamp, NOW);
          assert.equal(d.object.metadata!.deletionGracePeriodSeconds, 0);
        },
      },
      {
        name: 'Foreground adds the foregroundDeletion finalizer',
        obj: current,
        ctx: { propagationPolicy: 'Foreground' },
        expect: (d) => assert.deepEqual(d.action === 'mark' && d.object.metadata!.finalizers, ['foregroundDeletion']),
      },
      {
        name: 'Orphan adds the orphan finalizer',
        obj: current,
        ctx: { propagationPolicy: 'Orphan' },
        expect: (d) => assert.deepEqual(d.action === 'mark' && d.object.metadata!.finalizers, ['orphan']),
      },
      {
        name: 'an object already marked the same way needs no write',
        obj: { metadata: { ...current.metadata, finalizers: ['x/y'], deletionTimestamp: NOW } },
        ctx: {},
        expect: (d) => assert.deepEqual(d, { action: 'pending' }),
      },
    ];
  for (const c of cases) {
    it(c.name, () => c.expect(beforeDelete(ctx(c.ctx), structuredClone(c.obj))));
  }

  it('a UID precondition that does not hold is 409 naming the kind, with BeforeDelete text', () => {
    const err = statusOf(() => beforeDelete(ctx({ preconditions: { uid: 'u2' } }), current));
    assert.equal(err.code, 409);
    assert.equal(
      err.message,
      'Operation cannot be fulfilled on ConfigMap "cfg": the UID in the precondition (u2) does not match the UID in record (u1). The object might have been deleted and then recreated',
    );
    assert.equal(preconditionsHold({ uid: 'u2' }, current), false);
  });

  it('a resourceVersion precondition that does not hold is 409 with BeforeDelete text', () => {
    const err = statusOf(() => beforeDelete(ctx({ preconditions: { resourceVersion: '3' } }), current));
    assert.equal(
      err.message,
      'Operation cannot be fulfilled on ConfigMap "cfg": the ResourceVersion in the precondition (3) does not match the ResourceVersion in record (7). The object might have been modified',
    );
    assert.equal(preconditionsHold({ resourceVersion: '7', uid: 'u1' }, current), true);
  });
});
