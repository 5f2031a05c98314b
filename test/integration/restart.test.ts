// kgate keeps no state of its own: after a restart on the same etcd every object is there with the same
// resourceVersion, and a watch resumed from a recorded resourceVersion delivers exactly what came after it.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const CMS = '/api/v1/namespaces/default/configmaps';

function configMap(name: string, data: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { suite: 'restart' } }, data };
}

describe('restart on the same etcd', function () {
  let kg: Kgate;
  before(async function () {
    // A restarted kgate's cache starts at etcd's current revision; older resumes are served by etcd's own watch.
    kg = await startKgate();
  });
  after(async function () {
    await kg?.close();
  });

  it('keeps objects and resourceVersions, and a resumed watch misses nothing', async function () {
    const before: Record<string, string> = {};
    for (const name of ['r1', 'r2', 'r3']) {
      const res = await kg.request('POST', CMS, { body: configMap(name, { v: '0' }) });
      assert.equal(res.status, 201, res.text);
      before[name] = res.body.metadata.resourceVersion;
    }
    const deployment = await kg.request('POST', '/apis/apps/v1/namespaces/default/deployments', {
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'survivor' },
        spec: {
          selector: { matchLabels: { app: 's' } },
          template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
        },
      },
    });
    assert.equal(deployment.status, 201, deployment.text);

    // A watch sees the creates; its last event's resourceVersion is where we resume after the restart.
    const seen = await kg.watch(`${CMS}?watch=true&labelSelector=suite%3Drestart`, (evs) => evs.length === 3);
    assert.deepEqual(seen.map((e) => [e.type, e.object.metadata.name]).sort(), [
      ['ADDED', 'r1'],
      ['ADDED', 'r2'],
      ['ADDED', 'r3'],
    ]);
    const recorded = seen
      .map((e) => e.object.metadata.resourceVersion)
      .sort((a, b) => Number(a) - Number(b))
      .at(-1)!;
    assert.equal(recorded, before.r3);

    await kg.stopServer();
    await kg.restartServer();

    const list = await kg.request('GET', `${CMS}?labelSelector=suite%3Drestart`);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(Object.fromEntries(list.body.items.map((i: any) => [i.metadata.name, i.metadata.resourceVersion])), before);
    const dep = await kg.request('GET', '/apis/apps/v1/namespaces/default/deployments/survivor');
    assert.equal(dep.status, 200, dep.text);
    assert.equal(dep.body.metadata.resourceVersion, deployment.body.metadata.resourceVersion);
    assert.equal(dep.body.metadata.uid, deployment.body.metadata.uid);

    // Writes right after the restart, then the resumed watch.
    const r1 = await kg.request('GET', `${CMS}/r1`);
    const u1 = await kg.request('PUT', `${CMS}/r1`, { body: { ...r1.body, data: { v: '1' } } });
    assert.equal(u1.status, 200, u1.text);
    const c4 = await kg.request('POST', CMS, { body: configMap('r4', { v: '0' }) });
    assert.equal(c4.status, 201, c4.text);
    const d2 = await kg.request('DELETE', `${CMS}/r2`);
    assert.equal(d2.status, 200, d2.text);

    const resumed = kg.watch(`${CMS}?watch=true&labelSelector=suite%3Drestart&resourceVersion=${recorded}`, (evs) => evs.length >= 4);
    // One more change while the resumed watch is open.
    const r3 = await kg.request('GET', `${CMS}/r3`);
    const u3 = await kg.request('PUT', `${CMS}/r3`, { body: { ...r3.body, data: { v: '3' } } });
    assert.equal(u3.status, 200, u3.text);
    const events = await resumed;

    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.name, e.object.metadata.resourceVersion]),
      [
        ['MODIFIED', 'r1', u1.body.metadata.resourceVersion],
        ['ADDED', 'r4', c4.body.metadata.resourceVersion],
        ['DELETED', 'r2', events[2]?.object.metadata.resourceVersion],
        ['MODIFIED', 'r3', u3.body.metadata.resourceVersion],
      ],
    );
    const revisions = events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual(
      [...revisions].sort((a, b) => a - b),
      revisions,
    );
    assert.ok(revisions[2] > revisions[1] && revisions[2] < revisions[3]);
    assert.deepEqual(events[0].object.data, { v: '1' });
  });
});
