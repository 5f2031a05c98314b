// The ServiceAccount token flags: kube-apiserver's --service-account-* and --api-audiences
// (k8s.io/kubernetes/pkg/kubeapiserver/options/authentication.go's ServiceAccountAuthenticationOptions, and
// pkg/controlplane/apiserver/options: --service-account-signing-key-file, completeServiceAccountOptions and
// validateTokenRequest). kube-apiserver requires them; kgate serves ServiceAccount tokens only when they are given.
import { readFile } from 'node:fs/promises';
import { parsePrivateKeyPEM, parsePublicKeysPEM, type PublicKey } from '../../authentication/serviceaccount/keys.js';
import type { ServiceAccountConfig } from '../config.js';
import { boolFlag, durationFlag, stringFlag, type FlagSpec } from './flag.js';

export interface ServiceAccountOptions {
  apiAudiences: string[];
  serviceAccountKeyFiles: string[];
  serviceAccountSigningKeyFile: string;
  serviceAccountIssuers: string[];
  serviceAccountJWKSURI: string;
  /** Milliseconds; 0 is no maximum. */
  serviceAccountMaxTokenExpirationMs: number;
  serviceAccountExtendTokenExpiration: boolean;
  serviceAccountLookup: boolean;
}

export const SERVICE_ACCOUNT_DEFAULTS: Readonly<ServiceAccountOptions> = Object.freeze({
  apiAudiences: [],
  serviceAccountKeyFiles: [],
  serviceAccountSigningKeyFile: '',
  serviceAccountIssuers: [],
  serviceAccountJWKSURI: '',
  serviceAccountMaxTokenExpirationMs: 0,
  serviceAccountExtendTokenExpiration: true,
  serviceAccountLookup: true,
});

const SECTION = 'Authentication';

type ListKey = 'apiAudiences' | 'serviceAccountKeyFiles' | 'serviceAccountIssuers';

/** pflag's StringArray: each use adds one value, commas and all; the first use replaces the default. */
function stringArrayFlag(name: string, usage: string, key: ListKey): FlagSpec<ServiceAccountOptions> {
  return {
    name,
    type: 'stringArray',
    section: SECTION,
    usage,
    apply(options, raw, firstSet) {
      options[key] = firstSet ? [raw] : [...options[key], raw];
      return undefined;
    },
  };
}

export const SERVICE_ACCOUNT_FLAGS: readonly FlagSpec<ServiceAccountOptions>[] = [
  {
    name: 'api-audiences',
    type: 'strings',
    section: SECTION,
    usage:
      'Identifiers of the API. The service account token authenticator will validate that tokens used against the API are ' +
      'bound to at least one of these audiences. If the --service-account-issuer flag is configured and this flag is not, ' +
      'this field defaults to a single element list containing the issuer URL.',
    apply(options, raw, firstSet) {
      const values = raw === '' ? [] : raw.split(',').map((value) => value.trim());
      options.apiAudiences = firstSet ? values : [...options.apiAudiences, ...values];
      return undefined;
    },
  },
  stringArrayFlag(
    'service-account-key-file',
    'File containing PEM-encoded x509 RSA or ECDSA private or public keys, used to verify ServiceAccount tokens. The ' +
      'specified file can contain multiple keys, and the flag can be specified multiple times with different files. If ' +
      'unspecified, --tls-private-key-file is used. Must be specified when --service-account-signing-key-file is provided',
    'serviceAccountKeyFiles',
  ),
  stringArrayFlag(
    'service-account-issuer',
    'Identifier of the service account token issuer. The issuer will assert this identifier in "iss" claim of issued ' +
      'tokens. This value is a string or URI. If this option is not a valid URI per the OpenID Discovery 1.0 spec, the ' +
      'ServiceAccountIssuerDiscovery feature will remain disabled, even if the feature gate is set to true. It is highly ' +
      'recommended that this value comply with the OpenID spec: https://openid.net/specs/openid-connect-discovery-1_0.html. ' +
      'In practice, this means that service-account-issuer must be an https URL. It is also highly recommended that this ' +
      'URL be capable of serving OpenID discovery documents at {service-account-issuer}/.well-known/openid-configuration. ' +
      'When this flag is specified multiple times, the first is used to generate tokens and all are used to determine ' +
      'which issuers are accepted.',
    'serviceAccountIssuers',
  ),
  stringFlag(
    {
      name: 'service-account-signing-key-file',
      // kube-apiserver lists it with the control plane's own flags, under "Misc".
      section: 'Misc',
      usage:
        'Path to the file that contains the current private key of the service account token issuer. The issuer will sign ' +
        'issued ID tokens with this private key.',
    },
    'serviceAccountSigningKeyFile',
    SERVICE_ACCOUNT_DEFAULTS,
  ),
  stringFlag(
    {
      name: 'service-account-jwks-uri',
      section: SECTION,
      usage:
        'Overrides the URI for the JSON Web Key Set in the discovery doc served at /.well-known/openid-configuration. This ' +
        "flag is useful if the discovery doc and key set are served to relying parties from a URL other than the API server's " +
        'external (as auto-detected or overridden with external-hostname).',
    },
    'serviceAccountJWKSURI',
    SERVICE_ACCOUNT_DEFAULTS,
  ),
  // pflag prints no default for a zero duration.
  withoutDefaultText(
    durationFlag(
      {
        name: 'service-account-max-token-expiration',
        section: SECTION,
        usage:
          'The maximum validity duration of a token created by the service account token issuer. If an otherwise valid ' +
          'TokenRequest with a validity duration larger than this value is requested, a token will be issued with a validity ' +
          'duration of this value.',
      },
      'serviceAccountMaxTokenExpirationMs',
      SERVICE_ACCOUNT_DEFAULTS,
    ),
  ),
  boolFlag(
    {
      name: 'service-account-extend-token-expiration',
      section: SECTION,
      usage:
        'Turns on projected service account expiration extension during token generation, which helps safe transition from ' +
        'legacy token to bound service account token feature. If this flag is enabled, admission injected tokens would be ' +
        'extended up to 1 year to prevent unexpected failure during transition, ignoring value of ' +
        'service-account-max-token-expiration.',
    },
    'serviceAccountExtendTokenExpiration',
    SERVICE_ACCOUNT_DEFAULTS,
  ),
  boolFlag(
    {
      name: 'service-account-lookup',
      section: SECTION,
      usage: 'If true, validate ServiceAccount tokens exist in etcd as part of authentication.',
    },
    'serviceAccountLookup',
    SERVICE_ACCOUNT_DEFAULTS,
  ),
];

