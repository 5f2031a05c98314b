// ValidatingAdmissionPolicy beside the reference kube-apiserver: the same policies and bindings on both, then the
// same requests, comparing status codes, Status bodies (reason, message, details) and Warning headers. Policies that
// do not compile are refused at create with cel-go's text. kube loads policies from informers, kgate from a watch:
// each enforcement step first waits, on both servers, until a probe request is answered as the policy says. Without
// the reference binary the suite registers nothing.
import assert from 'node:assert/strict';
import type { HttpResponse, Requester } from '../support/http.js';
import { startKgate, type Kgate } from '../support/kgate.js';
import { HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';

const POLICIES = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const BINDINGS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const RULES = [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }];

const policy = (name: string, spec: object) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name },
  spec,
});
const binding = (name: string, spec: object) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name },
  spec,
});
const deployment = (name: string, replicas: number, tier: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { tier } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
  },
});

const ALICE = 'alice-token';
const tokens = [{ token: ALICE, user: 'alice', uid: 'alice-uid', groups: ['policy-writers'] }];

interface Step {
  title: string;
  method: string;
  path: string;
  body?: object;
  /** A token other than the admin's. */
  as?: string;
  /** Before comparing: retry on each server until it answers this status (the policy has been loaded). */
  until?: number;
  /** ... or until it returns a Warning header. */
  untilWarning?: boolean;
  /** The status both must answer (so that agreeing on something else fails). */
  expect?: number;
  /** Ask for a Table and compare its columns and cells. */
  table?: boolean;
  headers?: Record<string, string>;
}

/** Updates: the kinds refuse unconditional PUTs; /status takes typeChecking and conditions only, validated. */
const UPDATES: Step[] = [
  {
    title: 'a PUT without resourceVersion is refused',
    method: 'PUT',
    path: `${POLICIES}/max-replicas?dryRun=All`,
    body: policy('max-replicas', { matchConstraints: { resourceRules: RULES }, validations: [{ expression: 'true' }] }),
    expect: 422,
  },
  {
    title: 'a patch of /status with an invalid typeChecking warning',
    method: 'PATCH',
    path: `${POLICIES}/max-replicas/status?dryRun=All`,
    headers: { 'content-type': 'application/merge-patch+json' },
    body: { status: { typeChecking: { expressionWarnings: [{ fieldRef: '', warning: '' }] }, conditions: [{ type: 'x' }] } },
    expect: 422,
  },
  {
    title: 'a patch of /status with a valid warning',
    method: 'PATCH',
    path: `${POLICIES}/max-replicas/status?dryRun=All`,
    headers: { 'content-type': 'application/merge-patch+json' },
    body: { status: { typeChecking: { expressionWarnings: [{ fieldRef: 'spec.validations[0].expression', warning: 'w' }] } } },
    expect: 200,
  },
  {
    title: 'a merge patch of a binding’s spec with an invalid action',
    method: 'PATCH',
    path: `${BINDINGS}/max-replicas?dryRun=All`,
    headers: { 'content-type': 'application/merge-patch+json' },
    body: { spec: { validationActions: ['Deny', 'Warn'] } },
    expect: 422,
  },
];

/** kubectl's Table of policies and bindings (the Age column left out). */
const TABLES: Step[] = [
  { title: 'the Table of policies', method: 'GET', path: POLICIES, table: true },
  { title: 'the Table of bindings', method: 'GET', path: BINDINGS, table: true },
];

