// Alternate representations of reads: Table (includeObject None/Metadata/Object) and the metadata-only
// PartialObjectMetadata and PartialObjectMetadataList, for gets, lists and watches.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const PARTIAL = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
const PARTIAL_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

describe('Table and PartialObjectMetadata representations', function () {
  let kg: Kgate;
  const base = '/api/v1/namespaces/default/configmaps';
  before(async function () {
    kg = await startKgate();
    for (const name of ['one', 'two']) {
      const r = await kg.request('POST', base, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { set: 'x' } }, data: { k: name } },
      });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(async function () {
    await kg?.close();
  });

  it('a Table row carries PartialObjectMetadata by default, the object with includeObject=Object, nothing with None', async function () {
    const meta = await kg.request('GET', `${base}?labelSelector=set%3Dx`, { headers: { accept: TABLE } });
    assert.equal(meta.body.kind, 'Table');
    assert.deepEqual(
      meta.body.columnDefinitions.map((c: { name: string }) => c.name),
      ['Name', 'Data', 'Age'],
    );
    assert.deepEqual(
      meta.body.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 2)),
      [
        ['one', 1],
        ['two', 1],
      ],
    );
    assert.equal(meta.body.rows[0].object.kind, 'PartialObjectMetadata');
    assert.equal(meta.body.rows[0].object.metadata.name, 'one');
    assert.equal(meta.body.rows[0].object.data, undefined);
    const full = await kg.request('GET', `${base}?includeObject=Object`, { headers: { accept: TABLE } });
    assert.deepEqual(full.body.rows[0].object.data, { k: 'one' });
    const none = await kg.request('GET', `${base}?includeObject=None`, { headers: { accept: TABLE } });
    assert.equal(none.body.rows[0].object, undefined);
  });

  it('serves PartialObjectMetadata for a get and PartialObjectMetadataList for a list', async function () {
    const one = await kg.request('GET', `${base}/one`, { headers: { accept: PARTIAL } });
    assert.equal(one.status, 200);
    assert.deepEqual(Object.keys(one.body), ['kind', 'apiVersion', 'metadata']);
    assert.equal(one.body.kind, 'PartialObjectMetadata');
    assert.equal(one.body.apiVersion, 'meta.k8s.io/v1');
    assert.equal(one.body.metadata.name, 'one');
    const list = await kg.request('GET', base, { headers: { accept: PARTIAL_LIST } });
    assert.equal(list.body.kind, 'PartialObjectMetadataList');
    assert.match(list.body.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(
      list.body.items.map((i: { kind: string; metadata: { name: string } }) => [i.kind, i.metadata.name]),
      [
        ['PartialObjectMetadata', 'one'],
        ['PartialObjectMetadata', 'two'],
      ],
    );
  });

  it('a metadata watch sends PartialObjectMetadata objects', async function () {
    const events = await kg.watch(`${base}?watch=true&fieldSelector=metadata.name%3Dtwo`, (ev) => ev.length >= 1, {
      headers: { accept: PARTIAL },
    });
    assert.equal(events[0].type, 'ADDED');
    assert.equal(events[0].object.kind, 'PartialObjectMetadata');
    assert.equal(events[0].object.metadata.name, 'two');
    assert.equal(events[0].object.data, undefined);
  });

  it('asking only for a representation the verb cannot render is 406', async function () {
    const r = await kg.request('GET', `${base}/one`, {
      headers: { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' },
    });
    assert.equal(r.status, 406);
    assert.equal(r.body.reason, 'NotAcceptable');
  });
});
