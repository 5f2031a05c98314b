// Everything the server needs, already read and checked. main.ts builds this from flags; tests build it directly.

import type { KeyObject } from 'node:crypto';
import type { PublicKey } from '../authentication/serviceaccount/keys.js';
import type { StaticToken } from '../authentication/tokenfile.js';

/** The --authorization-mode values kgate implements. */
export type AuthorizationMode = 'AlwaysAllow' | 'AlwaysDeny' | 'RBAC';

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

export interface KgateConfig {
  etcd: EtcdConfig;
  serving: ServingConfig;
  authentication: {
    tokens: StaticToken[];
    /** --anonymous-auth (default true): a request without credentials is system:anonymous, not a 401. */
    anonymous?: boolean;
    /** PEM contents of --client-ca-file: client certificates it verifies authenticate their CN (user) and O (groups). */
    clientCA?: Buffer;
  };
  /** ServiceAccount tokens (TokenRequest, their authenticator, issuer discovery); off without the flags. */
  serviceAccounts?: ServiceAccountConfig;
  /** --authorization-mode, in order (default ['RBAC']: kgate is deny-by-default). */
  authorization?: { modes: AuthorizationMode[] };
  /** --watch-cache (default true). */
  watchCache?: boolean;
  /** --event-ttl in seconds (default 3600); 0 keeps events forever. */
  eventTTLSeconds?: number;
  /** klog-style verbosity from -v. */
  verbosity: number;
}
