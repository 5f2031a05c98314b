// The etcd flags (k8s.io/apiserver/pkg/server/options/etcd.go): where etcd is, how to reach it securely, the key
// prefix, compaction and the watch cache; their checks; and the EtcdConfig they load into.

import { readFile } from 'node:fs/promises';
import type { EtcdConfig } from '../config.js';
import { boolFlag, durationFlag, stringFlag, type FlagSpec } from './flag.js';

export interface EtcdOptions {
  etcdServers: string[];
  etcdPrefix: string;
  etcdCafile: string;
  etcdCertfile: string;
  etcdKeyfile: string;
  /** Milliseconds; 0 disables compaction. */
  etcdCompactionIntervalMs: number;
  /** --watch-cache: serve reads and watches from memory. */
  watchCache: boolean;
}

export const ETCD_DEFAULTS: Readonly<EtcdOptions> = Object.freeze({
  etcdServers: [],
  etcdPrefix: '/registry',
  etcdCafile: '',
  etcdCertfile: '',
  etcdKeyfile: '',
  etcdCompactionIntervalMs: 5 * 60 * 1000,
  watchCache: true,
});

const SECTION = 'Etcd';

export const ETCD_FLAGS: readonly FlagSpec<EtcdOptions>[] = [
  stringFlag(
    { name: 'etcd-cafile', section: SECTION, usage: 'SSL Certificate Authority file used to secure etcd communication.' },
    'etcdCafile',
    ETCD_DEFAULTS,
  ),
  stringFlag(
    { name: 'etcd-certfile', section: SECTION, usage: 'SSL certification file used to secure etcd communication.' },
    'etcdCertfile',
    ETCD_DEFAULTS,
  ),
  durationFlag(
    {
      name: 'etcd-compaction-interval',
      section: SECTION,
      usage: 'The interval of compaction requests. If 0, the compaction request from apiserver is disabled.',
    },
    'etcdCompactionIntervalMs',
    ETCD_DEFAULTS,
  ),
  stringFlag(
    { name: 'etcd-keyfile', section: SECTION, usage: 'SSL key file used to secure etcd communication.' },
    'etcdKeyfile',
    ETCD_DEFAULTS,
  ),
  stringFlag(
    { name: 'etcd-prefix', section: SECTION, usage: 'The prefix to prepend to all resource paths in etcd.' },
    'etcdPrefix',
    ETCD_DEFAULTS,
  ),
  {
    name: 'etcd-servers',
    type: 'strings',
    section: SECTION,
    usage: 'List of etcd servers to connect with (scheme://ip:port), comma separated.',
    apply(options, raw, firstSet) {
      const values = raw === '' ? [] : raw.split(',').map((value) => value.trim());
      options.etcdServers = firstSet ? values : [...options.etcdServers, ...values];
      return undefined;
    },
  },
  boolFlag({ name: 'watch-cache', section: SECTION, usage: 'Enable watch caching in the apiserver' }, 'watchCache', ETCD_DEFAULTS),
];

/** EtcdOptions.Validate, with kube-apiserver's messages where it has one. */
export function validateEtcd(options: EtcdOptions): string[] {
  const problems: string[] = [];
  if (options.etcdServers.length === 0) problems.push('--etcd-servers must be specified');
  if (options.etcdCompactionIntervalMs < 0) {
    problems.push('--etcd-compaction-interval must be greater than or equal to 0');
  }
  return problems;
}

/** Reads the etcd TLS files the flags name; a flag left empty leaves its field out. */
export async function loadEtcdConfig(options: EtcdOptions): Promise<EtcdConfig> {
  const readOptional = async (path: string): Promise<Buffer | undefined> => (path === '' ? undefined : readFile(path));
  const [ca, cert, key] = await Promise.all([
    readOptional(options.etcdCafile),
    readOptional(options.etcdCertfile),
    readOptional(options.etcdKeyfile),
  ]);
  return {
    servers: options.etcdServers,
    prefix: options.etcdPrefix,
    ...(ca && { ca }),
    ...(cert && { cert }),
    ...(key && { key }),
    compactionIntervalMs: options.etcdCompactionIntervalMs,
  };
}
