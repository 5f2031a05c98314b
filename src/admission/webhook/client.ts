// Posting an AdmissionReview to a webhook over HTTPS (k8s.io/apiserver/pkg/util/webhook/client.go: HookClient and
// hookClientConfig, with client-go's rest client as the dispatchers use it). One pool of kept-alive connections per
// webhook (http1.ts), so a webhook called on every write costs no TLS handshake after the first; its TLS context
// trusts the webhook's caBundle (the system roots without one), and the name checked is the URL's host, or
// `<service>.<namespace>.svc` for a Service reached at one of its endpoints.
// The `?timeout=Ns` kube's rest client appends is part of the URL, so failures name it as kube's do.
//
// Failures are thrown as CallError with the text Go's net/http and client-go would give (`Post "<url>": ...`); the
// dispatcher wraps them as `failed calling webhook "<name>": failed to call webhook: ...`.
import { X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import { isObject } from '../../apimachinery/objects.js';
import { Http1Pool, type Http1Response, type Http1Target } from './http1.js';

/** Where a Service's webhook is reached: an endpoint's address (kube's --enable-aggregator-routing resolver). */
export type ServiceResolver = (namespace: string, name: string, port: number) => Promise<{ host: string; port: number }>;

export interface ClientConfig {
  url?: string;
  service?: { namespace: string; name: string; path?: string; port?: number };
  /** PEM; empty or absent: the system roots. */
  caBundle?: string;
}

/** A failure to get an answer; `message` is Go's error text for it. */
export class CallError extends Error {
  /** The Status client-go made of an HTTP error answer, when there was one. */
  constructor(
    message: string,
    readonly status?: { code: number; reason: string; message: string },
  ) {
    super(message);
  }
}

/** The configuration gives no usable client (a bad caBundle or URL). */
export class ClientConfigError extends Error {}

export class WebhookClient {
  private readonly pool = new Http1Pool();
  private readonly secureContext: SecureContext;
  private readonly serverName: string | undefined;
  /** The hint Go adds when a CA of the issuer's name did not sign the certificate. */
  private readonly candidate: string | undefined;
  /** For a URL webhook: where to connect, the Host header and the path. */
  private readonly url: { host: string; port: number; hostHeader: string; path: string; shown: string } | undefined;
  /** Why no call can be made with this configuration (kube: "could not get REST client"). */
  private readonly configError: string | undefined;

  constructor(
    private readonly config: ClientConfig,
    private readonly resolveService: ServiceResolver,
  ) {
    const ca = config.caBundle && config.caBundle.trim() !== '' ? config.caBundle : undefined;
    this.candidate = candidateHint(ca);
    this.serverName = config.service ? `${config.service.name}.${config.service.namespace}.svc` : undefined;
    // One TLS context per webhook, shared by its connections (the system roots without a caBundle). A bundle or URL
    // that cannot be used (stored by something that skipped validation) fails each call, as kube's client creation.
    let secureContext: SecureContext | undefined;
    const caError = ca === undefined ? undefined : rootCertPoolError(ca);
    if (caError !== undefined) this.configError = `unable to load root certificates: ${caError}`;
    else {
      try {
        secureContext = createSecureContext(ca ? { ca } : {});
      } catch (e) {
        this.configError = `unable to load root certificates: ${(e as Error).message}`;
      }
    }
    this.secureContext = secureContext ?? createSecureContext({});
    if (config.url !== undefined) {
      let u: URL | undefined;
      try {
        u = new URL(config.url);
      } catch {
        this.configError = `Unparsable URL: parse ${JSON.stringify(config.url)}: invalid URI for request`;
      }
      this.url = u && {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port === '' ? 443 : Number(u.port),
        hostHeader: u.host,
        path: u.pathname === '' ? '/' : u.pathname,
        shown: `${u.protocol}//${u.host}${u.pathname === '' ? '/' : u.pathname}`,
      };
    }
  }

  /** The URL as kube's rest client builds it, with the timeout query. */
  displayURL(timeoutSeconds: number): string {
    if (this.config.service) {
      const s = this.config.service;
      const path = s.path && s.path !== '' ? s.path : '/';
      return `https://${this.serverName}:${s.port ?? 443}${path}?timeout=${timeoutSeconds}s`;
    }
    return `${this.url!.shown}?timeout=${timeoutSeconds}s`;
  }

  /** Posts `body` and returns the decoded JSON answer, or throws CallError. */
  async post(body: string, timeoutSeconds: number): Promise<unknown> {
    if (this.configError !== undefined) throw new ClientConfigError(this.configError);
    const deadline = Date.now() + timeoutSeconds * 1000;
    let target: Http1Target;
    let hostHeader: string;
    let path: string;
    if (this.config.service) {
      const s = this.config.service;
      let endpoint: { host: string; port: number };
      try {
        endpoint = await this.resolveService(s.namespace, s.name, s.port ?? 443);
      } catch (e) {
        throw new CallError(`Post ${JSON.stringify(this.displayURL(timeoutSeconds))}: ${(e as Error).message}`);
      }
      target = { host: endpoint.host, port: endpoint.port, servername: this.serverName, secureContext: this.secureContext };
      hostHeader = `${this.serverName}:${s.port ?? 443}`;
      path = s.path && s.path !== '' ? s.path : '/';
    } else {
      const u = this.url!;
      target = { host: u.host, port: u.port, secureContext: this.secureContext };
      hostHeader = u.hostHeader;
      path = u.path;
    }
    const payload = Buffer.from(body);
    const head =
      `POST ${path}?timeout=${timeoutSeconds}s HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: kgate\r\n` +
      `Content-Type: application/json\r\nAccept: application/json, */*\r\nContent-Length: ${payload.length}\r\n\r\n`;
    let res: Http1Response;
    try {
      res = await this.pool.request(target, head, payload, deadline);
    } catch (e) {
      throw new CallError(
        `Post ${JSON.stringify(this.displayURL(timeoutSeconds))}: ${goNetError(e as Error, target, this.serverName, this.candidate)}`,
      );
    }
    return this.decode(res.status, res.headers['content-type'] ?? '', res.body);
  }

  /** client-go's transformResponse and Into: a 2xx JSON body, or the Status an error answer becomes. */
  private decode(status: number, contentType: string, body: Buffer): unknown {
    const text = body.toString('utf8');
    let parsed: unknown;
    let parseError: string | undefined;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      parseError = (e as Error).message;
    }
    if (status < 200 || status > 206) {
      if (isObject(parsed) && parsed.kind === 'Status' && typeof parsed.message === 'string') {
        throw new CallError(parsed.message, {
          code: Number(parsed.code ?? status),
          reason: String(parsed.reason ?? ''),
          message: parsed.message,
        });
      }
      const message = genericServerResponse(status, contentType, text);
      throw new CallError(message, { code: status, reason: '', message });
    }
    if (parseError !== undefined || !isObject(parsed)) {
      throw new CallError(`couldn't get version/kind; json parse error: ${goTypeMetaError(text, parsed, parseError)}`);
    }
    return parsed;
  }

  /** The configuration changed: calls under way finish, then the connections go. */
  close(): void {
    setTimeout(() => this.pool.close(), 30_000).unref();
  }

  /** Shutdown: the connections go now. */
  closeNow(): void {
    this.pool.close();
  }
}

