// The authentication flags (k8s.io/kubernetes/pkg/kubeapiserver/options/authentication.go): --token-auth-file,
// loaded into the static tokens the authenticator checks, --client-ca-file, --anonymous-auth, the --oidc-* flags
// (turned into the OIDC authenticator's settings by ToAuthenticationConfig's rules) and the token webhook's flags.

import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { VALID_SIGNING_ALGS, type OIDCConfig } from '../../authentication/oidc.js';
import { parseTokenFile } from '../../authentication/tokenfile.js';
import type { KgateConfig } from '../config.js';
import { loadWebhookKubeconfig } from '../webhook-client.js';
import { readFlagFile, statFlagFile } from './files.js';
import { boolFlag, durationFlag, stringFlag, type FlagSpec } from './flag.js';

export interface AuthenticationOptions {
  tokenAuthFile: string;
  clientCAFile: string;
  anonymousAuth: boolean;
  oidcIssuerURL: string;
  oidcClientID: string;
  oidcCAFile: string;
  oidcUsernameClaim: string;
  oidcUsernamePrefix: string;
  oidcGroupsClaim: string;
  oidcGroupsPrefix: string;
  oidcSigningAlgs: string[];
  oidcRequiredClaims: Record<string, string>;
  /** Whether any --oidc-* flag was given (kube's OIDCAuthenticationOptions.FlagsSet). */
  oidcFlagsSet: boolean;
  authenticationTokenWebhookConfigFile: string;
  authenticationTokenWebhookVersion: string;
  /** --authentication-token-webhook-cache-ttl in milliseconds. */
  authenticationTokenWebhookCacheTTLMs: number;
}

export const AUTHENTICATION_DEFAULTS: Readonly<AuthenticationOptions> = Object.freeze({
  tokenAuthFile: '',
  clientCAFile: '',
  anonymousAuth: true,
  oidcIssuerURL: '',
  oidcClientID: '',
  oidcCAFile: '',
  oidcUsernameClaim: 'sub',
  oidcUsernamePrefix: '',
  oidcGroupsClaim: '',
  oidcGroupsPrefix: '',
  oidcSigningAlgs: Object.freeze(['RS256']) as string[],
  oidcRequiredClaims: Object.freeze({}) as Record<string, string>,
  oidcFlagsSet: false,
  authenticationTokenWebhookConfigFile: '',
  // kube-apiserver's default, although v1 is what current webhooks speak.
  authenticationTokenWebhookVersion: 'v1beta1',
  authenticationTokenWebhookCacheTTLMs: 2 * 60 * 1000,
});

/** Marks the options as having an --oidc-* flag set (trackProvidedFlag), then stores the value. */
function oidcFlag(flag: FlagSpec<AuthenticationOptions>): FlagSpec<AuthenticationOptions> {
  return {
    ...flag,
    apply(options, raw, firstSet) {
      options.oidcFlagsSet = true;
      return flag.apply(options, raw, firstSet);
    },
  };
}

