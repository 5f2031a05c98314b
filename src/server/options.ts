// Command-line flags with kube-apiserver's names, defaults and error messages (spf13/pflag + cobra conventions).
// parseOptions is pure: it returns errors instead of exiting so that main.ts owns the process and tests own nothing.

import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { parseTokenFile } from '../authentication/tokenfile.js';
import { ensureCertificates } from './certs.js';
import type { KgateConfig } from './config.js';

export interface KgateOptions {
  etcdServers: string[];
  etcdPrefix: string;
  etcdCafile: string;
  etcdCertfile: string;
  etcdKeyfile: string;
  /** Milliseconds; 0 disables compaction. */
  etcdCompactionIntervalMs: number;
  bindAddress: string;
  /** 0 picks a free port (a kgate extension used by tests; kube-apiserver rejects 0). */
  securePort: number;
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  certDir: string;
  tokenAuthFile: string;
  /** --watch-cache: serve reads and watches from memory. */
  watchCache: boolean;
  /** --event-ttl in milliseconds: how long etcd keeps Events (an etcd lease). */
  eventTTLMs: number;
  /** --workers (kgate only): serving processes sharing the port, each following etcd with its own cache. */
  workers: number;
  verbosity: number;
}

export type ParseResult =
  | { kind: 'options'; options: KgateOptions }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

export interface ParseSettings {
  /** Used when --etcd-servers is absent; without it the flag is required, as in kube-apiserver. */
  defaultEtcdServers?: string[];
  /** Name shown in --help and in argument errors. */
  commandName?: string;
}

type FlagType = 'strings' | 'string' | 'int' | 'bool' | 'duration' | 'ip' | 'Level';

interface FlagSpec {
  name: string;
  shorthand?: string;
  type: FlagType;
  section: string;
  usage: string;
  /** Shown as "(default ...)" in --help, formatted the way pflag does for the type; absent for zero values. */
  defaultText?: string;
  /** Writes a parsed value into the options; `firstSet` lets list flags replace their default once, then append. */
  apply(options: KgateOptions, raw: string, firstSet: boolean): string | undefined;
}

export const DEFAULT_OPTIONS: Readonly<KgateOptions> = Object.freeze({
  etcdServers: [],
  etcdPrefix: '/registry',
  etcdCafile: '',
  etcdCertfile: '',
  etcdKeyfile: '',
  etcdCompactionIntervalMs: 5 * 60 * 1000,
  bindAddress: '0.0.0.0',
  securePort: 6443,
  tlsCertFile: '',
  tlsPrivateKeyFile: '',
  certDir: '/var/run/kubernetes',
  tokenAuthFile: '',
  watchCache: true,
  eventTTLMs: 60 * 60 * 1000,
  workers: 1,
  verbosity: 0,
});

const stringFlag = (
  name: string,
  section: string,
  usage: string,
  key: 'etcdPrefix' | 'etcdCafile' | 'etcdCertfile' | 'etcdKeyfile' | 'tlsCertFile' | 'tlsPrivateKeyFile' | 'certDir' | 'tokenAuthFile',
): FlagSpec => ({
  name,
  type: 'string',
  section,
  usage,
  defaultText: DEFAULT_OPTIONS[key] === '' ? undefined : JSON.stringify(DEFAULT_OPTIONS[key]),
  apply(options, raw) {
    options[key] = raw;
    return undefined;
  },
});

