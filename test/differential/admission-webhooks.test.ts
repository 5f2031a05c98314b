// Dynamic admission webhooks beside the reference kube-apiserver: the same webhook configurations written to both
// servers (their webhooks are the same HTTPS servers this test starts on loopback), then the same requests. The
// configurations' defaults and 422s, and each request's status code and Status body (denials, failures closed and
// open, dry runs, patches, warnings) must match. The reference applies a configuration once its informer has seen it,
// so each scenario first probes with a dry run until the webhook is in effect on that server. Without the reference
// binary the suite registers nothing.
import assert from 'node:assert/strict';
import { startKgate, type Kgate } from '../support/kgate.js';
import type { HttpResponse, Requester } from '../support/http.js';
import { HOW_TO_BUILD, referenceBinary, startReference, type ReferenceServer } from '../support/reference.js';
import { startAdmissionWebhook, webhookConfiguration, type AdmissionWebhookServer } from '../support/admission-webhook.js';

const REG = '/apis/admissionregistration.k8s.io/v1';
const MUTATING = `${REG}/mutatingwebhookconfigurations`;
const VALIDATING = `${REG}/validatingwebhookconfigurations`;
const CM = '/api/v1/namespaces/default/configmaps';

const configMap = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data: { k: 'v' },
});

/** What is compared of an answer: the code, and the Status of a refusal or what a success says about the object. */
function summary(res: HttpResponse) {
  const warning = res.headers.warning;
  if (res.status < 300) {
    return { status: res.status, labels: res.body?.metadata?.labels, warning };
  }
  return { status: res.status, body: res.body, warning };
}

/** A configuration without the server-set metadata. */
function configurationShape(body: any) {
  const { metadata, ...rest } = body ?? {};
  return { ...rest, metadata: { name: metadata?.name, generation: metadata?.generation } };
}

