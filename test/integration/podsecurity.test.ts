// PodSecurity over HTTP and through kubectl, on by default as in kube: a namespace labelled
// pod-security.kubernetes.io/enforce=restricted refuses a privileged Pod with kube's 403 and stores nothing; warn
// answers with a Warning header that kubectl prints; Deployments are warned, not refused; invalid labels are
// refused; a stricter enforce label warns about the pods already there; the plugin can be disabled.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';

const PS = 'pod-security.kubernetes.io';
const PRIVILEGED_DETAIL =
  'privileged (container "c" must not set securityContext.privileged=true), ' +
  'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
  'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ' +
  'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ' +
  'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

const namespace = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const privilegedPod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
});
const yaml = (obj: object) => JSON.stringify(obj);

describe('PodSecurity admission', function () {
  this.timeout(120_000);
  let kg: Kgate;
  before(async () => {
    kg = await startKgate();
    for (const ns of [
      namespace('restricted', { [`${PS}/enforce`]: 'restricted' }),
      namespace('warned', { [`${PS}/warn`]: 'restricted' }),
      namespace('open'),
    ]) {
      const res = await kg.request('POST', '/api/v1/namespaces', { body: ns });
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    await kg?.close();
  });

  it('restricted refuses a privileged Pod with kube’s 403, and nothing is stored', async () => {
    const res = await kg.request('POST', '/api/v1/namespaces/restricted/pods', { body: privilegedPod('x') });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `pods "x" is forbidden: violates PodSecurity "restricted:latest": ${PRIVILEGED_DETAIL}`,
      reason: 'Forbidden',
      details: { name: 'x', kind: 'pods' },
      code: 403,
    });
    assert.equal(res.headers.warning, undefined);
    assert.equal((await kg.request('GET', '/api/v1/namespaces/restricted/pods/x')).status, 404);
  });

  it('warn creates the Pod and returns kube’s Warning header', async () => {
    const res = await kg.request('POST', '/api/v1/namespaces/warned/pods', { body: privilegedPod('x') });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.warning, `299 - ${JSON.stringify(`would violate PodSecurity "restricted:latest": ${PRIVILEGED_DETAIL}`)}`);
  });

  it('a warning naming characters a header cannot carry does not fail the request', async () => {
    const pod = privilegedPod('cyrillic');
    pod.spec.containers[0].securityContext = { capabilities: { add: ['Ж'] } } as never;
    const res = await kg.request('POST', '/api/v1/namespaces/warned/pods', { body: pod });
    assert.equal(res.status, 201, res.text);
    assert.match(String(res.headers.warning), /must not include \\"\\u0416\\" in securityContext\.capabilities\.add/);
  });

  it('kubectl apply prints the warning, and the refusal', async () => {
    const warned = await kg.kubectl(['apply', '-n', 'warned', '-f', '-'], { input: yaml(privilegedPod('y')) });
    assert.equal(warned.stdout, 'pod/y created\n');
    assert.equal(warned.stderr, `Warning: would violate PodSecurity "restricted:latest": ${PRIVILEGED_DETAIL}\n`);

    const refused = await kg.kubectl(['apply', '-n', 'restricted', '-f', '-'], { input: yaml(privilegedPod('y')), allowFail: true });
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      `Error from server (Forbidden): error when creating "STDIN": pods "y" is forbidden: violates PodSecurity "restricted:latest": ${PRIVILEGED_DETAIL}\n`,
    );
  });

  it('a Deployment whose template violates restricted is created under enforce, with a warning', async () => {
    const res = await kg.kubectl(['create', 'deployment', 'd', '-n', 'restricted', '--image=busybox']);
    assert.equal(res.stdout, 'deployment.apps/d created\n');
    assert.equal(
      res.stderr,
      'Warning: would violate PodSecurity "restricted:latest": ' +
        'allowPrivilegeEscalation != false (container "busybox" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "busybox" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "busybox" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "busybox" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")\n',
    );
  });

  it('kubectl label: an invalid level is refused; a stricter enforce level warns about existing pods', async () => {
    const bad = await kg.kubectl(['label', 'namespace', 'open', `${PS}/enforce=strict`], { allowFail: true });
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr,
      `The Namespace "open" is invalid: metadata.labels[${PS}/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted\n`,
    );

    for (const name of ['b', 'a']) {
      const res = await kg.request('POST', '/api/v1/namespaces/open/pods', { body: privilegedPod(name) });
      assert.equal(res.status, 201, res.text);
    }
    const labelled = await kg.kubectl(['label', 'namespace', 'open', `${PS}/enforce=baseline`]);
    assert.equal(labelled.stdout, 'namespace/open labeled\n');
    assert.equal(
      labelled.stderr,
      'Warning: existing pods in namespace "open" violate the new PodSecurity enforce level "baseline:latest"\n' +
        'Warning: a (and 1 other pod): privileged\n',
    );
    // The pods stay; only a change of image is checked again.
    const relabel = await kg.request('PATCH', '/api/v1/namespaces/open/pods/a', {
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { labels: { touched: 'yes' } } },
    });
    assert.equal(relabel.status, 200, relabel.text);
    const image = await kg.request('PATCH', '/api/v1/namespaces/open/pods/a', {
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: { spec: { containers: [{ name: 'c', image: 'busybox:2' }] } },
    });
    assert.equal(image.status, 403, image.text);
    assert.equal(
      image.body.message,
      'pods "a" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)',
    );
  });

  it('--disable-admission-plugins=PodSecurity lets the privileged Pod in', async () => {
    const plain = await startKgate({ etcd: kg.etcd, prefix: '/podsecurity-off', flags: ['--disable-admission-plugins=PodSecurity'] });
    try {
      const ns = await plain.request('POST', '/api/v1/namespaces', { body: namespace('restricted', { [`${PS}/enforce`]: 'restricted' }) });
      assert.equal(ns.status, 201, ns.text);
      const res = await plain.request('POST', '/api/v1/namespaces/restricted/pods', { body: privilegedPod('x') });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.headers.warning, undefined);
    } finally {
      await plain.close();
    }
  });
});
