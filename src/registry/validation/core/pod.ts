// Pod and pod-template validation as kube-apiserver v1.34 applies it (pkg/apis/core/validation/validation.go:
// ValidatePodSpec, ValidatePodTemplateSpec, validateContainers, validateInitContainers, validateContainerCommon,
// validateContainerPorts, ValidateEnv, ValidateEnvFrom, ValidateVolumeMounts, ValidateVolumes, validateResourceRequirements,
// validateProbe, ValidateTolerations, ValidateReplicationController, ValidatePodTemplate). Objects arrive defaulted
// (src/registry/defaults/podspec.ts) and after ObjectMeta validation; errors are appended in kube's order.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import {
  compareQuantity,
  formatQuantity,
  parseQuantity,
  quantityMilliValue,
  quantityValue,
  type Quantity,
} from '../../../apimachinery/quantity.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  IS_NEGATIVE_ERROR_MSG,
  validateAnnotations,
  validateLabelSelector,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../../../apimachinery/validation.js';
import { aggregateContainerResources, resourceQuantities, STANDARD_CONTAINER_RESOURCES, STANDARD_RESOURCES } from './resources.js';
import { isIP } from 'node:net';
import { goInternal, podSpecDiff } from './podspec-diff.js';
import { metadataFinalizerErrors } from './objectmeta.js';
import { validatePersistentVolumeClaimSpec } from './volumes.js';

type Json = Record<string, any>;

const INT32_MAX = 2147483647;
const FILE_MODE_ERROR_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
const NOT_INTEGER_ERROR_MSG = 'must be an integer';
const NANO_PER_UNIT = 1_000_000_000n;
const NOT_POSITIVE_ERROR_MSG = 'must be greater than zero';
const MAX_HANDLERS_MSG = 'may not specify more than 1 handler type';
const MAX_VOLUME_TYPES_MSG = 'may not specify more than 1 volume type';

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'] as const;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;
const HTTP_SCHEMES = ['HTTP', 'HTTPS'] as const;
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'] as const;
const MOUNT_PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'] as const;
const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
] as const;
const ENV_RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
] as const;
const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
// validateVolumeSource's order: the first source present counts, each further one is forbidden.
const VOLUME_SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
] as const;

// fieldpath.SplitMaybeSubscriptedPath: `path['subscript']`.
const SUBSCRIPTED_PATH = /^(.+?)\['(.*)'\]$/;
const DOWNWARD_CONVERTIBLE = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);
// ValidatePreemptionPolicy lists them in this order (not sorted).
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'] as const;
const FS_GROUP_CHANGE_POLICIES = ['Always', 'OnRootMismatch'] as const;
const SUPPLEMENTAL_GROUPS_POLICIES = ['Merge', 'Strict'] as const;
const SELINUX_CHANGE_POLICIES = ['MountOption', 'Recursive'] as const;
const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'] as const;
const APPARMOR_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'] as const;
const PROC_MOUNT_TYPES = ['Default', 'Unmasked'] as const;
// sysctlContainSlashRegexp (k8s.io/component-helpers validation): dotted or slashed segments.
const SYSCTL_PATTERN = '^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';
const SYSCTL_RE = new RegExp(SYSCTL_PATTERN);
const DNS1123_SUBDOMAIN_UNDERSCORE = /^_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_UNDERSCORE_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')";
const PORT_NAME_CHARSET = /^[-a-z0-9]+$/;
const PORT_NAME_LETTER = /[a-z]/;
const HTTP_HEADER_NAME = /^[-A-Za-z0-9]+$/;
const PERCENT_RE = /^[0-9]+%$/;
// A printable ASCII character other than '=' (IsRelaxedEnvVarName; RelaxedEnvironmentVariableValidation is on in 1.34).
const RELAXED_ENV_NAME = /^[\x20-\x3c\x3e-\x7e]*$/;

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

// One shared empty list for every absent one: validation walks many optional lists, and a fresh [] each time is
// garbage on every create. Frozen, so a caller that tried to add to it would fail loudly.
const NO_ITEMS = Object.freeze([]) as unknown as any[];

function list(v: unknown): any[] {
  return Array.isArray(v) ? v : NO_ITEMS;
}

// ---- util/validation checks not in src/apimachinery/validation.ts ----------------------------------------

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IsValidPortName: an IANA_SVC_NAME. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!PORT_NAME_CHARSET.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!PORT_NAME_LETTER.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function isRelaxedEnvVarName(name: string): string[] {
  const errs: string[] = [];
  if (name.length === 0) errs.push('environment variable name must be non-empty');
  if (!RELAXED_ENV_NAME.test(name))
    errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
  return errs;
}

export function isValidPercent(v: string): string[] {
  return PERCENT_RE.test(v)
    ? []
    : [
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ];
}

function dns1123Label(value: string, path: string, out: FieldError[]): void {
  for (const msg of isDNS1123Label(value)) out.push(fieldInvalid(path, value, msg));
}

function dns1123Subdomain(value: string, path: string, out: FieldError[]): void {
  for (const msg of isDNS1123Subdomain(value)) out.push(fieldInvalid(path, value, msg));
}

function dns1123SubdomainShowing(value: string, shown: string, path: string, out: FieldError[]): void {
  for (const msg of isDNS1123Subdomain(value)) out.push(fieldInvalid(path, shown, msg));
}

function nonNegative(value: unknown, path: string, out: FieldError[]): void {
  if (typeof value === 'number' && value < 0) out.push(fieldInvalid(path, value, IS_NEGATIVE_ERROR_MSG));
}

function enumValue(value: unknown, path: string, supported: readonly string[], out: FieldError[]): void {
  const v = str(value);
  if (v === '') out.push(fieldRequired(path));
  else if (!supported.includes(v)) out.push(fieldNotSupported(path, v, supported));
}

/** Which pod volumes passed validation (kube's `vols` map): mounts may only name these. */
type ValidVolumes = Map<string, Json>;

/**
 * DropDisabledPodFields for the feature gates v1.34 leaves off (ContainerRestartRules, ContainerStopSignals): kube
 * clears these before validating and storing, so kgate does the same in PrepareForCreate/Update.
 */
export function dropDisabledPodSpecFields(spec: Json | undefined): void {
  if (!spec || typeof spec !== 'object') return;
  const visit = (containers: unknown, keepAlways: boolean) => {
    for (const c of list(containers)) {
      if (!c || typeof c !== 'object') continue;
      if (!keepAlways || c.restartPolicy !== 'Always') delete c.restartPolicy;
      delete c.restartPolicyRules;
      if (c.lifecycle && typeof c.lifecycle === 'object' && 'stopSignal' in c.lifecycle) {
        delete c.lifecycle.stopSignal;
        if (Object.keys(c.lifecycle).length === 0) delete c.lifecycle;
      }
    }
  };
  visit(spec.initContainers, true);
  visit(spec.containers, false);
  visit(spec.ephemeralContainers, false);
  dropImageVolumes(spec);
}

/** dropImageVolumes (ImageVolume is off by default in 1.34): image volumes and their mounts are dropped. */
function dropImageVolumes(spec: Json): void {
  const names = new Set(
    list(spec.volumes)
      .filter((v) => isSet(v?.image))
      .map((v) => str(v.name)),
  );
  if (names.size === 0) return;
  const keep = list(spec.volumes).filter((v) => !isSet(v?.image));
  if (keep.length > 0) spec.volumes = keep;
  else delete spec.volumes;
  for (const k of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of list(spec[k])) {
      if (!Array.isArray(c?.volumeMounts)) continue;
      const mounts = c.volumeMounts.filter((m: any) => !names.has(str(m?.name)));
      if (mounts.length > 0) c.volumeMounts = mounts;
      else delete c.volumeMounts;
    }
  }
}

// ---- pod spec ----------------------------------------------------------------------------------------------

