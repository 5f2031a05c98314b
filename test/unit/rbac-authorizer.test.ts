// RBAC rule matching and the authorizer's walk over bindings, as kube's own tables state them
// (plugin/pkg/auth/authorizer/rbac/rbac_test.go TestAuthorizer and TestRuleMatches, v1.34), plus kube's reasons and
// ClusterRole aggregation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Attributes } from '../../src/authorization/index.js';
import { forbiddenError } from '../../src/authorization/index.js';
import { aggregatedRules, type ClusterRoleObject } from '../../src/authorization/rbac/aggregation.js';
import { compactRules, compactString, uncovered } from '../../src/authorization/rbac/escalation.js';
import { RBACAuthorizer, type Binding, type PolicySource, type Role } from '../../src/authorization/rbac/authorizer.js';
import { ruleAllows, type PolicyRule } from '../../src/authorization/rbac/rules.js';

/** rbac_test.go newRule: comma-separated verbs, groups, resources, URLs. */
const rule = (verbs: string, apiGroups: string, resources: string, urls: string): PolicyRule => ({
  verbs: verbs.split(','),
  apiGroups: apiGroups.split(','),
  resources: resources.split(','),
  nonResourceURLs: urls.split(','),
});

/** "User:admin" / "Group:admins" / "ServiceAccount:sa". */
const subjects = (...list: string[]) =>
  list.map((s) => {
    const [kind, name] = s.split(/:(.*)/s);
    return { kind, name, apiGroup: kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io' };
  });

interface Policy {
  clusterRoles?: Record<string, PolicyRule[]>;
  roles?: Record<string, PolicyRule[]>; // "ns/name"
  clusterRoleBindings?: [string, string[]][];
  roleBindings?: [string, 'Role' | 'ClusterRole', string, string[]][]; // namespace, kind, role, subjects
}

function source(p: Policy): PolicySource {
  const crbs: Binding[] = (p.clusterRoleBindings ?? []).map(([role, s], i) => ({
    metadata: { name: `crb${i}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subjects(...s),
  }));
  const rbs: Binding[] = (p.roleBindings ?? []).map(([namespace, kind, role, s], i) => ({
    metadata: { name: `rb${i}`, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role },
    subjects: subjects(...s),
  }));
  const asRole = (rules: PolicyRule[] | undefined): Role | undefined => (rules ? { rules } : undefined);
  return {
    clusterRoleBindings: () => crbs,
    roleBindings: (ns) => rbs.filter((b) => b.metadata.namespace === ns),
    clusterRole: (name) => asRole(p.clusterRoles?.[name]),
    role: (ns, name) => asRole(p.roles?.[`${ns}/${name}`]),
  };
}

/** rbac_test.go defaultAttributes{user, groups, verb, resource, subresource, namespace, apiGroup}. */
const res = (
  user: string,
  groups: string,
  verb: string,
  resource: string,
  subresource: string,
  namespace: string,
  apiGroup = '',
): Attributes => ({
  user: { name: user, uid: '', groups: groups.split(',') },
  verb,
  namespace,
  apiGroup,
  apiVersion: '',
  resource,
  subresource,
  name: '',
  resourceRequest: true,
  path: '',
});
const url = (user: string, groups: string[], verb: string, path: string): Attributes => ({
  user: { name: user, uid: '', groups },
  verb,
  namespace: '',
  apiGroup: '',
  apiVersion: '',
  resource: '',
  subresource: '',
  name: '',
  resourceRequest: false,
  path,
});

const TEST_AUTHORIZER: { policy: Policy; pass: Attributes[]; fail: Attributes[] }[] = [
  {
    policy: {
      clusterRoles: { admin: [rule('*', '*', '*', '*')] },
      roleBindings: [['ns1', 'ClusterRole', 'admin', ['User:admin', 'Group:admins']]],
    },
    pass: [
      res('admin', '', 'get', 'Pods', '', 'ns1'),
      res('admin', '', 'watch', 'Pods', '', 'ns1'),
      res('admin', 'group1', 'watch', 'Foobar', '', 'ns1'),
      res('joe', 'admins', 'watch', 'Foobar', '', 'ns1'),
      res('joe', 'group1,admins', 'watch', 'Foobar', '', 'ns1'),
    ],
    fail: [
      res('admin', '', 'GET', 'Pods', '', 'ns2'),
      res('admin', '', 'GET', 'Nodes', '', ''),
      res('admin', 'admins', 'GET', 'Pods', '', 'ns2'),
      res('admin', 'admins', 'GET', 'Nodes', '', ''),
    ],
  },
  {
    policy: {
      clusterRoles: {
        'non-resource-url-getter': [rule('get', '', '', '/apis')],
        'non-resource-url': [rule('*', '', '', '/apis')],
        'non-resource-url-prefix': [rule('get', '', '', '/apis/*')],
      },
      clusterRoleBindings: [
        ['non-resource-url-getter', ['User:foo', 'Group:bar']],
        ['non-resource-url', ['User:admin', 'Group:admin']],
        ['non-resource-url-prefix', ['User:prefixed', 'Group:prefixed']],
      ],
    },
    pass: [
      url('foo', [], 'get', '/apis'),
      url('', ['bar'], 'get', '/apis'),
      url('admin', [], 'get', '/apis'),
      url('', ['admin'], 'get', '/apis'),
      url('admin', [], 'watch', '/apis'),
      url('', ['admin'], 'watch', '/apis'),
      url('prefixed', [], 'get', '/apis/v1'),
      url('', ['prefixed'], 'get', '/apis/v1'),
      url('prefixed', [], 'get', '/apis/v1/foobar'),
      url('', ['prefixed'], 'get', '/apis/v1/foorbar'),
    ],
    fail: [
      url('foo', [], 'watch', '/apis'),
      url('', ['bar'], 'watch', '/apis'),
      url('foo', [], 'get', '/api/v1'),
      url('', ['bar'], 'get', '/api/v1'),
      url('admin', [], 'get', '/api/v1'),
      url('', ['admin'], 'get', '/api/v1'),
      url('prefixed', [], 'get', '/api/v1'),
      url('', ['prefixed'], 'get', '/api/v1'),
    ],
  },
  {
    policy: {
      clusterRoles: { admin: [rule('*', '*', 'pods', '*')] },
      roleBindings: [['ns1', 'ClusterRole', 'admin', ['User:admin', 'Group:admins']]],
    },
    pass: [res('admin', '', 'get', 'pods', '', 'ns1')],
    fail: [res('admin', '', 'get', 'pods', 'status', 'ns1')],
  },
  {
    policy: {
      clusterRoles: { admin: [rule('*', '*', 'pods/status', '*')] },
      roleBindings: [['ns1', 'ClusterRole', 'admin', ['User:admin', 'Group:admins']]],
    },
    pass: [res('admin', '', 'get', 'pods', 'status', 'ns1')],
    fail: [res('admin', '', 'get', 'pods', '', 'ns1')],
  },
];

const describeAttrs = (a: Attributes) =>
  a.resourceRequest
    ? `${a.user.name || '-'}[${a.user.groups}] ${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''} in "${a.namespace}"`
    : `${a.user.name || '-'}[${a.user.groups}] ${a.verb} ${a.path}`;

describe("RBAC authorizer: kube's TestAuthorizer table", () => {
  TEST_AUTHORIZER.forEach((t, i) => {
    const authz = new RBACAuthorizer(source(t.policy));
    for (const a of t.pass) it(`case ${i}: allows ${describeAttrs(a)}`, () => assert.equal(authz.authorize(a).decision, 'Allow'));
    for (const a of t.fail) it(`case ${i}: refuses ${describeAttrs(a)}`, () => assert.equal(authz.authorize(a).decision, 'NoOpinion'));
  });
});

describe("RBAC rules: kube's TestRuleMatches table", () => {
  const r = (verb: string, group: string, resource: string, subresource = '') => res('u', '', verb, resource, subresource, 'ns', group);
  const cases: [string, PolicyRule, [Attributes, boolean][]][] = [
    [
      'star verb, exact match other',
      { verbs: ['*'], apiGroups: ['group1'], resources: ['resource1'] },
      [
        [r('verb1', 'group1', 'resource1'), true],
        [r('verb1', 'group2', 'resource1'), false],
        [r('verb1', 'group1', 'resource2'), false],
        [r('verb2', 'group1', 'resource1'), true],
      ],
    ],
    [
      'star group, exact match other',
      { verbs: ['verb1'], apiGroups: ['*'], resources: ['resource1'] },
      [
        [r('verb1', 'group1', 'resource1'), true],
        [r('verb1', 'group2', 'resource1'), true],
        [r('verb1', 'group1', 'resource2'), false],
        [r('verb2', 'group1', 'resource1'), false],
      ],
    ],
    [
      'subresource expansion',
      { verbs: ['*'], apiGroups: ['*'], resources: ['resource1/subresource1'] },
      [
        [r('verb1', 'group1', 'resource1', 'subresource1'), true],
        [r('verb1', 'group2', 'resource1', 'subresource2'), false],
        [r('verb1', 'group1', 'resource2', 'subresource1'), false],
      ],
    ],
    [
      'star subresource',
      { verbs: ['get'], apiGroups: [''], resources: ['*/scale'] },
      [
        [r('get', '', 'deployments', 'scale'), true],
        [r('get', '', 'deployments', 'status'), false],
        [r('get', '', 'deployments'), false],
      ],
    ],
    [
      'star nonresource',
      { verbs: ['verb1'], nonResourceURLs: ['*'] },
      [
        [url('u', [], 'verb1', '/foo'), true],
        [url('u', [], 'verb1', '/foo/bar/one'), true],
        [url('u', [], 'verb2', '/foo'), false],
      ],
    ],
    [
      'star nonresource subpath',
      { verbs: ['verb1'], nonResourceURLs: ['/foo/*'] },
      [
        [url('u', [], 'verb1', '/foo'), false],
        [url('u', [], 'verb1', '/foo/bar'), true],
        [url('u', [], 'verb1', '/foo/bar/one'), true],
        [url('u', [], 'verb1', '/bar'), false],
      ],
    ],
    [
      'resourceNames limit named requests',
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      [
        [{ ...r('get', '', 'configmaps'), name: 'a' }, true],
        [{ ...r('get', '', 'configmaps'), name: 'b' }, false],
        [r('get', '', 'configmaps'), false],
      ],
    ],
  ];
  for (const [name, pr, expectations] of cases) {
    expectations.forEach(([a, want], i) => it(`${name} #${i}: ${describeAttrs(a)} → ${want}`, () => assert.equal(ruleAllows(a, pr), want)));
  }
});

describe('RBAC reasons and 403 messages as kube writes them', () => {
  it('an allow names the binding, the role and the subject', () => {
    const authz = new RBACAuthorizer(
      source({
        clusterRoles: { view: [rule('get', '', 'pods', '')] },
        roleBindings: [['ns1', 'ClusterRole', 'view', ['ServiceAccount:builder']]],
      }),
    );
    const a = res('system:serviceaccount:ns1:builder', '', 'get', 'pods', '', 'ns1');
    assert.deepEqual(authz.authorize(a), {
      decision: 'Allow',
      reason: 'RBAC: allowed by RoleBinding "rb0/ns1" of ClusterRole "view" to ServiceAccount "builder/ns1"',
    });
  });
  it('a binding to a missing role is named in the refusal', () => {
    const authz = new RBACAuthorizer(source({ clusterRoleBindings: [['gone', ['User:alice']]] }));
    const a = res('alice', '', 'list', 'pods', '', 'default');
    const result = authz.authorize(a);
    assert.deepEqual(result, { decision: 'NoOpinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' });
    assert.equal(
      forbiddenError(a, result.reason).message,
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    );
  });
  it('a non-resource refusal has no resource in its message', () => {
    const e = forbiddenError(url('system:anonymous', ['system:unauthenticated'], 'get', '/api'), '');
    assert.equal(e.status.message, 'forbidden: User "system:anonymous" cannot get path "/api"');
    assert.deepEqual(e.status.details, {});
  });
  it('a cluster-scoped named refusal says "at the cluster scope"', () => {
    const e = forbiddenError({ ...res('alice', '', 'get', 'nodes', '', ''), name: 'n1' }, '');
    assert.equal(
      e.status.message,
      'nodes "n1" is forbidden: User "alice" cannot get resource "nodes" in API group "" at the cluster scope',
    );
  });
});

describe('ClusterRole aggregation (clusterroleaggregation_controller)', () => {
  const role = (name: string, labels: Record<string, string>, rules: PolicyRule[], selectors?: object[]): ClusterRoleObject => ({
    metadata: { name, labels },
    rules,
    ...(selectors && { aggregationRule: { clusterRoleSelectors: selectors } }),
  });
  const r1 = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const r2 = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
  const r3 = { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] };

  it('gathers the matched roles’ rules in name order, each distinct rule once', () => {
    const target = role('view', {}, [], [{ matchLabels: { 'aggregate-to-view': 'true' } }]);
    const all = [
      target,
      role('b', { 'aggregate-to-view': 'true' }, [r2, r1]),
      role('a', { 'aggregate-to-view': 'true' }, [r1]),
      role('c', {}, [r3]),
    ];
    assert.deepEqual(aggregatedRules(target, all), [r1, r2]);
  });
  it('several selectors add up; a role is never aggregated into itself', () => {
    const target = role('t', { x: '1' }, [], [{ matchLabels: { x: '1' } }, { matchExpressions: [{ key: 'y', operator: 'Exists' }] }]);
    const all = [target, role('a', { y: 'any' }, [r3]), role('b', { x: '1' }, [r1])];
    assert.deepEqual(aggregatedRules(target, all), [r3, r1]);
  });
  it('a role that already holds its rules is left alone (undefined), so its own write does not loop', () => {
    const target = role('t', {}, [r1], [{ matchLabels: { x: '1' } }]);
    assert.equal(aggregatedRules(target, [target, role('a', { x: '1' }, [r1])]), undefined);
  });
  it('a role whose matched roles lost a rule loses it too; one without an aggregationRule is never touched', () => {
    const target = role('t', {}, [r1, r2], [{ matchLabels: { x: '1' } }]);
    assert.deepEqual(aggregatedRules(target, [target, role('a', { x: '1' }, [r2])]), [r2]);
    assert.equal(aggregatedRules(role('plain', {}, [r1]), [role('a', {}, [r2])]), undefined);
  });
});

describe("RBAC escalation: kube's Covers table (policy_comparator_test.go)", () => {
  const FIXTURE = new URL('../../../test/fixtures/rbac-covers-v1.34.json', import.meta.url).pathname;
  const { cases } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
    cases: {
      name: string;
      ownerRules: PolicyRule[];
      servantRules: PolicyRule[];
      expectedCovered: boolean;
      expectedUncoveredRules: PolicyRule[];
    }[];
  };
  // rulesMatch: the same rules in any order, each compared with reflect.DeepEqual.
  const canonical = (rules: PolicyRule[]) => rules.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
  for (const c of cases) {
    it(`${c.name}: ${c.expectedCovered ? 'covered' : `${c.expectedUncoveredRules.length} rule(s) uncovered`}`, () => {
      const missing = uncovered(c.ownerRules, c.servantRules);
      assert.equal(missing.length === 0, c.expectedCovered);
      assert.deepEqual(canonical(missing), canonical(c.expectedUncoveredRules));
    });
  }
  it('missing rules print as kube compacts them: one line per group/resource(/name), verbs merged', () => {
    const missing = uncovered([], [{ apiGroups: [''], resources: ['secrets', 'pods'], verbs: ['get', 'list'], resourceNames: ['a'] }]);
    assert.deepEqual(compactRules(missing).map(compactString).sort(), [
      '{APIGroups:[""], Resources:["pods"], ResourceNames:["a"], Verbs:["get" "list"]}',
      '{APIGroups:[""], Resources:["secrets"], ResourceNames:["a"], Verbs:["get" "list"]}',
    ]);
  });
});
