// What operators see with etcdctl: kube-apiserver's key layout, readable JSON values without resourceVersion,
// and resourceVersions that are etcd mod revisions.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startKgate, type Kgate } from '../support/kgate.js';

const execFileAsync = promisify(execFile);
const NS = 'layout';

interface Stored {
  /** The kgate path to create the object at. */
  path: string;
  body: Record<string, unknown>;
  key: string;
  apiVersion: string;
  kind: string;
}

const objects: Stored[] = [
  {
    path: `/api/v1/namespaces/${NS}/pods`,
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
    key: `/registry/pods/${NS}/web`,
    apiVersion: 'v1',
    kind: 'Pod',
  },
  {
    path: `/api/v1/namespaces/${NS}/services`,
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } },
    key: `/registry/services/specs/${NS}/web`,
    apiVersion: 'v1',
    kind: 'Service',
  },
  {
    path: `/apis/apps/v1/namespaces/${NS}/deployments`,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
      },
    },
    key: `/registry/deployments/${NS}/web`,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
  },
  {
    path: `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses`,
    body: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
    },
    key: `/registry/ingress/${NS}/web`,
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
  },
  {
    path: '/api/v1/nodes',
    body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } },
    key: '/registry/minions/node-1',
    apiVersion: 'v1',
    kind: 'Node',
  },
  {
    path: `/api/v1/namespaces/${NS}/replicationcontrollers`,
    body: {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'web' },
      spec: {
        selector: { app: 'web' },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
      },
    },
    key: `/registry/controllers/${NS}/web`,
    apiVersion: 'v1',
    kind: 'ReplicationController',
  },
  {
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'layout-reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    },
    key: '/registry/clusterroles/layout-reader',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
  },
];

