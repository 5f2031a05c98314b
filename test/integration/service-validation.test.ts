// Service validation through HTTP (ValidateService and the Service REST's allocation checks): kgate answers the
// bodies below with the Status kube-apiserver v1.34.4 answered, byte for byte, and stores nothing.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const SERVICES = '/api/v1/namespaces/default/services';

// Answers of kube-apiserver v1.34.4 to these POSTs.
const CASES: Array<{ body: { metadata: { name: string }; spec: unknown }; status: unknown }> = [
  {
    body: { metadata: { name: 's2' }, spec: { ports: [{ port: 70000 }] } },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Service "s2" is invalid: [spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]',
      reason: 'Invalid',
      details: {
        name: 's2',
        kind: 'Service',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
            field: 'spec.ports[0].port',
          },
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
            field: 'spec.ports[0].targetPort',
          },
        ],
      },
      code: 422,
    },
  },
  {
    body: { metadata: { name: 's10' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] } },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Service "s10" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
      reason: 'Invalid',
      details: {
        name: 's10',
        kind: 'Service',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
            field: 'spec.ports[0].nodePort',
          },
        ],
      },
      code: 422,
    },
  },
  {
    body: { metadata: { name: 's23' }, spec: { ports: [{ port: 80 }, { port: 80 }] } },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Service "s23" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value, spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}]',
      reason: 'Invalid',
      details: {
        name: 's23',
        kind: 'Service',
        causes: [
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' },
          { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[1].name' },
          {
            reason: 'FieldValueDuplicate',
            message: 'Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}',
            field: 'spec.ports[1]',
          },
        ],
      },
      code: 422,
    },
  },
  {
    body: { metadata: { name: 's24' }, spec: { externalIPs: ['1.2.3.4.5', '0.0.0.0', '127.0.0.1'], ports: [{ port: 80 }] } },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Service "s24" is invalid: [spec.externalIPs[0]: Invalid value: "1.2.3.4.5": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), spec.externalIPs[1]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0), spec.externalIPs[2]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)]',
      reason: 'Invalid',
      details: {
        name: 's24',
        kind: 'Service',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: "1.2.3.4.5": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
            field: 'spec.externalIPs[0]',
          },
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
            field: 'spec.externalIPs[1]',
          },
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
            field: 'spec.externalIPs[2]',
          },
        ],
      },
      code: 422,
    },
  },
  {
    body: {
      metadata: { name: 's37' },
      spec: { type: 'ExternalName', externalName: 'example.com', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] },
    },
    status: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Service "s37" is invalid: [spec.ipFamilies: Forbidden: may not be set for ExternalName services, spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services]',
      reason: 'Invalid',
      details: {
        name: 's37',
        kind: 'Service',
        causes: [
          { reason: 'FieldValueForbidden', message: 'Forbidden: may not be set for ExternalName services', field: 'spec.ipFamilies' },
          { reason: 'FieldValueForbidden', message: 'Forbidden: may not be set for ExternalName services', field: 'spec.ipFamilyPolicy' },
        ],
      },
      code: 422,
    },
  },
];

describe('Service validation over HTTP', function () {
  this.timeout(60_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate();
  });
  after(async () => kg?.close());

  for (const c of CASES) {
    it(`${c.body.metadata.name}: ${JSON.stringify(c.body.spec)} is kube's 422, and nothing is stored`, async () => {
      const r = await kg.request('POST', SERVICES, { body: c.body });
      assert.equal(r.status, 422, r.text);
      assert.deepEqual(r.body, c.status);
      assert.equal((await kg.request('GET', `${SERVICES}/${c.body.metadata.name}`)).status, 404);
    });
  }

  it("a PUT changing the clusterIP is kube's 422, and one leaving it out keeps it", async () => {
    const created = await kg.request('POST', SERVICES, {
      body: { metadata: { name: 'u1' }, spec: { clusterIP: '10.0.0.50', ports: [{ port: 80 }] } },
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.spec.clusterIPs, ['10.0.0.50']);
    const r = await kg.request('PUT', `${SERVICES}/u1`, {
      body: { metadata: { name: 'u1' }, spec: { clusterIP: '10.0.0.51', ports: [{ port: 80 }] } },
    });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(r.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Service "u1" is invalid: spec.clusterIPs[0]: Invalid value: ["10.0.0.51"]: may not change once set',
      reason: 'Invalid',
      details: {
        name: 'u1',
        kind: 'Service',
        causes: [
          { reason: 'FieldValueInvalid', message: 'Invalid value: ["10.0.0.51"]: may not change once set', field: 'spec.clusterIPs[0]' },
        ],
      },
      code: 422,
    });
    // A PUT that leaves the clusterIP out keeps it, as kube's patchAllocatedValues does.
    const kept = await kg.request('PUT', `${SERVICES}/u1`, { body: { metadata: { name: 'u1' }, spec: { ports: [{ port: 81 }] } } });
    assert.equal(kept.status, 200, kept.text);
    assert.equal(kept.body.spec.clusterIP, '10.0.0.50');
    assert.deepEqual(kept.body.spec.clusterIPs, ['10.0.0.50']);
  });
});
