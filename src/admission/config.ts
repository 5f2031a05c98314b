// The admission configuration file (--admission-control-config-file; k8s.io/apiserver pkg/admission/config.go
// ReadAdmissionConfiguration, v0.34): an AdmissionConfiguration (apiserver.config.k8s.io/v1, or the legacy
// apiserver.k8s.io/v1alpha1) listing `plugins: [{name, configuration | path}]`, in YAML or JSON. Each plugin decodes
// its own configuration when it is enabled (kube's Plugins.InitPlugin): configurations of disabled plugins, and of
// plugins kgate lacks, are never read. PodSecurity's PodSecurityConfiguration (k8s.io/pod-security-admission
// admission/api: defaulting in v1/defaults.go, ToPolicy in helpers.go, validation/validation.go) is the one kgate
// decodes. Pure apart from the file reader it is given; errors carry the message kube-apiserver stops with.
import { parse as parseYaml } from 'yaml';
import { fieldErrorMessage, type FieldError } from '../apimachinery/errors.js';
import { fieldInvalid, isDNS1123Label, isDNS1123Subdomain } from '../apimachinery/validation.js';
import { parseLevel, parseVersion, type LevelVersion, type Policy } from './podsecurity/levels.js';
import type { Exemptions } from './podsecurity/plugin.js';

/** One entry of `plugins`: its inline configuration, or the (absolute) path of a file holding it. */
export interface PluginConfigEntry {
  name: string;
  configuration?: unknown;
  path?: string;
}

const ADMISSION_CONFIG_VERSIONS = new Set(['apiserver.config.k8s.io/v1', 'apiserver.k8s.io/v1alpha1']);
const POD_SECURITY_VERSIONS = new Set([
  'pod-security.admission.config.k8s.io/v1',
  'pod-security.admission.config.k8s.io/v1beta1',
  'pod-security.admission.config.k8s.io/v1alpha1',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes YAML or JSON (JSON is YAML), as sigs.k8s.io/yaml does; a syntax error keeps the parser's message. */
export function decode(text: string): unknown {
  return parseYaml(text, { uniqueKeys: false });
}

/** The universal decoder's type check: apiVersion and kind must be present and registered. */
function checkType(obj: unknown, versions: ReadonlySet<string>, kind: string, what: string): Record<string, unknown> {
  if (!isObject(obj)) throw new Error(`couldn't get version/kind; json parse error: ${what} is not an object`);
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const objKind = typeof obj.kind === 'string' ? obj.kind : '';
  if (!objKind) throw new Error(`Object 'Kind' is missing in '${JSON.stringify(obj)}'`);
  if (!apiVersion) throw new Error(`Object 'apiVersion' is missing in '${JSON.stringify(obj)}'`);
  if (!versions.has(apiVersion) || objKind !== kind) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    throw new Error(
      `no kind "${objKind}" is registered for version "${group ? `${group}/` : ''}${version}" in scheme "pkg/runtime/scheme.go:110"`,
    );
  }
  return obj;
}

/**
 * Reads an AdmissionConfiguration's text. `path`s are made absolute against `baseDir` (the file's directory), as
 * kube does. Throws with the decoder's message when the text is not an AdmissionConfiguration.
 */
export function parseAdmissionConfiguration(text: string, baseDir: string): PluginConfigEntry[] {
  const decoded = decode(text);
  let obj: Record<string, unknown>;
  try {
    obj = checkType(decoded, ADMISSION_CONFIG_VERSIONS, 'AdmissionConfiguration', 'the file');
  } catch (error) {
    // kube tolerates the two legacy unversioned files (ImagePolicyWebhook's, PodNodeSelector's) and hands them to
    // those plugins, which kgate lacks: such a file configures nothing here.
    if (isObject(decoded) && ('imagePolicy' in decoded || 'podNodeSelectorPluginConfig' in decoded)) return [];
    throw error;
  }
  const plugins = obj.plugins ?? [];
  if (!Array.isArray(plugins)) throw new Error('AdmissionConfiguration.plugins: expected an array');
  return plugins.map((p, i) => {
    if (!isObject(p)) throw new Error(`AdmissionConfiguration.plugins[${i}]: expected an object`);
    const name = typeof p.name === 'string' ? p.name : '';
    const entry: PluginConfigEntry = { name };
    if (p.configuration !== undefined && p.configuration !== null) entry.configuration = p.configuration;
    if (typeof p.path === 'string' && p.path !== '') entry.path = p.path.startsWith('/') ? p.path : `${baseDir}/${p.path}`;
    return entry;
  });
}

/** PodSecurityConfiguration as the plugin takes it. */
export interface PodSecurityConfig {
  defaults: Policy;
  exemptions: Exemptions;
}

const MODES = ['enforce', 'audit', 'warn'] as const;
const INIT_FAILED = 'failed to initialize admission plugin "PodSecurity": ';

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.map((s) => (typeof s === 'string' ? s : String(s))) : [];
}