function withoutDefaultText<O>(flag: FlagSpec<O>): FlagSpec<O> {
  return { ...flag, defaultText: undefined };
}

/** Any ServiceAccount token flag given: kgate then checks them as kube-apiserver always does. */
function attempted(options: ServiceAccountOptions): boolean {
  return (
    options.serviceAccountSigningKeyFile !== '' ||
    options.serviceAccountIssuers.length > 0 ||
    options.serviceAccountKeyFiles.length > 0 ||
    options.apiAudiences.length > 0
  );
}

/** BuiltInAuthenticationOptions.Validate's issuer checks and validateTokenRequest, with kube's messages. */
export function validateServiceAccounts(options: ServiceAccountOptions): string[] {
  if (!attempted(options)) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const issuer of options.serviceAccountIssuers) {
    if (issuer === '') {
      problems.push('service-account-issuer should not be an empty string');
      continue;
    }
    if (seen.has(issuer)) {
      problems.push(`service-account-issuer ${JSON.stringify(issuer)} is already specified`);
      continue;
    }
    seen.add(issuer);
  }
  if (options.serviceAccountIssuers.length === 0) problems.push('service-account-issuer is a required flag');
  if (options.serviceAccountKeyFiles.length === 0) {
    problems.push('either `--service-account-key-file` or `--service-account-signing-endpoint` must be set');
  }
  if (options.serviceAccountJWKSURI !== '' && !/^https:/i.test(options.serviceAccountJWKSURI)) {
    problems.push(`service-account-jwks-uri requires https scheme, parsed as: ${options.serviceAccountJWKSURI}`);
  }
  if (
    options.serviceAccountSigningKeyFile === '' ||
    options.serviceAccountIssuers[0] === '' ||
    options.serviceAccountIssuers.length === 0
  ) {
    problems.push('--service-account-signing-key-file, --service-account-issuer, and --api-audiences should be specified together');
  }
  return problems;
}

/** os.ReadFile's error text for the usual failures ("open <file>: no such file or directory"). */
async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`open ${path}: no such file or directory`);
    if (code === 'EACCES') throw new Error(`open ${path}: permission denied`);
    if (code === 'EISDIR') throw new Error(`read ${path}: is a directory`);
    throw error;
  }
}

const HOUR_MS = 3600_000;

/**
 * Reads the key files (kube's BuildAuthenticator and completeServiceAccountOptions); a bad file stops the start-up
 * naming it. Undefined when no ServiceAccount token flag is given.
 */
export async function loadServiceAccountConfig(options: ServiceAccountOptions): Promise<ServiceAccountConfig | undefined> {
  if (!attempted(options)) return undefined;
  const maxMs = options.serviceAccountMaxTokenExpirationMs;
  if (maxMs !== 0 && (maxMs < HOUR_MS || maxMs > 2 ** 32 * 1000)) {
    throw new Error('the service-account-max-token-expiration must be between 1 hour and 2^32 seconds');
  }
  let signingKey;
  try {
    signingKey = parsePrivateKeyPEM(await readKeyFile(options.serviceAccountSigningKeyFile));
  } catch (error) {
    const message = (error as Error).message;
    const detail = message.startsWith('data does not')
      ? `error reading private key file ${options.serviceAccountSigningKeyFile}: ${message}`
      : message;
    throw new Error(`failed to parse service-account-issuer-key-file: ${detail}`);
  }
  const publicKeys: PublicKey[] = [];
  for (const file of options.serviceAccountKeyFiles) {
    const text = await readKeyFile(file);
    try {
      publicKeys.push(...parsePublicKeysPEM(text));
    } catch (error) {
      throw new Error(`error reading public key file ${file}: ${(error as Error).message}`);
    }
  }
  return {
    issuers: [...options.serviceAccountIssuers],
    apiAudiences: options.apiAudiences.length > 0 ? [...options.apiAudiences] : [...options.serviceAccountIssuers],
    publicKeys,
    signingKey,
    jwksURI: options.serviceAccountJWKSURI,
    maxExpirationSeconds: Math.floor(maxMs / 1000),
    extendExpiration: options.serviceAccountExtendTokenExpiration,
    lookup: options.serviceAccountLookup,
  };
}
