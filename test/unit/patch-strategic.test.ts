// Strategic merge patch engine: a table of cases in the shape of apimachinery's strategicpatch patch_test.go
// ("original + patch → modified"), as listed in patch-semantics.md §4, over a hand-built schema like the
// test's mergeItem type, plus the schema kgate derives from the v1.34 OpenAPI definitions.
import assert from 'node:assert/strict';
import { smpSchemaForKind } from '../../src/registry/patch/openapi-schema.js';
import {
  strategicMergePatch,
  StrategicMergePatchError,
  UNTYPED_SCHEMA,
  type SMPField,
  type SMPSchema,
} from '../../src/registry/patch/strategic.js';
import type { JSONObject } from '../../src/apimachinery/objects.js';

/** The test type of strategicpatch's patch_test.go: one struct whose lists nest the same struct. */
const mergeItem: SMPSchema = {
  name: 'mergeItem',
  field(key: string): SMPField {
    const f = (strategies: string[], mergeKey = '', schema: SMPSchema = UNTYPED_SCHEMA): SMPField => ({ schema, strategies, mergeKey });
    switch (key) {
      case 'mergingList':
        return f(['merge'], 'name', mergeItem);
      case 'nonMergingList':
        return f([], '', mergeItem);
      case 'mergingIntList':
        return f(['merge']);
      case 'nonMergingIntList':
        return f([]);
      case 'replacingItem':
        return f(['replace'], '', mergeItem);
      case 'retainKeysMap':
        return f(['retainKeys'], '', mergeItem);
      case 'retainKeysMergingList':
        return f(['merge', 'retainKeys'], 'name', mergeItem);
      case 'simpleMap':
        return f([]);
      default:
        return f([], '', UNTYPED_SCHEMA);
    }
  },
};

interface Case {
  name: string;
  original: JSONObject;
  patch: JSONObject;
  want?: JSONObject;
  error?: { kind: StrategicMergePatchError['kind']; message: RegExp };
}

