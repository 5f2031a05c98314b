// The ServiceAccount issuer discovery documents (k8s.io/kubernetes/pkg/serviceaccount/openidmetadata.go):
// /.well-known/openid-configuration and the JWKS at /openid/v1/jwks, as the exact JSON Go's encoder writes for them.
// Served only when the first --service-account-issuer is an https URL without query or fragment, as kube does.
import { publicJWK, type PublicKey } from './keys.js';

export const OPENID_CONFIG_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';
/** staticPublicKeysGetter.GetCacheAgeMaxSeconds: the Cache-Control max-age of both documents. */
export const OPENID_MAX_AGE_SECONDS = 3600;

export interface OpenIDDocuments {
  configJSON: string;
  keysetJSON: string;
}

/**
 * NewOpenIDMetadataProvider: the two documents, or the reason kube gives for not serving them. `externalAddress`
 * (host:port) makes the jwks_uri when --service-account-jwks-uri is not set.
 */
export function openIDDocuments(issuer: string, jwksURI: string, externalAddress: string, keys: PublicKey[]): OpenIDDocuments | string {
  let iss: URL;
  try {
    iss = new URL(issuer);
  } catch {
    return `issuer URL must use https scheme, got: ${issuer}`;
  }
  if (iss.protocol !== 'https:') return `issuer URL must use https scheme, got: ${issuer}`;
  if (iss.search !== '') return `issuer URL may not include a query, got: ${issuer}`;
  if (iss.hash !== '') return `issuer URL may not include a fragment, got: ${issuer}`;
  const uri = jwksURI === '' ? `https://${externalAddress}${JWKS_PATH}` : jwksURI;
  if (keys.length === 0) return 'no keys provided for validating keyset';
  const jwks = keys.map(publicJWK);
  const algorithms = [...new Set(jwks.map((k) => k.alg))].sort();
  const config = {
    issuer,
    jwks_uri: uri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: algorithms,
  };
  return { configJSON: goJSON(config), keysetJSON: goJSON({ keys: jwks }) };
}

/** encoding/json escapes <, > and & in strings; the documents hold URLs that may carry &. */
function goJSON(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