/** ValidatePodSpec; `podName` is the pod's own name (absent for templates), `isPod` is opts.ResourceIsPod. */
export function validatePodSpec(
  spec: Json | undefined,
  p: string,
  podName?: string,
  isPod = podName !== undefined,
  checkRequiredNodeAffinityValues = true,
): FieldError[] {
  const s: Json = spec ?? {};
  const out: FieldError[] = [];
  if (!isSet(s.terminationGracePeriodSeconds)) out.push(fieldRequired(`${p}.terminationGracePeriodSeconds`));
  const gracePeriod: number | undefined = typeof s.terminationGracePeriodSeconds === 'number' ? s.terminationGracePeriodSeconds : undefined;
  const hostUsers = s.hostUsers !== false;
  const vols = validateVolumes(list(s.volumes), `${p}.volumes`, podName, out);
  const claimNames = new Set(
    list(s.resourceClaims)
      .map((c) => str(c?.name))
      .filter((n) => n !== ''),
  );
  const pc: PodContext = { hostUsers, restartPolicy: s.restartPolicy, claimNames };
  validateContainers(list(s.containers), vols, gracePeriod, pc, `${p}.containers`, out);
  validateInitContainers(list(s.initContainers), list(s.containers), vols, gracePeriod, pc, `${p}.initContainers`, out);
  validatePodResources(s, `${p}.resources`, out);
  validatePodHostNetworkDeps(s, isPod, p, out);
  validateRestartPolicy(s.restartPolicy, `${p}.restartPolicy`, out);
  enumValue(s.dnsPolicy, `${p}.dnsPolicy`, DNS_POLICIES, out);
  out.push(...validateLabels(s.nodeSelector, `${p}.nodeSelector`));
  validatePodSecurityContext(s, `${p}.securityContext`, out);
  validateImagePullSecrets(list(s.imagePullSecrets), `${p}.imagePullSecrets`, out);
  validateAffinity(s.affinity, `${p}.affinity`, out, checkRequiredNodeAffinityValues);
  validatePodDNSConfig(s.dnsConfig, s.dnsPolicy, `${p}.dnsConfig`, out);
  list(s.readinessGates).forEach((g, i) => qualifiedName(str(g?.conditionType), `${p}.readinessGates[${i}].conditionType`, out));
  const gates = new Set<string>();
  list(s.schedulingGates).forEach((g, i) => {
    const name = str(g?.name);
    qualifiedName(name, `${p}.schedulingGates[${i}]`, out);
    if (gates.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${p}.schedulingGates[${i}]`, value: name, detail: '' });
    gates.add(name);
  });
  validateTopologySpreadConstraints(list(s.topologySpreadConstraints), `${p}.topologySpreadConstraints`, out);
  validateWindowsHostProcessPod(s, p, out);
  validateHostUsers(s, p, out);
  if (str(s.serviceAccountName)) dns1123Subdomain(s.serviceAccountName, `${p}.serviceAccountName`, out);
  if (str(s.nodeName)) dns1123Subdomain(s.nodeName, `${p}.nodeName`, out);
  if (typeof s.activeDeadlineSeconds === 'number' && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > INT32_MAX)) {
    out.push(fieldInvalid(`${p}.activeDeadlineSeconds`, s.activeDeadlineSeconds, inclusiveRangeError(1, INT32_MAX)));
  }
  if (str(s.hostname)) dns1123Label(s.hostname, `${p}.hostname`, out);
  if (str(s.subdomain)) dns1123Label(s.subdomain, `${p}.subdomain`, out);
  if (list(s.tolerations).length > 0) validateTolerations(list(s.tolerations), `${p}.tolerations`, out);
  if (list(s.hostAliases).length > 0) validateHostAliases(list(s.hostAliases), `${p}.hostAliases`, out);
  if (str(s.priorityClassName)) dns1123Subdomain(s.priorityClassName, `${p}.priorityClassName`, out);
  if (isSet(s.runtimeClassName)) dns1123Subdomain(str(s.runtimeClassName), `${p}.runtimeClassName`, out);
  if (isSet(s.preemptionPolicy)) enumValue(s.preemptionPolicy, `${p}.preemptionPolicy`, PREEMPTION_POLICIES, out);
  if (isSet(s.os)) {
    const os = str(s.os.name);
    if (!os) out.push(fieldRequired(`${p}.os.name`));
    else if (os !== 'linux' && os !== 'windows') out.push(fieldNotSupported(`${p}.os`, os, ['linux', 'windows']));
    else if (os === 'linux') validateLinux(s, p, out);
    else validateWindows(s, p, out);
  }
  return out;
}

/** validatePodResources: pod-level resources (PodLevelResources, beta and on in 1.34). */
function validatePodResources(spec: Json, p: string, out: FieldError[]): void {
  if (!isSet(spec.resources)) return;
  if (spec.os?.name === 'windows') {
    out.push(fieldForbidden(p, 'may not be set for a windows pod'));
    return;
  }
  if (isSet(spec.resources.claims)) out.push(fieldForbidden(`${p}.claims`, 'claims may not be set for Resources at pod-level'));
  validatePodResourceRequirements(spec.resources, p, out);
  const claimNames = new Set(
    list(spec.resourceClaims)
      .map((c) => str(c?.name))
      .filter((n) => n !== ''),
  );
  validateResourceClaimNames(list(spec.resources.claims), claimNames, `${p}.claims`, out);
  validatePodResourceConsistency(spec, p, out);
}

/** validatePodHostNetworkDeps: under hostNetwork a pod's hostPort must equal its containerPort (a template's may be 0). */
function validatePodHostNetworkDeps(spec: Json, isPod: boolean, p: string, out: FieldError[]): void {
  if (spec.hostNetwork !== true) return;
  list(spec.containers).forEach((c, i) => {
    list(c?.ports).forEach((port, j) => {
      const hp = typeof port?.hostPort === 'number' ? port.hostPort : 0;
      const cp = typeof port?.containerPort === 'number' ? port.containerPort : 0;
      if ((isPod || hp !== 0) && hp !== cp) {
        out.push(fieldInvalid(`${p}.containers[${i}].ports[${j}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
}

/** validateImagePullSecrets: a reference carries only a name. */
function validateImagePullSecrets(secrets: any[], p: string, out: FieldError[]): void {
  secrets.forEach((ref, i) => {
    if (ref && typeof ref === 'object' && Object.keys(ref).some((k) => k !== 'name')) {
      out.push(fieldInvalid(`${p}[${i}]`, { Name: str(ref.name) }, 'only name may be set'));
    }
  });
}

/** ValidateHostAliases: each IP valid, each hostname a DNS subdomain. */
function validateHostAliases(aliases: any[], p: string, out: FieldError[]): void {
  aliases.forEach((a, i) => {
    const ip = str(a?.ip);
    for (const msg of ipForLegacyFieldErrors(ip)) out.push(fieldInvalid(`${p}[${i}].ip`, ip, msg));
    list(a?.hostnames).forEach((h, j) => dns1123Subdomain(str(h), `${p}[${i}].hostnames[${j}]`, out));
  });
}

/** IsValidIPForLegacyField without StrictIPCIDRValidation (off in 1.34): legacy leading zeros pass. */
function ipForLegacyFieldErrors(ip: string): string[] {
  if (ip === '') return ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
  if (isIPv4Legacy(ip) || isIPv6(ip)) return [];
  return ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

function isIPv4Legacy(ip: string): boolean {
  const parts = ip.split('.');
  return parts.length === 4 && parts.every((x) => /^[0-9]{1,3}$/.test(x) && Number(x) <= 255);
}

function isIPv6(ip: string): boolean {
  return ip.includes(':') && isIP(ip) === 6;
}

/** validateLinux: no Windows options on a linux pod. */
function validateLinux(spec: Json, p: string, out: FieldError[]): void {
  if (isSet(spec.securityContext?.windowsOptions)) {
    out.push(fieldForbidden(`${p}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
  }
  visitContainers(spec, p, (c, cp) => {
    if (isSet(c?.securityContext?.windowsOptions)) {
      out.push(fieldForbidden(`${cp}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
    }
  });
}

const WINDOWS_POD_FORBIDDEN: Array<[string, string]> = [
  ['appArmorProfile', 'securityContext.appArmorProfile'],
  ['seLinuxOptions', 'securityContext.seLinuxOptions'],
];
const WINDOWS_POD_FORBIDDEN_TAIL: Array<[string, string]> = [
  ['seccompProfile', 'securityContext.seccompProfile'],
  ['fsGroup', 'securityContext.fsGroup'],
  ['fsGroupChangePolicy', 'securityContext.fsGroupChangePolicy'],
];
const WINDOWS_CONTAINER_FORBIDDEN = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
] as const;

/** validateWindows: the Linux-only security settings are forbidden on a windows pod. */
function validateWindows(spec: Json, p: string, out: FieldError[]): void {
  const sc: Json = spec.securityContext ?? {};
  const forbid = (path: string) => out.push(fieldForbidden(`${p}.${path}`, 'cannot be set for a windows pod'));
  for (const [k, path] of WINDOWS_POD_FORBIDDEN) if (isSet(sc[k])) forbid(path);
  if (isSet(spec.hostUsers)) forbid('hostUsers');
  if (spec.hostPID === true) forbid('hostPID');
  if (spec.hostIPC === true) forbid('hostIPC');
  for (const [k, path] of WINDOWS_POD_FORBIDDEN_TAIL) if (isSet(sc[k])) forbid(path);
  if (list(sc.sysctls).length > 0) forbid('securityContext.sysctls');
  if (isSet(spec.shareProcessNamespace)) forbid('shareProcessNamespace');
  if (isSet(sc.runAsUser)) forbid('securityContext.runAsUser');
  if (isSet(sc.runAsGroup)) forbid('securityContext.runAsGroup');
  if (isSet(sc.supplementalGroups)) forbid('securityContext.supplementalGroups');
  if (isSet(sc.supplementalGroupsPolicy)) forbid('securityContext.supplementalGroupsPolicy');
  if (isSet(sc.seLinuxChangePolicy)) forbid('securityContext.seLinuxChangePolicy');
  visitContainers(spec, p, (c, cp) => {
    const csc = c?.securityContext;
    if (!isSet(csc)) return;
    for (const k of WINDOWS_CONTAINER_FORBIDDEN) {
      if (isSet(csc[k])) out.push(fieldForbidden(`${cp}.securityContext.${k}`, 'cannot be set for a windows pod'));
    }
  });
}

/** podshelper.VisitContainersWithPath: init containers, then containers, then ephemeral containers. */
function visitContainers(spec: Json, p: string, fn: (c: Json, path: string) => void): void {
  for (const k of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[k]).forEach((c, i) => fn(c ?? {}, `${p}.${k}[${i}]`));
  }
}

function qualifiedName(value: string, path: string, out: FieldError[]): void {
  for (const msg of isQualifiedName(value)) out.push(fieldInvalid(path, value, msg));
}

/** validatePodDNSConfig; nameserver IP syntax is not checked yet. */
function validatePodDNSConfig(config: Json | undefined, dnsPolicy: unknown, p: string, out: FieldError[]): void {
  if (dnsPolicy === 'None') {
    if (!config) {
      out.push(fieldRequired(p, 'must provide `dnsConfig` when `dnsPolicy` is None'));
      return;
    }
    if (list(config.nameservers).length === 0) {
      out.push(fieldRequired(`${p}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
      return;
    }
  }
  if (!config) return;
  const nameservers = list(config.nameservers);
  if (nameservers.length > 3) out.push(fieldInvalid(`${p}.nameservers`, nameservers, 'must not have more than 3 nameservers'));
  nameservers.forEach((ns, i) => {
    for (const msg of ipForLegacyFieldErrors(str(ns))) out.push(fieldInvalid(`${p}.nameservers[${i}]`, str(ns), msg));
  });
  const searches = list(config.searches).map(str);
  if (searches.length > 32) out.push(fieldInvalid(`${p}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) {
    out.push(fieldInvalid(`${p}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  searches.forEach((search, i) => {
    // RelaxedDNSSearchValidation (GA in 1.34): '.' alone, underscores, and one trailing dot are accepted.
    if (search === '.') return;
    const trimmed = search.endsWith('.') ? search.slice(0, -1) : search;
    const msgs: string[] = [];
    if (Buffer.byteLength(trimmed) > 253) msgs.push('must be no more than 253 characters');
    if (!DNS1123_SUBDOMAIN_UNDERSCORE.test(trimmed)) msgs.push(DNS1123_SUBDOMAIN_UNDERSCORE_MSG);
    for (const msg of msgs) out.push(fieldInvalid(`${p}.searches[${i}]`, trimmed, msg));
  });
  list(config.options).forEach((o, i) => {
    if (!str(o?.name)) out.push(fieldRequired(`${p}.options[${i}]`, 'must not be empty'));
  });
}

function validateRestartPolicy(value: unknown, path: string, out: FieldError[]): void {
  enumValue(value, path, RESTART_POLICIES, out);
}

/** ValidatePodCreate: the spec and the pod-only rules, no ephemeral containers yet. */
export function validatePodCreate(pod: KubeObject): FieldError[] {
  const spec: Json = pod.spec ?? {};
  const out = validatePodMetadataAndSpec(pod);
  if (list(spec.ephemeralContainers).length > 0) out.push(fieldForbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && list(spec.schedulingGates).length > 0) {
    out.push(fieldForbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  validateSeccompAnnotationsAndFields(pod.metadata?.annotations ?? {}, spec, out);
  validateAppArmorAnnotationsAndFieldsMatchOnCreate(pod.metadata?.annotations ?? {}, spec, out);
  return out;
}

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
export const APPARMOR_CONTAINER_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const INT32_MIN = -2147483648;

/** helper.GetDeletionCostFromPodAnnotations: a first character of '-', '1'-'9' or a lone '0', then strconv.ParseInt(v, 10, 32). */
function validDeletionCost(v: string): boolean {
  if (!/^(-[0-9]+|0|[1-9][0-9]*)$/.test(v)) return false;
  const n = Number(v);
  return n >= INT32_MIN && n <= INT32_MAX;
}

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

/** ValidatePodSpecificAnnotationUpdates: mirror-pod and AppArmor annotations are fixed at creation. */
function validatePodSpecificAnnotationUpdates(pod: KubeObject, old: KubeObject): FieldError[] {
  const p = 'metadata.annotations';
  const next: Record<string, string> = pod.metadata?.annotations ?? {};
  const prev: Record<string, string> = old.metadata?.annotations ?? {};
  const out: FieldError[] = [];
  // Go walks both maps in random order; the errors' order is kube's only when one key changes.
  for (const [k, v] of Object.entries(prev)) {
    if (k in next && next[k] === v) continue;
    if (k.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX))
      out.push(fieldForbidden(`${p}[${k}]`, 'may not remove or update AppArmor annotations'));
    if (k === MIRROR_POD_ANNOTATION) out.push(fieldForbidden(`${p}[${k}]`, 'may not remove or update mirror pod annotation'));
  }
  for (const k of Object.keys(next)) {
    if (k in prev) continue;
    if (k.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX)) out.push(fieldForbidden(`${p}[${k}]`, 'may not add AppArmor annotations'));
    if (k === MIRROR_POD_ANNOTATION) out.push(fieldForbidden(`${p}[${k}]`, 'may not add mirror pod annotation'));
  }
  out.push(...validatePodSpecificAnnotations(next, pod.spec ?? {}));
  return out;
}

/** ValidateContainerUpdates: the same number of containers, each with an image; false when validation stops. */
function validateContainerUpdates(next: any[], prev: any[], p: string, out: FieldError[]): boolean {
  if (next.length !== prev.length) {
    out.push(fieldForbidden(p, 'pod updates may not add or remove containers'));
    return false;
  }
  next.forEach((c, i) => {
    const image = str(c?.image);
    if (image.length === 0) out.push(fieldRequired(`${p}[${i}].image`));
    if (image.trim().length !== image.length)
      out.push(fieldInvalid(`${p}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return true;
}

/** Deep equality of JSON values, absent and null alike (apiequality.Semantic.DeepEqual on what the JSON carries). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Json)[k];
      if (x !== undefined && x !== null) o[k] = canonical(x);
    }
    return o;
  }
  return v;
}

/** validateOnlyAddedTolerations: old tolerations stay (only tolerationSeconds may change), then ValidateTolerations. */
function validateOnlyAddedTolerations(next: any[], prev: any[], p: string, out: FieldError[]): void {
  for (const old of prev) {
    const found = next.some((t) => sameJson({ ...old, tolerationSeconds: t?.tolerationSeconds }, t));
    if (!found) {
      out.push(fieldForbidden(p, 'existing toleration can not be modified except its tolerationSeconds'));
      return;
    }
  }
  validateTolerations(next, p, out);
}

/** validateOnlyDeletedSchedulingGates (Go map order: random when several gates are new). */
function validateOnlyDeletedSchedulingGates(next: any[], prev: any[], p: string, out: FieldError[]): void {
  if (next.length === 0) return;
  const added = new Map<string, number>();
  next.forEach((g, i) => added.set(str(g?.name), i));
  for (const g of prev) added.delete(str(g?.name));
  for (const [gate, i] of added) {
    out.push(fieldForbidden(`${p}[${i}].name`, `only deletion is allowed, but found new scheduling gate '${gate}'`));
  }
}

/** validateNodeSelectorTermHasOnlyAdditions. */
function termHasOnlyAdditions(next: Json, prev: Json): boolean {
  const pe = list(prev?.matchExpressions);
  const pf = list(prev?.matchFields);
  const ne = list(next?.matchExpressions);
  const nf = list(next?.matchFields);
  if (pe.length === 0 && pf.length === 0 && (ne.length > 0 || nf.length > 0)) return false;
  if (pe.length > 0 && (ne.length < pe.length || !sameJson(ne.slice(0, pe.length), pe))) return false;
  if (pf.length > 0 && (nf.length < pf.length || !sameJson(nf.slice(0, pf.length), pf))) return false;
  return true;
}

/** validateNodeAffinityMutation: a gated pod's required node selector terms may only grow. */
function validateNodeAffinityMutation(p: string, next: Json | undefined, prev: Json | undefined, out: FieldError[]): void {
  const prevRequired = prev?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!isSet(prevRequired)) return;
  const oldTerms = list(prevRequired.nodeSelectorTerms);
  const newRequired = next?.requiredDuringSchedulingIgnoredDuringExecution;
  const newTerms = isSet(newRequired) ? list(newRequired.nodeSelectorTerms) : [];
  const tp = `${p}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
  if (oldTerms.length > 0 && oldTerms.length !== newTerms.length) {
    const shown = isSet(newRequired) && Array.isArray(newRequired.nodeSelectorTerms) ? goNodeSelectorTerms(newTerms) : null;
    out.push(fieldInvalid(tp, shown, 'no additions/deletions to non-empty NodeSelectorTerms list are allowed'));
    return;
  }
  oldTerms.forEach((old, i) => {
    if (!termHasOnlyAdditions(newTerms[i], old)) {
      out.push(fieldInvalid(`${tp}[${i}]`, goNodeSelectorTerm(newTerms[i]), 'only additions are allowed (no mutations or deletions)'));
    }
  });
}

/** A core.NodeSelectorTerm as Go's JSON encoding of the internal (untagged) struct shows it in a message. */
function goNodeSelectorTerm(t: Json | undefined): Record<string, unknown> {
  const req = (r: Json) => ({ Key: str(r?.key), Operator: str(r?.operator), Values: Array.isArray(r?.values) ? r.values : null });
  return {
    MatchExpressions: Array.isArray(t?.matchExpressions) ? t!.matchExpressions.map(req) : null,
    MatchFields: Array.isArray(t?.matchFields) ? t!.matchFields.map(req) : null,
  };
}

function goNodeSelectorTerms(ts: any[]): unknown[] {
  return ts.map(goNodeSelectorTerm);
}

/** Whether the old pod's required node affinity has label values kube would now refuse (kept allowed on update). */
function hasInvalidRequiredNodeAffinityValues(spec: Json | undefined): boolean {
  const terms = list(spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms);
  return terms.some((t) => list(t?.matchExpressions).some((r) => list(r?.values).some((v) => isValidLabelValue(str(v)).length > 0)));
}

/**
 * ValidatePodUpdate after rest/update.ts's generic metadata checks: kube runs ValidateObjectMetaUpdate and
 * ValidateObjectMeta again here, so metadata errors repeat as kube's do.
 */
export function validatePodUpdate(pod: KubeObject, old: KubeObject, decoded?: KubeObject): FieldError[] {
  const meta = pod.metadata ?? {};
  const metaOpts = { namespaced: true, nameValidation: 'subdomain' as const };
  const out = [
    ...validateObjectMetaUpdate(meta, old.metadata ?? {}),
    ...metadataFinalizerErrors(meta),
    ...validateObjectMeta(meta, metaOpts),
  ];
  out.push(...validatePodMetadataAndSpec(pod, !hasInvalidRequiredNodeAffinityValues(old.spec)));
  out.push(...validatePodSpecificAnnotationUpdates(pod, old));
  const spec: Json = pod.spec ?? {};
  const prev: Json = old.spec ?? {};
  if (!validateContainerUpdates(list(spec.containers), list(prev.containers), 'spec.containers', out)) return out;
  if (!validateContainerUpdates(list(spec.initContainers), list(prev.initContainers), 'spec.initContainers', out)) return out;
  if (isSet(spec.activeDeadlineSeconds)) {
    const v = spec.activeDeadlineSeconds;
    if (v < 0 || v > INT32_MAX) {
      out.push(fieldInvalid('spec.activeDeadlineSeconds', v, inclusiveRangeError(0, INT32_MAX)));
      return out;
    }
    if (isSet(prev.activeDeadlineSeconds) && prev.activeDeadlineSeconds < v) {
      out.push(fieldInvalid('spec.activeDeadlineSeconds', v, 'must be less than or equal to previous value'));
      return out;
    }
  } else if (isSet(prev.activeDeadlineSeconds)) {
    out.push(fieldInvalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  validateOnlyAddedTolerations(list(spec.tolerations), list(prev.tolerations), 'spec.tolerations', out);
  validateOnlyDeletedSchedulingGates(list(spec.schedulingGates), list(prev.schedulingGates), 'spec.schedulingGates', out);
  if (sameJson(spec, prev)) return out;

  // mungedPodSpec: the new spec with what may change put back to the old values.
  const munged: Json = structuredClone(spec);
  list(munged.containers).forEach((c, i) => (c.image = prev.containers[i].image));
  list(munged.initContainers).forEach((c, i) => (c.image = prev.initContainers[i].image));
  setOrDelete(munged, 'activeDeadlineSeconds', prev.activeDeadlineSeconds);
  setOrDelete(munged, 'schedulingGates', prev.schedulingGates);
  setOrDelete(munged, 'tolerations', prev.tolerations);
  if (
    typeof prev.terminationGracePeriodSeconds === 'number' &&
    prev.terminationGracePeriodSeconds < 0 &&
    munged.terminationGracePeriodSeconds === 1
  ) {
    munged.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  }
  if (list(prev.schedulingGates).length > 0) {
    if (!sameJson(munged.nodeSelector, prev.nodeSelector)) {
      const next: Record<string, string> = munged.nodeSelector ?? {};
      const changed = Object.entries((prev.nodeSelector ?? {}) as Record<string, string>).some(([k, v]) => next[k] !== v);
      if (changed) {
        out.push(
          fieldInvalid(
            'spec.nodeSelector',
            munged.nodeSelector ?? null,
            'only additions to spec.nodeSelector are allowed (no mutations or deletions)',
          ),
        );
      }
      setOrDelete(munged, 'nodeSelector', prev.nodeSelector);
    }
    const oldNA = prev.affinity?.nodeAffinity;
    const newNA = munged.affinity?.nodeAffinity;
    if (!sameJson(oldNA, newNA)) {
      validateNodeAffinityMutation('spec.affinity.nodeAffinity', newNA, oldNA, out);
      if (!isSet(munged.affinity) && !isSet(oldNA)) {
        // nothing to put back
      } else if (!isSet(munged.affinity)) munged.affinity = { nodeAffinity: oldNA };
      else if (!isSet(prev.affinity) && !isSet(munged.affinity.podAntiAffinity) && !isSet(munged.affinity.podAffinity))
        delete munged.affinity;
      else setOrDelete(munged.affinity, 'nodeAffinity', oldNA);
    }
  }
  if (!sameJson(munged, prev)) {
    out.push(
      fieldForbidden(
        'spec',
        `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS}\n${podSpecDiff(prev, munged, mungedDecoded(decoded?.spec, list(prev.schedulingGates).length > 0))}`,
      ),
    );
  }
  return out;
}

/**
 * The new spec as decoded, for telling empty lists from absent ones in the diff, without the fields the munged spec
 * takes from the old pod (those render as stored).
 */
function mungedDecoded(spec: Json | undefined, gated: boolean): Json | undefined {
  if (!spec) return undefined;
  const d: Json = { ...spec };
  delete d.tolerations;
  delete d.schedulingGates;
  if (gated) {
    delete d.nodeSelector;
    delete d.affinity;
  }
  return d;
}

function setOrDelete(o: Json, k: string, v: unknown): void {
  if (v === undefined) delete o[k];
  else o[k] = structuredClone(v);
}

const SYSTEM_POD_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);

/** The internal PodIPs/HostIPs list as a message shows it (`[{"IP":"..."}]`). */
function goIPList(ips: any[]): Array<{ IP: string }> {
  return ips.map((x) => ({ IP: str(x?.ip) }));
}

/** validatePodIPs / validateHostIPs: new addresses valid (old invalid ones kept), at most one per family. */
function validateStatusIPs(ips: any[], oldIPs: any[], p: string, out: FieldError[]): void {
  const existing = new Set(oldIPs.map((x) => str(x?.ip)));
  ips.forEach((x, i) => {
    const ip = str(x?.ip);
    if (existing.has(ip)) return;
    for (const msg of ipForLegacyFieldErrors(ip)) out.push(fieldInvalid(`${p}[${i}]`, ip, msg));
  });
  if (ips.length > 1) {
    const families = ips.map((x) => (str(x?.ip).includes(':') ? 6 : 4));
    const dualStack = ips.length === 2 && families[0] !== families[1];
    if (!dualStack) out.push(fieldInvalid(p, goIPList(ips), 'may specify no more than one IP for each IP family'));
  }
}

/** validateContainerStatusUsers. */
function validateContainerStatusUsers(statuses: any[], os: unknown, p: string, out: FieldError[]): void {
  statuses.forEach((st, i) => {
    const user = st?.user;
    if (!isSet(user)) return;
    const up = `${p}[${i}].user.linux`;
    if (os === 'windows') {
      if (isSet(user.linux)) out.push(fieldForbidden(up, 'cannot be set for a windows pod'));
      return;
    }
    if (os !== 'linux' || !isSet(user.linux)) return;
    const linux = user.linux;
    const id = (v: unknown, path: string) => {
      const n = typeof v === 'number' ? v : 0;
      if (n < 0 || n > INT32_MAX) out.push(fieldInvalid(path, n, inclusiveRangeError(0, INT32_MAX)));
    };
    id(linux.uid, `${up}.uid`);
    id(linux.gid, `${up}.gid`);
    list(linux.supplementalGroups).forEach((g, j) => id(g, `${up}.supplementalGroups[${j}]`));
  });
}

/** v1 status podIP/hostIP is the internal list's first entry when the list is empty. */
function statusIPs(status: Json, list1: string, single: string): any[] {
  const ips = list(status[list1]);
  if (ips.length === 0 && str(status[single])) return [{ ip: status[single] }];
  return ips;
}

/**
 * ValidatePodStatusUpdate after rest/update.ts's generic metadata checks (ValidatePodStatusUpdate runs
 * ValidateObjectMetaUpdate again). The container state transition rules need the old statuses' terminated states
 * and are not ported.
 */
export function validatePodStatusUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const meta = pod.metadata ?? {};
  const out = [...validateObjectMetaUpdate(meta, old.metadata ?? {}), ...metadataFinalizerErrors(meta)];
  out.push(...validatePodSpecificAnnotationUpdates(pod, old));
  const status: Json = pod.status ?? {};
  const prev: Json = old.status ?? {};
  list(status.conditions).forEach((c, i) => {
    const gen = typeof c?.observedGeneration === 'number' ? c.observedGeneration : 0;
    if (gen < 0) out.push(fieldInvalid(`status.conditions[${i}].observedGeneration`, gen, 'must be a non-negative integer'));
    if (!SYSTEM_POD_CONDITIONS.has(str(c?.type))) qualifiedName(str(c?.type), `status.conditions[${i}].Type`, out);
  });
  if (str(pod.spec?.nodeName) !== str(old.spec?.nodeName)) out.push(fieldForbidden('status.nodeName', 'may not be changed directly'));
  const nominated = str(status.nominatedNodeName);
  if (nominated !== str(prev.nominatedNodeName) && nominated.length > 0) dns1123Subdomain(nominated, 'status.nominatedNodeName', out);
  const observed = typeof status.observedGeneration === 'number' ? status.observedGeneration : 0;
  if (observed < 0) out.push(fieldInvalid('status.observedGeneration', observed, 'must be a non-negative integer'));
  if (str(status.qosClass) !== str(prev.qosClass)) out.push(fieldInvalid('status.qosClass', str(status.qosClass), 'field is immutable'));
  const claims = new Set(list(pod.spec?.resourceClaims).map((c) => str(c?.name)));
  const seen = new Set<string>();
  list(status.resourceClaimStatuses).forEach((c, i) => {
    const name = str(c?.name);
    const np = `status.resourceClaimStatuses[${i}].name`;
    if (!claims.has(name)) out.push(fieldInvalid(np, name, 'must match the name of an entry in `spec.resourceClaims`'));
    if (seen.has(name)) out.push({ type: 'FieldValueDuplicate', field: np, value: name, detail: '' });
    else seen.add(name);
    if (isSet(c?.resourceClaimName)) {
      for (const msg of isDNS1123Subdomain(str(c.resourceClaimName))) out.push(fieldInvalid(np, c.resourceClaimName, msg));
    }
  });
  validateStatusIPs(statusIPs(status, 'podIPs', 'podIP'), statusIPs(prev, 'podIPs', 'podIP'), 'status.podIPs', out);
  validateStatusIPs(statusIPs(status, 'hostIPs', 'hostIP'), statusIPs(prev, 'hostIPs', 'hostIP'), 'status.hostIPs', out);
  const os = pod.spec?.os?.name ?? 'linux';
  validateContainerStatusUsers(list(status.containerStatuses), os, 'status.containerStatuses', out);
  validateContainerStatusUsers(list(status.initContainerStatuses), os, 'status.initContainerStatuses', out);
  validateContainerStatusUsers(list(status.ephemeralContainerStatuses), os, 'status.ephemeralContainerStatuses', out);
  return out;
}

/** applyLabelKeysToLabelSelector: each key the pod has a label for becomes a requirement on that label's value. */
function applyLabelKeys(selector: Json, keys: any[], operator: 'In' | 'NotIn', labels: Record<string, string>): void {
  for (const k of keys) {
    const key = str(k);
    if (!(key in labels)) continue;
    selector.matchExpressions = [...list(selector.matchExpressions), { key, operator, values: [labels[key]] }];
  }
}

/**
 * The pod strategy's mutatePodAffinity and mutateTopologySpreadConstraints (PrepareForCreate, with
 * MatchLabelKeysInPodAffinity and MatchLabelKeysInPodTopologySpreadSelectorMerge on): matchLabelKeys and
 * mismatchLabelKeys are merged into the label selectors with the new pod's label values.
 */
export function applyMatchLabelKeys(pod: KubeObject): void {
  const spec: Json | undefined = pod.spec;
  if (!spec) return;
  const labels: Record<string, string> = pod.metadata?.labels ?? {};
  const term = (t: Json | undefined) => {
    if (!t || !isSet(t.labelSelector)) return;
    if (list(t.matchLabelKeys).length === 0 && list(t.mismatchLabelKeys).length === 0) return;
    applyLabelKeys(t.labelSelector, list(t.matchLabelKeys), 'In', labels);
    applyLabelKeys(t.labelSelector, list(t.mismatchLabelKeys), 'NotIn', labels);
  };
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = spec.affinity?.[kind];
    if (!a) continue;
    for (const w of list(a.preferredDuringSchedulingIgnoredDuringExecution)) term(w?.podAffinityTerm);
    for (const t of list(a.requiredDuringSchedulingIgnoredDuringExecution)) term(t);
  }
  for (const c of list(spec.topologySpreadConstraints)) {
    if (list(c?.matchLabelKeys).length === 0 || !isSet(c?.labelSelector)) continue;
    applyLabelKeys(c.labelSelector, list(c.matchLabelKeys), 'In', labels);
  }
}

/** podutil.ApparmorFieldForAnnotation. */
function appArmorFieldForAnnotation(annotation: string): Json | undefined {
  if (annotation === 'runtime/default') return { type: 'RuntimeDefault' };
  if (annotation === 'unconfined') return { type: 'Unconfined' };
  if (annotation.startsWith('localhost/')) return { type: 'Localhost', localhostProfile: annotation.slice('localhost/'.length) };
  return undefined;
}

/**
 * The pod strategy's applyAppArmorVersionSkew (PrepareForCreate): a container with an AppArmor annotation and no
 * field gets the field the annotation means, unless the pod-level field already says the same.
 */
export function applyAppArmorVersionSkew(pod: KubeObject): void {
  const spec: Json | undefined = pod.spec;
  if (!spec || spec.os?.name === 'windows') return;
  const annotations: Record<string, string> = pod.metadata?.annotations ?? {};
  const podProfile = spec.securityContext?.appArmorProfile;
  visitContainers(spec, '', (c) => {
    const key = APPARMOR_CONTAINER_ANNOTATION_PREFIX + str(c.name);
    if (!(key in annotations) || isSet(c.securityContext?.appArmorProfile)) return;
    let field = appArmorFieldForAnnotation(annotations[key]!);
    if (field) {
      const errs: FieldError[] = [];
      validateAppArmorProfileField(field, '', errs);
      if (errs.length > 0) field = undefined;
    }
    if (field && JSON.stringify(field) !== JSON.stringify(podProfile ?? null)) {
      c.securityContext = { ...(c.securityContext ?? {}), appArmorProfile: field };
    }
  });
}

/** ValidatePodSpecificAnnotations: mirror pods name a node, deletion cost is an int32, seccomp/AppArmor annotations parse. */
export function validatePodSpecificAnnotations(annotations: Record<string, string>, spec: Json, p = 'metadata.annotations'): FieldError[] {
  const out: FieldError[] = [];
  if (MIRROR_POD_ANNOTATION in annotations && !str(spec.nodeName)) {
    out.push(
      fieldInvalid(
        `${p}[${MIRROR_POD_ANNOTATION}]`,
        annotations[MIRROR_POD_ANNOTATION],
        'must set spec.nodeName if mirror pod annotation is set',
      ),
    );
  }
  if (POD_DELETION_COST_ANNOTATION in annotations && !validDeletionCost(annotations[POD_DELETION_COST_ANNOTATION]!)) {
    out.push(fieldInvalid(`${p}[${POD_DELETION_COST_ANNOTATION}]`, annotations[POD_DELETION_COST_ANNOTATION], 'must be a 32bit integer'));
  }
  // ValidateSeccompPodAnnotations: the pod key first, then container keys in Go's map order (random).
  if (SECCOMP_POD_ANNOTATION in annotations)
    validateSeccompAnnotation(annotations[SECCOMP_POD_ANNOTATION]!, `${p}.${SECCOMP_POD_ANNOTATION}`, out);
  for (const [k, v] of Object.entries(annotations)) {
    if (k.startsWith(SECCOMP_CONTAINER_ANNOTATION_PREFIX)) validateSeccompAnnotation(v, `${p}.${k}`, out);
  }
  const names = new Set<string>();
  visitContainers(spec, '', (c) => names.add(str(c.name)));
  for (const [k, v] of Object.entries(annotations)) {
    if (!k.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX)) continue;
    const container = k.slice(APPARMOR_CONTAINER_ANNOTATION_PREFIX.length);
    if (!names.has(container)) out.push(fieldInvalid(`${p}[${k}]`, container, 'container not found'));
    if (v !== '' && v !== 'runtime/default' && v !== 'unconfined' && !v.startsWith('localhost/')) {
      out.push(fieldInvalid(`${p}[${k}]`, v, `invalid AppArmor profile name: ${JSON.stringify(v)}`));
    }
  }
  return out;
}

/** ValidateSeccompProfile (annotation form). */
function validateSeccompAnnotation(v: string, p: string, out: FieldError[]): void {
  if (v === 'runtime/default' || v === 'docker/default' || v === 'unconfined') return;
  if (v.startsWith('localhost/')) validateLocalDescendingPath(v.slice('localhost/'.length), p, out);
  else out.push(fieldInvalid(p, v, 'must be a valid seccomp profile'));
}

/** validateSeccompAnnotationsAndFieldsMatch: the error, if any, for an annotation that disagrees with its field. */
function seccompMismatch(annotation: string, field: Json, p: string): FieldError | undefined {
  switch (field.type) {
    case 'Unconfined':
      if (annotation !== 'unconfined') return fieldForbidden(`${p}.type`, 'seccomp type in annotation and field must match');
      break;
    case 'RuntimeDefault':
      if (annotation !== 'runtime/default' && annotation !== 'docker/default') {
        return fieldForbidden(`${p}.type`, 'seccomp type in annotation and field must match');
      }
      break;
    case 'Localhost':
      if (!annotation.startsWith('localhost/')) return fieldForbidden(`${p}.type`, 'seccomp type in annotation and field must match');
      if (!isSet(field.localhostProfile) || annotation.slice('localhost/'.length) !== field.localhostProfile) {
        return fieldForbidden(`${p}.localhostProfile`, 'seccomp profile in annotation and field must match');
      }
      break;
  }
  return undefined;
}

/** validateSeccompAnnotationsAndFields (on create). */
function validateSeccompAnnotationsAndFields(annotations: Record<string, string>, spec: Json, out: FieldError[], specPath = 'spec'): void {
  const podField = spec.securityContext?.seccompProfile;
  if (isSet(podField) && SECCOMP_POD_ANNOTATION in annotations) {
    const err = seccompMismatch(annotations[SECCOMP_POD_ANNOTATION]!, podField, `${specPath}.securityContext.seccompProfile`);
    if (err) out.push(err);
  }
  visitContainers(spec, specPath, (c, cp) => {
    const f = c.securityContext?.seccompProfile;
    const key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + str(c.name);
    if (!isSet(f) || !(key in annotations)) return;
    const err = seccompMismatch(annotations[key]!, f, `${cp}.securityContext.seccompProfile`);
    if (err) out.push(err);
  });
}

/** validateAppArmorAnnotationsAndFieldsMatchOnCreate. */
function validateAppArmorAnnotationsAndFieldsMatchOnCreate(
  annotations: Record<string, string>,
  spec: Json,
  out: FieldError[],
  specPath = 'spec',
): void {
  if (spec.os?.name === 'windows') return;
  const podProfile = spec.securityContext?.appArmorProfile;
  visitContainers(spec, specPath, (c, cp) => {
    const profile = c.securityContext?.appArmorProfile ?? podProfile;
    const key = APPARMOR_CONTAINER_ANNOTATION_PREFIX + str(c.name);
    if (!isSet(profile) || !(key in annotations)) return;
    const annotation = annotations[key]!;
    const ap = `${cp}.securityContext.appArmorProfile`;
    const typeMismatch = () => out.push(fieldForbidden(`${ap}.type`, 'apparmor type in annotation and field must match'));
    switch (profile.type) {
      case 'Unconfined':
        if (annotation !== 'unconfined') typeMismatch();
        break;
      case 'RuntimeDefault':
        if (annotation !== 'runtime/default') typeMismatch();
        break;
      case 'Localhost':
        if (!annotation.startsWith('localhost/')) typeMismatch();
        else if (!isSet(profile.localhostProfile) || annotation.slice('localhost/'.length) !== profile.localhostProfile) {
          out.push(fieldForbidden(`${ap}.localhostProfile`, 'apparmor profile in annotation and field must match'));
        }
        break;
    }
  });
}

/** validatePodMetadataAndSpec (after ObjectMeta): what create and update both check. */
export function validatePodMetadataAndSpec(pod: KubeObject, checkRequiredNodeAffinityValues = true): FieldError[] {
  const spec: Json = pod.spec ?? {};
  const out = metadataFinalizerErrors(pod.metadata);
  out.push(...validatePodSpecificAnnotations(pod.metadata?.annotations ?? {}, spec));
  out.push(...validatePodSpec(spec, 'spec', pod.metadata?.name ?? '', true, checkRequiredNodeAffinityValues));
  if (!str(spec.serviceAccountName)) {
    list(spec.volumes).forEach((v, vi) => {
      list(v?.projected?.sources).forEach((src, si) => {
        if (isSet(src?.serviceAccountToken)) {
          out.push(
            fieldForbidden(
              `spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`,
              'must not be specified when serviceAccountName is not set',
            ),
          );
        }
      });
    });
  }
  containersOnlyForPod(list(spec.containers), 'spec.containers', out);
  containersOnlyForPod(list(spec.initContainers), 'spec.initContainers', out);
  return out;
}

function containersOnlyForPod(containers: any[], p: string, out: FieldError[]): void {
  containers.forEach((c, i) => {
    const image = str(c?.image);
    if (image.length !== image.trim().length)
      out.push(fieldInvalid(`${p}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
}

/** ValidatePodTemplateSpec at `p` (e.g. `spec.template`). */
export function validatePodTemplateSpec(template: Json | undefined, p: string): FieldError[] {
  const t: Json = template ?? {};
  const out: FieldError[] = [];
  out.push(...validateLabels(t.metadata?.labels, `${p}.labels`));
  out.push(...validateAnnotations(t.metadata?.annotations, `${p}.annotations`));
  const annotations: Record<string, string> = t.metadata?.annotations ?? {};
  out.push(...validatePodSpecificAnnotations(annotations, t.spec ?? {}, `${p}.annotations`));
  out.push(...validatePodSpec(t.spec, `${p}.spec`));
  validateSeccompAnnotationsAndFields(annotations, t.spec ?? {}, out, `${p}.spec`);
  validateAppArmorAnnotationsAndFieldsMatchOnCreate(annotations, t.spec ?? {}, out, `${p}.spec`);
  if (list(t.spec?.ephemeralContainers).length > 0) {
    out.push(fieldForbidden(`${p}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return out;
}

// ---- containers --------------------------------------------------------------------------------------------

function validateContainers(
  containers: any[],
  vols: ValidVolumes,
  gracePeriod: number | undefined,
  pc: PodContext,
  p: string,
  out: FieldError[],
): void {
  if (containers.length === 0) {
    out.push(fieldRequired(p));
    return;
  }
  const names = new Set<string>();
  containers.forEach((raw, i) => {
    const c: Json = raw ?? {};
    const cp = `${p}[${i}]`;
    validateContainerCommon(c, vols, pc, cp, out);
    const name = str(c.name);
    if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${cp}.name`, value: name, detail: '' });
    else names.add(name);
    if (isSet(c.lifecycle)) validateLifecycle(c.lifecycle, gracePeriod, `${cp}.lifecycle`, out);
    validateProbe(c.livenessProbe, gracePeriod, `${cp}.livenessProbe`, 'liveness', out);
    validateProbe(c.readinessProbe, gracePeriod, `${cp}.readinessProbe`, 'readiness', out);
    validateProbe(c.startupProbe, gracePeriod, `${cp}.startupProbe`, 'startup', out);
    if (isSet(c.restartPolicy)) out.push(fieldForbidden(`${cp}.restartPolicy`, 'may not be set for non-init containers'));
  });
  checkHostPortConflicts(containers, p, out);
}

function validateInitContainers(
  containers: any[],
  regular: any[],
  vols: ValidVolumes,
  gracePeriod: number | undefined,
  pc: PodContext,
  p: string,
  out: FieldError[],
): void {
  const names = new Set<string>(regular.map((c) => str(c?.name)));
  containers.forEach((raw, i) => {
    const c: Json = raw ?? {};
    const cp = `${p}[${i}]`;
    validateContainerCommon(c, vols, pc, cp, out);
    let restartAlways = false;
    if (isSet(c.restartPolicy)) {
      if (c.restartPolicy !== 'Always') out.push(fieldNotSupported(`${cp}.restartPolicy`, c.restartPolicy, ['Always']));
      restartAlways = c.restartPolicy === 'Always';
    }
    const name = str(c.name);
    if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${cp}.name`, value: name, detail: '' });
    else if (name.length > 0) names.add(name);
    checkHostPortConflicts([c], p, out);
    if (restartAlways) {
      if (isSet(c.lifecycle)) validateLifecycle(c.lifecycle, gracePeriod, `${cp}.lifecycle`, out);
      validateProbe(c.livenessProbe, gracePeriod, `${cp}.livenessProbe`, 'liveness', out);
      validateProbe(c.readinessProbe, gracePeriod, `${cp}.readinessProbe`, 'readiness', out);
      validateProbe(c.startupProbe, gracePeriod, `${cp}.startupProbe`, 'startup', out);
    } else {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (isSet(c[k])) out.push(fieldForbidden(`${cp}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
}

/** What container validation needs from the pod: hostUsers and the pod's restartPolicy. */
interface PodContext {
  hostUsers: boolean;
  restartPolicy: unknown;
  /** The names of spec.resourceClaims. */
  claimNames: ReadonlySet<string>;
}

/** validateResourceClaimNames: a container's claims name pod resource claims, each (with its request) once. */
function validateResourceClaimNames(claims: any[], podClaims: ReadonlySet<string>, p: string, out: FieldError[]): void {
  const names = new Set<string>();
  claims.forEach((c, i) => {
    const name = str(c?.name);
    const ip = `${p}[${i}]`;
    if (name === '') {
      out.push(fieldRequired(ip));
      return;
    }
    if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: ip, value: name, detail: '' });
    else {
      let key = name;
      const request = str(c?.request);
      if (request !== '') {
        dns1123Label(request, `${ip}.request`, out);
        key += `/${request}`;
      }
      if (names.has(key)) out.push({ type: 'FieldValueDuplicate', field: ip, value: key, detail: '' });
      else if (request === '') {
        for (const k of names) {
          const slash = k.indexOf('/');
          if (slash >= 0 && k.slice(0, slash) === name) out.push({ type: 'FieldValueDuplicate', field: ip, value: name, detail: '' });
        }
      }
      names.add(key);
    }
    if (!podClaims.has(name)) {
      const known = [...podClaims].sort();
      const detail = `must be one of the names in pod.spec.resourceClaims${known.length === 0 ? ' which is empty' : `: ${known.join(', ')}`}`;
      out.push({ type: 'FieldValueNotFound', field: ip, value: name, detail });
    }
  });
}

const RESIZE_RESOURCES = ['cpu', 'memory'] as const;
const RESIZE_POLICIES = ['NotRequired', 'RestartContainer'] as const;

/** validateResizePolicy. */
function validateResizePolicy(policies: any[], podRestartPolicy: unknown, p: string, out: FieldError[]): void {
  const seen = new Set<string>();
  policies.forEach((raw, i) => {
    const name = str(raw?.resourceName);
    const policy = str(raw?.restartPolicy);
    if (seen.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${p}[${i}]`, value: name, detail: '' });
    seen.add(name);
    if (name === '') out.push(fieldRequired(p));
    else if (!(RESIZE_RESOURCES as readonly string[]).includes(name)) out.push(fieldNotSupported(p, name, RESIZE_RESOURCES));
    if (policy === '') out.push(fieldRequired(p));
    else if (!(RESIZE_POLICIES as readonly string[]).includes(policy)) out.push(fieldNotSupported(p, policy, RESIZE_POLICIES));
    if (podRestartPolicy === 'Never' && policy !== 'NotRequired') {
      out.push(fieldInvalid(p, policy, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    }
  });
}

function validateContainerCommon(c: Json, vols: ValidVolumes, pc: PodContext, p: string, out: FieldError[]): void {
  const name = str(c.name);
  if (name.length === 0) out.push(fieldRequired(`${p}.name`));
  else dns1123Label(name, `${p}.name`, out);
  if (str(c.image).length === 0) out.push(fieldRequired(`${p}.image`));
  enumValue(c.terminationMessagePolicy, `${p}.terminationMessagePolicy`, TERMINATION_MESSAGE_POLICIES, out);
  validateContainerPorts(list(c.ports), `${p}.ports`, out);
  validateEnv(list(c.env), `${p}.env`, out);
  validateEnvFrom(list(c.envFrom), `${p}.envFrom`, out);
  validateVolumeMounts(list(c.volumeMounts), list(c.volumeDevices), vols, `${p}.volumeMounts`, out, c);
  validateVolumeDevices(list(c.volumeDevices), list(c.volumeMounts), vols, `${p}.volumeDevices`, out);
  enumValue(c.imagePullPolicy, `${p}.imagePullPolicy`, PULL_POLICIES, out);
  validateResourceRequirements(c.resources, `${p}.resources`, out);
  validateResourceClaimNames(list(c.resources?.claims), pc.claimNames, `${p}.resources.claims`, out);
  validateResizePolicy(list(c.resizePolicy), pc.restartPolicy, `${p}.resizePolicy`, out);
  validateSecurityContext(c.securityContext, `${p}.securityContext`, pc.hostUsers, out);
}

/** validateContainerPorts: numbers 1-65535, IANA_SVC_NAME names unique within the container, a known protocol. */
function validateContainerPorts(ports: any[], p: string, out: FieldError[]): void {
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const port: Json = raw ?? {};
    const pp = `${p}[${i}]`;
    const name = str(port.name);
    if (name.length > 0) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) for (const msg of msgs) out.push(fieldInvalid(`${pp}.name`, name, msg));
      else if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${pp}.name`, value: name, detail: '' });
      else names.add(name);
    }
    const containerPort = typeof port.containerPort === 'number' ? port.containerPort : 0;
    if (containerPort === 0) out.push(fieldRequired(`${pp}.containerPort`));
    else for (const msg of isValidPortNum(containerPort)) out.push(fieldInvalid(`${pp}.containerPort`, containerPort, msg));
    if (typeof port.hostPort === 'number' && port.hostPort !== 0) {
      for (const msg of isValidPortNum(port.hostPort)) out.push(fieldInvalid(`${pp}.hostPort`, port.hostPort, msg));
    }
    const protocol = str(port.protocol);
    if (protocol.length === 0) out.push(fieldRequired(`${pp}.protocol`));
    else if (!(PORT_PROTOCOLS as readonly string[]).includes(protocol))
      out.push(fieldNotSupported(`${pp}.protocol`, protocol, PORT_PROTOCOLS));
  });
}

/** AccumulateUniqueHostPorts: one protocol/hostIP/hostPort per pod. */
function checkHostPortConflicts(containers: any[], p: string, out: FieldError[]): void {
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    list(c?.ports).forEach((port, pi) => {
      const hostPort = typeof port?.hostPort === 'number' ? port.hostPort : 0;
      if (hostPort === 0) return;
      const key = `${str(port.protocol)}/${str(port.hostIP)}/${hostPort}`;
      if (seen.has(key)) out.push({ type: 'FieldValueDuplicate', field: `${p}[${ci}].ports[${pi}].hostPort`, value: key, detail: '' });
      else seen.add(key);
    });
  });
}

function validateEnv(vars: any[], p: string, out: FieldError[]): void {
  vars.forEach((raw, i) => {
    const ev: Json = raw ?? {};
    const ep = `${p}[${i}]`;
    const name = str(ev.name);
    if (name.length === 0) out.push(fieldRequired(`${ep}.name`));
    else for (const msg of isRelaxedEnvVarName(name)) out.push(fieldInvalid(`${ep}.name`, name, msg));
    validateEnvVarValueFrom(ev, `${ep}.valueFrom`, out);
  });
}

function validateEnvVarValueFrom(ev: Json, p: string, out: FieldError[]): void {
  const from = ev.valueFrom;
  if (!isSet(from)) return;
  let sources = 0;
  if (isSet(from.fieldRef)) {
    sources++;
    validateObjectFieldSelector(from.fieldRef, `${p}.fieldRef`, out);
  }
  if (isSet(from.resourceFieldRef)) {
    sources++;
    validateContainerResourceFieldSelector(from.resourceFieldRef, `${p}.resourceFieldRef`, false, out);
  }
  if (isSet(from.configMapKeyRef)) {
    sources++;
    validateKeySelector(from.configMapKeyRef, `${p}.configMapKeyRef`, out);
  }
  if (isSet(from.secretKeyRef)) {
    sources++;
    validateKeySelector(from.secretKeyRef, `${p}.secretKeyRef`, out);
  }
  if (isSet(from.fileKeyRef)) sources++;
  if (sources === 0)
    out.push(fieldInvalid(p, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (str(ev.value).length !== 0) out.push(fieldInvalid(p, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) out.push(fieldInvalid(p, '', 'may not have more than one field specified at a time'));
}

/** validateObjectFieldSelector; ConvertDownwardAPIFieldLabel first (pkg/apis/core/pods/helpers.go). */
function validateObjectFieldSelector(fs: Json, p: string, out: FieldError[], expressions: readonly string[] = ENV_FIELD_PATHS): void {
  const apiVersion = str(fs.apiVersion);
  if (!apiVersion) {
    out.push(fieldRequired(`${p}.apiVersion`));
    return;
  }
  let fieldPath = str(fs.fieldPath);
  if (!fieldPath) {
    out.push(fieldRequired(`${p}.fieldPath`));
    return;
  }
  const sub = SUBSCRIPTED_PATH.exec(fieldPath);
  let error = '';
  if (apiVersion !== 'v1') error = `unsupported pod version: ${apiVersion}`;
  else if (sub) {
    if (sub[1] !== 'metadata.annotations' && sub[1] !== 'metadata.labels') error = `field label does not support subscript: ${fieldPath}`;
  } else if (fieldPath === 'spec.host') fieldPath = 'spec.nodeName';
  else if (!DOWNWARD_CONVERTIBLE.has(fieldPath)) error = `field label not supported: ${fieldPath}`;
  if (error) {
    out.push(fieldInvalid(`${p}.fieldPath`, str(fs.fieldPath), `error converting fieldPath: ${error}`));
    return;
  }
  if (sub) {
    const [, path, subscript] = sub;
    if (path === 'metadata.annotations')
      for (const msg of isQualifiedName(subscript.toLowerCase())) out.push(fieldInvalid(p, subscript.toLowerCase(), msg));
    else for (const msg of isQualifiedName(subscript)) out.push(fieldInvalid(p, subscript, msg));
  } else if (!expressions.includes(fieldPath)) {
    out.push(fieldNotSupported(`${p}.fieldPath`, fieldPath, expressions));
  }
}

function validateContainerResourceFieldSelector(fs: Json, p: string, volume: boolean, out: FieldError[]): void {
  const resource = str(fs.resource);
  if (volume && !str(fs.containerName)) out.push(fieldRequired(`${p}.containerName`));
  else if (!resource) out.push(fieldRequired(`${p}.resource`));
  else if (
    !(ENV_RESOURCE_FIELDS as readonly string[]).includes(resource) &&
    !resource.startsWith('limits.hugepages-') &&
    !resource.startsWith('requests.hugepages-')
  ) {
    out.push(fieldNotSupported(`${p}.resource`, resource, ENV_RESOURCE_FIELDS));
  }
}

function validateKeySelector(s: Json, p: string, out: FieldError[]): void {
  dns1123Subdomain(str(s.name), `${p}.name`, out);
  const key = str(s.key);
  if (!key) out.push(fieldRequired(`${p}.key`));
  else for (const msg of isConfigMapKey(key)) out.push(fieldInvalid(`${p}.key`, key, msg));
}

function validateEnvFrom(vars: any[], p: string, out: FieldError[]): void {
  vars.forEach((raw, i) => {
    const ev: Json = raw ?? {};
    const ep = `${p}[${i}]`;
    const prefix = str(ev.prefix);
    if (prefix.length > 0) for (const msg of isRelaxedEnvVarName(prefix)) out.push(fieldInvalid(`${ep}.prefix`, prefix, msg));
    let sources = 0;
    for (const k of ['configMapRef', 'secretRef']) {
      if (!isSet(ev[k])) continue;
      sources++;
      const name = str(ev[k].name);
      if (!name) out.push(fieldRequired(`${ep}.${k}.name`));
      else dns1123Subdomain(name, `${ep}.${k}.name`, out);
    }
    // kube reports these two at the list, not the item.
    if (sources === 0) out.push(fieldInvalid(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) out.push(fieldInvalid(p, '', 'may not have more than one field specified at a time'));
  });
}

function validateVolumeMounts(mounts: any[], devices: any[], vols: ValidVolumes, p: string, out: FieldError[], container?: Json): void {
  if (mounts.length === 0) return;
  // GetVolumeDeviceMap: name → path, a later device of the same name replacing an earlier one.
  const deviceMap = new Map<string, string>(devices.map((d) => [str(d?.name), str(d?.devicePath)]));
  const deviceNames = new Set(deviceMap.keys());
  const devicePaths = new Set(deviceMap.values());
  const mountPoints = new Set<string>();
  mounts.forEach((raw, i) => {
    const m: Json = raw ?? {};
    const mp = `${p}[${i}]`;
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (!name) out.push(fieldRequired(`${mp}.name`));
    if (!vols.has(name)) out.push({ type: 'FieldValueNotFound', field: `${mp}.name`, value: name, detail: '' });
    if (!mountPath) out.push(fieldRequired(`${mp}.mountPath`));
    if (mountPoints.has(mountPath)) out.push(fieldInvalid(`${mp}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    if (deviceNames.has(name)) out.push(fieldInvalid(`${mp}.name`, name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath))
      out.push(fieldInvalid(`${mp}.mountPath`, mountPath, 'must not already exist as a path in volumeDevices'));
    // kube reports subPath problems at the list's path, not the item's.
    const subPath = str(m.subPath);
    if (subPath) validateLocalDescendingPath(subPath, `${p}.subPath`, out);
    const subPathExpr = str(m.subPathExpr);
    if (subPathExpr) {
      if (subPath) out.push(fieldInvalid(`${mp}.subPathExpr`, subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      validateLocalDescendingPath(subPathExpr, `${p}.subPathExpr`, out);
    }
    if (isSet(m.mountPropagation)) {
      if (!(MOUNT_PROPAGATIONS as readonly string[]).includes(m.mountPropagation)) {
        out.push(fieldNotSupported(`${p}.mountPropagation`, m.mountPropagation, MOUNT_PROPAGATIONS));
      }
      if (m.mountPropagation === 'Bidirectional' && container?.securityContext?.privileged !== true) {
        out.push(fieldForbidden(`${p}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    // validateMountRecursiveReadOnly
    if (isSet(m.recursiveReadOnly)) {
      const rro = m.recursiveReadOnly;
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (m.readOnly !== true) out.push(fieldForbidden(`${p}.recursiveReadOnly`, 'may only be specified when readOnly is true'));
        if (isSet(m.mountPropagation) && m.mountPropagation !== 'None') {
          out.push(fieldForbidden(`${p}.recursiveReadOnly`, 'may only be specified when mountPropagation is None or not specified'));
        }
      } else if (rro !== 'Disabled') out.push(fieldNotSupported(`${p}.recursiveReadOnly`, rro, ['Disabled', 'Enabled', 'IfPossible']));
    }
  });
}

function validateVolumeDevices(devices: any[], mounts: any[], vols: ValidVolumes, p: string, out: FieldError[]): void {
  if (devices.length === 0) return;
  const mountMap = new Map<string, string>(mounts.map((m) => [str(m?.name), str(m?.mountPath)]));
  const mountNames = new Set(mountMap.keys());
  const mountPaths = new Set(mountMap.values());
  const paths = new Set<string>();
  const names = new Set<string>();
  devices.forEach((raw, i) => {
    const d: Json = raw ?? {};
    const dp = `${p}[${i}]`;
    const name = str(d.name);
    const devicePath = str(d.devicePath);
    const source = vols.get(name);
    if (!name) out.push(fieldRequired(`${dp}.name`));
    if (names.has(name)) out.push(fieldInvalid(`${dp}.name`, name, 'must be unique'));
    if (source && !isSet(source.persistentVolumeClaim) && !isSet(source.ephemeral)) {
      out.push(fieldInvalid(`${dp}.name`, name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!source) out.push({ type: 'FieldValueNotFound', field: `${dp}.name`, value: name, detail: '' });
    if (!devicePath) out.push(fieldRequired(`${dp}.devicePath`));
    if (paths.has(devicePath)) out.push(fieldInvalid(`${dp}.devicePath`, devicePath, 'must be unique'));
    if (devicePath && devicePath.replace(/\\/g, '/').split('/').includes('..')) {
      out.push(fieldInvalid(`${dp}.devicePath`, devicePath, "can not contain backsteps ('..')"));
    } else paths.add(devicePath);
    if (mountNames.has(name)) out.push(fieldInvalid(`${dp}.name`, name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devicePath))
      out.push(fieldInvalid(`${dp}.devicePath`, devicePath, 'must not already exist as a path in volumeMounts'));
    if (name) names.add(name);
  });
}

// ---- resources ---------------------------------------------------------------------------------------------

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePages(name);
}

// Resource names repeat across every container of every pod; their checks depend on the name alone.
const RESOURCE_NAME_CACHE_LIMIT = 1024;
const resourceNameMessages = new Map<string, readonly string[]>();

function validateContainerResourceName(name: string, p: string, out: FieldError[]): void {
  let msgs = resourceNameMessages.get(name);
  if (msgs === undefined) {
    msgs = containerResourceNameMessages(name);
    if (resourceNameMessages.size >= RESOURCE_NAME_CACHE_LIMIT) resourceNameMessages.clear();
    resourceNameMessages.set(name, msgs);
  }
  for (const msg of msgs) out.push(fieldInvalid(p, name, msg));
}

/** validateContainerResourceName's messages, in kube's order. */
export function containerResourceNameMessages(name: string): string[] {
  const out = isQualifiedName(name);
  if (out.length === 0 && !name.includes('/') && !STANDARD_RESOURCES.has(name) && !isHugePages(name)) {
    out.push('must be a standard resource type or fully qualified');
  }
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) out.push('must be a standard resource for containers');
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    out.push("doesn't follow extended resource name standard");
  }
  return out;
}

/** ValidateResourceQuantityValue: non-negative, and whole for integer resources. */
function validateQuantityValue(name: string, q: Quantity, p: string, out: FieldError[]): void {
  if (q.nano < 0n) out.push(fieldInvalid(p, formatQuantity(q), IS_NEGATIVE_ERROR_MSG));
  if (
    q.nano % NANO_PER_UNIT !== 0n &&
    (INTEGER_RESOURCES.has(name) || isExtendedResourceName(name)) &&
    quantityMilliValue(q) % 1000n !== 0n
  ) {
    out.push(fieldInvalid(p, formatQuantity(q), NOT_INTEGER_ERROR_MSG));
  }
}

/** validateResourceQuantityHugePageValue: a whole number of pages of the size the name gives. */
function hugePageValue(name: string, q: Quantity, p: string, out: FieldError[]): void {
  const pageSize = parseQuantity(name.slice('hugepages-'.length));
  const divisible =
    pageSize !== undefined &&
    pageSize.nano > 0n &&
    pageSize.nano % NANO_PER_UNIT === 0n &&
    quantityValue(q) % quantityValue(pageSize) === 0n;
  if (!divisible) out.push(fieldInvalid(p, formatQuantity(q), `${formatQuantity(q)} is not positive integer multiple of ${name}`));
}

/** validatePodResourceName: a valid resource name that pod-level resources support (cpu, memory, hugepages). */
function validatePodResourceName(name: string, p: string, out: FieldError[]): void {
  const msgs = isQualifiedName(name);
  if (msgs.length === 0 && !name.includes('/') && !STANDARD_RESOURCES.has(name) && !isHugePages(name)) {
    msgs.push('must be a standard resource type or fully qualified');
  }
  for (const msg of msgs) out.push(fieldInvalid(p, name, msg));
  if (msgs.length > 0) return;
  if (name !== 'cpu' && name !== 'memory' && !isHugePages(name)) out.push(fieldNotSupported(p, name, ['cpu', 'hugepages-', 'memory']));
}

/** validatePodResourceRequirements: the container rules with pod-level resource names. */
function validatePodResourceRequirements(resources: Json, p: string, out: FieldError[]): void {
  validateResourceRequirements(resources, p, out, validatePodResourceName);
}

/** validatePodResourceConsistency: pod-level requests cover the containers' aggregate, no container exceeds the pod's limits. */
function validatePodResourceConsistency(spec: Json, p: string, out: FieldError[]): void {
  const podReqs = resourceQuantities(spec, 'requests');
  const podLims = resourceQuantities(spec, 'limits');
  for (const [n, ctr] of aggregateContainerResources(spec, 'requests')) {
    const pod = podReqs.get(n);
    if (pod && compareQuantity(ctr, pod) > 0) {
      out.push(
        fieldInvalid(
          `${p}.requests[${n}]`,
          formatQuantity(pod),
          `must be greater than or equal to aggregate container requests of ${formatQuantity(ctr)}`,
        ),
      );
    }
  }
  for (const [n, ctr] of aggregateContainerResources(spec, 'limits')) {
    const pod = podLims.get(n);
    if (isHugePages(n) && pod && compareQuantity(ctr, pod) > 0) {
      out.push(
        fieldInvalid(
          `${p}.limits[${n}]`,
          formatQuantity(pod),
          `must be greater than or equal to aggregate container limits of ${formatQuantity(ctr)}`,
        ),
      );
    }
  }
  list(spec.containers).forEach((c, i) => {
    for (const [n, lim] of resourceQuantities(c, 'limits')) {
      const pod = podLims.get(n);
      if (pod && compareQuantity(lim, pod) > 0) {
        out.push(
          fieldInvalid(
            `${p}.containers[${i}][${n}].limits`,
            formatQuantity(lim),
            `must be less than or equal to pod limits of ${formatQuantity(pod)}`,
          ),
        );
      }
    }
  });
}

/** validateResourceRequirements: names, quantities, requests ≤ limits, hugepages need cpu or memory. */
export function validateResourceRequirements(
  resources: Json | undefined,
  p: string,
  out: FieldError[],
  validateName: (name: string, p: string, out: FieldError[]) => void = validateContainerResourceName,
): void {
  if (!resources) return;
  const limPath = `${p}.limits`;
  const reqPath = `${p}.requests`;
  const limits: Json = resources.limits ?? {};
  const requests: Json = resources.requests ?? {};
  const parsedLimits = new Map<string, Quantity>();
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, raw] of Object.entries(limits)) {
    const fp = `${limPath}[${name}]`;
    validateName(name, fp, out);
    const q = parseQuantity(raw);
    if (!q) continue;
    parsedLimits.set(name, q);
    validateQuantityValue(name, q, fp, out);
    if (isHugePages(name)) {
      hugePages = true;
      hugePageValue(name, q, fp, out);
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const [name, raw] of Object.entries(requests)) {
    const fp = `${reqPath}[${name}]`;
    validateName(name, fp, out);
    const q = parseQuantity(raw);
    if (!q) continue;
    validateQuantityValue(name, q, fp, out);
    const limit = parsedLimits.get(name);
    if (limit) {
      const cmp = compareQuantity(q, limit);
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        out.push(fieldInvalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      } else if (cmp > 0) {
        out.push(fieldInvalid(reqPath, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      out.push(fieldRequired(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePages(name)) {
      hugePages = true;
      hugePageValue(name, q, fp, out);
    }
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (!cpuOrMemory && hugePages) out.push(fieldForbidden(p, 'HugePages require cpu or memory'));
}

// ---- probes and lifecycle ----------------------------------------------------------------------------------

function validatePortNumOrName(port: unknown, p: string, out: FieldError[]): void {
  if (typeof port === 'number') for (const msg of isValidPortNum(port)) out.push(fieldInvalid(p, port, msg));
  else for (const msg of isValidPortName(str(port))) out.push(fieldInvalid(p, str(port), msg));
}

function validateHandler(h: Json, gracePeriod: number | undefined, p: string, lifecycle: boolean, out: FieldError[]): void {
  let handlers = 0;
  const kinds = lifecycle ? ['exec', 'httpGet', 'tcpSocket', 'sleep'] : ['exec', 'httpGet', 'tcpSocket', 'grpc'];
  for (const kind of kinds) {
    const a = h[kind];
    if (!isSet(a)) continue;
    if (handlers > 0) {
      out.push(fieldForbidden(`${p}.${kind}`, MAX_HANDLERS_MSG));
      continue;
    }
    handlers++;
    const ap = `${p}.${kind}`;
    switch (kind) {
      case 'exec':
        if (list(a.command).length === 0) out.push(fieldRequired(`${ap}.command`));
        break;
      case 'httpGet':
        if (!str(a.path)) out.push(fieldRequired(`${ap}.path`));
        validatePortNumOrName(a.port, `${ap}.port`, out);
        if (!(HTTP_SCHEMES as readonly string[]).includes(str(a.scheme)))
          out.push(fieldNotSupported(`${ap}.scheme`, str(a.scheme), HTTP_SCHEMES));
        for (const header of list(a.httpHeaders)) {
          const hn = str(header?.name);
          if (!HTTP_HEADER_NAME.test(hn)) {
            out.push(
              fieldInvalid(
                `${ap}.httpHeaders`,
                hn,
                "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
              ),
            );
          }
        }
        break;
      case 'tcpSocket':
        validatePortNumOrName(a.port, `${ap}.port`, out);
        break;
      case 'grpc':
        validatePortNumOrName(typeof a.port === 'number' ? a.port : 0, `${ap}.port`, out);
        break;
      case 'sleep': {
        const seconds = typeof a.seconds === 'number' ? a.seconds : 0;
        if (gracePeriod !== undefined && (seconds < 0 || seconds > gracePeriod)) {
          out.push(fieldInvalid(ap, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
        }
        break;
      }
    }
  }
  if (handlers === 0) out.push(fieldRequired(p, 'must specify a handler type'));
}

function validateLifecycle(lc: Json, gracePeriod: number | undefined, p: string, out: FieldError[]): void {
  if (isSet(lc.postStart)) validateHandler(lc.postStart, gracePeriod, `${p}.postStart`, true, out);
  if (isSet(lc.preStop)) validateHandler(lc.preStop, gracePeriod, `${p}.preStop`, true, out);
}

function validateProbe(
  probe: Json | undefined,
  gracePeriod: number | undefined,
  p: string,
  kind: 'liveness' | 'readiness' | 'startup',
  out: FieldError[],
): void {
  if (!isSet(probe)) return;
  const pr = probe as Json;
  validateHandler(pr, gracePeriod, p, false, out);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    nonNegative(pr[k], `${p}.${k}`, out);
  if (typeof pr.terminationGracePeriodSeconds === 'number' && pr.terminationGracePeriodSeconds <= 0) {
    out.push(fieldInvalid(`${p}.terminationGracePeriodSeconds`, pr.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind === 'readiness') {
    if (isSet(pr.terminationGracePeriodSeconds)) {
      out.push(fieldInvalid(`${p}.terminationGracePeriodSeconds`, pr.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
    }
  } else if ((pr.successThreshold ?? 0) !== 1) {
    out.push(fieldInvalid(`${p}.successThreshold`, pr.successThreshold ?? 0, 'must be 1'));
  }
}

// ---- security context --------------------------------------------------------------------------------------

/** IsValidUserID / IsValidGroupID: 0..2^31-1. */
function validId(value: unknown, path: string, out: FieldError[]): void {
  if (typeof value === 'number' && (value < 0 || value > INT32_MAX)) out.push(fieldInvalid(path, value, inclusiveRangeError(0, INT32_MAX)));
}

/** A value that must be one of `supported` (the empty string included in what is refused). */
function oneOf(value: unknown, path: string, supported: readonly string[], out: FieldError[]): void {
  if (!supported.includes(str(value))) out.push(fieldNotSupported(path, value, supported));
}

/** validatePodSpecSecurityContext. */
function validatePodSecurityContext(spec: Json, p: string, out: FieldError[]): void {
  const sc: Json = spec.securityContext ?? {};
  validId(sc.fsGroup, `${p}.fsGroup`, out);
  validId(sc.runAsUser, `${p}.runAsUser`, out);
  validId(sc.runAsGroup, `${p}.runAsGroup`, out);
  list(sc.supplementalGroups).forEach((g, i) => validId(g, `${p}.supplementalGroups[${i}]`, out));
  // v1 keeps hostPID/hostNetwork/hostIPC on the spec; defaults/podspec.ts leaves them there, kube reads them here.
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    out.push(fieldInvalid(`${p}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  if (list(sc.sysctls).length > 0) validateSysctls(sc, spec, `${p}.sysctls`, out);
  // These two answer NotSupported even for "" (sets.Has), unlike enumValue's Required.
  if (isSet(sc.fsGroupChangePolicy)) oneOf(sc.fsGroupChangePolicy, `${p}.fsGroupChangePolicy`, FS_GROUP_CHANGE_POLICIES, out);
  validateSeccompProfileField(sc.seccompProfile, `${p}.seccompProfile`, out);
  validateWindowsSecurityContextOptions(sc.windowsOptions, `${p}.windowsOptions`, out);
  validateAppArmorProfileField(sc.appArmorProfile, `${p}.appArmorProfile`, out);
  if (isSet(sc.supplementalGroupsPolicy)) {
    oneOf(sc.supplementalGroupsPolicy, `${p}.supplementalGroupsPolicy`, SUPPLEMENTAL_GROUPS_POLICIES, out);
  }
  if (isSet(sc.seLinuxChangePolicy)) {
    enumValue(sc.seLinuxChangePolicy, `${p}.seLinuxChangePolicy`, SELINUX_CHANGE_POLICIES, out);
  }
}

// k8s.io/component-helpers/node/util/sysctl: the sysctls that live in the pod's IPC or network namespace.
const IPC_SYSCTLS = new Set([
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
  'kernel.shm',
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.msg',
]);

/** sysctl.NormalizeName: a slash-separated name (`net/ipv4/conf/eno2.100/rp_filter`) has its `.` and `/` swapped. */
function normalizeSysctlName(name: string): string {
  const first = name.search(/[./]/);
  if (first === -1 || name[first] === '.') return name;
  return name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** sysctl.GetNamespace. */
function sysctlNamespace(name: string): 'net' | 'ipc' | '' {
  let n = normalizeSysctlName(name);
  const star = n.indexOf('*');
  if (star !== -1) n = n.slice(0, star);
  if (IPC_SYSCTLS.has(n)) return 'ipc';
  if (n.startsWith('net.')) return 'net';
  if (n.startsWith('fs.mqueue.')) return 'ipc';
  return '';
}

/** validateSysctls: names well formed and unique, none of the host's namespaces. */
function validateSysctls(sc: Json, spec: Json, p: string, out: FieldError[]): void {
  const names = new Set<string>();
  list(sc.sysctls).forEach((s, i) => {
    const name = str(s?.name);
    const np = `${p}[${i}].name`;
    if (name.length === 0) out.push(fieldRequired(np));
    else if (name.length > 253 || !SYSCTL_RE.test(name)) {
      out.push(fieldInvalid(np, name, `must have at most 253 characters and match regex ${SYSCTL_PATTERN}`));
    } else if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: np, value: name, detail: '' });
    const ns = sysctlNamespace(name);
    if (spec.hostNetwork === true && ns === 'net') out.push(fieldInvalid(np, name, "may not be specified when 'hostNetwork' is true"));
    else if (spec.hostIPC === true && ns === 'ipc') out.push(fieldInvalid(np, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
}

/** validateSeccompProfileField. */
function validateSeccompProfileField(sp: Json | undefined, p: string, out: FieldError[]): void {
  if (!isSet(sp)) return;
  const type = str(sp!.type);
  if (type === '') out.push(fieldRequired(`${p}.type`, 'type is required when seccompProfile is set'));
  else if (!(SECCOMP_TYPES as readonly string[]).includes(type)) out.push(fieldNotSupported(`${p}.type`, type, SECCOMP_TYPES));
  if (type === 'Localhost') {
    if (!isSet(sp!.localhostProfile)) out.push(fieldRequired(`${p}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else validateLocalDescendingPath(str(sp!.localhostProfile), `${p}.localhostProfile`, out);
  } else if (isSet(sp!.localhostProfile)) {
    out.push(fieldInvalid(`${p}.localhostProfile`, goSeccompProfile(sp!), 'can only be set when seccomp type is Localhost'));
  }
}

/** A *core.SeccompProfile as Go's %v-style rendering of the internal struct shows it in a message. */
function goSeccompProfile(sp: Json): Record<string, unknown> {
  return { Type: str(sp.type), LocalhostProfile: sp.localhostProfile ?? null };
}

/** ValidateAppArmorProfileField. */
function validateAppArmorProfileField(profile: Json | undefined, p: string, out: FieldError[]): void {
  if (!isSet(profile)) return;
  const type = str(profile!.type);
  const lp = profile!.localhostProfile;
  switch (type) {
    case 'Localhost':
      if (!isSet(lp)) out.push(fieldRequired(`${p}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
      else {
        const v = str(lp);
        if (v.trim() !== v) out.push(fieldInvalid(`${p}.localhostProfile`, v, 'must not be padded with whitespace'));
        else if (v === '') out.push(fieldRequired(`${p}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
        if (Buffer.byteLength(v) > 4095) out.push(fieldTooLong(`${p}.localhostProfile`, 4095));
      }
      break;
    case 'RuntimeDefault':
    case 'Unconfined':
      if (isSet(lp)) out.push(fieldInvalid(`${p}.localhostProfile`, lp, 'can only be set when AppArmor type is Localhost'));
      break;
    case '':
      out.push(fieldRequired(`${p}.type`, 'type is required when appArmorProfile is set'));
      break;
    default:
      out.push(fieldNotSupported(`${p}.type`, type, APPARMOR_TYPES));
  }
}

// The runAsUserName rules (validateWindowsSecurityContextOptions).
const CTRL_RE = /[\x00-\x1f\x7f]/;
const NETBIOS_RE = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/;
const WINDOWS_DNS_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
const WINDOWS_DOMAIN_DNS_RE = new RegExp(`^${WINDOWS_DNS_LABEL}(?:\\.${WINDOWS_DNS_LABEL})*$`);
const INVALID_USER_CHARS_RE = /["/\\:;|=,+*?<>@[\]]/;
const DOTS_SPACES_RE = /^[. ]+$/;

/** validateWindowsSecurityContextOptions. */
function validateWindowsSecurityContextOptions(wo: Json | undefined, p: string, out: FieldError[]): void {
  if (!isSet(wo)) return;
  if (isSet(wo!.gmsaCredentialSpecName)) {
    for (const msg of isDNS1123Subdomain(str(wo!.gmsaCredentialSpecName)))
      out.push(fieldInvalid(`${p}.gmsaCredentialSpecName`, wo!.gmsaCredentialSpecName, msg));
  }
  if (isSet(wo!.gmsaCredentialSpec)) {
    const l = Buffer.byteLength(str(wo!.gmsaCredentialSpec));
    if (l === 0) out.push(fieldInvalid(`${p}.gmsaCredentialSpec`, wo!.gmsaCredentialSpec, 'gmsaCredentialSpec cannot be an empty string'));
    else if (l > 64 * 1024)
      out.push(fieldInvalid(`${p}.gmsaCredentialSpec`, wo!.gmsaCredentialSpec, 'gmsaCredentialSpec size must be under 64 KiB'));
  }
  if (!isSet(wo!.runAsUserName)) return;
  const name = str(wo!.runAsUserName);
  const up = `${p}.runAsUserName`;
  const bad = (msg: string) => out.push(fieldInvalid(up, name, msg));
  const parts = name.split('\\');
  if (name.length === 0) bad('runAsUserName cannot be an empty string');
  else if (CTRL_RE.test(name)) bad('runAsUserName cannot contain control characters');
  else if (parts.length > 2) bad('runAsUserName cannot contain more than one backslash');
  else {
    const hasDomain = parts.length === 2;
    const domain = hasDomain ? parts[0]! : '';
    const user = hasDomain ? parts[1]! : parts[0]!;
    if (Buffer.byteLength(domain) >= 256) bad("runAsUserName's Domain length must be under 256 characters");
    if (hasDomain && !(NETBIOS_RE.test(domain) || WINDOWS_DOMAIN_DNS_RE.test(domain))) {
      bad("runAsUserName's Domain doesn't match the NetBios nor the DNS format");
    }
    const userLen = Buffer.byteLength(user);
    if (userLen === 0) bad("runAsUserName's User cannot be empty");
    else if (userLen > 104) bad("runAsUserName's User length must not be longer than 104 characters");
    if (DOTS_SPACES_RE.test(user)) bad("runAsUserName's User cannot contain only periods or spaces");
    if (INVALID_USER_CHARS_RE.test(user)) bad('runAsUserName\'s User cannot contain the following characters: "/\\:;|=,+*?<>@[]');
  }
}

/**
 * validateWindowsHostProcessPod: hostProcess is all or nothing and needs hostNetwork. (kube-apiserver's default
 * --allow-privileged=false also refuses every hostProcess pod; kgate allows privileged pods, as for `privileged`.)
 */
function validateWindowsHostProcessPod(spec: Json, p: string, out: FieldError[]): void {
  const podHostProcess = spec.securityContext?.windowsOptions?.hostProcess;
  let containers = 0;
  let hostProcess = 0;
  visitContainers(spec, p, (c, cp) => {
    containers++;
    const ctrHostProcess = c.securityContext?.windowsOptions?.hostProcess;
    if (isSet(podHostProcess) && isSet(ctrHostProcess) && podHostProcess !== ctrHostProcess) {
      out.push(
        fieldInvalid(
          `${cp}.securityContext.windowsOptions.hostProcess`,
          ctrHostProcess,
          `pod hostProcess value must be identical if both are specified, was ${String(podHostProcess)}`,
        ),
      );
    }
    if (ctrHostProcess === true || (!isSet(ctrHostProcess) && podHostProcess === true)) hostProcess++;
  });
  if (hostProcess === 0) return;
  if (hostProcess !== containers) {
    out.push(fieldInvalid(p, '', 'If pod contains any hostProcess containers then all containers must be HostProcess containers'));
  }
  if (spec.hostNetwork !== true) {
    out.push(fieldInvalid(`${p}.hostNetwork`, false, 'hostNetwork must be true if pod contains any hostProcess containers'));
  }
}

/**
 * ValidateSecurityContext. `privileged: true` is accepted: kgate behaves as a cluster started with
 * --allow-privileged=true (kube-apiserver's own default is false, which answers `disallowed by cluster policy`).
 */
function validateSecurityContext(sc: Json | undefined, p: string, hostUsers: boolean, out: FieldError[]): void {
  if (!sc) return;
  validId(sc.runAsUser, `${p}.runAsUser`, out);
  validId(sc.runAsGroup, `${p}.runAsGroup`, out);
  if (isSet(sc.procMount)) {
    enumValue(sc.procMount, `${p}.procMount`, PROC_MOUNT_TYPES, out);
    if (hostUsers && sc.procMount === 'Unmasked') {
      out.push(fieldInvalid(`${p}.procMount`, sc.procMount, '`hostUsers` must be false to use `Unmasked`'));
    }
  }
  validateSeccompProfileField(sc.seccompProfile, `${p}.seccompProfile`, out);
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) {
      out.push(fieldInvalid(p, internalSecurityContext(sc), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    }
    for (const cap of list(sc.capabilities?.add)) {
      if (cap === 'CAP_SYS_ADMIN') {
        out.push(
          fieldInvalid(
            p,
            internalSecurityContext(sc),
            'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
          ),
        );
      }
    }
  }
  validateWindowsSecurityContextOptions(sc.windowsOptions, `${p}.windowsOptions`, out);
  validateAppArmorProfileField(sc.appArmorProfile, `${p}.appArmorProfile`, out);
}

/** core.SecurityContext as Go's JSON encoding of the internal (untagged) struct shows it in a message. */
function internalSecurityContext(sc: Json): Record<string, unknown> {
  return goInternal('SecurityContext', sc);
}

// ---- scheduling --------------------------------------------------------------------------------------------

/** ValidateTolerations. */
export function validateTolerations(tolerations: any[], p: string, out: FieldError[]): void {
  tolerations.forEach((raw, i) => {
    const t: Json = raw ?? {};
    const tp = `${p}[${i}]`;
    const key = str(t.key);
    const operator = str(t.operator);
    const value = str(t.value);
    const effect = str(t.effect);
    if (key) for (const msg of isQualifiedName(key)) out.push(fieldInvalid(`${tp}.key`, key, msg));
    if (!key && operator !== 'Exists') {
      out.push(
        fieldInvalid(
          `${tp}.operator`,
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (isSet(t.tolerationSeconds) && effect !== 'NoExecute') {
      out.push(fieldInvalid(`${tp}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (operator) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value);
        if (msgs.length > 0) out.push(fieldInvalid(`${tp}.operator`, value, msgs.join(';')));
        break;
      }
      case 'Exists':
        if (value) out.push(fieldInvalid(`${tp}.operator`, value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        out.push(fieldNotSupported(`${tp}.operator`, operator, TOLERATION_OPERATORS));
    }
    if (effect && !(TAINT_EFFECTS as readonly string[]).includes(effect))
      out.push(fieldNotSupported(`${tp}.effect`, effect, TAINT_EFFECTS));
  });
}

/** ValidateNodeSelectorRequirement; label values are checked unless the caller allows invalid ones. */
export function validateNodeSelectorRequirement(req: Json, checkValues: boolean, p: string, out: FieldError[]): void {
  const values = list(req.values);
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) out.push(fieldRequired(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) out.push(fieldForbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) out.push(fieldRequired(`${p}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      out.push(fieldInvalid(`${p}.operator`, req.operator ?? '', 'not a valid selector operator'));
  }
  for (const msg of isQualifiedName(str(req.key))) out.push(fieldInvalid(`${p}.key`, str(req.key), msg));
  if (checkValues) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(str(v))) out.push(fieldInvalid(`${p}.values[${i}]`, str(v), msg));
    });
  }
}

/** ValidateNodeFieldSelectorRequirement: only metadata.name, with exactly one value for In/NotIn. */
function validateNodeFieldSelectorRequirement(req: Json, p: string, out: FieldError[]): void {
  const values = list(req.values);
  if (req.operator === 'In' || req.operator === 'NotIn') {
    if (values.length !== 1) {
      out.push(fieldRequired(`${p}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    }
  } else out.push(fieldInvalid(`${p}.operator`, req.operator ?? '', 'not a valid selector operator'));
  if (req.key !== 'metadata.name') out.push(fieldInvalid(`${p}.key`, str(req.key), 'not a valid field selector key'));
  else values.forEach((v, i) => dns1123Subdomain(str(v), `${p}.values[${i}]`, out));
}

function validateNodeSelectorTerm(term: Json, checkValues: boolean, p: string, out: FieldError[]): void {
  list(term?.matchExpressions).forEach((r, j) => validateNodeSelectorRequirement(r ?? {}, checkValues, `${p}.matchExpressions[${j}]`, out));
  list(term?.matchFields).forEach((r, j) => validateNodeFieldSelectorRequirement(r ?? {}, `${p}.matchFields[${j}]`, out));
}

/** validateLabelKeys: matchLabelKeys/mismatchLabelKeys need a labelSelector and must be label names. */
function validateLabelKeys(keys: any[], selector: unknown, p: string, out: FieldError[]): void {
  if (keys.length === 0) return;
  if (!isSet(selector)) {
    out.push(fieldForbidden(p, 'must not be specified when labelSelector is not set'));
    return;
  }
  keys.forEach((k, i) => {
    for (const msg of isQualifiedName(str(k))) out.push(fieldInvalid(`${p}[${i}]`, str(k), msg));
  });
}

/** ValidateMatchLabelKeysAndMismatchLabelKeys. */
function validateMatchLabelKeysAndMismatchLabelKeys(
  p: string,
  matchKeys: any[],
  mismatchKeys: any[],
  selector: Json | undefined,
  out: FieldError[],
): void {
  validateLabelKeys(matchKeys, selector, `${p}.matchLabelKeys`, out);
  validateLabelKeys(mismatchKeys, selector, `${p}.mismatchLabelKeys`, out);
  if (isSet(selector)) {
    const index = new Map<string, number>();
    matchKeys.forEach((k, i) => index.set(str(k), i));
    const seen = new Set<string>(Object.keys(selector!.matchLabels ?? {}));
    for (const e of list(selector!.matchExpressions)) {
      const key = str(e?.key);
      const i = index.get(key);
      // kube indexes the term's own path here (fldPath.Index(i)), not matchLabelKeys.
      if (i !== undefined && seen.has(key)) out.push(fieldInvalid(`${p}[${i}]`, key, 'exists in both matchLabelKeys and labelSelector'));
      seen.add(key);
    }
  }
  const mismatch = new Set(mismatchKeys.map(str));
  matchKeys.forEach((k, i) => {
    if (mismatch.has(str(k)))
      out.push(fieldInvalid(`${p}.matchLabelKeys[${i}]`, str(k), 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
}

function validatePodAffinityTerm(term: Json, p: string, out: FieldError[]): void {
  out.push(...validateLabelSelector(term.labelSelector, `${p}.labelSelector`));
  out.push(...validateLabelSelector(term.namespaceSelector, `${p}.namespaceSelector`));
  list(term.namespaces).forEach((ns) => dns1123Label(str(ns), `${p}.namespace`, out));
  validateMatchLabelKeysAndMismatchLabelKeys(
    p,
    list(term.matchLabelKeys),
    list(term.mismatchLabelKeys),
    term.labelSelector ?? undefined,
    out,
  );
  const topologyKey = str(term.topologyKey);
  if (!topologyKey) out.push(fieldRequired(`${p}.topologyKey`, 'can not be empty'));
  for (const msg of isQualifiedName(topologyKey)) out.push(fieldInvalid(`${p}.topologyKey`, topologyKey, msg));
}

/** validateAffinity; `checkRequiredValues` is false when an update keeps an old pod's invalid label values. */
function validateAffinity(affinity: Json | undefined, p: string, out: FieldError[], checkRequiredValues = true): void {
  if (!affinity) return;
  const na = affinity.nodeAffinity;
  if (na) {
    const required = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (required) {
      const rp = `${p}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
      const terms = list(required.nodeSelectorTerms);
      if (terms.length === 0) out.push(fieldRequired(`${rp}.nodeSelectorTerms`, 'must have at least one node selector term'));
      terms.forEach((t, i) => validateNodeSelectorTerm(t, checkRequiredValues, `${rp}.nodeSelectorTerms[${i}]`, out));
    }
    list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((pref, i) => {
      const pp = `${p}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      const weight = pref?.weight ?? 0;
      if (weight <= 0 || weight > 100) out.push(fieldInvalid(`${pp}.weight`, weight, 'must be in the range 1-100'));
      validateNodeSelectorTerm(pref?.preference ?? {}, false, `${pp}.preference`, out);
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = affinity[kind];
    if (!pa) continue;
    list(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
      validatePodAffinityTerm(t ?? {}, `${p}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, out),
    );
    list(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((w, i) => {
      const wp = `${p}.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      const weight = w?.weight ?? 0;
      if (weight <= 0 || weight > 100) out.push(fieldInvalid(`${wp}.weight`, weight, 'must be in the range 1-100'));
      validatePodAffinityTerm(w?.podAffinityTerm ?? {}, `${wp}.podAffinityTerm`, out);
    });
  }
}

/** validateTopologySpreadConstraints (matchLabelKeys as on create with MatchLabelKeysInPodTopologySpreadSelectorMerge on). */
function validateTopologySpreadConstraints(constraints: any[], p: string, out: FieldError[]): void {
  constraints.forEach((raw, i) => {
    const c: Json = raw ?? {};
    const cp = `${p}[${i}]`;
    const maxSkew = typeof c.maxSkew === 'number' ? c.maxSkew : 0;
    if (maxSkew <= 0) out.push(fieldInvalid(`${cp}.maxSkew`, maxSkew, NOT_POSITIVE_ERROR_MSG));
    const key = str(c.topologyKey);
    if (!key) out.push(fieldRequired(`${cp}.topologyKey`, 'can not be empty'));
    const when = str(c.whenUnsatisfiable);
    if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') {
      out.push(fieldNotSupported(`${cp}.whenUnsatisfiable`, when, ['DoNotSchedule', 'ScheduleAnyway']));
    }
    // Only later constraints are compared, so the first of a pair is the one reported.
    for (let j = i + 1; j < constraints.length; j++) {
      if (str(constraints[j]?.topologyKey) === key && str(constraints[j]?.whenUnsatisfiable) === when) {
        out.push({ type: 'FieldValueDuplicate', field: `${cp}.{topologyKey, whenUnsatisfiable}`, value: `{${key}, ${when}}`, detail: '' });
        break;
      }
    }
    if (isSet(c.minDomains)) {
      if (c.minDomains <= 0) out.push(fieldInvalid(`${cp}.minDomains`, c.minDomains, NOT_POSITIVE_ERROR_MSG));
      if (when !== 'DoNotSchedule') {
        out.push(fieldInvalid(`${cp}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
      }
    }
    for (const k of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (isSet(c[k]) && c[k] !== 'Honor' && c[k] !== 'Ignore') out.push(fieldNotSupported(`${cp}.${k}`, c[k], ['Honor', 'Ignore']));
    }
    validateMatchLabelKeysAndMismatchLabelKeys(cp, list(c.matchLabelKeys), [], c.labelSelector ?? undefined, out);
    out.push(...validateLabelSelector(c.labelSelector, `${cp}.labelSelector`));
  });
}

/** validateHostUsers: a pod in a user namespace shares none of the host's namespaces and has no volume devices. */
function validateHostUsers(spec: Json, p: string, out: FieldError[]): void {
  if (spec.hostUsers !== false) return;
  const forbid = (path: string) => out.push(fieldForbidden(path, 'when `hostUsers` is false'));
  if (spec.hostNetwork === true) forbid(`${p}.hostNetwork`);
  // kube names these two with the internal field names.
  if (spec.hostPID === true) forbid(`${p}.HostPID`);
  if (spec.hostIPC === true) forbid(`${p}.HostIPC`);
  visitContainers(spec, p, (c, cp) => {
    if (list(c.volumeDevices).length > 0) forbid(`${cp}.volumeDevices`);
  });
}

// ---- volumes -----------------------------------------------------------------------------------------------

/** ValidateVolumes: returns the volumes that passed (kube's map), appending the errors of the others. */
function validateVolumes(volumes: any[], p: string, podName: string | undefined, out: FieldError[]): ValidVolumes {
  const valid: ValidVolumes = new Map();
  const names = new Set<string>();
  const createdPVCs = new Set<string>();
  if (podName) for (const v of volumes) if (isSet(v?.ephemeral)) createdPVCs.add(`${podName}-${str(v.name)}`);
  volumes.forEach((raw, i) => {
    const v: Json = raw ?? {};
    const vp = `${p}[${i}]`;
    const name = str(v.name);
    const el: FieldError[] = [];
    validateVolumeSource(v, vp, el, podName);
    if (!name) el.push(fieldRequired(`${vp}.name`));
    else dns1123Label(name, `${vp}.name`, el);
    if (names.has(name)) el.push({ type: 'FieldValueDuplicate', field: `${vp}.name`, value: name, detail: '' });
    if (el.length === 0) {
      names.add(name);
      valid.set(name, v);
    } else {
      out.push(...el);
    }
    const claim = str(v.persistentVolumeClaim?.claimName);
    if (isSet(v.persistentVolumeClaim) && createdPVCs.has(claim)) {
      out.push(
        fieldInvalid(`${vp}.persistentVolumeClaim.claimName`, claim, 'must not reference a PVC that gets created for an ephemeral volume'),
      );
    }
  });
  return valid;
}

// The path kube's "more than 1 volume type" error names for each source (two differ from the JSON names).
const VOLUME_SOURCE_FORBIDDEN_PATH: Readonly<Record<string, string>> = { cephfs: 'cephFS', downwardAPI: 'downwarAPI' };
const PD_PARTITION_ERROR_MSG = inclusiveRangeError(1, 255);
const ISCSI_IQN_RE = /iqn\.\d{4}-\d{2}\.([A-Za-z0-9\-.]+)(:[^,;*&$|\s]+)$/;
const ISCSI_EUI_RE = /^eui.[A-Za-z0-9]{16}$/;
const ISCSI_NAA_RE = /^naa.[A-Za-z0-9]{32}$/;
const AZURE_CACHING_MODES = ['None', 'ReadOnly', 'ReadWrite'] as const;
const AZURE_DISK_KINDS = ['Dedicated', 'Managed', 'Shared'] as const;

/** The iSCSI name checks (IQN and initiator): a known prefix, then that prefix's format. */
function iscsiNameErrors(name: string): string | undefined {
  if (!name.startsWith('iqn') && !name.startsWith('eui') && !name.startsWith('naa'))
    return 'must be valid format starting with iqn, eui, or naa';
  if (name.startsWith('iqn') && !ISCSI_IQN_RE.test(name)) return 'must be valid format';
  if (name.startsWith('eui') && !ISCSI_EUI_RE.test(name)) return 'must be valid format';
  if (name.startsWith('naa') && !ISCSI_NAA_RE.test(name)) return 'must be valid format';
  return undefined;
}

/** validateVolumeSource: the first source present is validated, each further one is forbidden. */
function validateVolumeSource(v: Json, p: string, out: FieldError[], podName?: string): void {
  let count = 0;
  const volName = str(v.name);
  for (const kind of VOLUME_SOURCES) {
    const src = v[kind];
    if (!isSet(src)) continue;
    if (count > 0) {
      out.push(fieldForbidden(`${p}.${VOLUME_SOURCE_FORBIDDEN_PATH[kind] ?? kind}`, MAX_VOLUME_TYPES_MSG));
      continue;
    }
    count++;
    const sp = `${p}.${kind}`;
    const required = (k: string, path = `${sp}.${k}`) => {
      if (!str(src[k])) out.push(fieldRequired(path));
    };
    switch (kind) {
      case 'emptyDir': {
        const q = isSet(src.sizeLimit) ? parseQuantity(src.sizeLimit) : undefined;
        if (q && q.nano < 0n) out.push(fieldForbidden(`${sp}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
        break;
      }
      case 'hostPath':
        if (!str(src.path)) {
          out.push(fieldRequired(`${sp}.path`));
          break;
        }
        validatePathNoBacksteps(src.path, `${sp}.path`, out);
        if (isSet(src.type) && !(HOST_PATH_TYPES as readonly string[]).includes(src.type)) {
          out.push(fieldNotSupported(`${sp}.type`, src.type, HOST_PATH_TYPES));
        }
        break;
      case 'gitRepo':
        required('repository');
        validateLocalDescendingPath(str(src.directory), `${sp}.directory`, out);
        break;
      case 'gcePersistentDisk':
      case 'awsElasticBlockStore': {
        // kube names the GCE source `persistentDisk` in these errors.
        const gp = kind === 'gcePersistentDisk' ? `${p}.persistentDisk` : sp;
        const idKey = kind === 'gcePersistentDisk' ? 'pdName' : 'volumeID';
        if (!str(src[idKey])) out.push(fieldRequired(`${gp}.${idKey}`));
        const partition = typeof src.partition === 'number' ? src.partition : 0;
        if (partition < 0 || partition > 255) out.push(fieldInvalid(`${gp}.partition`, partition, PD_PARTITION_ERROR_MSG));
        break;
      }
      case 'secret':
        required('secretName');
        validateFileModes(src, sp, out);
        break;
      case 'nfs':
        required('server');
        required('path');
        if (!str(src.path).startsWith('/')) out.push(fieldInvalid(`${sp}.path`, str(src.path), 'must be an absolute path'));
        break;
      case 'iscsi': {
        required('targetPortal');
        const iqn = str(src.iqn);
        if (!iqn) out.push(fieldRequired(`${sp}.iqn`));
        else {
          const msg = iscsiNameErrors(iqn);
          if (msg) out.push(fieldInvalid(`${sp}.iqn`, iqn, msg));
        }
        const lun = typeof src.lun === 'number' ? src.lun : 0;
        if (lun < 0 || lun > 255) out.push(fieldInvalid(`${sp}.lun`, lun, inclusiveRangeError(0, 255)));
        if ((src.chapAuthDiscovery === true || src.chapAuthSession === true) && !isSet(src.secretRef))
          out.push(fieldRequired(`${sp}.secretRef`));
        if (isSet(src.initiatorName)) {
          const initiator = str(src.initiatorName);
          const known = initiator.startsWith('iqn') || initiator.startsWith('eui') || initiator.startsWith('naa');
          if (!known) out.push(fieldInvalid(`${sp}.initiatorname`, initiator, 'must be valid format starting with iqn, eui, or naa'));
          else {
            const msg = iscsiNameErrors(initiator);
            if (msg) out.push(fieldInvalid(`${sp}.initiatorname`, initiator, msg));
          }
          if (`${volName}:${str(src.targetPortal)}`.length > 64) {
            out.push(
              fieldInvalid(
                `${p}.name`,
                volName,
                'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.',
              ),
            );
          }
        }
        break;
      }
      case 'glusterfs':
        required('endpoints');
        required('path');
        break;
      case 'flocker': {
        const name = str(src.datasetName);
        const uuid = str(src.datasetUUID);
        if (!name && !uuid) out.push(fieldRequired(sp, 'one of datasetName and datasetUUID is required'));
        if (name && uuid) out.push(fieldInvalid(sp, 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
        if (name.includes('/')) out.push(fieldInvalid(`${sp}.datasetName`, name, "must not contain '/'"));
        break;
      }
      case 'persistentVolumeClaim':
        required('claimName');
        break;
      case 'rbd':
        if (list(src.monitors).length === 0) out.push(fieldRequired(`${sp}.monitors`));
        required('image');
        break;
      case 'cinder':
        required('volumeID');
        if (isSet(src.secretRef) && !str(src.secretRef.name)) out.push(fieldRequired(`${sp}.secretRef.name`));
        break;
      case 'cephfs':
        if (list(src.monitors).length === 0) out.push(fieldRequired(`${sp}.monitors`));
        break;
      case 'quobyte': {
        const registry = str(src.registry);
        if (!registry) out.push(fieldRequired(`${sp}.registry`, 'must be a host:port pair or multiple pairs separated by commas'));
        else if (str(src.tenant).length >= 65) {
          out.push(fieldRequired(`${sp}.tenant`, 'must be a UUID and may not exceed a length of 64 characters'));
        } else {
          for (const pair of registry.split(',')) {
            if (!isHostPort(pair)) {
              out.push(fieldInvalid(`${sp}.registry`, registry, 'must be a host:port pair or multiple pairs separated by commas'));
            }
          }
        }
        required('volume');
        break;
      }
      case 'downwardAPI':
        validateDownwardAPIVolumeSource(src, sp, out);
        break;
      case 'fc': {
        const wwns = list(src.targetWWNs);
        const wwids = list(src.wwids);
        if (wwns.length < 1 && wwids.length < 1)
          out.push(fieldRequired(`${sp}.targetWWNs`, 'must specify either targetWWNs or wwids, but not both'));
        if (wwns.length !== 0 && wwids.length !== 0) {
          out.push(fieldInvalid(`${sp}.targetWWNs`, wwns, 'targetWWNs and wwids can not be specified simultaneously'));
        }
        if (wwns.length !== 0) {
          if (!isSet(src.lun)) out.push(fieldRequired(`${sp}.lun`, 'lun is required if targetWWNs is specified'));
          else if (src.lun < 0 || src.lun > 255) out.push(fieldInvalid(`${sp}.lun`, src.lun, inclusiveRangeError(0, 255)));
        }
        break;
      }
      case 'flexVolume':
        required('driver');
        for (const k of Object.keys(src.options ?? {})) {
          const slash = k.indexOf('/');
          const namespace = `.${(slash >= 0 ? k.slice(0, slash) : k).toLowerCase()}`;
          if (namespace.endsWith('.kubernetes.io') || namespace.endsWith('.k8s.io')) {
            out.push(fieldInvalid(`${sp}.options[${k}]`, k, 'kubernetes.io and k8s.io namespaces are reserved'));
          }
        }
        break;
      case 'configMap':
        required('name');
        validateFileModes(src, sp, out);
        break;
      case 'azureFile':
        required('secretName');
        required('shareName');
        break;
      case 'vsphereVolume':
        required('volumePath');
        break;
      case 'photonPersistentDisk':
        required('pdID');
        break;
      case 'portworxVolume':
        required('volumeID');
        break;
      case 'azureDisk': {
        required('diskName');
        const uri = str(src.diskURI);
        if (!uri) out.push(fieldRequired(`${sp}.diskURI`));
        if (isSet(src.cachingMode) && !(AZURE_CACHING_MODES as readonly string[]).includes(src.cachingMode)) {
          out.push(fieldNotSupported(`${sp}.cachingMode`, src.cachingMode, AZURE_CACHING_MODES));
        }
        if (isSet(src.kind) && !(AZURE_DISK_KINDS as readonly string[]).includes(src.kind)) {
          out.push(fieldNotSupported(`${sp}.kind`, src.kind, AZURE_DISK_KINDS));
        }
        if (isSet(src.kind) && src.kind === 'Managed' && !uri.startsWith('/subscriptions/')) {
          out.push(
            fieldNotSupported(`${sp}.diskURI`, uri, [
              '/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}',
            ]),
          );
        }
        if (isSet(src.kind) && src.kind !== 'Managed' && !uri.startsWith('https://')) {
          out.push(
            fieldNotSupported(`${sp}.diskURI`, uri, ['https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd']),
          );
        }
        break;
      }
      case 'storageos':
        if (!str(src.volumeName)) out.push(fieldRequired(`${sp}.volumeName`));
        else dns1123Label(src.volumeName, `${sp}.volumeName`, out);
        if (str(src.volumeNamespace)) dns1123Label(src.volumeNamespace, `${sp}.volumeNamespace`, out);
        if (isSet(src.secretRef) && !str(src.secretRef.name)) out.push(fieldRequired(`${sp}.secretRef.name`));
        break;
      case 'projected':
        validateProjectedVolumeSource(src, sp, out);
        break;
      case 'scaleIO':
        required('gateway');
        required('system');
        required('volumeName');
        break;
      case 'csi': {
        const driver = str(src.driver);
        if (!driver) out.push(fieldRequired(`${sp}.driver`));
        if (driver.length > 63) out.push(fieldTooLong(`${sp}.driver`, 63));
        dns1123SubdomainShowing(driver.toLowerCase(), driver, `${sp}.driver`, out);
        if (isSet(src.nodePublishSecretRef)) {
          const name = str(src.nodePublishSecretRef.name);
          if (!name) out.push(fieldRequired(`${sp}.nodePublishSecretRef.name`));
          else dns1123Subdomain(name, `${sp}.name`, out);
        }
        break;
      }
      case 'ephemeral': {
        if (!isSet(src.volumeClaimTemplate)) out.push(fieldRequired(`${sp}.volumeClaimTemplate`));
        else {
          // ValidatePersistentVolumeClaimTemplate: ValidateTemplateObjectMeta, then the claim spec.
          const tp = `${sp}.volumeClaimTemplate`;
          const meta: Json = src.volumeClaimTemplate.metadata ?? {};
          out.push(...validateAnnotations(meta.annotations, `${tp}.metadata.annotations`));
          out.push(...validateLabels(meta.labels, `${tp}.metadata.labels`));
          out.push(...validatePersistentVolumeClaimSpec(src.volumeClaimTemplate.spec ?? {}, `${tp}.spec`));
        }
        // The PVC this volume creates is named <pod>-<volume>; it must be a valid object name.
        if (podName && volName) {
          const pvcName = `${podName}-${volName}`;
          for (const msg of isDNS1123Subdomain(pvcName))
            out.push(fieldInvalid(`${p}.name`, volName, `PVC name ${JSON.stringify(pvcName)}: ${msg}`));
        }
        break;
      }
      case 'image':
        // opts.ResourceIsPod: a pod's image volume names its image; a template's may leave it to be filled in.
        if (podName !== undefined && !str(src.reference)) out.push(fieldRequired(`${sp}.reference`));
        enumValue(src.pullPolicy, `${sp}.pullPolicy`, PULL_POLICIES, out);
        break;
    }
  }
  if (count === 0) out.push(fieldRequired(p, 'must specify a volume type'));
}

/** net.SplitHostPort succeeds: host:port, with IPv6 hosts in brackets. */
function isHostPort(s: string): boolean {
  if (s.startsWith('[')) return /^\[[^\]]*\]:[^:]*$/.test(s);
  const i = s.lastIndexOf(':');
  return i >= 0 && !s.slice(0, i).includes(':');
}

function validateFileMode(mode: unknown, p: string, out: FieldError[]): void {
  if (typeof mode === 'number' && (mode > 0o777 || mode < 0)) out.push(fieldInvalid(p, mode, FILE_MODE_ERROR_MSG));
}

/** defaultMode and the items' key/path/mode, shared by secret and configMap volumes and projections. */
function validateFileModes(src: Json, p: string, out: FieldError[]): void {
  validateFileMode(src.defaultMode, `${p}.defaultMode`, out);
  list(src.items).forEach((kp, i) => validateKeyToPath(kp ?? {}, `${p}.items[${i}]`, out));
}

function validateKeyToPath(kp: Json, p: string, out: FieldError[]): void {
  if (!str(kp.key)) out.push(fieldRequired(`${p}.key`));
  if (!str(kp.path)) out.push(fieldRequired(`${p}.path`));
  validateLocalNonReservedPath(str(kp.path), `${p}.path`, out);
  validateFileMode(kp.mode, `${p}.mode`, out);
}

function validatePathNoBacksteps(target: string, p: string, out: FieldError[]): void {
  if (target.replace(/\\/g, '/').split('/').includes('..')) out.push(fieldInvalid(p, target, "must not contain '..'"));
}

function validateLocalDescendingPath(target: string, p: string, out: FieldError[]): void {
  if (target.startsWith('/')) out.push(fieldInvalid(p, target, 'must be a relative path'));
  validatePathNoBacksteps(target, p, out);
}

function validateLocalNonReservedPath(target: string, p: string, out: FieldError[]): void {
  validateLocalDescendingPath(target, p, out);
  if (target.startsWith('..') && !target.startsWith('../')) out.push(fieldInvalid(p, target, "must not start with '..'"));
}

const DOWNWARD_VOLUME_FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
] as const;

function validateDownwardAPIVolumeFile(file: Json, p: string, out: FieldError[]): void {
  if (!str(file.path)) out.push(fieldRequired(`${p}.path`));
  validateLocalNonReservedPath(str(file.path), `${p}.path`, out);
  if (isSet(file.fieldRef)) {
    validateObjectFieldSelector(file.fieldRef, `${p}.fieldRef`, out, DOWNWARD_VOLUME_FIELD_PATHS);
    if (isSet(file.resourceFieldRef))
      out.push(fieldInvalid(p, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (isSet(file.resourceFieldRef)) {
    validateContainerResourceFieldSelector(file.resourceFieldRef, `${p}.resourceFieldRef`, true, out);
  } else {
    out.push(fieldRequired(p, 'one of fieldRef and resourceFieldRef is required'));
  }
  validateFileMode(file.mode, `${p}.mode`, out);
}

function validateDownwardAPIVolumeSource(src: Json, p: string, out: FieldError[]): void {
  validateFileMode(src.defaultMode, `${p}.defaultMode`, out);
  for (const f of list(src.items)) validateDownwardAPIVolumeFile(f ?? {}, p, out);
}

/** validateProjectionSources, with kube's paths: duplicate paths and token paths are reported at the volume. */
function validateProjectedVolumeSource(src: Json, p: string, out: FieldError[]): void {
  validateFileMode(src.defaultMode, `${p}.defaultMode`, out);
  const allPaths = new Set<string>();
  // Every projected file must land on its own path; kube shows the source's name for secrets and configMaps.
  const addPath = (path: string, shown: string) => {
    if (path.length === 0) return;
    if (allPaths.has(path)) out.push(fieldInvalid(p, shown, 'conflicting duplicate paths'));
    else allPaths.add(path);
  };
  list(src.sources).forEach((raw, i) => {
    const source: Json = raw ?? {};
    const sp = `${p}.sources[${i}]`;
    let count = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = source[kind];
      if (!isSet(ref)) continue;
      count++;
      if (!str(ref.name)) out.push(fieldRequired(`${sp}.${kind}.name`));
      list(ref.items).forEach((kp, j) => {
        validateKeyToPath(kp ?? {}, `${sp}.${kind}.items[${j}]`, out);
        addPath(str(kp?.path), str(ref.name));
      });
    }
    if (isSet(source.downwardAPI)) {
      count++;
      for (const f of list(source.downwardAPI.items)) {
        validateDownwardAPIVolumeFile(f ?? {}, `${sp}.downwardAPI`, out);
        addPath(str(f?.path), str(f?.path));
      }
    }
    const token = source.serviceAccountToken;
    if (isSet(token)) {
      count++;
      const expiration = typeof token.expirationSeconds === 'number' ? token.expirationSeconds : 0;
      if (expiration < 600) {
        out.push(
          fieldInvalid(`${sp}.serviceAccountToken.expirationSeconds`, expiration, 'may not specify a duration less than 10 minutes'),
        );
      }
      if (expiration > 2 ** 32) {
        out.push(
          fieldInvalid(`${sp}.serviceAccountToken.expirationSeconds`, expiration, 'may not specify a duration larger than 2^32 seconds'),
        );
      }
      if (!str(token.path)) out.push(fieldRequired(`${p}.path`));
      else validateLocalNonReservedPath(token.path, `${p}.path`, out);
    }
    if (isSet(source.clusterTrustBundle)) count++;
    if (isSet(source.podCertificate)) count++;
    if (count > 1) out.push(fieldForbidden(sp, 'may not specify more than 1 volume type per source'));
  });
}

// ---- core kinds that embed a pod template ------------------------------------------------------------------

/** ValidateReplicationControllerSpec (after ObjectMeta). */
export function validateReplicationController(rc: KubeObject): FieldError[] {
  const spec: Json = rc.spec ?? {};
  const out: FieldError[] = [];
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', out);
  if (Object.keys(spec.selector ?? {}).length === 0) out.push(fieldRequired('spec.selector'));
  if (!isSet(spec.replicas)) out.push(fieldRequired('spec.replicas'));
  else nonNegative(spec.replicas, 'spec.replicas', out);
  const template = spec.template;
  if (!isSet(template)) {
    out.push(fieldRequired('spec.template'));
    return out;
  }
  const selector: Json = spec.selector ?? {};
  const labels: Json = template.metadata?.labels ?? {};
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    out.push(
      fieldInvalid('spec.template.metadata.labels', template.metadata?.labels ?? null, '`selector` does not match template `labels`'),
    );
  }
  out.push(...validatePodTemplateSpec(template, 'spec.template'));
  if (template.spec?.restartPolicy !== 'Always') {
    out.push(fieldNotSupported('spec.template.spec.restartPolicy', str(template.spec?.restartPolicy), ['Always']));
  }
  if (isSet(template.spec?.activeDeadlineSeconds)) {
    out.push(fieldForbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return out;
}

/** ValidatePodTemplate (after ObjectMeta): the template at `template`. */
export function validatePodTemplate(pt: KubeObject): FieldError[] {
  return validatePodTemplateSpec(pt.template, 'template');
}
