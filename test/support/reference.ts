// Starts the real kube-apiserver that `make reference` builds (tools/reference, scripts/reference.sh) over its own
// etcd, the way kube's integration tests do (cmd/kube-apiserver/app/testing/testserver.go): a private etcd prefix,
// a generated service-account key pair, a static token file with an admin in system:masters, serving certificates
// in a temp dir and the secure port on a free loopback port. Its request() and watch() are the same functions
// kgate's test server uses (test/support/http.ts), so a test can send one request to both and compare.
//
// Authorization is RBAC, as on every real cluster and in the conformance suite: the admin token is in
// system:masters, which RBAC's bootstrap cluster-admin binding allows everything, so admin requests answer as
// under AlwaysAllow, while requests with other tokens get kube's real 403 wording for later RBAC comparisons.
// Admission is kube-apiserver's default set minus ServiceAccount, as kube's integration tests run it: there is no
// controller-manager here to create default ServiceAccounts, so ServiceAccount admission would reject every pod.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTokenFile, type StaticToken } from '../../src/authentication/tokenfile.js';
import { ensureCertificates } from '../../src/server/certs.js';
import { writeKubeconfig } from '../../src/server/kubeconfig.js';
import { startEtcd, type EtcdProcess } from './etcd.js';
import { httpRequester, httpWatcher, type Requester, type Watcher } from './http.js';
import { freePort } from './ports.js';

export interface ReferenceServer {
  url: string;
  token: string;
  ca: string;
  kubeconfig: string;
  etcd: EtcdProcess;
  /** The kube-apiserver process, e.g. for its RSS and CPU time in /proc. */
  pid: number;
  /** Milliseconds from spawn to the first 200 on /readyz. */
  readyMs: number;
  /** The --etcd-prefix this server stores under. */
  prefix: string;
  /** Its certificate directory: the CA there signs client certificates for --client-ca-file (issueClientCertificate). */
  pkiDir: string;
  request: Requester;
  watch: Watcher;
  /** The last part of kube-apiserver's log, for failure messages. */
  logTail(): Promise<string>;
  /** Stops kube-apiserver, then its etcd when this module started it, and removes the temp dir. */
  close(): Promise<void>;
}

/**
 * The admission flags the reference runs with unless asked otherwise; a kgate whose pods are compared with the
 * reference's starts with the same (kgate stands in for the controller that makes `default` ServiceAccounts, so its
 * ServiceAccount admission would mount a token volume the reference's pods lack).
 */
export const REFERENCE_ADMISSION_FLAGS = ['--disable-admission-plugins=ServiceAccount'];

/**
 * kgate's flags for replaying answers recorded from the reference where ResourceQuotas are among the objects: the
 * reference's quotas never bind (kube-apiserver alone has no quota controller to fill their status), while kgate's
 * get their status as they are written, so kgate replays without ResourceQuota admission, as the reference
 * effectively ran.
 */
export const KGATE_LIKE_REFERENCE_FLAGS = [...REFERENCE_ADMISSION_FLAGS, '--disable-admission-plugins=ResourceQuota'];

export interface StartReferenceOptions {
  /**
   * Share an etcd (the server keeps to its own prefix); default: a fresh one, stopped by close(), running the etcd
   * `make reference` built (the version kube pins) when there is one, else the etcd on PATH.
   */
  etcd?: EtcdProcess;
  /** Default: a random /reference-<hex> prefix, as kube's test server picks a random one. */
  prefix?: string;
  /** Appended after the defaults, so a later flag wins. */
  extraArgs?: string[];
  /** Default 180 s: the first start on a busy two-core machine runs every post-start hook. */
  readyDeadlineMs?: number;
  /** More --token-auth-file users beside the admin. */
  tokens?: StaticToken[];
  /** --authorization-mode (default RBAC); a slice flag, so extraArgs would append to it rather than replace it. */
  authorizationModes?: string[];
  /** --client-ca-file: the CA that signed the serving certificate (see pkiDir). */
  clientCA?: boolean;
  /** The service-account signing key (default: a fresh RSA key), so a test can sign tokens this server trusts. */
  serviceAccountKey?: KeyObject;
  /**
   * Keep kube's default admission plugins whole, ServiceAccount included (default: it is disabled, see the header);
   * the test then creates the `default` ServiceAccounts the pods need.
   */
  serviceAccountAdmission?: boolean;
  /** How often /readyz is polled; default 200 ms. Benchmarks timing the start poll as often as they do for kgate. */
  readyPollMs?: number;
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GO_MOD = join(REPO_ROOT, 'tools/reference/go.mod');
const ADMIN_USER = 'reference-admin';
const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The k8s.io/kubernetes version tools/reference/go.mod pins, e.g. v1.34.4. */
export function referenceVersion(): string {
  const text = readFileSync(GO_MOD, 'utf8');
  const match = /\bk8s\.io\/kubernetes\s+(v1\.\d+\.\d+\S*)/.exec(text);
  if (!match) throw new Error(`${GO_MOD} does not require k8s.io/kubernetes`);
  return match[1]!;
}

/** Where scripts/reference.sh writes the binaries (keep the two in step). */
export function referenceDir(): string {
  const root = process.env.KGATE_REFERENCE_DIR || join(homedir(), '.cache', 'kgate-reference');
  return join(root, referenceVersion());
}

/**
 * The path of a reference binary when `make reference` has built it for the pinned version, else undefined.
 * A binary built from another go.mod/go.sum (its .pin stamp differs) belongs to another pin and counts as absent.
 */
export function referenceBinary(name: 'kube-apiserver' | 'e2e.test' | 'kubectl' | 'etcd' = 'kube-apiserver'): string | undefined {
  const path = join(referenceDir(), name);
  if (!existsSync(path)) return undefined;
  // scripts/reference.sh stamps each binary with the hash of the go.mod and go.sum it was built from.
  const stamp = `${path}.pin`;
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== pinHash()) return undefined;
  return path;
}

