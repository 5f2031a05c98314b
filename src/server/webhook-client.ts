// The client kube-apiserver's token-authentication and authorization webhooks use
// (k8s.io/apiserver/pkg/util/webhook: LoadKubeconfig, GenericWebhook). The remote service is named by a kubeconfig
// file: its current context's cluster gives the URL (POSTed to exactly, path included) and the CA to trust, its
// user the client certificate or bearer token kgate presents. Requests time out after 30s and are retried with
// kube's backoff (500ms, ×1.5, 5 attempts) when the answer is a 5xx, 429 or Retry-After, or the connection resets.

import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { goPathError } from './options/files.js';

/** Where a webhook is and how to talk to it, read from its kubeconfig file. */
export interface WebhookClientConfig {
  /** The kubeconfig file it came from, for messages. */
  source: string;
  server: string;
  ca?: Buffer;
  insecureSkipTLSVerify?: boolean;
  tlsServerName?: string;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

/** Posts a review object and resolves with the decoded answer; rejects with the reason the call failed. */
export type WebhookPoster = (body: object) => Promise<unknown>;

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Reads a webhook kubeconfig as clientcmd does for an explicit path: the current context names the cluster and
 * user; relative file references are relative to the kubeconfig. Throws kube-style messages naming the file.
 */
export function loadWebhookKubeconfig(path: string): WebhookClientConfig {
  const text = readFileSync(path, 'utf8');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new Error(`error loading config file "${path}": ${(error as Error).message}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`error loading config file "${path}": couldn't get version/kind; json parse error: not an object`);
  }
  const config = doc as Record<string, unknown>;
  const named = (list: unknown, key: string): Map<string, Record<string, unknown>> => {
    const out = new Map<string, Record<string, unknown>>();
    if (!Array.isArray(list)) return out;
    for (const entry of list as Record<string, unknown>[]) {
      if (entry && typeof entry.name === 'string') out.set(entry.name, (entry[key] as Record<string, unknown>) ?? {});
    }
    return out;
  };
  const contexts = named(config.contexts, 'context');
  const clusters = named(config.clusters, 'cluster');
  const users = named(config.users, 'user');
  const currentContext = typeof config['current-context'] === 'string' ? config['current-context'] : '';
  const invalid = (reason: string): Error => new Error(`invalid configuration in "${path}": ${reason}`);
  if (currentContext === '') {
    throw invalid('no configuration has been provided, try setting KUBERNETES_MASTER environment variable');
  }
  const context = contexts.get(currentContext);
  if (!context) throw invalid(`context was not found for specified context: ${currentContext}`);
  const clusterName = String(context.cluster ?? '');
  const cluster = clusters.get(clusterName);
  if (!cluster) throw invalid(`cluster "${clusterName}" not found`);
  const user = users.get(String(context.user ?? '')) ?? {};
  const server = typeof cluster.server === 'string' ? cluster.server : '';
  if (server === '') throw invalid(`no server found for cluster "${clusterName}"`);
  try {
    const parsed = new URL(server);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`unsupported scheme ${parsed.protocol}`);
  } catch (error) {
    throw invalid(`cluster "${clusterName}": invalid server ${JSON.stringify(server)}: ${(error as Error).message}`);
  }
  const base = dirname(path);
  const file = (value: unknown): Buffer | undefined => {
    if (typeof value !== 'string' || value === '') return undefined;
    const target = isAbsolute(value) ? value : resolve(base, value);
    try {
      return readFileSync(target);
    } catch (error) {
      throw goPathError('open', target, error);
    }
  };
  const data = (value: unknown): Buffer | undefined =>
    typeof value === 'string' && value !== '' ? Buffer.from(value, 'base64') : undefined;
  const ca = data(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']);
  const cert = data(user['client-certificate-data']) ?? file(user['client-certificate']);
  const key = data(user['client-key-data']) ?? file(user['client-key']);
  if ((cert === undefined) !== (key === undefined)) {
    throw invalid('client-cert-data and client-key-data must both be specified');
  }
  const tokenFile = file(user.tokenFile);
  const token = typeof user.token === 'string' && user.token !== '' ? user.token : tokenFile?.toString('utf8').trim();
  return {
    source: path,
    server,
    ...(ca && { ca }),
    ...(cluster['insecure-skip-tls-verify'] === true && { insecureSkipTLSVerify: true }),
    ...(typeof cluster['tls-server-name'] === 'string' && { tlsServerName: cluster['tls-server-name'] }),
    ...(cert && key && { cert, key }),
    ...(token && { token }),
  };
}

interface Attempt {
  status: number;
  body: string;
  retryAfter: boolean;
}

/** A poster for one webhook, with kube's timeout and retry backoff. */
export function webhookPoster(config: WebhookClientConfig, backoff = { initialMs: 500, factor: 1.5, steps: 5 }): WebhookPoster {
  return async (body) => {
    // Go's json.Encoder ends the document with a newline.
    const payload = `${JSON.stringify(body)}\n`;
    let delay = backoff.initialMs;
    for (let step = 1; ; step++) {
      let attempt: Attempt | undefined;
      let failure: Error | undefined;
      try {
        attempt = await post(config, payload);
      } catch (error) {
        failure = error as Error;
      }
      const transient = attempt
        ? attempt.status >= 500 || attempt.status === 429 || attempt.retryAfter
        : (failure as NodeJS.ErrnoException).code === 'ECONNRESET';
      if (!transient || step >= backoff.steps) {
        if (failure) throw new Error(`Post "${config.server}": ${failure.message}`);
        const answer = attempt as Attempt;
        if (answer.status < 200 || answer.status > 299) {
          throw new Error(`the server responded with status ${answer.status}: ${answer.body.trim()}`);
        }
        try {
          return JSON.parse(answer.body) as unknown;
        } catch (error) {
          throw new Error(`couldn't decode the webhook's answer: ${(error as Error).message}`);
        }
      }
      // wait.Backoff with Jitter 0.2: each delay is up to 20% longer.
      await new Promise((done) => setTimeout(done, delay * (1 + Math.random() * 0.2)));
      delay *= backoff.factor;
    }
  };
}

function post(config: WebhookClientConfig, payload: string): Promise<Attempt> {
  return new Promise((resolvePost, reject) => {
    const target = new URL(config.server);
    // client-go's request sends its client timeout as ?timeout=30s.
    target.searchParams.set('timeout', `${REQUEST_TIMEOUT_MS / 1000}s`);
    const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, */*',
      'content-length': String(Buffer.byteLength(payload)),
    };
    if (config.token) headers.authorization = `Bearer ${config.token}`;
    const req = send(
      target,
      {
        method: 'POST',
        headers,
        timeout: REQUEST_TIMEOUT_MS,
        ...(config.ca && { ca: config.ca }),
        ...(config.cert && { cert: config.cert, key: config.key }),
        ...(config.insecureSkipTLSVerify && { rejectUnauthorized: false }),
        ...(config.tlsServerName && { servername: config.tlsServerName }),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolvePost({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfter: res.headers['retry-after'] !== undefined,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
    req.on('error', reject);
    req.end(payload);
  });
}
