// OpenID Connect ID tokens as bearer tokens (k8s.io/apiserver/plugin/pkg/authenticator/token/oidc/oidc.go, with
// the checks of github.com/coreos/go-oidc v2's IDTokenVerifier and NewProvider that it relies on). The issuer's
// discovery document names its JWKS; keys are fetched over HTTPS trusting --oidc-ca-file (or the host's roots) and
// fetched again when a token names a key the set does not hold. A token whose unverified `iss` is another issuer
// is not this authenticator's to judge ('none'); every other failure is 'rejected', which the server turns into
// kube's plain 401 without saying which check failed.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { compactVerify, createRemoteJWKSet, customFetch, type FetchImplementation } from 'jose';
import type { UserInfo } from '../apimachinery/user.js';
import { bearerToken, withAuthenticatedGroup, type AuthResult, type Authenticator, type RequestCredentials } from './index.js';

/** The --oidc-* flags after kube's ToAuthenticationConfig has applied its rules (see server/options/authentication.ts). */
export interface OIDCConfig {
  issuerURL: string;
  /** --oidc-client-id: the one audience an ID token must name. */
  clientID: string;
  usernameClaim: string;
  /** The prefix actually applied: the issuer URL + '#' for non-email claims unless a prefix was given, '' for '-'. */
  usernamePrefix: string;
  /** '' when --oidc-groups-claim is not set. */
  groupsClaim: string;
  groupsPrefix: string;
  requiredClaims: Record<string, string>;
  /** --oidc-signing-algs (default RS256). */
  signingAlgs: string[];
  /** PEM contents of --oidc-ca-file; without it the host's root CAs are trusted. */
  ca?: Buffer;
}

/** The JOSE algorithms kube accepts in --oidc-signing-algs (oidc.AllValidSigningAlgorithms). */
export const VALID_SIGNING_ALGS = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'];

/** user.CredentialIDKey: the token's jti, as "JTI=<jti>". */
const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';
/** go-oidc's client timeout (kube sets http.Client.Timeout to 30s). */
const FETCH_TIMEOUT_MS = 30_000;

type Claims = Record<string, unknown>;
type KeySet = ReturnType<typeof createRemoteJWKSet>;

export interface OIDCAuthenticatorSettings {
  /** Hears why a token was refused (kube logs it; the client only sees 401). */
  log?: (message: string) => void;
}

export class OIDCAuthenticator implements Authenticator {
  private keys: KeySet | undefined;
  private discovering: Promise<KeySet> | undefined;
  private readonly log: (message: string) => void;

  constructor(
    private readonly config: OIDCConfig,
    settings: OIDCAuthenticatorSettings = {},
  ) {
    this.log = settings.log ?? (() => undefined);
    // kube starts discovery at once, in the background, so an issuer that is not up yet does not stop start-up.
    this.discover().catch(() => undefined);
  }

  authenticate(creds: RequestCredentials): AuthResult | Promise<AuthResult> {
    const token = bearerToken(creds.authorization);
    if (token === undefined || untrustedIssuer(token) !== this.config.issuerURL) return { kind: 'none' };
    return this.verify(token).then(
      (user): AuthResult => ({ kind: 'authenticated', user }),
      (error: unknown): AuthResult => {
        this.log(error instanceof Error ? error.message : String(error));
        return { kind: 'rejected' };
      },
    );
  }

  /** Resolves the key set once; a failed discovery is tried again by the next token (kube polls every 10s). */
  private discover(): Promise<KeySet> {
    if (this.keys) return Promise.resolve(this.keys);
    this.discovering ??= discoverKeySet(this.config).then(
      (keys) => {
        this.keys = keys;
        return keys;
      },
      (error: unknown) => {
        this.discovering = undefined;
        throw error;
      },
    );
    return this.discovering;
  }

  private async verify(token: string): Promise<UserInfo> {
    const claims = checkClaims(token, this.config);
    const keys = await this.discover().catch((error: unknown) => {
      throw new Error(`oidc: authenticator not initialized: ${error instanceof Error ? error.message : String(error)}`);
    });
    const header = decodeSegment(token.split('.')[0]);
    if (!this.config.signingAlgs.includes(String(header.alg))) {
      throw new Error(
        `oidc: id token signed with unsupported algorithm, expected ${goStrings(this.config.signingAlgs)} got "${String(header.alg)}"`,
      );
    }
    await compactVerify(token, keys, { algorithms: this.config.signingAlgs }).catch((error: unknown) => {
      throw new Error(`failed to verify signature: ${error instanceof Error ? error.message : String(error)}`);
    });
    return userFromClaims(claims, this.config);
  }
}

/** The issuer a token claims, unverified (untrustedIssuer): '' when the token is not a compact JWT. */
export function untrustedIssuer(token: string): string {
  if (token.trim().startsWith('{')) return '';
  const parts = token.split('.');
  if (parts.length !== 3) return '';
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return '';
  }
  const iss = (payload as Claims | null)?.iss;
  if (typeof iss !== 'string') return '';
  // Google's legacy issuer, coalesced as kube does.
  return iss === 'accounts.google.com' ? 'https://accounts.google.com' : iss;
}

