// Builds the one etcd3 client a process uses; every store, watch and the compactor share its connections
// (and so the single multiplexed gRPC watch stream).

import { Etcd3, type IOptions } from 'etcd3';

export interface EtcdClientConfig {
  /** Client URLs, e.g. ['http://127.0.0.1:2379'] or https URLs with ca/cert/key. */
  servers: string[];
  /** PEM contents for TLS to etcd. */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Deadline for unary calls (not watches); default 15 s. */
  requestTimeoutMs?: number;
}

export function createEtcdClient(config: EtcdClientConfig): Etcd3 {
  if (config.servers.length === 0) throw new Error('etcd: at least one server URL is required');
  const timeoutMs = config.requestTimeoutMs ?? 15_000;
  const options: IOptions = {
    hosts: config.servers,
    // Lists of big collections exceed grpc-js's 4 MiB default; etcd bounds requests itself.
    grpcOptions: { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 },
    // Unary calls get a deadline so a dead etcd surfaces as an error; the watch stream must stay open.
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeoutMs }),
  };
  if (config.ca || config.cert || config.key) {
    if (!config.ca) throw new Error('etcd: TLS client certificates need the CA (--etcd-cafile)');
    options.credentials = { rootCertificate: config.ca, privateKey: config.key, certChain: config.cert };
  }
  return new Etcd3(options);
}
