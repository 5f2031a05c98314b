// The Node authorizer (--authorization-mode=Node,RBAC) over HTTP and through kubectl: a kubelet, authenticated by a
// client certificate (CN=system:node:n1, O=system:nodes) or a token in system:nodes, reads the secrets, configmaps,
// claims and volumes of the pods bound to its node and its own Node, and nothing else; the relationships follow
// pods as they are bound and deleted; other users are left to RBAC.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { startKgate, type Kgate } from '../support/kgate.js';

const NS = '/api/v1/namespaces/default';
const N1 = 'n1-token';
const tokens = [
  { token: N1, user: 'system:node:n1', uid: 'n1', groups: ['system:nodes'] },
  // A node's name without the group is no node: RBAC alone judges it.
  { token: 'fake-node-token', user: 'system:node:n1', uid: 'fake', groups: [] },
  { token: 'alice-token', user: 'alice', uid: 'alice', groups: [] },
];

const secret = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  data: { k: Buffer.from(name).toString('base64') },
});
const pod = (name: string, node: string, spec: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], ...spec },
});
const secretVolume = (secretName: string) => ({ volumes: [{ name: 'v', secret: { secretName } }] });

const forbiddenGet = (resource: string, name: string, reason: string, namespace = 'default') =>
  `${resource} "${name}" is forbidden: User "system:node:n1" cannot get resource "${resource}" in API group "" ` +
  (namespace ? `in the namespace "${namespace}"` : 'at the cluster scope') +
  (reason ? `: ${reason}` : '');
const NO_RELATIONSHIP = "no relationship found between node 'n1' and this object";