const OIDC_FLAGS: FlagSpec<AuthenticationOptions>[] = (
  [
    stringFlag(
      {
        name: 'oidc-issuer-url',
        section: 'Authentication',
        usage:
          'The URL of the OpenID issuer, only HTTPS scheme will be accepted. ' +
          'If set, it will be used to verify the OIDC JSON Web Token (JWT).',
      },
      'oidcIssuerURL',
      AUTHENTICATION_DEFAULTS,
    ),
    stringFlag(
      {
        name: 'oidc-client-id',
        section: 'Authentication',
        usage: 'The client ID for the OpenID Connect client, must be set if oidc-issuer-url is set.',
      },
      'oidcClientID',
      AUTHENTICATION_DEFAULTS,
    ),
    stringFlag(
      {
        name: 'oidc-ca-file',
        section: 'Authentication',
        usage:
          "If set, the OpenID server's certificate will be verified by one of the authorities " +
          "in the oidc-ca-file, otherwise the host's root CA set will be used.",
      },
      'oidcCAFile',
      AUTHENTICATION_DEFAULTS,
    ),
    stringFlag(
      {
        name: 'oidc-username-claim',
        section: 'Authentication',
        usage:
          "The OpenID claim to use as the user name. Note that claims other than the default ('sub') " +
          'is not guaranteed to be unique and immutable. This flag is experimental, please see ' +
          'the authentication documentation for further details.',
      },
      'oidcUsernameClaim',
      AUTHENTICATION_DEFAULTS,
    ),
    stringFlag(
      {
        name: 'oidc-username-prefix',
        section: 'Authentication',
        usage:
          'If provided, all usernames will be prefixed with this value. If not provided, ' +
          "username claims other than 'email' are prefixed by the issuer URL to avoid " +
          "clashes. To skip any prefixing, provide the value '-'.",
      },
      'oidcUsernamePrefix',
      AUTHENTICATION_DEFAULTS,
    ),
    stringFlag(
      {
        name: 'oidc-groups-claim',
        section: 'Authentication',
        usage:
          'If provided, the name of a custom OpenID Connect claim for specifying user groups. ' +
          'The claim value is expected to be a string or array of strings. This flag is experimental, ' +
          'please see the authentication documentation for further details.',
      },
      'oidcGroupsClaim',
      AUTHENTICATION_DEFAULTS,
    ),
    stringFlag(
      {
        name: 'oidc-groups-prefix',
        section: 'Authentication',
        usage: 'If provided, all groups will be prefixed with this value to prevent conflicts with ' + 'other authentication strategies.',
      },
      'oidcGroupsPrefix',
      AUTHENTICATION_DEFAULTS,
    ),
    {
      name: 'oidc-signing-algs',
      type: 'strings',
      section: 'Authentication',
      usage:
        "Comma-separated list of allowed JOSE asymmetric signing algorithms. JWTs with a supported 'alg' header " +
        'values are: RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512. Values are defined by RFC 7518 ' +
        'https://tools.ietf.org/html/rfc7518#section-3.1.',
      defaultText: `[${AUTHENTICATION_DEFAULTS.oidcSigningAlgs.join(',')}]`,
      apply(options, raw, firstSet) {
        const values = raw === '' ? [] : raw.split(',').map((value) => value.trim());
        options.oidcSigningAlgs = firstSet ? values : [...options.oidcSigningAlgs, ...values];
        return undefined;
      },
    },
    {
      name: 'oidc-required-claim',
      type: 'mapStringString',
      section: 'Authentication',
      usage:
        'A key=value pair that describes a required claim in the ID Token. If set, the claim is verified to be ' +
        'present in the ID Token with a matching value. Repeat this flag to specify multiple claims.',
      // cliflag.MapStringStringNoSplit: one pair per use, split at the first '=', both sides trimmed.
      apply(options, raw, firstSet) {
        const equals = raw.indexOf('=');
        if (equals === -1) return 'malformed pair, expect string=string';
        options.oidcRequiredClaims = {
          ...(firstSet ? {} : options.oidcRequiredClaims),
          [raw.slice(0, equals).trim()]: raw.slice(equals + 1).trim(),
        };
        return undefined;
      },
    },
  ] satisfies FlagSpec<AuthenticationOptions>[]
).map(oidcFlag);

const TOKEN_WEBHOOK_FLAGS: FlagSpec<AuthenticationOptions>[] = [
  stringFlag(
    {
      name: 'authentication-token-webhook-config-file',
      section: 'Authentication',
      usage:
        'File with webhook configuration for token authentication in kubeconfig format. ' +
        'The API server will query the remote service to determine authentication for bearer tokens.',
    },
    'authenticationTokenWebhookConfigFile',
    AUTHENTICATION_DEFAULTS,
  ),
  stringFlag(
    {
      name: 'authentication-token-webhook-version',
      section: 'Authentication',
      usage: 'The API version of the authentication.k8s.io TokenReview to send to and expect from the webhook.',
    },
    'authenticationTokenWebhookVersion',
    AUTHENTICATION_DEFAULTS,
  ),
  durationFlag(
    {
      name: 'authentication-token-webhook-cache-ttl',
      section: 'Authentication',
      usage: 'The duration to cache responses from the webhook token authenticator.',
    },
    'authenticationTokenWebhookCacheTTLMs',
    AUTHENTICATION_DEFAULTS,
  ),
];

export const AUTHENTICATION_FLAGS: readonly FlagSpec<AuthenticationOptions>[] = [
  stringFlag(
    {
      name: 'token-auth-file',
      section: 'Authentication',
      usage: 'If set, the file that will be used to secure the secure port of the API server via token authentication.',
    },
    'tokenAuthFile',
    AUTHENTICATION_DEFAULTS,
  ),
  stringFlag(
    {
      name: 'client-ca-file',
      section: 'Authentication',
      usage:
        'If set, any request presenting a client certificate signed by one of the authorities in the client-ca-file ' +
        'is authenticated with an identity corresponding to the CommonName of the client certificate.',
    },
    'clientCAFile',
    AUTHENTICATION_DEFAULTS,
  ),
  boolFlag(
    {
      name: 'anonymous-auth',
      section: 'Authentication',
      usage:
        'Enables anonymous requests to the secure port of the API server. Requests that are not rejected by another ' +
        'authentication method are treated as anonymous requests. Anonymous requests have a username of ' +
        'system:anonymous, and a group name of system:unauthenticated.',
    },
    'anonymousAuth',
    AUTHENTICATION_DEFAULTS,
  ),
  ...OIDC_FLAGS,
  ...TOKEN_WEBHOOK_FLAGS,
];

/** BuiltInAuthenticationOptions.Validate's checks on these flags. */
export function validateAuthentication(options: AuthenticationOptions): string[] {
  const problems: string[] = [];
  if (options.oidcFlagsSet && (options.oidcIssuerURL === '' || options.oidcClientID === '')) {
    problems.push('oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set');
  }
  return problems;
}

/**
 * Reads --token-auth-file, --oidc-ca-file and the token webhook's kubeconfig; `warn` hears kube-apiserver's
 * warnings about empty and duplicate tokens. A file that cannot be used stops start-up with a message naming it.
 */