const FLAGS: readonly FlagSpec[] = [
  stringFlag('etcd-cafile', 'Etcd', 'SSL Certificate Authority file used to secure etcd communication.', 'etcdCafile'),
  stringFlag('etcd-certfile', 'Etcd', 'SSL certification file used to secure etcd communication.', 'etcdCertfile'),
  {
    name: 'etcd-compaction-interval',
    type: 'duration',
    section: 'Etcd',
    usage: 'The interval of compaction requests. If 0, the compaction request from apiserver is disabled.',
    defaultText: formatGoDuration(DEFAULT_OPTIONS.etcdCompactionIntervalMs),
    apply(options, raw) {
      const parsed = parseGoDuration(raw);
      if (typeof parsed === 'string') return parsed;
      options.etcdCompactionIntervalMs = parsed;
      return undefined;
    },
  },
  stringFlag('etcd-keyfile', 'Etcd', 'SSL key file used to secure etcd communication.', 'etcdKeyfile'),
  stringFlag('etcd-prefix', 'Etcd', 'The prefix to prepend to all resource paths in etcd.', 'etcdPrefix'),
  {
    name: 'etcd-servers',
    type: 'strings',
    section: 'Etcd',
    usage: 'List of etcd servers to connect with (scheme://ip:port), comma separated.',
    apply(options, raw, firstSet) {
      const values = raw === '' ? [] : raw.split(',').map((value) => value.trim());
      options.etcdServers = firstSet ? values : [...options.etcdServers, ...values];
      return undefined;
    },
  },
  {
    name: 'bind-address',
    type: 'ip',
    section: 'Secure serving',
    usage:
      'The IP address on which to listen for the --secure-port port. The associated interface(s) must be reachable ' +
      'by the rest of the cluster, and by CLI/web clients. If blank or an unspecified address (0.0.0.0 or ::), all ' +
      'interfaces and IP address families will be used.',
    defaultText: DEFAULT_OPTIONS.bindAddress,
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
    'cert-dir',
    'Secure serving',
    'The directory where the TLS certs are located. If --tls-cert-file and --tls-private-key-file are provided, ' +
      'this flag will be ignored.',
    'certDir',
  ),
  {
    name: 'secure-port',
    type: 'int',
    section: 'Secure serving',
    usage:
      'The port on which to serve HTTPS with authentication and authorization. 0 picks a free port (kgate only; ' +
      'kube-apiserver cannot be switched off with 0).',
    defaultText: String(DEFAULT_OPTIONS.securePort),
    apply(options, raw) {
      const parsed = parseGoInt(raw, 0, 64);
      if (typeof parsed === 'string') return parsed;
      options.securePort = parsed;
      return undefined;
    },
  },
  stringFlag(
    'tls-cert-file',
    'Secure serving',
    'File containing the default x509 Certificate for HTTPS. (CA cert, if any, concatenated after server cert). ' +
      'If HTTPS serving is enabled, and --tls-cert-file and --tls-private-key-file are not provided, a self-signed ' +
      'certificate and key are generated for the public address and saved to the directory specified by --cert-dir.',
    'tlsCertFile',
  ),
  stringFlag(
    'tls-private-key-file',
    'Secure serving',
    'File containing the default x509 private key matching --tls-cert-file.',
    'tlsPrivateKeyFile',
  ),
  stringFlag(
    'token-auth-file',
    'Authentication',
    'If set, the file that will be used to secure the secure port of the API server via token authentication.',
    'tokenAuthFile',
  ),
  {
    name: 'event-ttl',
    type: 'duration',
    section: 'Generic',
    usage: 'Amount of time to retain events.',
    defaultText: formatGoDuration(DEFAULT_OPTIONS.eventTTLMs),
    apply(options, raw) {
      const parsed = parseGoDuration(raw);
      if (typeof parsed === 'string') return parsed;
      options.eventTTLMs = parsed;
      return undefined;
    },
  },
  {
    name: 'watch-cache',
    type: 'bool',
    section: 'Etcd',
    usage: 'Enable watch caching in the apiserver',
    defaultText: 'true',
    apply(options, raw) {
      const parsed = parseGoBool(raw);
      if (typeof parsed === 'string') return parsed;
      options.watchCache = parsed;
      return undefined;
    },
  },
  {
    name: 'workers',
    type: 'int',
    section: 'Generic',
    usage:
      'Number of serving processes sharing --secure-port (kgate only). Each follows etcd with its own watch ' +
      'cache, so reads do not gain on a small machine; writes gain a little on 2 cores.',
    defaultText: String(DEFAULT_OPTIONS.workers),
    apply(options, raw) {
      const parsed = parseGoInt(raw, 0, 32);
      if (typeof parsed === 'string') return parsed;
      if (parsed < 1) return `must be at least 1`;
      options.workers = parsed;
      return undefined;
    },
  },
  {
    name: 'v',
    shorthand: 'v',
    type: 'Level',
    section: 'Logs',
    usage: 'number for the log level verbosity',
    apply(options, raw) {
      // klog's Level.Set parses a base-10 int32.
      const parsed = parseGoInt(raw, 10, 32);
      if (typeof parsed === 'string') return parsed;
      options.verbosity = parsed;
      return undefined;
    },
  },
];

const HELP_FLAG: FlagSpec = {
  name: 'help',
  shorthand: 'h',
  type: 'bool',
  section: 'Global',
  usage: 'help for kgate',
  apply() {
    return undefined;
  },
};