/** errors.NewGenericServerResponse's messages for a POST whose answer was not a Status. */
function genericServerResponse(code: number, contentType: string, body: string): string {
  const isText = /^(text\/|application\/json)/.test(contentType);
  const shown = isText && body.length > 0 ? (body.length > 1024 ? body.slice(0, 1024) : body) : '';
  switch (code) {
    case 400:
      return 'the server rejected our request for an unknown reason';
    case 401:
      return 'the server has asked for the client to provide credentials';
    case 403:
      return shown !== '' ? shown : 'forbidden';
    case 404:
      return 'the server could not find the requested resource';
    case 409:
      return 'the server reported a conflict';
    case 429:
      return 'the server has received too many requests and has asked us to try again later';
    case 500:
      return shown !== ''
        ? `an error on the server (${JSON.stringify(shown)}) has prevented the request from succeeding`
        : 'an error on the server ("unknown") has prevented the request from succeeding';
    case 503:
      return 'the server is currently unable to handle the request';
    case 504:
      return 'the server was unable to return a response in the time allotted, but may still be processing the request';
    default:
      return `the server responded with the status code ${code} but did not return more information`;
  }
}

/**
 * The error of reading apiVersion and kind from a body that is no JSON object. kube's decoder reads YAML too, so
 * plain text is a YAML string and the error is encoding/json's type mismatch.
 */
