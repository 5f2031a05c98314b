// RuntimeClass admission's overhead and scheduling rules (plugin/pkg/admission/runtimeclass/admission.go), with the
// plugin reading classes from a map: the cases the HTTP tests (test/integration/admission-plugins.test.ts) do not
// reach, such as equal quantities written differently and toleration merging.
import assert from 'node:assert/strict';
import type { AdmissionAttributes } from '../../src/admission/index.js';
import { mergeTolerations, RuntimeClassAdmission } from '../../src/admission/runtimeclass.js';
import type { KubeObject } from '../../src/apimachinery/meta.js';
import { StatusError } from '../../src/apimachinery/errors.js';

const CLASSES: Record<string, KubeObject> = {
  kata: {
    metadata: { name: 'kata' },
    handler: 'kata',
    overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
    scheduling: {
      nodeSelector: { runtime: 'kata' },
      tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }],
    },
  },
  plain: { metadata: { name: 'plain' }, handler: 'runc' },
};
const plugin = new RuntimeClassAdmission({ get: async (name) => CLASSES[name] });

function attributes(spec: object): AdmissionAttributes {
  return {
    operation: 'CREATE',
    resource: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true } as AdmissionAttributes['resource'],
    subresource: '',
    namespace: 'default',
    name: 'p',
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } },
    dryRun: false,
    warn: () => undefined,
    annotate: () => undefined,
  };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.status.code, 403);
    return e.status.message ?? '';
  }
  assert.fail('not refused');
}

describe('RuntimeClass admission', () => {
  it("sets the class's overhead and joins its node selector and tolerations to the pod's", async () => {
    const a = attributes({ runtimeClassName: 'kata', nodeSelector: { zone: 'a' }, tolerations: [{ key: 'gpu', operator: 'Exists' }] });
    assert.equal(await plugin.admit(a), true);
    const spec = a.object!.spec;
    assert.deepEqual(spec.overhead, { cpu: '250m', memory: '120Mi' });
    assert.deepEqual(spec.nodeSelector, { zone: 'a', runtime: 'kata' });
    assert.deepEqual(spec.tolerations, [
      { key: 'gpu', operator: 'Exists' },
      { key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    await plugin.validate(a);
  });

  it('refuses a conflicting node selector, a different overhead, and an overhead the class does not define', async () => {
    assert.equal(
      await refusal(Promise.resolve(plugin.admit(attributes({ runtimeClassName: 'kata', nodeSelector: { runtime: 'runc' } })))),
      'pods "p" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[runtime] = kata; pod.spec.nodeSelector[runtime] = runc',
    );
    // The same quantity written another way is the same overhead.
    const same = attributes({ runtimeClassName: 'kata', overhead: { cpu: '0.25', memory: '120Mi' } });
    await plugin.admit(same);
    assert.equal(
      await refusal(Promise.resolve(plugin.admit(attributes({ runtimeClassName: 'kata', overhead: { cpu: '1' } })))),
      "pods \"p\" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead",
    );
    assert.equal(
      await refusal(Promise.resolve(plugin.validate(attributes({ runtimeClassName: 'plain', overhead: { cpu: '1' } })))),
      'pods "p" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
    );
  });

  it('merges tolerations as kube does: one another covers is dropped', () => {
    const broad = { key: 'k', operator: 'Exists' };
    const narrow = { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' };
    assert.deepEqual(mergeTolerations([narrow], [broad]), [broad]);
    assert.deepEqual(mergeTolerations([broad], [narrow]), [broad]);
    assert.deepEqual(mergeTolerations([narrow], [narrow]), [narrow]);
    const timed = (s: number) => ({ key: 'n', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: s });
    // A longer NoExecute toleration covers a shorter one, not the reverse.
    assert.deepEqual(mergeTolerations([timed(300)], [timed(60)]), [timed(300)]);
  });
});