const SECTION_ORDER = ['Generic', 'Etcd', 'Secure serving', 'Authentication', 'Logs', 'Global'];

/** Every flag kgate accepts, --help included: the list --help prints. */
export function flagNames(): string[] {
  return [...FLAGS, HELP_FLAG].map((flag) => flag.name);
}

export function parseOptions(argv: readonly string[], settings: ParseSettings = {}): ParseResult {
  const commandName = settings.commandName ?? 'kgate';
  const options: KgateOptions = { ...DEFAULT_OPTIONS, etcdServers: [...DEFAULT_OPTIONS.etcdServers] };
  const setFlags = new Set<string>();
  const positional: string[] = [];
  let help = false;

  const byName = new Map<string, FlagSpec>([...FLAGS, HELP_FLAG].map((flag) => [flag.name, flag]));
  const byShorthand = new Map<string, FlagSpec>(
    [...FLAGS, HELP_FLAG].filter((flag) => flag.shorthand).map((flag) => [flag.shorthand as string, flag]),
  );

  const set = (flag: FlagSpec, raw: string, display: string): string | undefined => {
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
      const flag = byName.get(name);
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
        const flag = byShorthand.get(letter);
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

/** Checks that need the whole set of flags, with kube-apiserver's messages where it has one. */
export function validateOptions(options: KgateOptions): string[] {
  const problems: string[] = [];
  if (options.etcdServers.length === 0) problems.push('--etcd-servers must be specified');
  if (options.securePort < 0 || options.securePort > 65535) {
    problems.push(`--secure-port ${options.securePort} must be between 0 and 65535, inclusive. 0 picks a free port`);
  }
  if ((options.tlsCertFile === '') !== (options.tlsPrivateKeyFile === '')) {
    problems.push('--tls-cert-file and --tls-private-key-file must be specified together');
  }
  if (options.etcdCompactionIntervalMs < 0) {
    problems.push('--etcd-compaction-interval must be greater than or equal to 0');
  }
  return problems;
}

export function helpText(commandName = 'kgate'): string {
  const lines: string[] = [
    `${commandName} is a Kubernetes API server: a Koa gateway in front of etcd. It validates and configures data`,
    'for the api objects which include pods, services, replicationcontrollers, and others, and keeps all state in etcd.',
    '',
    'Usage:',
    `  ${commandName} [flags]`,
  ];
  const all = [...FLAGS, HELP_FLAG];
  // pflag aligns usage text one column past the longest "  -x, --name type" prefix of the whole set.
  const prefixes = new Map(all.map((flag) => [flag, flagPrefix(flag)]));
  const width = Math.max(...[...prefixes.values()].map((prefix) => prefix.length));
  for (const section of SECTION_ORDER) {
    const flags = all.filter((flag) => flag.section === section).sort((a, b) => a.name.localeCompare(b.name));
    if (flags.length === 0) continue;
    lines.push('', `${section} flags:`, '');
    for (const flag of flags) {
      const usage = flag.defaultText === undefined ? flag.usage : `${flag.usage} (default ${flag.defaultText})`;
      lines.push(`${(prefixes.get(flag) as string).padEnd(width)}   ${usage}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function flagPrefix(flag: FlagSpec): string {
  const names = flag.shorthand ? `  -${flag.shorthand}, --${flag.name}` : `      --${flag.name}`;
  return flag.type === 'bool' ? names : `${names} ${flag.type}`;
}

export interface LoadLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Turns parsed flags into the server's config: reads the files they name and, when no --tls-cert-file is given,
 * generates (or reuses) a CA-signed certificate in --cert-dir as kube-apiserver does.
 */
export async function loadConfig(options: KgateOptions, log: LoadLog): Promise<KgateConfig> {
  const readOptional = async (path: string): Promise<Buffer | undefined> =>
    path === '' ? undefined : readFile(path);

  let cert: Buffer;
  let key: Buffer;
  if (options.tlsCertFile !== '') {
    [cert, key] = await Promise.all([readFile(options.tlsCertFile), readFile(options.tlsPrivateKeyFile)]);
  } else {
    const unspecified = options.bindAddress === '0.0.0.0' || options.bindAddress === '::';
    const generated = await ensureCertificates(options.certDir, {
      extraNames: unspecified ? [] : [options.bindAddress],
    });
    if (generated.generated.length > 0) {
      log.info(`Generated self-signed cert (${generated.files.servingCert}, ${generated.files.servingKey})`);
    }
    cert = Buffer.from(generated.servingCertChain);
    key = Buffer.from(generated.servingKey);
  }

  const tokens =
    options.tokenAuthFile === ''
      ? []
      : parseTokenFile(await readFile(options.tokenAuthFile, 'utf8'), {
          source: options.tokenAuthFile,
          warn: (message) => log.warn(message),
        });

  const [ca, etcdCert, etcdKey] = await Promise.all([
    readOptional(options.etcdCafile),
    readOptional(options.etcdCertfile),
    readOptional(options.etcdKeyfile),
  ]);

  return {
    etcd: {
      servers: options.etcdServers,
      prefix: options.etcdPrefix,
      ...(ca && { ca }),
      ...(etcdCert && { cert: etcdCert }),
      ...(etcdKey && { key: etcdKey }),
      compactionIntervalMs: options.etcdCompactionIntervalMs,
    },
    serving: { bindAddress: options.bindAddress, securePort: options.securePort, cert, key },
    authentication: { tokens },
    watchCache: options.watchCache,
    eventTTLSeconds: Math.round(options.eventTTLMs / 1000),
    verbosity: options.verbosity,
  };
}

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
};

/** Go's time.ParseDuration, in milliseconds; returns Go's error text on failure. */
export function parseGoDuration(text: string): number | string {
  const invalid = `time: invalid duration ${goQuote(text)}`;
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return invalid;
  let total = 0;
  while (rest.length > 0) {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) return invalid;
    rest = rest.slice((number as RegExpExecArray)[0].length);
    const unit = /^[^\d.]*/.exec(rest)?.[0] ?? '';
    if (unit === '') return `time: missing unit in duration ${goQuote(text)}`;
    const scale = DURATION_UNITS_MS[unit];
    if (scale === undefined) return `time: unknown unit ${goQuote(unit)} in duration ${goQuote(text)}`;
    rest = rest.slice(unit.length);
    total += Number(`${whole || '0'}.${fraction || '0'}`) * scale;
  }
  return sign * total;
}

/** Go's time.Duration.String for whole milliseconds, e.g. 300000 → "5m0s", 1500 → "1.5s". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let remaining = Math.abs(ms);
  if (remaining < 1000) return `${sign}${remaining}ms`;
  const hours = Math.floor(remaining / 3_600_000);
  remaining -= hours * 3_600_000;
  const minutes = Math.floor(remaining / 60_000);
  remaining -= minutes * 60_000;
  const seconds = `${Number((remaining / 1000).toFixed(3))}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

/** strconv.ParseInt(text, base, bits) with base 0 meaning Go's prefixes (0x, 0o, 0b, leading 0); Go's error text. */
function parseGoInt(text: string, base: 0 | 10, bits: 32 | 64): number | string {
  const syntax = `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`;
  const range = `strconv.ParseInt: parsing ${goQuote(text)}: value out of range`;
  const match = /^([+-]?)(.*)$/.exec(text) as RegExpExecArray;
  const negative = match[1] === '-';
  let digits = match[2];
  let radix = 10;
  if (base === 0) {
    digits = digits.replaceAll('_', '');
    if (/^0[xX]/.test(digits)) [radix, digits] = [16, digits.slice(2)];
    else if (/^0[oO]/.test(digits)) [radix, digits] = [8, digits.slice(2)];
    else if (/^0[bB]/.test(digits)) [radix, digits] = [2, digits.slice(2)];
    else if (/^0\d/.test(digits)) [radix, digits] = [8, digits.slice(1)];
  }
  const alphabet = '0123456789abcdef'.slice(0, radix);
  if (digits === '' || [...digits.toLowerCase()].some((digit) => !alphabet.includes(digit))) return syntax;
  const magnitude = BigInt(radix === 10 ? digits : `0${'xob'[[16, 8, 2].indexOf(radix)]}${digits}`);
  const value = negative ? -magnitude : magnitude;
  const limit = 1n << BigInt(bits - 1);
  if (value < -limit || value >= limit) return range;
  const result = Number(value);
  if (!Number.isSafeInteger(result)) return range;
  return result;
}

function parseGoBool(text: string): boolean | string {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return `strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax`;
}

/** Go's %q for the printable strings that reach flag errors. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}