const cases: Case[] = [
  // maps and scalars
  {
    name: 'replaces a scalar and adds a key',
    original: { name: 'a', value: '1' },
    patch: { value: '2', other: 'x' },
    want: { name: 'a', value: '2', other: 'x' },
  },
  {
    name: 'null deletes a key, other keys stay',
    original: { name: 'original-name', value: 'original-value', other: 'current-other' },
    patch: { name: 'modified-name', value: null },
    want: { name: 'modified-name', other: 'current-other' },
  },
  { name: 'null for a key the object lacks is ignored', original: { name: 'a' }, patch: { value: null }, want: { name: 'a' } },
  {
    name: 'nulls inside an added value are dropped',
    original: {},
    patch: { simpleMap: { a: '1', b: null } },
    want: { simpleMap: { a: '1' } },
  },
  { name: 'different JSON types: the patch value replaces', original: { value: { a: 1 } }, patch: { value: 'x' }, want: { value: 'x' } },
  {
    name: 'maps merge key by key',
    original: { simpleMap: { key1: '1', key2: '1' } },
    patch: { simpleMap: { key2: '2', key3: '3' } },
    want: { simpleMap: { key1: '1', key2: '2', key3: '3' } },
  },
  {
    name: '$patch: delete in a map empties it',
    original: { simpleMap: { key1: 1, key2: 1 } },
    patch: { simpleMap: { $patch: 'delete' } },
    want: { simpleMap: {} },
  },
  {
    name: '$patch: replace in a map keeps only the patch keys',
    original: { simpleMap: { key1: 1 } },
    patch: { simpleMap: { other: 'a', $patch: 'replace' } },
    want: { simpleMap: { other: 'a' } },
  },
  { name: '$patch: replace at the root', original: { name: 1, value: 1 }, patch: { $patch: 'replace' }, want: {} },
  { name: 'a map with a directive added whole disappears', original: {}, patch: { simpleMap: { $patch: 'delete' } }, want: {} },
  {
    name: 'patchStrategy replace on a struct replaces it',
    original: { replacingItem: { name: 'a', value: 'b' } },
    patch: { replacingItem: { other: 'c' } },
    want: { replacingItem: { other: 'c' } },
  },

  // lists without merge strategy
  {
    name: 'a list of scalars without strategy is replaced',
    original: { nonMergingIntList: [1, 2] },
    patch: { nonMergingIntList: [2, 3] },
    want: { nonMergingIntList: [2, 3] },
  },
  {
    name: 'a list of maps without strategy is replaced',
    original: { nonMergingList: [{ name: '1' }, { name: '2' }] },
    patch: { nonMergingList: [{ name: '3' }] },
    want: { nonMergingList: [{ name: '3' }] },
  },

  // primitive lists with merge strategy
  {
    name: 'merging scalars gives the de-duplicated union',
    original: { mergingIntList: [1, 2] },
    patch: { mergingIntList: [2, 3] },
    want: { mergingIntList: [1, 2, 3] },
  },
  {
    name: '$deleteFromPrimitiveList removes values',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [2] },
    want: { mergingIntList: [1, 3] },
  },
  {
    name: '$deleteFromPrimitiveList works on lists without strategy',
    original: { nonMergingIntList: [1, 2, 3] },
    patch: { '$deleteFromPrimitiveList/nonMergingIntList': [1, 3] },
    want: { nonMergingIntList: [2] },
  },
  {
    name: '$deleteFromPrimitiveList never creates the list',
    original: { name: 'a' },
    patch: { '$deleteFromPrimitiveList/mergingIntList': [2] },
    want: { name: 'a' },
  },

  // lists of maps merged by key
  {
    name: 'items merge on the merge key, new items are added',
    original: { mergingList: [{ name: '1', value: 'a' }] },
    patch: { mergingList: [{ name: '1', other: 'x' }, { name: '2' }] },
    want: { mergingList: [{ name: '1', value: 'a', other: 'x' }, { name: '2' }] },
  },
  {
    name: 'a new patch item goes before server items it was not after',
    original: { mergingList: [{ name: 'patch-demo-ctr' }] },
    patch: { mergingList: [{ name: 'patch-demo-ctr-2' }] },
    want: { mergingList: [{ name: 'patch-demo-ctr-2' }, { name: 'patch-demo-ctr' }] },
  },
  {
    name: 'patch order is kept, server-only items keep their live place',
    original: { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] },
    patch: {
      mergingList: [
        { name: '3', value: 'c' },
        { name: '1', value: 'a' },
      ],
    },
    want: {
      mergingList: [
        { name: '2', value: 'b' },
        { name: '3', value: 'c' },
        { name: '1', value: 'a' },
      ],
    },
  },
  {
    name: 'nested lists merge inside matched items (a new value goes first)',
    original: { mergingList: [{ name: '1', mergingIntList: [1] }] },
    patch: { mergingList: [{ name: '1', mergingIntList: [2] }] },
    want: { mergingList: [{ name: '1', mergingIntList: [2, 1] }] },
  },
  {
    name: 'null inside a matched item deletes its field',
    original: { mergingList: [{ name: '1', value: 'a', other: 'b' }] },
    patch: { mergingList: [{ name: '1', value: null }] },
    want: { mergingList: [{ name: '1', other: 'b' }] },
  },
  {
    name: '$patch: delete removes every item with that key, duplicates included',
    original: { mergingList: [{ name: '1' }, { name: '1' }, { name: '2', value: 'a' }, { name: '3' }, { name: '3' }] },
    patch: {
      mergingList: [
        { name: '1', $patch: 'delete' },
        { name: '3', $patch: 'delete' },
      ],
    },
    want: { mergingList: [{ name: '2', value: 'a' }] },
  },
  {
    name: '$patch: replace as a list item drops the live items',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { mergingList: [{ $patch: 'replace' }] },
    want: { mergingList: [] },
  },
  {
    name: '$patch: replace keeps the other patch items',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { mergingList: [{ name: '3', value: 'x' }, { $patch: 'replace' }] },
    want: { mergingList: [{ name: '3', value: 'x' }] },
  },
  {
    name: 'a list added whole loses its directive items',
    original: {},
    patch: { mergingList: [{ name: '1' }, { $patch: 'replace' }] },
    want: { mergingList: [{ name: '1' }] },
  },

  // $setElementOrder
  {
    name: '$setElementOrder orders patch items and merged live items',
    original: {
      mergingList: [
        { name: '1', other: 'a' },
        { name: '2', value: '2', other: 'b' },
      ],
    },
    patch: {
      '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
      mergingList: [
        { name: '4', value: '4' },
        { name: '3', value: '3' },
      ],
    },
    want: {
      mergingList: [
        { name: '4', value: '4' },
        { name: '1', other: 'a' },
        { name: '2', value: '2', other: 'b' },
        { name: '3', value: '3' },
      ],
    },
  },
  {
    name: '$setElementOrder with a deletion (three-way patch from kubectl apply)',
    original: { mergingList: [{ name: '1' }, { name: '2', other: 'b' }] },
    patch: { '$setElementOrder/mergingList': [{ name: '2' }], mergingList: [{ name: '1', $patch: 'delete' }] },
    want: { mergingList: [{ name: '2', other: 'b' }] },
  },
  {
    name: '$setElementOrder keeps a server-only item at its live place',
    original: { mergingList: [{ name: '1', value: '1' }, { name: '2', value: '2' }, { name: '3', value: '3' }, { name: '9' }] },
    patch: { '$setElementOrder/mergingList': [{ name: '3' }, { name: '2' }, { name: '1' }], mergingList: [{ name: '3' }, { name: '1' }] },
    want: { mergingList: [{ name: '3', value: '3' }, { name: '2', value: '2' }, { name: '1', value: '1' }, { name: '9' }] },
  },
  {
    name: '$setElementOrder alone reorders a primitive list',
    original: { mergingIntList: [1, 2, 3] },
    patch: { '$setElementOrder/mergingIntList': [3, 1, 2] },
    want: { mergingIntList: [3, 1, 2] },
  },
  {
    name: '$setElementOrder for a list that exists nowhere is dropped',
    original: { name: 'a' },
    patch: { '$setElementOrder/mergingList': [{ name: '1' }] },
    want: { name: 'a' },
  },

  // $retainKeys
  {
    name: '$retainKeys adds a field and clears unlisted ones',
    original: { retainKeysMap: { name: 'foo', other: 'a' } },
    patch: { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'bar' } },
    want: { retainKeysMap: { name: 'foo', value: 'bar' } },
  },
  {
    name: '$retainKeys clears a defaulted field',
    original: { retainKeysMap: { value: 'foo' } },
    patch: { retainKeysMap: { $retainKeys: ['other'], other: 'bar' } },
    want: { retainKeysMap: { other: 'bar' } },
  },
  {
    name: '$retainKeys inside merged list items',
    original: { retainKeysMergingList: [{ name: '1', value: 'a', other: 'b' }] },
    patch: { retainKeysMergingList: [{ name: '1', $retainKeys: ['name', 'other'] }] },
    want: { retainKeysMergingList: [{ name: '1', other: 'b' }] },
  },

  // errors
  {
    name: 'a patch item without the merge key fails',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [{ value: 'b' }] },
    error: { kind: 'Internal', message: /^map: map\[value:b\] does not contain declared merge key: name$/ },
  },
  {
    name: 'an unknown $patch in a map fails',
    original: { simpleMap: { a: 1 } },
    patch: { simpleMap: { $patch: 'frobnicate' } },
    error: { kind: 'Internal', message: /^unknown patch type: frobnicate in map: map\[\$patch:frobnicate\]$/ },
  },
  {
    name: '$patch: merge in a map is refused',
    original: {},
    patch: { $patch: 'merge' },
    error: { kind: 'Internal', message: /^unknown patch type: merge in map/ },
  },
  {
    name: '$patch: merge in a list is refused',
    original: { mergingList: [{ name: '1' }] },
    patch: { mergingList: [{ $patch: 'merge' }] },
    error: { kind: 'Internal', message: /^merging lists cannot yet be specified in the patch$/ },
  },
  {
    name: 'a patch key missing from $retainKeys is a 400',
    original: { retainKeysMap: {} },
    patch: { retainKeysMap: { $retainKeys: ['name'], value: 'x' } },
    error: { kind: 'BadRequest', message: /^invalid patch format of retainKeys$/ },
  },
  {
    name: '$retainKeys that is not a list is a 400',
    original: { retainKeysMap: {} },
    patch: { retainKeysMap: { $retainKeys: 'name' } },
    error: { kind: 'BadRequest', message: /^invalid patch format of retainKeys$/ },
  },
  {
    name: '$deleteFromPrimitiveList without a field is a 400',
    original: {},
    patch: { $deleteFromPrimitiveList: [1] },
    error: { kind: 'BadRequest', message: /^invalid patch format of primitive list$/ },
  },
  {
    name: '$setElementOrder that is not a list is a 400',
    original: { mergingList: [] },
    patch: { '$setElementOrder/mergingList': 'x' },
    error: { kind: 'BadRequest', message: /^invalid patch format of setElementOrder list$/ },
  },
  {
    name: 'patch items out of $setElementOrder order fail',
    original: { mergingList: [{ name: '1' }, { name: '2' }] },
    patch: { '$setElementOrder/mergingList': [{ name: '1' }, { name: '2' }], mergingList: [{ name: '2' }, { name: '1' }] },
    error: {
      kind: 'Internal',
      message: /^The order in patch list:\n\[map\[name:2\] map\[name:1\]\]\n doesn't match \$setElementOrder list:/,
    },
  },
  {
    name: 'lists of lists are a generic 422',
    original: { mergingIntList: [[1]] },
    patch: { mergingIntList: [[2]] },
    error: { kind: 'Invalid', message: /^lists of lists are not supported$/ },
  },
  {
    name: 'mixed element types fail',
    original: { mergingIntList: [1] },
    patch: { mergingIntList: ['a'] },
    error: { kind: 'Internal', message: /^list element types are not identical/ },
  },
];

