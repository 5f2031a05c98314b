// The admission flags (k8s.io/apiserver/pkg/server/options/admission.go): --enable-admission-plugins and
// --disable-admission-plugins, comma-separated plugin names whose order does not matter.
import {
  ALL_ORDERED_PLUGINS,
  DEFAULT_ON_PLUGINS,
  enabledPluginNames,
  IMPLEMENTED_PLUGINS,
  validatePluginFlags,
} from '../../admission/plugins.js';
import type { FlagSpec } from './flag.js';

export interface AdmissionOptions {
  enableAdmissionPlugins: string[];
  disableAdmissionPlugins: string[];
}

export const ADMISSION_DEFAULTS: Readonly<AdmissionOptions> = Object.freeze({
  enableAdmissionPlugins: [],
  disableAdmissionPlugins: [],
});

const defaultOn = ALL_ORDERED_PLUGINS.filter((name) => DEFAULT_ON_PLUGINS.has(name)).join(', ');
const registered = ALL_ORDERED_PLUGINS.join(', ');

function pluginList(name: string, key: keyof AdmissionOptions, what: string): FlagSpec<AdmissionOptions> {
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

/** The enabled plugins kgate has, in kube's order. */
export function loadAdmissionConfig(options: AdmissionOptions): { plugins: string[] } {
  return {
    plugins: enabledPluginNames(options.enableAdmissionPlugins, options.disableAdmissionPlugins).filter((name) =>
      IMPLEMENTED_PLUGINS.has(name),
    ),
  };
}
