// HTTP/2 and HTTP/1.1 on one TLS port, as kube-apiserver serves them (ALPN `h2`, then `http/1.1`): the protocol
// each client negotiates, many watches multiplexed on one connection, long lists and per-stream flow control,
// kube's HTTP/2 settings, and watches that end cleanly when the server shuts down.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http2 from 'node:http2';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureCertificates, type ServingCertificates } from '../../src/server/certs.js';
import { serveSecurely, type SecureServing } from '../../src/server/serving.js';
import { startKgate, type Kgate } from '../support/kgate.js';

const execFileAsync = promisify(execFile);

interface H2Reply {
  status: number;
  headers: http2.IncomingHttpHeaders;
  text: string;
  body: any;
}

function connect(kg: Kgate): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(kg.url, { ca: kg.ca });
    session.once('error', reject);
    // The server's SETTINGS have arrived once this fires, so remoteSettings hold kgate's values.
    session.once('remoteSettings', () => resolve(session));
    // As Go's client (1 GiB): a connection window far larger than a stream's, so one stream whose data is not
    // read cannot stall the others.
    session.once('connect', () => session.setLocalWindowSize(1 << 30));
  });
}

function h2request(kg: Kgate, session: http2.ClientHttp2Session, method: string, path: string, body?: unknown): Promise<H2Reply> {
  return new Promise((resolve, reject) => {
    const headers: http2.OutgoingHttpHeaders = { ':method': method, ':path': path, authorization: `Bearer ${kg.token}` };
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) headers['content-type'] = 'application/json';
    const stream = session.request(headers, { endStream: payload === undefined });
    let status = 0;
    let responseHeaders: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      status = Number(h[':status']);
      responseHeaders = h;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: any;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      resolve({ status, headers: responseHeaders, text, body: parsed });
    });
    stream.on('error', reject);
    if (payload) stream.end(payload);
  });
}

interface H2Watch {
  stream: http2.ClientHttp2Stream;
  events: any[];
  /** Resolves with the status once the response headers arrived (the watch is registered). */
  established: Promise<number>;
  /** Resolves when the stream is closed: how it ended, and any bytes after the last complete line. */
  closed: Promise<{ ended: boolean; rstCode: number; partial: string }>;
}

function h2watch(kg: Kgate, session: http2.ClientHttp2Session, path: string): H2Watch {
  const stream = session.request({ ':method': 'GET', ':path': path, authorization: `Bearer ${kg.token}` });
  const events: any[] = [];
  let buffer = '';
  let ended = false;
  const established = new Promise<number>((resolve, reject) => {
    stream.once('response', (h) => resolve(Number(h[':status'])));
    stream.once('error', reject);
  });
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() !== '') events.push(JSON.parse(line));
    }
  });
  stream.on('end', () => (ended = true));
  // A reset stream also emits 'error'; the test reads the outcome from `closed`.
  stream.on('error', () => undefined);
  const closed = new Promise<{ ended: boolean; rstCode: number; partial: string }>((resolve) =>
    stream.once('close', () => resolve({ ended, rstCode: stream.rstCode ?? -1, partial: buffer })),
  );
  return { stream, events, established, closed };
}

