// A small HTTP/1.1 client over kept-alive TLS connections, for posting AdmissionReviews: one request at a time per
// connection, the request written in one piece, the answer read by Content-Length or chunked encoding. A webhook is
// called on every matching write, so this sits on the hot path; Node's general http client costs several times
// more per call (request and response objects, streams, header validation) than this needs. Go's transport is the
// model for reuse: an idle connection the server closed meanwhile fails before any answer arrives, and the request
// is then sent once more on a new connection.
import { connect, type SecureContext, type TLSSocket } from 'node:tls';

export interface Http1Target {
  host: string;
  port: number;
  /** SNI and the name the certificate must carry (absent: the host, an IP address checked against IP SANs). */
  servername?: string;
  secureContext: SecureContext;
}

export interface Http1Response {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/** Closes idle connections after this long, as Go's transport (IdleConnTimeout 90 s) and servers do. */
const IDLE_TIMEOUT_MS = 90_000;
const MAX_IDLE_PER_HOST = 64;

interface Pending {
  resolve(r: Http1Response): void;
  reject(e: Error): void;
}

export class Http1Pool {
  private readonly idle = new Map<string, TLSSocket[]>();
  /** The listener that drops an idle socket when it closes, removed again when the socket is reused. */
  private readonly dropOf = new WeakMap<TLSSocket, () => void>();
  private closed = false;

  /**
   * Sends `head` (request line and headers, ending in the blank line) and `body`; resolves with the answer, rejects
   * with the socket's or TLS's error (its `code` kept) or a `ETIMEDOUT` error once `deadline` (epoch ms) passes.
   */
  async request(target: Http1Target, head: string, body: Buffer, deadline: number): Promise<Http1Response> {
    const key = `${target.host}:${target.port}:${target.servername ?? ''}`;
    const reused = this.takeIdle(key);
    if (reused) {
      try {
        return await this.exchange(reused, key, head, body, deadline, true);
      } catch (e) {
        // The server closed the idle connection meanwhile: try once on a fresh one.
        if (!(e instanceof StaleConnection)) throw e;
      }
    }
    return this.exchange(this.open(target), key, head, body, deadline, false);
  }

  close(): void {
    this.closed = true;
    for (const sockets of this.idle.values()) for (const s of sockets) s.destroy();
    this.idle.clear();
  }

  private open(target: Http1Target): TLSSocket {
    const socket = connect({
      host: target.host,
      port: target.port,
      servername: target.servername,
      secureContext: target.secureContext,
      ALPNProtocols: ['http/1.1'],
    });
    // Requests are written whole: Nagle's algorithm would only hold them back.
    socket.setNoDelay(true);
    return socket;
  }

  private takeIdle(key: string): TLSSocket | undefined {
    const sockets = this.idle.get(key);
    while (sockets && sockets.length > 0) {
      const s = sockets.pop()!;
      const drop = this.dropOf.get(s);
      if (drop) {
        s.removeListener('error', drop);
        s.removeListener('close', drop);
        s.setTimeout(0, drop);
        s.removeListener('timeout', drop);
      }
      if (!s.destroyed && s.writable) return s;
      s.destroy();
    }
    return undefined;
  }

  private putIdle(key: string, socket: TLSSocket): void {
    const sockets = this.idle.get(key) ?? [];
    if (this.closed || sockets.length >= MAX_IDLE_PER_HOST) {
      socket.destroy();
      return;
    }
    const drop = () => {
      const list = this.idle.get(key);
      const i = list?.indexOf(socket) ?? -1;
      if (i >= 0) list!.splice(i, 1);
      socket.destroy();
    };
    this.dropOf.set(socket, drop);
    socket.on('error', drop);
    socket.on('close', drop);
    socket.setTimeout(IDLE_TIMEOUT_MS, drop);
    // An idle socket must not keep the process alive.
    socket.unref();
    sockets.push(socket);
    this.idle.set(key, sockets);
  }

