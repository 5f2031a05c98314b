// Starts a real kgate (in this process) over a real etcd for integration tests, with a fresh CA, an admin
// token and a kubeconfig, plus small helpers to talk HTTP to it and to run kubectl against it.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { ensureCertificates } from '../../src/server/certs.js';
import { writeKubeconfig } from '../../src/server/kubeconfig.js';
import { startServer, type RunningServer, type ServerTuning } from '../../src/server/app.js';
import type { KgateConfig } from '../../src/server/config.js';
import { HELM, KUBECTL } from './clients.js';
import { startEtcd, type EtcdProcess } from './etcd.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body, when the body is JSON. */
  body: any;
}

export interface Kgate {
  url: string;
  token: string;
  ca: string;
  kubeconfig: string;
  etcd: EtcdProcess;
  config: KgateConfig;
  server: RunningServer;
  request(method: string, path: string, opts?: { body?: unknown; raw?: string | Buffer; headers?: Record<string, string>; token?: string | null }): Promise<HttpResponse>;
  /** Opens a watch and collects its events until `until` returns true (or the deadline). */
  watch(path: string, until: (events: any[]) => boolean, opts?: { deadlineMs?: number; headers?: Record<string, string> }): Promise<any[]>;
  kubectl(args: string[], opts?: { input?: string; allowFail?: boolean }): Promise<ClientResult>;
  /** Runs the pinned helm against this kgate. */
  helm(args: string[], opts?: { input?: string; allowFail?: boolean }): Promise<ClientResult>;
  /** Stops kgate only (etcd keeps running). */
  stopServer(): Promise<void>;
  /** Starts kgate again on the same etcd. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

const quietLogger = winston.createLogger({ level: 'error', transports: [new winston.transports.Console({ silent: !process.env.KGATE_TEST_LOGS })] });

export async function startKgate(opts: { etcd?: EtcdProcess; tuning?: ServerTuning; prefix?: string } = {}): Promise<Kgate> {
  const etcd = opts.etcd ?? (await startEtcd());
  const home = await mkdtemp(join(tmpdir(), 'kgate-test-'));
  const certs = await ensureCertificates(join(home, 'pki'));
  const token = randomBytes(16).toString('hex');
  const config: KgateConfig = {
    etcd: { servers: [etcd.endpoint], prefix: opts.prefix ?? '/registry', compactionIntervalMs: 0 },
    serving: { bindAddress: '127.0.0.1', securePort: 0, cert: Buffer.from(certs.servingCertChain), key: Buffer.from(certs.servingKey) },
    authentication: { tokens: [{ token, user: 'kgate-admin', uid: 'admin', groups: ['system:masters'] }] },
    verbosity: 0,
  };
  let server = await startServer(config, quietLogger, opts.tuning);
  const kubeconfig = join(home, 'kubeconfig');
  await writeKubeconfig(kubeconfig, { server: server.url, caCert: certs.caCert, token });
  const agent = new https.Agent({ ca: certs.caCert, keepAlive: true });

  const kg: Kgate = {
    url: server.url,
    token,
    ca: certs.caCert,
    kubeconfig,
    etcd,
    config,
    server,
    request(method, path, ropts = {}) {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string> = { ...(ropts.headers ?? {}) };
        if (ropts.token !== null) headers.authorization = `Bearer ${ropts.token ?? token}`;
        let payload: Buffer | undefined;
        if (ropts.raw !== undefined) payload = Buffer.from(ropts.raw);
        else if (ropts.body !== undefined) {
          payload = Buffer.from(JSON.stringify(ropts.body));
          headers['content-type'] ??= 'application/json';
        }
        if (payload) headers['content-length'] = String(payload.length);
        const req = https.request(`${kg.url}${path}`, { method, headers, agent }, (res) => {
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
    },
    watch(path, until, wopts = {}) {
      return new Promise((resolve, reject) => {
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
        const timer = setTimeout(() => finish(new Error(`watch ${path}: condition not met; got ${JSON.stringify(events.map((e) => e.type))}`)), wopts.deadlineMs ?? 30_000);
        const req = https.request(`${kg.url}${path}`, { method: 'GET', headers: { authorization: `Bearer ${token}`, ...(wopts.headers ?? {}) }, agent: new https.Agent({ ca: certs.caCert }) }, (res) => {
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
          res.on('end', () => (until(events) ? finish() : finish(new Error(`watch ${path} ended early: ${JSON.stringify(events.map((e) => e.type))}`))));
        });
        req.on('error', (e) => finish(e));
        req.end();
      });
    },
    kubectl(args, kopts = {}) {
      return runClient(KUBECTL, args, { KUBECONFIG: kubeconfig, HOME: home }, kopts);
    },
    helm(args, hopts = {}) {
      // Helm keeps its cache, config and data under HOME; the temp home keeps tests apart.
      return runClient(HELM, args, { KUBECONFIG: kubeconfig, HOME: home, HELM_CACHE_HOME: join(home, '.helm-cache'), HELM_CONFIG_HOME: join(home, '.helm-config'), HELM_DATA_HOME: join(home, '.helm-data') }, hopts);
    },
    async stopServer() {
      await server.close();
    },
    async restartServer() {
      server = await startServer({ ...config, serving: { ...config.serving, securePort: server.port } }, quietLogger, opts.tuning);
      kg.server = server;
    },
    async close() {
      agent.destroy();
      await server.close().catch(() => undefined);
      if (!opts.etcd) await etcd.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
  return kg;
}

export interface ClientResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a pinned client binary; a non-zero exit rejects unless allowFail. */
function runClient(binary: string, args: string[], env: Record<string, string>, opts: { input?: string; allowFail?: boolean }): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      if (code !== 0 && !opts.allowFail) {
        reject(new Error(`${binary} ${args.join(' ')} exited ${code}: ${stderr}`));
        return;
      }
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.write(opts.input);
    child.stdin?.end();
  });
}

/** Spawns kubectl and returns the live child (for -w). */
export function spawnKubectl(kg: Kgate, args: string[]) {
  return spawn(KUBECTL, args, { env: { ...process.env, KUBECONFIG: kg.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
}