/** Polls `condition` until it holds; on the deadline fails with `describe()`. */
async function waitFor(condition: () => boolean, describe: () => string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`condition not met within ${deadlineMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function cm(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

describe('HTTP/2', function () {
  this.timeout(180_000);
  let kg: Kgate;
  let caFile: string;

  async function createNamespace(k: Kgate, name: string): Promise<void> {
    const res = await k.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    assert.ok(res.status === 201 || res.status === 409, res.text);
  }

  async function curlVersion(flag: string): Promise<string> {
    const { stdout } = await execFileAsync('curl', [
      flag,
      '-s',
      '--cacert',
      caFile,
      '-o',
      '/dev/null',
      '-w',
      '%{http_version}',
      `${kg.url}/version`,
    ]);
    return stdout;
  }

  before(async function () {
    kg = await startKgate();
    caFile = join(tmpdir(), `kgate-h2-ca-${process.pid}.pem`);
    await writeFile(caFile, kg.ca);
  });
  after(async function () {
    await kg?.close();
    if (caFile) await rm(caFile, { force: true });
  });

  it('curl --http2 gets HTTP/2 by ALPN, and curl --http1.1 gets HTTP/1.1, on the same port', async function () {
    assert.equal(await curlVersion('--http2'), '2');
    assert.equal(await curlVersion('--http1.1'), '1.1');
  });

  it("advertises kube-apiserver's HTTP/2 settings: 100 streams, 256 KiB stream window and frames", async function () {
    const session = await connect(kg);
    try {
      assert.equal(session.alpnProtocol, 'h2');
      assert.equal(session.remoteSettings.maxConcurrentStreams, 100);
      assert.equal(session.remoteSettings.initialWindowSize, 256 * 1024);
      assert.equal(session.remoteSettings.maxFrameSize, 256 * 1024);
    } finally {
      session.close();
    }
  });

  it('closes an HTTP/2 connection (GOAWAY) after an unauthenticated request, as kube does since 1.29, and keeps an authenticated one', async function () {
    for (const [authorization, path, status] of [
      [undefined, '/version', 200],
      ['Bearer wrong', '/api/v1/namespaces', 401],
      // Without credentials a request is system:anonymous, refused by RBAC; its connection still gets the GOAWAY.
      [undefined, '/api/v1/namespaces', 403],
    ] as const) {
      const session = await connect(kg);
      const goaway = new Promise<number>((resolve) => session.once('goaway', (code) => resolve(code)));
      const stream = session.request({ ':path': path, ...(authorization ? { authorization } : {}) });
      stream.resume();
      const got = await new Promise<number>((resolve) => stream.once('response', (h) => resolve(Number(h[':status']))));
      assert.equal(got, status, path);
      assert.equal(await goaway, http2.constants.NGHTTP2_NO_ERROR);
      await new Promise((resolve) => (session.closed ? resolve(undefined) : session.once('close', resolve)));
    }
    const session = await connect(kg);
    try {
      let goaway = false;
      session.once('goaway', () => (goaway = true));
      for (let i = 0; i < 3; i++) assert.equal((await h2request(kg, session, 'GET', '/api/v1/namespaces')).status, 200);
      assert.equal(goaway, false);
    } finally {
      session.close();
    }
  });

  it('kubectl talks HTTP/2 to kgate, and -v=8 shows its requests succeeding', async function () {
    // Go's HTTP/2 transport logs its frames with GODEBUG=http2debug=1; kubectl itself does not print the protocol.
    const saved = process.env.GODEBUG;
    process.env.GODEBUG = 'http2debug=1';
    let result: { stdout: string; stderr: string };
    try {
      result = await kg.kubectl(['get', 'namespaces', '-v=8']);
    } finally {
      if (saved === undefined) delete process.env.GODEBUG;
      else process.env.GODEBUG = saved;
    }
    assert.match(result.stderr, /http2: Transport received SETTINGS .*MAX_CONCURRENT_STREAMS=100/);
    assert.match(result.stderr, /http2: Transport encoding header ":path" = "\/api\/v1\/namespaces\?limit=500"/);
    // kubectl 1.34 logs responses as structured lines: "Response" status="200 OK".
    assert.match(result.stderr, /"Response" status="200 OK"/);
    assert.match(result.stdout, /kube-system/);
  });

  it('delivers every event to 100 watches multiplexed on one HTTP/2 connection', async function () {
    const NS = 'h2-fanout';
    const GROUPS = 10;
    const PER_GROUP = 3;
    await createNamespace(kg, NS);
    const path = `/api/v1/namespaces/${NS}/configmaps`;
    const start = (await kg.request('GET', path)).body.metadata.resourceVersion;
    const session = await connect(kg);
    try {
      // Watch i sees group i % 10 (90 of them) or everything (every tenth, without a selector).
      const watches = Array.from({ length: 100 }, (_, i) =>
        h2watch(kg, session, `${path}?watch=true&resourceVersion=${start}${i % 10 === 9 ? '' : `&labelSelector=group%3Dg${i % GROUPS}`}`),
      );
      assert.deepEqual(
        await Promise.all(watches.map((w) => w.established)),
        watches.map(() => 200),
      );
      const names: string[][] = Array.from({ length: GROUPS }, () => []);
      // Written over HTTP/1.1 while the 100 streams take all the HTTP/2 connection's concurrent streams.
      for (let n = 0; n < GROUPS * PER_GROUP; n++) {
        const g = n % GROUPS;
        const name = `cm-${String(n).padStart(2, '0')}`;
        const res = await kg.request('POST', path, { body: cm(name, { group: `g${g}` }) });
        assert.equal(res.status, 201, res.text);
        names[g].push(name);
      }
      const expected = watches.map((_, i) => (i % 10 === 9 ? names.flat().sort() : names[i % GROUPS]));
      const got = () => watches.map((w) => w.events.map((e) => `${e.type} ${e.object.metadata.name}`));
      await waitFor(
        () => watches.every((w, i) => w.events.length >= expected[i].length),
        () => `events per watch: ${watches.map((w) => w.events.length).join(',')}`,
      );
      assert.deepEqual(
        got().map((evs, i) => (i % 10 === 9 ? [...evs].sort() : evs)),
        expected.map((ns) => ns.map((n) => `ADDED ${n}`)),
      );
      for (const w of watches) w.stream.close();
    } finally {
      session.close();
    }
  });

  it('serves a 12 MB list complete over HTTP/2 as over HTTP/1.1, and requests beside it while it waits on flow control', async function () {
    const NS = 'h2-list';
    const COUNT = 300;
    await createNamespace(kg, NS);
    const path = `/api/v1/namespaces/${NS}/configmaps`;
    const session = await connect(kg);
    try {
      // The creates themselves go over HTTP/2 too, 50 request bodies in flight at a time.
      // Over 10 MB in all: more than node:http2's default session memory, which counts data queued for sending.
      const blob = 'x'.repeat(40 * 1024);
      for (let i = 0; i < COUNT; i += 50) {
        const replies = await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            h2request(kg, session, 'POST', path, cm(`big-${String(i + j).padStart(3, '0')}`, {}, { blob })),
          ),
        );
        for (const r of replies) assert.equal(r.status, 201, r.text);
      }
      // The list's 12 MB wait on the server while its stream is not read; requests beside it on the same
      // connection are still served (node:http2 would kill the connection if queued data counted against its
      // default 10 MB session memory).
      const listStream = session.request({ ':method': 'GET', ':path': path, authorization: `Bearer ${kg.token}` });
      listStream.pause();
      const listChunks: Buffer[] = [];
      const listDone = new Promise<{ status: number; text: string }>((resolve, reject) => {
        let status = 0;
        listStream.once('response', (h) => (status = Number(h[':status'])));
        listStream.on('data', (c: Buffer) => listChunks.push(c));
        listStream.once('end', () => resolve({ status, text: Buffer.concat(listChunks).toString('utf8') }));
        listStream.once('error', reject);
      });
      await new Promise((resolve) => listStream.once('response', resolve));
      const beside = await Promise.all(Array.from({ length: 20 }, async () => (await h2request(kg, session, 'GET', '/version')).status));
      assert.deepEqual(
        beside,
        beside.map(() => 200),
      );
      listStream.resume();
      const listed = await listDone;
      const h2 = { ...listed, body: JSON.parse(listed.text) };
      assert.equal(h2.status, 200);
      assert.ok(h2.text.length > COUNT * blob.length, `list of ${h2.text.length} bytes`);
      assert.deepEqual(
        h2.body.items.map((o: any) => o.metadata.name),
        Array.from({ length: COUNT }, (_, i) => `big-${String(i).padStart(3, '0')}`),
      );
      assert.ok(h2.body.items.every((o: any) => o.data.blob === blob));
      const h1 = await kg.request('GET', `${path}?resourceVersion=${h2.body.metadata.resourceVersion}&resourceVersionMatch=Exact`);
      assert.equal(h1.status, 200, h1.text);
      assert.equal(h1.text, h2.text);
    } finally {
      session.close();
    }
  });

  it('answers an oversize body streamed without Content-Length with 413, and the connection keeps serving', async function () {
    const session = await connect(kg);
    try {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/api/v1/namespaces/default/configmaps',
        authorization: `Bearer ${kg.token}`,
        'content-type': 'application/json',
      });
      const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
        let status = 0;
        let text = '';
        stream.on('response', (h) => (status = Number(h[':status'])));
        stream.setEncoding('utf8');
        stream.on('data', (c: string) => (text += c));
        stream.on('end', () => resolve({ status, text }));
        stream.on('error', reject);
      });
      // Written as the flow-control window allows; the server stops reading after 3 MiB.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024 && !stream.closed) {
          sent += chunk.length;
          if (!stream.write(chunk)) return void stream.once('drain', pump);
        }
        if (!stream.closed) stream.end();
      };
      pump();
      const { status, text } = await reply;
      assert.equal(status, 413, text);
      assert.equal(JSON.parse(text).reason, 'RequestEntityTooLarge');
      // The server tells the client to stop sending, without error (RFC 9113 section 8.1).
      // (Node's client stream reports it as closed at once, but emits 'close' only once its own writes are done.)
      await waitFor(
        () => stream.closed,
        () => `the stream is still open after ${sent} bytes`,
      );
      assert.equal(stream.rstCode, http2.constants.NGHTTP2_NO_ERROR);
      assert.ok(sent < 4 * 1024 * 1024, `the whole ${sent} bytes were sent`);
      stream.destroy();
      const next = await h2request(kg, session, 'GET', '/version');
      assert.equal(next.status, 200);
    } finally {
      session.close();
    }
  });

  describe('a client that stops reading one stream', function () {
    // Over HTTP/2 an event counts as pending until its DATA frames are sent, so the limit must hold several events.
    const LIMIT = 256 * 1024;
    let slowKg: Kgate;
    before(async function () {
      slowKg = await startKgate({ etcd: kg.etcd, tuning: { watchMaxPendingBytes: LIMIT } });
    });
    after(async function () {
      await slowKg?.close();
    });

    it('gets that watch closed when its stream window and the pending limit fill, while the same connection keeps serving', async function () {
      const NS = 'h2-slow';
      const COUNT = 80;
      await createNamespace(slowKg, NS);
      const path = `/api/v1/namespaces/${NS}/configmaps`;
      const start = (await slowKg.request('GET', path)).body.metadata.resourceVersion;
      const session = await connect(slowKg);
      try {
        const slow = h2watch(slowKg, session, `${path}?watch=true&resourceVersion=${start}`);
        const reader = h2watch(slowKg, session, `${path}?watch=true&resourceVersion=${start}`);
        assert.equal(await slow.established, 200);
        assert.equal(await reader.established, 200);
        // The client's 64 KiB stream window fills first; then the server's backlog for the stream grows.
        slow.stream.pause();
        const blob = 'x'.repeat(16 * 1024);
        for (let i = 0; i < COUNT; i++) {
          const res = await slowKg.request('POST', path, { body: cm(`big-${String(i).padStart(2, '0')}`, {}, { blob }) });
          assert.equal(res.status, 201, res.text);
        }
        await waitFor(
          () => reader.events.length >= COUNT,
          () => `the reader got ${reader.events.length} of ${COUNT}`,
        );
        // Other streams on the connection are served while the slow one is stuck.
        const version = await h2request(slowKg, session, 'GET', '/version');
        assert.equal(version.status, 200);
        slow.stream.resume();
        const end = await slow.closed;
        assert.ok(end.ended, 'the slow watch was reset instead of ended');
        assert.equal(end.partial, '', 'the stream ended inside an event');
        assert.ok(slow.events.length < COUNT, `the slow watcher was not closed: it got all ${slow.events.length} events`);
        assert.deepEqual(
          slow.events.map((e) => e.object.metadata.name),
          reader.events.slice(0, slow.events.length).map((e) => e.object.metadata.name),
        );
        assert.equal(reader.stream.closed, false, 'the reader was closed too');
        reader.stream.close();
      } finally {
        session.close();
      }
    });
  });

  describe('shutdown', function () {
    let own: Kgate;
    before(async function () {
      own = await startKgate({ etcd: kg.etcd });
    });
    after(async function () {
      await own?.close();
    });

    it('ends open watches on both protocols with a complete last event, then closes the connections', async function () {
      const path = '/api/v1/namespaces?watch=true';
      const session = await connect(own);
      const h2 = h2watch(own, session, path);
      const sessionClosed = new Promise<void>((resolve) => session.once('close', () => resolve()));
      session.on('error', () => undefined);
      let h1Text = '';
      const h1 = new Promise<{ ended: boolean; partial: string }>((resolve, reject) => {
        const req = https.request(
          `${own.url}${path}`,
          { headers: { authorization: `Bearer ${own.token}` }, ca: own.ca, agent: false },
          (res) => {
            let ended = false;
            res.setEncoding('utf8');
            res.on('data', (c: string) => (h1Text += c));
            res.on('end', () => (ended = true));
            res.on('close', () => resolve({ ended, partial: h1Text.slice(h1Text.lastIndexOf('\n') + 1) }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      // The initial ADDED events (the system namespaces) show both watches are being served.
      const h1Events = () => h1Text.split('\n').length - 1;
      await waitFor(
        () => h2.events.length >= 4 && h1Events() >= 4,
        () => `${h2.events.length} events over HTTP/2, ${h1Events()} over HTTP/1.1`,
      );
      await own.stopServer();
      const h2End = await h2.closed;
      assert.deepEqual([h2End.ended, h2End.rstCode, h2End.partial], [true, http2.constants.NGHTTP2_NO_ERROR, '']);
      const h1End = await h1;
      assert.deepEqual([h1End.ended, h1End.partial], [true, '']);
      await sessionClosed;
      await own.restartServer();
    });
  });

  // The listener alone, with a short idle timeout and a handler that answers /slow only when told to.
  describe('idle connections and shutdown', function () {
    const IDLE_MS = 200;
    let dir: string;
    let certs: ServingCertificates;
    let serving: SecureServing | undefined;
    let url: string;
    const held: Array<() => void> = [];

    before(async function () {
      dir = await mkdtemp(join(tmpdir(), 'kgate-serving-'));
      certs = await ensureCertificates(join(dir, 'pki'));
    });
    beforeEach(async function () {
      serving = await serveSecurely(
        (req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          if (req.url === '/slow') held.push(() => res.end('done\n'));
          else res.end('ok\n');
        },
        { cert: certs.servingCertChain, key: certs.servingKey, host: '127.0.0.1', port: 0, idleTimeoutMs: IDLE_MS },
      );
      url = `https://127.0.0.1:${serving.port}`;
    });
    afterEach(async function () {
      for (const release of held.splice(0)) release();
      await serving?.close(() => undefined);
    });
    after(async function () {
      await rm(dir, { recursive: true, force: true });
    });

    function session(): Promise<http2.ClientHttp2Session> {
      return new Promise((resolve, reject) => {
        const s = http2.connect(url, { ca: certs.caCert });
        s.once('error', reject);
        s.once('remoteSettings', () => resolve(s));
      });
    }
    function get(s: http2.ClientHttp2Session, path: string): http2.ClientHttp2Stream {
      const stream = s.request({ ':path': path });
      stream.resume();
      return stream;
    }
    const closedPromise = (s: http2.ClientHttp2Session) =>
      new Promise<void>((resolve) => (s.closed ? resolve() : s.once('close', () => resolve())));

    it('sends GOAWAY to an HTTP/2 connection with no open stream once the idle timeout passes', async function () {
      const s = await session();
      const goaway = new Promise<number>((resolve) => s.once('goaway', (code) => resolve(code)));
      await new Promise((resolve) => get(s, '/').once('close', resolve));
      assert.equal(await goaway, http2.constants.NGHTTP2_NO_ERROR);
      await closedPromise(s);
    });

    it('keeps an HTTP/2 connection whose stream is open (a quiet watch) past the idle timeout', async function () {
      const s = await session();
      let goaway = false;
      s.once('goaway', () => (goaway = true));
      const stream = get(s, '/slow');
      await new Promise((resolve) => stream.once('response', resolve));
      // A connection opened later and left idle is closed first: by then this one's idle timeout has passed too.
      for (let i = 0; i < 2; i++) {
        const later = await session();
        await new Promise((resolve) => later.once('goaway', resolve));
        await closedPromise(later);
      }
      assert.equal(goaway, false);
      for (const release of held.splice(0)) release();
      await new Promise((resolve) => stream.once('close', resolve));
      await closedPromise(s);
    });

    it('closes an idle HTTP/1.1 keep-alive connection once the idle timeout passes', async function () {
      const agent = new https.Agent({ ca: certs.caCert, keepAlive: true });
      try {
        const socketClosed = await new Promise<Promise<void>>((resolve, reject) => {
          const req = https.get(`${url}/`, { agent }, (res) => {
            assert.equal(res.httpVersion, '1.1');
            res.resume();
            const socket = res.socket;
            resolve(new Promise<void>((done) => socket.once('close', () => done())));
          });
          req.on('error', reject);
        });
        await socketClosed;
      } finally {
        agent.destroy();
      }
    });

    it('shuts down promptly with idle HTTP/2 and HTTP/1.1 connections open, ending requests in flight first', async function () {
      const s = await session();
      await new Promise((resolve) => get(s, '/').once('close', resolve));
      const agent = new https.Agent({ ca: certs.caCert, keepAlive: true });
      await new Promise<void>((resolve, reject) =>
        https.get(`${url}/`, { agent }, (res) => res.resume().once('end', resolve)).on('error', reject),
      );
      const inFlight = get(s, '/slow');
      let body = '';
      inFlight.setEncoding('utf8');
      inFlight.on('data', (c: string) => (body += c));
      const ended = new Promise<void>((resolve) => inFlight.once('end', () => resolve()));
      await new Promise((resolve) => inFlight.once('response', resolve));
      // A grace period far beyond the test's timeout: close must not wait for it.
      const current = serving!;
      serving = undefined;
      await current.close(() => {
        for (const release of held.splice(0)) release();
      }, 3_600_000);
      await ended;
      assert.equal(body, 'done\n');
      await closedPromise(s);
      agent.destroy();
    });
  });
});
