// The webhook HTTP/1.1 client (src/admission/webhook/http1.ts) against a real HTTPS server on loopback: answers with
// Content-Length, chunked and read-to-close bodies, connection reuse, a server that closed its idle connections
// (the request is sent again on a new one), a deadline, and a certificate checked against the trusted CA.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { Http1Pool, type Http1Target } from '../../src/admission/webhook/http1.js';
import { ensureCertificates } from '../../src/server/certs.js';

describe('webhook HTTP/1.1 client', function () {
  this.timeout(30_000);
  let dir: string;
  let server: Server;
  let target: Http1Target;
  let connections = 0;
  const pool = new Http1Pool();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kgate-http1-'));
    const pki = await ensureCertificates(join(dir, 'pki'));
    server = createServer({ cert: pki.servingCertChain, key: pki.servingKey }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        switch (req.url) {
          case '/chunked':
            res.writeHead(200, { 'content-type': 'application/json' });
            res.write('{"echo":');
            setImmediate(() => res.end(`${JSON.stringify(body)}}`));
            return;
          case '/close':
            res.writeHead(200, { connection: 'close', 'content-length': 2 }).end('{}');
            return;
          case '/hang':
            return;
          default:
            res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body, host: req.headers.host }));
        }
      });
    });
    server.on('secureConnection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = { host: '127.0.0.1', port: (server.address() as AddressInfo).port, secureContext: createSecureContext({ ca: pki.caCert }) };
  });
  after(async () => {
    pool.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const head = (path: string, body: Buffer) =>
    `POST ${path} HTTP/1.1\r\nHost: example.test:443\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  const post = (path: string, text: string, deadline = Date.now() + 10_000) => {
    const body = Buffer.from(text);
    return pool.request(target, head(path, body), body, deadline);
  };

  it('reads a Content-Length answer and reuses the connection for the next request', async () => {
    const before = connections;
    const first = await post('/echo', 'one');
    assert.equal(first.status, 201);
    assert.deepEqual(JSON.parse(first.body.toString()), { echo: 'one', host: 'example.test:443' });
    const second = await post('/echo', 'two');
    assert.deepEqual(JSON.parse(second.body.toString()).echo, 'two');
    assert.equal(connections - before, 1);
  });

  it('reads a chunked answer', async () => {
    const res = await post('/chunked', 'x'.repeat(100_000));
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(JSON.parse(res.body.toString()).echo.length, 100_000);
  });

  it('does not reuse a connection the server asked to close', async () => {
    assert.equal((await post('/close', '')).body.toString(), '{}');
    const before = connections;
    await post('/echo', 'after close');
    assert.equal(connections - before, 1);
  });

  it('sends again on a new connection when the server closed the idle one', async () => {
    await post('/echo', 'warm');
    server.closeIdleConnections();
    const res = await post('/echo', 'again');
    assert.equal(JSON.parse(res.body.toString()).echo, 'again');
  });

  it('gives up at the deadline with ETIMEDOUT', async () => {
    await assert.rejects(post('/hang', '', Date.now() + 200), (e: NodeJS.ErrnoException) => e.code === 'ETIMEDOUT');
  });

  it('refuses a certificate its CA did not sign, with Node’s verification code', async () => {
    const other = await ensureCertificates(join(dir, 'other-pki'));
    const untrusting = new Http1Pool();
    try {
      const body = Buffer.from('{}');
      await assert.rejects(
        untrusting.request(
          { ...target, secureContext: createSecureContext({ ca: other.caCert }) },
          head('/echo', body),
          body,
          Date.now() + 10_000,
        ),
        (e: NodeJS.ErrnoException) => e.code === 'CERT_SIGNATURE_FAILURE' || e.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      );
    } finally {
      untrusting.close();
    }
  });
});
