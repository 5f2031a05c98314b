// The shared CEL module (src/admission/cel): the Kubernetes library functions as tables of expression → value (cases
// after k8s.io/apiserver/pkg/cel/library's tests and cel-go's ext tests), runtime errors with kube's text, compile
// errors in cel-go's format, and the ValidatingAdmissionPolicy plugin's Audit annotation.
import assert from 'node:assert/strict';
import { compile, fromCel, isCompileError, prepare, type Declarations } from '../../src/admission/cel/index.js';
import type { AdmissionAttributes } from '../../src/admission/index.js';
import { matchResources } from '../../src/admission/policy/matching.js';
import { ValidatingAdmissionPolicy } from '../../src/admission/policy/validating.js';
import type { KubeObject } from '../../src/apimachinery/meta.js';

async function evaluate(expression: string, activation: { object?: unknown; params?: unknown } = {}, decls: Declarations = {}) {
  const program = compile(expression, decls);
  if (isCompileError(program)) throw new Error(program.detail);
  return fromCel(await program.evaluate(await prepare(activation)));
}

/** expression → value (JSON; ints as numbers). */
const VALUES: [string, unknown][] = [
  // lists.go
  ['[1, 2, 3].isSorted()', true],
  ['[3, 1].isSorted()', false],
  ["['a', 'b', 'b'].isSorted()", true],
  ['[1, 2, 3].sum()', 6],
  ['[1.5, 2.5].sum()', 4],
  ['[].sum()', 0],
  ['[5, 2, 9].min()', 2],
  ['[5, 2, 9].max()', 9],
  ["['b', 'a'].min()", 'a'],
  ['[1, 2, 2, 3].indexOf(2)', 1],
  ['[1, 2, 2, 3].lastIndexOf(2)', 2],
  ['[1, 2].indexOf(7)', -1],
  // regex.go
  ["'abc 123'.find('[0-9]+')", '123'],
  ["'abc'.find('[0-9]+')", ''],
  ["'123 abc 456'.findAll('[0-9]+')", ['123', '456']],
  ["'123 abc 456'.findAll('[0-9]+', 1)", ['123']],
  ["'123 abc 456'.findAll('[0-9]+', 0)", []],
  // ext.Strings v2 (and cel-js's own)
  ["'hello'.charAt(1)", 'e'],
  ["'hello'.charAt(5)", ''],
  ["'hello hello'.replace('he', 'we')", 'wello wello'],
  ["'hello hello'.replace('he', 'we', 1)", 'wello hello'],
  ["'hello'.reverse()", 'olleh'],
  ["'TacoCat'.lowerAscii()", 'tacocat'],
  ["'a,b,c'.split(',')", ['a', 'b', 'c']],
  ["'  x '.trim()", 'x'],
  ["['a', 'b'].join('-')", 'a-b'],
  ["'tacocat'.substring(4)", 'cat'],
  ["'tacocat'.indexOf('co')", 2],
  ["strings.quote('a\"b')", '"a\\"b"'],
  ["'%d of %s'.format([3, 'x'])", '3 of x'],
  ["'%.2f %f %e'.format([1.5, 2.0, 1234.5])", '1.50 2.000000 1.234500e+03'],
  ["'%s'.format([{'b': 1.5, 'a': 2.0}])", '{"a":2.000000, "b":1.500000}'],
  ["'%s'.format([[1, 2]])", '[1, 2]'],
  ["'%x %X %o %b %%'.format([255, 255, 8, 5])", 'ff FF 10 101 %'],
  // ext.Sets
  ['sets.contains([1, 2, 3], [2, 3])', true],
  ['sets.contains([1], [1.0])', true],
  ['sets.equivalent([1, 2], [2, 1, 1])', true],
  ['sets.intersects([1, 2], [3])', false],
  // quantity.go
  ["quantity('1Gi').isGreaterThan(quantity('1G'))", true],
  ["quantity('500m').isLessThan(quantity('1'))", true],
  ["quantity('1').compareTo(quantity('1000m'))", 0],
  ["quantity('1') == quantity('1000m')", true],
  ["quantity('2k').asInteger()", 2000],
  ["quantity('1.5').isInteger()", false],
  ["quantity('-3').sign()", -1],
  ["quantity('50Mi').add(quantity('50Mi')) == quantity('100Mi')", true],
  ["quantity('10').sub(3).asInteger()", 7],
  ["isQuantity('20Mi')", true],
  ["isQuantity('20 Mi')", false],
  // ip.go, cidr.go
  ["ip('192.168.0.1').family()", 4],
  ["ip('::1').isLoopback()", true],
  ["ip('fe80::1').isLinkLocalUnicast()", true],
  ["ip('8.8.8.8').isGlobalUnicast()", true],
  ["isIP('1.2.3')", false],
  ["isIP('::ffff:1.2.3.4')", false],
  ["cidr('192.168.0.0/24').containsIP('192.168.0.7')", true],
  ["cidr('192.168.0.0/24').containsIP(ip('192.168.1.7'))", false],
  ["cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')", true],
  ["cidr('192.168.1.7/24').masked() == cidr('192.168.1.0/24')", true],
  ["cidr('192.168.0.0/24').prefixLength()", 24],
  ["string(cidr('10.0.0.0/8').ip())", '10.0.0.0'],
  // urls.go
  ["url('https://example.com:8443/a/b?x=1&x=2').getHostname()", 'example.com'],
  ["url('https://example.com:8443/a/b').getPort()", '8443'],
  ["url('https://example.com/a/b').getEscapedPath()", '/a/b'],
  ["url('https://example.com/?x=1&x=2').getQuery()", { x: ['1', '2'] }],
  ["url('/absolute-path').getScheme()", ''],
  ["isURL('not a url')", false],
  // format.go
  ["format.dns1123Label().validate('ok-name').hasValue()", false],
  ["format.named('dns1123Subdomain').value().validate('Not_OK').hasValue()", true],
  ["format.named('nope').hasValue()", false],
  // semverlib.go (version 1, with normalization)
  ["isSemver('1.2.3')", true],
  ["isSemver('01.2.3')", false],
  ["isSemver('v1.2', true)", true],
  ["semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", true],
  ["semver('1.2.3').compareTo(semver('1.2.3'))", 0],
  ["semver('v01.2', true).major()", 1],
  ["ip.isCanonical('127.0.0.1')", true],
  ["ip.isCanonical('2001:DB8::1')", false],
  // ext.TwoVarComprehensions
  ["['a', 'bb'].all(i, v, i >= 0 && v != '')", true],
  ["{'x': 'y'}.exists(k, v, k == 'x' && v == 'y')", true],
  ["['a', 'bb'].existsOne(i, v, size(v) == 2)", true],
  ['[1, 2].transformList(i, v, v * 2)', [2, 4]],
  ['[1, 2].transformList(i, v, v > 1, v * 10)', [20]],
  ["{'a': 1}.transformMap(k, v, v + 1)", { a: 2 }],
  ["{'a': 1}.transformMapEntry(k, v, {k + k: v})", { aa: 1 }],
  // optional types, as kube enables them
  ['object.?spec.?replicas.orValue(1)', 1],
  ['object.?spec.?missing.orValue(1)', 1],
];