  private exchange(socket: TLSSocket, key: string, head: string, body: Buffer, deadline: number, reused: boolean): Promise<Http1Response> {
    socket.ref();
    return new Promise<Http1Response>((resolve, reject) => {
      const parser = new ResponseParser();
      let received = false;
      let done = false;
      const finish = (err: Error | undefined, res?: Http1Response) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.removeListener('data', onData);
        socket.removeListener('error', onError);
        socket.removeListener('close', onClose);
        socket.removeListener('end', onEnd);
        if (err) {
          socket.destroy();
          reject(err);
          return;
        }
        if (res!.headers.connection?.toLowerCase() === 'close' || parser.readToClose) socket.destroy();
        else this.putIdle(key, socket);
        resolve(res!);
      };
      const pending: Pending = { resolve: (r) => finish(undefined, r), reject: (e) => finish(e) };
      const onData = (chunk: Buffer) => {
        received = true;
        let res: Http1Response | undefined;
        try {
          res = parser.push(chunk);
        } catch (e) {
          pending.reject(e as Error);
          return;
        }
        if (res) pending.resolve(res);
      };
      const onError = (e: Error) => pending.reject(reused && !received ? new StaleConnection(e.message) : e);
      const onEnd = () => {
        const res = parser.end();
        if (res) pending.resolve(res);
      };
      const onClose = () => {
        const res = parser.end();
        if (res) pending.resolve(res);
        else pending.reject(reused && !received ? new StaleConnection('EOF') : Object.assign(new Error('EOF'), { code: 'EOF' }));
      };
      const timer = setTimeout(
        () => pending.reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
        Math.max(0, deadline - Date.now()),
      );
      socket.on('data', onData);
      socket.on('error', onError);
      socket.on('end', onEnd);
      socket.on('close', onClose);
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    });
  }
}

/** A kept-alive connection turned out closed before any answer: safe to send again. */
class StaleConnection extends Error {}

/** An HTTP/1.1 response read incrementally. */
class ResponseParser {
  private buffer: Buffer = Buffer.alloc(0);
  private status = 0;
  private headers: Record<string, string> | undefined;
  private bodyStart = 0;
  private contentLength = -1;
  private chunked = false;
  /** No length and not chunked: the body ends with the connection. */
  readToClose = false;

  push(chunk: Buffer): Http1Response | undefined {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    return this.tryComplete();
  }

  /** The connection ended: a body read to the close is complete; anything else is not. */
  end(): Http1Response | undefined {
    if (this.headers && this.readToClose) return { status: this.status, headers: this.headers, body: this.buffer.subarray(this.bodyStart) };
    return undefined;
  }

  private tryComplete(): Http1Response | undefined {
    if (!this.headers) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      this.parseHead(this.buffer.toString('latin1', 0, end));
      this.bodyStart = end + 4;
      // 1xx answers (100 Continue) precede the real one.
      if (this.status >= 100 && this.status < 200) {
        this.buffer = this.buffer.subarray(this.bodyStart);
        this.headers = undefined;
        return this.tryComplete();
      }
    }
    const body = this.buffer.subarray(this.bodyStart);
    if (this.status === 204 || this.status === 304) return this.result(Buffer.alloc(0));
    if (this.chunked) {
      const decoded = decodeChunked(body);
      return decoded ? this.result(decoded) : undefined;
    }
    if (this.contentLength >= 0) return body.length >= this.contentLength ? this.result(body.subarray(0, this.contentLength)) : undefined;
    return undefined;
  }

  private result(body: Buffer): Http1Response {
    return { status: this.status, headers: this.headers!, body };
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!m) throw Object.assign(new Error(`malformed HTTP response ${JSON.stringify(lines[0])}`), { code: 'EPROTO_HTTP' });
    this.status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    this.headers = headers;
    this.chunked = /(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '');
    this.contentLength = !this.chunked && headers['content-length'] !== undefined ? Number(headers['content-length']) : -1;
    this.readToClose = !this.chunked && this.contentLength < 0 && this.status !== 204 && this.status !== 304;
  }
}

/** A complete chunked body, or undefined while chunks are still missing. */
function decodeChunked(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', pos);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.toString('latin1', pos, lineEnd).split(';')[0].trim(), 16);
    if (!Number.isFinite(size)) throw Object.assign(new Error('malformed chunked encoding'), { code: 'EPROTO_HTTP' });
    const start = lineEnd + 2;
    if (size === 0) {
      // Trailers end with an empty line.
      return data.indexOf('\r\n\r\n', lineEnd) >= 0 ? Buffer.concat(parts) : undefined;
    }
    if (data.length < start + size + 2) return undefined;
    parts.push(data.subarray(start, start + size));
    pos = start + size + 2;
  }
}
