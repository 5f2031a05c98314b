// The claims of a bound ServiceAccount token and the signer that issues it (k8s.io/kubernetes/pkg/serviceaccount's
// claims.go Claims and jwt.go JWTTokenGenerator/GenerateToken). go-jose merges the public and private claims into one
// map before encoding, so the payload's keys are sorted at every level; the header is {"alg","kid"}.
import { randomUUID, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import type { KubeObject } from '../../apimachinery/meta.js';
import { algorithmFor, keyIDOf, type SigningAlgorithm } from './keys.js';

/** kube's WarnOnlyBoundTokenExpirationSeconds: the projected-token lifetime that --service-account-extend-token-expiration stretches. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;
/** kube's ExpirationExtensionSeconds: one year. */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;

export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

export interface ClaimsRequest {
  serviceAccount: KubeObject;
  pod?: KubeObject;
  secret?: KubeObject;
  node?: KubeObject;
  expirationSeconds: number;
  /** Non-zero when the lifetime was extended: the time (seconds from now) after which use is only warned about. */
  warnAfterSeconds: number;
  audiences: string[];
  /** Seconds since the epoch (whole: NumericDate). */
  now: number;
}

const ref = (obj: KubeObject) => omitEmpty({ name: obj.metadata?.name, uid: obj.metadata?.uid });

function omitEmpty(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== ''));
}

/** claims.go's Claims: the registered claims plus kubernetes.io{namespace, serviceaccount, pod|secret|node, warnafter}. */
export function serviceAccountClaims(req: ClaimsRequest): Record<string, unknown> {
  const sa = req.serviceAccount;
  const namespace = String(sa.metadata?.namespace ?? '');
  const kubernetes: Record<string, unknown> = omitEmpty({ namespace });
  kubernetes.serviceaccount = ref(sa);
  if (req.pod) {
    kubernetes.pod = ref(req.pod);
    // ServiceAccountTokenPodNodeInfo (on by default): a pod-bound token names the pod's node too.
    if (req.node) kubernetes.node = ref(req.node);
  } else if (req.secret) kubernetes.secret = ref(req.secret);
  else if (req.node) kubernetes.node = ref(req.node);
  if (req.warnAfterSeconds !== 0) kubernetes.warnafter = req.now + req.warnAfterSeconds;
  return sortKeys({
    aud: req.audiences,
    exp: req.now + req.expirationSeconds,
    iat: req.now,
    // ServiceAccountTokenJTI (on by default): every token has its own ID, reported as the credential ID.
    jti: randomUUID(),
    'kubernetes.io': kubernetes,
    nbf: req.now,
    sub: serviceAccountUsername(namespace, String(sa.metadata?.name ?? '')),
  });
}

function sortKeys(value: unknown): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** Signs tokens as one issuer with one private key (JWTTokenGenerator). */
export class TokenSigner {
  readonly algorithm: SigningAlgorithm;
  readonly keyID: string;
  constructor(
    readonly issuer: string,
    private readonly privateKey: KeyObject,
  ) {
    const algorithm = algorithmFor(privateKey);
    if (!algorithm) throw new Error('unknown private key type, must be RSA or ECDSA on P-256, P-384 or P-521');
    this.algorithm = algorithm;
    this.keyID = keyIDOf(privateKey);
  }

  /** GenerateToken: the claims with this issuer's `iss`, compact-serialised. */
  sign(claims: Record<string, unknown>): Promise<string> {
    const payload = sortKeys({ ...claims, iss: this.issuer });
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: this.algorithm, kid: this.keyID })
      .sign(this.privateKey);
  }
}
