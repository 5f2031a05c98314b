// The flag table: every flag kgate accepts, gathered from the concerns that own them (as kube-apiserver's
// Options.Flags() collects each options struct's AddFlags into named flag sets), and the --help text pflag prints.

import { ADMISSION_DEFAULTS, ADMISSION_FLAGS, type AdmissionOptions } from './admission.js';
import { AUTHENTICATION_DEFAULTS, AUTHENTICATION_FLAGS, type AuthenticationOptions } from './authentication.js';
import { AUTHORIZATION_DEFAULTS, AUTHORIZATION_FLAGS, type AuthorizationOptions } from './authorization.js';
import { ETCD_DEFAULTS, ETCD_FLAGS, type EtcdOptions } from './etcd.js';
import type { FlagSpec } from './flag.js';
import { GENERIC_DEFAULTS, GENERIC_FLAGS, type GenericOptions } from './generic.js';
import { SERVICE_ACCOUNT_DEFAULTS, SERVICE_ACCOUNT_FLAGS, type ServiceAccountOptions } from './serviceaccount.js';
import { SECURE_SERVING_DEFAULTS, SECURE_SERVING_FLAGS, type SecureServingOptions } from './serving.js';
import { SERVICE_NETWORK_DEFAULTS, SERVICE_NETWORK_FLAGS, type ServiceNetworkOptions } from './services.js';

export type KgateOptions = EtcdOptions &
  SecureServingOptions &
  AuthenticationOptions &
  ServiceAccountOptions &
  AuthorizationOptions &
  AdmissionOptions &
  ServiceNetworkOptions &
  GenericOptions;

export const DEFAULT_OPTIONS: Readonly<KgateOptions> = Object.freeze({
  ...ETCD_DEFAULTS,
  ...SECURE_SERVING_DEFAULTS,
  ...AUTHENTICATION_DEFAULTS,
  ...SERVICE_ACCOUNT_DEFAULTS,
  ...AUTHORIZATION_DEFAULTS,
  ...ADMISSION_DEFAULTS,
  ...SERVICE_NETWORK_DEFAULTS,
  ...GENERIC_DEFAULTS,
});

/** --help is parsed like any bool flag but answered by the parser itself, so it stores nothing. */
export const HELP_FLAG: FlagSpec<KgateOptions> = {
  name: 'help',
  shorthand: 'h',
  type: 'bool',
  section: 'Global',
  usage: 'help for kgate',
  apply() {
    return undefined;
  },
};

export const FLAGS: readonly FlagSpec<KgateOptions>[] = [
  ...ETCD_FLAGS,
  ...SECURE_SERVING_FLAGS,
  ...AUTHENTICATION_FLAGS,
  ...SERVICE_ACCOUNT_FLAGS,
  ...AUTHORIZATION_FLAGS,
  ...ADMISSION_FLAGS,
  ...SERVICE_NETWORK_FLAGS,
  ...GENERIC_FLAGS,
  HELP_FLAG,
];

const SECTION_ORDER = ['Generic', 'Etcd', 'Secure serving', 'Authentication', 'Authorization', 'Admission', 'Logs', 'Misc', 'Global'];

/** Every flag kgate accepts, --help included: the list --help prints. */
export function flagNames(): string[] {
  return FLAGS.map((flag) => flag.name);
}

export function helpText(commandName = 'kgate'): string {
  const lines: string[] = [
    `${commandName} is a Kubernetes API server: a Koa gateway in front of etcd. It validates and configures data`,
    'for the api objects which include pods, services, replicationcontrollers, and others, and keeps all state in etcd.',
    '',
    'Usage:',
    `  ${commandName} [flags]`,
  ];
  // pflag aligns usage text one column past the longest "  -x, --name type" prefix of the whole set.
  const prefixes = new Map(FLAGS.map((flag) => [flag, flagPrefix(flag)]));
  const width = Math.max(...[...prefixes.values()].map((prefix) => prefix.length));
  for (const section of SECTION_ORDER) {
    const flags = FLAGS.filter((flag) => flag.section === section).sort((a, b) => a.name.localeCompare(b.name));
    if (flags.length === 0) continue;
    lines.push('', `${section} flags:`, '');
    for (const flag of flags) {
      const usage = flag.defaultText === undefined ? flag.usage : `${flag.usage} (default ${flag.defaultText})`;
      lines.push(`${(prefixes.get(flag) as string).padEnd(width)}   ${usage}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function flagPrefix(flag: FlagSpec<KgateOptions>): string {
  const names = flag.shorthand ? `  -${flag.shorthand}, --${flag.name}` : `      --${flag.name}`;
  return flag.type === 'bool' ? names : `${names} ${flag.type}`;
}