function goTypeMetaError(text: string, parsed: unknown, parseError: string | undefined): string {
  const target = 'Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
  if (text.trim() === '') return 'unexpected end of JSON input';
  const type =
    parseError !== undefined || typeof parsed === 'string'
      ? 'string'
      : typeof parsed === 'number'
        ? 'number'
        : typeof parsed === 'boolean'
          ? 'bool'
          : Array.isArray(parsed)
            ? 'array'
            : undefined;
  return type ? `json: cannot unmarshal ${type} into ${target}` : (parseError ?? 'invalid JSON');
}

/** Node's socket and TLS errors as Go's net and crypto/tls word them. */
function goNetError(e: Error, target: Http1Target, serverName: string | undefined, candidate: string | undefined): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const host = target.host;
  const hostPort = host.includes(':') ? `[${host}]:${target.port}` : `${host}:${target.port}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `dial tcp ${hostPort}: connect: connection refused`;
    case 'ETIMEDOUT':
      return 'context deadline exceeded';
    case 'ECONNRESET':
    case 'EOF':
      return 'EOF';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${host}: no such host`;
    case 'EHOSTUNREACH':
      return `dial tcp ${hostPort}: connect: no route to host`;
    case 'CERT_SIGNATURE_FAILURE':
      // A CA of the same name is in the bundle but did not sign it: Go names the candidate it tried.
      return `tls: failed to verify certificate: x509: certificate signed by unknown authority${candidate ?? ''}`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: certificate is not valid for ${serverName ?? host}`;
    default:
      return e.message;
  }
}

/**
 * x509.UnknownAuthorityError's hint, for a server certificate whose issuer has the name of a CA in the bundle that
 * did not sign it: `(possibly because of "<signature error>" while trying to verify candidate authority certificate
 * "<CN>")`. Node does not say which CA it tried; with a one-certificate bundle it can only be that one.
 */
function candidateHint(caBundle: string | undefined): string | undefined {
  if (!caBundle) return undefined;
  let ca: X509Certificate;
  try {
    ca = new X509Certificate(caBundle);
  } catch {
    return undefined;
  }
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(ca.subject)?.[1] ?? '';
  const type = ca.publicKey.asymmetricKeyType;
  const hint =
    type === 'ec' ? 'x509: ECDSA verification failure' : type === 'rsa' ? 'crypto/rsa: verification error' : 'ed25519: invalid signature';
  return ` (possibly because of ${JSON.stringify(hint)} while trying to verify candidate authority certificate ${JSON.stringify(cn)})`;
}

/**
 * client-go's rootCertPool: a bundle is usable when at least one PEM block in it is a certificate; otherwise the
 * error names why (createErrorParsingCAData).
 */
function rootCertPoolError(pem: string): string | undefined {
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  if (blocks.length === 0) return 'unable to parse bytes as PEM block';
  let firstError: string | undefined;
  for (const [block, type] of blocks) {
    if (type !== 'CERTIFICATE') continue;
    try {
      new X509Certificate(block);
      return undefined;
    } catch {
      firstError ??= 'failed to parse certificate: x509: malformed certificate';
    }
  }
  return firstError ?? 'no valid certificate authority data seen';
}