/** Policies that do not compile or break kube's rules, refused at create (dry run: nothing is kept either way). */
const REFUSED: Step[] = [
  {
    title: 'expressions that do not compile, a messageExpression and an audit annotation of the wrong type',
    method: 'POST',
    path: `${POLICIES}?dryRun=All`,
    body: policy('bad-cel', {
      matchConstraints: { resourceRules: RULES },
      validations: [
        { expression: 'foo > 1' },
        { expression: '1 + "a"' },
        { expression: 'object.spec.replicas <= 5', messageExpression: '1' },
        { expression: 'request.foo == 1' },
        { expression: 'object.spec.paused' },
        { expression: '"a".charAt("b")' },
        { expression: '[1, "a"] == []' },
      ],
      auditAnnotations: [{ key: 'k', valueExpression: '1' }],
    }),
  },
  {
    title: 'variables: composition, and references to undefined ones',
    method: 'POST',
    path: `${POLICIES}?dryRun=All`,
    body: policy('bad-variables', {
      matchConstraints: { resourceRules: RULES },
      variables: [
        { name: 'a', expression: 'object.spec.replicas' },
        { name: 'b', expression: 'variables.a + 1' },
        { name: 'c', expression: '"x"' },
      ],
      validations: [{ expression: 'variables.c + 1 == 2' }, { expression: 'variables.zz == 1' }, { expression: 'variables.b > 2' }],
    }),
  },
  {
    title: 'params without a paramKind',
    method: 'POST',
    path: `${POLICIES}?dryRun=All`,
    body: policy('no-params', { matchConstraints: { resourceRules: RULES }, validations: [{ expression: 'params.x == 1' }] }),
  },
  {
    title: 'mixed-type literals, refused except as format’s arguments',
    method: 'POST',
    path: `${POLICIES}?dryRun=All`,
    body: policy('literals', {
      matchConstraints: { resourceRules: RULES },
      validations: [
        { expression: '[object.spec.replicas, 5].size() == 2' },
        { expression: "{'a': 1, 'b': 'x'}.size() == 2" },
        { expression: "[[1], ['a']].size() == 2" },
        { expression: "'%s %d'.format([object.metadata.name, 5]) != ''" },
      ],
    }),
  },
  {
    title: 'the libraries kube declares compile',
    method: 'POST',
    path: `${POLICIES}?dryRun=All`,
    expect: 201,
    body: policy('libraries', {
      matchConstraints: { resourceRules: RULES },
      validations: [
        "object.spec.template.spec.containers.all(i, c, i >= 0 && c.name != '')",
        'object.metadata.labels.exists(k, v, k == v)',
        '[1, 2].transformList(i, v, v * 2) == [2, 4]',
        "{'a': 1}.transformMap(k, v, v + 1) == {'a': 2}",
        "isSemver('1.2.3') && semver('v1.2', true).isLessThan(semver('1.3.0'))",
        "ip.isCanonical('127.0.0.1') && cidr('10.0.0.0/8').containsIP(ip('10.1.2.3'))",
        "quantity('1Gi').isGreaterThan(quantity('1G')) && isQuantity('1')",
        "url('https://x.y/z').getHost() == 'x.y' && 'a-b'.find('[a-z]+') == 'a'",
        '[3, 1].isSorted() == false && [1, 2].sum() == 3 && sets.contains([1], [1])',
        "'%s'.format([object.metadata.name]) != '' && 'abc'.charAt(1) == 'b' && strings.quote('a') != ''",
        "format.dns1123Label().validate('a').hasValue() == false && object.?spec.?replicas.orValue(1) > 0",
        "authorizer.requestResource.check('create').allowed() || authorizer.path('/x').check('get').errored()",
      ].map((expression) => ({ expression })),
    }),
  },
  {
    title: 'libraries kube does not declare',
    method: 'POST',
    path: `${POLICIES}?dryRun=All`,
    expect: 422,
    body: policy('not-declared', {
      matchConstraints: { resourceRules: RULES },
      validations: [{ expression: 'math.greatest(1, 2) == 2' }, { expression: 'lists.range(3) == [0, 1, 2]' }],
    }),
  },
  { title: 'an empty spec', method: 'POST', path: `${POLICIES}?dryRun=All`, body: policy('empty', {}) },
  {
    title: 'every field wrong',
    method: 'POST',
    path: `${POLICIES}?dryRun=All`,
    body: policy('wrong', {
      failurePolicy: 'Sometimes',
      paramKind: { apiVersion: 'a/b/c', kind: 'Foo_' },
      matchConstraints: {
        matchPolicy: 'Loose',
        resourceRules: [
          {
            operations: ['*', 'CREATE'],
            apiGroups: [],
            apiVersions: ['*', 'v1'],
            resources: ['*', 'pods', 'x/*', 'x/y'],
            scope: 'Everywhere',
            resourceNames: ['a', 'a'],
          },
        ],
      },
      matchConditions: [
        { name: '', expression: '' },
        { name: 'not qualified!', expression: 'true' },
      ],
      variables: [{ name: '1x', expression: ' ' }],
      validations: [{ expression: 'true', message: 'a\nb', reason: 'Teapot', messageExpression: ' ' }],
      auditAnnotations: [
        { key: 'bad key!', valueExpression: '"x"' },
        { key: 'bad key!', valueExpression: '' },
      ],
    }),
  },
  {
    title: 'a binding with every field wrong',
    method: 'POST',
    path: `${BINDINGS}?dryRun=All`,
    body: binding('wrong', {
      paramRef: { name: 'a', selector: {}, parameterNotFoundAction: 'Shrug' },
      validationActions: ['Deny', 'Warn', 'Deny', 'Nope'],
      matchResources: { matchPolicy: 'Loose' },
    }),
  },
  { title: 'a binding without anything', method: 'POST', path: `${BINDINGS}?dryRun=All`, body: binding('nothing', { paramRef: {} }) },
];

