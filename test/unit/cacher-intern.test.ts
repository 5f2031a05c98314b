import assert from 'node:assert/strict';
import { FieldsInterner } from '../../src/storage/cacher/intern.js';

function pod(name: string, labelKey: string) {
  return {
    metadata: {
      name,
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, [`f:${labelKey}`]: {} } } },
        },
      ],
    },
  };
}

describe('FieldsInterner', function () {
  it('shares one managedFields tree between objects written in the same shape', function () {
    const interner = new FieldsInterner();
    const a = pod('a', 'app');
    const b = pod('b', 'app');
    assert.notEqual(a.metadata.managedFields[0].fieldsV1, b.metadata.managedFields[0].fieldsV1);
    interner.internManagedFields(a);
    interner.internManagedFields(b);
    assert.equal(a.metadata.managedFields[0].fieldsV1, b.metadata.managedFields[0].fieldsV1);
    assert.equal(interner.size, 1);
  });

  it('keeps different trees apart and leaves objects without managedFields alone', function () {
    const interner = new FieldsInterner();
    const a = pod('a', 'app');
    const c = pod('c', 'tier');
    interner.internManagedFields(a);
    interner.internManagedFields(c);
    assert.notEqual(a.metadata.managedFields[0].fieldsV1, c.metadata.managedFields[0].fieldsV1);
    assert.deepEqual(c.metadata.managedFields[0].fieldsV1, { 'f:metadata': { 'f:labels': { '.': {}, 'f:tier': {} } } });
    const plain = { metadata: { name: 'x' } };
    interner.internManagedFields(plain);
    assert.deepEqual(plain, { metadata: { name: 'x' } });
    assert.equal(interner.size, 2);
  });
});
