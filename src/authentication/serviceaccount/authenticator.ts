// ServiceAccount token authentication (k8s.io/kubernetes/pkg/serviceaccount: jwt.go's jwtTokenAuthenticator, claims.go's
// validator for bound tokens, legacy.go's legacyValidator for Secret-based tokens). A bearer token whose unverified
// `iss` is not one of ours is left to the other authenticators; one that is ours and fails any check is a 401.
// The ServiceAccount and the objects a token is bound to are read through a getter the server backs with the watch
// cache (a miss is confirmed against etcd), as kube reads them through informers with a live fallback.
import { timingSafeEqual } from 'node:crypto';
import { compactVerify } from 'jose';
import type { KubeObject } from '../../apimachinery/meta.js';
import type { UserInfo } from '../../apimachinery/user.js';
import { bearerToken, type Authenticator, type AuthResult, type RequestCredentials } from '../index.js';
import { serviceAccountUsername, SERVICE_ACCOUNT_USERNAME_PREFIX } from './claims.js';
import type { PublicKey } from './keys.js';

/** The issuer of Secret-based tokens minted by kube-controller-manager's token controller. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
/** go-jose's jwt.DefaultLeeway: exp, nbf and iat are checked one minute leniently, and deletions count a minute late. */
const LEEWAY_SECONDS = 60;
const INVALID_SINCE_LABEL = 'kubernetes.io/legacy-token-invalid-since';

/** How the authenticator reads the objects a token names (kube's ServiceAccountTokenGetter); undefined when absent. */
export interface ServiceAccountTokenGetter {
  getServiceAccount(namespace: string, name: string): Promise<KubeObject | undefined>;
  getPod(namespace: string, name: string): Promise<KubeObject | undefined>;
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
  getNode(name: string): Promise<KubeObject | undefined>;
}

export interface ServiceAccountAuthenticatorConfig {
  /** --service-account-issuer values: tokens from any of them are verified here. */
  issuers: string[];
  /** --service-account-key-file keys. */
  keys: PublicKey[];
  /** --api-audiences (defaulting to the issuers): a token must name at least one. */
  apiAudiences: string[];
  /** --service-account-lookup: check the ServiceAccount (and a legacy token's Secret) still exist. */
  lookup: boolean;
  getter: ServiceAccountTokenGetter;
  now?: () => number;
}

class InvalidToken extends Error {}

/** ServiceAccountInfo.UserInfo, plus system:authenticated as kube's group adder puts it on every authenticated user. */
interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUID?: string;
  nodeName?: string;
  nodeUID?: string;
  credentialID?: string;
}

