import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createHealth, createShutdownCheck, type HealthCheck } from '../../src/endpoints/health.js';

interface Reply {
  status: number;
  contentType: string | undefined;
  text: string;
}

/** A check whose health the test flips. */
function toggleCheck(name: string): HealthCheck & { healthy: boolean } {
  const c = {
    name,
    healthy: true,
    async check() {
      if (!c.healthy) throw new Error(`${name} is down`);
    },
  };
  return c;
}

describe('health endpoints', () => {
  let server: Server;
  let port: number;
  const etcd = toggleCheck('etcd');
  const informers = toggleCheck('informer-sync');
  const bootstrapRoles = toggleCheck('poststarthook/rbac/bootstrap-roles');
  const shutdown = createShutdownCheck();
  const failures: string[] = [];

  function get(path: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  before(async () => {
    const health = createHealth(
      { livez: [etcd, bootstrapRoles], readyz: [etcd, informers, bootstrapRoles, shutdown] },
      { onCheckFailed: (endpoint, check, error) => failures.push(`${endpoint}:${check}:${(error as Error).message}`) },
    );
    const app = new Koa();
    app.use(async (ctx, next) => {
      if (await health.handle(ctx)) return;
      await next();
    });
    app.use((ctx) => {
      ctx.status = 418;
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    etcd.healthy = true;
    informers.healthy = true;
    bootstrapRoles.healthy = true;
    failures.length = 0;
  });

  after(async () => {
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  });

  it('answers plain `ok` on /healthz, /livez and /readyz', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const r = await get(path);
      assert.equal(r.status, 200, path);
      assert.equal(r.text, 'ok');
      assert.equal(r.contentType, 'text/plain; charset=utf-8');
    }
  });

  it('?verbose lists every check, ping first, then `<path> check passed`', async () => {
    const r = await get('/readyz?verbose');
    assert.equal(r.status, 200);
    assert.equal(
      r.text,
      '[+]ping ok\n[+]etcd ok\n[+]informer-sync ok\n[+]poststarthook/rbac/bootstrap-roles ok\n[+]shutdown ok\nreadyz check passed\n',
    );
    const live = await get('/livez?verbose=1');
    assert.equal(live.text, '[+]ping ok\n[+]etcd ok\n[+]poststarthook/rbac/bootstrap-roles ok\nlivez check passed\n');
  });

  it('a failing check is 500 with the reason withheld, verbose or not', async () => {
    etcd.healthy = false;
    const r = await get('/readyz');
    assert.equal(r.status, 500);
    assert.equal(r.contentType, 'text/plain; charset=utf-8');
    assert.equal(
      r.text,
      '[+]ping ok\n[-]etcd failed: reason withheld\n[+]informer-sync ok\n[+]poststarthook/rbac/bootstrap-roles ok\n[+]shutdown ok\nreadyz check failed\n',
    );
    assert.deepEqual(failures, ['readyz:etcd:etcd is down']);
    const healthz = await get('/healthz?verbose');
    assert.equal(healthz.status, 500);
    assert.equal(
      healthz.text,
      '[+]ping ok\n[-]etcd failed: reason withheld\n[+]poststarthook/rbac/bootstrap-roles ok\nhealthz check failed\n',
    );
  });

  it('?exclude skips a check and reports unknown exclusions', async () => {
    informers.healthy = false;
    const r = await get('/readyz?verbose&exclude=informer-sync&exclude=nosuch');
    assert.equal(r.status, 200);
    assert.equal(
      r.text,
      '[+]ping ok\n[+]etcd ok\n[+]informer-sync excluded: ok\n[+]poststarthook/rbac/bootstrap-roles ok\n[+]shutdown ok\n' +
        'warn: some health checks cannot be excluded: no matches for "nosuch"\nreadyz check passed\n',
    );
    assert.equal((await get('/readyz?exclude=informer-sync')).text, 'ok');
  });

  it('serves each check on its own path, with the reason', async () => {
    assert.deepEqual([(await get('/readyz/ping')).status, (await get('/readyz/ping')).text], [200, 'ok']);
    const nested = await get('/livez/poststarthook/rbac/bootstrap-roles');
    assert.equal(nested.status, 200);
    assert.equal(nested.text, 'ok');
    bootstrapRoles.healthy = false;
    const failing = await get('/livez/poststarthook/rbac/bootstrap-roles');
    assert.equal(failing.status, 500);
    assert.equal(failing.text, 'internal server error: poststarthook/rbac/bootstrap-roles is down\n');
  });

  it('an unknown check is 404', async () => {
    const r = await get('/readyz/nosuch');
    assert.equal(r.status, 404);
    assert.equal(JSON.parse(r.text).message, 'the server could not find the requested resource');
    assert.equal((await get('/livez/informer-sync')).status, 404, 'informer-sync is a readyz check only');
  });

  it('other paths are left to the next handler', async () => {
    assert.equal((await get('/readyzz')).status, 418);
    assert.equal((await get('/metrics')).status, 418);
  });

  // Last: shutting down cannot be undone.
  it('/readyz/shutdown fails once shutdown begins, while /livez stays healthy', async () => {
    assert.equal((await get('/readyz/shutdown')).status, 200);
    shutdown.beginShutdown();
    const check = await get('/readyz/shutdown');
    assert.equal(check.status, 500);
    assert.equal(check.text, 'internal server error: process is shutting down\n');
    const ready = await get('/readyz');
    assert.equal(ready.status, 500);
    assert.match(ready.text, /\[-\]shutdown failed: reason withheld\nreadyz check failed\n$/);
    assert.equal((await get('/livez')).status, 200);
  });
});
