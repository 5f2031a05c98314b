// The authorization flags (k8s.io/kubernetes/pkg/kubeapiserver/options/authorization.go): --authorization-mode,
// an ordered, comma-separated list. kgate's default is RBAC (kube-apiserver's is AlwaysAllow): deny-by-default.
import type { AuthorizationMode } from '../config.js';
import type { FlagSpec } from './flag.js';

export interface AuthorizationOptions {
  authorizationModes: string[];
}

export const AUTHORIZATION_DEFAULTS: Readonly<AuthorizationOptions> = Object.freeze({ authorizationModes: ['RBAC'] });

/** kube's modes; the ones kgate does not implement yet are refused by name rather than ignored. */
const KNOWN_MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node'];
const IMPLEMENTED: readonly string[] = ['AlwaysAllow', 'AlwaysDeny', 'Node', 'RBAC'] satisfies AuthorizationMode[];

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
];

/** AuthorizationOptions.Validate's messages. */
export function validateAuthorization(options: AuthorizationOptions): string[] {
  const problems: string[] = [];
  if (options.authorizationModes.length === 0) problems.push('at least one authorization-mode must be passed');
  for (const mode of options.authorizationModes) {
    if (!KNOWN_MODES.includes(mode)) problems.push(`authorization-mode ${JSON.stringify(mode)} is not a valid mode`);
    else if (!IMPLEMENTED.includes(mode)) problems.push(`authorization-mode ${JSON.stringify(mode)} is not implemented by kgate yet`);
  }
  // Go's %q of the whole []string: ["RBAC" "RBAC"].
  if (new Set(options.authorizationModes).size !== options.authorizationModes.length) {
    const quoted = options.authorizationModes.map((m) => JSON.stringify(m)).join(' ');
    problems.push(`authorization-mode [${quoted}] has mode specified more than once`);
  }
  return problems;
}
