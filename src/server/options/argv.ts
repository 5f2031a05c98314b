// Reading argv the way spf13/pflag and cobra do (--flag=value, --flag value, bare bool flags, shorthand runs such
// as -v3, `--` ending flags) with their error messages, then the checks that need the whole set of flags.
// parseOptions is pure: it returns errors instead of exiting so that main.ts owns the process and tests own nothing.

import { validateEtcd } from './etcd.js';
import { validateAuthentication } from './authentication.js';
import { validateAdmission } from './admission.js';
import { validateAuthorization } from './authorization.js';
import type { FlagSpec } from './flag.js';
import { DEFAULT_OPTIONS, FLAGS, HELP_FLAG, helpText, type KgateOptions } from './flags.js';
import { goQuote, parseGoBool } from '../../apimachinery/strconv.js';
import { validateSecureServing } from './serving.js';
import { validateServiceAccounts } from './serviceaccount.js';
import { validateServiceNetwork } from './services.js';

export type ParseResult = { kind: 'options'; options: KgateOptions } | { kind: 'help'; text: string } | { kind: 'error'; message: string };

export interface ParseSettings {
  /** Used when --etcd-servers is absent; without it the flag is required, as in kube-apiserver. */
  defaultEtcdServers?: string[];
  /** Name shown in --help and in argument errors. */
  commandName?: string;
}

type Flag = FlagSpec<KgateOptions>;

const BY_NAME = new Map<string, Flag>(FLAGS.map((flag) => [flag.name, flag]));
const BY_SHORTHAND = new Map<string, Flag>(FLAGS.filter((flag) => flag.shorthand).map((flag) => [flag.shorthand as string, flag]));

export function parseOptions(argv: readonly string[], settings: ParseSettings = {}): ParseResult {
  const commandName = settings.commandName ?? 'kgate';
  const options: KgateOptions = { ...DEFAULT_OPTIONS, etcdServers: [...DEFAULT_OPTIONS.etcdServers] };
  const setFlags = new Set<string>();
  const positional: string[] = [];
  let help = false;

  const set = (flag: Flag, raw: string, display: string): string | undefined => {
    if (flag === HELP_FLAG) {
      const parsed = parseGoBool(raw);
      if (typeof parsed === 'string') return `invalid argument ${goQuote(raw)} for ${goQuote(display)} flag: ${parsed}`;
      help = parsed;
      return undefined;
    }
    const failure = flag.apply(options, raw, !setFlags.has(flag.name));
    setFlags.add(flag.name);
    return failure === undefined ? undefined : `invalid argument ${goQuote(raw)} for ${goQuote(display)} flag: ${failure}`;
  };

  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--') {
      positional.push(...argv.slice(index + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const body = arg.slice(2);
      const equals = body.indexOf('=');
      const name = equals === -1 ? body : body.slice(0, equals);
      if (name === '' || name.startsWith('-') || name.startsWith('=')) {
        return { kind: 'error', message: `bad flag syntax: ${arg}` };
      }
      const flag = BY_NAME.get(name);
      if (!flag) return { kind: 'error', message: `unknown flag: --${name}` };
      const display = flag.shorthand ? `-${flag.shorthand}, --${flag.name}` : `--${flag.name}`;
      let raw: string;
      if (equals !== -1) {
        raw = body.slice(equals + 1);
      } else if (flag.type === 'bool') {
        raw = 'true';
      } else if (index + 1 < argv.length) {
        raw = argv[++index];
      } else {
        return { kind: 'error', message: `flag needs an argument: --${name}` };
      }
      const failure = set(flag, raw, display);
      if (failure) return { kind: 'error', message: failure };
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A run of shorthands, as pflag reads them: -h, -v3, -v=3, -v 3.
      let rest = arg.slice(1);
      while (rest.length > 0) {
        const letter = rest[0];
        rest = rest.slice(1);
        const flag = BY_SHORTHAND.get(letter);
        if (!flag) return { kind: 'error', message: `unknown shorthand flag: '${letter}' in ${arg}` };
        const display = `-${flag.shorthand}, --${flag.name}`;
        let raw: string;
        if (rest.startsWith('=')) {
          raw = rest.slice(1);
          rest = '';
        } else if (flag.type === 'bool') {
          raw = 'true';
        } else if (rest.length > 0) {
          raw = rest;
          rest = '';
        } else if (index + 1 < argv.length) {
          raw = argv[++index];
        } else {
          return { kind: 'error', message: `flag needs an argument: '${letter}' in ${arg}` };
        }
        const failure = set(flag, raw, display);
        if (failure) return { kind: 'error', message: failure };
      }
      continue;
    }
    positional.push(arg);
  }

  if (help) return { kind: 'help', text: helpText(commandName) };

  if (positional.some((arg) => arg.length > 0)) {
    return {
      kind: 'error',
      message: `${goQuote(commandName)} does not take any arguments, got [${positional.map(goQuote).join(' ')}]`,
    };
  }

  if (!setFlags.has('etcd-servers') && settings.defaultEtcdServers) {
    options.etcdServers = [...settings.defaultEtcdServers];
  }
  const problems = validateOptions(options);
  if (problems.length === 1) return { kind: 'error', message: problems[0] };
  // kube-apiserver prints an aggregate of validation errors as "[a, b]".
  if (problems.length > 1) return { kind: 'error', message: `[${problems.join(', ')}]` };
  return { kind: 'options', options };
}

/** Checks that need the whole set of flags, concern by concern as kube-apiserver's Options.Validate runs them. */
export function validateOptions(options: KgateOptions): string[] {
  return [
    ...validateEtcd(options),
    ...validateSecureServing(options),
    ...validateServiceAccounts(options),
    ...validateAuthentication(options),
    ...validateAuthorization(options),
    ...validateAdmission(options),
    ...validateServiceNetwork(options),
  ];
}
