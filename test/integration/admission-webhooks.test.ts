// Dynamic admission webhooks end to end: Mutating- and ValidatingWebhookConfigurations served with kube's defaults
// and validation, and the MutatingAdmissionWebhook / ValidatingAdmissionWebhook plugins calling real HTTPS webhooks
// this test starts on loopback (by URL and through a Service's EndpointSlice), with namespace and object selectors,
// match conditions, failure policies against webhooks that hang, are unreachable, present a certificate the
// caBundle does not trust or answer garbage, dry runs, warnings through kubectl, and a configuration written
// through one kgate process enforced by another on the same etcd.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startKgate, type Kgate } from '../support/kgate.js';
import { externalIPv4, startAdmissionWebhook, webhookConfiguration, type AdmissionWebhookServer } from '../support/admission-webhook.js';

const execFileAsync = promisify(execFile);
const REG = '/apis/admissionregistration.k8s.io/v1';
const MUTATING = `${REG}/mutatingwebhookconfigurations`;
const VALIDATING = `${REG}/validatingwebhookconfigurations`;
const CM = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;

const configMap = (name: string, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: labels ? { name, labels } : { name },
  data: { k: 'v' },
});

describe('admission webhooks', function () {
  this.timeout(180_000);
  let kg: Kgate;
  let hooks: AdmissionWebhookServer;
  /** A second server whose CA the first's caBundle does not name. */
  let stranger: AdmissionWebhookServer;
  const created: string[] = [];

  before(async () => {
    [kg, hooks, stranger] = await Promise.all([startKgate(), startAdmissionWebhook(), startAdmissionWebhook()]);
    for (const ns of ['webhooks', 'quiet']) {
      const res = await kg.request('POST', '/api/v1/namespaces', {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { webhooks: ns === 'webhooks' ? 'on' : 'off' } } },
      });
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    await Promise.all([kg?.close(), hooks?.close(), stranger?.close()]);
  });
  afterEach(async () => {
    for (const path of created.splice(0)) await kg.request('DELETE', path);
  });

  /** Creates a configuration through kgate and remembers it for clean-up. */
  async function configure(config: Record<string, any>): Promise<any> {
    const collection = config.kind === 'MutatingWebhookConfiguration' ? MUTATING : VALIDATING;
    const res = await kg.request('POST', collection, { body: config });
    assert.equal(res.status, 201, res.text);
    created.push(`${collection}/${config.metadata.name}`);
    return res.body;
  }

  const url = (server: AdmissionWebhookServer, path: string) => ({ url: `${server.url}${path}`, caBundle: server.caBundle });

  describe('the configuration resources', () => {
    it('a MutatingWebhookConfiguration gets kube’s defaults and generation 1', async () => {
      const body = await configure(webhookConfiguration('MutatingWebhookConfiguration', 'defaults', url(hooks, '/allow')));
      const hook = body.webhooks[0];
      assert.equal(body.metadata.generation, 1);
      assert.equal(hook.failurePolicy, 'Fail');
      assert.equal(hook.matchPolicy, 'Equivalent');
      assert.deepEqual(hook.namespaceSelector, {});
      assert.deepEqual(hook.objectSelector, {});
      assert.equal(hook.timeoutSeconds, 10);
      assert.equal(hook.reinvocationPolicy, 'Never');
      assert.equal(hook.rules[0].scope, '*');
    });

    it('a Service clientConfig gets port 443, and kubectl lists configurations with their WEBHOOKS count', async () => {
      await configure(
        webhookConfiguration('ValidatingWebhookConfiguration', 'listed', { service: { namespace: 'webhooks', name: 'hooks' } }),
      );
      const got = await kg.request('GET', `${VALIDATING}/listed`);
      assert.equal(got.body.webhooks[0].clientConfig.service.port, 443);
      assert.equal(got.body.webhooks[0].reinvocationPolicy, undefined);
      const { stdout } = await kg.kubectl(['get', 'validatingwebhookconfigurations']);
      assert.match(stdout, /^NAME\s+WEBHOOKS\s+AGE\n/);
      assert.match(stdout, /\nlisted\s+1\s+\d+s\n/);
    });

    it('kubectl applies a configuration, client-side and server-side, and changes it', async () => {
      const config = webhookConfiguration('ValidatingWebhookConfiguration', 'applied', url(hooks, '/allow'));
      created.push(`${VALIDATING}/applied`);
      const first = await kg.kubectl(['apply', '-f', '-'], { input: JSON.stringify(config) });
      assert.match(first.stdout, /validatingwebhookconfiguration.admissionregistration.k8s.io\/applied created/);
      (config.webhooks as any[])[0].timeoutSeconds = 3;
      const second = await kg.kubectl(['apply', '-f', '-'], { input: JSON.stringify(config) });
      assert.match(second.stdout, /applied configured/);
      (config.webhooks as any[])[0].timeoutSeconds = 4;
      const third = await kg.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: JSON.stringify(config) });
      assert.match(third.stdout, /applied serverside-applied/);
      const { stdout } = await kg.kubectl([
        'get',
        'validatingwebhookconfiguration',
        'applied',
        '-o',
        'jsonpath={.webhooks[0].timeoutSeconds} {.metadata.generation}',
      ]);
      assert.equal(stdout, '4 3');
    });

    it('an invalid configuration is 422 with kube’s field errors, and nothing is stored', async () => {
      const bad = webhookConfiguration(
        'ValidatingWebhookConfiguration',
        'bad',
        { url: 'http://user@example.com/x?q=1' },
        { name: 'short' },
      );
      delete (bad.webhooks as any[])[0].sideEffects;
      const res = await kg.request('POST', VALIDATING, { body: bad });
      assert.equal(res.status, 422, res.text);
      assert.equal(
        res.body.message,
        'ValidatingWebhookConfiguration.admissionregistration.k8s.io "bad" is invalid: [' +
          'webhooks[0].name: Invalid value: "short": should be a domain with at least three segments separated by dots, ' +
          'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun, ' +
          `webhooks[0].clientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path], ` +
          'webhooks[0].clientConfig.url: Invalid value: "user": user information is not permitted in the URL, ' +
          'webhooks[0].clientConfig.url: Invalid value: "q=1": query parameters are not permitted in the URL]',
      );
      assert.equal((await kg.request('GET', `${VALIDATING}/bad`)).status, 404);
    });

    it('a match condition that does not compile, a duplicate webhook name and both url and service are refused', async () => {
      const config = webhookConfiguration('MutatingWebhookConfiguration', 'bad-cel', url(hooks, '/allow'), {
        matchConditions: [{ name: 'broken', expression: 'object.metadata.name ==' }],
      });
      const twin = structuredClone((config.webhooks as any[])[0]);
      twin.clientConfig = { url: 'https://example.com', service: { namespace: 'a', name: 'b' } };
      twin.matchConditions = [];
      (config.webhooks as any[]).push(twin);
      const res = await kg.request('POST', MUTATING, { body: config });
      assert.equal(res.status, 422, res.text);
      const fields = res.body.details.causes.map((c: any) => `${c.reason} ${c.field}`);
      assert.deepEqual(fields, [
        'FieldValueInvalid webhooks[0].matchConditions[0].expression',
        'FieldValueRequired webhooks[1].clientConfig',
        'FieldValueDuplicate webhooks[1].name',
      ]);
      assert.match(res.body.details.causes[0].message, /^Invalid value: "object.metadata.name ==": compilation failed: /);
    });

    it('a PUT without metadata.resourceVersion is refused, and changing the webhooks bumps generation', async () => {
      const body = await configure(webhookConfiguration('ValidatingWebhookConfiguration', 'generations', url(hooks, '/allow')));
      const { resourceVersion: _rv, ...metadata } = body.metadata;
      const unconditional = await kg.request('PUT', `${VALIDATING}/generations`, { body: { ...body, metadata } });
      assert.equal(unconditional.status, 422, unconditional.text);
      assert.match(unconditional.body.message, /metadata.resourceVersion: Invalid value: .*must be specified for an update/);
      body.webhooks[0].timeoutSeconds = 5;
      const updated = await kg.request('PUT', `${VALIDATING}/generations`, { body });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.metadata.generation, 2);
    });
  });

  describe('calling webhooks', () => {
    it('a mutating webhook adds a label by JSONPatch: in the answer and in etcd', async () => {
      await configure(webhookConfiguration('MutatingWebhookConfiguration', 'add-label', url(hooks, '/add-label')));
      const res = await kg.request('POST', CM('webhooks'), { body: configMap('patched') });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.metadata.labels, { 'webhook-added': 'yes' });
      const { stdout } = await execFileAsync('etcdctl', [
        '--endpoints',
        kg.etcd.endpoint,
        'get',
        '/registry/configmaps/webhooks/patched',
        '--print-value-only',
      ]);
      assert.deepEqual(JSON.parse(stdout).metadata.labels, { 'webhook-added': 'yes' });
      const review = hooks.reviews.get('/add-label')!.at(-1);
      assert.equal(review.apiVersion, 'admission.k8s.io/v1');
      assert.deepEqual(review.request.kind, { group: '', version: 'v1', kind: 'ConfigMap' });
      assert.deepEqual(review.request.resource, { group: '', version: 'v1', resource: 'configmaps' });
      assert.equal(review.request.operation, 'CREATE');
      assert.equal(review.request.namespace, 'webhooks');
      assert.equal(review.request.name, 'patched');
      assert.equal(review.request.dryRun, false);
      assert.equal(review.request.object.metadata.name, 'patched');
      assert.equal(review.request.oldObject, null);
      assert.equal(review.request.options.kind, 'CreateOptions');
    });

    it('a validating webhook refuses a bad object with its message and status; nothing is written', async () => {
      await configure(webhookConfiguration('ValidatingWebhookConfiguration', 'deny-bad', url(hooks, '/deny-bad')));
      const res = await kg.request('POST', CM('webhooks'), { body: configMap('bad', { bad: 'true' }) });
      assert.equal(res.status, 403, res.text);
      assert.deepEqual(res.body, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'admission webhook "deny-bad.kgate.test" denied the request: objects labelled bad=true are not allowed here',
        reason: 'Forbidden',
        code: 403,
      });
      assert.equal((await kg.request('GET', `${CM('webhooks')}/bad`)).status, 404);
      const good = await kg.request('POST', CM('webhooks'), { body: configMap('good') });
      assert.equal(good.status, 201, good.text);
    });

    it('a denial without a status is kube’s 400 "without explanation"', async () => {
      await configure(webhookConfiguration('ValidatingWebhookConfiguration', 'deny-plain', url(hooks, '/deny-plain')));
      const res = await kg.request('POST', CM('webhooks'), { body: configMap('plain') });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.message, 'admission webhook "deny-plain.kgate.test" denied the request without explanation');
    });

    it('namespaceSelector and objectSelector pick what a webhook sees', async () => {
      await configure(
        webhookConfiguration('ValidatingWebhookConfiguration', 'selected', url(hooks, '/deny-plain'), {
          namespaceSelector: { matchLabels: { webhooks: 'on' } },
          objectSelector: { matchExpressions: [{ key: 'checked', operator: 'Exists' }] },
        }),
      );
      // Matching namespace and labels: refused.
      assert.equal((await kg.request('POST', CM('webhooks'), { body: configMap('sel-1', { checked: 'x' }) })).status, 400);
      // Another namespace, or no `checked` label: not called.
      assert.equal((await kg.request('POST', CM('quiet'), { body: configMap('sel-2', { checked: 'x' }) })).status, 201);
      assert.equal((await kg.request('POST', CM('webhooks'), { body: configMap('sel-3') })).status, 201);
      // An update matches on the old object's labels too.
      const update = await kg.request('PUT', `${CM('webhooks')}/sel-3`, { body: configMap('sel-3', { checked: 'now' }) });
      assert.equal(update.status, 400, update.text);
    });

    it('matchConditions decide with CEL over the object and the request', async () => {
      await configure(
        webhookConfiguration('ValidatingWebhookConfiguration', 'conditions', url(hooks, '/deny-plain'), {
          matchConditions: [
            { name: 'named-deny', expression: "object.metadata.name.startsWith('deny-')" },
            { name: 'not-admin', expression: "request.userInfo.username != 'nobody'" },
          ],
        }),
      );
      assert.equal((await kg.request('POST', CM('webhooks'), { body: configMap('deny-me') })).status, 400);
      assert.equal((await kg.request('POST', CM('webhooks'), { body: configMap('allow-me') })).status, 201);
    });

    it('a webhook that hangs: failurePolicy Fail is kube’s 500 after timeoutSeconds; Ignore lets the write through', async () => {
      await configure(
        webhookConfiguration('ValidatingWebhookConfiguration', 'hang-fail', url(hooks, '/hang'), {
          timeoutSeconds: 1,
          objectSelector: { matchLabels: { policy: 'fail' } },
        }),
      );
      await configure(
        webhookConfiguration('ValidatingWebhookConfiguration', 'hang-ignore', url(hooks, '/hang'), {
          timeoutSeconds: 1,
          failurePolicy: 'Ignore',
          objectSelector: { matchLabels: { policy: 'ignore' } },
        }),
      );
      const failed = await kg.request('POST', CM('webhooks'), { body: configMap('hang-1', { policy: 'fail' }) });
      assert.equal(failed.status, 500, failed.text);
      assert.equal(failed.body.reason, 'InternalError');
      assert.equal(
        failed.body.message,
        `Internal error occurred: failed calling webhook "hang-fail.kgate.test": failed to call webhook: Post "${hooks.url}/hang?timeout=1s": context deadline exceeded`,
      );
      assert.equal((await kg.request('GET', `${CM('webhooks')}/hang-1`)).status, 404);
      const ignored = await kg.request('POST', CM('webhooks'), { body: configMap('hang-2', { policy: 'ignore' }) });
      assert.equal(ignored.status, 201, ignored.text);
    });

    it('an unreachable webhook, a certificate the caBundle does not trust and a garbage answer fail closed', async () => {
      const closedPort = await (async () => {
        const probe = await startAdmissionWebhook();
        const port = probe.port;
        await probe.close();
        return port;
      })();
      const cases = [
        {
          name: 'unreachable',
          clientConfig: { url: `https://127.0.0.1:${closedPort}/allow`, caBundle: hooks.caBundle },
          reason: `Post "https://127.0.0.1:${closedPort}/allow?timeout=10s": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
        },
        {
          name: 'untrusted',
          clientConfig: { url: `${stranger.url}/allow`, caBundle: hooks.caBundle },
          reason: `Post "${stranger.url}/allow?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "kgate-ca")`,
        },
        { name: 'garbage', clientConfig: url(hooks, '/garbage'), reason: null },
      ];
      for (const c of cases) {
        await configure(
          webhookConfiguration('ValidatingWebhookConfiguration', c.name, c.clientConfig, {
            objectSelector: { matchLabels: { target: c.name } },
          }),
        );
        const res = await kg.request('POST', CM('webhooks'), { body: configMap(`to-${c.name}`, { target: c.name }) });
        assert.equal(res.status, 500, `${c.name}: ${res.text}`);
        const prefix = `Internal error occurred: failed calling webhook "${c.name}.kgate.test": failed to call webhook: `;
        assert.ok(res.body.message.startsWith(prefix), res.body.message);
        if (c.reason) assert.equal(res.body.message, prefix + c.reason);
      }
    });

    it('a webhook behind a Service is reached through its EndpointSlice and verified as <service>.<namespace>.svc', async function () {
      const ip = externalIPv4();
      if (!ip) this.skip();
      // Its certificate names the Service, not the address it is reached at.
      const behind = await startAdmissionWebhook({ host: ip, extraNames: ['hooks.webhooks.svc'] });
      try {
        const svc = await kg.request('POST', '/api/v1/namespaces/webhooks/services', {
          body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hooks' }, spec: { ports: [{ port: 443, name: 'https' }] } },
        });
        assert.equal(svc.status, 201, svc.text);
        const slice = await kg.request('POST', '/apis/discovery.k8s.io/v1/namespaces/webhooks/endpointslices', {
          body: {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { name: 'hooks-1', labels: { 'kubernetes.io/service-name': 'hooks' } },
            addressType: 'IPv4',
            endpoints: [{ addresses: [ip], conditions: { ready: true } }],
            ports: [{ name: 'https', port: behind.port, protocol: 'TCP' }],
          },
        });
        assert.equal(slice.status, 201, slice.text);
        await configure(
          webhookConfiguration(
            'ValidatingWebhookConfiguration',
            'by-service',
            { service: { namespace: 'webhooks', name: 'hooks', path: '/deny-bad' }, caBundle: behind.caBundle },
            { objectSelector: { matchLabels: { bad: 'true' } } },
          ),
        );
        const res = await kg.request('POST', CM('webhooks'), { body: configMap('svc-bad', { bad: 'true' }) });
        assert.equal(res.status, 403, res.text);
        assert.match(res.body.message, /^admission webhook "by-service.kgate.test" denied the request: objects labelled/);
        assert.equal(behind.reviews.get('/deny-bad')?.length, 1);
        // A Service without endpoints: kube's resolver error, failing closed.
        await kg.request('DELETE', '/apis/discovery.k8s.io/v1/namespaces/webhooks/endpointslices/hooks-1');
        const none = await kg.request('POST', CM('webhooks'), { body: configMap('svc-none', { bad: 'true' }) });
        assert.equal(none.status, 500, none.text);
        assert.equal(
          none.body.message,
          'Internal error occurred: failed calling webhook "by-service.kgate.test": failed to call webhook: ' +
            'Post "https://hooks.webhooks.svc:443/deny-bad?timeout=10s": no endpoints available for service "hooks"',
        );
      } finally {
        await kg.request('DELETE', '/api/v1/namespaces/webhooks/services/hooks');
        await behind.close();
      }
    });

    it('a dry run reaches webhooks with sideEffects None, marked dryRun, and writes nothing', async () => {
      await configure(webhookConfiguration('MutatingWebhookConfiguration', 'dry', url(hooks, '/add-label')));
      const res = await kg.request('POST', `${CM('webhooks')}?dryRun=All`, { body: configMap('dry-run') });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.metadata.labels, { 'webhook-added': 'yes' });
      assert.equal(hooks.reviews.get('/add-label')!.at(-1).request.dryRun, true);
      assert.equal((await kg.request('GET', `${CM('webhooks')}/dry-run`)).status, 404);
    });

    it('rules with subresources: pods/status is seen on status writes only, */* on everything', async () => {
      await configure(
        webhookConfiguration('ValidatingWebhookConfiguration', 'status-only', url(hooks, '/deny-plain'), {
          rules: [{ operations: ['UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/status'] }],
        }),
      );
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
      const created = await kg.request('POST', '/api/v1/namespaces/webhooks/pods', { body: pod });
      assert.equal(created.status, 201, created.text);
      const labelled = await kg.request('PATCH', '/api/v1/namespaces/webhooks/pods/p1', {
        body: { metadata: { labels: { a: 'b' } } },
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      assert.equal(labelled.status, 200, labelled.text);
      const status = await kg.request('PATCH', '/api/v1/namespaces/webhooks/pods/p1/status', {
        body: { status: { message: 'm' } },
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      assert.equal(status.status, 400, status.text);
      const review = hooks.reviews.get('/deny-plain')!.at(-1);
      assert.equal(review.request.subResource, 'status');
      assert.equal(review.request.requestSubResource, 'status');
      assert.equal(review.request.oldObject.metadata.name, 'p1');
    });

    it('matchPolicy Equivalent reaches a webhook for autoscaling/v2 through autoscaling/v1, converting both ways; Exact does not', async () => {
      const v2Only = {
        rules: [{ operations: ['CREATE'], apiGroups: ['autoscaling'], apiVersions: ['v2'], resources: ['horizontalpodautoscalers'] }],
      };
      await configure(webhookConfiguration('MutatingWebhookConfiguration', 'equivalent', url(hooks, '/add-label'), v2Only));
      const hpa = (name: string) => ({
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
          maxReplicas: 3,
          targetCPUUtilizationPercentage: 50,
        },
      });
      const res = await kg.request('POST', '/apis/autoscaling/v1/namespaces/webhooks/horizontalpodautoscalers', { body: hpa('h1') });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.apiVersion, 'autoscaling/v1');
      assert.deepEqual(res.body.metadata.labels, { 'webhook-added': 'yes' });
      assert.equal(res.body.spec.targetCPUUtilizationPercentage, 50);
      const review = hooks.reviews.get('/add-label')!.at(-1);
      assert.deepEqual(review.request.kind, { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' });
      assert.deepEqual(review.request.requestKind, { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' });
      assert.equal(review.request.object.apiVersion, 'autoscaling/v2');
      assert.ok(Array.isArray(review.request.object.spec.metrics));
      await kg.request('DELETE', `${MUTATING}/equivalent`);
      created.pop();
      await configure(
        webhookConfiguration('MutatingWebhookConfiguration', 'exact', url(hooks, '/add-label'), { ...v2Only, matchPolicy: 'Exact' }),
      );
      const exact = await kg.request('POST', '/apis/autoscaling/v1/namespaces/webhooks/horizontalpodautoscalers', { body: hpa('h2') });
      assert.equal(exact.status, 201, exact.text);
      assert.equal(exact.body.metadata.labels, undefined);
    });

    it('reinvocationPolicy IfNeeded calls a mutating webhook again once a later one changed the object', async () => {
      await configure(
        webhookConfiguration('MutatingWebhookConfiguration', 'a-counter', url(hooks, '/count-labels'), {
          reinvocationPolicy: 'IfNeeded',
          objectSelector: { matchLabels: { reinvoke: 'yes' } },
        }),
      );
      await configure(
        webhookConfiguration('MutatingWebhookConfiguration', 'b-labeller', url(hooks, '/add-label'), {
          objectSelector: { matchLabels: { reinvoke: 'yes' } },
        }),
      );
      const res = await kg.request('POST', CM('webhooks'), { body: configMap('reinvoked', { reinvoke: 'yes' }) });
      assert.equal(res.status, 201, res.text);
      // First call: one other label; the labeller adds one; the second call sees two.
      assert.deepEqual(res.body.metadata.labels, { reinvoke: 'yes', 'labels-seen': '2', 'webhook-added': 'yes' });
      const counted = hooks.reviews.get('/count-labels')!.filter((r) => r.request.name === 'reinvoked');
      assert.equal(counted.length, 2);
    });

    it('a webhook offering only admission.k8s.io/v1beta1 gets a v1beta1 AdmissionReview', async () => {
      await configure(
        webhookConfiguration('ValidatingWebhookConfiguration', 'beta', url(hooks, '/deny-bad'), {
          admissionReviewVersions: ['v1beta1'],
          objectSelector: { matchLabels: { beta: 'yes' } },
        }),
      );
      const res = await kg.request('POST', CM('webhooks'), { body: configMap('beta-bad', { beta: 'yes', bad: 'true' }) });
      assert.equal(res.status, 403, res.text);
      assert.equal(hooks.reviews.get('/deny-bad')!.at(-1).apiVersion, 'admission.k8s.io/v1beta1');
    });

    it('a dry run is refused with kube’s 400 by a webhook with side effects (a v1beta1-era configuration in etcd)', async () => {
      // v1 refuses sideEffects Some and Unknown at create; configurations stored by older servers may still have them.
      const config = webhookConfiguration('ValidatingWebhookConfiguration', 'legacy-side-effects', url(hooks, '/allow'), {
        sideEffects: 'Some',
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: { matchLabels: { legacy: 'yes' } },
        timeoutSeconds: 10,
      });
      const stored = {
        ...config,
        metadata: { name: 'legacy-side-effects', uid: 'legacy', generation: 1, creationTimestamp: '2020-01-01T00:00:00Z' },
      };
      await execFileAsync('etcdctl', [
        '--endpoints',
        kg.etcd.endpoint,
        'put',
        '/registry/validatingwebhookconfigurations/legacy-side-effects',
        JSON.stringify(stored),
      ]);
      created.push(`${VALIDATING}/legacy-side-effects`);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const res = await kg.request('POST', `${CM('webhooks')}?dryRun=All`, { body: configMap('legacy', { legacy: 'yes' }) });
        if (res.status === 400) {
          assert.equal(res.body.message, 'admission webhook "legacy-side-effects.kgate.test" does not support dry run');
          assert.equal(res.body.reason, 'BadRequest');
          break;
        }
        assert.equal(res.status, 201, res.text);
        if (Date.now() > deadline) assert.fail('the stored configuration never took effect');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Not a dry run: called as usual.
      assert.equal((await kg.request('POST', CM('webhooks'), { body: configMap('legacy', { legacy: 'yes' }) })).status, 201);
    });

    it('a caBundle that is no certificate fails each call closed, naming the client it could not build', async () => {
      await configure(
        webhookConfiguration(
          'ValidatingWebhookConfiguration',
          'bad-ca',
          { url: `${hooks.url}/allow`, caBundle: Buffer.from('not a certificate').toString('base64') },
          { objectSelector: { matchLabels: { ca: 'bad' } } },
        ),
      );
      const res = await kg.request('POST', CM('webhooks'), { body: configMap('bad-ca', { ca: 'bad' }) });
      assert.equal(res.status, 500, res.text);
      assert.equal(
        res.body.message,
        'Internal error occurred: failed calling webhook "bad-ca.kgate.test": could not get REST client: unable to load root certificates: unable to parse bytes as PEM block',
      );
    });

    it('kubectl apply prints the webhook’s warnings', async () => {
      await configure(webhookConfiguration('ValidatingWebhookConfiguration', 'warn', url(hooks, '/warn')));
      const manifest = JSON.stringify({ ...configMap('warned'), metadata: { name: 'warned', namespace: 'webhooks' } });
      const { stdout, stderr } = await kg.kubectl(['apply', '-f', '-'], { input: manifest });
      assert.match(stdout, /configmap\/warned created/);
      assert.match(stderr, /^Warning: this configmap is watched by a test webhook$/m);
    });

    it('webhooks never see the configuration resources themselves', async () => {
      await configure({
        ...webhookConfiguration('ValidatingWebhookConfiguration', 'deny-all', url(hooks, '/deny-plain')),
        webhooks: [
          {
            ...(webhookConfiguration('ValidatingWebhookConfiguration', 'deny-all', url(hooks, '/deny-plain')).webhooks as any[])[0],
            rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] }],
            namespaceSelector: { matchLabels: { webhooks: 'on' } },
          },
        ],
      });
      // Its own deletion (by afterEach) and other configurations still go through.
      await configure(webhookConfiguration('ValidatingWebhookConfiguration', 'still-writable', url(hooks, '/allow')));
      assert.equal((await kg.request('POST', CM('webhooks'), { body: configMap('denied-by-star') })).status, 400);
    });
  });

  describe('across processes', () => {
    it('a configuration created through one kgate is enforced by a second on the same etcd', async () => {
      const second = await startKgate({ etcd: kg.etcd });
      try {
        // The second process has served a write before the configuration exists (its informer is running).
        assert.equal((await second.request('POST', CM('webhooks'), { body: configMap('before') })).status, 201);
        await configure(webhookConfiguration('ValidatingWebhookConfiguration', 'shared', url(hooks, '/deny-bad')));
        const deadline = Date.now() + 30_000;
        for (let i = 0; ; i++) {
          const res = await second.request('POST', CM('webhooks'), { body: configMap(`probe-${i}`, { bad: 'true' }) });
          if (res.status === 403) {
            assert.match(res.body.message, /^admission webhook "shared.kgate.test" denied the request/);
            break;
          }
          assert.equal(res.status, 201, res.text);
          if (Date.now() > deadline) assert.fail('the second kgate never enforced the configuration');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await second.close();
      }
    });
  });
});
