// Starts a real kgate (in this process) over a real etcd for integration tests, with a fresh CA, an admin
// token and a kubeconfig, plus small helpers to talk HTTP to it and to run kubectl against it.
import { execFile, spawn } from 'node:child_process';
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { stringify } from 'yaml';
import { ensureCertificates, issueClientCertificate } from '../../src/server/certs.js';
import { writeKubeconfig } from '../../src/server/kubeconfig.js';
import { startServer, type RunningServer, type ServerTuning } from '../../src/server/app.js';
import type { StaticToken } from '../../src/authentication/tokenfile.js';
import { parsePublicKeysPEM } from '../../src/authentication/serviceaccount/keys.js';
import type { AuthorizationMode, KgateConfig, ServiceAccountConfig } from '../../src/server/config.js';
import { parseOptions } from '../../src/server/options/argv.js';
import { loadAdmissionConfig } from '../../src/server/options/admission.js';
import { loadServiceNetworkConfig } from '../../src/server/options/services.js';
import { loadAuthenticationConfig } from '../../src/server/options/authentication.js';
import { loadAuthorizationConfig } from '../../src/server/options/authorization.js';
import { HELM, KUBECTL } from './clients.js';
import { startEtcd, type EtcdProcess } from './etcd.js';
import { httpRequester, httpWatcher, type Requester, type Watcher } from './http.js';

export type { HttpResponse } from './http.js';

export interface Kgate {
  url: string;
  token: string;
  ca: string;
  kubeconfig: string;
  etcd: EtcdProcess;
  config: KgateConfig;
  server: RunningServer;
  request: Requester;
  /** Opens a watch and collects its events until `until` returns true (or the deadline). */
  watch: Watcher;
  kubectl(args: string[], opts?: { input?: string; allowFail?: boolean }): Promise<ClientResult>;
  /** Runs the pinned helm against this kgate. */
  helm(args: string[], opts?: { input?: string; allowFail?: boolean }): Promise<ClientResult>;
  /**
   * A kubeconfig authenticating with a client certificate for `user` (CN) in `groups` (O), signed by `pkiDir`'s CA
   * (default: this server's test CA, which --client-ca-file trusts when started with clientCA).
   */
  clientKubeconfig(user: string, groups: string[], pkiDir?: string): Promise<string>;
  /** This server's certificate directory (its CA is the one clientCA trusts; see issueClientCertificate). */
  pkiDir: string;
  /** Stops kgate only (etcd keeps running). */
  stopServer(): Promise<void>;
  /** Starts kgate again on the same etcd. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

const quietLogger = winston.createLogger({
  level: 'error',
  transports: [new winston.transports.Console({ silent: !process.env.KGATE_TEST_LOGS })],
});

export interface StartKgateOptions {
  etcd?: EtcdProcess;
  tuning?: ServerTuning;
  prefix?: string;
  /** More --token-auth-file users beside the admin (system:masters). */
  tokens?: StaticToken[];
  /** --authorization-mode (default: kgate's own, RBAC). */
  authorizationModes?: AuthorizationMode[];
  /** --anonymous-auth (default true). */
  anonymous?: boolean;
  /** --client-ca-file: the test CA that signed the serving certificate (see Kgate.clientKubeconfig). */
  clientCA?: boolean;
  /**
   * ServiceAccount tokens, signed with signingKey (also the only verification key unless verificationKeys is given);
   * the issuer defaults to https://kubernetes.default.svc.cluster.local, as the reference's.
   */
  serviceAccounts?: Partial<ServiceAccountConfig> & { signingKey: KeyObject; verificationKeys?: KeyObject[] };
  /**
   * kube-apiserver flags read by kgate's own options code, for the concerns tests start this way: the --oidc-*
   * and --authentication-token-webhook-* flags, --authorization-mode with --authorization-webhook-*, and
   * --enable-admission-plugins / --disable-admission-plugins.
   */
  flags?: string[];
}

