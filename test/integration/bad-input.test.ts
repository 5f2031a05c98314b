// Every class of bad input gets a clear Status with kube-apiserver's code, reason and message, and leaves etcd
// exactly as it was.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startKgate, type HttpResponse, type Kgate } from '../support/kgate.js';

const execFileAsync = promisify(execFile);
const CMS = '/api/v1/namespaces/default/configmaps';
const PODS = '/api/v1/namespaces/default/pods';

const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function assertStatus(res: HttpResponse, code: number, reason: string, message?: string | RegExp): void {
  assert.equal(res.status, code, res.text);
  assert.equal(res.body?.kind, 'Status', res.text);
  assert.equal(res.body.apiVersion, 'v1');
  assert.equal(res.body.status, 'Failure');
  assert.equal(res.body.code, code);
  assert.equal(res.body.reason, reason);
  if (typeof message === 'string') assert.equal(res.body.message, message);
  else if (message) assert.match(res.body.message, message);
}

describe('bad input', function () {
  let kg: Kgate;

  async function etcdctl(...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync('etcdctl', ['--endpoints', kg.etcd.endpoint, ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }

  /** Every key under /registry with its mod revision: equal snapshots mean nothing was written. */
  async function registrySnapshot(): Promise<Record<string, string>> {
    const json = JSON.parse(await etcdctl('get', '--prefix', '/registry', '-w', 'json'));
    const out: Record<string, string> = {};
    for (const kv of json.kvs ?? []) out[Buffer.from(kv.key, 'base64').toString()] = String(kv.mod_revision);
    return out;
  }

  /** Runs a rejected request and checks that etcd holds exactly what it held before. */
  async function rejected(send: () => Promise<HttpResponse>): Promise<HttpResponse> {
    const before = await registrySnapshot();
    const res = await send();
    assert.deepEqual(await registrySnapshot(), before, `etcd changed by a rejected request: ${res.status} ${res.text}`);
    return res;
  }

  before(async function () {
    kg = await startKgate();
    const seed = await kg.request('POST', CMS, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } },
    });
    assert.equal(seed.status, 201, seed.text);
  });
  after(async function () {
    await kg?.close();
  });

  describe('bodies', function () {
    it('malformed JSON is 400', async function () {
      const res = await rejected(() =>
        kg.request('POST', CMS, { raw: '{"apiVersion": "v1", "kind": ', headers: { 'content-type': 'application/json' } }),
      );
      assertStatus(
        res,
        400,
        'BadRequest',
        /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error: .+ \(\{"apiVersion": "v1", "kind": \)$/,
      );
    });

    it('malformed YAML is 400', async function () {
      const res = await rejected(() =>
        kg.request('POST', CMS, {
          raw: 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n',
          headers: { 'content-type': 'application/yaml' },
        }),
      );
      assertStatus(
        res,
        400,
        'BadRequest',
        /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; error converting YAML to JSON: yaml: /,
      );
    });

    it('a JSON array where an object belongs is 400', async function () {
      const res = await rejected(() => kg.request('POST', CMS, { raw: '[1,2]', headers: { 'content-type': 'application/json' } }));
      assertStatus(
        res,
        400,
        'BadRequest',
        /^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error: json: cannot unmarshal array into Go value of type struct/,
      );
    });

    it('a ConfigMap posted to pods is 400', async function () {
      const res = await rejected(() =>
        kg.request('POST', PODS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-as-pod' } } }),
      );
      assertStatus(res, 400, 'BadRequest', /^ConfigMap in version "v1" cannot be handled as a Pod: /);
    });

    it('an apps/v1 Deployment posted to /api/v1 pods is 400: another internal type cannot be converted', async function () {
      const res = await rejected(() =>
        kg.request('POST', PODS, { body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'wrong-group' } } }),
      );
      // kube-apiserver v1.34.4's answer, captured.
      assertStatus(
        res,
        400,
        'BadRequest',
        'Deployment in version "v1" cannot be handled as a Pod: converting (v1.Deployment) to (core.Pod): unknown conversion',
      );
    });

    it('another version of the same type is 400 naming both API versions', async function () {
      const res = await rejected(() =>
        kg.request('POST', '/apis/apps/v1/namespaces/default/deployments', {
          body: { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'old' } },
        }),
      );
      assertStatus(res, 400, 'BadRequest', 'the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)');
    });

    it('a kind no group registers is 400 from the decoder', async function () {
      const res = await rejected(() => kg.request('POST', PODS, { body: { apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } } }));
      assertStatus(
        res,
        400,
        'BadRequest',
        'Widget in version "v1" cannot be handled as a Pod: no kind "Widget" is registered for version "v1" in scheme "pkg/runtime/scheme.go:110"',
      );
    });

    it('a namespace in the body that differs from the path is 400', async function () {
      const res = await rejected(() =>
        kg.request('POST', CMS, {
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'kube-system' } },
        }),
      );
      assertStatus(res, 400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    });

    it('a body over 3 MiB is 413', async function () {
      const big = JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'huge' },
        data: { blob: 'x'.repeat(3 * 1024 * 1024) },
      });
      const res = await rejected(() => kg.request('POST', CMS, { raw: big, headers: { 'content-type': 'application/json' } }));
      assertStatus(res, 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    });

    it('an unsupported Content-Type is 415', async function () {
      const res = await rejected(() => kg.request('POST', CMS, { raw: 'name=x', headers: { 'content-type': 'text/plain' } }));
      assertStatus(
        res,
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      );
    });

    it('bad write options are 422 on CreateOptions, UpdateOptions and DeleteOptions', async function () {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'opts' } };
      const create = await rejected(() => kg.request('POST', `${CMS}?dryRun=Nope`, { body: cm }));
      assertStatus(
        create,
        422,
        'Invalid',
        'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Nope"]: supported values: "All"',
      );
      const x = (await kg.request('GET', `${CMS}/x`)).body;
      const update = await rejected(() => kg.request('PUT', `${CMS}/x?fieldValidation=Loose`, { body: x }));
      assertStatus(
        update,
        422,
        'Invalid',
        'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"',
      );
      const del = await rejected(() => kg.request('DELETE', `${CMS}/x?dryRun=Nope`));
      assertStatus(
        del,
        422,
        'Invalid',
        'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Nope"]: supported values: "All"',
      );
    });
  });

  describe('validation', function () {
    it('an invalid name is 422 with a metadata.name cause', async function () {
      const res = await rejected(() =>
        kg.request('POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } } }),
      );
      assertStatus(
        res,
        422,
        'Invalid',
        `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN_MESSAGE}`,
      );
      assert.deepEqual(res.body.details, {
        name: 'Bad_Name',
        kind: 'ConfigMap',
        causes: [
          { reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${DNS1123_SUBDOMAIN_MESSAGE}`, field: 'metadata.name' },
        ],
      });
    });

    it('schema violations are one 422 listing each field', async function () {
      const res = await rejected(() =>
        kg.request('POST', PODS, {
          body: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'p' },
            spec: { restartPolicy: 'Sometimes', containers: [{ image: 'busybox' }] },
          },
        }),
      );
      assertStatus(res, 422, 'Invalid', /^Pod "p" is invalid: \[/);
      const fields = res.body.details.causes.map((c: { field: string }) => c.field);
      assert.ok(fields.includes('spec.containers[0].name'), res.text);
      assert.ok(fields.includes('spec.restartPolicy'), res.text);
      const restart = res.body.details.causes.find((c: { field: string }) => c.field === 'spec.restartPolicy');
      assert.equal(restart.reason, 'FieldValueNotSupported');
      assert.equal(restart.message, 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"');
      const name = res.body.details.causes.find((c: { field: string }) => c.field === 'spec.containers[0].name');
      assert.equal(name.reason, 'FieldValueRequired');
      assert.equal(name.message, 'Required value');
    });

    it('an unknown field under fieldValidation=Strict is 400', async function () {
      const res = await rejected(() =>
        kg.request('POST', '/api/v1/namespaces/default/services?fieldValidation=Strict', {
          body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'strict' }, spec: { ports: [{ port: 80 }], bogus: true } },
        }),
      );
      assertStatus(
        res,
        400,
        'BadRequest',
        'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.bogus"',
      );
    });

    it('an unknown field without fieldValidation is dropped with a warning', async function () {
      const res = await kg.request('POST', '/api/v1/namespaces/default/services', {
        body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'warned' }, spec: { ports: [{ port: 80 }], bogus: true } },
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.headers.warning, '299 - "unknown field \\"spec.bogus\\""');
      assert.equal('bogus' in res.body.spec, false);
      const stored = JSON.parse(await etcdctl('get', '/registry/services/specs/default/warned', '--print-value-only'));
      assert.equal('bogus' in stored.spec, false);
      assert.equal(stored.spec.ports[0].port, 80);
      const del = await kg.request('DELETE', '/api/v1/namespaces/default/services/warned');
      assert.equal(del.status, 200, del.text);
    });
  });

  describe('routing', function () {
    it('an unknown resource is 404', async function () {
      const res = await rejected(() => kg.request('GET', '/api/v1/namespaces/default/foos'));
      assertStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
    });

    it('POST to a named object is 405', async function () {
      const res = await rejected(() =>
        kg.request('POST', `${CMS}/x`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } }),
      );
      assertStatus(res, 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    });

    it('DELETE on the namespaces collection is 405', async function () {
      const res = await rejected(() => kg.request('DELETE', '/api/v1/namespaces'));
      assertStatus(res, 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    });

    it('Accept: protobuf only is 406 with a JSON Status', async function () {
      const res = await kg.request('GET', CMS, { headers: { accept: 'application/vnd.kubernetes.protobuf' } });
      assertStatus(res, 406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml');
      assert.match(String(res.headers['content-type']), /^application\/json/);
    });
  });

  describe('selectors and list options', function () {
    it('a continue token with a resourceVersion is 400, a garbled one 400 invalid continue token', async function () {
      const first = await kg.request('GET', `${CMS}?limit=1`);
      const seeded = await kg.request('POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second-page' } } });
      assert.equal(seeded.status, 201, seeded.text);
      const page = await kg.request('GET', `${CMS}?limit=1`);
      const token: string = page.body.metadata.continue;
      assert.ok(token, JSON.stringify(first.body.metadata));
      const withRV = await kg.request(
        'GET',
        `${CMS}?limit=1&resourceVersion=${page.body.metadata.resourceVersion}&continue=${encodeURIComponent(token)}`,
      );
      assertStatus(withRV, 400, 'BadRequest', 'specifying resource version is not allowed when using continue');
      const garbled = await kg.request('GET', `${CMS}?limit=1&continue=%21%21%21`);
      assertStatus(garbled, 400, 'BadRequest', /^invalid continue token: continue key is not valid: /);
      assert.equal((await kg.request('DELETE', `${CMS}/second-page`)).status, 200);
    });

    it('a malformed label selector is 400', async function () {
      const res = await kg.request('GET', `${CMS}?labelSelector=${encodeURIComponent('a in (b')}`);
      assertStatus(res, 400, 'BadRequest', /^unable to parse requirement: /);
    });

    it('an unsupported pod field selector is 400 field label not supported', async function () {
      const res = await kg.request('GET', `${PODS}?fieldSelector=spec.bogus%3Dx`);
      assertStatus(res, 400, 'BadRequest', 'field label not supported: spec.bogus');
    });

    it('an unsupported configmap field selector is 400 with the generic text', async function () {
      const res = await kg.request('GET', `${CMS}?fieldSelector=data.a%3D1`);
      assertStatus(res, 400, 'BadRequest', '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"');
    });

    it('resourceVersionMatch without resourceVersion is 422 on ListOptions', async function () {
      const res = await kg.request('GET', `${CMS}?resourceVersionMatch=Exact`);
      assertStatus(
        res,
        422,
        'Invalid',
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      );
      assert.equal(res.body.details.kind, 'ListOptions');
      assert.equal(res.body.details.group, 'meta.k8s.io');
    });

    it('resourceVersionMatch=Exact with resourceVersion=0 is 422', async function () {
      const res = await kg.request('GET', `${CMS}?resourceVersion=0&resourceVersionMatch=Exact`);
      assertStatus(
        res,
        422,
        'Invalid',
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      );
    });

    it('an unknown resourceVersionMatch is 422', async function () {
      const res = await kg.request('GET', `${CMS}?resourceVersion=1&resourceVersionMatch=Sometime`);
      assertStatus(
        res,
        422,
        'Invalid',
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Sometime": supported values: "Exact", "NotOlderThan", ""',
      );
    });
  });

  describe('writes against existing state', function () {
    it('a PUT whose body names no object is 400, as kube-apiserver’s checkName answers', async function () {
      const cur = await kg.request('GET', `${CMS}/x`);
      for (const metadata of [{ resourceVersion: cur.body.metadata.resourceVersion }, undefined]) {
        const res = await rejected(() =>
          kg.request('PUT', `${CMS}/x`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { a: 'b' } } }),
        );
        assertStatus(res, 400, 'BadRequest', 'the name of the object (x based on URL) was undeterminable: name must be provided');
      }
    });

    it('a stale resourceVersion on PUT is 409 Conflict', async function () {
      const cur = await kg.request('GET', `${CMS}/x`);
      const stale = {
        ...cur.body,
        metadata: { ...cur.body.metadata, resourceVersion: String(Number(cur.body.metadata.resourceVersion) - 1) },
        data: { a: 'stale' },
      };
      const res = await rejected(() => kg.request('PUT', `${CMS}/x`, { body: stale }));
      assertStatus(
        res,
        409,
        'Conflict',
        'Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again',
      );
    });

    it('a create in a missing namespace is 404', async function () {
      const res = await rejected(() =>
        kg.request('POST', '/api/v1/namespaces/nope/configmaps', {
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
        }),
      );
      assertStatus(res, 404, 'NotFound', 'namespaces "nope" not found');
    });

    it('a duplicate create is 409 AlreadyExists', async function () {
      const res = await rejected(() => kg.request('POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } }));
      assertStatus(res, 409, 'AlreadyExists', 'configmaps "x" already exists');
      assert.deepEqual(res.body.details, { name: 'x', kind: 'configmaps' });
    });
  });

  describe('credentials', function () {
    it('no bearer token is system:anonymous, whom RBAC refuses: 403', async function () {
      const res = await rejected(() =>
        kg.request('POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'anon' } }, token: null }),
      );
      assertStatus(
        res,
        403,
        'Forbidden',
        'configmaps is forbidden: User "system:anonymous" cannot create resource "configmaps" in API group "" in the namespace "default"',
      );
    });

    it('an invalid bearer token is 401', async function () {
      const res = await rejected(() => kg.request('GET', CMS, { token: 'not-a-token' }));
      assertStatus(res, 401, 'Unauthorized', 'Unauthorized');
    });
  });

  describe('compacted history', function () {
    // With the watch cache on: pages and watches from the past are checked against etcd's compacted history.
    let kgate: Kgate;
    before(async function () {
      kgate = await startKgate();
    });
    after(async function () {
      await kgate?.close();
    });

    it('an expired continue token is 410 and a watch from a compacted revision is one ERROR event', async function () {
      for (const name of ['page-a', 'page-b', 'page-c']) {
        const res = await kgate.request('POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } });
        assert.equal(res.status, 201, res.text);
      }
      const first = await kgate.request('GET', `${CMS}?limit=1`);
      assert.equal(first.status, 200, first.text);
      const token: string = first.body.metadata.continue;
      assert.ok(token);
      const listRV = Number(first.body.metadata.resourceVersion);
      // Move two revisions past the list's, then compact everything before the newest.
      let head = 0;
      for (const v of ['2', '3']) {
        const bump = await kgate.request('PUT', `${CMS}/page-a`, {
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'page-a' }, data: { v } },
        });
        assert.equal(bump.status, 200, bump.text);
        head = Number(bump.body.metadata.resourceVersion);
      }
      assert.equal(head, listRV + 2);
      await execFileAsync('etcdctl', ['--endpoints', kgate.etcd.endpoint, 'compact', String(head)], {
        env: { ...process.env, ETCDCTL_API: '3' },
      });

      const expired = await kgate.request('GET', `${CMS}?limit=1&continue=${encodeURIComponent(token)}`);
      assertStatus(
        expired,
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );

      const exact = await kgate.request('GET', `${CMS}?resourceVersion=${listRV}&resourceVersionMatch=Exact`);
      assertStatus(exact, 410, 'Expired', 'The resourceVersion for the provided list is too old.');

      const events = await kgate.watch(`${CMS}?watch=true&resourceVersion=${listRV}`, (evs) => evs.length >= 1);
      assert.equal(events.length, 1);
      assert.equal(events[0].type, 'ERROR', JSON.stringify(events));
      const status = events[0].object;
      assert.equal(status.kind, 'Status');
      assert.equal(status.code, 410);
      assert.equal(status.reason, 'Expired');
      assert.match(status.message, new RegExp(`^too old resource version: ${listRV} \\(\\d+\\)$`));

      // The newest revision survives compaction: a watch from just before it sees the change as MODIFIED,
      // although etcd no longer has the previous state.
      const boundary = await kgate.watch(`${CMS}?watch=true&resourceVersion=${head - 1}`, (evs) => evs.length >= 1);
      assert.deepEqual(
        boundary.map((e) => [e.type, e.object.metadata.name, e.object.data]),
        [['MODIFIED', 'page-a', { v: '3' }]],
      );
    });
  });

  describe('afterwards', function () {
    it('still answers /readyz', async function () {
      const res = await kg.request('GET', '/readyz');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, 'ok');
    });
  });
});
