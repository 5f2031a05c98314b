// @kubernetes/client-node 1.4 against a real kgate: typed CRUD across groups, Watch and an informer.
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startKgate, type Kgate } from '../support/kgate.js';

const NS = 'default';
const DEADLINE_MS = 20_000;

/** The typed calls of one kind, so one CRUD walk covers every kind. */
interface TypedCrud<T extends k8s.KubernetesObject> {
  kind: string;
  apiVersion: string;
  name: string;
  body: T;
  create(body: T): Promise<T>;
  read(name: string): Promise<T>;
  list(): Promise<{ items: T[]; metadata?: k8s.V1ListMeta }>;
  replace(name: string, body: T): Promise<T>;
  remove(name: string): Promise<unknown>;
  /** Changes the object for the replace step and says how to see the change. */
  change(obj: T): T;
  changed(obj: T): void;
}

/** Resolves when `predicate` holds for a value pushed by `subscribe`, or rejects after a generous deadline. */
function waitFor<T>(subscribe: (push: (v: T) => void) => void, predicate: (seen: T[]) => boolean, what: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const seen: T[] = [];
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(seen)}`)), DEADLINE_MS);
    subscribe((v) => {
      seen.push(v);
      if (predicate(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

describe('@kubernetes/client-node against kgate', function () {
  let kg: Kgate;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  before(async function () {
    kg = await startKgate();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(kg.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async function () {
    await kg?.close();
  });

  function crudCases(): TypedCrud<any>[] {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const batch = kc.makeApiClient(k8s.BatchV1Api);
    const net = kc.makeApiClient(k8s.NetworkingV1Api);
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    const coord = kc.makeApiClient(k8s.CoordinationV1Api);
    const podSpec = { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] };
    return [
      {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        name: 'cn-cm',
        body: { metadata: { name: 'cn-cm', labels: { suite: 'cn' } }, data: { a: '1' } },
        create: (body) => core.createNamespacedConfigMap({ namespace: NS, body }),
        read: (name) => core.readNamespacedConfigMap({ namespace: NS, name }),
        list: () => core.listNamespacedConfigMap({ namespace: NS }),
        replace: (name, body) => core.replaceNamespacedConfigMap({ namespace: NS, name, body }),
        remove: (name) => core.deleteNamespacedConfigMap({ namespace: NS, name }),
        change: (o) => ({ ...o, data: { a: '2', b: '3' } }),
        changed: (o) => assert.deepEqual(o.data, { a: '2', b: '3' }),
      },
      {
        kind: 'Secret',
        apiVersion: 'v1',
        name: 'cn-secret',
        body: { metadata: { name: 'cn-secret' }, type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } },
        create: (body) => core.createNamespacedSecret({ namespace: NS, body }),
        read: (name) => core.readNamespacedSecret({ namespace: NS, name }),
        list: () => core.listNamespacedSecret({ namespace: NS }),
        replace: (name, body) => core.replaceNamespacedSecret({ namespace: NS, name, body }),
        remove: (name) => core.deleteNamespacedSecret({ namespace: NS, name }),
        change: (o) => ({ ...o, data: { password: Buffer.from('correct horse').toString('base64') } }),
        changed: (o) => {
          assert.equal(Buffer.from(o.data.password, 'base64').toString(), 'correct horse');
          assert.equal(o.type, 'Opaque');
        },
      },
      {
        kind: 'Service',
        apiVersion: 'v1',
        name: 'cn-svc',
        body: {
          metadata: { name: 'cn-svc' },
          spec: { selector: { app: 'cn' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
        },
        create: (body) => core.createNamespacedService({ namespace: NS, body }),
        read: (name) => core.readNamespacedService({ namespace: NS, name }),
        list: () => core.listNamespacedService({ namespace: NS }),
        replace: (name, body) => core.replaceNamespacedService({ namespace: NS, name, body }),
        remove: (name) => core.deleteNamespacedService({ namespace: NS, name }),
        change: (o) => ({ ...o, spec: { ...o.spec, selector: { app: 'cn2' } } }),
        changed: (o) => {
          assert.deepEqual(o.spec.selector, { app: 'cn2' });
          assert.equal(o.spec.ports[0].port, 80);
        },
      },
      {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        name: 'cn-deploy',
        body: {
          metadata: { name: 'cn-deploy' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'cn' } },
            template: { metadata: { labels: { app: 'cn' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
          },
        },
        create: (body) => apps.createNamespacedDeployment({ namespace: NS, body }),
        read: (name) => apps.readNamespacedDeployment({ namespace: NS, name }),
        list: () => apps.listNamespacedDeployment({ namespace: NS }),
        replace: (name, body) => apps.replaceNamespacedDeployment({ namespace: NS, name, body }),
        remove: (name) => apps.deleteNamespacedDeployment({ namespace: NS, name }),
        change: (o) => ({ ...o, spec: { ...o.spec, replicas: 3 } }),
        changed: (o) => {
          assert.equal(o.spec.replicas, 3);
          assert.equal(o.metadata.generation, 2);
        },
      },
      {
        kind: 'Job',
        apiVersion: 'batch/v1',
        name: 'cn-job',
        body: { metadata: { name: 'cn-job', labels: { suite: 'cn' } }, spec: { backoffLimit: 2, template: { spec: podSpec } } },
        create: (body) => batch.createNamespacedJob({ namespace: NS, body }),
        read: (name) => batch.readNamespacedJob({ namespace: NS, name }),
        list: () => batch.listNamespacedJob({ namespace: NS }),
        replace: (name, body) => batch.replaceNamespacedJob({ namespace: NS, name, body }),
        remove: (name) => batch.deleteNamespacedJob({ namespace: NS, name }),
        change: (o) => ({ ...o, metadata: { ...o.metadata, labels: { suite: 'cn', step: 'replaced' } } }),
        changed: (o) => {
          assert.deepEqual(o.metadata.labels, { suite: 'cn', step: 'replaced' });
          assert.equal(o.spec.backoffLimit, 2);
        },
      },
      {
        kind: 'Ingress',
        apiVersion: 'networking.k8s.io/v1',
        name: 'cn-ing',
        body: {
          metadata: { name: 'cn-ing' },
          spec: {
            rules: [
              {
                host: 'cn.example.com',
                http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'cn-svc', port: { number: 80 } } } }] },
              },
            ],
          },
        },
        create: (body) => net.createNamespacedIngress({ namespace: NS, body }),
        read: (name) => net.readNamespacedIngress({ namespace: NS, name }),
        list: () => net.listNamespacedIngress({ namespace: NS }),
        replace: (name, body) => net.replaceNamespacedIngress({ namespace: NS, name, body }),
        remove: (name) => net.deleteNamespacedIngress({ namespace: NS, name }),
        change: (o) => ({ ...o, spec: { ...o.spec, rules: [{ ...o.spec.rules[0], host: 'cn2.example.com' }] } }),
        changed: (o) => {
          assert.equal(o.spec.rules[0].host, 'cn2.example.com');
          assert.equal(o.spec.rules[0].http.paths[0].backend.service.port.number, 80);
        },
      },
      {
        kind: 'Role',
        apiVersion: 'rbac.authorization.k8s.io/v1',
        name: 'cn-role',
        body: { metadata: { name: 'cn-role' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
        create: (body) => rbac.createNamespacedRole({ namespace: NS, body }),
        read: (name) => rbac.readNamespacedRole({ namespace: NS, name }),
        list: () => rbac.listNamespacedRole({ namespace: NS }),
        replace: (name, body) => rbac.replaceNamespacedRole({ namespace: NS, name, body }),
        remove: (name) => rbac.deleteNamespacedRole({ namespace: NS, name }),
        change: (o) => ({ ...o, rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get'] }] }),
        changed: (o) =>
          assert.deepEqual(JSON.parse(JSON.stringify(o.rules)), [
            { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get'] },
          ]),
      },
      {
        kind: 'Lease',
        apiVersion: 'coordination.k8s.io/v1',
        name: 'cn-lease',
        body: { metadata: { name: 'cn-lease' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } },
        create: (body) => coord.createNamespacedLease({ namespace: NS, body }),
        read: (name) => coord.readNamespacedLease({ namespace: NS, name }),
        list: () => coord.listNamespacedLease({ namespace: NS }),
        replace: (name, body) => coord.replaceNamespacedLease({ namespace: NS, name, body }),
        remove: (name) => coord.deleteNamespacedLease({ namespace: NS, name }),
        change: (o) => ({ ...o, spec: { ...o.spec, holderIdentity: 'b' } }),
        changed: (o) => {
          assert.equal(o.spec.holderIdentity, 'b');
          assert.equal(o.spec.leaseDurationSeconds, 15);
        },
      },
    ];
  }

  it('does typed create, read, list, replace and delete on eight kinds in six API groups', async function () {
    const cases = crudCases();
    assert.equal(new Set(cases.map((c) => c.apiVersion.split('/').slice(0, -1).join('/'))).size, 6);
    for (const c of cases) {
      const created = await c.create(structuredClone(c.body));
      assert.equal(created.metadata?.name, c.name, c.kind);
      assert.equal(created.metadata?.namespace, NS, c.kind);
      assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/, c.kind);
      const createdRV = Number(created.metadata?.resourceVersion);
      assert.ok(createdRV > 0, c.kind);

      const read = await c.read(c.name);
      assert.equal(read.metadata?.resourceVersion, String(createdRV), c.kind);
      assert.equal(read.metadata?.uid, created.metadata?.uid, c.kind);

      const list = await c.list();
      // default also holds the `kubernetes` Service the API server keeps, as on every cluster.
      assert.deepEqual(
        list.items.map((i) => i.metadata?.name),
        c.kind === 'Service' ? [c.name, 'kubernetes'] : [c.name],
        c.kind,
      );
      assert.ok(Number(list.metadata?.resourceVersion) >= createdRV, c.kind);

      const replaced = await c.replace(c.name, c.change(read));
      c.changed(replaced);
      assert.ok(Number(replaced.metadata?.resourceVersion) > createdRV, c.kind);
      assert.equal(replaced.metadata?.uid, created.metadata?.uid, c.kind);
      c.changed(await c.read(c.name));

      await c.remove(c.name);
      await assert.rejects(c.read(c.name), (e: any) => {
        assert.equal(e.code, 404, c.kind);
        const status = JSON.parse(e.body);
        assert.equal(status.reason, 'NotFound');
        return true;
      });
    }
  });

  it('returns the Status of a failed call as an ApiException', async function () {
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'cn-dup' } } });
    await assert.rejects(core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'cn-dup' } } }), (e: any) => {
      assert.ok(e instanceof k8s.ApiException);
      assert.equal(e.code, 409);
      const status = JSON.parse(e.body);
      assert.equal(status.reason, 'AlreadyExists');
      assert.equal(status.message, 'configmaps "cn-dup" already exists');
      return true;
    });
    await core.deleteNamespacedConfigMap({ namespace: NS, name: 'cn-dup' });
  });

  it('k8s.Watch receives ADDED, MODIFIED and DELETED in order', async function () {
    const watch = new k8s.Watch(kc);
    const start = await core.listNamespacedConfigMap({ namespace: NS });
    const events: { type: string; name: string; data?: Record<string, string>; rv: string }[] = [];
    let push: () => void = () => undefined;
    const done = waitFor<void>(
      (p) => (push = p),
      (seen) => seen.length >= 3,
      'three watch events',
    );
    // Resolves once the stream is open; starting at the list's resourceVersion means nothing written after it is missed.
    const abort = await watch.watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      { resourceVersion: start.metadata?.resourceVersion, fieldSelector: 'metadata.name=cn-watched' },
      (type, obj) => {
        events.push({ type, name: obj.metadata.name, data: obj.data, rv: obj.metadata.resourceVersion });
        push();
      },
      () => undefined,
    );
    const created = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'cn-watched' }, data: { v: '1' } } });
    const replaced = await core.replaceNamespacedConfigMap({ namespace: NS, name: 'cn-watched', body: { ...created, data: { v: '2' } } });
    await core.deleteNamespacedConfigMap({ namespace: NS, name: 'cn-watched' });
    await done;
    abort.abort();
    assert.deepEqual(
      events.map((e) => [e.type, e.name, e.data]),
      [
        ['ADDED', 'cn-watched', { v: '1' }],
        ['MODIFIED', 'cn-watched', { v: '2' }],
        ['DELETED', 'cn-watched', { v: '2' }],
      ],
    );
    assert.equal(events[0].rv, created.metadata?.resourceVersion);
    assert.equal(events[1].rv, replaced.metadata?.resourceVersion);
    assert.ok(Number(events[2].rv) > Number(events[1].rv));
  });

  it('k8s.makeInformer lists, then follows an update and a delete', async function () {
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'inf-a', labels: { inf: 'yes' } }, data: { n: '1' } },
    });
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'inf-b', labels: { inf: 'yes' } }, data: { n: '1' } },
    });
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'inf-other' } } });
    const informer = k8s.makeInformer<k8s.V1ConfigMap>(
      kc,
      `/api/v1/namespaces/${NS}/configmaps`,
      () => core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'inf=yes' }),
      'inf=yes',
    );
    const log: string[] = [];
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    try {
      const synced = waitFor<string>(
        (push) => informer.on('add', (o) => push(`add ${o.metadata?.name}`)),
        (seen) => seen.length === 2,
        'two adds',
      );
      await informer.start();
      assert.deepEqual((await synced).sort(), ['add inf-a', 'add inf-b']);
      assert.deepEqual(
        informer
          .list(NS)
          .map((o) => o.metadata?.name)
          .sort(),
        ['inf-a', 'inf-b'],
      );

      const followed = waitFor<string>(
        (push) => {
          informer.on('update', (o) => push(`update ${o.metadata?.name} ${o.data?.n}`));
          informer.on('delete', (o) => push(`delete ${o.metadata?.name}`));
        },
        (seen) => seen.length === 2,
        'an update and a delete',
      );
      const a = await core.readNamespacedConfigMap({ namespace: NS, name: 'inf-a' });
      await core.replaceNamespacedConfigMap({ namespace: NS, name: 'inf-a', body: { ...a, data: { n: '2' } } });
      await core.deleteNamespacedConfigMap({ namespace: NS, name: 'inf-b' });
      log.push(...(await followed));
      assert.deepEqual(log, ['update inf-a 2', 'delete inf-b']);
      assert.deepEqual(
        informer.list(NS).map((o) => [o.metadata?.name, o.data?.n]),
        [['inf-a', '2']],
      );
      assert.deepEqual(errors, []);
    } finally {
      await informer.stop();
      for (const name of ['inf-a', 'inf-other']) await core.deleteNamespacedConfigMap({ namespace: NS, name });
    }
  });
});
