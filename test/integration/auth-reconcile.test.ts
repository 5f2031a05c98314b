// `kubectl auth reconcile` against kgate: kubectl reads each Role, RoleBinding, ClusterRole and ClusterRoleBinding,
// then creates, updates or (for a changed roleRef) deletes and recreates it, and prints what it did. The expected
// lines are what kubectl v1.34.5 prints against the reference kube-apiserver v1.34.4 for the same files.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startKgate, type Kgate } from '../support/kgate.js';

const RBAC_V1 = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

function policy(opts: { roleVerbs: string[]; groups: string[]; namespace?: string; roleRefKind?: 'Role' | 'ClusterRole' }): object[] {
  const namespace = opts.namespace ?? 'default';
  return [
    {
      apiVersion: RBAC_V1,
      kind: 'Role',
      metadata: { name: 'rec-role', namespace },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: opts.roleVerbs }],
    },
    {
      apiVersion: RBAC_V1,
      kind: 'RoleBinding',
      metadata: { name: 'rec-rb', namespace },
      roleRef: { apiGroup: RBAC_GROUP, kind: opts.roleRefKind ?? 'Role', name: opts.roleRefKind === 'ClusterRole' ? 'view' : 'rec-role' },
      subjects: [{ kind: 'User', apiGroup: RBAC_GROUP, name: 'alice' }],
    },
    {
      apiVersion: RBAC_V1,
      kind: 'ClusterRole',
      metadata: { name: 'rec-cr' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    },
    {
      apiVersion: RBAC_V1,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'rec-crb' },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'rec-cr' },
      subjects: opts.groups.map((name) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name })),
    },
  ];
}

const RECONCILED = [
  'role.rbac.authorization.k8s.io/rec-role reconciled',
  'rolebinding.rbac.authorization.k8s.io/rec-rb reconciled',
  'clusterrole.rbac.authorization.k8s.io/rec-cr reconciled',
  'clusterrolebinding.rbac.authorization.k8s.io/rec-crb reconciled',
];
const rule = (verbs: string, resource: string) =>
  `\t\t{Verbs:[${verbs}] APIGroups:[] Resources:[${resource}] ResourceNames:[] NonResourceURLs:[]}`;
const group = (name: string) => `\t\t{Kind:Group APIGroup:rbac.authorization.k8s.io Name:${name} Namespace:}`;

describe('kubectl auth reconcile', function () {
  this.timeout(120_000);
  let kg: Kgate;
  let dir: string;
  let n = 0;
  before(async () => {
    kg = await startKgate({ authorizationModes: ['Node', 'RBAC'] });
    dir = await mkdtemp(join(tmpdir(), 'kgate-reconcile-'));
  });
  after(async () => {
    await kg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function reconcile(objects: object[], ...flags: string[]): Promise<string[]> {
    const file = join(dir, `roles-${n++}.yaml`);
    await writeFile(file, objects.map((o) => stringify(o)).join('---\n'));
    const res = await kg.kubectl(['auth', 'reconcile', '-f', file, ...flags]);
    return `${res.stdout}${res.stderr}`.trimEnd().split('\n');
  }

  it('creates what is missing and says so', async () => {
    assert.deepEqual(await reconcile(policy({ roleVerbs: ['get', 'list'], groups: ['devs'] })), [
      ...RECONCILED,
      '\treconciliation required create',
      '\tmissing rules added:',
      rule('get list', 'configmaps'),
      '\treconciliation required create',
      '\tmissing subjects added:',
      '\t\t{Kind:User APIGroup:rbac.authorization.k8s.io Name:alice Namespace:}',
      '\treconciliation required create',
      '\tmissing rules added:',
      rule('get', 'pods'),
      '\treconciliation required create',
      '\tmissing subjects added:',
      group('devs'),
    ]);
    const role = await kg.request('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/rec-role');
    assert.deepEqual(role.body.rules, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]);
  });

  it('changes nothing the second time', async () => {
    assert.deepEqual(await reconcile(policy({ roleVerbs: ['get', 'list'], groups: ['devs'] })), RECONCILED);
  });

  it('adds a new rule and subject, keeping the ones the file no longer lists', async () => {
    assert.deepEqual(await reconcile(policy({ roleVerbs: ['get', 'list', 'watch'], groups: ['devs2'] })), [
      ...RECONCILED,
      '\treconciliation required update',
      '\tmissing rules added:',
      rule('watch', 'configmaps'),
      '\treconciliation required update',
      '\tmissing subjects added:',
      group('devs2'),
    ]);
    const crb = await kg.request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/rec-crb');
    assert.deepEqual(
      crb.body.subjects.map((s: { name: string }) => s.name),
      ['devs', 'devs2'],
    );
  });

  it('removes extra permissions and subjects when asked', async () => {
    const lines = await reconcile(
      policy({ roleVerbs: ['get'], groups: ['devs2'] }),
      '--remove-extra-permissions',
      '--remove-extra-subjects',
    );
    assert.deepEqual(lines, [
      ...RECONCILED,
      '\treconciliation required update',
      '\textra rules removed:',
      rule('list', 'configmaps'),
      rule('watch', 'configmaps'),
      '\treconciliation required update',
      '\textra subjects removed:',
      group('devs'),
    ]);
    const role = await kg.request('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles/rec-role');
    assert.deepEqual(role.body.rules, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
    // RBAC enforces the reconciled roles from the next request: alice may get configmaps, not list them.
    const alice = ['--as=alice', '-n', 'default'];
    assert.equal((await kg.kubectl(['auth', 'can-i', 'get', 'configmaps', ...alice], { allowFail: true })).stdout.trim(), 'yes');
    assert.equal((await kg.kubectl(['auth', 'can-i', 'list', 'configmaps', ...alice], { allowFail: true })).stdout.trim(), 'no');
  });

  it('creates a missing namespace and recreates a binding whose roleRef changed', async () => {
    const objects = policy({ roleVerbs: ['get'], groups: ['devs'], namespace: 'rec-ns' }).slice(0, 2);
    const first = await reconcile(objects);
    assert.deepEqual(first.slice(0, 2), RECONCILED.slice(0, 2));
    assert.equal((await kg.kubectl(['get', 'namespace', 'rec-ns', '-o', 'name'])).stdout.trim(), 'namespace/rec-ns');
    const changed = policy({ roleVerbs: ['get'], groups: ['devs'], namespace: 'rec-ns', roleRefKind: 'ClusterRole' }).slice(1, 2);
    assert.deepEqual(await reconcile(changed), [
      'rolebinding.rbac.authorization.k8s.io/rec-rb reconciled',
      '\treconciliation required recreate',
    ]);
    const rb = await kg.request('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/rec-ns/rolebindings/rec-rb');
    assert.deepEqual(rb.body.roleRef, { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'view' });
  });
});