export async function loadAuthenticationConfig(
  options: AuthenticationOptions,
  warn: (message: string) => void,
): Promise<KgateConfig['authentication']> {
  const tokens =
    options.tokenAuthFile === ''
      ? []
      : parseTokenFile(await readFile(options.tokenAuthFile, 'utf8'), { source: options.tokenAuthFile, warn });
  const clientCA = options.clientCAFile === '' ? undefined : await readFile(options.clientCAFile);
  const oidc = await loadOIDCConfig(options);
  const tokenWebhook = loadTokenWebhookConfig(options);
  return {
    tokens,
    anonymous: options.anonymousAuth,
    ...(clientCA && { clientCA }),
    ...(oidc && { oidc }),
    ...(tokenWebhook && { tokenWebhook }),
  };
}

/**
 * ToAuthenticationConfig for the --oidc-* flags: the username prefix rules, the CA file, then the checks of
 * ValidateAuthenticationConfiguration and oidc.New, with their messages.
 */
export async function loadOIDCConfig(options: AuthenticationOptions): Promise<OIDCConfig | undefined> {
  if (options.oidcIssuerURL === '' || options.oidcClientID === '') return undefined;
  // Legacy flag behaviour (kubernetes/kubernetes#31380): without a prefix, every claim but email is prefixed by
  // the issuer URL; '-' means no prefix at all.
  let usernamePrefix = options.oidcUsernamePrefix;
  if (usernamePrefix === '' && options.oidcUsernameClaim !== 'email') usernamePrefix = `${options.oidcIssuerURL}#`;
  if (options.oidcUsernamePrefix === '-') usernamePrefix = '';

  const ca = options.oidcCAFile === '' ? undefined : readFlagFile(options.oidcCAFile);
  const problems = [...issuerURLProblems(options.oidcIssuerURL)];
  if (options.oidcUsernameClaim === '') problems.push('jwt[0].claimMappings.username: Required value: claim or expression is required');
  const caProblem = ca && certificatePoolProblem(ca);
  // kube's message shows the CA as "<omitted>"; kgate adds the file it came from.
  if (caProblem)
    problems.push(`jwt[0].issuer.certificateAuthority: Invalid value: "<omitted>": ${caProblem} (--oidc-ca-file=${options.oidcCAFile})`);
  if (problems.length > 0) {
    throw new Error(`invalid authentication configuration: ${problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`}`);
  }
  const signingAlgs = options.oidcSigningAlgs.length === 0 ? ['RS256'] : options.oidcSigningAlgs;
  for (const alg of signingAlgs) {
    if (!VALID_SIGNING_ALGS.includes(alg)) throw new Error(`oidc: unsupported signing alg: ${JSON.stringify(alg)}`);
  }
  return {
    issuerURL: options.oidcIssuerURL,
    clientID: options.oidcClientID,
    usernameClaim: options.oidcUsernameClaim,
    usernamePrefix,
    groupsClaim: options.oidcGroupsClaim,
    groupsPrefix: options.oidcGroupsPrefix,
    requiredClaims: { ...options.oidcRequiredClaims },
    signingAlgs,
    ...(ca && { ca }),
  };
}

/** validateURL's field errors for jwt[0].issuer.url. */
function issuerURLProblems(issuerURL: string): string[] {
  const field = `jwt[0].issuer.url: Invalid value: ${JSON.stringify(issuerURL)}`;
  let url: URL;
  try {
    url = new URL(issuerURL);
  } catch {
    return [`${field}: URL scheme must be https`];
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:') problems.push(`${field}: URL scheme must be https`);
  if (url.username !== '' || url.password !== '') problems.push(`${field}: URL must not contain a username or password`);
  if (url.search !== '') problems.push(`${field}: URL must not contain a query`);
  if (url.hash !== '') problems.push(`${field}: URL must not contain a fragment`);
  return problems;
}

/** certutil.NewPoolFromBytes: the PEM must hold at least one certificate, and each must parse. */
function certificatePoolProblem(pem: Buffer): string | undefined {
  const blocks = pem.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return 'data does not contain any valid RSA or ECDSA certificates';
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}

/** The token webhook's kubeconfig, read at start-up as kube's authenticator config does. */
export function loadTokenWebhookConfig(options: AuthenticationOptions): KgateConfig['authentication']['tokenWebhook'] {
  if (options.authenticationTokenWebhookConfigFile === '') return undefined;
  const version = options.authenticationTokenWebhookVersion;
  if (version !== 'v1' && version !== 'v1beta1') {
    throw new Error(`unsupported authentication webhook version ${JSON.stringify(version)}, supported versions are "v1", "v1beta1"`);
  }
  statFlagFile(options.authenticationTokenWebhookConfigFile);
  return {
    client: loadWebhookKubeconfig(options.authenticationTokenWebhookConfigFile),
    version,
    cacheTTLMs: options.authenticationTokenWebhookCacheTTLMs,
  };
}
