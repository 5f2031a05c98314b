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
} from '../../../apimachinery/validation.js';
import { STANDARD_CONTAINER_RESOURCES, STANDARD_RESOURCES } from './resources.js';

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
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'] as const;
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

function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
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
}

// ---- pod spec ----------------------------------------------------------------------------------------------

/** ValidatePodSpec; `podName` is the pod's own name (absent for templates). */
export function validatePodSpec(spec: Json | undefined, p: string, podName?: string): FieldError[] {
  const s: Json = spec ?? {};
  const out: FieldError[] = [];
  if (!isSet(s.terminationGracePeriodSeconds)) out.push(fieldRequired(`${p}.terminationGracePeriodSeconds`));
  const gracePeriod: number | undefined = typeof s.terminationGracePeriodSeconds === 'number' ? s.terminationGracePeriodSeconds : undefined;
  const vols = validateVolumes(list(s.volumes), `${p}.volumes`, podName, out);
  validateContainers(list(s.containers), vols, gracePeriod, `${p}.containers`, out);
  validateInitContainers(list(s.initContainers), list(s.containers), vols, gracePeriod, `${p}.initContainers`, out);
  validateRestartPolicy(s.restartPolicy, `${p}.restartPolicy`, out);
  enumValue(s.dnsPolicy, `${p}.dnsPolicy`, DNS_POLICIES, out);
  out.push(...validateLabels(s.nodeSelector, `${p}.nodeSelector`));
  validatePodSecurityContext(s.securityContext, `${p}.securityContext`, out);
  validateAffinity(s.affinity, `${p}.affinity`, out);
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
  if (str(s.serviceAccountName)) dns1123Subdomain(s.serviceAccountName, `${p}.serviceAccountName`, out);
  if (str(s.nodeName)) dns1123Subdomain(s.nodeName, `${p}.nodeName`, out);
  if (typeof s.activeDeadlineSeconds === 'number' && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > INT32_MAX)) {
    out.push(fieldInvalid(`${p}.activeDeadlineSeconds`, s.activeDeadlineSeconds, inclusiveRangeError(1, INT32_MAX)));
  }
  if (str(s.hostname)) dns1123Label(s.hostname, `${p}.hostname`, out);
  if (str(s.subdomain)) dns1123Label(s.subdomain, `${p}.subdomain`, out);
  if (list(s.tolerations).length > 0) validateTolerations(list(s.tolerations), `${p}.tolerations`, out);
  if (str(s.priorityClassName)) dns1123Subdomain(s.priorityClassName, `${p}.priorityClassName`, out);
  if (isSet(s.runtimeClassName)) dns1123Subdomain(str(s.runtimeClassName), `${p}.runtimeClassName`, out);
  if (isSet(s.preemptionPolicy)) enumValue(s.preemptionPolicy, `${p}.preemptionPolicy`, PREEMPTION_POLICIES, out);
  if (isSet(s.os)) {
    const os = str(s.os.name);
    if (!os) out.push(fieldRequired(`${p}.os.name`));
    else if (os !== 'linux' && os !== 'windows') out.push(fieldNotSupported(`${p}.os`, os, ['linux', 'windows']));
  }
  return out;
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
  return out;
}

