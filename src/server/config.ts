// Everything the server needs, already read and checked. main.ts builds this from flags; tests build it directly.

import type { StaticToken } from '../authentication/tokenfile.js';

/** The --authorization-mode values kgate implements. */
export type AuthorizationMode = 'AlwaysAllow' | 'AlwaysDeny' | 'Node' | 'RBAC';

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
  /** --authorization-mode, in order (default ['RBAC']: kgate is deny-by-default). */
  authorization?: { modes: AuthorizationMode[] };
  /** --watch-cache (default true). */
  watchCache?: boolean;
  /** --event-ttl in seconds (default 3600); 0 keeps events forever. */
  eventTTLSeconds?: number;
  /** klog-style verbosity from -v. */
  verbosity: number;
}