/** sha256 of tools/reference/go.mod then go.sum, as scripts/reference.sh's pin_hash computes it. */
function pinHash(): string {
  const dir = join(REPO_ROOT, 'tools/reference');
  return createHash('sha256')
    .update(Buffer.concat([readFileSync(join(dir, 'go.mod')), readFileSync(join(dir, 'go.sum'))]))
    .digest('hex');
}

/**
 * An etcd for the reference: the one kube pins when built. Debian's etcd 3.4.23 lacks the watch-progress requests
 * kube-apiserver v1.34 uses to serve watches at a given resourceVersion and consistent lists from its cache; on it,
 * the reference answers some watches with 504 "Too large resource version".
 */
export function startReferenceEtcd(): Promise<EtcdProcess> {
  const binary = referenceBinary('etcd');
  return startEtcd(binary ? { binary } : {});
}

export const HOW_TO_BUILD = 'run `make reference` to build the reference kube-apiserver';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startReference(opts: StartReferenceOptions = {}): Promise<ReferenceServer> {
  const binary = referenceBinary();
  if (!binary) throw new Error(`no reference kube-apiserver in ${referenceDir()}: ${HOW_TO_BUILD}`);
  const etcd = opts.etcd ?? (await startReferenceEtcd());
  const home = await mkdtemp(join(tmpdir(), 'kgate-reference-'));
  const prefix = opts.prefix ?? `/reference-${randomBytes(6).toString('hex')}`;
  const certs = await ensureCertificates(join(home, 'pki'));
  const token = randomBytes(16).toString('hex');
  const tokenFile = join(home, 'tokens.csv');
  await writeFile(
    tokenFile,
    renderTokenFile([{ token, user: ADMIN_USER, uid: 'admin', groups: ['system:masters'] }, ...(opts.tokens ?? [])]),
    { mode: 0o600 },
  );
  // One RSA key both signs and verifies service-account tokens, as kube's test server generates.
  const serviceAccountKey = opts.serviceAccountKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const saKey = join(home, 'sa.key');
  const saPub = join(home, 'sa.pub');
  await writeFile(saKey, serviceAccountKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await writeFile(saPub, createPublicKey(serviceAccountKey).export({ type: 'spki', format: 'pem' }));
  const logFile = join(home, 'kube-apiserver.log');

  const logTail = async () => (await readFile(logFile, 'utf8').catch(() => '')).slice(-4000);
  const cleanup = async () => {
    if (!opts.etcd) await etcd.stop();
    await rm(home, { recursive: true, force: true });
  };

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const args = [
      `--etcd-servers=${etcd.endpoint}`,
      `--etcd-prefix=${prefix}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      `--tls-cert-file=${certs.files.servingCert}`,
      `--tls-private-key-file=${certs.files.servingKey}`,
      `--token-auth-file=${tokenFile}`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--authorization-mode=${(opts.authorizationModes ?? ['RBAC']).join(',')}`,
      ...(opts.serviceAccountAdmission ? [] : REFERENCE_ADMISSION_FLAGS),
      '--service-cluster-ip-range=10.0.0.0/24',
      '--v=1',
      ...(opts.clientCA ? [`--client-ca-file=${certs.files.caCert}`] : []),
      ...(opts.extraArgs ?? []),
    ];
    const logFd = openSync(logFile, 'a');
    const spawned = performance.now();
    const child = spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    running.add(child);
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      running.delete(child);
      exited = `kube-apiserver exited (code ${code}, signal ${signal})`;
    });
    child.once('error', (err) => {
      running.delete(child);
      exited = `kube-apiserver failed to start: ${err.message}`;
    });

    const agent = new https.Agent({ ca: certs.caCert, keepAlive: true });
    const request = httpRequester(() => url, token, agent);
    const deadline = Date.now() + (opts.readyDeadlineMs ?? 180_000);
    let last = 'no answer yet';
    let ready = false;
    while (!exited && Date.now() < deadline) {
      try {
        const res = await request('GET', '/readyz');
        if (res.status === 200) {
          ready = true;
          break;
        }
        last = `${res.status} ${res.text.slice(-500)}`;
      } catch (err) {
        last = (err as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, opts.readyPollMs ?? 200));
    }
    const readyMs = performance.now() - spawned;
    if (!ready) {
      agent.destroy();
      await stopChild(child);
      const log = await logTail();
      // Another process may take the free port between our probe and kube-apiserver's bind.
      if (attempt < 3 && /address already in use/.test(log)) continue;
      await cleanup();
      throw new Error(`${exited ?? 'kube-apiserver did not become ready'} (last /readyz: ${last})\n${log}`);
    }

    const kubeconfig = join(home, 'kubeconfig');
    await writeKubeconfig(kubeconfig, { server: url, caCert: certs.caCert, token });
    return {
      url,
      token,
      ca: certs.caCert,
      kubeconfig,
      etcd,
      pid: child.pid as number,
      readyMs,
      prefix,
      pkiDir: join(home, 'pki'),
      request,
      watch: httpWatcher(() => url, token, certs.caCert),
      logTail,
      async close() {
        agent.destroy();
        await stopChild(child);
        await cleanup();
      },
    };
  }
}
