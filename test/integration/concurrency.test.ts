// Optimistic concurrency under load: conditional read-modify-write loses no increment and stale writes get
// 409 Conflict; unconditional writes all succeed because the store retries them internally.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const CLIENTS = 50;
const INCREMENTS = 4;
const PATH = '/api/v1/namespaces/default/configmaps/counter';
const CONFLICT_MESSAGE =
  'Operation cannot be fulfilled on configmaps "counter": the object has been modified; please apply your changes to the latest version and try again';

describe('concurrent writers', function () {
  let kg: Kgate;
  before(async function () {
    kg = await startKgate();
  });
  after(async function () {
    await kg?.close();
  });

  it(`${CLIENTS} clients doing ${INCREMENTS} conditional increments each end at ${CLIENTS * INCREMENTS}, with 409s on stale writes`, async function () {
    const created = await kg.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter' }, data: { count: '0' } },
    });
    assert.equal(created.status, 201, created.text);

    const conflicts: { reason: string; message: string }[] = [];
    const unexpected: string[] = [];
    const client = async (): Promise<void> => {
      for (let done = 0; done < INCREMENTS;) {
        const got = await kg.request('GET', PATH);
        assert.equal(got.status, 200, got.text);
        const next = { ...got.body, data: { count: String(Number(got.body.data.count) + 1) } };
        const put = await kg.request('PUT', PATH, { body: next });
        if (put.status === 200) {
          done++;
        } else if (put.status === 409) {
          conflicts.push({ reason: put.body.reason, message: put.body.message });
        } else {
          unexpected.push(`${put.status} ${put.text}`);
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));

    assert.deepEqual(unexpected, []);
    const final = await kg.request('GET', PATH);
    assert.equal(final.body.data.count, String(CLIENTS * INCREMENTS));
    assert.ok(conflicts.length > 0, 'no write was ever stale: the test did not race');
    for (const c of conflicts) {
      assert.equal(c.reason, 'Conflict');
      assert.equal(c.message, CONFLICT_MESSAGE);
    }
    // Every successful write moved the revision by one step on this key: the history holds each count once.
    assert.ok(Number(final.body.metadata.resourceVersion) >= Number(created.body.metadata.resourceVersion) + CLIENTS * INCREMENTS);
  });

  it('20 concurrent unconditional PUTs all succeed', async function () {
    const created = await kg.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blind' }, data: {} },
    });
    assert.equal(created.status, 201, created.text);
    const writers = 20;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        kg.request('PUT', '/api/v1/namespaces/default/configmaps/blind', {
          body: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'blind', labels: { writer: String(i) } },
            data: { writer: String(i) },
          },
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array.from({ length: writers }, () => 200),
      results
        .filter((r) => r.status !== 200)
        .map((r) => r.text)
        .join('\n'),
    );
    // Each write landed at its own revision; the last one is what is stored.
    const revisions = results.map((r) => Number(r.body.metadata.resourceVersion));
    assert.equal(new Set(revisions).size, writers);
    const last = results[revisions.indexOf(Math.max(...revisions))];
    const final = await kg.request('GET', '/api/v1/namespaces/default/configmaps/blind');
    assert.deepEqual(final.body.data, last.body.data);
    assert.equal(final.body.metadata.resourceVersion, last.body.metadata.resourceVersion);
    assert.equal(final.body.metadata.uid, created.body.metadata.uid);
  });
});
