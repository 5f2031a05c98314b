// Wires ServiceAccount tokens from their flags (config.serviceAccounts) to the stores: the authenticators (reading the
// ServiceAccount and bound objects from the watch cache, confirmed against etcd on a miss, as kube's informer-backed
// getter with its live fallback), the TokenRequest issuer (consistent reads, as kube's TokenREST does through the
// registry) and the issuer discovery documents (kube's NewOpenIDMetadataProvider, which needs the serving address).
import type { Logger } from 'winston';
import type { KubeObject } from '../apimachinery/meta.js';
import type { Authenticator } from '../authentication/index.js';
import { serviceAccountAuthenticators, type ServiceAccountTokenGetter } from '../authentication/serviceaccount/authenticator.js';
import { TokenSigner } from '../authentication/serviceaccount/claims.js';
import { openIDDocuments } from '../authentication/serviceaccount/openid.js';
import type { TokenRequestIssuer } from '../endpoints/handlers/token.js';
import { createIssuerDiscovery } from '../endpoints/serviceaccount-issuer.js';
import type { ResourceStore } from '../registry/store.js';
import type { ServiceAccountConfig } from './config.js';

export interface ServiceAccountStores {
  serviceAccounts: ResourceStore;
  pods: ResourceStore;
  secrets: ResourceStore;
  nodes: ResourceStore;
}

function getterOf(stores: ServiceAccountStores, allowStale: boolean): ServiceAccountTokenGetter {
  const read = (store: ResourceStore) => async (namespace: string, name: string) => {
    try {
      return await store.get(namespace, name, { allowStale });
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  };
  const node = read(stores.nodes);
  return {
    getServiceAccount: read(stores.serviceAccounts),
    getPod: read(stores.pods),
    getSecret: read(stores.secrets),
    getNode: (name: string): Promise<KubeObject | undefined> => node('', name),
  };
}

export function serviceAccountTokens(config: ServiceAccountConfig | undefined, stores: ServiceAccountStores, logger: Logger) {
  if (!config) {
    return { authenticators: [] as Authenticator[], tokenRequest: undefined, discovery: createIssuerDiscovery(undefined), serve() {} };
  }
  const tokenRequest: TokenRequestIssuer = {
    signer: new TokenSigner(config.issuers[0], config.signingKey),
    apiAudiences: config.apiAudiences,
    maxExpirationSeconds: config.maxExpirationSeconds,
    extendExpiration: config.extendExpiration,
    objects: getterOf(stores, false),
  };
  const authenticators = serviceAccountAuthenticators({
    issuers: config.issuers,
    keys: config.publicKeys,
    apiAudiences: config.apiAudiences,
    lookup: config.lookup,
    getter: getterOf(stores, true),
  });
  let discovery = createIssuerDiscovery(undefined);
  return {
    authenticators,
    tokenRequest,
    /** The discovery documents' handler; answers nothing until serve() knows the address. */
    discovery: {
      handle: (ctx: Parameters<typeof discovery.handle>[0]) => discovery.handle(ctx),
    },
    /** Builds the documents once the server listens on `externalAddress` (host:port), as kube does at start. */
    serve(externalAddress: string) {
      const documents = openIDDocuments(config.issuers[0], config.jwksURI, externalAddress, config.publicKeys);
      if (typeof documents === 'string') logger.warn(`ServiceAccount issuer discovery is off: ${documents}`);
      else discovery = createIssuerDiscovery(documents);
    },
  };
}
