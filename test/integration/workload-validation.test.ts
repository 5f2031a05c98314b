// Issue 10's Pod and workload examples through HTTP: each invalid create is a 422 whose Status is byte for byte the
// one kube-apiserver v1.34.4 wrote for the same body (recorded from the reference), and nothing is stored; a few
// updates get kube's update rules. The wider rule set is covered by test/unit/validation-workloads.test.ts.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const PODS = '/api/v1/namespaces/default/pods';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const STATEFULSETS = '/apis/apps/v1/namespaces/default/statefulsets';
const JOBS = '/apis/batch/v1/namespaces/default/jobs';
const LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

interface Cause {
  reason: string;
  message: string;
  field: string;
}

/** kube's Status for an Invalid error, members in the order kube-apiserver writes them. */
function invalidStatus(kind: string, group: string, name: string, causes: Cause[]): string {
  const rendered = causes.map((c) => `${c.field}: ${c.message}`);
  const list = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const qualified = group ? `${kind}.${group}` : kind;
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${qualified} "${name}" is invalid: ${list}`,
    reason: 'Invalid',
    details: { name, ...(group ? { group } : {}), kind, causes },
    code: 422,
  });
}

const deployment = (name: string, spec: Record<string, unknown>) => ({
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'a' } },
    template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    ...spec,
  },
});

describe('Pod and workload validation over HTTP', function () {
  this.timeout(60_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate();
  });
  after(async () => kg?.close());

  const creates: Array<[string, string, Record<string, any>, string, string, Cause[]]> = [
    [
      'a container port of 70000',
      PODS,
      { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 70000 }] }] } },
      'Pod',
      '',
      [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
          field: 'spec.containers[0].ports[0].containerPort',
        },
      ],
    ],
    [
      'a container named Bad_Name',
      PODS,
      { metadata: { name: 'p2' }, spec: { containers: [{ name: 'Bad_Name', image: 'nginx' }] } },
      'Pod',
      '',
      [{ reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${LABEL_RULE}`, field: 'spec.containers[0].name' }],
    ],
    [
      'CPU requests above CPU limits',
      PODS,
      {
        metadata: { name: 'p3' },
        spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] },
      },
      'Pod',
      '',
      [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "2": must be less than or equal to cpu limit of 1',
          field: 'spec.containers[0].resources.requests',
        },
      ],
    ],
    [
      'a Deployment with replicas -1 whose selector does not match its template',
      DEPLOYMENTS,
      deployment('d1', { replicas: -1, selector: { matchLabels: { app: 'b' } } }),
      'Deployment',
      'apps',
      [
        { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: {"app":"a"}: `selector` does not match template `labels`',
          field: 'spec.template.metadata.labels',
        },
      ],
    ],
  ];
  for (const [what, path, body, kind, group, causes] of creates) {
    it(`${what} is kube's 422, every cause listed, and nothing is stored`, async () => {
      const r = await kg.request('POST', path, { body });
      assert.equal(r.status, 422, r.text);
      assert.equal(r.text.trimEnd(), invalidStatus(kind, group, body.metadata.name, causes));
      assert.equal((await kg.request('GET', `${path}/${body.metadata.name}`)).status, 404);
    });
  }

  it('a Deployment update lists the new spec’s faults and then the changed selector', async () => {
    assert.equal((await kg.request('POST', DEPLOYMENTS, { body: deployment('u1', {}) })).status, 201);
    const r = await kg.request('PUT', `${DEPLOYMENTS}/u1`, {
      body: deployment('u1', { replicas: -1, selector: { matchLabels: { app: 'b' } } }),
    });
    assert.equal(r.status, 422, r.text);
    assert.equal(
      r.body.message,
      'Deployment.apps "u1" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, ' +
        'spec.template.metadata.labels: Invalid value: {"app":"a"}: `selector` does not match template `labels`, ' +
        'spec.selector: Invalid value: {"matchLabels":{"app":"b"}}: field is immutable]',
    );
    assert.equal((await kg.request('GET', `${DEPLOYMENTS}/u1`)).body.spec.replicas, 1);
  });

  it('a StatefulSet update may change replicas but not serviceName', async () => {
    assert.equal((await kg.request('POST', STATEFULSETS, { body: deployment('u2', { serviceName: 'svc' }) })).status, 201);
    const r = await kg.request('PUT', `${STATEFULSETS}/u2`, { body: deployment('u2', { serviceName: 'other', replicas: 3 }) });
    assert.equal(r.status, 422, r.text);
    assert.equal(
      r.body.message,
      'StatefulSet.apps "u2" is invalid: spec: Forbidden: updates to statefulset spec for fields other than ' +
        "'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
    const ok = await kg.request('PUT', `${STATEFULSETS}/u2`, { body: deployment('u2', { serviceName: 'svc', replicas: 3 }) });
    assert.equal(ok.status, 200, ok.text);
  });

  it('a Job’s template is immutable unless the Job is suspended and never started, when scheduling may change', async () => {
    const job = (name: string, suspend: boolean, podSpec: Record<string, unknown>) => ({
      metadata: { name },
      spec: {
        suspend,
        manualSelector: true,
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }], ...podSpec },
        },
      },
    });
    assert.equal((await kg.request('POST', JOBS, { body: job('j1', false, {}) })).status, 201);
    const r = await kg.request('PUT', `${JOBS}/j1`, { body: job('j1', false, { nodeSelector: { a: 'b' } }) });
    assert.equal(r.status, 422, r.text);
    // kube renders the value as its internal Go struct; the field, reason and detail are kube's.
    assert.deepEqual(
      r.body.details.causes.map((c: Cause) => [c.field, c.reason, c.message.endsWith(': field is immutable')]),
      [['spec.template', 'FieldValueInvalid', true]],
    );
    assert.equal((await kg.request('POST', JOBS, { body: job('j2', true, {}) })).status, 201);
    const ok = await kg.request('PUT', `${JOBS}/j2`, {
      body: job('j2', true, { nodeSelector: { a: 'b' }, tolerations: [{ key: 'k', operator: 'Exists' }] }),
    });
    assert.equal(ok.status, 200, ok.text);
  });

  it('a Pod update that adds a container is forbidden', async () => {
    const pod = { metadata: { name: 'u5' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    assert.equal((await kg.request('POST', PODS, { body: pod })).status, 201);
    const r = await kg.request('PUT', `${PODS}/u5`, {
      body: { ...pod, spec: { containers: [...pod.spec.containers, { name: 'd', image: 'x' }] } },
    });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.message, 'Pod "u5" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers');
  });
});
