// A minimal HTTPS client for kgate: keep-alive requests with the admin bearer token, and streaming watches over
// HTTP/1.1 (a connection each) or HTTP/2 (many streams on one connection).

import http2 from 'node:http2';
import https from 'node:https';

export interface HttpReply {
  status: number;
  text: string;
}

export interface WatchStream {
  /** Resolves once the response headers (status 200) arrived, i.e. the watch is registered. */
  established: Promise<void>;
  close(): void;
}

export class KgateHttp {
  private readonly agent: https.Agent;

  constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly ca: string,
    maxSockets = 256,
  ) {
    this.agent = new https.Agent({ ca, keepAlive: true, maxSockets });
  }

  request(method: string, path: string, body?: unknown): Promise<HttpReply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = https.request(`${this.baseUrl}${path}`, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Sends the request and parses a 2xx JSON reply; anything else throws with the status and body. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.request(method, path, body);
    if (reply.status < 200 || reply.status >= 300) {
      throw new Error(`${method} ${path} → ${reply.status}: ${reply.text.slice(0, 300)}`);
    }
    return JSON.parse(reply.text) as T;
  }

  /** A keep-alive agent for many long-lived watches (a watch holds its socket until it ends). */
  watchAgent(maxSockets: number): https.Agent {
    return new https.Agent({ ca: this.ca, keepAlive: true, maxSockets });
  }

  /**
   * Opens a watch and hands every parsed event (one JSON object a line) to onEvent: on its own connection, or on a
   * socket of `agent` when given.
   */
  watch(path: string, onEvent: (event: { type: string; object: unknown }) => void, agent?: https.Agent): WatchStream {
    let request: ReturnType<typeof https.request> | undefined;
    const established = new Promise<void>((resolve, reject) => {
      request = https.request(
        `${this.baseUrl}${path}`,
        { method: 'GET', headers: { authorization: `Bearer ${this.token}` }, ...(agent ? { agent } : { ca: this.ca, agent: false }) },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${path} → ${res.statusCode}`));
            res.resume();
            return;
          }
          resolve();
          let pending = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            pending += chunk;
            let newline: number;
            while ((newline = pending.indexOf('\n')) >= 0) {
              const line = pending.slice(0, newline);
              pending = pending.slice(newline + 1);
              if (line.trim() !== '') onEvent(JSON.parse(line) as { type: string; object: unknown });
            }
          });
          res.on('error', () => undefined);
        },
      );
      request.on('error', reject);
      request.end();
    });
    established.catch(() => undefined);
    return { established, close: () => request?.destroy() };
  }

  /**
   * One HTTP/2 connection with Go's client windows (what kubectl and client-go use: 4 MiB per stream, 1 GiB per
   * connection) rather than Node's 64 KiB, so the client's window updates do not set the pace.
   */
  http2Session(): Promise<http2.ClientHttp2Session> {
    return new Promise((resolve, reject) => {
      const session = http2.connect(this.baseUrl, { ca: this.ca, settings: { initialWindowSize: 4 << 20 } });
      session.once('error', reject);
      session.once('connect', () => {
        session.setLocalWindowSize(1 << 30);
        session.off('error', reject);
        session.on('error', () => undefined);
        resolve(session);
      });
    });
  }

  /** Opens a watch as one stream of `session` and hands every parsed event to onEvent. */
  watchHttp2(session: http2.ClientHttp2Session, path: string, onEvent: (event: { type: string; object: unknown }) => void): WatchStream {
    const stream = session.request({ ':method': 'GET', ':path': path, authorization: `Bearer ${this.token}` });
    const established = new Promise<void>((resolve, reject) => {
      stream.once('response', (headers) => {
        const status = Number(headers[':status']);
        if (status !== 200) {
          reject(new Error(`watch ${path} → ${status}`));
          stream.resume();
          return;
        }
        resolve();
      });
      stream.once('error', reject);
    });
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() !== '') onEvent(JSON.parse(line) as { type: string; object: unknown });
      }
    });
    stream.on('error', () => undefined);
    established.catch(() => undefined);
    return { established, close: () => stream.close() };
  }

  close(): void {
    this.agent.destroy();
  }
}
