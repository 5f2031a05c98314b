// Plain HTTPS requests and watch readers for test servers, shared by kgate (test/support/kgate.ts) and the reference
// kube-apiserver (test/support/reference.ts) so a differential test sends byte-identical requests to both.
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body, when the body is JSON. */
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Bearer token; null sends none. Default: the server's admin token. */
  token?: string | null;
}

export interface WatchOptions {
  deadlineMs?: number;
  headers?: Record<string, string>;
}

export type Requester = (method: string, path: string, opts?: RequestOptions) => Promise<HttpResponse>;
export type Watcher = (path: string, until: (events: any[]) => boolean, opts?: WatchOptions) => Promise<any[]>;

/** `baseUrl` is read per request: kgate's restartServer keeps the object but may move the server. */
export function httpRequester(baseUrl: () => string, token: string, agent: https.Agent): Requester {
  return (method, path, ropts = {}) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...(ropts.headers ?? {}) };
      if (ropts.token !== null) headers.authorization = `Bearer ${ropts.token ?? token}`;
      let payload: Buffer | undefined;
      if (ropts.raw !== undefined) payload = Buffer.from(ropts.raw);
      else if (ropts.body !== undefined) {
        payload = Buffer.from(JSON.stringify(ropts.body));
        headers['content-type'] ??= 'application/json';
      }
      if (payload) headers['content-length'] = String(payload.length);
      const req = https.request(`${baseUrl()}${path}`, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
}

/** Opens a watch and collects its events until `until` returns true (or the deadline). */
export function httpWatcher(baseUrl: () => string, token: string, ca: string): Watcher {
  return (path, until, wopts = {}) =>
    new Promise((resolve, reject) => {
      const events: any[] = [];
      let buffer = '';
      let done = false;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        req.destroy();
        if (err) reject(err);
        else resolve(events);
      };
      const timer = setTimeout(
        () => finish(new Error(`watch ${path}: condition not met; got ${JSON.stringify(events.map((e) => e.type))}`)),
        wopts.deadlineMs ?? 30_000,
      );
      const req = https.request(
        `${baseUrl()}${path}`,
        { method: 'GET', headers: { authorization: `Bearer ${token}`, ...(wopts.headers ?? {}) }, agent: new https.Agent({ ca }) },
        (res) => {
          res.on('data', (c: Buffer) => {
            buffer += c.toString('utf8');
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              if (line.trim() === '') continue;
              events.push(JSON.parse(line));
              if (until(events)) return finish();
            }
          });
          res.on('end', () =>
            until(events) ? finish() : finish(new Error(`watch ${path} ended early: ${JSON.stringify(events.map((e) => e.type))}`)),
          );
        },
      );
      req.on('error', (e) => finish(e));
      req.end();
    });
}