describe('etcd storage layout', function () {
  let kg: Kgate;
  const created = new Map<string, Record<string, any>>();

  async function etcdctl(...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync('etcdctl', ['--endpoints', kg.etcd.endpoint, ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
    });
    return stdout;
  }

  before(async function () {
    kg = await startKgate();
    const ns = await kg.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    assert.equal(ns.status, 201, ns.text);
    for (const o of objects) {
      const res = await kg.request('POST', o.path, { body: o.body });
      assert.equal(res.status, 201, `${o.kind}: ${res.text}`);
      created.set(o.key, res.body);
    }
  });
  after(async function () {
    await kg?.close();
  });

  it('stores a Pod as readable JSON with kind and apiVersion and no resourceVersion', async function () {
    const out = await etcdctl('get', `/registry/pods/${NS}/web`, '--print-value-only');
    const stored = JSON.parse(out);
    assert.equal(stored.kind, 'Pod');
    assert.equal(stored.apiVersion, 'v1');
    assert.equal(stored.metadata.name, 'web');
    assert.equal(stored.metadata.namespace, NS);
    assert.equal(stored.metadata.uid, created.get(`/registry/pods/${NS}/web`)!.metadata.uid);
    assert.equal('resourceVersion' in stored.metadata, false);
    assert.equal(stored.spec.containers[0].image, 'nginx:1.27');
  });

  it("keeps each object under kube-apiserver's key, as JSON of its kind", async function () {
    for (const o of objects) {
      const out = await etcdctl('get', o.key, '--print-value-only');
      assert.notEqual(out.trim(), '', `nothing at ${o.key}`);
      const stored = JSON.parse(out);
      assert.equal(stored.kind, o.kind, o.key);
      assert.equal(stored.apiVersion, o.apiVersion, o.key);
      assert.equal(stored.metadata.uid, created.get(o.key)!.metadata.uid, o.key);
      assert.equal(stored.metadata.resourceVersion, undefined, o.key);
    }
  });

  it('lists every key with etcdctl get --prefix /registry --keys-only', async function () {
    const keys = (await etcdctl('get', '--prefix', '/registry', '--keys-only')).split('\n').filter((l) => l.trim() !== '');
    for (const o of objects) assert.ok(keys.includes(o.key), `${o.key} missing from ${JSON.stringify(keys)}`);
    assert.ok(keys.includes(`/registry/namespaces/${NS}`));
    assert.ok(keys.includes('/registry/namespaces/default'));
    // Nothing outside the resource prefixes kgate owns (compact_rev_key sits outside /registry).
    for (const k of keys) assert.match(k, /^\/registry\/[a-z.]+\//, k);
  });

  it("gives each object the key's mod_revision as its resourceVersion", async function () {
    for (const o of objects) {
      const json = JSON.parse(await etcdctl('get', o.key, '-w', 'json'));
      assert.equal(json.kvs.length, 1, o.key);
      assert.equal(Buffer.from(json.kvs[0].key, 'base64').toString(), o.key);
      const modRevision = String(json.kvs[0].mod_revision);
      assert.equal(created.get(o.key)!.metadata.resourceVersion, modRevision, o.key);
      const kindPath = o.path.replace(/\/$/, '');
      const got = await kg.request('GET', `${kindPath}/${(o.body.metadata as { name: string }).name}`);
      assert.equal(got.status, 200, got.text);
      assert.equal(got.body.metadata.resourceVersion, modRevision, o.key);
    }
  });

  it('moves the mod_revision with an update and deletes the key with the object', async function () {
    const key = `/registry/pods/${NS}/web`;
    const pod = await kg.request('GET', `/api/v1/namespaces/${NS}/pods/web`);
    const updated = await kg.request('PUT', `/api/v1/namespaces/${NS}/pods/web`, {
      body: { ...pod.body, metadata: { ...pod.body.metadata, labels: { tier: 'front' } } },
    });
    assert.equal(updated.status, 200, updated.text);
    const json = JSON.parse(await etcdctl('get', key, '-w', 'json'));
    assert.equal(String(json.kvs[0].mod_revision), updated.body.metadata.resourceVersion);
    assert.ok(Number(updated.body.metadata.resourceVersion) > Number(pod.body.metadata.resourceVersion));
    assert.deepEqual(JSON.parse(Buffer.from(json.kvs[0].value, 'base64').toString()).metadata.labels, { tier: 'front' });

    const del = await kg.request('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterroles/layout-reader');
    assert.equal(del.status, 200, del.text);
    assert.equal(await etcdctl('get', '/registry/clusterroles/layout-reader', '--print-value-only'), '');
  });

  it('stores Events under an etcd lease of --event-ttl, shared by Events of one core and events.k8s.io', async function () {
    const core = await kg.request('POST', `/api/v1/namespaces/${NS}/events`, {
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'web.1' },
        involvedObject: { kind: 'Pod', name: 'web', namespace: NS },
        reason: 'Started',
        message: 'started',
        type: 'Normal',
      },
    });
    assert.equal(core.status, 201, core.text);
    const viaEvents = await kg.request('GET', `/apis/events.k8s.io/v1/namespaces/${NS}/events/web.1`);
    assert.equal(viaEvents.status, 200, viaEvents.text);
    assert.equal(viaEvents.body.note, 'started');
    assert.deepEqual(viaEvents.body.regarding, { kind: 'Pod', name: 'web', namespace: NS });
    // The lease ID is a 64-bit integer: read it from the text, not through a JS number.
    const raw = await etcdctl('get', `/registry/events/${NS}/web.1`, '-w', 'json');
    const lease = BigInt(/"lease":(\d+)/.exec(raw)?.[1] ?? 0);
    assert.ok(lease > 0n, 'the event key carries a lease');
    const ttl = await etcdctl('lease', 'timetolive', lease.toString(16));
    const granted = Number(/granted with TTL\((\d+)s\)/.exec(ttl)?.[1]);
    // One lease serves a burst of events, so its TTL is --event-ttl plus a little slack.
    assert.ok(granted >= 3600 && granted <= 3600 + 60, ttl);
  });
});