if (!referenceBinary()) {
  console.log(`admission webhooks differential skipped: no reference kube-apiserver; ${HOW_TO_BUILD}`);
} else {
  describe('differential: admission webhooks answer as kube-apiserver’s', function () {
    this.timeout(300_000);
    let kgate: Kgate | undefined;
    let kube: ReferenceServer | undefined;
    let hooks: AdmissionWebhookServer;
    let stranger: AdmissionWebhookServer;
    let closedPort = 0;

    before(async () => {
      [kube, kgate, hooks, stranger] = await Promise.all([
        startReference(),
        startKgate(),
        startAdmissionWebhook(),
        startAdmissionWebhook(),
      ]);
      const probe = await startAdmissionWebhook();
      closedPort = probe.port;
      await probe.close();
    });
    after(async () => {
      await Promise.all([kube?.close(), kgate?.close(), hooks?.close(), stranger?.close()]);
    });

    const servers = () => [
      { name: 'kube', request: kube!.request },
      { name: 'kgate', request: kgate!.request },
    ];

    /**
     * Writes the configuration to a server, then probes with dry-run creates labelled `target` until the webhook
     * is in effect there: its server saw the probe, or the probe stopped succeeding.
     */
    async function configureAndWait(request: Requester, config: Record<string, any>, target: string): Promise<void> {
      const collection = config.kind === 'MutatingWebhookConfiguration' ? MUTATING : VALIDATING;
      const res = await request('POST', collection, { body: config });
      assert.equal(res.status, 201, res.text);
      const deadline = Date.now() + 60_000;
      for (let i = 0; ; i++) {
        const name = `probe-${target}-${i}-${Date.now()}`;
        const probe = await request('POST', `${CM}?dryRun=All`, { body: configMap(name, { target, bad: 'true' }) });
        const seen = [...hooks.reviews.values(), ...stranger.reviews.values()].some((list) => list.some((r) => r.request?.name === name));
        if (seen || probe.status !== 201) return;
        if (Date.now() > deadline) assert.fail(`the webhook for ${target} never took effect`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    async function remove(request: Requester, config: Record<string, any>): Promise<void> {
      const collection = config.kind === 'MutatingWebhookConfiguration' ? MUTATING : VALIDATING;
      await request('DELETE', `${collection}/${config.metadata.name}`);
    }

    const url = (server: AdmissionWebhookServer, path: string) => ({ url: `${server.url}${path}`, caBundle: server.caBundle });

    describe('configurations', () => {
      const invalid: Array<[string, Record<string, any>]> = [
        [
          'a webhook name that is not fully qualified',
          webhookConfiguration('ValidatingWebhookConfiguration', 'v1', { url: 'https://example.com/x' }, { name: 'two.parts' }),
        ],
        [
          'no sideEffects',
          webhookConfiguration('MutatingWebhookConfiguration', 'm1', { url: 'https://example.com/x' }, { sideEffects: undefined }),
        ],
        [
          'sideEffects Some',
          webhookConfiguration('MutatingWebhookConfiguration', 'm2', { url: 'https://example.com/x' }, { sideEffects: 'Some' }),
        ],
        [
          'an http URL with user, query and fragment',
          webhookConfiguration('ValidatingWebhookConfiguration', 'v2', { url: 'http://u:p@example.com/x?a=b#frag' }),
        ],
        [
          'both url and service',
          webhookConfiguration('ValidatingWebhookConfiguration', 'v3', {
            url: 'https://example.com',
            service: { namespace: 'a', name: 'b' },
          }),
        ],
        [
          'a service without name, a bad port and path',
          webhookConfiguration('ValidatingWebhookConfiguration', 'v4', {
            service: { namespace: 'a', name: '', port: 70000, path: 'no//slash' },
          }),
        ],
        [
          'no admissionReviewVersions',
          webhookConfiguration('ValidatingWebhookConfiguration', 'v5', { url: 'https://example.com' }, { admissionReviewVersions: [] }),
        ],
        [
          'unknown admissionReviewVersions',
          webhookConfiguration(
            'ValidatingWebhookConfiguration',
            'v6',
            { url: 'https://example.com' },
            { admissionReviewVersions: ['v2', 'v2'] },
          ),
        ],
        [
          'bad rules',
          webhookConfiguration(
            'MutatingWebhookConfiguration',
            'm3',
            { url: 'https://example.com' },
            {
              rules: [{ operations: ['GET'], apiGroups: [], apiVersions: [''], resources: ['pods/*', 'pods/status'], scope: 'Everywhere' }],
            },
          ),
        ],
        [
          'timeoutSeconds out of range and bad policies',
          webhookConfiguration(
            'MutatingWebhookConfiguration',
            'm4',
            { url: 'https://example.com' },
            { timeoutSeconds: 31, failurePolicy: 'Maybe', matchPolicy: 'Loose', reinvocationPolicy: 'Always' },
          ),
        ],
        [
          'a bad selector',
          webhookConfiguration(
            'ValidatingWebhookConfiguration',
            'v7',
            { url: 'https://example.com' },
            { namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] }, objectSelector: { matchLabels: { 'a b': 'c' } } },
          ),
        ],
        [
          'match conditions without names or expressions, duplicated',
          webhookConfiguration(
            'ValidatingWebhookConfiguration',
            'v8',
            { url: 'https://example.com' },
            {
              matchConditions: [
                { name: '', expression: 'true' },
                { name: 'x', expression: ' ' },
                { name: 'x', expression: 'true' },
              ],
            },
          ),
        ],
      ];
      for (const [title, config] of invalid) {
        it(`refuses ${title} with kube’s 422`, async () => {
          const collection = config.kind === 'MutatingWebhookConfiguration' ? MUTATING : VALIDATING;
          const [want, got] = await Promise.all(
            servers().map(async ({ request }) => summary(await request('POST', collection, { body: config }))),
          );
          assert.deepEqual(got, want);
        });
      }

      it('defaults a configuration as kube does', async () => {
        const config = webhookConfiguration('MutatingWebhookConfiguration', 'defaults', { service: { namespace: 'default', name: 'x' } });
        const [want, got] = await Promise.all(
          servers().map(async ({ request }) => {
            const res = await request('POST', MUTATING, { body: config });
            await request('DELETE', `${MUTATING}/defaults`);
            return { status: res.status, shape: configurationShape(res.body) };
          }),
        );
        assert.deepEqual(got, want);
      });

      it('lists configurations as a Table with kube’s columns', async () => {
        const config = webhookConfiguration('ValidatingWebhookConfiguration', 'tabled', { url: 'https://example.com' });
        const [want, got] = await Promise.all(
          servers().map(async ({ request }) => {
            await request('POST', VALIDATING, { body: config });
            const res = await request('GET', `${VALIDATING}/tabled`, {
              headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
            });
            await request('DELETE', `${VALIDATING}/tabled`);
            // The age is whatever it is; the name and count are compared.
            return {
              status: res.status,
              columns: res.body?.columnDefinitions,
              cells: res.body?.rows?.map((r: any) => r.cells.slice(0, 2)),
            };
          }),
        );
        assert.deepEqual(got, want);
      });

      it('refuses a PUT without metadata.resourceVersion as kube does', async () => {
        const config = webhookConfiguration('ValidatingWebhookConfiguration', 'put-norv', { url: 'https://example.com' });
        const [want, got] = await Promise.all(
          servers().map(async ({ request }) => {
            await request('POST', VALIDATING, { body: config });
            const res = await request('PUT', `${VALIDATING}/put-norv`, { body: config });
            await request('DELETE', `${VALIDATING}/put-norv`);
            return summary(res);
          }),
        );
        assert.deepEqual(got, want);
      });
    });

    interface Scenario {
      title: string;
      config: (target: string) => Record<string, any>;
      /** The request made once the webhook is in effect (a ConfigMap create labelled target=<target> by default). */
      dryRun?: boolean;
      run?: (request: Requester, target: string) => Promise<HttpResponse>;
      /** Add a webhook that sees the ConfigMap probes, for configurations whose own webhooks never see them. */
      witness?: boolean;
    }
    /** The configuration with one more webhook (same kind) that allows the probes and so shows it is in effect. */
    const withWitness = (config: Record<string, any>, t: string) => {
      const witness = (webhookConfiguration(config.kind, t, url(hooks, '/allow'), selected(t)).webhooks as any[])[0];
      return { ...config, webhooks: [...config.webhooks, { ...witness, name: `${t}-witness.kgate.test` }] };
    };
    const hpa = (name: string, target: string) => ({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, labels: { target } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
        maxReplicas: 3,
        targetCPUUtilizationPercentage: 50,
      },
    });
    const selected = (target: string) => ({ objectSelector: { matchLabels: { target } } });
    const scenarios: Scenario[] = [
      {
        title: 'a validating webhook’s denial with a status',
        config: (t) => webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/deny-plain'), selected(t)),
      },
      {
        title: 'a validating webhook’s denial with code, reason and message',
        config: (t) => ({
          ...webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/deny-bad'), {
            objectSelector: { matchLabels: { target: t, bad: 'true' } },
          }),
        }),
      },
      {
        title: 'a mutating webhook’s JSONPatch',
        config: (t) => webhookConfiguration('MutatingWebhookConfiguration', t, url(hooks, '/add-label'), selected(t)),
      },
      {
        title: 'a dry run through a mutating webhook',
        dryRun: true,
        config: (t) => webhookConfiguration('MutatingWebhookConfiguration', t, url(hooks, '/add-label'), selected(t)),
      },
      { title: 'warnings', config: (t) => webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/warn'), selected(t)) },
      {
        title: 'a webhook that hangs, failing closed',
        config: (t) =>
          webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/hang'), { ...selected(t), timeoutSeconds: 1 }),
      },
      {
        title: 'a webhook that hangs, failing open',
        config: (t) =>
          webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/hang'), {
            ...selected(t),
            timeoutSeconds: 1,
            failurePolicy: 'Ignore',
          }),
      },
      {
        title: 'a mutating webhook that hangs, failing closed',
        config: (t) => webhookConfiguration('MutatingWebhookConfiguration', t, url(hooks, '/hang'), { ...selected(t), timeoutSeconds: 2 }),
      },
      {
        title: 'an unreachable webhook',
        config: (t) =>
          webhookConfiguration('ValidatingWebhookConfiguration', t, { url: `https://127.0.0.1:${closedPort}/allow` }, selected(t)),
      },
      {
        title: 'a certificate the caBundle does not trust',
        config: (t) =>
          webhookConfiguration(
            'ValidatingWebhookConfiguration',
            t,
            { url: `${stranger.url}/allow`, caBundle: hooks.caBundle },
            selected(t),
          ),
      },
      {
        title: 'no caBundle for a private CA',
        config: (t) => webhookConfiguration('ValidatingWebhookConfiguration', t, { url: `${hooks.url}/allow` }, selected(t)),
      },
      {
        title: 'a caBundle that is no certificate',
        config: (t) =>
          webhookConfiguration(
            'ValidatingWebhookConfiguration',
            t,
            { url: `${hooks.url}/allow`, caBundle: Buffer.from('not a certificate').toString('base64') },
            selected(t),
          ),
      },
      {
        title: 'a garbage answer',
        config: (t) => webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/garbage'), selected(t)),
      },
      {
        title: 'a garbage answer, failing open',
        config: (t) =>
          webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/garbage'), { ...selected(t), failurePolicy: 'Ignore' }),
      },
      {
        title: 'a Service that does not exist',
        config: (t) =>
          webhookConfiguration(
            'ValidatingWebhookConfiguration',
            t,
            { service: { namespace: 'default', name: 'missing' }, caBundle: hooks.caBundle },
            selected(t),
          ),
      },
      {
        title: 'a match condition that excludes',
        config: (t) => {
          const config = webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/deny-plain'), {
            ...selected(t),
            matchConditions: [{ name: 'never', expression: "object.metadata.name == 'nobody'" }],
          });
          // A second webhook that sees every probe, so the wait knows the configuration is in effect.
          const witness = webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/allow'), selected(t)).webhooks as any[];
          return { ...config, webhooks: [...(config.webhooks as any[]), { ...witness[0], name: `${t}-witness.kgate.test` }] };
        },
      },
      {
        title: 'a match condition that fails to evaluate',
        config: (t) =>
          webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/deny-plain'), {
            ...selected(t),
            matchConditions: [{ name: 'missing', expression: "object.data.missing == 'x'" }],
          }),
      },
      {
        title: 'a match condition asking the authorizer (the admin may create configmaps, so the webhook is called)',
        config: (t) =>
          webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/deny-plain'), {
            ...selected(t),
            matchConditions: [
              {
                name: 'may-create',
                expression: "authorizer.group('').resource('configmaps').namespace(request.namespace).check('create').allowed()",
              },
              { name: 'is-request', expression: "authorizer.requestResource.check('create').allowed()" },
            ],
          }),
      },
      {
        title: 'reinvocation of an IfNeeded webhook after a later one changed the object',
        config: (t) => {
          const config = webhookConfiguration('MutatingWebhookConfiguration', t, url(hooks, '/count-labels'), {
            ...selected(t),
            reinvocationPolicy: 'IfNeeded',
          });
          const labeller = (
            webhookConfiguration('MutatingWebhookConfiguration', t, url(hooks, '/add-label'), selected(t)).webhooks as any[]
          )[0];
          return { ...config, webhooks: [...(config.webhooks as any[]), { ...labeller, name: `${t}-labeller.kgate.test` }] };
        },
      },
      {
        title: 'a webhook offering only v1beta1',
        config: (t) =>
          webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/deny-bad'), {
            ...selected(t),
            admissionReviewVersions: ['v1beta1', 'v9'],
          }),
      },
      {
        title: 'matchPolicy Equivalent: an autoscaling/v2 rule and an autoscaling/v1 create',
        witness: true,
        config: (t) =>
          webhookConfiguration('MutatingWebhookConfiguration', t, url(hooks, '/add-label'), {
            ...selected(t),
            rules: [{ operations: ['CREATE'], apiGroups: ['autoscaling'], apiVersions: ['v2'], resources: ['horizontalpodautoscalers'] }],
          }),
        run: async (request, t) => {
          const res = await request('POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
            body: hpa(`hpa-${t}`, t),
          });
          await request('DELETE', `/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/hpa-${t}`);
          const review = hooks.reviews.get('/add-label')!.at(-1);
          return {
            ...res,
            headers: {
              ...res.headers,
              warning: JSON.stringify([review.request.kind, review.request.requestKind, review.request.object.apiVersion]),
            },
          };
        },
      },
      {
        title: 'matchPolicy Exact: the same rule does not see autoscaling/v1',
        witness: true,
        config: (t) =>
          webhookConfiguration('MutatingWebhookConfiguration', t, url(hooks, '/add-label'), {
            ...selected(t),
            matchPolicy: 'Exact',
            rules: [{ operations: ['CREATE'], apiGroups: ['autoscaling'], apiVersions: ['v2'], resources: ['horizontalpodautoscalers'] }],
          }),
        run: async (request, t) => {
          const res = await request('POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
            body: hpa(`hpa-${t}`, t),
          });
          await request('DELETE', `/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/hpa-${t}`);
          return res;
        },
      },
      {
        title: 'a pods/status rule sees a status patch, with the subresource in the review',
        witness: true,
        config: (t) =>
          webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/deny-plain'), {
            ...selected(t),
            rules: [{ operations: ['UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/status'] }],
          }),
        run: async (request, t) => {
          const pods = '/api/v1/namespaces/default/pods';
          const pod = {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: `pod-${t}`, labels: { target: t } },
            spec: { containers: [{ name: 'c', image: 'busybox' }] },
          };
          const created = await request('POST', pods, { body: pod });
          assert.equal(created.status, 201, created.text);
          const res = await request('PATCH', `${pods}/pod-${t}/status`, {
            body: { status: { message: 'm' } },
            headers: { 'content-type': 'application/merge-patch+json' },
          });
          await request('DELETE', `${pods}/pod-${t}?gracePeriodSeconds=0`);
          const review = hooks.reviews.get('/deny-plain')!.at(-1);
          return {
            ...res,
            headers: {
              ...res.headers,
              warning: JSON.stringify([review.request.subResource, review.request.requestSubResource, review.request.kind]),
            },
          };
        },
      },
    ];

    /** A review as the webhook got it, without what differs by nature (uids, times, versions). */
    function reviewShape(review: any) {
      const mask = (obj: any) => {
        if (!obj) return obj;
        const { uid: _u, creationTimestamp: _c, resourceVersion: _r, managedFields, ...metadata } = obj.metadata ?? {};
        return { ...obj, metadata: { ...metadata, managedFields: managedFields?.map(({ time: _t, ...f }: any) => f) } };
      };
      const { uid: _uid, object, oldObject, userInfo, ...request } = review.request;
      // The two servers' admins have different names.
      const { username: _name, ...user } = userInfo;
      return {
        apiVersion: review.apiVersion,
        kind: review.kind,
        request: { ...request, userInfo: user, object: mask(object), oldObject: mask(oldObject) },
      };
    }

    it('the AdmissionReviews of a create, an update and a delete', async () => {
      const t = 'reviews';
      const config = webhookConfiguration('ValidatingWebhookConfiguration', t, url(hooks, '/allow'), {
        ...selected(t),
        rules: [{ operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
      });
      const shapes = [];
      for (const { request } of servers()) {
        await configureAndWait(request, config, t);
        try {
          const seen = () => hooks.reviews.get('/allow')!.filter((r) => r.request.name === 'reviewed');
          const before = seen().length;
          const created = await request('POST', `${CM}?fieldManager=test`, { body: configMap('reviewed', { target: t }) });
          assert.equal(created.status, 201, created.text);
          const updated = await request('PUT', `${CM}/reviewed`, { body: { ...created.body, data: { k: 'changed' } } });
          assert.equal(updated.status, 200, updated.text);
          const deleted = await request('DELETE', `${CM}/reviewed`);
          assert.equal(deleted.status, 200, deleted.text);
          shapes.push(seen().slice(before).map(reviewShape));
        } finally {
          await remove(request, config);
        }
      }
      const [want, got] = shapes;
      assert.deepEqual(got, want);
    });

    scenarios.forEach((s, i) => {
      it(`${s.title}: the same answer`, async () => {
        const target = `s${i}`;
        const config = s.witness ? withWitness(s.config(target), target) : s.config(target);
        // One server at a time: scenarios that read what the webhook server recorded must not interleave.
        const answers = [];
        for (const { request } of servers()) {
          answers.push(
            await (async () => {
              await configureAndWait(request, config, target);
              try {
                if (s.run) return summary(await s.run(request, target));
                const labels = { target, bad: 'true' };
                const path = s.dryRun ? `${CM}?dryRun=All` : CM;
                return summary(await request('POST', path, { body: configMap(`obj-${target}`, labels) }));
              } finally {
                await remove(request, config);
              }
            })(),
          );
        }
        const [want, got] = answers;
        assert.deepEqual(got, want);
      });
    });
  });
}
