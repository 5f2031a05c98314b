// Authentication: turns request credentials into a user (k8s.io/apiserver/pkg/authentication). Plugins are
// tried in order; the first that recognises the credentials decides. Nothing here sees Koa.
import type { UserInfo } from '../apimachinery/user.js';
import type { StaticToken } from './tokenfile.js';

export type AuthResult =
  /** `audiences`: what an audience-aware authenticator found the token good for (authenticator.Response.Audiences). */
  | { kind: 'authenticated'; user: UserInfo; audiences?: string[] }
  /** Credentials were presented and are wrong: 401, whatever else could have matched. */
  | { kind: 'rejected' }
  /** No credentials this authenticator understands. */
  | { kind: 'none' };

/** What the TLS layer learned about the client's certificate (when --client-ca-file is set). */
export interface ClientCertificate {
  /** The chain verified against --client-ca-file (Node's `socket.authorized`). */
  verified: boolean;
  commonName: string;
  organizations: string[];
  /** SHA-256 of the leaf certificate's DER, lowercase hex: kube's credential ID for it (X509SHA256=<hex>). */
  sha256: string;
}

export interface RequestCredentials {
  authorization?: string;
  /** Present when the client sent a certificate and --client-ca-file is set. */
  clientCertificate?: ClientCertificate;
  /** The audiences a TokenReview checks the token against (authenticator.WithAudiences); unset for requests. */
  audiences?: readonly string[];
}

/**
 * One authenticator. Token checks that need I/O (ServiceAccount lookups, OIDC key sets, webhooks) answer with a
 * promise; the in-memory ones answer at once so the common path costs no extra turn of the event loop.
 */
export interface Authenticator {
  authenticate(creds: RequestCredentials): AuthResult | Promise<AuthResult>;
}

/**
 * The bearer token of an Authorization header, as kube's bearertoken authenticator reads it: the trimmed header split
 * on its first two spaces, a case-insensitive `Bearer` then the token; anything after a second space is ignored, and
 * an empty token (`Bearer ` or a double space) is no token at all.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const auth = header?.trim();
  if (!auth) return undefined;
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1] === '' ? undefined : parts[1];
}

/** --token-auth-file bearer tokens. Every authenticated user also belongs to system:authenticated. */
export class StaticTokenAuthenticator implements Authenticator {
  private readonly byToken: Map<string, StaticToken>;
  constructor(tokens: StaticToken[]) {
    this.byToken = new Map(tokens.map((t) => [t.token, t]));
  }
  authenticate(creds: RequestCredentials): AuthResult {
    const token = bearerToken(creds.authorization);
    if (token === undefined) return { kind: 'none' };
    const entry = this.byToken.get(token);
    if (!entry) return { kind: 'rejected' };
    const groups = entry.groups.includes('system:authenticated') ? entry.groups : [...entry.groups, 'system:authenticated'];
    return { kind: 'authenticated', user: { name: entry.user, uid: entry.uid, groups } };
  }
}

/**
 * group.AuthenticatedGroupAdder: every authenticated user is in system:authenticated, unless it is
 * system:anonymous or its groups already say system:authenticated or system:unauthenticated.
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === 'system:anonymous') return user;
  if (user.groups.includes('system:authenticated') || user.groups.includes('system:unauthenticated')) return user;
  return { ...user, groups: [...user.groups, 'system:authenticated'] };
}

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', uid: '', groups: ['system:unauthenticated'] };

export class AuthenticatorChain implements Authenticator {
  constructor(private readonly chain: Authenticator[]) {}
  authenticate(creds: RequestCredentials): AuthResult | Promise<AuthResult> {
    return this.from(0, false, creds);
  }
  private from(start: number, rejected: boolean, creds: RequestCredentials): AuthResult | Promise<AuthResult> {
    for (let i = start; i < this.chain.length; i++) {
      const r = this.chain[i].authenticate(creds);
      if (r instanceof Promise) {
        return r.then((settled) => {
          if (settled.kind === 'authenticated') return settled;
          return this.from(i + 1, rejected || settled.kind === 'rejected', creds);
        });
      }
      if (r.kind === 'authenticated') return r;
      if (r.kind === 'rejected') rejected = true;
    }
    return rejected ? { kind: 'rejected' } : { kind: 'none' };
  }
}
