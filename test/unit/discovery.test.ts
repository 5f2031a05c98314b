import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { parse as parseYaml } from 'yaml';
import { builtinScheme } from '../../src/scheme/index.js';
import { createDiscovery, storageVersionHash } from '../../src/endpoints/discovery.js';
import { goPlatform, handleVersion, versionInfo } from '../../src/endpoints/version.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
/** What client-go ≥ 1.35 sends for /api and /apis. */
const CLIENT_GO_ACCEPT = `${AGGREGATED_V2};profile=nopeer,${AGGREGATED_V2},${AGGREGATED_V2BETA1},application/json`;

/** Parsed response bodies: a JSON boundary. */
type Json = any;

describe('discovery and /version endpoints', () => {
  let server: Server;
  let port: number;

  function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  before(async () => {
    const discovery = createDiscovery(builtinScheme());
    const app = new Koa();
    app.use(async (ctx, next) => {
      if (handleVersion(ctx) || discovery.handle(ctx)) return;
      await next();
    });
    app.use((ctx) => {
      ctx.status = 418;
      ctx.body = 'not discovery';
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  });

  describe('legacy discovery', () => {
    it('GET /api lists v1 and the address the request reached', async () => {
      const r = await get('/api');
      assert.equal(r.status, 200);
      assert.match(String(r.headers['content-type']), /^application\/json/);
      assert.deepEqual(JSON.parse(r.text), {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }],
      });
    });

    it('GET /apis lists the named groups in scheme order, without the core group', async () => {
      const r = await get('/apis');
      assert.equal(r.status, 200);
      const body: Json = JSON.parse(r.text);
      assert.equal(body.kind, 'APIGroupList');
      assert.equal(body.apiVersion, 'v1');
      const names = body.groups.map((g: Json) => g.name);
      const expected = builtinScheme()
        .groups()
        .filter((g) => g.name !== '')
        .map((g) => g.name);
      assert.deepEqual(names, expected);
      assert.ok(!names.includes(''));
      const apps = body.groups.find((g: Json) => g.name === 'apps');
      assert.deepEqual(apps, {
        name: 'apps',
        versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
      });
      const autoscaling = body.groups.find((g: Json) => g.name === 'autoscaling');
      assert.deepEqual(autoscaling.preferredVersion, { groupVersion: 'autoscaling/v2', version: 'v2' });
      assert.deepEqual(
        autoscaling.versions.map((v: Json) => v.version),
        ['v2', 'v1'],
      );
    });

    it('GET /apis/apps answers APIGroup', async () => {
      const r = await get('/apis/apps');
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.text), {
        kind: 'APIGroup',
        apiVersion: 'v1',
        name: 'apps',
        versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
      });
    });

    it('GET /api/v1 lists pods with short names, categories, hash and sorted subresources', async () => {
      const r = await get('/api/v1');
      assert.equal(r.status, 200);
      const body: Json = JSON.parse(r.text);
      assert.equal(body.kind, 'APIResourceList');
      assert.equal(body.groupVersion, 'v1');
      assert.equal('apiVersion' in body, false, 'the core list has no apiVersion (keepUnversioned)');
      const names: string[] = body.resources.map((x: Json) => x.name);
      const pods = body.resources.find((x: Json) => x.name === 'pods');
      assert.deepEqual(pods, {
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['po'],
        categories: ['all'],
        storageVersionHash: 'xPOwRZ+Yhw8=',
      });
      const podStatus = body.resources.find((x: Json) => x.name === 'pods/status');
      assert.deepEqual(podStatus, {
        name: 'pods/status',
        singularName: '',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get', 'patch', 'update'],
      });
      // Paths sorted bytewise, as kube's installer sorts them.
      assert.deepEqual(names, [...names].sort());
      assert.ok(names.indexOf('pods') < names.indexOf('pods/status'));
      assert.ok(names.indexOf('pods/status') < names.indexOf('podtemplates'));
      // Empty shortNames/categories are omitted, not [].
      const configmaps = body.resources.find((x: Json) => x.name === 'configmaps');
      assert.deepEqual(configmaps.shortNames, ['cm']);
      assert.equal('categories' in configmaps, false);
      const nsFinalize = body.resources.find((x: Json) => x.name === 'namespaces/finalize');
      assert.deepEqual(nsFinalize, {
        name: 'namespaces/finalize',
        singularName: '',
        namespaced: false,
        kind: 'Namespace',
        verbs: ['update'],
      });
    });

    it('GET /apis/apps/v1 lists deployments', async () => {
      const r = await get('/apis/apps/v1');
      assert.equal(r.status, 200);
      const body: Json = JSON.parse(r.text);
      assert.equal(body.apiVersion, 'v1');
      assert.equal(body.groupVersion, 'apps/v1');
      const deployments = body.resources.find((x: Json) => x.name === 'deployments');
      assert.deepEqual(deployments, {
        name: 'deployments',
        singularName: 'deployment',
        namespaced: true,
        kind: 'Deployment',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['deploy'],
        categories: ['all'],
        storageVersionHash: '8aSe+NMegvE=',
      });
      assert.ok(body.resources.some((x: Json) => x.name === 'deployments/status'));
    });

    it('hashes the storage version, so events.k8s.io events share core Event’s hash', async () => {
      const body: Json = JSON.parse((await get('/apis/events.k8s.io/v1')).text);
      const events = body.resources.find((x: Json) => x.name === 'events');
      assert.equal(events.storageVersionHash, storageVersionHash({ group: '', version: 'v1', kind: 'Event' }));
    });

    it('answers YAML when asked', async () => {
      const r = await get('/apis/apps', { Accept: 'application/yaml' });
      assert.equal(r.status, 200);
      assert.match(String(r.headers['content-type']), /^application\/yaml/);
      assert.equal(parseYaml(r.text).name, 'apps');
    });

    it('unknown group or version is 404 NotFound with kube’s message', async () => {
      for (const path of ['/apis/nosuch', '/apis/apps/v9', '/api/v2', '/apis/nosuch/v1']) {
        const r = await get(path);
        assert.equal(r.status, 404, path);
        const body: Json = JSON.parse(r.text);
        assert.equal(body.kind, 'Status');
        assert.equal(body.reason, 'NotFound');
        assert.equal(body.code, 404);
        assert.equal(body.message, 'the server could not find the requested resource');
      }
    });

    it('leaves resource paths and other methods to the next handler', async () => {
      assert.equal((await get('/api/v1/pods')).status, 418);
      assert.equal((await get('/apis/apps/v1/deployments')).status, 418);
      assert.equal((await get('/apis', {}, 'POST')).status, 418);
    });

    it('406 when only protobuf is acceptable; JSON when protobuf has a fallback', async () => {
      const only = await get('/api/v1', { Accept: 'application/vnd.kubernetes.protobuf' });
      assert.equal(only.status, 406);
      const status: Json = JSON.parse(only.text);
      assert.equal(status.reason, 'NotAcceptable');
      assert.equal(status.message, 'only the following media types are accepted: application/json, application/yaml');
      const both = await get('/api/v1', { Accept: 'application/vnd.kubernetes.protobuf, application/json' });
      assert.equal(both.status, 200);
      assert.match(String(both.headers['content-type']), /^application\/json/);
    });

    it('the Table transformation is not acceptable for discovery', async () => {
      const r = await get('/apis', { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
      assert.equal(r.status, 406);
    });
  });

  describe('aggregated discovery', () => {
    it('GET /apis with the v2 Accept answers APIGroupDiscoveryList and echoes the media type', async () => {
      const r = await get('/apis', { Accept: CLIENT_GO_ACCEPT });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], AGGREGATED_V2);
      assert.equal(r.headers['vary'], 'Accept');
      assert.match(String(r.headers['etag']), /^"[0-9A-F]{128}"$/);
      const body: Json = JSON.parse(r.text);
      assert.equal(body.kind, 'APIGroupDiscoveryList');
      assert.equal(body.apiVersion, 'apidiscovery.k8s.io/v2');
      assert.deepEqual(body.metadata, {});
      assert.ok(body.items.every((i: Json) => i.metadata.name !== undefined && i.metadata.name !== ''));
      const apps = body.items.find((i: Json) => i.metadata.name === 'apps');
      assert.deepEqual(apps.metadata, { name: 'apps' });
      assert.equal(apps.versions[0].version, 'v1');
      assert.equal(apps.versions[0].freshness, 'Current');
      const deployments = apps.versions[0].resources.find((x: Json) => x.resource === 'deployments');
      assert.deepEqual(deployments, {
        resource: 'deployments',
        responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
        scope: 'Namespaced',
        singularResource: 'deployment',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['deploy'],
        categories: ['all'],
        subresources: [
          { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
          { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
        ],
      });
      const autoscaling = body.items.find((i: Json) => i.metadata.name === 'autoscaling');
      assert.deepEqual(
        autoscaling.versions.map((v: Json) => v.version),
        ['v2', 'v1'],
      );
    });

    it('GET /api with the v2 Accept holds only the core group', async () => {
      const r = await get('/api', { Accept: CLIENT_GO_ACCEPT });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], AGGREGATED_V2);
      const body: Json = JSON.parse(r.text);
      assert.equal(body.items.length, 1);
      assert.deepEqual(body.items[0].metadata, {});
      const v1 = body.items[0].versions[0];
      assert.equal(v1.version, 'v1');
      const pods = v1.resources.find((x: Json) => x.resource === 'pods');
      assert.deepEqual(pods.responseKind, { group: '', version: 'v1', kind: 'Pod' });
      assert.equal(pods.scope, 'Namespaced');
      assert.deepEqual(pods.shortNames, ['po']);
      assert.deepEqual(pods.categories, ['all']);
      assert.deepEqual(
        pods.subresources.map((s: Json) => s.subresource),
        ['binding', 'status'],
      );
      const namespaces = v1.resources.find((x: Json) => x.resource === 'namespaces');
      assert.equal(namespaces.scope, 'Cluster');
      assert.deepEqual(
        namespaces.subresources.map((s: Json) => s.subresource),
        ['finalize', 'status'],
      );
    });

    it('serves v2beta1 when that is what the client asks for first', async () => {
      const r = await get('/apis', { Accept: `${AGGREGATED_V2BETA1},application/json` });
      assert.equal(r.headers['content-type'], AGGREGATED_V2BETA1);
      assert.equal(JSON.parse(r.text).apiVersion, 'apidiscovery.k8s.io/v2beta1');
    });

    it('skips aggregated clauses in a version it does not serve', async () => {
      const r = await get('/apis', { Accept: 'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json' });
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(r.text).kind, 'APIGroupList');
    });

    it('answers legacy discovery to a plain Accept and on group-version paths', async () => {
      assert.equal(JSON.parse((await get('/apis', { Accept: 'application/json' })).text).kind, 'APIGroupList');
      const gv = await get('/apis/apps/v1', { Accept: CLIENT_GO_ACCEPT });
      assert.equal(JSON.parse(gv.text).kind, 'APIResourceList');
      assert.match(String(gv.headers['content-type']), /^application\/json$/);
    });

    it('304 Not Modified for a matching If-None-Match, 200 for a stale one', async () => {
      const first = await get('/apis', { Accept: CLIENT_GO_ACCEPT });
      const etag = String(first.headers['etag']);
      const again = await get('/apis', { Accept: CLIENT_GO_ACCEPT, 'If-None-Match': etag });
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
      assert.equal(again.headers['etag'], etag);
      const stale = await get('/apis', { Accept: CLIENT_GO_ACCEPT, 'If-None-Match': '"0123"' });
      assert.equal(stale.status, 200);
      // The /api and /apis documents differ, so do their ETags.
      const api = await get('/api', { Accept: CLIENT_GO_ACCEPT });
      assert.notEqual(api.headers['etag'], etag);
    });

    it('HEAD answers headers only', async () => {
      const r = await get('/apis', { Accept: CLIENT_GO_ACCEPT }, 'HEAD');
      assert.equal(r.status, 200);
      assert.equal(r.text, '');
      assert.equal(r.headers['content-type'], AGGREGATED_V2);
    });
  });

  describe('/version', () => {
    it('reports v1.34 with a semver gitVersion and Go-style platform', async () => {
      const r = await get('/version');
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json');
      const info: Json = JSON.parse(r.text);
      assert.equal(info.major, '1');
      assert.equal(info.minor, '34');
      assert.equal(info.emulationMinor, '34');
      assert.equal(info.minCompatibilityMinor, '33');
      assert.match(info.gitVersion, /^v1\.34\.\d+\+[0-9A-Za-z.-]+$/);
      assert.equal(info.gitTreeState, 'clean');
      assert.match(info.buildDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal(info.goVersion, `node${process.versions.node}`);
      assert.equal(info.compiler, 'node');
      assert.equal(info.platform, goPlatform());
      assert.deepEqual(Object.keys(info), [
        'major',
        'minor',
        'emulationMajor',
        'emulationMinor',
        'minCompatibilityMajor',
        'minCompatibilityMinor',
        'gitVersion',
        'gitCommit',
        'gitTreeState',
        'buildDate',
        'goVersion',
        'compiler',
        'platform',
      ]);
    });

    it('maps Node platform names to Go’s', () => {
      assert.equal(goPlatform('linux', 'x64'), 'linux/amd64');
      assert.equal(goPlatform('darwin', 'arm64'), 'darwin/arm64');
      assert.equal(goPlatform('win32', 'ia32'), 'windows/386');
    });

    it('takes the commit and build date it is given', () => {
      const info = versionInfo({ gitCommit: 'a'.repeat(40), buildDate: '2025-01-02T03:04:05Z', gitVersion: 'v1.34.2+kgate.1' });
      assert.equal(info.gitCommit, 'a'.repeat(40));
      assert.equal(info.buildDate, '2025-01-02T03:04:05Z');
      assert.equal(info.gitVersion, 'v1.34.2+kgate.1');
    });
  });
});
