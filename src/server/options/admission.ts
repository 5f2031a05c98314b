// The admission flags (k8s.io/apiserver/pkg/server/options/admission.go): --enable-admission-plugins and
// --disable-admission-plugins, comma-separated plugin names whose order does not matter; and
// --admission-control-config-file, the AdmissionConfiguration whose per-plugin configurations the load step reads
// (ReadAdmissionConfiguration, then each enabled plugin's decoder: src/admission/config.ts).
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decode, parseAdmissionConfiguration, parsePodSecurityConfiguration, type PodSecurityConfig } from '../../admission/config.js';
import {
  ALL_ORDERED_PLUGINS,
  DEFAULT_ON_PLUGINS,
  enabledPluginNames,
  IMPLEMENTED_PLUGINS,
  validatePluginFlags,
} from '../../admission/plugins.js';
import { stringFlag, type FlagSpec } from './flag.js';

export interface AdmissionOptions {
  enableAdmissionPlugins: string[];
  disableAdmissionPlugins: string[];
  admissionControlConfigFile: string;
}

export const ADMISSION_DEFAULTS: Readonly<AdmissionOptions> = Object.freeze({
  enableAdmissionPlugins: [],
  disableAdmissionPlugins: [],
  admissionControlConfigFile: '',
});

const defaultOn = ALL_ORDERED_PLUGINS.filter((name) => DEFAULT_ON_PLUGINS.has(name)).join(', ');
const registered = ALL_ORDERED_PLUGINS.join(', ');

function pluginList(name: string, key: 'enableAdmissionPlugins' | 'disableAdmissionPlugins', what: string): FlagSpec<AdmissionOptions> {
  return {
    name,
    type: 'strings',
    section: 'Admission',
    usage: `admission plugins that should be ${what} (${defaultOn}). Comma-delimited list of admission plugins: ${registered}. The order of plugins in this flag does not matter.`,
    defaultText: undefined,
    apply(options, raw, firstSet) {
      const values = raw === '' ? [] : raw.split(',').map((value) => value.trim());
      options[key] = firstSet ? values : [...options[key], ...values];
      return undefined;
    },
  };
}

export const ADMISSION_FLAGS: readonly FlagSpec<AdmissionOptions>[] = [
  pluginList('enable-admission-plugins', 'enableAdmissionPlugins', 'enabled in addition to default enabled ones'),
  pluginList('disable-admission-plugins', 'disableAdmissionPlugins', 'disabled although they are in the default enabled plugins list'),
  stringFlag(
    { name: 'admission-control-config-file', section: 'Admission', usage: 'File with admission control configuration.' },
    'admissionControlConfigFile',
    ADMISSION_DEFAULTS,
  ),
];

/** AdmissionOptions.Validate's messages, and kgate's for a plugin it does not have. */
export function validateAdmission(options: AdmissionOptions): string[] {
  const problems = validatePluginFlags(options.enableAdmissionPlugins, options.disableAdmissionPlugins);
  for (const name of options.enableAdmissionPlugins) {
    if ((ALL_ORDERED_PLUGINS as readonly string[]).includes(name) && !IMPLEMENTED_PLUGINS.has(name)) {
      problems.push(`enable-admission-plugins plugin ${JSON.stringify(name)} is not implemented by kgate yet`);
    }
  }
  return problems;
}

/** The enabled plugins kgate has, in kube's order, and the configurations of those that take one. */
export interface AdmissionConfig {
  plugins: string[];
  /** PodSecurity's PodSecurityConfiguration; absent: kube's default (privileged:latest, no exemptions). */
  podSecurity?: PodSecurityConfig;
}

/** A Node fs error as Go's *PathError prints it: `open /x: no such file or directory`. */
function goPathError(error: unknown, file: string): string {
  const e = error as NodeJS.ErrnoException;
  const description = /^[A-Z]+: ([^,]+),/.exec(e.message)?.[1];
  return e.syscall && description ? `${e.syscall} ${file}: ${description}` : e.message;
}

/** The text of a plugin's configuration: inline (re-encoded as JSON, as kube hands over the raw bytes) or its file. */
async function pluginConfigText(entry: { configuration?: unknown; path?: string }): Promise<unknown> {
  if (entry.configuration !== undefined) return entry.configuration;
  if (entry.path === undefined) return undefined;
  return decode(await readFile(entry.path, 'utf8'));
}

/**
 * Reads --admission-control-config-file, then the configuration of each enabled plugin that takes one. Throws with
 * kube-apiserver's messages: `failed to apply admission: failed to read plugin config: ...` for the file,
 * `failed to apply admission: ...` and the plugin registry's message for a plugin's configuration.
 * Entries for disabled plugins, or plugins kgate lacks, are never decoded (kube reads a plugin's configuration
 * only when it initialises the plugin).
 */
export async function loadAdmissionConfig(options: AdmissionOptions): Promise<AdmissionConfig> {
  const plugins = enabledPluginNames(options.enableAdmissionPlugins, options.disableAdmissionPlugins).filter((name) =>
    IMPLEMENTED_PLUGINS.has(name),
  );
  const file = options.admissionControlConfigFile;
  if (file === '') return { plugins };
  let entries;
  try {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`unable to read admission control configuration from ${JSON.stringify(file)} [${goPathError(error, file)}]`);
    }
    entries = parseAdmissionConfiguration(text, dirname(file));
  } catch (error) {
    throw new Error(`failed to apply admission: failed to read plugin config: ${(error as Error).message}`);
  }
  const config: AdmissionConfig = { plugins };
  // The first entry naming a plugin is its configuration (configProvider.ConfigFor).
  const podSecurity = entries.find((entry) => entry.name === 'PodSecurity');
  if (plugins.includes('PodSecurity') && podSecurity) {
    try {
      config.podSecurity = parsePodSecurityConfiguration(await pluginConfigText(podSecurity));
    } catch (error) {
      throw new Error(`failed to apply admission: ${(error as Error).message}`);
    }
  }
  return config;
}