describe('CEL: the Kubernetes libraries', () => {
  for (const [expression, want] of VALUES) {
    it(`${expression} → ${JSON.stringify(want)}`, async () => {
      assert.deepEqual(await evaluate(expression, { object: { spec: { replicas: 1 } } }), want);
    });
  }

  it('runtime errors carry cel-go’s text', async () => {
    await assert.rejects(evaluate('[].min()'), { detail: 'min called on empty list' });
    await assert.rejects(evaluate('object.spec.nope == 1', { object: { spec: {} } }), { detail: 'no such key: nope' });
    await assert.rejects(evaluate("'x'.find('[')"), (e: { detail: string }) => e.detail.startsWith('Illegal regex: '));
  });

  it('list functions work on lists from the input, whose element type is dyn', async () => {
    const object = { l: [3, 1, 2] };
    assert.equal(await evaluate('object.l.sum() > 5 && object.l.max() == 3 && object.l.min() < 1.5', { object }), true);
  });

  it('the cost guard stops a nested comprehension over a large list with cel-go’s error, and lets a single pass run', async () => {
    const object = { l: Array.from({ length: 2000 }, (_, i) => i) };
    assert.equal(await evaluate('object.l.all(x, x >= 0)', { object }), true);
    await assert.rejects(evaluate('object.l.all(x, object.l.exists(y, y == x))', { object }), {
      detail: 'operation cancelled: actual cost limit exceeded',
    });
  });

  it('JSON integers are CEL ints and other numbers doubles', async () => {
    assert.equal(await evaluate('object.n + 1 == 7', { object: { n: 6 } }), true);
    assert.equal(await evaluate('object.d > 1.0', { object: { d: 1.5 } }), true);
  });
});