const SETUP: Step[] = [
  {
    title: 'a role to write policies, without access to ConfigMaps',
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'policy-writer' },
      rules: [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['*'], verbs: ['*'] }],
    },
  },
  {
    title: 'bound to alice’s group',
    method: 'POST',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'policy-writers' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'policy-writer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'policy-writers' }],
    },
  },
  {
    title: 'a replicas limit',
    method: 'POST',
    path: POLICIES,
    body: policy('max-replicas', {
      matchConstraints: { resourceRules: RULES, objectSelector: { matchLabels: { tier: 'limited' } } },
      validations: [{ expression: 'object.spec.replicas <= 5' }],
    }),
  },
  {
    title: 'its binding',
    method: 'POST',
    path: BINDINGS,
    body: binding('max-replicas', { policyName: 'max-replicas', validationActions: ['Deny'] }),
  },
  {
    title: 'the ConfigMap of params',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits' }, data: { max: '3' } },
  },
  {
    title: 'a policy with params, variables, messageExpression and reason',
    method: 'POST',
    path: POLICIES,
    body: policy('param-limit', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: {
        resourceRules: RULES,
        objectSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['param', 'missing'] }] },
      },
      variables: [{ name: 'max', expression: 'int(params.data.max)' }],
      validations: [
        {
          expression: 'object.spec.replicas <= variables.max',
          messageExpression: "'replicas ' + string(object.spec.replicas) + ' exceed ' + params.data.max",
          reason: 'Forbidden',
        },
      ],
    }),
  },
  {
    title: 'its binding to the ConfigMap',
    method: 'POST',
    path: BINDINGS,
    body: binding('param-limit', {
      policyName: 'param-limit',
      validationActions: ['Deny'],
      paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' },
    }),
  },
  {
    title: 'a binding to a missing param',
    method: 'POST',
    path: BINDINGS,
    body: binding('param-missing', {
      policyName: 'param-limit',
      validationActions: ['Deny'],
      paramRef: { name: 'nowhere', parameterNotFoundAction: 'Deny' },
      matchResources: { objectSelector: { matchLabels: { tier: 'missing' } } },
    }),
  },
  {
    title: 'a warning policy',
    method: 'POST',
    path: POLICIES,
    body: policy('warn-limit', {
      matchConstraints: { resourceRules: RULES, objectSelector: { matchLabels: { tier: 'warn' } } },
      validations: [{ expression: 'object.spec.replicas <= 2', message: 'at most two replicas' }],
    }),
  },
  {
    title: 'its Warn binding',
    method: 'POST',
    path: BINDINGS,
    body: binding('warn-limit', { policyName: 'warn-limit', validationActions: ['Warn'] }),
  },
  {
    title: 'a policy whose paramKind nothing serves',
    method: 'POST',
    path: POLICIES,
    body: policy('unserved-params', {
      paramKind: { apiVersion: 'example.com/v1', kind: 'Limit' },
      matchConstraints: { resourceRules: RULES, objectSelector: { matchLabels: { tier: 'unserved' } } },
      validations: [{ expression: 'true' }],
    }),
  },
  {
    title: 'its binding',
    method: 'POST',
    path: BINDINGS,
    body: binding('unserved-params', {
      policyName: 'unserved-params',
      validationActions: ['Deny'],
      paramRef: { name: 'x', parameterNotFoundAction: 'Allow' },
    }),
  },
  {
    title: 'a policy whose message is string.format’s',
    method: 'POST',
    path: POLICIES,
    body: policy('formatted', {
      matchConstraints: { resourceRules: RULES, objectSelector: { matchLabels: { tier: 'formatted' } } },
      validations: [
        {
          expression: 'false',
          messageExpression:
            "'%s / %d / %.3f / %s / %s / %x'.format([object.metadata.labels, object.spec.replicas, 2.5, [1, 2], object.metadata.name, 255])",
        },
      ],
    }),
  },
  {
    title: 'its binding',
    method: 'POST',
    path: BINDINGS,
    body: binding('formatted', { policyName: 'formatted', validationActions: ['Deny'] }),
  },
  {
    title: 'a policy whose expression fails at runtime',
    method: 'POST',
    path: POLICIES,
    body: policy('runtime-error', {
      matchConstraints: { resourceRules: RULES, objectSelector: { matchLabels: { tier: 'error' } } },
      validations: [{ expression: 'object.spec.strategy.rollingUpdate.nope == 1' }],
    }),
  },
  {
    title: 'its binding',
    method: 'POST',
    path: BINDINGS,
    body: binding('runtime-error', { policyName: 'runtime-error', validationActions: ['Deny'] }),
  },
  {
    title: 'a labelled namespace',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'guarded', labels: { guard: 'on' } } },
  },
  {
    title: 'a ConfigMap in it, to delete later',
    method: 'POST',
    path: '/api/v1/namespaces/guarded/configmaps',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep', labels: { keep: 'yes' } } },
  },
  {
    title: 'a ConfigMap policy over namespaces labelled guard=on, on every operation, excluding updates to `scratch`',
    method: 'POST',
    path: POLICIES,
    body: policy('guard', {
      matchConstraints: {
        resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*'], resources: ['configmaps'] }],
        excludeResourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['configmaps'], resourceNames: ['scratch'] },
        ],
        namespaceSelector: { matchLabels: { guard: 'on' } },
      },
      validations: [
        {
          expression: "request.operation != 'DELETE' || !has(oldObject.metadata.labels) || !('keep' in oldObject.metadata.labels)",
          messageExpression: "'cannot delete ' + oldObject.metadata.name + ' in ' + namespaceObject.metadata.name",
        },
        {
          expression: "request.operation == 'DELETE' || object.data.size() <= 1",
          message: 'at most one key',
          reason: 'RequestEntityTooLarge',
        },
        {
          expression: "request.operation != 'UPDATE' || oldObject.data == object.data || request.userInfo.username == 'nobody'",
          messageExpression: "request.userInfo.username + ' may not change data'",
        },
        {
          expression: "authorizer.group('').resource('secrets').namespace(request.namespace).check('create').allowed()",
          message: 'only who may create secrets',
        },
      ],
    }),
  },
  { title: 'its binding', method: 'POST', path: BINDINGS, body: binding('guard', { policyName: 'guard', validationActions: ['Deny'] }) },
  {
    title: 'a policy with matchConditions',
    method: 'POST',
    path: POLICIES,
    body: policy('conditional', {
      matchConstraints: { resourceRules: RULES, objectSelector: { matchLabels: { tier: 'conditional' } } },
      matchConditions: [{ name: 'only-big', expression: 'object.spec.replicas > 10' }],
      validations: [{ expression: 'false', message: 'big deployments are refused' }],
    }),
  },
  {
    title: 'its binding',
    method: 'POST',
    path: BINDINGS,
    body: binding('conditional', { policyName: 'conditional', validationActions: ['Deny'] }),
  },
];

