// The Go JSON layout of src/registry/gojson.ts: what encoding/json writes for the typed structs of k8s.io/api.
import assert from 'node:assert/strict';
import { goEncoded, goMessageFor } from '../../src/registry/gojson.js';
import { indentJSON } from '../../src/endpoints/serialize.js';

const keys = (o: object) => Object.keys(o);

describe('Go JSON layout', function () {
  it('puts kind before apiVersion and fields in struct order, not field-number order (envFrom before env)', function () {
    const pod = goEncoded(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        spec: { containers: [{ env: [], envFrom: [{ prefix: 'P' }], image: 'i', name: 'c' }] },
        metadata: { namespace: 'n', name: 'p' },
      },
      goMessageFor('v1', 'Pod'),
    ) as any;
    assert.deepEqual(keys(pod), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    assert.deepEqual(keys(pod.metadata), ['name', 'namespace']);
    // env is omitempty: an empty slice is dropped; resources is a value struct: always written.
    assert.deepEqual(keys(pod.spec.containers[0]), ['name', 'image', 'envFrom', 'resources']);
    assert.deepEqual(pod.status, {});
  });

  it('writes nil slices without omitempty as null, value Time as null, and keeps a pointer zero', function () {
    const role = goEncoded(
      { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'r' } },
      goMessageFor('rbac.authorization.k8s.io/v1', 'Role'),
    );
    assert.equal(JSON.stringify(role), '{"kind":"Role","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"r"},"rules":null}');
    const dep = goEncoded(
      {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: { name: 'd' },
        spec: { replicas: 0, paused: false, template: {} },
        status: { conditions: [{ type: 'Available', status: 'True' }] },
      },
      goMessageFor('apps/v1', 'Deployment'),
    ) as any;
    assert.equal(dep.spec.replicas, 0, 'replicas is *int32: its zero is kept');
    assert.equal('paused' in dep.spec, false, 'paused is bool,omitempty: false is dropped');
    assert.deepEqual(dep.spec.template, { metadata: {}, spec: { containers: null } });
    assert.deepEqual(dep.status.conditions[0], { type: 'Available', status: 'True', lastUpdateTime: null, lastTransitionTime: null });
  });

  it('keeps a zero IntOrString (a struct or a pointer to one, which omitempty never drops)', function () {
    const pdb = goEncoded(
      { kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', metadata: { name: 'p' }, spec: { minAvailable: 0 } },
      goMessageFor('policy/v1', 'PodDisruptionBudget'),
    ) as any;
    assert.equal(pdb.spec.minAvailable, 0);
    const np = goEncoded(
      { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', metadata: { name: 'n' }, spec: { egress: [{ ports: [{ port: 0 }] }] } },
      goMessageFor('networking.k8s.io/v1', 'NetworkPolicy'),
    ) as any;
    assert.deepEqual(np.spec.egress[0].ports[0], { port: 0 });
  });

  it('sorts map keys, and every key of an object without a Go struct (custom resources)', function () {
    const cm = goEncoded(
      { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', labels: { z: '1', a: '2' } }, data: { b: '', a: '' } },
      goMessageFor('v1', 'ConfigMap'),
    ) as any;
    assert.deepEqual(keys(cm.metadata.labels), ['a', 'z']);
    assert.deepEqual(keys(cm.data), ['a', 'b']);
    const cr = goEncoded(
      { kind: 'Widget', apiVersion: 'example.com/v1', spec: { z: 1, a: [{ y: 1, b: 2 }] }, metadata: { name: 'w' } },
      undefined,
    );
    assert.equal(
      JSON.stringify(cr),
      '{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"a":[{"b":2,"y":1}],"z":1}}',
    );
  });

  it('indents as json.Indent with two spaces, keeping empty objects and arrays and strings intact', function () {
    assert.equal(
      indentJSON('{"a":{},"b":[],"c":[1,{"d":"x,{:}"}],"e":null}'),
      '{\n  "a": {},\n  "b": [],\n  "c": [\n    1,\n    {\n      "d": "x,{:}"\n    }\n  ],\n  "e": null\n}',
    );
  });
});