describe('CEL: compile errors in cel-go’s format', () => {
  const cases: [string, Declarations, string[], string][] = [
    ['foo > 1', {}, ['bool'], "compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo > 1\n | ^"],
    [
      '1 + "a"',
      {},
      ['bool'],
      "compilation failed: ERROR: <input>:1:3: found no matching overload for '_+_' applied to '(int, string)'\n | 1 + \"a\"\n | ..^",
    ],
    ['request.foo == 1', {}, ['bool'], "compilation failed: ERROR: <input>:1:8: undefined field 'foo'\n | request.foo == 1\n | .......^"],
    [
      '"a".charAt("b")',
      {},
      ['bool'],
      'compilation failed: ERROR: <input>:1:11: found no matching overload for \'charAt\' applied to \'string.(string)\'\n | "a".charAt("b")\n | ..........^',
    ],
    ['params.x', {}, [], "compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.x\n | ^"],
    [
      'math.greatest(1, 2) == 2',
      {},
      ['bool'],
      "compilation failed: ERROR: <input>:1:1: undeclared reference to 'math' (in container '')\n | math.greatest(1, 2) == 2\n | ^\n" +
        "ERROR: <input>:1:14: undeclared reference to 'greatest' (in container '')\n | math.greatest(1, 2) == 2\n | .............^",
    ],
    ['object.spec', {}, ['bool'], 'must evaluate to bool but got dyn'],
    ['1', {}, ['string', 'null_type'], 'must evaluate to one of [string null_type] but got int'],
  ];
  for (const [expression, decls, types, detail] of cases) {
    it(expression, () => {
      const r = compile(expression, decls, types);
      assert.ok(isCompileError(r), 'compiles');
      assert.equal(r.detail, detail);
    });
  }

  it('params and the authorizer only where declared', () => {
    assert.ok(!isCompileError(compile('params.x == 1', { params: true }, ['bool'])));
    assert.ok(
      !isCompileError(compile("authorizer.group('apps').resource('deployments').check('get').allowed()", { authorizer: true }, ['bool'])),
    );
    assert.ok(isCompileError(compile('authorizer.path("/x").check("get").allowed()', {}, ['bool'])));
  });
});

describe('ValidatingAdmissionPolicy: the Audit action', () => {
  it('annotates the request with validation_failure as kube marshals it (Go’s escapes), and admits', async () => {
    const policy: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'p', uid: 'u', resourceVersion: '1' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          matchPolicy: 'Equivalent',
          namespaceSelector: {},
          objectSelector: {},
          resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'], scope: '*' }],
        },
        validations: [{ expression: 'true' }, { expression: 'object.spec.replicas < 2' }],
        auditAnnotations: [{ key: 'replicas', valueExpression: 'string(object.spec.replicas)' }],
      },
    };
    const binding: KubeObject = { metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: ['Audit'] } };
    const plugin = new ValidatingAdmissionPolicy({
      snapshot: async () => ({ policies: [policy], bindings: [binding] }),
      namespace: async () => ({ metadata: { name: 'default' } }),
      namespaceLabels: async () => ({}),
      servedVersions: () => ['v1'],
      paramResource: () => undefined,
      getParam: async () => undefined,
      listParams: async () => [],
      authorize: async () => ({ decision: 'Allow', reason: '' }),
    });
    const annotations: Record<string, string> = {};
    const warnings: string[] = [];
    const a: AdmissionAttributes = {
      operation: 'CREATE',
      resource: {
        group: 'apps',
        version: 'v1',
        resource: 'deployments',
        kind: 'Deployment',
        namespaced: true,
      } as AdmissionAttributes['resource'],
      subresource: '',
      namespace: 'default',
      name: 'd',
      object: { metadata: { name: 'd' }, spec: { replicas: 3 } },
      dryRun: false,
      warn: (m) => warnings.push(m),
      annotate: (k, v) => (annotations[k] = v),
    };
    await plugin.validate(a);
    assert.deepEqual(warnings, []);
    assert.deepEqual(annotations, {
      'validation.policy.admission.k8s.io/validation_failure':
        '[{"message":"failed expression: object.spec.replicas \\u003c 2","policy":"p","binding":"b","expressionIndex":1,"validationActions":["Audit"]}]',
      'p/replicas': '3',
    });
  });
});

