// ValidatingAdmissionPolicy end to end: policies and bindings written through kubectl and HTTP, enforced on the next
// writes (after the plugin's watch has seen them: each test waits for a probe to be refused rather than sleeping),
// with kube's messages as kubectl prints them; params from a ConfigMap, Warn and Audit actions, messageExpression, a
// policy whose CEL does not compile refused at create, and a policy written through one kgate enforced by another
// on the same etcd.
import assert from 'node:assert/strict';
import { startEtcd, type EtcdProcess } from '../support/etcd.js';
import { startKgate, type Kgate } from '../support/kgate.js';

const POLICIES = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const BINDINGS = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const RULES = [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }];

function deploymentYaml(name: string, replicas: number, labels: Record<string, string> = {}): string {
  const labelLines = Object.entries(labels)
    .map(([k, v]) => `    ${k}: "${v}"\n`)
    .join('');
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: default\n` +
    (labelLines ? `  labels:\n${labelLines}` : '') +
    `spec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n` +
    `    spec:\n      containers:\n      - name: c\n        image: busybox\n`
  );
}

const deployment = (name: string, replicas: number, labels: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
  },
});

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

/** Dry-run creates `body` until the answer has `status`; the plugin's watch delivers policies shortly after a write. */
async function waitForStatus(kg: Kgate, body: object, status: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await kg.request('POST', `${DEPLOYMENTS}?dryRun=All`, { body });
    if (res.status === status) return res;
    if (Date.now() > deadline) assert.fail(`expected ${status}, last answer ${res.status} ${res.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function create(kg: Kgate, path: string, body: object) {
  const res = await kg.request('POST', path, { body });
  assert.equal(res.status, 201, res.text);
}

describe('ValidatingAdmissionPolicy', function () {
  this.timeout(120_000);
  let etcd: EtcdProcess;
  let kg: Kgate;

  before(async () => {
    etcd = await startEtcd();
    kg = await startKgate({ etcd });
  });
  after(async () => {
    await kg?.close();
    await etcd?.stop();
  });

  it('a policy `object.spec.replicas <= 5` with a binding denies 6 replicas through kubectl apply with its message and allows 5', async () => {
    const manifest =
      `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: max-replicas\nspec:\n` +
      `  matchConstraints:\n    resourceRules:\n    - apiGroups: ["apps"]\n      apiVersions: ["v1"]\n      operations: ["CREATE", "UPDATE"]\n` +
      `      resources: ["deployments"]\n  validations:\n  - expression: "object.spec.replicas <= 5"\n---\n` +
      `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: max-replicas-binding\nspec:\n` +
      `  policyName: max-replicas\n  validationActions: [Deny]\n  matchResources:\n    objectSelector:\n      matchLabels:\n        limited: "yes"\n`;
    const applied = await kg.kubectl(['apply', '-f', '-'], { input: manifest });
    assert.match(applied.stdout, /validatingadmissionpolicy.admissionregistration.k8s.io\/max-replicas created/);
    await waitForStatus(kg, deployment('probe', 6, { limited: 'yes' }), 422);

    const denied = await kg.kubectl(['apply', '-f', '-'], { input: deploymentYaml('web', 6, { limited: 'yes' }), allowFail: true });
    assert.notEqual(denied.code, 0);
    assert.equal(
      denied.stderr.trim(),
      // kubectl prints an Invalid Status with causes as `The <kind> "<name>" is invalid: <field>: <message>`.
      'The deployments "web" is invalid: : ' +
        "ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: " +
        'failed expression: object.spec.replicas <= 5',
    );
    assert.equal((await kg.request('GET', `${DEPLOYMENTS}/web`)).status, 404, 'nothing was written');

    const allowed = await kg.kubectl(['apply', '-f', '-'], { input: deploymentYaml('web', 5, { limited: 'yes' }) });
    assert.match(allowed.stdout, /deployment.apps\/web created/);
    // An update past the limit is refused too; objects the binding does not select are not, nor the scale
    // subresource, which the rule (`deployments`, not `deployments/scale`) does not name.
    const patched = await kg.kubectl(['patch', 'deployment/web', '-p', '{"spec":{"replicas":7}}'], { allowFail: true });
    assert.match(patched.stderr, /denied request: failed expression: object.spec.replicas <= 5/);
    await kg.kubectl(['scale', 'deployment/web', '--replicas=7']);
    await create(kg, DEPLOYMENTS, deployment('unlimited', 9));

    const listed = await kg.kubectl(['get', 'validatingadmissionpolicies,validatingadmissionpolicybindings']);
    assert.match(listed.stdout, /max-replicas\s+1\s+<unset>\s+\S+/);
    assert.match(listed.stdout, /max-replicas-binding\s+max-replicas\s+<unset>\s+\S+/);
  });

  it('a policy whose expression does not compile is refused at create with 422 and cel-go’s message, and nothing is stored', async () => {
    const res = await kg.request('POST', POLICIES, {
      body: policy('broken', { matchConstraints: { resourceRules: RULES }, validations: [{ expression: 'object.spec.replicas <= foo' }] }),
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
    assert.equal(
      res.body.message,
      'ValidatingAdmissionPolicy.admissionregistration.k8s.io "broken" is invalid: spec.validations[0].expression: Invalid value: ' +
        `"object.spec.replicas <= foo": compilation failed: ERROR: <input>:1:25: undeclared reference to 'foo' (in container '')\n` +
        ' | object.spec.replicas <= foo\n | ........................^',
    );
    assert.equal((await kg.request('GET', `${POLICIES}/broken`)).status, 404);
    const applied = await kg.kubectl(['apply', '-f', '-'], {
      allowFail: true,
      input:
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: broken\nspec:\n' +
        '  matchConstraints:\n    resourceRules:\n    - apiGroups: ["apps"]\n      apiVersions: ["v1"]\n      operations: ["CREATE"]\n' +
        '      resources: ["deployments"]\n  validations:\n  - expression: "object.spec.replicas <<= 5"\n',
    });
    assert.notEqual(applied.code, 0);
    assert.match(
      applied.stderr,
      /The ValidatingAdmissionPolicy "broken" is invalid: spec.validations\[0\].expression: Invalid value: "object.spec.replicas <<= 5": compilation failed: ERROR: <input>:1:23: Syntax error: /,
    );
    const typed = await kg.request('POST', POLICIES, {
      body: policy('not-bool', { matchConstraints: { resourceRules: RULES }, validations: [{ expression: 'object.spec.replicas' }] }),
    });
    assert.equal(typed.status, 422);
    assert.match(
      typed.body.message,
      /spec.validations\[0\].expression: Invalid value: "object.spec.replicas": must evaluate to bool but got dyn/,
    );
  });

  it('params from a ConfigMap, variables and messageExpression: Deny with the policy’s reason and computed message', async () => {
    await create(kg, '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'replica-limit' },
      data: { max: '3' },
    });
    await create(
      kg,
      POLICIES,
      policy('param-limit', {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: { resourceRules: RULES, objectSelector: { matchLabels: { tier: 'param' } } },
        variables: [{ name: 'max', expression: 'int(params.data.max)' }],
        validations: [
          {
            expression: 'object.spec.replicas <= variables.max',
            messageExpression: "'replicas ' + string(object.spec.replicas) + ' exceed the limit of ' + params.data.max",
            reason: 'Forbidden',
          },
        ],
      }),
    );
    await create(
      kg,
      BINDINGS,
      binding('param-limit', {
        policyName: 'param-limit',
        validationActions: ['Deny'],
        paramRef: { name: 'replica-limit', parameterNotFoundAction: 'Deny' },
      }),
    );
    const res = await waitForStatus(kg, deployment('p4', 4, { tier: 'param' }), 403);
    assert.equal(res.body.reason, 'Forbidden');
    assert.equal(
      res.body.message,
      "deployments.apps \"p4\" is forbidden: ValidatingAdmissionPolicy 'param-limit' with binding 'param-limit' denied request: " +
        'replicas 4 exceed the limit of 3',
    );
    assert.equal((await kg.request('POST', `${DEPLOYMENTS}?dryRun=All`, { body: deployment('p3', 3, { tier: 'param' }) })).status, 201);
    // A missing param with parameterNotFoundAction Deny refuses the request.
    await create(
      kg,
      BINDINGS,
      binding('param-missing', {
        policyName: 'param-limit',
        validationActions: ['Deny'],
        paramRef: { name: 'nowhere', parameterNotFoundAction: 'Deny' },
        matchResources: { objectSelector: { matchLabels: { missing: 'yes' } } },
      }),
    );
    const missing = await waitForStatus(kg, deployment('p1', 1, { tier: 'param', missing: 'yes' }), 422);
    assert.equal(
      missing.body.message,
      "deployments.apps \"p1\" is forbidden: ValidatingAdmissionPolicy 'param-limit' with binding 'param-missing' denied request: " +
        'failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction',
    );
  });

  it('Warn returns a Warning header and admits; Audit admits without a warning', async () => {
    await create(
      kg,
      POLICIES,
      policy('warn-limit', {
        matchConstraints: { resourceRules: RULES, objectSelector: { matchLabels: { tier: 'warn' } } },
        validations: [{ expression: 'object.spec.replicas <= 2', message: 'at most two replicas' }],
      }),
    );
    await create(kg, BINDINGS, binding('warn-limit', { policyName: 'warn-limit', validationActions: ['Warn', 'Audit'] }));
    const deadline = Date.now() + 30_000;
    let warning: string | undefined;
    while (!warning) {
      const res = await kg.request('POST', `${DEPLOYMENTS}?dryRun=All`, { body: deployment('w3', 3, { tier: 'warn' }) });
      assert.equal(res.status, 201, res.text);
      warning = res.headers.warning as string | undefined;
      if (!warning && Date.now() > deadline) assert.fail('no Warning header');
    }
    assert.equal(
      warning,
      `299 - "Validation failed for ValidatingAdmissionPolicy 'warn-limit' with binding 'warn-limit': at most two replicas"`,
    );
    const applied = await kg.kubectl(['apply', '-f', '-'], { input: deploymentYaml('w3', 3, { tier: 'warn' }) });
    assert.match(
      applied.stderr,
      /Warning: Validation failed for ValidatingAdmissionPolicy 'warn-limit' with binding 'warn-limit': at most two replicas/,
    );

    // Bindings refuse unconditional updates (AllowUnconditionalUpdate false); a patch carries the stored version.
    const put = await kg.request('PUT', `${BINDINGS}/warn-limit`, {
      body: binding('warn-limit', { policyName: 'warn-limit', validationActions: ['Audit'] }),
    });
    assert.equal(put.status, 422);
    assert.equal(
      put.body.message,
      'validatingadmissionpolicybindings.admissionregistration.k8s.io "warn-limit" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
    const patched = await kg.request('PATCH', `${BINDINGS}/warn-limit`, {
      body: { spec: { validationActions: ['Audit'] } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(patched.status, 200, patched.text);
    const until = Date.now() + 30_000;
    for (;;) {
      const res = await kg.request('POST', `${DEPLOYMENTS}?dryRun=All`, { body: deployment('w4', 4, { tier: 'warn' }) });
      assert.equal(res.status, 201, res.text);
      if (res.headers.warning === undefined) break;
      if (Date.now() > until) assert.fail('the Audit-only binding still warns');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('a policy written through one kgate is enforced by another on the same etcd, and its removal too', async () => {
    const other = await startKgate({ etcd });
    try {
      await create(
        other,
        POLICIES,
        policy('cross', {
          matchConstraints: { resourceRules: RULES, objectSelector: { matchLabels: { tier: 'cross' } } },
          validations: [{ expression: "object.metadata.name.startsWith('ok-')", message: 'names start with ok-' }],
        }),
      );
      await create(other, BINDINGS, binding('cross', { policyName: 'cross', validationActions: ['Deny'] }));
      const res = await waitForStatus(kg, deployment('bad-name', 1, { tier: 'cross' }), 422);
      assert.match(res.body.message, /ValidatingAdmissionPolicy 'cross' with binding 'cross' denied request: names start with ok-$/);
      assert.equal(
        (await kg.request('POST', `${DEPLOYMENTS}?dryRun=All`, { body: deployment('ok-name', 1, { tier: 'cross' }) })).status,
        201,
      );
      assert.equal((await other.request('DELETE', `${BINDINGS}/cross`)).status, 200);
      await waitForStatus(kg, deployment('bad-name', 1, { tier: 'cross' }), 201);
    } finally {
      await other.close();
    }
  });
});