/** go-oidc's checks before the signature: issuer, audience, expiry (no leeway) and not-before (1 minute leeway). */
function checkClaims(token: string, config: OIDCConfig, now = Date.now()): Claims {
  const claims = decodeSegment(token.split('.')[1]);
  // go-oidc tolerates Google's scheme-less issuer for Google only.
  const googleLegacy = config.issuerURL === 'https://accounts.google.com' && claims.iss === 'accounts.google.com';
  if (claims.iss !== config.issuerURL && !googleLegacy) {
    throw new Error(`oidc: id token issued by a different provider, expected "${config.issuerURL}" got "${String(claims.iss)}"`);
  }
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(config.clientID)) {
    throw new Error(`oidc: expected audience "${config.clientID}" got ${goStrings(audiences.map(String))}`);
  }
  // A missing exp is Go's zero time: long expired.
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
  if (exp < now) throw new Error(`oidc: token is expired (Token Expiry: ${new Date(exp).toISOString()})`);
  if (typeof claims.nbf === 'number' && now + 60_000 < claims.nbf * 1000) {
    throw new Error(
      `oidc: current time ${new Date(now).toISOString()} before the nbf (not before) time: ${new Date(claims.nbf * 1000).toISOString()}`,
    );
  }
  return claims;
}

/** jwtAuthenticator.AuthenticateToken after verification: username, groups, credential id, required claims. */
export function userFromClaims(claims: Claims, config: OIDCConfig): UserInfo {
  const username = claims[config.usernameClaim];
  if (typeof username !== 'string') throw new Error(`oidc: parse username claims "${config.usernameClaim}"`);
  if (config.usernameClaim === 'email' && 'email_verified' in claims) {
    const verified = claims.email_verified;
    if (typeof verified !== 'boolean') throw new Error(`oidc: parse 'email_verified' claim`);
    if (!verified) throw new Error('oidc: email not verified');
  }
  const name = config.usernamePrefix + username;

  let groups: string[] = [];
  if (config.groupsClaim !== '' && config.groupsClaim in claims) {
    const value = claims[config.groupsClaim];
    // A single string is one group (kubernetes/kubernetes#33290); null decodes to no groups, as in Go.
    if (typeof value === 'string') groups = [value];
    else if (Array.isArray(value) && value.every((g) => typeof g === 'string')) groups = value;
    else if (value !== null) throw new Error(`oidc: parse groups claim "${config.groupsClaim}"`);
    groups = groups.map((group) => config.groupsPrefix + group);
  }

  const extra: Record<string, string[]> = {};
  if (typeof claims.jti === 'string' && claims.jti !== '') extra[CREDENTIAL_ID_KEY] = [`JTI=${claims.jti}`];

  for (const [claim, want] of Object.entries(config.requiredClaims)) {
    if (!(claim in claims)) throw new Error(`oidc: required claim ${claim} not present in ID token`);
    const got = claims[claim];
    if (typeof got !== 'string') throw new Error(`oidc: parse claim ${claim}`);
    if (got !== want) throw new Error(`oidc: required claim ${claim} value does not match. Got = ${got}, want = ${want}`);
  }
  return withAuthenticatedGroup({ name, uid: '', groups, ...(Object.keys(extra).length > 0 && { extra }) });
}

/** go-oidc's NewProvider: the discovery document must name this very issuer; its jwks_uri is the key set. */
async function discoverKeySet(config: OIDCConfig): Promise<KeySet> {
  const wellKnown = `${config.issuerURL.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await get(wellKnown, config.ca);
  if (response.status !== 200) throw new Error(`${response.status} ${response.statusText}: ${response.body}`);
  let discovery: { issuer?: unknown; jwks_uri?: unknown };
  try {
    discovery = JSON.parse(response.body) as typeof discovery;
  } catch (error) {
    throw new Error(`oidc: failed to decode provider discovery object: ${(error as Error).message}`);
  }
  if (discovery.issuer !== config.issuerURL) {
    throw new Error(
      `oidc: issuer did not match the issuer returned by provider, expected "${config.issuerURL}" got "${String(discovery.issuer)}"`,
    );
  }
  if (typeof discovery.jwks_uri !== 'string') throw new Error('oidc: provider discovery object has no jwks_uri');
  const fetchWithCA: FetchImplementation = async (url) => {
    const got = await get(url, config.ca);
    return new Response(got.body, { status: got.status, statusText: got.statusText, headers: { 'content-type': 'application/json' } });
  };
  // go-oidc fetches the set again whenever a token names a key it does not hold; no cooldown, concurrent misses
  // share one fetch.
  return createRemoteJWKSet(new URL(discovery.jwks_uri), {
    [customFetch]: fetchWithCA,
    cooldownDuration: 0,
    timeoutDuration: FETCH_TIMEOUT_MS,
  });
}

interface GetResponse {
  status: number;
  statusText: string;
  body: string;
}

/** A GET trusting `ca` only when given (Go's RootCAs replaces the host's roots, and so does Node's `ca`). */
function get(url: string, ca: Buffer | undefined): Promise<GetResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = send(
      target,
      { method: 'GET', timeout: FETCH_TIMEOUT_MS, headers: { accept: 'application/json' }, ...(ca && { ca }) },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Get "${url}": context deadline exceeded`)));
    req.on('error', reject);
    req.end();
  });
}

function decodeSegment(segment: string | undefined): Claims {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Claims;
  } catch {
    // fall through
  }
  throw new Error('oidc: malformed jwt');
}

/** Go's %q of a []string: ["a" "b"]. */
function goStrings(values: string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}
