// Decoding `application/vnd.kubernetes.protobuf` bodies: real kubectl 1.32 bodies (test/fixtures/protobuf/*.pb)
// must decode to what kubectl sends as JSON for the same command (*.json), plus the JSON mapping rules on
// hand-encoded messages.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { decodeKubernetesProtobuf, ProtobufDecodeError, readEnvelope } from '../../src/protobuf/index.js';
import { protobufRoot } from '../../src/protobuf/root.js';

const FIXTURES = new URL('../../../test/fixtures/protobuf/', import.meta.url).pathname;
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

function fixture(name: string): Record<string, any> {
  return decodeKubernetesProtobuf(readFileSync(`${FIXTURES}${name}.pb`));
}

/** A `k8s\0` + runtime.Unknown body around `object` encoded as `typeName`. */
function encodeBody(apiVersion: string, kind: string, typeName: string, object: Record<string, unknown>): Buffer {
  const root = protobufRoot();
  const type = root.lookupType(typeName);
  const raw = type.encode(type.fromObject(object)).finish();
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const envelope = unknown
    .encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' }))
    .finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), envelope]);
}

function decodeError(body: Buffer): ProtobufDecodeError {
  try {
    decodeKubernetesProtobuf(body);
  } catch (e) {
    assert.ok(e instanceof ProtobufDecodeError, String(e));
    return e;
  }
  assert.fail('expected a decode error');
}