const dryRun = (name: string, replicas: number, tier: string, extra: Partial<Step> = {}): Step => ({
  title: `${name}: ${replicas} replicas, tier ${tier}`,
  method: 'POST',
  path: `${DEPLOYMENTS}?dryRun=All`,
  body: deployment(name, replicas, tier),
  ...extra,
});

/** The strategies' authorization of params: who may not read ConfigMaps may not point a policy at them. */
const PARAMS_AUTHZ: Step[] = [
  {
    title: 'a paramKind the writer may not get is Forbidden in a 422',
    expect: 422,
    method: 'POST',
    path: `${POLICIES}?dryRun=All`,
    as: ALICE,
    body: policy('alice-params', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { resourceRules: RULES },
      validations: [{ expression: 'params != null' }],
    }),
  },
  {
    title: 'a paramRef the writer may not get is Forbidden in a 422',
    expect: 422,
    method: 'POST',
    path: `${BINDINGS}?dryRun=All`,
    as: ALICE,
    body: binding('alice-binding', {
      policyName: 'param-limit',
      validationActions: ['Deny'],
      paramRef: { name: 'limits', namespace: 'default', parameterNotFoundAction: 'Deny' },
    }),
  },
  {
    title: 'a paramRef selector needs list',
    expect: 422,
    method: 'POST',
    path: `${BINDINGS}?dryRun=All`,
    as: ALICE,
    body: binding('alice-binding', {
      policyName: 'param-limit',
      validationActions: ['Deny'],
      paramRef: { selector: {}, parameterNotFoundAction: 'Allow' },
    }),
  },
  {
    title: 'a paramRef to a policy that does not exist',
    expect: 422,
    method: 'POST',
    path: `${BINDINGS}?dryRun=All`,
    as: ALICE,
    body: binding('alice-binding', {
      policyName: 'nowhere',
      validationActions: ['Deny'],
      paramRef: { name: 'x', parameterNotFoundAction: 'Deny' },
    }),
  },
  {
    title: 'a policy without params needs no permission on them',
    expect: 201,
    method: 'POST',
    path: `${POLICIES}?dryRun=All`,
    as: ALICE,
    body: policy('alice-plain', { matchConstraints: { resourceRules: RULES }, validations: [{ expression: 'true' }] }),
  },
];