/** The --service-account-* flags' config for a test server. */
function serviceAccountConfig(opts: NonNullable<StartKgateOptions['serviceAccounts']>): ServiceAccountConfig {
  const { verificationKeys, ...given } = opts;
  const pem = (verificationKeys ?? [opts.signingKey]).map((k) => createPublicKey(k).export({ type: 'spki', format: 'pem' })).join('');
  const issuers = opts.issuers ?? ['https://kubernetes.default.svc.cluster.local'];
  return {
    issuers,
    apiAudiences: opts.apiAudiences ?? issuers,
    publicKeys: parsePublicKeysPEM(pem),
    jwksURI: '',
    maxExpirationSeconds: 0,
    extendExpiration: true,
    lookup: true,
    ...given,
  };
}

export async function startKgate(opts: StartKgateOptions = {}): Promise<Kgate> {
  const etcd = opts.etcd ?? (await startEtcd());
  const home = await mkdtemp(join(tmpdir(), 'kgate-test-'));
  const certs = await ensureCertificates(join(home, 'pki'));
  const token = randomBytes(16).toString('hex');
  const config: KgateConfig = {
    etcd: { servers: [etcd.endpoint], prefix: opts.prefix ?? '/registry', compactionIntervalMs: 0 },
    serving: { bindAddress: '127.0.0.1', securePort: 0, cert: Buffer.from(certs.servingCertChain), key: Buffer.from(certs.servingKey) },
    authentication: {
      tokens: [{ token, user: 'kgate-admin', uid: 'admin', groups: ['system:masters'] }, ...(opts.tokens ?? [])],
      ...(opts.anonymous !== undefined && { anonymous: opts.anonymous }),
      ...(opts.clientCA && { clientCA: Buffer.from(certs.caCert) }),
    },
    ...(opts.authorizationModes && { authorization: { modes: opts.authorizationModes } }),
    ...(opts.serviceAccounts && { serviceAccounts: serviceAccountConfig(opts.serviceAccounts) }),
    verbosity: 0,
  };
  if (opts.flags) {
    const parsed = parseOptions(opts.flags, { defaultEtcdServers: [etcd.endpoint] });
    if (parsed.kind !== 'options') throw new Error(parsed.kind === 'error' ? parsed.message : 'unexpected --help');
    const { oidc, tokenWebhook } = await loadAuthenticationConfig(parsed.options, () => undefined);
    Object.assign(config.authentication, { ...(oidc && { oidc }), ...(tokenWebhook && { tokenWebhook }) });
    if (!opts.authorizationModes) config.authorization = loadAuthorizationConfig(parsed.options);
    config.admission = await loadAdmissionConfig(parsed.options);
    config.services = loadServiceNetworkConfig(parsed.options);
  }
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
    pkiDir: join(home, 'pki'),
    request: httpRequester(() => kg.url, token, agent),
    watch: httpWatcher(() => kg.url, token, certs.caCert),
    kubectl(args, kopts = {}) {
      return runClient(KUBECTL, args, { KUBECONFIG: kubeconfig, HOME: home }, kopts);
    },
    helm(args, hopts = {}) {
      // Helm keeps its cache, config and data under HOME; the temp home keeps tests apart.
      return runClient(
        HELM,
        args,
        {
          KUBECONFIG: kubeconfig,
          HOME: home,
          HELM_CACHE_HOME: join(home, '.helm-cache'),
          HELM_CONFIG_HOME: join(home, '.helm-config'),
          HELM_DATA_HOME: join(home, '.helm-data'),
        },
        hopts,
      );
    },
    async clientKubeconfig(user, groups, pkiDir) {
      const { cert, key } = await issueClientCertificate(pkiDir ?? join(home, 'pki'), { user, groups });
      const path = join(home, `kubeconfig-${user}-${randomBytes(4).toString('hex')}`);
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      await writeFile(
        path,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'kgate', cluster: { server: kg.url, 'certificate-authority-data': b64(certs.caCert) } }],
          users: [{ name: user, user: { 'client-certificate-data': b64(cert), 'client-key-data': b64(key) } }],
          contexts: [{ name: 'kgate', context: { cluster: 'kgate', user, namespace: 'default' } }],
          'current-context': 'kgate',
        }),
        { mode: 0o600 },
      );
      return path;
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
function runClient(
  binary: string,
  args: string[],
  env: Record<string, string>,
  opts: { input?: string; allowFail?: boolean },
): Promise<ClientResult> {
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
