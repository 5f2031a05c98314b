// ResourceQuota (default on): a quota of 5 pods holds against 20 concurrent creates through two kgate processes on one
// etcd (exactly 5 created, the rest refused with kube's 403, status.used exact); a delete gives its pod back; a new
// quota counts what the namespace already has; compute quotas refuse pods that omit what they track or ask too much;
// objects a quota does not track, and dry runs, cost it nothing.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';
import { spawnKgateProcess, type KgateProcess } from '../support/kgate-process.js';

const NS = 'quota';
const PODS = `/api/v1/namespaces/${NS}/pods`;
const QUOTAS = `/api/v1/namespaces/${NS}/resourcequotas`;

const pod = (name: string, resources?: object) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'busybox', ...(resources && { resources }) }] },
});
const quota = (name: string, hard: Record<string, string>, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name },
  spec: { hard, ...extra },
});

describe('ResourceQuota', function () {
  this.timeout(120_000);
  let kg: Kgate;
  // A second kgate as its own OS process on the same etcd: nothing shared with this one but etcd.
  let kg2: KgateProcess;

  async function create(k: Kgate, path: string, body: unknown): Promise<any> {
    const res = await k.request('POST', path, { body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }
  async function status(name: string, ns = NS): Promise<any> {
    const res = await kg.request('GET', `/api/v1/namespaces/${ns}/resourcequotas/${name}`);
    assert.equal(res.status, 200, res.text);
    return res.body.status;
  }

  before(async () => {
    kg = await startKgate();
    kg2 = await spawnKgateProcess(kg);
    await kg.kubectl(['create', 'namespace', NS]);
  });
  after(async () => {
    await kg2?.stop();
    await kg?.close();
  });

  it('holds 5 pods against 20 concurrent creates through two processes, and a delete frees one', async () => {
    await kg.kubectl(['-n', NS, 'create', 'quota', 'pods', '--hard=pods=5']);
    // A consistent read through each process waits until its watch cache holds the quota.
    for (const k of [kg, kg2]) assert.equal((await k.request('GET', `${QUOTAS}/pods`)).status, 200);
    assert.deepEqual(await status('pods'), { hard: { pods: '5' }, used: { pods: '0' } });

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? kg : kg2).request('POST', PODS, { body: pod(`p${i}`) })),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 403);
    assert.equal(created.length, 5, results.map((r) => `${r.status} ${r.body?.message ?? ''}`).join('\n'));
    assert.equal(refused.length, 15);
    for (const r of refused) {
      assert.equal(r.body.reason, 'Forbidden');
      assert.match(r.body.message, /^pods "p\d+" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=5, limited: pods=5$/);
    }
    assert.deepEqual(await status('pods'), { hard: { pods: '5' }, used: { pods: '5' } });
    const shown = await kg.kubectl(['-n', NS, 'get', 'resourcequota', 'pods', '--no-headers']);
    assert.match(shown.stdout, /^pods\s+pods: 5\/5\s+\S+$/m);
    const listed = await kg.request('GET', PODS);
    assert.equal(listed.body.items.length, 5);

    // kubectl sees the same refusal.
    const denied = await kg.kubectl(['-n', NS, 'run', 'one-more', '--image=busybox', '--restart=Never'], { allowFail: true });
    assert.match(
      denied.stderr,
      /Error from server \(Forbidden\): pods "one-more" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=5, limited: pods=5/,
    );

    // A delete through one process gives the pod back at once; a create through the other takes it.
    const victim = created[0].body.metadata.name as string;
    assert.equal((await kg2.request('DELETE', `${PODS}/${victim}`)).status, 200);
    assert.deepEqual((await status('pods')).used, { pods: '4' });
    await create(kg, PODS, pod('after-delete'));
    assert.deepEqual((await status('pods')).used, { pods: '5' });
    assert.equal((await kg2.request('POST', PODS, { body: pod('over') })).status, 403);

    // What the quota does not track costs nothing: the quota is not written.
    const before = (await kg.request('GET', `${QUOTAS}/pods`)).body.metadata.resourceVersion;
    await create(kg, `/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'free' } });
    assert.equal((await kg.request('GET', `${QUOTAS}/pods`)).body.metadata.resourceVersion, before);

    // A dry run is checked but not charged.
    await kg.request('DELETE', `${PODS}/after-delete`);
    const dry = await kg.request('POST', `${PODS}?dryRun=All`, { body: pod('dry') });
    assert.equal(dry.status, 201, dry.text);
    assert.deepEqual((await status('pods')).used, { pods: '4' });
    await kg.request('DELETE', `${QUOTAS}/pods`);
  });

  it('refuses pods that omit what a compute quota tracks, or ask for more than is left', async () => {
    const ns = 'compute';
    await kg.kubectl(['create', 'namespace', ns]);
    const pods = `/api/v1/namespaces/${ns}/pods`;
    await create(kg, `/api/v1/namespaces/${ns}/resourcequotas`, quota('compute', { 'requests.cpu': '1', 'limits.memory': '1Gi' }));
    assert.equal((await kg.request('GET', `/api/v1/namespaces/${ns}/resourcequotas/compute`)).status, 200);
    const bare = await kg.request('POST', pods, { body: pod('bare') });
    assert.equal(bare.status, 403, bare.text);
    assert.equal(
      bare.body.message,
      'pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app',
    );

    await create(kg, pods, pod('a', { requests: { cpu: '600m' }, limits: { memory: '512Mi' } }));
    assert.deepEqual(await status('compute', ns), {
      hard: { 'limits.memory': '1Gi', 'requests.cpu': '1' },
      used: { 'limits.memory': '512Mi', 'requests.cpu': '600m' },
    });
    const over = await kg.request('POST', pods, { body: pod('b', { requests: { cpu: '500m' }, limits: { memory: '256Mi' } }) });
    assert.equal(over.status, 403, over.text);
    assert.equal(
      over.body.message,
      'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1',
    );
    await create(kg, pods, pod('c', { requests: { cpu: '400m' }, limits: { memory: '512Mi' } }));
    assert.deepEqual((await status('compute', ns)).used, { 'limits.memory': '1Gi', 'requests.cpu': '1' });
  });

  it('leaves no charge behind when the write fails: the charge and the object are one etcd transaction', async () => {
    const ns = 'taken';
    await kg.kubectl(['create', 'namespace', ns]);
    await create(kg, `/api/v1/namespaces/${ns}/resourcequotas`, quota('pods', { pods: '2' }));
    assert.equal((await kg.request('GET', `/api/v1/namespaces/${ns}/resourcequotas/pods`)).status, 200);
    await create(kg, `/api/v1/namespaces/${ns}/pods`, pod('same'));
    const again = await kg.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod('same') });
    assert.equal(again.status, 409, again.text);
    assert.deepEqual((await status('pods', ns)).used, { pods: '1' });
  });

  it('charges only the quotas whose scopes a pod falls under', async () => {
    const ns = 'scoped';
    await kg.kubectl(['create', 'namespace', ns]);
    const quotas = `/api/v1/namespaces/${ns}/resourcequotas`;
    await create(kg, quotas, quota('best-effort', { pods: '1' }, { scopes: ['BestEffort'] }));
    await create(kg, quotas, quota('terminating', { pods: '1' }, { scopes: ['Terminating', 'NotBestEffort'] }));
    await create(
      kg,
      quotas,
      quota(
        'high',
        { pods: '1' },
        { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } },
      ),
    );
    for (const name of ['best-effort', 'terminating', 'high']) assert.equal((await kg.request('GET', `${quotas}/${name}`)).status, 200);
    const pods = `/api/v1/namespaces/${ns}/pods`;
    await create(kg, pods, pod('be'));
    const be2 = await kg.request('POST', pods, { body: pod('be2') });
    assert.equal(be2.status, 403);
    assert.equal(
      be2.body.message,
      'pods "be2" is forbidden: exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1',
    );
    // Not best-effort and not terminating: no quota applies.
    await create(kg, pods, pod('burst', { requests: { cpu: '10m' } }));
    const deadline = {
      ...pod('job', { requests: { cpu: '10m' } }),
      spec: { ...pod('job', { requests: { cpu: '10m' } }).spec, activeDeadlineSeconds: 60 },
    };
    await create(kg, pods, deadline);
    const deadline2 = { ...deadline, metadata: { name: 'job2' } };
    assert.equal((await kg.request('POST', pods, { body: deadline2 })).status, 403);
    assert.deepEqual(
      [(await status('best-effort', ns)).used, (await status('terminating', ns)).used, (await status('high', ns)).used],
      [{ pods: '1' }, { pods: '1' }, { pods: '0' }],
    );
    // Deleting a scoped pod gives back only its own quotas.
    assert.equal((await kg.request('DELETE', `${pods}/be`)).status, 200);
    assert.deepEqual([(await status('best-effort', ns)).used, (await status('terminating', ns)).used], [{ pods: '0' }, { pods: '1' }]);
  });

  it("gives back a pod's compute and its place in pods when it ends, and count/pods when it is deleted", async () => {
    const ns = 'ended';
    await kg.kubectl(['create', 'namespace', ns]);
    const quotas = `/api/v1/namespaces/${ns}/resourcequotas`;
    await create(kg, quotas, quota('q', { pods: '1', 'requests.cpu': '1', 'count/pods': '2' }));
    assert.equal((await kg.request('GET', `${quotas}/q`)).status, 200);
    const pods = `/api/v1/namespaces/${ns}/pods`;
    await create(kg, pods, pod('job', { requests: { cpu: '600m' } }));
    assert.deepEqual((await status('q', ns)).used, { 'count/pods': '1', pods: '1', 'requests.cpu': '600m' });
    const ended = await kg.request('PATCH', `${pods}/job/status`, {
      body: { status: { phase: 'Succeeded' } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(ended.status, 200, ended.text);
    assert.deepEqual((await status('q', ns)).used, { 'count/pods': '1', pods: '0', 'requests.cpu': '0' });
    await create(kg, pods, pod('next', { requests: { cpu: '1' } }));
    const third = await kg.request('POST', pods, { body: pod('third', { requests: { cpu: '1m' } }) });
    assert.equal(third.status, 403, third.text);
    assert.equal(
      third.body.message,
      'pods "third" is forbidden: exceeded quota: q, requested: count/pods=1,pods=1,requests.cpu=1m, used: count/pods=2,pods=1,requests.cpu=1, limited: count/pods=2,pods=1,requests.cpu=1',
    );
    assert.equal((await kg.request('DELETE', `${pods}/job`)).status, 200);
    assert.deepEqual((await status('q', ns)).used, { 'count/pods': '1', pods: '1', 'requests.cpu': '1' });
  });

  it('counts what a namespace already has when a quota is created, and object counts by resource', async () => {
    const ns = 'counted';
    await kg.kubectl(['create', 'namespace', ns]);
    const svc = (name: string, type = 'ClusterIP') => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { type, ports: [{ port: 80 }], ...(type !== 'ClusterIP' && { clusterIP: '' }) },
    });
    await create(kg, `/api/v1/namespaces/${ns}/services`, svc('s1'));
    await create(kg, `/api/v1/namespaces/${ns}/services`, svc('s2'));
    await create(kg, `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } });
    await create(
      kg,
      `/api/v1/namespaces/${ns}/resourcequotas`,
      quota('objects', { services: '3', 'count/configmaps': '1', 'services.loadbalancers': '0', resourcequotas: '1' }),
    );
    assert.deepEqual(await status('objects', ns), {
      hard: { 'count/configmaps': '1', resourcequotas: '1', services: '3', 'services.loadbalancers': '0' },
      used: { 'count/configmaps': '1', resourcequotas: '1', services: '2', 'services.loadbalancers': '0' },
    });
    const cm = await kg.request('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2' } },
    });
    assert.equal(cm.status, 403, cm.text);
    assert.equal(
      cm.body.message,
      'configmaps "c2" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1',
    );
    const another = await kg.request('POST', `/api/v1/namespaces/${ns}/resourcequotas`, { body: quota('second', { pods: '1' }) });
    assert.equal(another.status, 403, another.text);
    assert.equal(
      another.body.message,
      'resourcequotas "second" is forbidden: exceeded quota: objects, requested: resourcequotas=1, used: resourcequotas=1, limited: resourcequotas=1',
    );
    // A changed spec.hard: status.hard follows, new names are counted, dropped ones go, tracked ones keep their count.
    const patched = await kg.kubectl([
      '-n',
      ns,
      'patch',
      'resourcequota',
      'objects',
      '--type=json',
      '-p',
      JSON.stringify([
        { op: 'remove', path: '/spec/hard/services.loadbalancers' },
        { op: 'add', path: '/spec/hard/count~1services', value: '9' },
      ]),
    ]);
    assert.match(patched.stdout, /resourcequota\/objects patched/);
    assert.deepEqual(await status('objects', ns), {
      hard: { 'count/configmaps': '1', 'count/services': '9', resourcequotas: '1', services: '3' },
      used: { 'count/configmaps': '1', 'count/services': '2', resourcequotas: '1', services: '2' },
    });
  });

  it("recounts a quota whose status.used went wrong, as kube's quota controller does in its sync", async () => {
    const ns = 'resynced';
    await kg.kubectl(['create', 'namespace', ns]);
    const syncing = await startKgate({ etcd: kg.etcd, tuning: { quotaResyncMs: 100 } });
    try {
      const quotas = `/api/v1/namespaces/${ns}/resourcequotas`;
      await create(syncing, quotas, quota('q', { pods: '3', 'requests.cpu': '2' }));
      await create(syncing, `/api/v1/namespaces/${ns}/pods`, pod('one', { requests: { cpu: '250m' } }));
      const current = (await syncing.request('GET', `${quotas}/q`)).body;
      // Someone writes a wrong count (as a quota created while its pods were being created could start with).
      const wrong = await syncing.request('PUT', `${quotas}/q/status`, {
        body: { ...current, status: { hard: current.status.hard, used: { pods: '3', 'requests.cpu': '2' } } },
      });
      assert.equal(wrong.status, 200, wrong.text);
      const deadline = Date.now() + 30_000;
      let used;
      while (Date.now() < deadline) {
        used = (await status('q', ns)).used;
        if (used.pods === '1') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(used, { pods: '1', 'requests.cpu': '250m' });
    } finally {
      await syncing.close();
    }
  });
});