const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const GUARDED = '/api/v1/namespaces/guarded/configmaps';

const ENFORCED: Step[] = [
  {
    title: 'namespaceSelector: two keys in a guarded namespace, with the validation’s reason (413)',
    method: 'POST',
    path: `${GUARDED}?dryRun=All`,
    body: configMap('two', { a: '1', b: '2' }),
    until: 413,
  },
  {
    title: 'not in a namespace the selector leaves out',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps?dryRun=All',
    body: configMap('two', { a: '1', b: '2' }),
    expect: 201,
  },
  {
    title: 'DELETE sees oldObject and namespaceObject',
    method: 'DELETE',
    path: `${GUARDED}/keep?dryRun=All`,
    until: 422,
  },
  {
    title: 'UPDATE sees oldObject and request.userInfo',
    method: 'PUT',
    path: `${GUARDED}/keep?dryRun=All`,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep', labels: { keep: 'yes' } }, data: { x: 'y' } },
    expect: 422,
  },
  {
    title: 'the authorizer library: a user who may not create secrets',
    method: 'POST',
    path: `${GUARDED}?dryRun=All`,
    as: ALICE,
    body: configMap('alices', {}),
    expect: 403,
  },
  { ...dryRun('six', 6, 'limited', { until: 422 }), title: 'Deny: 6 replicas against `object.spec.replicas <= 5`' },
  { ...dryRun('five', 5, 'limited'), title: '5 replicas are allowed' },
  { ...dryRun('four', 4, 'param', { until: 403 }), title: 'params, variables and messageExpression: 403 with the computed message' },
  { ...dryRun('three', 3, 'param'), title: 'within the param’s limit' },
  { ...dryRun('one', 1, 'missing', { until: 422 }), title: 'a missing param with parameterNotFoundAction Deny' },
  { ...dryRun('three', 3, 'warn', { untilWarning: true }), title: 'Warn: admitted with a Warning header' },
  { ...dryRun('one', 1, 'error', { until: 422 }), title: 'a runtime error with failurePolicy Fail' },
  { ...dryRun('fmt', 2, 'formatted', { until: 422 }), title: 'string.format: %s of a map and a list, %d, %.3f, %x' },
  { ...dryRun('un', 1, 'unserved', { until: 422 }), title: 'a paramKind nothing serves: the policy’s configuration error' },
  { ...dryRun('small', 3, 'conditional'), title: 'matchConditions false: the policy does not apply' },
  { ...dryRun('big', 11, 'conditional', { until: 422 }), title: 'matchConditions true: the policy applies' },
  { ...dryRun('unselected', 9, 'other'), title: 'an object no binding selects' },
];