describe('policy matching: resource rules, exclusions and selectors', () => {
  const deps = {
    namespaceLabels: async (name: string) => (name === 'prod' ? { env: 'prod' } : name === 'dev' ? { env: 'dev' } : undefined),
    servedVersions: (group: string, resource: string) =>
      group === 'autoscaling' && resource === 'horizontalpodautoscalers' ? ['v2', 'v1'] : ['v1'],
  };
  const attrs = (
    over: Partial<AdmissionAttributes> & { group?: string; version?: string; res?: string; namespaced?: boolean },
  ): AdmissionAttributes => ({
    operation: 'CREATE',
    resource: {
      group: over.group ?? 'apps',
      version: over.version ?? 'v1',
      resource: over.res ?? 'deployments',
      kind: 'X',
      namespaced: over.namespaced ?? true,
    } as AdmissionAttributes['resource'],
    subresource: over.subresource ?? '',
    namespace: over.namespace ?? 'prod',
    name: over.name ?? 'd',
    object: over.object ?? { metadata: { name: 'd', labels: { app: 'web' } } },
    oldObject: over.oldObject,
    dryRun: false,
    warn: () => undefined,
    annotate: () => undefined,
    ...(over.operation && { operation: over.operation }),
  });
  const rule = (r: object) => ({ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'], ...r });
  const cases: [string, object, AdmissionAttributes, boolean][] = [
    ['the rule itself', { resourceRules: [rule({})] }, attrs({}), true],
    ['another operation', { resourceRules: [rule({})] }, attrs({ operation: 'UPDATE' }), false],
    ['a subresource the rule does not name', { resourceRules: [rule({})] }, attrs({ subresource: 'scale' }), false],
    [
      'deployments/* names every subresource',
      { resourceRules: [rule({ resources: ['deployments/*'] })] },
      attrs({ subresource: 'scale' }),
      true,
    ],
    ['*/scale', { resourceRules: [rule({ resources: ['*/scale'] })] }, attrs({ subresource: 'scale' }), true],
    ['* is no subresource', { resourceRules: [rule({ resources: ['*'] })] }, attrs({ subresource: 'status' }), false],
    ['*/* is everything', { resourceRules: [rule({ resources: ['*/*'] })] }, attrs({ subresource: 'status' }), true],
    ['scope Cluster leaves namespaced out', { resourceRules: [rule({ scope: 'Cluster' })] }, attrs({}), false],
    ['resourceNames', { resourceRules: [rule({ resourceNames: ['other'] })] }, attrs({}), false],
    ['excluded', { resourceRules: [rule({})], excludeResourceRules: [rule({ resourceNames: ['d'] })] }, attrs({}), false],
    ['namespaceSelector matches', { resourceRules: [rule({})], namespaceSelector: { matchLabels: { env: 'prod' } } }, attrs({}), true],
    [
      'namespaceSelector does not',
      { resourceRules: [rule({})], namespaceSelector: { matchLabels: { env: 'prod' } } },
      attrs({ namespace: 'dev' }),
      false,
    ],
    [
      'a cluster-scoped resource passes any namespaceSelector',
      { resourceRules: [rule({ apiGroups: [''], resources: ['nodes'] })], namespaceSelector: { matchLabels: { env: 'prod' } } },
      attrs({ group: '', res: 'nodes', namespace: '', namespaced: false }),
      true,
    ],
    [
      'objectSelector on the old object',
      { resourceRules: [rule({ operations: ['DELETE'] })], objectSelector: { matchLabels: { app: 'web' } } },
      attrs({ operation: 'DELETE', object: undefined, oldObject: { metadata: { labels: { app: 'web' } } } }),
      true,
    ],
    [
      'Equivalent: another served version of the resource',
      {
        matchPolicy: 'Equivalent',
        resourceRules: [rule({ apiGroups: ['autoscaling'], apiVersions: ['v1'], resources: ['horizontalpodautoscalers'] })],
      },
      attrs({ group: 'autoscaling', version: 'v2', res: 'horizontalpodautoscalers' }),
      true,
    ],
    [
      'Exact: only the version requested',
      {
        matchPolicy: 'Exact',
        resourceRules: [rule({ apiGroups: ['autoscaling'], apiVersions: ['v1'], resources: ['horizontalpodautoscalers'] })],
      },
      attrs({ group: 'autoscaling', version: 'v2', res: 'horizontalpodautoscalers' }),
      false,
    ],
  ];
  for (const [title, mr, a, want] of cases) {
    it(`${title}: ${want ? 'matches' : 'does not match'}`, async () => {
      assert.equal(await matchResources(mr, a, deps, true), want);
    });
  }
});
