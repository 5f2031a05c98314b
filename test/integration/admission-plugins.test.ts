// kube's built-in admission plugins for pods, nodes, storage and ingresses, as clients see them: ServiceAccount (the
// `default` account every new namespace gets, the token volume, kube's refusals), DefaultTolerationSeconds,
// TaintNodesByCondition, Priority (the system classes, class values, the global default), RuntimeClass,
// DefaultStorageClass, StorageObjectInUseProtection, PersistentVolumeClaimResize and DefaultIngressClass; and each
// of them gone under --disable-admission-plugins.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const MERGE = { 'content-type': 'application/merge-patch+json' };
const ALL_THESE_PLUGINS = [
  'ServiceAccount',
  'TaintNodesByCondition',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'DefaultIngressClass',
];

const pod = (name: string, spec: object = {}, metadata: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...metadata },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});
const pvc = (name: string, spec: object = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});
const storageClass = (name: string, extra: object = {}, annotations: Record<string, string> = {}) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, annotations },
  provisioner: 'example.com/disk',
  ...extra,
});
const ingressClass = (name: string, isDefault: boolean) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name, ...(isDefault && { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }) },
  spec: { controller: 'example.com/ingress' },
});
const ingress = (name: string, spec: object = {}) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name },
  spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } }, ...spec },
});

const TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];
const TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_PROJECTION = {
  sources: [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
  ],
  defaultMode: 420,
};

/** Creates `obj` at `path` and returns the created object; fails with the answer on anything but 201. */
async function create(kg: Kgate, path: string, obj: object): Promise<any> {
  const res = await kg.request('POST', path, { body: obj });
  assert.equal(res.status, 201, `POST ${path}: ${res.text}`);
  return res.body;
}

/** The refusal's Status: code 403, reason Forbidden, kube's message. */
async function refused(kg: Kgate, path: string, obj: object, message: string): Promise<void> {
  const res = await kg.request('POST', path, { body: obj });
  assert.equal(res.status, 403, res.text);
  assert.equal(res.body.reason, 'Forbidden');
  assert.equal(res.body.message, message);
}