describe('strategic merge patch engine', () => {
  for (const c of cases) {
    it(c.name, () => {
      const before = structuredClone(c.original);
      if (c.error) {
        assert.throws(
          () => strategicMergePatch(c.original, c.patch, mergeItem),
          (e: unknown) => e instanceof StrategicMergePatchError && e.kind === c.error!.kind && c.error!.message.test(e.message),
        );
      } else {
        assert.deepEqual(strategicMergePatch(c.original, c.patch, mergeItem), c.want);
      }
      assert.deepEqual(c.original, before, 'original untouched');
    });
  }
});

describe('strategic merge patch metadata from the v1.34 OpenAPI definitions', () => {
  const deployment = smpSchemaForKind('apps', 'v1', 'Deployment')!;
  const podSpec = deployment.field('spec').schema.field('template').schema.field('spec').schema;

  it('knows built-in kinds and not others', () => {
    assert.ok(deployment);
    assert.ok(smpSchemaForKind('', 'v1', 'Pod'));
    assert.equal(smpSchemaForKind('example.com', 'v1', 'Widget'), undefined);
  });

  it('reads merge keys and strategies, following $ref and allOf', () => {
    const containers = podSpec.field('containers');
    assert.deepEqual([containers.strategies, containers.mergeKey], [['merge'], 'name']);
    const ports = containers.schema.field('ports');
    assert.deepEqual([ports.strategies, ports.mergeKey], [['merge'], 'containerPort']);
    assert.deepEqual(podSpec.field('volumes').strategies, ['merge', 'retainKeys']);
    assert.deepEqual(podSpec.field('tolerations').strategies, []);
    assert.deepEqual(deployment.field('spec').schema.field('strategy').strategies, ['retainKeys']);
    const pdb = smpSchemaForKind('policy', 'v1', 'PodDisruptionBudget')!;
    assert.deepEqual(pdb.field('spec').schema.field('selector').strategies, ['replace']);
    assert.deepEqual(deployment.field('metadata').schema.field('finalizers').strategies, ['merge']);
  });

  it('changes a container image by name and adds a port, keeping the rest', () => {
    const live: JSONObject = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'app', image: 'app:1', ports: [{ containerPort: 80, protocol: 'TCP' }] },
              { name: 'sidecar', image: 'side:1' },
            ],
          },
        },
      },
    };
    const patch = { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2', ports: [{ containerPort: 443 }] }] } } } };
    assert.deepEqual(strategicMergePatch(live, patch, deployment), {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'app', image: 'app:2', ports: [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }] },
              { name: 'sidecar', image: 'side:1' },
            ],
          },
        },
      },
    });
  });

  it('replaces tolerations (no strategy) and merges labels (a map)', () => {
    const live = { metadata: { labels: { a: '1', b: '2' } }, spec: { template: { spec: { tolerations: [{ key: 'x' }, { key: 'y' }] } } } };
    const patch = { metadata: { labels: { b: null, c: '3' } }, spec: { template: { spec: { tolerations: [{ key: 'z' }] } } } };
    assert.deepEqual(strategicMergePatch(live, patch, deployment), {
      metadata: { labels: { a: '1', c: '3' } },
      spec: { template: { spec: { tolerations: [{ key: 'z' }] } } },
    });
  });

  it('drops rollingUpdate with $retainKeys on spec.strategy', () => {
    const live = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } };
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } };
    assert.deepEqual(strategicMergePatch(live, patch, deployment), { spec: { strategy: { type: 'Recreate' } } });
  });
});