/** validatePodMetadataAndSpec (after ObjectMeta): what create and update both check. */
export function validatePodMetadataAndSpec(pod: KubeObject): FieldError[] {
  const spec: Json = pod.spec ?? {};
  const out = validatePodSpec(spec, 'spec', pod.metadata?.name);
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
  out.push(...validatePodSpec(t.spec, `${p}.spec`));
  if (list(t.spec?.ephemeralContainers).length > 0) {
    out.push(fieldForbidden(`${p}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return out;
}

// ---- containers --------------------------------------------------------------------------------------------

function validateContainers(containers: any[], vols: ValidVolumes, gracePeriod: number | undefined, p: string, out: FieldError[]): void {
  if (containers.length === 0) {
    out.push(fieldRequired(p));
    return;
  }
  const names = new Set<string>();
  containers.forEach((raw, i) => {
    const c: Json = raw ?? {};
    const cp = `${p}[${i}]`;
    validateContainerCommon(c, vols, cp, out);
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
  p: string,
  out: FieldError[],
): void {
  const names = new Set<string>(regular.map((c) => str(c?.name)));
  containers.forEach((raw, i) => {
    const c: Json = raw ?? {};
    const cp = `${p}[${i}]`;
    validateContainerCommon(c, vols, cp, out);
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

function validateContainerCommon(c: Json, vols: ValidVolumes, p: string, out: FieldError[]): void {
  const name = str(c.name);
  if (name.length === 0) out.push(fieldRequired(`${p}.name`));
  else dns1123Label(name, `${p}.name`, out);
  if (str(c.image).length === 0) out.push(fieldRequired(`${p}.image`));
  enumValue(c.terminationMessagePolicy, `${p}.terminationMessagePolicy`, TERMINATION_MESSAGE_POLICIES, out);
  validateContainerPorts(list(c.ports), `${p}.ports`, out);
  validateEnv(list(c.env), `${p}.env`, out);
  validateEnvFrom(list(c.envFrom), `${p}.envFrom`, out);
  validateVolumeMounts(list(c.volumeMounts), list(c.volumeDevices), vols, `${p}.volumeMounts`, out);
  validateVolumeDevices(list(c.volumeDevices), list(c.volumeMounts), vols, `${p}.volumeDevices`, out);
  enumValue(c.imagePullPolicy, `${p}.imagePullPolicy`, PULL_POLICIES, out);
  validateResourceRequirements(c.resources, `${p}.resources`, out);
  validateSecurityContext(c.securityContext, `${p}.securityContext`, out);
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

function validateVolumeMounts(mounts: any[], devices: any[], vols: ValidVolumes, p: string, out: FieldError[]): void {
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
    if (isSet(m.mountPropagation) && !(MOUNT_PROPAGATIONS as readonly string[]).includes(m.mountPropagation)) {
      out.push(fieldNotSupported(`${p}.mountPropagation`, m.mountPropagation, MOUNT_PROPAGATIONS));
    }
  });
}

function validateVolumeDevices(devices: any[], mounts: any[], vols: ValidVolumes, p: string, out: FieldError[]): void {
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

/** validateResourceRequirements for containers: names, quantities, requests ≤ limits, hugepages need cpu or memory. */
export function validateResourceRequirements(resources: Json | undefined, p: string, out: FieldError[]): void {
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
    validateContainerResourceName(name, fp, out);
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
    validateContainerResourceName(name, fp, out);
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

function validatePodSecurityContext(sc: Json | undefined, p: string, out: FieldError[]): void {
  if (!sc) return;
  validId(sc.fsGroup, `${p}.fsGroup`, out);
  validId(sc.runAsUser, `${p}.runAsUser`, out);
  validId(sc.runAsGroup, `${p}.runAsGroup`, out);
  list(sc.supplementalGroups).forEach((g, i) => validId(g, `${p}.supplementalGroups[${i}]`, out));
  if (sc.shareProcessNamespace === true && sc.hostPID === true) {
    out.push(fieldInvalid(`${p}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
}

/**
 * ValidateSecurityContext. `privileged: true` is accepted: kgate behaves as a cluster started with
 * --allow-privileged=true (kube-apiserver's own default is false, which answers `disallowed by cluster policy`).
 */
function validateSecurityContext(sc: Json | undefined, p: string, out: FieldError[]): void {
  if (!sc) return;
  validId(sc.runAsUser, `${p}.runAsUser`, out);
  validId(sc.runAsGroup, `${p}.runAsGroup`, out);
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
}

/** core.SecurityContext as Go renders the internal (untagged) struct inside a message; nested values stay as sent. */
function internalSecurityContext(sc: Json): Record<string, unknown> {
  return {
    Capabilities: sc.capabilities ?? null,
    Privileged: sc.privileged ?? null,
    SELinuxOptions: sc.seLinuxOptions ?? null,
    WindowsOptions: sc.windowsOptions ?? null,
    RunAsUser: sc.runAsUser ?? null,
    RunAsGroup: sc.runAsGroup ?? null,
    RunAsNonRoot: sc.runAsNonRoot ?? null,
    ReadOnlyRootFilesystem: sc.readOnlyRootFilesystem ?? null,
    AllowPrivilegeEscalation: sc.allowPrivilegeEscalation ?? null,
    ProcMount: sc.procMount ?? null,
    SeccompProfile: sc.seccompProfile ?? null,
    AppArmorProfile: sc.appArmorProfile ?? null,
  };
}

// ---- scheduling --------------------------------------------------------------------------------------------

function validateTolerations(tolerations: any[], p: string, out: FieldError[]): void {
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

function validateNodeSelectorRequirement(req: Json, p: string, out: FieldError[]): void {
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
}

function validateNodeSelectorTerm(term: Json, p: string, out: FieldError[]): void {
  list(term?.matchExpressions).forEach((r, j) => validateNodeSelectorRequirement(r ?? {}, `${p}.matchExpressions[${j}]`, out));
}

function validatePodAffinityTerm(term: Json, p: string, out: FieldError[]): void {
  out.push(...validateLabelSelector(term.labelSelector, `${p}.labelSelector`));
  out.push(...validateLabelSelector(term.namespaceSelector, `${p}.namespaceSelector`));
  list(term.namespaces).forEach((ns) => dns1123Label(str(ns), `${p}.namespace`, out));
  const topologyKey = str(term.topologyKey);
  if (!topologyKey) out.push(fieldRequired(`${p}.topologyKey`, 'can not be empty'));
  for (const msg of isQualifiedName(topologyKey)) out.push(fieldInvalid(`${p}.topologyKey`, topologyKey, msg));
}

function validateAffinity(affinity: Json | undefined, p: string, out: FieldError[]): void {
  if (!affinity) return;
  const na = affinity.nodeAffinity;
  if (na) {
    const required = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (required) {
      const rp = `${p}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
      const terms = list(required.nodeSelectorTerms);
      if (terms.length === 0) out.push(fieldRequired(`${rp}.nodeSelectorTerms`, 'must have at least one node selector term'));
      terms.forEach((t, i) => validateNodeSelectorTerm(t, `${rp}.nodeSelectorTerms[${i}]`, out));
    }
    list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((pref, i) => {
      const pp = `${p}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      const weight = pref?.weight ?? 0;
      if (weight <= 0 || weight > 100) out.push(fieldInvalid(`${pp}.weight`, weight, 'must be in the range 1-100'));
      validateNodeSelectorTerm(pref?.preference ?? {}, `${pp}.preference`, out);
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
    validateVolumeSource(v, vp, el);
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

function validateVolumeSource(v: Json, p: string, out: FieldError[]): void {
  let count = 0;
  for (const kind of VOLUME_SOURCES) {
    const src = v[kind];
    if (!isSet(src)) continue;
    if (count > 0) {
      out.push(fieldForbidden(`${p}.${kind}`, MAX_VOLUME_TYPES_MSG));
      continue;
    }
    count++;
    const sp = `${p}.${kind}`;
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
      case 'secret':
        if (!str(src.secretName)) out.push(fieldRequired(`${sp}.secretName`));
        validateFileModes(src, sp, out);
        break;
      case 'configMap':
        if (!str(src.name)) out.push(fieldRequired(`${sp}.name`));
        validateFileModes(src, sp, out);
        break;
      case 'persistentVolumeClaim':
        if (!str(src.claimName)) out.push(fieldRequired(`${sp}.claimName`));
        break;
      case 'downwardAPI':
        validateDownwardAPIVolumeSource(src, sp, out);
        break;
      case 'projected':
        validateProjectedVolumeSource(src, sp, out);
        break;
      case 'ephemeral':
        if (!isSet(src.volumeClaimTemplate)) out.push(fieldRequired(`${sp}.volumeClaimTemplate`));
        break;
      case 'nfs':
        if (!str(src.server)) out.push(fieldRequired(`${sp}.server`));
        if (!str(src.path)) out.push(fieldRequired(`${sp}.path`));
        if (!str(src.path).startsWith('/')) out.push(fieldInvalid(`${sp}.path`, str(src.path), 'must be an absolute path'));
        break;
      case 'gitRepo':
        if (!str(src.repository)) out.push(fieldRequired(`${sp}.repository`));
        break;
      case 'csi': {
        const driver = str(src.driver);
        if (!driver) out.push(fieldRequired(`${sp}.driver`));
        if (driver.length > 63) out.push(fieldTooLong(`${sp}.driver`, 63));
        dns1123SubdomainShowing(driver.toLowerCase(), driver, `${sp}.driver`, out);
        break;
      }
    }
  }
  if (count === 0) out.push(fieldRequired(p, 'must specify a volume type'));
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