/** Polls `path` as the kubelet until it answers `status`; fails with the last answer after a generous deadline. */
async function waitForStatus(kg: Kgate, path: string, status: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await kg.request('GET', path, { token: N1 });
    if (res.status === status) return;
    if (Date.now() > deadline) assert.fail(`GET ${path} stayed ${res.status} (${res.text}), wanted ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Node authorizer', function () {
  this.timeout(120_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate({
      tokens,
      clientCA: true,
      authorizationModes: ['Node', 'RBAC'],
      // As the reference runs in the differential twin of this file: without ServiceAccount admission, whose
      // mirror-pod checks would answer before NodeRestriction and whose `default` account would relate every pod's
      // node to it.
      flags: ['--enable-admission-plugins=NodeRestriction', '--disable-admission-plugins=ServiceAccount'],
      serviceAccounts: { signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
    });
    for (const name of ['s1', 's2', 's3', 'pv-secret']) {
      assert.equal((await kg.request('POST', `${NS}/secrets`, { body: secret(name) })).status, 201);
    }
    for (const name of ['n1', 'n2']) {
      assert.equal(
        (await kg.request('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name } } })).status,
        201,
      );
    }
    assert.equal((await kg.request('POST', `${NS}/pods`, { body: pod('on-n1', 'n1', secretVolume('s1')) })).status, 201);
    assert.equal((await kg.request('POST', `${NS}/pods`, { body: pod('on-n2', 'n2', secretVolume('s2')) })).status, 201);
    // The graph follows pod events; wait until the kubelet's first grant shows before the tests look.
    await waitForStatus(kg, `${NS}/secrets/s1`, 200);
  });
  after(async () => {
    await kg?.close();
  });

  it('a kubelet with a client certificate reads the secret a pod on its node mounts, not one mounted on another node', async () => {
    const kubeconfig = await kg.clientKubeconfig('system:node:n1', ['system:nodes']);
    const got = await kg.kubectl(['--kubeconfig', kubeconfig, 'get', 'secret', 's1', '-o', 'jsonpath={.data.k}']);
    assert.equal(Buffer.from(got.stdout, 'base64').toString(), 's1');
    const refused = await kg.kubectl(['--kubeconfig', kubeconfig, 'get', 'secret', 's2'], { allowFail: true });
    assert.notEqual(refused.code, 0);
    assert.equal(refused.stderr.trim(), `Error from server (Forbidden): ${forbiddenGet('secrets', 's2', NO_RELATIONSHIP)}`);
  });

  it('the refusal is kube’s 403 Status, with the Node authorizer’s reason', async () => {
    const res = await kg.request('GET', `${NS}/secrets/s2`, { token: N1 });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: forbiddenGet('secrets', 's2', NO_RELATIONSHIP),
      reason: 'Forbidden',
      details: { name: 's2', kind: 'secrets' },
      code: 403,
    });
    // Secrets the node may reach are read one by one: a list is refused for want of a name.
    const list = await kg.request('GET', `${NS}/secrets`, { token: N1 });
    assert.equal(list.status, 403);
    assert.equal(
      list.body.message,
      'secrets is forbidden: User "system:node:n1" cannot list resource "secrets" in API group "" in the namespace "default": No Object name found',
    );
    const write = await kg.request('DELETE', `${NS}/secrets/s1`, { token: N1 });
    assert.equal(write.status, 403);
    assert.match(write.body.message, /cannot delete resource "secrets" .*: can only read resources of this type$/);
  });

  it('gains a secret when a pod mounting it is scheduled onto the node, and loses it when the pod is deleted', async () => {
    // An unscheduled pod relates nothing to any node.
    assert.equal((await kg.request('POST', `${NS}/pods`, { body: pod('later', '', secretVolume('s3')) })).status, 201);
    assert.equal((await kg.request('GET', `${NS}/secrets/s3`, { token: N1 })).status, 403);
    // The scheduler's pods/binding.
    const bound = await kg.request('POST', `${NS}/pods/later/binding`, {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'later' }, target: { kind: 'Node', name: 'n1' } },
    });
    assert.deepEqual(bound.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    await waitForStatus(kg, `${NS}/secrets/s3`, 200);
    const scheduled = (await kg.request('GET', `${NS}/pods/later`)).body;
    assert.equal(scheduled.spec.nodeName, 'n1');
    assert.deepEqual(
      scheduled.status.conditions.map((c: { type: string; status: string }) => [c.type, c.status]),
      [['PodScheduled', 'True']],
    );
    // The kubelet reads its pod by name too, and lists pods with its own spec.nodeName only.
    assert.equal((await kg.request('GET', `${NS}/pods/later`, { token: N1 })).status, 200);
    assert.equal((await kg.request('GET', `${NS}/pods/on-n2`, { token: N1 })).body.message, forbiddenGet('pods', 'on-n2', NO_RELATIONSHIP));
    const mine = await kg.request('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3Dn1`, { token: N1 });
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort(), ['later', 'on-n1']);
    const all = await kg.request('GET', '/api/v1/pods', { token: N1 });
    assert.equal(
      all.body.message,
      'pods is forbidden: User "system:node:n1" cannot list resource "pods" in API group "" at the cluster scope: can only list/watch pods with spec.nodeName field selector',
    );
    assert.equal((await kg.request('DELETE', `${NS}/pods/later`)).status, 200);
    await waitForStatus(kg, `${NS}/secrets/s3`, 403);
    assert.equal((await kg.request('GET', `${NS}/secrets/s3`, { token: N1 })).body.message, forbiddenGet('secrets', 's3', NO_RELATIONSHIP));
  });

  it('follows configmaps, claims, volumes and their secrets, and service accounts from the node’s pods', async () => {
    await kg.request('POST', `${NS}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'env-cm' } } });
    await kg.request('POST', `${NS}/serviceaccounts`, { body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner' } } });
    const pv = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-1' },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        claimRef: { namespace: 'default', name: 'claim-1' },
        csi: { driver: 'example.com', volumeHandle: 'h', nodePublishSecretRef: { namespace: 'default', name: 'pv-secret' } },
      },
    };
    assert.equal((await kg.request('POST', '/api/v1/persistentvolumes', { body: pv })).status, 201);
    const spec = {
      serviceAccountName: 'runner',
      containers: [{ name: 'c', image: 'busybox', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'x' } } }] }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'claim-1' } }],
    };
    assert.equal((await kg.request('POST', `${NS}/pods`, { body: pod('with-claim', 'n1', spec) })).status, 201);
    await waitForStatus(kg, `${NS}/configmaps/env-cm`, 200);
    await waitForStatus(kg, '/api/v1/persistentvolumes/pv-1', 200);
    for (const path of [`${NS}/persistentvolumeclaims/claim-1`, `${NS}/secrets/pv-secret`, `${NS}/serviceaccounts/runner`]) {
      // 200, or 404 for the claim nobody created: either way the authorizer let it through.
      assert.notEqual((await kg.request('GET', path, { token: N1 })).status, 403, path);
    }
    const pvList = await kg.request('GET', '/api/v1/persistentvolumes', { token: N1 });
    assert.match(pvList.body.message, /: can only get individual resources of this type$/);
  });

  it('a kubelet reads its own Node and Lease, not another node’s, and not all nodes', async () => {
    assert.equal((await kg.request('GET', '/api/v1/nodes/n1', { token: N1 })).status, 200);
    const other = await kg.request('GET', '/api/v1/nodes/n2', { token: N1 });
    assert.equal(other.status, 403);
    assert.equal(other.body.message, forbiddenGet('nodes', 'n2', "node 'n1' cannot read 'n2', only its own Node object", ''));
    const all = await kg.request('GET', '/api/v1/nodes', { token: N1 });
    assert.equal(
      all.body.message,
      'nodes is forbidden: User "system:node:n1" cannot list resource "nodes" in API group "" at the cluster scope: node \'n1\' cannot read all nodes, only its own Node object',
    );
    // Leases: its own in kube-node-lease only.
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1' }, spec: { holderIdentity: 'n1' } };
    const created = await kg.request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { token: N1, body: lease });
    assert.equal(created.status, 201, created.text);
    const elsewhere = await kg.request('GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases/n1', { token: N1 });
    assert.match(elsewhere.body.message, /: can only access leases in the "kube-node-lease" system namespace$/);
    const notMine = await kg.request('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n2', { token: N1 });
    assert.match(notMine.body.message, /: can only access node lease with the same name as the requesting node$/);
    // Through kubectl with the client certificate.
    const kubeconfig = await kg.clientKubeconfig('system:node:n1', ['system:nodes']);
    assert.equal((await kg.kubectl(['--kubeconfig', kubeconfig, 'get', 'node', 'n1', '-o', 'name'])).stdout.trim(), 'node/n1');
    const refused = await kg.kubectl(['--kubeconfig', kubeconfig, 'get', 'node', 'n2'], { allowFail: true });
    assert.match(refused.stderr, /only its own Node object/);
  });

  it('leaves users that are not nodes to RBAC, with no Node reason in the refusal', async () => {
    for (const token of ['alice-token', 'fake-node-token']) {
      const res = await kg.request('GET', `${NS}/secrets/s1`, { token });
      assert.equal(res.status, 403);
      assert.doesNotMatch(res.body.message, /relationship|node '/, token);
      assert.match(res.body.message, /cannot get resource "secrets" in API group "" in the namespace "default"$/);
    }
  });

  it('RBAC still allows what the Node authorizer has no opinion on', async () => {
    await kg.kubectl(['create', 'role', 'secret-reader', '--verb=get', '--resource=secrets', '-n', 'default']);
    await kg.kubectl(['create', 'rolebinding', 'n1-reads-secrets', '--role=secret-reader', '--user=system:node:n1', '-n', 'default']);
    assert.equal((await kg.request('GET', `${NS}/secrets/s2`, { token: N1 })).status, 200);
    await kg.kubectl(['delete', 'rolebinding', 'n1-reads-secrets', '-n', 'default']);
    assert.equal((await kg.request('GET', `${NS}/secrets/s2`, { token: N1 })).status, 403);
  });

  describe('NodeRestriction', () => {
    const merge = { 'content-type': 'application/merge-patch+json' };
    const patchNode = (name: string, body: object) => kg.request('PATCH', `/api/v1/nodes/${name}`, { token: N1, body, headers: merge });

    it('a kubelet changes its own Node, not another’s, and not the labels and taints kube reserves', async () => {
      assert.equal(
        (await patchNode('n1', { metadata: { labels: { 'kubernetes.io/hostname': 'n1', 'example.com/rack': 'r1' } } })).status,
        200,
      );
      const other = await patchNode('n2', { metadata: { labels: { 'example.com/rack': 'r1' } } });
      assert.equal(other.status, 403);
      assert.deepEqual(
        { message: other.body.message, details: other.body.details },
        { message: 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"', details: { name: 'n2', kind: 'nodes' } },
      );
      const reserved = await patchNode('n1', {
        metadata: { labels: { 'node-restriction.kubernetes.io/pool': 'a', 'node-role.kubernetes.io/control-plane': '' } },
      });
      assert.equal(
        reserved.body.message,
        'nodes "n1" is forbidden: is not allowed to modify labels: node-restriction.kubernetes.io/pool, node-role.kubernetes.io/control-plane',
      );
      // A new Node carries the not-ready taint TaintNodesByCondition gives it; the kubelet may not change taints.
      const before = await kg.request('GET', '/api/v1/nodes/n1');
      assert.deepEqual(before.body.spec.taints, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
      const taints = await patchNode('n1', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } });
      assert.equal(taints.body.message, 'nodes "n1" is forbidden: node "n1" is not allowed to modify taints');
      const node = await kg.request('GET', '/api/v1/nodes/n1');
      assert.deepEqual(node.body.metadata.labels, { 'kubernetes.io/hostname': 'n1', 'example.com/rack': 'r1' });
      assert.deepEqual(node.body.spec.taints, before.body.spec.taints);
    });

    it('a kubelet creates only mirror pods owned by its Node, and deletes only its own pods', async () => {
      const plain = await kg.request('POST', `${NS}/pods`, { token: N1, body: pod('static-web', 'n1') });
      assert.equal(
        plain.body.message,
        'pods "static-web" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods',
      );
      const uid = (await kg.request('GET', '/api/v1/nodes/n1')).body.metadata.uid;
      const mirror = (node: string, extra: object = {}) => ({
        ...pod('static-web-n1', node, extra),
        metadata: {
          name: 'static-web-n1',
          annotations: { 'kubernetes.io/config.mirror': 'hash' },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid, controller: true }],
        },
      });
      const elsewhere = await kg.request('POST', `${NS}/pods`, { token: N1, body: mirror('n2') });
      assert.equal(
        elsewhere.body.message,
        'pods "static-web-n1" is forbidden: node "n1" can only create pods with spec.nodeName set to itself',
      );
      const withSecret = await kg.request('POST', `${NS}/pods`, { token: N1, body: mirror('n1', secretVolume('s1')) });
      assert.equal(withSecret.body.message, 'pods "static-web-n1" is forbidden: node "n1" can not create pods that reference secrets');
      assert.equal((await kg.request('POST', `${NS}/pods`, { token: N1, body: mirror('n1') })).status, 201);
      const notMine = await kg.request('DELETE', `${NS}/pods/on-n2`, { token: N1 });
      assert.equal(notMine.body.message, 'pods "on-n2" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself');
      assert.equal((await kg.request('GET', `${NS}/pods/on-n2`)).status, 200);
      assert.equal((await kg.request('DELETE', `${NS}/pods/static-web-n1`, { token: N1 })).status, 200);
    });

    it('a kubelet writes the status of its own pods only', async () => {
      const status = { status: { message: 'running here' } };
      const mine = await kg.request('PATCH', `${NS}/pods/on-n1/status`, { token: N1, body: status, headers: merge });
      assert.equal(mine.status, 200, mine.text);
      const other = await kg.request('PATCH', `${NS}/pods/on-n2/status`, { token: N1, body: status, headers: merge });
      assert.equal(
        other.body.message,
        'pods "on-n2" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself',
      );
      assert.equal((await kg.request('GET', `${NS}/pods/on-n2`)).body.status.message, undefined);
    });

    it('a kubelet gets tokens only for its pods’ service accounts, bound to such a pod, for an audience it uses', async () => {
      await kg.request('POST', `${NS}/serviceaccounts`, {
        body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'agent' } },
      });
      const tokenVolume = { volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] };
      const mine = await kg.request('POST', `${NS}/pods`, { body: pod('agent-n1', 'n1', { serviceAccountName: 'agent', ...tokenVolume }) });
      const theirs = await kg.request('POST', `${NS}/pods`, {
        body: pod('agent-n2', 'n2', { serviceAccountName: 'agent', ...tokenVolume }),
      });
      await waitForStatus(kg, `${NS}/serviceaccounts/agent`, 200);
      const ask = (podName: string, uid: string, audiences?: string[]) =>
        kg.request('POST', `${NS}/serviceaccounts/agent/token`, {
          token: N1,
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: { ...(audiences && { audiences }), boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: podName, uid } },
          },
        });
      const issued = await ask('agent-n1', mine.body.metadata.uid);
      assert.equal(issued.status, 201, issued.text);
      assert.ok(issued.body.status.token);
      assert.equal(
        (await ask('agent-n2', theirs.body.metadata.uid)).body.message,
        'serviceaccounts "agent" is forbidden: node requested token bound to a pod scheduled on a different node',
      );
      assert.equal(
        (await ask('agent-n1', mine.body.metadata.uid, ['vault'])).body.message,
        'serviceaccounts "agent" is forbidden: audience "vault" not found in pod spec volume, system:node:n1 is not authorized to request tokens for this audience',
      );
      // RBAC may grant other audiences, as kube's request-serviceaccounts-token-audience verb does.
      const role = {
        metadata: { name: 'vault-tokens' },
        rules: [{ apiGroups: [''], resources: ['vault'], verbs: ['request-serviceaccounts-token-audience'] }],
      };
      assert.equal((await kg.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', { body: role })).status, 201);
      await kg.kubectl(['create', 'rolebinding', 'n1-vault', '--role=vault-tokens', '--user=system:node:n1', '-n', 'default']);
      assert.equal((await ask('agent-n1', mine.body.metadata.uid, ['vault'])).status, 201);
      const stranger = await kg.request('POST', `${NS}/serviceaccounts/default/token`, {
        token: N1,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
      });
      assert.equal(
        stranger.body.message,
        'serviceaccounts "default" is forbidden: User "system:node:n1" cannot create resource "serviceaccounts/token" in API group "" in the namespace "default": no relationship found between node \'n1\' and this object',
      );
    });

    it('a kubelet creates only its own Lease', async () => {
      const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n2' } };
      const res = await kg.request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { token: N1, body: lease });
      assert.equal(
        res.body.message,
        'leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node',
      );
    });
  });

  it('keeps its graph without the watch cache too, from storage watches on etcd', async () => {
    const direct = await startKgate({
      tokens,
      etcd: kg.etcd,
      prefix: '/node-direct',
      tuning: { watchCache: false },
      authorizationModes: ['Node', 'RBAC'],
    });
    try {
      assert.equal((await direct.request('POST', `${NS}/secrets`, { body: secret('direct') })).status, 201);
      const get = () => direct.request('GET', `${NS}/secrets/direct`, { token: N1 });
      assert.equal((await get()).status, 403);
      assert.equal((await direct.request('POST', `${NS}/pods`, { body: pod('direct', 'n1', secretVolume('direct')) })).status, 201);
      const deadline = Date.now() + 30_000;
      while ((await get()).status !== 200) {
        if (Date.now() > deadline) assert.fail('the pod bound to n1 never related its secret');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await direct.close();
    }
  });
});
