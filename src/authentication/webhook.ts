// Webhook token authentication (k8s.io/apiserver/plugin/pkg/authenticator/token/webhook/webhook.go, wrapped as
// kube wraps it in pkg/authentication/token/cache with --authentication-token-webhook-cache-ttl for answers either
// way, errors not). A bearer token is sent to the remote service as a TokenReview; status.authenticated with status.user
// decides. A refusal, an error in the answer or a failed call is 'rejected': the client sees kube's plain 401.
import type { UserInfo } from '../apimachinery/user.js';
import { bearerToken, withAuthenticatedGroup, type AuthResult, type Authenticator, type RequestCredentials } from './index.js';

/** Posts a TokenReview and resolves with the decoded answer (the server's webhook client does the HTTP). */
export type TokenReviewPoster = (review: object) => Promise<unknown>;

export interface WebhookTokenSettings {
  /** --authentication-token-webhook-version: v1 or v1beta1 (authentication.k8s.io). */
  version: 'v1' | 'v1beta1';
  /** --authentication-token-webhook-cache-ttl in milliseconds (default 2m); 0 caches nothing. */
  cacheTTLMs: number;
  /**
   * The API server's audiences (kube: --api-audiences, else the --service-account-issuer values). When set they
   * go in spec.audiences and the answer must share one of them (status.audiences, or these when it names none).
   */
  audiences?: string[];
  log?: (message: string) => void;
  /** For tests of the cache: the clock. */
  now?: () => number;
}

/** The token cache's bound on remembered answers (cached_token_authenticator uses a striped LRU of 4096×32). */
const MAX_CACHED = 4096;

interface Cached {
  expires: number;
  result: AuthResult;
}

interface Review {
  result: AuthResult;
  /** The token cache keeps answers, not errors (kube builds it with cacheErrs false). */
  cacheable: boolean;
}

export class WebhookTokenAuthenticator implements Authenticator {
  private readonly cache = new Map<string, Cached>();
  private readonly inflight = new Map<string, Promise<AuthResult>>();
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly post: TokenReviewPoster,
    private readonly settings: WebhookTokenSettings,
  ) {
    this.now = settings.now ?? Date.now;
    this.log = settings.log ?? (() => undefined);
  }

  authenticate(creds: RequestCredentials): AuthResult | Promise<AuthResult> {
    const token = bearerToken(creds.authorization);
    if (token === undefined) return { kind: 'none' };
    const hit = this.cache.get(token);
    if (hit && hit.expires > this.now()) return hit.result;
    // Concurrent requests with the same token share one call, as the token cache's singleflight does.
    let pending = this.inflight.get(token);
    if (!pending) {
      pending = this.review(token).then(({ result, cacheable }) => {
        this.inflight.delete(token);
        if (cacheable && this.settings.cacheTTLMs > 0) this.remember(token, result);
        return result;
      });
      this.inflight.set(token, pending);
    }
    return pending;
  }

  private remember(token: string, result: AuthResult): void {
    const now = this.now();
    this.cache.delete(token);
    if (this.cache.size >= MAX_CACHED) {
      for (const [key, entry] of this.cache) if (entry.expires <= now) this.cache.delete(key);
      // Still full: drop the oldest entry (Map iterates in insertion order).
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(token, { expires: now + this.settings.cacheTTLMs, result });
  }

  private async review(token: string): Promise<Review> {
    // Go's encoding of an empty TokenReview with only spec.token set (metadata and status.user written empty).
    const review = {
      kind: 'TokenReview',
      apiVersion: `authentication.k8s.io/${this.settings.version}`,
      metadata: {},
      spec: { token, ...(this.settings.audiences?.length && { audiences: this.settings.audiences }) },
      status: { user: {} },
    };
    let answer: unknown;
    try {
      answer = await this.post(review);
    } catch (error) {
      this.log(`Failed to make webhook authenticator request: ${(error as Error).message}`);
      return { result: { kind: 'rejected' }, cacheable: false };
    }
    const status = (answer as { status?: Record<string, unknown> } | null)?.status ?? {};
    const wanted = this.settings.audiences ?? [];
    if (wanted.length > 0) {
      const got = Array.isArray(status.audiences) && status.audiences.length > 0 ? (status.audiences as unknown[]) : wanted;
      if (!wanted.some((audience) => got.includes(audience))) return { result: { kind: 'rejected' }, cacheable: true };
    }
    if (status.authenticated !== true) {
      // A refusal with status.error is an error to kube: not cached.
      const error = typeof status.error === 'string' ? status.error : '';
      if (error !== '') this.log(error);
      return { result: { kind: 'rejected' }, cacheable: error === '' };
    }
    return { result: { kind: 'authenticated', user: withAuthenticatedGroup(userOf(status.user)) }, cacheable: true };
  }
}

/** status.user of a TokenReview (UserInfo: username, uid, groups, extra). */
function userOf(value: unknown): UserInfo {
  const u = (value ?? {}) as Record<string, unknown>;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
  const user: UserInfo = {
    name: typeof u.username === 'string' ? u.username : '',
    uid: typeof u.uid === 'string' ? u.uid : '',
    groups: strings(u.groups),
  };
  if (u.extra && typeof u.extra === 'object') {
    user.extra = Object.fromEntries(Object.entries(u.extra as Record<string, unknown>).map(([k, v]) => [k, strings(v)]));
  }
  return user;
}
