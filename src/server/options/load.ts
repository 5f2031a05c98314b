// Turning parsed flags into the server's config (kube's Options.ApplyTo / Complete): each concern reads the files
// its flags name. The only module of the options package that does I/O.

import type { KgateConfig } from '../config.js';
import { loadAdmissionConfig } from './admission.js';
import { loadAuthenticationConfig } from './authentication.js';
import { loadAuthorizationConfig } from './authorization.js';
import { loadEtcdConfig } from './etcd.js';
import type { KgateOptions } from './flags.js';
import { loadServingConfig } from './serving.js';
import { loadServiceAccountConfig } from './serviceaccount.js';
import { loadServiceNetworkConfig } from './services.js';

export interface LoadLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Reads the files the flags name and, when no --tls-cert-file is given, generates (or reuses) a CA-signed
 * certificate in --cert-dir as kube-apiserver does.
 */
export async function loadConfig(options: KgateOptions, log: LoadLog): Promise<KgateConfig> {
  const serving = await loadServingConfig(options, (message) => log.info(message));
  const authentication = await loadAuthenticationConfig(options, (message) => log.warn(message));
  const etcd = await loadEtcdConfig(options);
  const serviceAccounts = await loadServiceAccountConfig(options);
  return {
    etcd,
    serving,
    authentication,
    ...(serviceAccounts && { serviceAccounts }),
    authorization: loadAuthorizationConfig(options),
    admission: await loadAdmissionConfig(options),
    services: loadServiceNetworkConfig(options),
    watchCache: options.watchCache,
    eventTTLSeconds: Math.round(options.eventTTLMs / 1000),
    verbosity: options.verbosity,
  };
}
