// Cases transcribed from kube's own tables in pkg/apis/core/validation/validation_test.go (v1.34.4):
// TestValidatePorts' errorCases and TestValidateEnv's errorCases, as facts (input, expected error) checked the way
// those tests check them, with kube's `field` root standing for `spec.containers[0].<list>`.
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../../src/apimachinery/errors.js';
import { validatePodSpec } from '../../src/registry/validation/core/pod.js';

/** The errors a container with `extra` gets, under kube's `field` root for `list`. */
function containerErrors(list: 'ports' | 'env', extra: Record<string, unknown>): FieldError[] {
  const spec = {
    terminationGracePeriodSeconds: 30,
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File', ...extra }],
  };
  const prefix = `spec.containers[0].${list}`;
  return validatePodSpec(spec, 'spec')
    .filter((e) => e.field.startsWith(prefix))
    .map((e) => ({ ...e, field: `field${e.field.slice(prefix.length)}` }));
}

describe("kube's TestValidatePorts error cases", () => {
  const cases: Array<[string, unknown[], FieldError['type'], string, string]> = [
    ['name > 15 characters', [{ name: 'a'.repeat(16), containerPort: 80, protocol: 'TCP' }], 'FieldValueInvalid', 'name', '15'],
    [
      'name contains invalid characters',
      [{ name: 'a.b.c', containerPort: 80, protocol: 'TCP' }],
      'FieldValueInvalid',
      'name',
      'alpha-numeric',
    ],
    ['name is a number', [{ name: '80', containerPort: 80, protocol: 'TCP' }], 'FieldValueInvalid', 'name', 'at least one letter'],
    [
      'name not unique',
      [
        { name: 'abc', containerPort: 80, protocol: 'TCP' },
        { name: 'abc', containerPort: 81, protocol: 'TCP' },
      ],
      'FieldValueDuplicate',
      '[1].name',
      '',
    ],
    ['zero container port', [{ containerPort: 0, protocol: 'TCP' }], 'FieldValueRequired', 'containerPort', ''],
    ['invalid container port', [{ containerPort: 65536, protocol: 'TCP' }], 'FieldValueInvalid', 'containerPort', 'between'],
    ['invalid host port', [{ containerPort: 80, hostPort: 65536, protocol: 'TCP' }], 'FieldValueInvalid', 'hostPort', 'between'],
    [
      'invalid protocol case',
      [{ containerPort: 80, protocol: 'tcp' }],
      'FieldValueNotSupported',
      'protocol',
      'supported values: "SCTP", "TCP", "UDP"',
    ],
    [
      'invalid protocol',
      [{ containerPort: 80, protocol: 'ICMP' }],
      'FieldValueNotSupported',
      'protocol',
      'supported values: "SCTP", "TCP", "UDP"',
    ],
    ['protocol required', [{ name: 'abc', containerPort: 80 }], 'FieldValueRequired', 'protocol', ''],
  ];
  for (const [name, ports, type, fieldPart, detailPart] of cases) {
    it(`${name}: ${type} at ${fieldPart}`, () => {
      const errs = containerErrors('ports', { ports });
      assert.ok(errs.length > 0, 'expected a failure');
      for (const e of errs) {
        assert.equal(e.type, type);
        assert.ok(e.field.includes(fieldPart), e.field);
        assert.ok(e.detail.includes(detailPart), e.detail);
      }
    });
  }
});