/** Each field's strings once: the i-th of a repeated value is a Duplicate, an invalid one is Invalid. */
function validateList(values: string[], field: string, check: (v: string) => string[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  values.forEach((v, i) => {
    const problems = check(v);
    if (problems.length > 0) errs.push(fieldInvalid(`${field}[${i}]`, v, problems.join(', ')));
    else if (seen.has(v)) errs.push({ type: 'FieldValueDuplicate', field: `${field}[${i}]`, value: v, detail: '' });
    else seen.add(v);
  });
  return errs;
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several in brackets. */
function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/**
 * Decodes, defaults and validates a PodSecurityConfiguration (absent: kube's default, privileged:latest everywhere
 * and no exemptions). Throws with the message kube's plugin registry gives: `couldn't init admission plugin
 * "PodSecurity": <decoder's>`, then `failed to initialize admission plugin "PodSecurity": PodSecurity
 * configuration error: ...` (ToPolicy), then `... PodSecurity invalid: ...` (validation).
 */
export function parsePodSecurityConfiguration(config: unknown): PodSecurityConfig {
  let obj: Record<string, unknown> | undefined;
  try {
    obj = config === undefined ? undefined : checkType(config, POD_SECURITY_VERSIONS, 'PodSecurityConfiguration', 'the configuration');
  } catch (error) {
    throw new Error(`couldn't init admission plugin "PodSecurity": ${(error as Error).message}`);
  }
  const defaults = isObject(obj?.defaults) ? obj.defaults : {};
  const exemptions = isObject(obj?.exemptions) ? obj.exemptions : {};
  // SetDefaults_PodSecurityDefaults: an empty level is privileged, an empty version latest.
  const text = (key: string, fallback: string): string => {
    const v = defaults[key];
    return typeof v === 'string' && v !== '' ? v : fallback;
  };
  const raw = Object.fromEntries(
    MODES.flatMap((m) => [
      [m, text(m, 'privileged')],
      [`${m}-version`, text(`${m}-version`, 'latest')],
    ]),
  ) as Record<string, string>;
  // ToPolicy's errors, in its order (enforce, audit, warn), become the plugin's configuration error.
  const policyErrors: string[] = [];
  const policy = {} as Record<(typeof MODES)[number], LevelVersion>;
  for (const m of MODES) {
    const level = parseLevel(raw[m]);
    if (level.error) policyErrors.push(`${m}: ${level.error}`);
    const version = parseVersion(raw[`${m}-version`]);
    if (version.error) policyErrors.push(`${m}-version: ${version.error}`);
    policy[m] = { level: level.level, version: version.version };
  }
  if (policyErrors.length > 0) throw new Error(`${INIT_FAILED}PodSecurity configuration error: ${aggregate(policyErrors)}`);
  const usernames = stringList(exemptions.usernames);
  const namespaces = stringList(exemptions.namespaces);
  const runtimeClasses = stringList(exemptions.runtimeClasses);
  const errs = [
    ...validateList(namespaces, 'exemptions.namespaces', isDNS1123Label),
    ...validateList(runtimeClasses, 'exemptions.runtimeClasses', isDNS1123Subdomain),
    ...validateList(usernames, 'exemptions.usernames', (u) => (u === '' ? ['username must not be empty'] : [])),
  ];
  if (errs.length > 0)
    throw new Error(`${INIT_FAILED}PodSecurity invalid: ${aggregate([...new Set(errs.map((e) => fieldErrorMessage(e)))])}`);
  return { defaults: policy, exemptions: { usernames, namespaces, runtimeClasses } };
}
