// ServiceAccount token keys: reading PEM files as client-go's keyutil does (ParsePublicKeysPEM, ParsePrivateKeyPEM),
// kube's key IDs (keyIDFromPublicKey: base64url of the SHA-256 of the PKIX DER) and the JWS algorithm per key
// (k8s.io/kubernetes/pkg/serviceaccount/jwt.go and openidmetadata.go). Only RSA and ECDSA P-256/384/521 keys count.
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { pemDecode } from '../../apimachinery/pkcs10.js';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

/** A verification key as kube's StaticPublicKeysGetter holds it. */
export interface PublicKey {
  keyID: string;
  key: KeyObject;
  algorithm: SigningAlgorithm;
}

interface PemBlock {
  type: string;
  der: Buffer;
}

/** Every PEM block in the text, as keyutil walks them with Go's pem.Decode (other text between blocks is skipped). */
function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (let d = pemDecode(text); d !== undefined; d = pemDecode(d.rest)) blocks.push({ type: d.block.type, der: d.block.bytes });
  return blocks;
}

const CURVE_ALGORITHMS: Record<string, SigningAlgorithm> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** RS256 for RSA, ES256/384/512 by curve (algorithmFromPublicKey); undefined for any other key. */
export function algorithmFor(key: KeyObject): SigningAlgorithm | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') return CURVE_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
  return undefined;
}

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** The public key a DER block holds, trying keyutil's parsers in its order; undefined when none applies. */
function publicKeyOfBlock(der: Buffer): KeyObject | undefined {
  // PKCS#8 counts for RSA keys only: keyutil reads EC private keys as SEC1 alone.
  const pkcs8 = attempt(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  const privateKey =
    attempt(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' })) ??
    (pkcs8?.asymmetricKeyType === 'rsa' ? pkcs8 : undefined) ??
    attempt(() => createPrivateKey({ key: der, format: 'der', type: 'sec1' }));
  const key =
    (privateKey && createPublicKey(privateKey)) ??
    attempt(() => createPublicKey({ key: der, format: 'der', type: 'spki' })) ??
    attempt(() => new X509Certificate(der).publicKey);
  return key && algorithmFor(key) ? key : undefined;
}

/** kube's key ID: base64url (unpadded) of the SHA-256 of the key's PKIX (SubjectPublicKeyInfo) DER. */
export function keyIDOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
}

function publicKeyOf(key: KeyObject): PublicKey {
  return { keyID: keyIDOf(key), key, algorithm: algorithmFor(key)! };
}

/**
 * The public keys in a PEM file (public keys, certificates or private keys), keyutil.ParsePublicKeysPEM; throws
 * keyutil's "data does not contain any valid RSA or ECDSA public keys" when there is none.
 */
export function parsePublicKeysPEM(text: string): PublicKey[] {
  const keys = pemBlocks(text)
    .map((block) => publicKeyOfBlock(block.der))
    .filter((key): key is KeyObject => key !== undefined);
  if (keys.length === 0) throw new Error('data does not contain any valid RSA or ECDSA public keys');
  return keys.map(publicKeyOf);
}

/** The first private key block keyutil.ParsePrivateKeyPEM recognises ("EC PRIVATE KEY", "RSA PRIVATE KEY", "PRIVATE KEY"). */
export function parsePrivateKeyPEM(text: string): KeyObject {
  for (const block of pemBlocks(text)) {
    const type =
      block.type === 'EC PRIVATE KEY'
        ? 'sec1'
        : block.type === 'RSA PRIVATE KEY'
          ? 'pkcs1'
          : block.type === 'PRIVATE KEY'
            ? 'pkcs8'
            : undefined;
    if (!type) continue;
    const key = attempt(() => createPrivateKey({ key: block.der, format: 'der', type }));
    if (key && algorithmFor(key)) return key;
  }
  throw new Error('data does not contain a valid RSA or ECDSA private key');
}

/** The key's JWK as go-jose writes a public JSONWebKey: use, kty, kid, crv, alg, x, y, n, e. */
export function publicJWK(key: PublicKey): Record<string, string> {
  const publicKey = key.key.type === 'private' ? createPublicKey(key.key) : key.key;
  const jwk = publicKey.export({ format: 'jwk' });
  const out: Record<string, string> = { use: 'sig', kty: String(jwk.kty), kid: key.keyID };
  if (jwk.crv) out.crv = jwk.crv;
  out.alg = key.algorithm;
  for (const field of ['x', 'y', 'n', 'e'] as const) if (jwk[field]) out[field] = jwk[field];
  return out;
}