describe("kube's TestValidateEnv error cases", () => {
  const fieldRef = (fieldPath: string, apiVersion = 'v1') => ({ fieldRef: { apiVersion, fieldPath } });
  const all =
    'supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"';
  const cases: Array<[string, unknown[], string]> = [
    ['zero-length name', [{ name: '' }], '[0].name: Required value'],
    [
      'value and valueFrom specified',
      [{ name: 'abc', value: 'foo', valueFrom: fieldRef('metadata.name') }],
      '[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
    ],
    [
      'valueFrom without a source',
      [{ name: 'abc', valueFrom: {} }],
      '[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef',
    ],
    [
      'valueFrom.fieldRef and valueFrom.secretKeyRef specified',
      [{ name: 'abc', valueFrom: { ...fieldRef('metadata.name'), secretKeyRef: { name: 'a-secret', key: 'a-key' } } }],
      '[0].valueFrom: Invalid value: "": may not have more than one field specified at a time',
    ],
    [
      'valueFrom.fieldRef and valueFrom.configMapKeyRef set',
      [
        {
          name: 'some_var_name',
          valueFrom: { ...fieldRef('metadata.name'), configMapKeyRef: { name: 'some-config-map', key: 'some-key' } },
        },
      ],
      '[0].valueFrom: Invalid value: "": may not have more than one field specified at a time',
    ],
    [
      'valueFrom.fieldRef, secretKeyRef and configMapKeyRef specified',
      [
        {
          name: 'abc',
          valueFrom: {
            ...fieldRef('metadata.name'),
            secretKeyRef: { name: 'a-secret', key: 'a-key' },
            configMapKeyRef: { name: 'some-config-map', key: 'some-key' },
          },
        },
      ],
      '[0].valueFrom: Invalid value: "": may not have more than one field specified at a time',
    ],
    ['valueFrom.secretKeyRef.name invalid', [{ name: 'abc', valueFrom: { secretKeyRef: { name: '$%^&*#', key: 'a-key' } } }], ''],
    ['valueFrom.configMapKeyRef.name invalid', [{ name: 'abc', valueFrom: { configMapKeyRef: { name: '$%^&*#', key: 'some-key' } } }], ''],
    [
      'missing FieldPath on ObjectFieldSelector',
      [{ name: 'abc', valueFrom: { fieldRef: { apiVersion: 'v1' } } }],
      '[0].valueFrom.fieldRef.fieldPath: Required value',
    ],
    [
      'missing APIVersion on ObjectFieldSelector',
      [{ name: 'abc', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      '[0].valueFrom.fieldRef.apiVersion: Required value',
    ],
    [
      'invalid fieldPath',
      [{ name: 'abc', valueFrom: fieldRef('metadata.whoops') }],
      '[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.whoops": error converting fieldPath',
    ],
    [
      'metadata.name with subscript',
      [{ name: 'labels', valueFrom: fieldRef("metadata.name['key']") }],
      `[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.name['key']": error converting fieldPath: field label does not support subscript`,
    ],
    [
      'metadata.labels without subscript',
      [{ name: 'labels', valueFrom: fieldRef('metadata.labels') }],
      `[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": ${all}`,
    ],
    [
      'metadata.annotations without subscript',
      [{ name: 'abc', valueFrom: fieldRef('metadata.annotations') }],
      `[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.annotations": ${all}`,
    ],
    [
      'metadata.annotations with invalid key',
      [{ name: 'abc', valueFrom: fieldRef("metadata.annotations['invalid~key']") }],
      'field[0].valueFrom.fieldRef: Invalid value: "invalid~key"',
    ],
    [
      'metadata.labels with invalid key',
      [{ name: 'abc', valueFrom: fieldRef("metadata.labels['Www.k8s.io/test']") }],
      'field[0].valueFrom.fieldRef: Invalid value: "Www.k8s.io/test"',
    ],
    [
      'unsupported fieldPath',
      [{ name: 'abc', valueFrom: fieldRef('status.phase') }],
      `valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": ${all}`,
    ],
  ];
  for (const [name, env, expected] of cases) {
    it(`${name}${expected ? `: ${expected.slice(0, 60)}` : ''}`, () => {
      const errs = containerErrors('env', { env });
      assert.ok(errs.length > 0, 'expected a failure');
      const text = errs.map((e) => fieldErrorMessage(e)).join(', ');
      assert.ok(text.includes(expected), text);
    });
  }
});
