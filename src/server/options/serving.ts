// The secure serving flags (k8s.io/apiserver/pkg/server/options/serving.go): address, port and the serving
// certificate; their checks; and the ServingConfig they load into, generating a certificate in --cert-dir when
// none is given, as kube-apiserver does.

import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { ensureCertificates } from '../certs.js';
import type { ServingConfig } from '../config.js';
import { intFlag, stringFlag, type FlagSpec } from './flag.js';
import { goQuote } from '../../apimachinery/strconv.js';

export interface SecureServingOptions {
  bindAddress: string;
  /** 0 picks a free port (a kgate extension used by tests; kube-apiserver rejects 0). */
  securePort: number;
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  certDir: string;
}

export const SECURE_SERVING_DEFAULTS: Readonly<SecureServingOptions> = Object.freeze({
  bindAddress: '0.0.0.0',
  securePort: 6443,
  tlsCertFile: '',
  tlsPrivateKeyFile: '',
  certDir: '/var/run/kubernetes',
});

const SECTION = 'Secure serving';

export const SECURE_SERVING_FLAGS: readonly FlagSpec<SecureServingOptions>[] = [
  {
    name: 'bind-address',
    type: 'ip',
    section: SECTION,
    usage:
      'The IP address on which to listen for the --secure-port port. The associated interface(s) must be reachable ' +
      'by the rest of the cluster, and by CLI/web clients. If blank or an unspecified address (0.0.0.0 or ::), all ' +
      'interfaces and IP address families will be used.',
    defaultText: SECURE_SERVING_DEFAULTS.bindAddress,
    apply(options, raw) {
      // pflag keeps the previous value for an empty string.
      if (raw === '') return undefined;
      const trimmed = raw.trim();
      if (isIP(trimmed) === 0) return `failed to parse IP: ${goQuote(raw)}`;
      options.bindAddress = trimmed;
      return undefined;
    },
  },
  stringFlag(
    {
      name: 'cert-dir',
      section: SECTION,
      usage:
        'The directory where the TLS certs are located. If --tls-cert-file and --tls-private-key-file are provided, ' +
        'this flag will be ignored.',
    },
    'certDir',
    SECURE_SERVING_DEFAULTS,
  ),
  intFlag(
    {
      name: 'secure-port',
      section: SECTION,
      usage:
        'The port on which to serve HTTPS with authentication and authorization. 0 picks a free port (kgate only; ' +
        'kube-apiserver cannot be switched off with 0).',
    },
    'securePort',
    SECURE_SERVING_DEFAULTS,
    { base: 0, bits: 64 },
  ),
  stringFlag(
    {
      name: 'tls-cert-file',
      section: SECTION,
      usage:
        'File containing the default x509 Certificate for HTTPS. (CA cert, if any, concatenated after server cert). ' +
        'If HTTPS serving is enabled, and --tls-cert-file and --tls-private-key-file are not provided, a self-signed ' +
        'certificate and key are generated for the public address and saved to the directory specified by --cert-dir.',
    },
    'tlsCertFile',
    SECURE_SERVING_DEFAULTS,
  ),
  stringFlag(
    {
      name: 'tls-private-key-file',
      section: SECTION,
      usage: 'File containing the default x509 private key matching --tls-cert-file.',
    },
    'tlsPrivateKeyFile',
    SECURE_SERVING_DEFAULTS,
  ),
];

/** SecureServingOptions.Validate, with kube-apiserver's messages where it has one. */
export function validateSecureServing(options: SecureServingOptions): string[] {
  const problems: string[] = [];
  if (options.securePort < 0 || options.securePort > 65535) {
    problems.push(`--secure-port ${options.securePort} must be between 0 and 65535, inclusive. 0 picks a free port`);
  }
  if ((options.tlsCertFile === '') !== (options.tlsPrivateKeyFile === '')) {
    problems.push('--tls-cert-file and --tls-private-key-file must be specified together');
  }
  return problems;
}

/**
 * Reads the TLS pair the flags name or, without --tls-cert-file, generates (or reuses) a CA-signed certificate in
 * --cert-dir for the bind address (MaybeDefaultWithSelfSignedCerts). `info` hears what was generated.
 */
export async function loadServingConfig(options: SecureServingOptions, info: (message: string) => void): Promise<ServingConfig> {
  const base = { bindAddress: options.bindAddress, securePort: options.securePort };
  if (options.tlsCertFile !== '') {
    const [cert, key] = await Promise.all([readFile(options.tlsCertFile), readFile(options.tlsPrivateKeyFile)]);
    return { ...base, cert, key };
  }
  const unspecified = options.bindAddress === '0.0.0.0' || options.bindAddress === '::';
  const generated = await ensureCertificates(options.certDir, { extraNames: unspecified ? [] : [options.bindAddress] });
  if (generated.generated.length > 0) {
    info(`Generated self-signed cert (${generated.files.servingCert}, ${generated.files.servingKey})`);
  }
  return { ...base, cert: Buffer.from(generated.servingCertChain), key: Buffer.from(generated.servingKey) };
}