describe('Kubernetes protobuf bodies', function () {
  describe('kubectl 1.32 bodies decode to the JSON kubectl would send', function () {
    const names = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length));

    it('has fixtures', function () {
      assert.ok(names.length >= 8, names.join(','));
    });

    for (const name of names) {
      it(`kubectl create ${name}`, function () {
        const expected = JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8'));
        assert.deepEqual(fixture(name), expected);
      });
    }
  });

  describe('fields of the captured bodies', function () {
    it('namespace: apiVersion and kind from the envelope, empty spec and status kept as {}', function () {
      const ns = fixture('namespace');
      assert.equal(ns.apiVersion, 'v1');
      assert.equal(ns.kind, 'Namespace');
      assert.deepEqual(ns.metadata, { name: 'pbx' });
      assert.deepEqual(ns.spec, {});
      assert.deepEqual(ns.status, {});
    });

    it('deployment: labels, selector, container image; unset non-pointer fields are left out', function () {
      const d = fixture('deployment');
      assert.equal(d.apiVersion, 'apps/v1');
      assert.equal(d.kind, 'Deployment');
      assert.equal(d.metadata.name, 'd');
      assert.equal(d.metadata.namespace, 'pbx');
      assert.deepEqual(d.metadata.labels, { app: 'd' });
      assert.deepEqual(d.spec.selector, { matchLabels: { app: 'd' } });
      assert.equal(d.spec.replicas, 1);
      const container = d.spec.template.spec.containers[0];
      assert.equal(container.image, 'nginx');
      assert.equal(container.name, 'nginx');
      assert.equal('imagePullPolicy' in container, false);
      assert.equal('paused' in d.spec, false);
      assert.equal('generation' in d.metadata, false);
      assert.equal('creationTimestamp' in d.metadata, false);
    });

    it('deployment --replicas=0 --port=8080: a present pointer zero stays, ports decode', function () {
      const d = fixture('deployment-zero');
      assert.equal(d.spec.replicas, 0);
      assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 8080 }]);
    });

    it('secret: bytes map values are base64', function () {
      const s = fixture('secret');
      assert.deepEqual(s.data, { a: Buffer.from('b').toString('base64') });
      assert.equal('type' in s, false);
    });

    it('configmap: string map', function () {
      assert.deepEqual(fixture('configmap').data, { a: 'b' });
    });

    it('service: IntOrString as a number, required port kept', function () {
      const svc = fixture('service');
      assert.deepEqual(svc.spec.ports, [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
      assert.equal(svc.spec.type, 'ClusterIP');
    });

    it('poddisruptionbudget: IntOrString as a string', function () {
      assert.equal(fixture('pdb').spec.minAvailable, '50%');
    });

    it('resourcequota: quantities as strings', function () {
      assert.deepEqual(fixture('quota').spec.hard, { cpu: '1', memory: '1Gi', pods: '2' });
    });

    it('tokenrequest (kubectl create token): int64 pointer, fields without omitempty kept', function () {
      const tr = fixture('tokenrequest');
      assert.equal(tr.apiVersion, 'authentication.k8s.io/v1');
      assert.equal(tr.kind, 'TokenRequest');
      assert.equal(tr.spec.expirationSeconds, 3600);
      assert.deepEqual(tr.status, { token: '', expirationTimestamp: null });
    });

    it('reads the envelope', function () {
      const env = readEnvelope(readFileSync(`${FIXTURES}secret.pb`));
      assert.equal(env.apiVersion, 'v1');
      assert.equal(env.kind, 'Secret');
      assert.equal(env.contentEncoding, '');
      assert.equal(env.contentType, '');
      assert.ok(env.raw.length > 0);
    });
  });

  describe('JSON mapping of hand-encoded messages', function () {
    it('Time is RFC 3339 seconds, MicroTime has 6 fractional digits, an empty Time is null', function () {
      const body = encodeBody('coordination.k8s.io/v1', 'Lease', 'k8s.io.api.coordination.v1.Lease', {
        metadata: { name: 'l', creationTimestamp: { seconds: 1700000000 } },
        spec: { holderIdentity: 'me', leaseDurationSeconds: 0, acquireTime: { seconds: 1700000000, nanos: 123456789 }, renewTime: {} },
      });
      const lease = decodeKubernetesProtobuf(body) as any;
      assert.equal(lease.metadata.creationTimestamp, '2023-11-14T22:13:20Z');
      assert.equal(lease.spec.acquireTime, '2023-11-14T22:13:20.123456Z');
      assert.equal(lease.spec.renewTime, null);
      assert.equal(lease.spec.leaseDurationSeconds, 0);
    });

    it('bool pointers keep false; non-pointer omitempty bools drop it', function () {
      const secret = decodeKubernetesProtobuf(
        encodeBody('v1', 'Secret', 'k8s.io.api.core.v1.Secret', { metadata: { name: 's' }, immutable: false }),
      );
      assert.equal(secret.immutable, false);
      const deployment = decodeKubernetesProtobuf(
        encodeBody('apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment', {
          metadata: { name: 'd' },
          spec: { paused: false, minReadySeconds: 0 },
        }),
      ) as any;
      assert.deepEqual(deployment.spec, {});
    });

    it('inline fields flatten into the parent (Volume.volumeSource)', function () {
      const pod = decodeKubernetesProtobuf(
        encodeBody('v1', 'Pod', 'k8s.io.api.core.v1.Pod', {
          metadata: { name: 'p' },
          spec: { volumes: [{ name: 'v', volumeSource: { emptyDir: { medium: 'Memory', sizeLimit: { string: '1Mi' } } } }] },
        }),
      ) as any;
      assert.deepEqual(pod.spec.volumes, [{ name: 'v', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }]);
    });

    it('RawExtension and FieldsV1 carry JSON', function () {
      const revision = decodeKubernetesProtobuf(
        encodeBody('apps/v1', 'ControllerRevision', 'k8s.io.api.apps.v1.ControllerRevision', {
          metadata: {
            name: 'r',
            managedFields: [{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { Raw: Buffer.from('{"f:data":{}}') } }],
          },
          data: { raw: Buffer.from('{"spec":{"x":1}}') },
          revision: 3,
        }),
      ) as any;
      assert.deepEqual(revision.data, { spec: { x: 1 } });
      assert.equal(revision.revision, 3);
      assert.deepEqual(revision.metadata.managedFields, [
        { manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } },
      ]);
    });

    it('DeleteOptions under any group version, pointer zero kept, repeated strings', function () {
      const opts = decodeKubernetesProtobuf(
        encodeBody('v1', 'DeleteOptions', `${META}.DeleteOptions`, {
          gracePeriodSeconds: 0,
          propagationPolicy: 'Foreground',
          dryRun: ['All'],
        }),
      );
      assert.deepEqual(opts, {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        gracePeriodSeconds: 0,
        propagationPolicy: 'Foreground',
        dryRun: ['All'],
      });
    });

    it('negative int32 and int64 values survive', function () {
      const pc = decodeKubernetesProtobuf(
        encodeBody('scheduling.k8s.io/v1', 'PriorityClass', 'k8s.io.api.scheduling.v1.PriorityClass', {
          metadata: { name: 'x' },
          value: -5,
        }),
      );
      assert.equal(pc.value, -5);
      const ns = decodeKubernetesProtobuf(
        encodeBody('v1', 'Namespace', 'k8s.io.api.core.v1.Namespace', { metadata: { name: 'n', deletionGracePeriodSeconds: -1 } }),
      ) as any;
      assert.equal(ns.metadata.deletionGracePeriodSeconds, -1);
    });

    it('JSONSchemaProps Or* unions decode as Go writes them', function () {
      const crd = decodeKubernetesProtobuf(
        encodeBody(
          'apiextensions.k8s.io/v1',
          'CustomResourceDefinition',
          'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
          {
            metadata: { name: 'foos.example.com' },
            spec: {
              versions: [
                {
                  name: 'v1',
                  served: true,
                  storage: true,
                  schema: {
                    openAPIV3Schema: { type: 'object', additionalProperties: { allows: true }, items: { schema: { type: 'string' } } },
                  },
                },
              ],
            },
          },
        ),
      ) as any;
      assert.deepEqual(crd.spec.versions[0].schema.openAPIV3Schema, {
        type: 'object',
        additionalProperties: true,
        items: { type: 'string' },
      });
      assert.equal(crd.spec.versions[0].served, true);
    });
  });

  describe('errors', function () {
    it('rejects a body without the k8s magic', function () {
      assert.match(
        decodeError(Buffer.from('{"kind":"Pod"}')).message,
        /does not appear to be a protobuf message, expected prefix \[107 56 115 0\]/,
      );
      assert.equal(decodeError(Buffer.alloc(0)).message, 'empty data');
    });

    it('rejects a kind it has no message for', function () {
      const e = decodeError(encodeBody('example.com/v1', 'Foo', `${META}.Status`, {}));
      assert.equal(e.notRegistered, true);
      assert.equal(e.message, 'no kind "Foo" is registered for version "example.com/v1"');
    });

    it('rejects a truncated object', function () {
      const good = readFileSync(`${FIXTURES}deployment.pb`);
      assert.throws(() => decodeKubernetesProtobuf(good.subarray(0, good.length - 20)), ProtobufDecodeError);
    });
  });
});
