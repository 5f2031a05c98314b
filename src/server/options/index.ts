// kgate's command-line options, split by concern as k8s.io/apiserver/pkg/server/options is: etcd.ts, serving.ts,
// authentication.ts and generic.ts own their flags, checks and loading; flags.ts gathers the table and --help;
// argv.ts reads argv as pflag does; load.ts builds the KgateConfig.

export { parseOptions, type ParseResult } from './argv.js';
export { DEFAULT_OPTIONS, flagNames, helpText, type KgateOptions } from './flags.js';
export { loadConfig } from './load.js';
