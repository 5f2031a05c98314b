// ServiceAccount issuer discovery (k8s.io/kubernetes/pkg/routes/openidmetadata.go): GET
// /.well-known/openid-configuration (application/json) and /openid/v1/jwks (application/jwk-set+json), both
// cacheable for the key getter's max age. Authorized like any non-resource path: kube's bootstrap policy lets
// ServiceAccounts read them (system:service-account-issuer-discovery).
import type Koa from 'koa';
import { JWKS_PATH, OPENID_CONFIG_PATH, OPENID_MAX_AGE_SECONDS, type OpenIDDocuments } from '../authentication/serviceaccount/openid.js';

export function createIssuerDiscovery(documents: OpenIDDocuments | undefined) {
  return {
    /** Answers the two discovery paths; false for any other request. */
    handle(ctx: Koa.Context): boolean {
      if (!documents || ctx.method !== 'GET') return false;
      let body: string;
      let contentType: string;
      if (ctx.path === OPENID_CONFIG_PATH) [body, contentType] = [documents.configJSON, 'application/json'];
      else if (ctx.path === JWKS_PATH) [body, contentType] = [documents.keysetJSON, 'application/jwk-set+json'];
      else return false;
      ctx.status = 200;
      ctx.set('Content-Type', contentType);
      ctx.set('Cache-Control', `public, max-age=${OPENID_MAX_AGE_SECONDS}`);
      ctx.body = body;
      return true;
    },
  };
}