export function serviceAccountUserInfo(sa: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (sa.podName && sa.podUID) {
    extra['authentication.kubernetes.io/pod-name'] = [sa.podName];
    extra['authentication.kubernetes.io/pod-uid'] = [sa.podUID];
  }
  if (sa.credentialID) extra['authentication.kubernetes.io/credential-id'] = [sa.credentialID];
  if (sa.nodeName) {
    extra['authentication.kubernetes.io/node-name'] = [sa.nodeName];
    if (sa.nodeUID) extra['authentication.kubernetes.io/node-uid'] = [sa.nodeUID];
  }
  return {
    name: serviceAccountUsername(sa.namespace, sa.name),
    uid: sa.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`, 'system:authenticated'],
    ...(Object.keys(extra).length > 0 && { extra }),
  };
}

type Validator = (token: string, claims: Record<string, any>) => Promise<ServiceAccountInfo>;

/** One jwtTokenAuthenticator: a set of issuers, the verification keys and the validator for their claims. */
class JWTTokenAuthenticator implements Authenticator {
  private readonly issuers: Set<string>;
  constructor(
    issuers: string[],
    private readonly keys: PublicKey[],
    private readonly apiAudiences: string[],
    private readonly validate: Validator,
  ) {
    this.issuers = new Set(issuers);
  }

  authenticate(creds: RequestCredentials): AuthResult | Promise<AuthResult> {
    const token = bearerToken(creds.authorization);
    if (token === undefined || !this.issuers.has(unverifiedIssuer(token) ?? '')) return { kind: 'none' };
    return this.verify(token, creds.audiences ?? this.apiAudiences).then(
      ({ user, audiences }): AuthResult => ({ kind: 'authenticated', user, audiences }),
      // Any failure, a storage error while looking the ServiceAccount up included, is kube's plain 401.
      (): AuthResult => ({ kind: 'rejected' }),
    );
  }

  /** The user and the audiences the token is good for among `targets` (a request's: --api-audiences; a TokenReview's own). */
  private async verify(token: string, targets: readonly string[]): Promise<{ user: UserInfo; audiences: string[] }> {
    let kid = '';
    try {
      const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid?: unknown };
      if (typeof header.kid === 'string') kid = header.kid;
    } catch {
      // jwt.ParseSigned failing: not a JWS at all, so not ours to judge.
      throw new InvalidToken('malformed token');
    }
    const keys = kid === '' ? this.keys : this.keys.filter((k) => k.keyID === kid);
    if (keys.length === 0) throw new InvalidToken('invalid signature, no keys found');
    let payload: Uint8Array | undefined;
    for (const key of keys) {
      try {
        payload = (await compactVerify(token, key.key, { algorithms: [key.algorithm] })).payload;
        break;
      } catch {
        // Try the next key, as kube tries every key with the token's kid.
      }
    }
    if (!payload) throw new InvalidToken('invalid signature');
    let claims: Record<string, any>;
    try {
      claims = JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, any>;
    } catch {
      throw new InvalidToken('malformed claims');
    }
    if (claims === null || typeof claims !== 'object' || !this.issuers.has(claims.iss)) throw new InvalidToken('token issuer is invalid');
    // A token without audiences (a legacy one) counts as meant for the API itself.
    const audiences = audiencesOf(claims.aud);
    const tokenAudiences = audiences.length === 0 ? this.apiAudiences : audiences;
    const granted = tokenAudiences.filter((a) => targets.includes(a));
    if (this.apiAudiences.length > 0 && granted.length === 0) {
      throw new InvalidToken('token audiences are invalid for the target audiences');
    }
    return { user: serviceAccountUserInfo(await this.validate(token, claims)), audiences: granted };
  }
}

/** hasCorrectIssuer's peek at the payload before any signature check. */
function unverifiedIssuer(token: string): string | undefined {
  if (token.trim().startsWith('{')) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]*$/.test(parts[1])) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof claims?.iss === 'string' ? claims.iss : undefined;
  } catch {
    return undefined;
  }
}

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return aud === '' ? [] : [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

function numericDate(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** metav1.Time in seconds, or undefined when the object is not being deleted. */
function deletedAt(obj: KubeObject): number | undefined {
  const stamp = obj.metadata?.deletionTimestamp;
  return typeof stamp === 'string' ? Date.parse(stamp) / 1000 : undefined;
}

/** claims.go's validator.Validate: times, then the ServiceAccount and each bound object still there with its uid. */
function boundValidator(config: ServiceAccountAuthenticatorConfig): Validator {
  const now = config.now ?? (() => Date.now() / 1000);
  return async (_token, claims) => {
    const t = now();
    const exp = numericDate(claims.exp);
    const nbf = numericDate(claims.nbf);
    const iat = numericDate(claims.iat);
    if (nbf !== undefined && t + LEEWAY_SECONDS < nbf) throw new InvalidToken('service account token is not valid yet');
    if (exp !== undefined && t - LEEWAY_SECONDS > exp) throw new InvalidToken('service account token has expired');
    if (iat !== undefined && t + LEEWAY_SECONDS < iat) throw new InvalidToken('service account token is issued in the future');
    const k8s = (claims['kubernetes.io'] ?? {}) as Record<string, any>;
    const namespace = String(k8s.namespace ?? '');
    const saRef = (k8s.serviceaccount ?? {}) as Record<string, any>;
    const deletedBefore = t - LEEWAY_SECONDS;
    const gone = (obj: KubeObject) => {
      const at = deletedAt(obj);
      return at !== undefined && at < deletedBefore;
    };
    const sa = await config.getter.getServiceAccount(namespace, String(saRef.name ?? ''));
    if (!sa) throw new InvalidToken('service account not found');
    if (String(sa.metadata?.uid ?? '') !== String(saRef.uid ?? '')) throw new InvalidToken('service account UID does not match claim');
    if (gone(sa)) throw new InvalidToken('service account has been deleted');
    const checkRef = async (refClaim: Record<string, any> | undefined, get: (name: string) => Promise<KubeObject | undefined>) => {
      if (!refClaim) return;
      const obj = await get(String(refClaim.name ?? ''));
      if (!obj || String(obj.metadata?.uid ?? '') !== String(refClaim.uid ?? '') || gone(obj)) {
        throw new InvalidToken('service account token has been invalidated');
      }
    };
    await checkRef(k8s.secret, (name) => config.getter.getSecret(namespace, name));
    await checkRef(k8s.pod, (name) => config.getter.getPod(namespace, name));
    const info: ServiceAccountInfo = { namespace, name: String(saRef.name ?? ''), uid: String(saRef.uid ?? '') };
    if (k8s.pod) {
      info.podName = String(k8s.pod.name ?? '');
      info.podUID = String(k8s.pod.uid ?? '');
      if (k8s.node) {
        info.nodeName = String(k8s.node.name ?? '');
        info.nodeUID = String(k8s.node.uid ?? '');
      }
    } else if (k8s.node) {
      await checkRef(k8s.node, (name) => config.getter.getNode(name));
      info.nodeName = String(k8s.node.name ?? '');
      info.nodeUID = String(k8s.node.uid ?? '');
    }
    if (typeof claims.jti === 'string' && claims.jti !== '') info.credentialID = `JTI=${claims.jti}`;
    return info;
  };
}

/** serviceaccount.SplitUsername's shape check of the `sub` claim. */
function splitUsername(username: string): [string, string] | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2 || parts.some((p) => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p))) return undefined;
  return [parts[0], parts[1]];
}

/** legacy.go's legacyValidator: the token must be the one its Secret of type kubernetes.io/service-account-token holds. */
function legacyValidator(config: ServiceAccountAuthenticatorConfig): Validator {
  return async (token, claims) => {
    const claim = (key: string) => String(claims[`kubernetes.io/serviceaccount/${key}`] ?? '');
    const namespace = claim('namespace');
    const secretName = claim('secret.name');
    const name = claim('service-account.name');
    const uid = claim('service-account.uid');
    if (!claims.sub || !namespace || !secretName || !name || !uid) throw new InvalidToken('claim is missing');
    const subject = splitUsername(String(claims.sub));
    if (!subject || subject[0] !== namespace || subject[1] !== name) throw new InvalidToken('sub claim is invalid');
    if (config.lookup) {
      const secret = await config.getter.getSecret(namespace, secretName);
      if (!secret || secret.metadata?.deletionTimestamp) throw new InvalidToken('Token has been invalidated');
      // Secret data is base64 in JSON; the token controller stores the token's text under data.token.
      const stored = Buffer.from(String(secret.data?.token ?? ''), 'base64');
      const presented = Buffer.from(token);
      if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) {
        throw new InvalidToken("Token does not match server's copy");
      }
      const sa = await config.getter.getServiceAccount(namespace, name);
      if (!sa || sa.metadata?.deletionTimestamp) throw new InvalidToken('ServiceAccount has been deleted');
      if (String(sa.metadata?.uid ?? '') !== uid) throw new InvalidToken('ServiceAccount UID does not match claim');
      if (secret.metadata?.labels?.[INVALID_SINCE_LABEL]) throw new InvalidToken('the token has been marked invalid');
    }
    return { namespace, name, uid };
  };
}

/**
 * The ServiceAccount token authenticators in kube's order: legacy Secret-based tokens (issuer
 * kubernetes/serviceaccount), then bound tokens from --service-account-issuer.
 */
export function serviceAccountAuthenticators(config: ServiceAccountAuthenticatorConfig): Authenticator[] {
  return [
    new JWTTokenAuthenticator([LEGACY_ISSUER], config.keys, config.apiAudiences, legacyValidator(config)),
    new JWTTokenAuthenticator(config.issuers, config.keys, config.apiAudiences, boundValidator(config)),
  ];
}