function tableOf(res: HttpResponse) {
  const body = res.body as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
  const age = body.columnDefinitions.findIndex((c) => c.name === 'Age');
  return {
    columns: body.columnDefinitions.map((c) => c.name),
    rows: body.rows.map((r) => r.cells.filter((_, i) => i !== age)).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  };
}

function summary(res: HttpResponse) {
  const warning = res.headers.warning;
  if (res.status < 300) return { status: res.status, warning };
  return { status: res.status, reason: res.body?.reason, message: res.body?.message, details: res.body?.details, warning };
}

async function run(request: Requester, step: Step) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(step.method, step.path, {
      body: step.body,
      ...(step.as && { token: step.as }),
      ...(step.table && { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } }),
      ...(step.headers && { headers: step.headers }),
    });
    if (step.table) return { status: res.status, table: tableOf(res) };
    const loaded = step.until !== undefined ? res.status === step.until : step.untilWarning ? res.headers.warning !== undefined : true;
    if (loaded || Date.now() > deadline) return summary(res);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (!referenceBinary()) {
  console.log(`ValidatingAdmissionPolicy differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: ValidatingAdmissionPolicy as kube-apiserver enforces it', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    before(async () => {
      [kube, kgate] = await Promise.all([startReference({ tokens }), startKgate({ tokens, authorizationModes: ['RBAC'] })]);
      for (const step of SETUP) {
        for (const request of [kube.request, kgate.request]) {
          const res: HttpResponse = await request(step.method, step.path, { body: step.body });
          assert.equal(res.status, 201, `${step.title}: ${res.text}`);
        }
      }
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close()]);
    });
    for (const step of [...REFUSED, ...PARAMS_AUTHZ, ...ENFORCED, ...UPDATES, ...TABLES]) {
      it(step.title, async () => {
        const want = await run(kube!.request, step);
        const got = await run(kgate!.request, step);
        assert.deepEqual(got, want);
        if (step.until !== undefined) assert.equal(got.status, step.until, 'the policy was never enforced');
        if (step.untilWarning) assert.ok('warning' in got && got.warning, 'no Warning header');
        if (step.expect !== undefined) assert.equal(got.status, step.expect);
      });
    }
  });
}
