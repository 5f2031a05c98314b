import assert from 'node:assert/strict';
import type { z } from 'zod';
import { generatedKinds, schemaForKind } from '../../src/generated/index.js';
import { validateAgainstSchema } from '../../src/scheme/validate.js';

function schema(group: string, version: string, kind: string): z.ZodType {
  const s = schemaForKind(group, version, kind);
  assert.ok(s, `no schema for ${group}/${version}/${kind}`);
  return s;
}

function pod(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
}

const validPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: '2024-05-01T10:00:00Z' },
  spec: {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    containers: [
      {
        name: 'app',
        image: 'nginx:1.27',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
        readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 },
        env: [{ name: 'A', value: '1' }],
      },
      { name: 'sidecar', image: 'busybox', command: ['sleep', '3600'], livenessProbe: { tcpSocket: { port: 'http' } } },
      { name: 'metrics', image: 'exporter', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
    ],
    volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }],
  },
};

describe('validateAgainstSchema', () => {
  it('generates a schema per kind, mapping colliding names to group-prefixed models', () => {
    assert.equal(generatedKinds.find((k) => k.group === 'events.k8s.io' && k.kind === 'Event')?.model, 'EventsV1Event');
    assert.equal(generatedKinds.find((k) => k.group === '' && k.kind === 'Event')?.model, 'CoreV1Event');
    assert.equal(generatedKinds.find((k) => k.group === 'autoscaling' && k.version === 'v2')?.model, 'V2HorizontalPodAutoscaler');
    assert.equal(schemaForKind('', 'v1', 'NoSuchKind'), undefined);
  });

  it('passes a valid Pod unchanged, as a copy', () => {
    const r = validateAgainstSchema(schema('', 'v1', 'Pod'), validPod);
    assert.deepEqual(r, { object: validPod, unknownFields: [], errors: [], typeErrors: [] });
    assert.notEqual(r.object, validPod);
  });

  it('passes a valid Deployment, Service and ConfigMap unchanged', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: {
        type: 'NodePort',
        selector: { app: 'web' },
        ports: [
          { port: 80, targetPort: 'http', protocol: 'TCP' },
          { name: 'b', port: 81, targetPort: 8081 },
        ],
      },
    };
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' }, binaryData: { b: 'aGVsbG8=' } };
    for (const [s, obj] of [
      [schema('apps', 'v1', 'Deployment'), deployment],
      [schema('', 'v1', 'Service'), service],
      [schema('', 'v1', 'ConfigMap'), configMap],
    ] as const) {
      assert.deepEqual(validateAgainstSchema(s, obj), { object: obj, unknownFields: [], errors: [], typeErrors: [] });
    }
  });

  it('reports unknown fields with kube paths in document order and drops them', () => {
    const input = pod({ foo: 1, containers: [{ name: 'a', image: 'x', bogus: true }], bar: { x: 1 } });
    (input.metadata as Record<string, unknown>).extra = 'y';
    const r = validateAgainstSchema(schema('', 'v1', 'Pod'), input);
    assert.deepEqual(r.unknownFields, ['metadata.extra', 'spec.foo', 'spec.containers[0].bogus', 'spec.bar']);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.typeErrors, []);
    assert.deepEqual(r.object, pod({ containers: [{ name: 'a', image: 'x' }] }));
    assert.equal((input.spec as Record<string, unknown>).foo, 1, 'the input is not modified');
  });

  it('reports a missing container name as FieldValueRequired', () => {
    const r = validateAgainstSchema(schema('', 'v1', 'Pod'), pod({ containers: [{ name: 'a', image: 'x' }, { image: 'y' }] }));
    assert.deepEqual(r.errors, [{ type: 'FieldValueRequired', field: 'spec.containers[1].name', detail: '' }]);
    assert.deepEqual(r.typeErrors, []);
  });

  it("reports a bad enum value as FieldValueNotSupported with kube's supported-values detail", () => {
    const r = validateAgainstSchema(
      schema('', 'v1', 'Pod'),
      pod({ restartPolicy: 'Sometimes', containers: [{ name: 'a', image: 'x', imagePullPolicy: 'Maybe' }] }),
    );
    assert.deepEqual(r.errors, [
      {
        type: 'FieldValueNotSupported',
        field: 'spec.containers[0].imagePullPolicy',
        value: 'Maybe',
        detail: 'supported values: "Always", "IfNotPresent", "Never"',
      },
      {
        type: 'FieldValueNotSupported',
        field: 'spec.restartPolicy',
        value: 'Sometimes',
        detail: 'supported values: "Always", "OnFailure", "Never"',
      },
    ]);
    const svc = validateAgainstSchema(schema('', 'v1', 'Service'), {
      metadata: { name: 's' },
      spec: { type: 'Bogus', ports: [{ port: 1 }] },
    });
    assert.deepEqual(svc.errors, [
      {
        type: 'FieldValueNotSupported',
        field: 'spec.type',
        value: 'Bogus',
        detail: 'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      },
    ]);
  });

  it('leaves an empty enum value to defaulting', () => {
    const r = validateAgainstSchema(schema('', 'v1', 'Pod'), pod({ restartPolicy: '', containers: [{ name: 'a', image: 'x' }] }));
    assert.deepEqual(r.errors, []);
  });

  it("accepts a Quantity as a number or a string and rejects a malformed one with ParseQuantity's error", () => {
    const s = schema('', 'v1', 'Pod');
    const ok = validateAgainstSchema(
      s,
      pod({ containers: [{ name: 'a', resources: { limits: { cpu: 2, memory: 1e9 }, requests: { cpu: '0.5' } } }] }),
    );
    assert.deepEqual([ok.errors, ok.typeErrors], [[], []]);
    const bad = validateAgainstSchema(s, pod({ containers: [{ name: 'a', resources: { limits: { cpu: 'two' } } }] }));
    assert.deepEqual(bad.typeErrors, ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]);
    const suffix = validateAgainstSchema(s, pod({ containers: [{ name: 'a', resources: { limits: { cpu: '1Qi' } } }] }));
    assert.deepEqual(suffix.typeErrors, ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"]);
    const badSuffix = validateAgainstSchema(s, pod({ containers: [{ name: 'a', resources: { limits: { cpu: '1kk' } } }] }));
    assert.deepEqual(badSuffix.typeErrors, ["unable to parse quantity's suffix"]);
  });

  it('accepts IntOrString as an int or a string', () => {
    const s = schema('policy', 'v1', 'PodDisruptionBudget');
    for (const minAvailable of [1, '50%']) {
      const r = validateAgainstSchema(s, { metadata: { name: 'p' }, spec: { minAvailable } });
      assert.deepEqual([r.errors, r.typeErrors], [[], []], `minAvailable ${String(minAvailable)}`);
    }
    // IntOrString.UnmarshalJSON's own json.Unmarshal fails; the decoder returns it with the field's context.
    const bad = validateAgainstSchema(s, { metadata: { name: 'p' }, spec: { minAvailable: true } });
    assert.deepEqual(bad.typeErrors, [
      'json: cannot unmarshal bool into Go struct field PodDisruptionBudgetSpec.spec.minAvailable of type int32',
    ]);
  });

  it('reports only the first error an UnmarshalJSON method returns, over type errors saved before it', () => {
    // kube-apiserver v1.34.4: a Lease with labels {a: 1} and renewTime 123 answers only the renewTime error.
    const r = validateAgainstSchema(schema('coordination.k8s.io', 'v1', 'Lease'), {
      metadata: { name: 'l', labels: { a: 1 } },
      spec: { holderIdentity: 5, renewTime: 123, acquireTime: 'x' },
    });
    assert.deepEqual(r.typeErrors, ['json: cannot unmarshal number into Go struct field LeaseSpec.spec.renewTime of type string']);
  });

  it('returns wrong JSON types as Go decode errors, first in document order', () => {
    const r = validateAgainstSchema(schema('', 'v1', 'Pod'), pod({ nodeName: 5, containers: 'app' }));
    assert.deepEqual(r.typeErrors, [
      'json: cannot unmarshal number into Go struct field PodSpec.spec.nodeName of type string',
      'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container',
    ]);
    assert.deepEqual(r.errors, []);
    const ints = validateAgainstSchema(schema('', 'v1', 'Pod'), pod({ containers: [{ name: 'a', ports: [{ containerPort: 1.5 }] }] }));
    assert.deepEqual(ints.typeErrors, [
      'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ]);
    assert.deepEqual(validateAgainstSchema(schema('', 'v1', 'Pod'), []).typeErrors, [
      'json: cannot unmarshal array into Go value of type v1.Pod',
    ]);
  });

  it('checks time formats as metav1.Time and MicroTime decode them', () => {
    const ev = validateAgainstSchema(schema('events.k8s.io', 'v1', 'Event'), {
      metadata: { name: 'e' },
      eventTime: '2024-01-01T00:00:00Z',
    });
    assert.deepEqual(ev.typeErrors, [
      'parsing time "2024-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
    ]);
    const ok = validateAgainstSchema(schema('events.k8s.io', 'v1', 'Event'), {
      metadata: { name: 'e' },
      eventTime: '2024-01-01T00:00:00.123456Z',
    });
    assert.deepEqual(ok.typeErrors, []);
    const meta = validateAgainstSchema(schema('', 'v1', 'ConfigMap'), { metadata: { name: 'c', creationTimestamp: 'yesterday' } });
    assert.deepEqual(meta.typeErrors, ['parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"']);
  });

  it('checks base64 for []byte fields', () => {
    const r = validateAgainstSchema(schema('', 'v1', 'Secret'), { metadata: { name: 's' }, data: { ok: 'aGk=', bad: 'a*b=' } });
    assert.deepEqual(r.typeErrors, ['illegal base64 data at input byte 1']);
  });

  it('treats null as absent', () => {
    const r = validateAgainstSchema(
      schema('', 'v1', 'Pod'),
      pod({ nodeName: null, containers: [{ name: 'a', image: null, resources: null }], tolerations: null }),
    );
    assert.deepEqual(r, { object: pod({ containers: [{ name: 'a' }] }), unknownFields: [], errors: [], typeErrors: [] });
    const required = validateAgainstSchema(schema('', 'v1', 'Pod'), pod({ containers: [{ name: null }] }));
    assert.deepEqual(required.errors, [{ type: 'FieldValueRequired', field: 'spec.containers[0].name', detail: '' }]);
  });

  it('does not require OpenAPI-required members of status-only types or booleans', () => {
    const r = validateAgainstSchema(schema('', 'v1', 'Pod'), {
      ...pod({ containers: [{ name: 'a' }] }),
      status: { containerStatuses: [{ name: 'a' }], conditions: [{ type: 'Ready' }] },
    });
    assert.deepEqual([r.errors, r.typeErrors], [[], []]);
  });
});
