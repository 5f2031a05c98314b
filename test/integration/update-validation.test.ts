// Update rules (ValidateXUpdate) through HTTP: kgate answers each PUT below with the Status kube-apiserver
// v1.34.4 answered after the same POST, byte for byte, and keeps the stored object.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

type Body = { metadata: { name: string }; [field: string]: unknown };

// Answers of kube-apiserver v1.34.4 to the PUT after the POST.
const CASES: Array<{ path: string; create: Body; update: Body; status: { message: string; [field: string]: unknown } }> = [
  {
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
    create: { metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a' } },
    update: {
      metadata: { name: 'rb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'b' },
      subjects: [{ kind: 'Weird', name: 'x' }],
    },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'RoleBinding.rbac.authorization.k8s.io "rb" is invalid: [subjects[0].kind: Unsupported value: "Weird": supported values: "ServiceAccount", "User", "Group", roleRef: Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"ClusterRole","Name":"b"}: cannot change roleRef]',
      reason: 'Invalid',
      details: {
        name: 'rb',
        group: 'rbac.authorization.k8s.io',
        kind: 'RoleBinding',
        causes: [
          {
            reason: 'FieldValueNotSupported',
            message: 'Unsupported value: "Weird": supported values: "ServiceAccount", "User", "Group"',
            field: 'subjects[0].kind',
          },
          {
            reason: 'FieldValueNotSupported',
            message: 'Unsupported value: "Weird": supported values: "ServiceAccount", "User", "Group"',
            field: 'subjects[0].kind',
          },
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: {"APIGroup":"rbac.authorization.k8s.io","Kind":"ClusterRole","Name":"b"}: cannot change roleRef',
            field: 'roleRef',
          },
        ],
      },
      code: 422,
    },
  },
  {
    path: '/apis/scheduling.k8s.io/v1/priorityclasses',
    create: { metadata: { name: 'pc' }, value: 5 },
    update: { metadata: { name: 'pc' }, value: 6, preemptionPolicy: 'Never' },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'PriorityClass.scheduling.k8s.io "pc" is invalid: [value: Forbidden: may not be changed in an update., preemptionPolicy: Invalid value: "Never": field is immutable]',
      reason: 'Invalid',
      details: {
        name: 'pc',
        group: 'scheduling.k8s.io',
        kind: 'PriorityClass',
        causes: [
          { reason: 'FieldValueForbidden', message: 'Forbidden: may not be changed in an update.', field: 'value' },
          { reason: 'FieldValueInvalid', message: 'Invalid value: "Never": field is immutable', field: 'preemptionPolicy' },
        ],
      },
      code: 422,
    },
  },
  {
    path: '/apis/storage.k8s.io/v1/storageclasses',
    create: { metadata: { name: 'sc' }, provisioner: 'a.io/x', parameters: { a: 'b' } },
    update: {
      metadata: { name: 'sc' },
      provisioner: 'b.io/y',
      parameters: { a: 'c' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'StorageClass.storage.k8s.io "sc" is invalid: [parameters: Forbidden: updates to parameters are forbidden., provisioner: Forbidden: updates to provisioner are forbidden., reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden., volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable]',
      reason: 'Invalid',
      details: {
        name: 'sc',
        group: 'storage.k8s.io',
        kind: 'StorageClass',
        causes: [
          { reason: 'FieldValueForbidden', message: 'Forbidden: updates to parameters are forbidden.', field: 'parameters' },
          { reason: 'FieldValueForbidden', message: 'Forbidden: updates to provisioner are forbidden.', field: 'provisioner' },
          { reason: 'FieldValueForbidden', message: 'Forbidden: updates to reclaimPolicy are forbidden.', field: 'reclaimPolicy' },
          { reason: 'FieldValueInvalid', message: 'Invalid value: "WaitForFirstConsumer": field is immutable', field: 'volumeBindingMode' },
        ],
      },
      code: 422,
    },
  },
  {
    path: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    create: { metadata: { name: 'es' }, addressType: 'IPv4', endpoints: [] },
    update: { metadata: { name: 'es' }, addressType: 'IPv6', endpoints: [] },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'EndpointSlice.discovery.k8s.io "es" is invalid: addressType: Invalid value: "IPv6": field is immutable',
      reason: 'Invalid',
      details: {
        name: 'es',
        group: 'discovery.k8s.io',
        kind: 'EndpointSlice',
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "IPv6": field is immutable', field: 'addressType' }],
      },
      code: 422,
    },
  },
  {
    path: '/apis/networking.k8s.io/v1/ingressclasses',
    create: { metadata: { name: 'ic' }, spec: { controller: 'a.io/x' } },
    update: { metadata: { name: 'ic' }, spec: { controller: 'b.io/y' } },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'IngressClass.networking.k8s.io "ic" is invalid: spec.controller: Invalid value: "b.io/y": field is immutable',
      reason: 'Invalid',
      details: {
        name: 'ic',
        group: 'networking.k8s.io',
        kind: 'IngressClass',
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "b.io/y": field is immutable', field: 'spec.controller' }],
      },
      code: 422,
    },
  },
  {
    path: '/api/v1/namespaces/default/secrets',
    create: { metadata: { name: 'im' }, data: { a: 'eA==' }, immutable: true },
    update: { metadata: { name: 'im' }, data: { a: 'eQ==' }, immutable: false, type: 'x/y' },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Secret "im" is invalid: [type: Invalid value: "x/y": field is immutable, immutable: Forbidden: field is immutable when `immutable` is set, data: Forbidden: field is immutable when `immutable` is set]',
      reason: 'Invalid',
      details: {
        name: 'im',
        kind: 'Secret',
        causes: [
          { reason: 'FieldValueInvalid', message: 'Invalid value: "x/y": field is immutable', field: 'type' },
          { reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set', field: 'immutable' },
          { reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set', field: 'data' },
        ],
      },
      code: 422,
    },
  },
  {
    path: '/api/v1/nodes',
    create: { metadata: { name: 'nodeu' }, spec: { podCIDRs: ['10.0.0.0/24'], providerID: 'p1' } },
    update: {
      metadata: { name: 'nodeu' },
      spec: { podCIDRs: ['10.1.0.0/24'], providerID: 'p2', taints: [{ key: 'k' }] },
      status: {
        addresses: [
          { type: 'InternalIP', address: '1.2.3.4' },
          { type: 'InternalIP', address: '1.2.3.4' },
        ],
      },
    },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Node "nodeu" is invalid: [metadata.taints[0].effect: Required value, spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid, spec.providerID: Forbidden: node updates may not change providerID except from "" to valid]',
      reason: 'Invalid',
      details: {
        name: 'nodeu',
        kind: 'Node',
        causes: [
          { reason: 'FieldValueRequired', message: 'Required value', field: 'metadata.taints[0].effect' },
          {
            reason: 'FieldValueForbidden',
            message: 'Forbidden: node updates may not change podCIDR except from "" to valid',
            field: 'spec.podCIDRs',
          },
          {
            reason: 'FieldValueForbidden',
            message: 'Forbidden: node updates may not change providerID except from "" to valid',
            field: 'spec.providerID',
          },
          { reason: 'FieldValueRequired', message: 'Required value', field: 'metadata.taints[0].effect' },
        ],
      },
      code: 422,
    },
  },
];

describe('update validation over HTTP', function () {
  this.timeout(60_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate();
  });
  after(async () => kg?.close());

  for (const c of CASES) {
    it(`${c.path.split('/').pop()}: ${c.status.message}`, async () => {
      const created = await kg.request('POST', c.path, { body: c.create });
      assert.equal(created.status, 201, created.text);
      const url = `${c.path}/${c.create.metadata.name}`;
      const r = await kg.request('PUT', url, { body: c.update });
      assert.equal(r.status, 422, r.text);
      assert.deepEqual(r.body, c.status);
      const stored = await kg.request('GET', url);
      assert.equal(stored.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
    });
  }
});
