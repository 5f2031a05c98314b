// The authorization flags (k8s.io/kubernetes/pkg/kubeapiserver/options/authorization.go): --authorization-mode,
// an ordered, comma-separated list, and the --authorization-webhook-* flags of the Webhook mode. kgate's default
// mode is RBAC (kube-apiserver's is AlwaysAllow): deny-by-default.
import type { AuthorizationMode, KgateConfig } from '../config.js';
import { loadWebhookKubeconfig } from '../webhook-client.js';
import { statFlagFile } from './files.js';
import { durationFlag, stringFlag, type FlagSpec } from './flag.js';

export interface AuthorizationOptions {
  authorizationModes: string[];
  authorizationWebhookConfigFile: string;
  authorizationWebhookVersion: string;
  /** --authorization-webhook-cache-authorized-ttl in milliseconds. */
  authorizationWebhookCacheAuthorizedTTLMs: number;
  /** --authorization-webhook-cache-unauthorized-ttl in milliseconds. */
  authorizationWebhookCacheUnauthorizedTTLMs: number;
}

export const AUTHORIZATION_DEFAULTS: Readonly<AuthorizationOptions> = Object.freeze({
  authorizationModes: ['RBAC'],
  authorizationWebhookConfigFile: '',
  // kube-apiserver's default, although v1 is what current webhooks speak.
  authorizationWebhookVersion: 'v1beta1',
  authorizationWebhookCacheAuthorizedTTLMs: 5 * 60 * 1000,
  authorizationWebhookCacheUnauthorizedTTLMs: 30 * 1000,
});

/** kube's modes; the ones kgate does not implement yet are refused by name rather than ignored. */
const KNOWN_MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node'];
const IMPLEMENTED: readonly string[] = ['AlwaysAllow', 'AlwaysDeny', 'Node', 'RBAC', 'Webhook'] satisfies AuthorizationMode[];

export const AUTHORIZATION_FLAGS: readonly FlagSpec<AuthorizationOptions>[] = [
  {
    name: 'authorization-mode',
    type: 'strings',
    section: 'Authorization',
    usage: `Ordered list of plug-ins to do authorization on secure port. Comma-delimited list of: ${KNOWN_MODES.join(',')}.`,
    defaultText: `[${AUTHORIZATION_DEFAULTS.authorizationModes.join(',')}]`,
    apply(options, raw, firstSet) {
      const values = raw === '' ? [] : raw.split(',').map((value) => value.trim());
      options.authorizationModes = firstSet ? values : [...options.authorizationModes, ...values];
      return undefined;
    },
  },
  stringFlag(
    {
      name: 'authorization-webhook-config-file',
      section: 'Authorization',
      usage:
        'File with webhook configuration in kubeconfig format, used with --authorization-mode=Webhook. ' +
        "The API server will query the remote service to determine access on the API server's secure port.",
    },
    'authorizationWebhookConfigFile',
    AUTHORIZATION_DEFAULTS,
  ),
  stringFlag(
    {
      name: 'authorization-webhook-version',
      section: 'Authorization',
      usage: 'The API version of the authorization.k8s.io SubjectAccessReview to send to and expect from the webhook.',
    },
    'authorizationWebhookVersion',
    AUTHORIZATION_DEFAULTS,
  ),
  durationFlag(
    {
      name: 'authorization-webhook-cache-authorized-ttl',
      section: 'Authorization',
      usage: "The duration to cache 'authorized' responses from the webhook authorizer.",
    },
    'authorizationWebhookCacheAuthorizedTTLMs',
    AUTHORIZATION_DEFAULTS,
  ),
  durationFlag(
    {
      name: 'authorization-webhook-cache-unauthorized-ttl',
      section: 'Authorization',
      usage: "The duration to cache 'unauthorized' responses from the webhook authorizer.",
    },
    'authorizationWebhookCacheUnauthorizedTTLMs',
    AUTHORIZATION_DEFAULTS,
  ),
];

/** AuthorizationOptions.Validate's messages. */
export function validateAuthorization(options: AuthorizationOptions): string[] {
  const problems: string[] = [];
  if (options.authorizationModes.length === 0) problems.push('at least one authorization-mode must be passed');
  for (const mode of options.authorizationModes) {
    if (!KNOWN_MODES.includes(mode)) problems.push(`authorization-mode ${JSON.stringify(mode)} is not a valid mode`);
    else if (!IMPLEMENTED.includes(mode)) problems.push(`authorization-mode ${JSON.stringify(mode)} is not implemented by kgate yet`);
    if (mode === 'Webhook' && options.authorizationWebhookConfigFile === '') {
      problems.push("authorization-mode Webhook's authorization config file not passed");
    }
  }
  if (options.authorizationWebhookConfigFile !== '' && !options.authorizationModes.includes('Webhook')) {
    problems.push('cannot specify --authorization-webhook-config-file without mode Webhook');
  }
  // Go's %q of the whole []string: ["RBAC" "RBAC"].
  if (new Set(options.authorizationModes).size !== options.authorizationModes.length) {
    const quoted = options.authorizationModes.map((m) => JSON.stringify(m)).join(' ');
    problems.push(`authorization-mode [${quoted}] has mode specified more than once`);
  }
  return problems;
}

/** The modes and, with Webhook, the webhook's kubeconfig, read at start-up as kube's authorizer config does. */
export function loadAuthorizationConfig(options: AuthorizationOptions): NonNullable<KgateConfig['authorization']> {
  // Validation (argv.ts) has refused every mode kgate does not implement.
  const modes = options.authorizationModes as AuthorizationMode[];
  if (!modes.includes('Webhook')) return { modes };
  const version = options.authorizationWebhookVersion;
  if (version !== 'v1' && version !== 'v1beta1') {
    throw new Error(`unsupported webhook authorizer version ${JSON.stringify(version)}, supported versions are "v1", "v1beta1"`);
  }
  let client;
  try {
    statFlagFile(options.authorizationWebhookConfigFile);
    client = loadWebhookKubeconfig(options.authorizationWebhookConfigFile);
  } catch (error) {
    throw new Error(`invalid authorization config: ${(error as Error).message}`);
  }
  return {
    modes,
    webhook: {
      client,
      version,
      authorizedTTLMs: options.authorizationWebhookCacheAuthorizedTTLMs,
      unauthorizedTTLMs: options.authorizationWebhookCacheUnauthorizedTTLMs,
    },
  };
}
