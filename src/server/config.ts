// Everything the server needs, already read and checked. main.ts builds this from flags; tests build it directly.

import type { KeyObject } from 'node:crypto';
import type { PublicKey } from '../authentication/serviceaccount/keys.js';
import type { OIDCConfig } from '../authentication/oidc.js';
import type { PodSecurityConfig } from '../admission/config.js';
import type { StaticToken } from '../authentication/tokenfile.js';
import type { WebhookClientConfig } from './webhook-client.js';

/** The --authorization-mode values kgate implements. */
export type AuthorizationMode = 'AlwaysAllow' | 'AlwaysDeny' | 'Node' | 'RBAC' | 'Webhook';

export interface EtcdConfig {
  /** Client URLs, e.g. ['http://127.0.0.1:2379']. */
  servers: string[];
  /** --etcd-prefix, default '/registry'. */
  prefix: string;
  /** PEM contents (not paths) for TLS to etcd. */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** --etcd-compaction-interval in milliseconds; 0 disables compaction. */
  compactionIntervalMs: number;
}

export interface ServingConfig {
  bindAddress: string;
  /** 0 picks a free port (tests). */
  securePort: number;
  /** PEM contents of the serving certificate chain and key. */
  cert: Buffer;
  key: Buffer;
}

/** The ServiceAccount token flags, read and checked (see options/serviceaccount.ts). */
export interface ServiceAccountConfig {
  /** --service-account-issuer: the first issues tokens, all are accepted. */
  issuers: string[];
  /** --api-audiences, defaulting to the issuers. */
  apiAudiences: string[];
  /** --service-account-key-file keys: verify tokens and fill the JWKS. */
  publicKeys: PublicKey[];
  /** --service-account-signing-key-file. */
  signingKey: KeyObject;
  /** --service-account-jwks-uri ('' builds it from the serving address). */
  jwksURI: string;
  /** --service-account-max-token-expiration in seconds; 0 is no maximum. */
  maxExpirationSeconds: number;
  /** --service-account-extend-token-expiration (default true). */
  extendExpiration: boolean;
  /** --service-account-lookup (default true). */
  lookup: boolean;
}

/** The Service network (options/services.ts): where ClusterIPs and NodePorts come from, where `kubernetes` points. */
export interface ServiceNetworkConfig {
  /** --service-cluster-ip-range in canonical form, primary first (one per IP family). */
  serviceCIDRs: string[];
  /** --service-node-port-range. */
  nodePortRange: { base: number; size: number };
  /** --advertise-address, or the address kube would pick: the `kubernetes` Endpoints and EndpointSlice point here. */
  advertiseAddress: string;
}

export interface KgateConfig {
  etcd: EtcdConfig;
  serving: ServingConfig;
  authentication: {
    tokens: StaticToken[];
    /** --anonymous-auth (default true): a request without credentials is system:anonymous, not a 401. */
    anonymous?: boolean;
    /** PEM contents of --client-ca-file: client certificates it verifies authenticate their CN (user) and O (groups). */
    clientCA?: Buffer;
    /** The --oidc-* flags, when --oidc-issuer-url and --oidc-client-id are set. */
    oidc?: OIDCConfig;
    /** --authentication-token-webhook-config-file (read), -version and -cache-ttl. */
    tokenWebhook?: {
      client: WebhookClientConfig;
      version: 'v1' | 'v1beta1';
      cacheTTLMs: number;
      /** The API audiences sent in spec.audiences (kube: --api-audiences or --service-account-issuer); none yet. */
      audiences?: string[];
    };
  };
  /** ServiceAccount tokens (TokenRequest, their authenticator, issuer discovery); off without the flags. */
  serviceAccounts?: ServiceAccountConfig;
  /** --authorization-mode, in order (default ['RBAC']: kgate is deny-by-default). */
  authorization?: {
    modes: AuthorizationMode[];
    /** With the Webhook mode: --authorization-webhook-config-file (read), -version and the cache TTLs. */
    webhook?: { client: WebhookClientConfig; version: 'v1' | 'v1beta1'; authorizedTTLMs: number; unauthorizedTTLMs: number };
  };
  /** The enabled admission plugins kgate has, in kube's order (--enable/--disable-admission-plugins); default: kube's default-on set. */
  admission?: { plugins: string[]; podSecurity?: PodSecurityConfig };
  /** Default: kube's 10.0.0.0/24, 30000-32767 and the host's address. */
  services?: ServiceNetworkConfig;
  /** --watch-cache (default true). */
  watchCache?: boolean;
  /** --event-ttl in seconds (default 3600); 0 keeps events forever. */
  eventTTLSeconds?: number;
  /** klog-style verbosity from -v. */
  verbosity: number;
}