describe('admission plugins for pods, nodes, storage and ingresses', function () {
  this.timeout(120_000);
  let kg: Kgate;
  let ns: string;
  before(async () => {
    kg = await startKgate();
  });
  after(async () => {
    await kg?.close();
  });
  let n = 0;
  beforeEach(async () => {
    ns = `adm-${++n}`;
    await create(kg, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });

  describe('ServiceAccount', () => {
    it('every namespace has a `default` ServiceAccount: the system ones at start-up, a new one as soon as it is created', async () => {
      for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease', ns]) {
        const res = await kg.request('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`);
        assert.equal(res.status, 200, `${name}: ${res.text}`);
      }
    });

    it('runs a new pod as `default` with the projected token volume mounted read-only in every container', async () => {
      const created = await create(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('web', {
          initContainers: [{ name: 'init', image: 'busybox' }],
          containers: [
            { name: 'a', image: 'busybox' },
            // A container that mounts something at the token path keeps its own mount.
            { name: 'b', image: 'busybox', volumeMounts: [{ name: 'own', mountPath: TOKEN_MOUNT }] },
          ],
          volumes: [{ name: 'own', emptyDir: {} }],
        }),
      );
      const spec = created.spec;
      assert.equal(spec.serviceAccountName, 'default');
      assert.equal(spec.serviceAccount, 'default');
      assert.equal(spec.volumes.length, 2);
      const volume = spec.volumes[1];
      assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(volume.projected, TOKEN_PROJECTION);
      const mount = { name: volume.name, readOnly: true, mountPath: TOKEN_MOUNT };
      assert.deepEqual(spec.initContainers[0].volumeMounts, [mount]);
      assert.deepEqual(spec.containers[0].volumeMounts, [mount]);
      assert.deepEqual(spec.containers[1].volumeMounts, [{ name: 'own', mountPath: TOKEN_MOUNT }]);
    });

    it('kubectl run gets the account and the token volume', async () => {
      await kg.kubectl(['run', 'shell', '--image=busybox', '-n', ns]);
      const got = await kg.kubectl([
        'get',
        'pod',
        'shell',
        '-n',
        ns,
        '-o',
        'jsonpath={.spec.serviceAccountName} {.spec.containers[0].volumeMounts[0].mountPath}',
      ]);
      assert.equal(got.stdout, `default ${TOKEN_MOUNT}`);
    });

    it('mounts nothing when the pod or its account turns automounting off, and copies the account’s image pull secrets', async () => {
      await create(kg, `/api/v1/namespaces/${ns}/serviceaccounts`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'quiet' },
        automountServiceAccountToken: false,
        imagePullSecrets: [{ name: 'registry' }],
      });
      const byAccount = await create(kg, `/api/v1/namespaces/${ns}/pods`, pod('by-account', { serviceAccountName: 'quiet' }));
      assert.equal(byAccount.spec.volumes, undefined);
      assert.deepEqual(byAccount.spec.imagePullSecrets, [{ name: 'registry' }]);
      // The pod's own choice wins over the account's.
      const byPod = await create(kg, `/api/v1/namespaces/${ns}/pods`, pod('by-pod', { automountServiceAccountToken: false }));
      assert.equal(byPod.spec.serviceAccountName, 'default');
      assert.equal(byPod.spec.volumes, undefined);
      assert.equal(byPod.spec.containers[0].volumeMounts, undefined);
    });

    it('refuses a pod whose account does not exist, with kube’s message, and writes nothing', async () => {
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('ghostly', { serviceAccountName: 'ghost' }),
        `pods "ghostly" is forbidden: error looking up service account ${ns}/ghost: serviceaccount "ghost" not found`,
      );
      assert.equal((await kg.request('GET', `/api/v1/namespaces/${ns}/pods/ghostly`)).status, 404);
      // Without its `default` account (deleted here), a namespace takes no pods that do not name another one.
      assert.equal((await kg.request('DELETE', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status, 200);
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('orphan'),
        `pods "orphan" is forbidden: error looking up service account ${ns}/default: serviceaccount "default" not found`,
      );
    });

    it('refuses mirror pods that use an account, secrets or a token projection', async () => {
      // A mirror pod is already bound to its kubelet's node.
      const mirror = { 'kubernetes.io/config.mirror': 'hash' };
      const onNode = { nodeName: 'n1' };
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('m1', { ...onNode, serviceAccountName: 'default' }, { annotations: mirror }),
        'pods "m1" is forbidden: a mirror pod may not reference service accounts',
      );
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('m2', { ...onNode, volumes: [{ name: 's', secret: { secretName: 'x' } }] }, { annotations: mirror }),
        'pods "m2" is forbidden: a mirror pod may not reference secrets',
      );
      const plain = await create(kg, `/api/v1/namespaces/${ns}/pods`, pod('m3', onNode, { annotations: mirror }));
      assert.equal(plain.spec.serviceAccountName, undefined);
      assert.equal(plain.spec.volumes, undefined);
    });

    it('limits a pod to the secrets its account lists when the account enforces mountable secrets', async () => {
      await create(kg, `/api/v1/namespaces/${ns}/serviceaccounts`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'strict', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
        secrets: [{ name: 'allowed' }],
      });
      await create(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('ok', { serviceAccountName: 'strict', volumes: [{ name: 's', secret: { secretName: 'allowed' } }] }),
      );
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('bad', { serviceAccountName: 'strict', volumes: [{ name: 's', secret: { secretName: 'other' } }] }),
        'pods "bad" is forbidden: volume with secret.secretName="other" is not allowed because service account strict does not reference that secret',
      );
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('env', {
          serviceAccountName: 'strict',
          containers: [{ name: 'c', image: 'busybox', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'other', key: 'k' } } }] }],
        }),
        'pods "env" is forbidden: container c with envVar E referencing secret.secretName="other" is not allowed because service account strict does not reference that secret',
      );
    });
  });

  describe('DefaultTolerationSeconds and TaintNodesByCondition', () => {
    it('a pod tolerates not-ready and unreachable nodes for 300s unless it says otherwise', async () => {
      const plain = await create(kg, `/api/v1/namespaces/${ns}/pods`, pod('p'));
      assert.deepEqual(plain.spec.tolerations, TOLERATIONS);
      // A toleration of every NoExecute taint covers both.
      const tolerant = await create(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('q', { tolerations: [{ operator: 'Exists', effect: 'NoExecute' }] }),
      );
      assert.deepEqual(tolerant.spec.tolerations, [{ operator: 'Exists', effect: 'NoExecute' }]);
    });

    it('a new Node carries the not-ready NoSchedule taint', async () => {
      const node = await create(kg, '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: `${ns}-node` } });
      assert.deepEqual(node.spec.taints, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
      assert.equal((await kg.request('DELETE', `/api/v1/nodes/${ns}-node`)).status, 200);
    });
  });

  describe('Priority', () => {
    it('the two system classes exist and give a pod their value', async () => {
      const classes = await kg.request('GET', '/apis/scheduling.k8s.io/v1/priorityclasses');
      const values = Object.fromEntries(classes.body.items.map((pc: any) => [pc.metadata.name, pc.value]));
      assert.deepEqual(values, { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 });
      const created = await create(kg, `/api/v1/namespaces/${ns}/pods`, pod('critical', { priorityClassName: 'system-node-critical' }));
      assert.equal(created.spec.priority, 2000001000);
      assert.equal(created.spec.preemptionPolicy, 'PreemptLowerPriority');
      const plain = await create(kg, `/api/v1/namespaces/${ns}/pods`, pod('plain'));
      assert.equal(plain.spec.priority, 0);
      assert.equal(plain.spec.priorityClassName, undefined);
      const deleted = await kg.kubectl(['delete', 'priorityclass', 'system-cluster-critical'], { allowFail: true });
      assert.notEqual(deleted.code, 0);
      assert.match(
        deleted.stderr,
        /priorityclasses.scheduling.k8s.io "system-cluster-critical" is forbidden: this is a system priority class and cannot be deleted/,
      );
    });

    it('refuses a missing class, a stated priority that differs, and a second global default', async () => {
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('nope', { priorityClassName: 'gold' }),
        'pods "nope" is forbidden: no PriorityClass with name gold was found',
      );
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('liar', { priorityClassName: 'system-cluster-critical', priority: 7 }),
        'pods "liar" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 2000000000 from the given PriorityClass name',
      );
      const pcs = '/apis/scheduling.k8s.io/v1/priorityclasses';
      await create(kg, pcs, {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'batch' },
        value: 1000,
        globalDefault: true,
        preemptionPolicy: 'Never',
      });
      try {
        await refused(
          kg,
          pcs,
          { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'batch2' }, value: 5, globalDefault: true },
          'priorityclasses.scheduling.k8s.io "batch2" is forbidden: PriorityClass batch is already marked as default. Only one default can exist',
        );
        // A pod naming no class gets the global default's name, value and preemption policy.
        const defaulted = await create(kg, `/api/v1/namespaces/${ns}/pods`, pod('batchy'));
        assert.equal(defaulted.spec.priorityClassName, 'batch');
        assert.equal(defaulted.spec.priority, 1000);
        assert.equal(defaulted.spec.preemptionPolicy, 'Never');
        await refused(
          kg,
          `/api/v1/namespaces/${ns}/pods`,
          pod('pushy', { preemptionPolicy: 'PreemptLowerPriority' }),
          'pods "pushy" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
        );
      } finally {
        await kg.request('DELETE', `${pcs}/batch`);
      }
    });
  });

  describe('RuntimeClass', () => {
    it('serves node.k8s.io RuntimeClasses to kubectl, and a pod of one gets its overhead, node selector and tolerations', async () => {
      const manifest = [
        'apiVersion: node.k8s.io/v1',
        'kind: RuntimeClass',
        'metadata:',
        `  name: ${ns}-kata`,
        'handler: kata',
        'overhead:',
        '  podFixed:',
        '    cpu: 250m',
        'scheduling:',
        '  nodeSelector:',
        '    runtime: kata',
        '  tolerations:',
        '  - key: sandbox',
        '    operator: Exists',
        '    effect: NoSchedule',
        '',
      ].join('\n');
      await kg.kubectl(['apply', '-f', '-'], { input: manifest });
      try {
        const table = await kg.kubectl(['get', 'runtimeclass', `${ns}-kata`]);
        assert.match(table.stdout, new RegExp(`^NAME\\s+HANDLER\\s+AGE\\n${ns}-kata\\s+kata\\s+\\d+s\\n$`));
        const created = await create(
          kg,
          `/api/v1/namespaces/${ns}/pods`,
          pod('sandboxed', { runtimeClassName: `${ns}-kata`, nodeSelector: { zone: 'a' } }),
        );
        assert.deepEqual(created.spec.overhead, { cpu: '250m' });
        assert.deepEqual(created.spec.nodeSelector, { runtime: 'kata', zone: 'a' });
        // DefaultTolerationSeconds runs before RuntimeClass in kube's order.
        assert.deepEqual(created.spec.tolerations, [...TOLERATIONS, { key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }]);
        await refused(
          kg,
          `/api/v1/namespaces/${ns}/pods`,
          pod('clash', { runtimeClassName: `${ns}-kata`, nodeSelector: { runtime: 'runc' } }),
          `pods "clash" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[runtime] = kata; pod.spec.nodeSelector[runtime] = runc`,
        );
        // The handler cannot change.
        const changed = await kg.kubectl(['patch', 'runtimeclass', `${ns}-kata`, '--type=merge', '-p', '{"handler":"runc"}'], {
          allowFail: true,
        });
        assert.notEqual(changed.code, 0);
        assert.match(changed.stderr, /handler: Invalid value: "runc": field is immutable/);
      } finally {
        await kg.kubectl(['delete', 'runtimeclass', `${ns}-kata`]);
      }
    });

    it('refuses a pod naming a RuntimeClass that does not exist, or stating an overhead without one', async () => {
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('sandboxed', { runtimeClassName: 'gvisor' }),
        'pods "sandboxed" is forbidden: pod rejected: RuntimeClass "gvisor" not found',
      );
      await refused(
        kg,
        `/api/v1/namespaces/${ns}/pods`,
        pod('heavy', { overhead: { cpu: '100m' } }),
        'pods "heavy" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
      );
    });
  });

  describe('storage', () => {
    const scs = '/apis/storage.k8s.io/v1/storageclasses';
    it('a claim naming no class gets the newest default StorageClass; one naming "" keeps it', async () => {
      const none = await create(kg, `/api/v1/namespaces/${ns}/persistentvolumeclaims`, pvc('before'));
      assert.equal(none.spec.storageClassName, undefined);
      const isDefault = { 'storageclass.kubernetes.io/is-default-class': 'true' };
      // Created in this order, `a-new` is the newest; within one second kube's tie-break by name picks it too.
      await create(kg, scs, storageClass('z-old', {}, isDefault));
      await create(kg, scs, storageClass('a-new', {}, isDefault));
      try {
        const claimed = await create(kg, `/api/v1/namespaces/${ns}/persistentvolumeclaims`, pvc('after'));
        assert.equal(claimed.spec.storageClassName, 'a-new');
        const empty = await create(kg, `/api/v1/namespaces/${ns}/persistentvolumeclaims`, pvc('static', { storageClassName: '' }));
        assert.equal(empty.spec.storageClassName, '');
      } finally {
        await kg.request('DELETE', `${scs}/z-old`);
        await kg.request('DELETE', `${scs}/a-new`);
      }
    });

    it('claims and volumes get their protection finalizer, so a delete leaves them Terminating until it is removed', async () => {
      const claim = await create(kg, `/api/v1/namespaces/${ns}/persistentvolumeclaims`, pvc('data'));
      assert.deepEqual(claim.metadata.finalizers, ['kubernetes.io/pvc-protection']);
      const volume = await create(kg, '/api/v1/persistentvolumes', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: `${ns}-pv` },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv' } },
      });
      assert.deepEqual(volume.metadata.finalizers, ['kubernetes.io/pv-protection']);
      await kg.kubectl(['delete', 'pvc', 'data', '-n', ns, '--wait=false']);
      const terminating = await kg.request('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims/data`);
      assert.equal(terminating.status, 200);
      assert.ok(terminating.body.metadata.deletionTimestamp);
      // What kube's pvc-protection controller does once no pod uses the claim.
      await kg.kubectl(['patch', 'pvc', 'data', '-n', ns, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
      assert.equal((await kg.request('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims/data`)).status, 404);
      await kg.request('PATCH', `/api/v1/persistentvolumes/${ns}-pv`, { body: { metadata: { finalizers: null } }, headers: MERGE });
      assert.equal((await kg.request('DELETE', `/api/v1/persistentvolumes/${ns}-pv`)).status, 200);
    });

    it('a bound claim grows only when its StorageClass allows expansion', async () => {
      await create(kg, scs, storageClass(`${ns}-fixed`));
      await create(kg, scs, storageClass(`${ns}-growable`, { allowVolumeExpansion: true }));
      try {
        for (const cls of ['fixed', 'growable']) {
          const path = `/api/v1/namespaces/${ns}/persistentvolumeclaims/${cls}`;
          await create(kg, `/api/v1/namespaces/${ns}/persistentvolumeclaims`, pvc(cls, { storageClassName: `${ns}-${cls}` }));
          const bound = await kg.request('PATCH', `${path}/status`, { body: { status: { phase: 'Bound' } }, headers: MERGE });
          assert.equal(bound.status, 200, bound.text);
        }
        const grow = { spec: { resources: { requests: { storage: '2Gi' } } } };
        const fixed = await kg.request('PATCH', `/api/v1/namespaces/${ns}/persistentvolumeclaims/fixed`, { body: grow, headers: MERGE });
        assert.equal(fixed.status, 403, fixed.text);
        assert.equal(
          fixed.body.message,
          'persistentvolumeclaims "fixed" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
        );
        const growable = await kg.request('PATCH', `/api/v1/namespaces/${ns}/persistentvolumeclaims/growable`, {
          body: grow,
          headers: MERGE,
        });
        assert.equal(growable.status, 200, growable.text);
        assert.equal(growable.body.spec.resources.requests.storage, '2Gi');
        // Shrinking is not the plugin's business (validation refuses it).
        const same = await kg.request('PATCH', `/api/v1/namespaces/${ns}/persistentvolumeclaims/fixed`, {
          body: { metadata: { labels: { touched: 'yes' } } },
          headers: MERGE,
        });
        assert.equal(same.status, 200, same.text);
      } finally {
        await kg.request('DELETE', `${scs}/${ns}-fixed`);
        await kg.request('DELETE', `${scs}/${ns}-growable`);
      }
    });
  });

  describe('DefaultIngressClass', () => {
    it('an Ingress naming no class gets the default IngressClass; one naming a class or the legacy annotation keeps it', async () => {
      const ics = '/apis/networking.k8s.io/v1/ingressclasses';
      const ings = `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`;
      assert.equal((await create(kg, ings, ingress('early'))).spec.ingressClassName, undefined);
      await create(kg, ics, ingressClass(`${ns}-nginx`, true));
      await create(kg, ics, ingressClass(`${ns}-other`, false));
      try {
        assert.equal((await create(kg, ings, ingress('plain'))).spec.ingressClassName, `${ns}-nginx`);
        assert.equal((await create(kg, ings, ingress('chosen', { ingressClassName: `${ns}-other` }))).spec.ingressClassName, `${ns}-other`);
        const legacy = await create(kg, ings, {
          ...ingress('legacy'),
          metadata: { name: 'legacy', annotations: { 'kubernetes.io/ingress.class': 'x' } },
        });
        assert.equal(legacy.spec.ingressClassName, undefined);
      } finally {
        await kg.request('DELETE', `${ics}/${ns}-nginx`);
        await kg.request('DELETE', `${ics}/${ns}-other`);
      }
    });
  });

  describe('--disable-admission-plugins', () => {
    let bare: Kgate;
    before(async () => {
      bare = await startKgate({ etcd: kg.etcd, prefix: '/bare', flags: [`--disable-admission-plugins=${ALL_THESE_PLUGINS.join(',')}`] });
    });
    after(async () => {
      await bare?.close();
    });

    it('turns each plugin off: no account, token volume, tolerations, priority, taint, finalizer or default class', async () => {
      await create(
        bare,
        '/apis/storage.k8s.io/v1/storageclasses',
        storageClass('std', {}, { 'storageclass.kubernetes.io/is-default-class': 'true' }),
      );
      await create(bare, '/apis/networking.k8s.io/v1/ingressclasses', ingressClass('nginx', true));
      const p = await create(bare, '/api/v1/namespaces/default/pods', pod('p', { runtimeClassName: 'absent' }));
      assert.equal(p.spec.serviceAccountName, undefined);
      assert.equal(p.spec.volumes, undefined);
      assert.equal(p.spec.tolerations, undefined);
      assert.equal(p.spec.priority, undefined);
      const node = await create(bare, '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } });
      assert.equal(node.spec.taints, undefined);
      const claim = await create(bare, '/api/v1/namespaces/default/persistentvolumeclaims', pvc('c'));
      assert.equal(claim.metadata.finalizers, undefined);
      assert.equal(claim.spec.storageClassName, undefined);
      const ing = await create(bare, '/apis/networking.k8s.io/v1/namespaces/default/ingresses', ingress('i'));
      assert.equal(ing.spec.ingressClassName, undefined);
    });
  });
});
