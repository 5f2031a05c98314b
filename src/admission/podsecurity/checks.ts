// The Pod Security Standards' checks (k8s.io/pod-security-admission policy/check_*.go, v0.34) and the evaluator
// that picks, for a level and version, which revision of each check runs (policy/registry.go): pure functions of
// a pod's metadata and spec as v1 JSON. Each check answers allowed, or a short reason and a detail naming what is
// wrong; the messages are kube's word for word, since clients and tests match on them.
import type { Level, LevelVersion } from './levels.js';

/** The v1 JSON a check reads: a pod's metadata and spec, or a pod template's. */
type Json = Record<string, any>;
export interface PodMetadata {
  annotations?: Record<string, string> | null;
}
export type PodSpec = Json;

export interface CheckResult {
  allowed: boolean;
  /** Set when forbidden: as succinct as possible, always shown ("host ports"). */
  forbiddenReason?: string;
  /** Optional detail, shown when one object is checked ("containers "a", "b" must ..."). */
  forbiddenDetail?: string;
}

type CheckPod = (meta: PodMetadata, spec: PodSpec) => CheckResult;

interface VersionedCheck {
  /** The first v1 minor this revision applies to. */
  minimumVersion: number;
  checkPod: CheckPod;
  /** Baseline checks a restricted check replaces at this version. */
  overrides?: readonly string[];
}

export interface Check {
  id: string;
  level: Exclude<Level, 'privileged'>;
  /** Strictly increasing minimum versions. */
  versions: readonly VersionedCheck[];
}

const ALLOWED: CheckResult = { allowed: true };
const forbid = (forbiddenReason: string, forbiddenDetail: string): CheckResult => ({ allowed: false, forbiddenReason, forbiddenDetail });

// ---- helpers (policy/helpers.go, visitor.go) ----

/** `"a", "b"`: names in double quotes, as they are (joinQuote). */
function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** Go's byte-wise string order, as sets.List and sort.Strings sort. */
export function sortedStrings(items: Iterable<string>): string[] {
  return [...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Go's %q: printable characters as they are, quotes and backslashes escaped, control characters as escapes. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Every container of the pod: init containers, containers, then ephemeral containers (visitContainers). */
function containersOf(spec: PodSpec): Json[] {
  const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((c): c is Json => c !== null && typeof c === 'object') : []);
  return [...list(spec.initContainers), ...list(spec.containers), ...list(spec.ephemeralContainers)];
}

const nameOf = (c: Json): string => (typeof c.name === 'string' ? c.name : '');
const isSet = (v: unknown): boolean => v !== undefined && v !== null;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isWindows = (spec: PodSpec): boolean => spec.os?.name === 'windows';

/** `container "a"` / `containers "a", "b"`. */
const containersPhrase = (names: readonly string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;

// ---- baseline ----

// check_appArmorProfile.go: AppArmor profile types RuntimeDefault and Localhost only; the deprecated annotations
// only runtime/default, localhost/* or empty.
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const allowedAppArmorType = (t: string) => t === 'RuntimeDefault' || t === 'Localhost';
const allowedAppArmorAnnotation = (v: string) => v.length === 0 || v === 'runtime/default' || v.startsWith('localhost/');

function appArmorProfile_1_0(meta: PodMetadata, spec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  const badValues = new Set<string>();
  const podProfile = spec.securityContext?.appArmorProfile;
  if (isSet(podProfile) && !allowedAppArmorType(str(podProfile.type))) {
    badSetters.push('pod');
    badValues.add(str(podProfile.type));
  }
  const badContainers: string[] = [];
  for (const c of containersOf(spec)) {
    const profile = c.securityContext?.appArmorProfile;
    if (isSet(profile) && !allowedAppArmorType(str(profile.type))) {
      badContainers.push(nameOf(c));
      badValues.add(str(profile.type));
    }
  }
  if (badContainers.length > 0) badSetters.push(containersPhrase(badContainers));
  const forbiddenAnnotations: string[] = [];
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    if (k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(v)) forbiddenAnnotations.push(`${k}=${goQuote(v)}`);
  }
  const badValueList = sortedStrings(badValues);
  if (forbiddenAnnotations.length > 0) {
    badValueList.push(...sortedStrings(forbiddenAnnotations));
    badSetters.push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
  }
  if (badSetters.length === 0) return ALLOWED;
  return forbid(
    pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValueList.length),
    `${badSetters.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
  );
}

// check_capabilities_baseline.go: only the container runtime's default capabilities may be added.
const CAPABILITIES_ALLOWED_1_0 = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

function capabilitiesBaseline_1_0(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const badContainers: string[] = [];
  const nonDefault = new Set<string>();
  for (const c of containersOf(spec)) {
    const caps = c.securityContext?.capabilities;
    if (!isSet(caps)) continue;
    let valid = true;
    for (const cap of Array.isArray(caps.add) ? caps.add : []) {
      if (!CAPABILITIES_ALLOWED_1_0.has(str(cap))) {
        valid = false;
        nonDefault.add(str(cap));
      }
    }
    if (!valid) badContainers.push(nameOf(c));
  }
  if (badContainers.length === 0) return ALLOWED;
  return forbid(
    'non-default capabilities',
    `${containersPhrase(badContainers)} must not include ${joinQuote(sortedStrings(nonDefault))} in securityContext.capabilities.add`,
  );
}

// check_hostNamespaces.go
function hostNamespaces_1_0(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const set: string[] = [];
  if (spec.hostNetwork === true) set.push('hostNetwork=true');
  if (spec.hostPID === true) set.push('hostPID=true');
  if (spec.hostIPC === true) set.push('hostIPC=true');
  return set.length === 0 ? ALLOWED : forbid('host namespaces', set.join(', '));
}

// check_hostPathVolumes.go
function hostPathVolumes_1_0(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const names = volumesOf(spec)
    .filter((v) => isSet(v.hostPath))
    .map(nameOf);
  if (names.length === 0) return ALLOWED;
  return forbid('hostPath volumes', `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`);
}

const volumesOf = (spec: PodSpec): Json[] =>
  Array.isArray(spec.volumes) ? spec.volumes.filter((v: unknown) => v !== null && typeof v === 'object') : [];

// check_hostPorts.go: the ports are listed sorted as strings, as sets.String sorts them.
function hostPorts_1_0(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const badContainers: string[] = [];
  const ports = new Set<string>();
  for (const c of containersOf(spec)) {
    let valid = true;
    for (const port of Array.isArray(c.ports) ? c.ports : []) {
      const hostPort = typeof port?.hostPort === 'number' ? port.hostPort : 0;
      if (hostPort !== 0) {
        valid = false;
        ports.add(String(hostPort));
      }
    }
    if (!valid) badContainers.push(nameOf(c));
  }
  if (badContainers.length === 0) return ALLOWED;
  return forbid(
    'hostPort',
    `${containersPhrase(badContainers)} ${pluralize('uses', 'use', badContainers.length)} ${pluralize('hostPort', 'hostPorts', ports.size)} ${sortedStrings(ports).join(', ')}`,
  );
}

// check_hostProbesAndhostLifecycle.go (1.34; the ProbeHostPodSecurityStandards gate is GA and locked on in 1.34):
// probes and lifecycle handlers must not name a host. Containers and hosts are listed as sorted sets.
function hostsOf(handler: Json | null | undefined): string[] {
  if (!isSet(handler)) return [];
  const hosts: string[] = [];
  if (isSet(handler!.httpGet) && str(handler!.httpGet.host) !== '') hosts.push(handler!.httpGet.host);
  if (isSet(handler!.tcpSocket) && str(handler!.tcpSocket.host) !== '') hosts.push(handler!.tcpSocket.host);
  return hosts;
}

function hostProbesAndHostLifecycle_1_34(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const badContainers = new Set<string>();
  const forbidden = new Set<string>();
  for (const c of containersOf(spec)) {
    const handlers = [c.livenessProbe, c.readinessProbe, c.startupProbe];
    if (isSet(c.lifecycle)) handlers.push(c.lifecycle.postStart, c.lifecycle.preStop);
    for (const handler of handlers) {
      const hosts = hostsOf(handler);
      if (hosts.length === 0) continue;
      badContainers.add(nameOf(c));
      for (const h of hosts) forbidden.add(h);
    }
  }
  if (badContainers.size === 0) return ALLOWED;
  return forbid(
    'probe or lifecycle host',
    `${pluralize('container', 'containers', badContainers.size)} ${joinQuote(sortedStrings(badContainers))} ${pluralize('uses', 'use', badContainers.size)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', forbidden.size)} ${joinQuote(sortedStrings(forbidden))}`,
  );
}

// check_privileged.go
function privileged_1_0(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const bad = containersOf(spec)
    .filter((c) => c.securityContext?.privileged === true)
    .map(nameOf);
  if (bad.length === 0) return ALLOWED;
  return forbid('privileged', `${containersPhrase(bad)} must not set securityContext.privileged=true`);
}

// check_procMount.go (the UserNamespacesPodSecurityStandards relaxation is an alpha gate, off in kube-apiserver).
function procMount_1_0(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const c of containersOf(spec)) {
    const procMount = c.securityContext?.procMount;
    if (!isSet(procMount) || procMount === 'Default') continue;
    bad.push(nameOf(c));
    types.add(str(procMount));
  }
  if (bad.length === 0) return ALLOWED;
  return forbid('procMount', `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedStrings(types))}`);
}

// check_seLinuxOptions.go: type among the container types (container_engine_t since 1.31), no user, no role.
const SELINUX_TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_TYPES_1_31 = new Set([...SELINUX_TYPES_1_0, 'container_engine_t']);

function seLinuxOptions(allowedTypes: ReadonlySet<string>): CheckPod {
  return (_meta, spec) => {
    const badSetters: string[] = [];
    const badTypes = new Set<string>();
    let setUser = false;
    let setRole = false;
    const valid = (opts: Json) => {
      let ok = true;
      if (!allowedTypes.has(str(opts.type))) {
        ok = false;
        badTypes.add(str(opts.type));
      }
      if (str(opts.user).length > 0) {
        ok = false;
        setUser = true;
      }
      if (str(opts.role).length > 0) {
        ok = false;
        setRole = true;
      }
      return ok;
    };
    const podOpts = spec.securityContext?.seLinuxOptions;
    if (isSet(podOpts) && !valid(podOpts)) badSetters.push('pod');
    const badContainers: string[] = [];
    for (const c of containersOf(spec)) {
      const opts = c.securityContext?.seLinuxOptions;
      if (isSet(opts) && !valid(opts)) badContainers.push(nameOf(c));
    }
    if (badContainers.length > 0) badSetters.push(containersPhrase(badContainers));
    if (badSetters.length === 0) return ALLOWED;
    const badData: string[] = [];
    if (badTypes.size > 0) badData.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sortedStrings(badTypes))}`);
    if (setUser) badData.push('user may not be set');
    if (setRole) badData.push('role may not be set');
    return forbid('seLinuxOptions', `${badSetters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${badData.join('; ')}`);
  };
}

// check_seccompProfile_baseline.go: before 1.19 the alpha annotations; from 1.19 the seccompProfile fields.
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const validSeccompType = (t: string) => t === 'Localhost' || t === 'RuntimeDefault';
const validSeccompAnnotation = (v: string) => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');

function seccompProfileBaseline_1_0(meta: PodMetadata, spec: PodSpec): CheckResult {
  const annotations = meta.annotations ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(annotations, k);
  const forbidden = new Set<string>();
  if (has(SECCOMP_POD_ANNOTATION) && !validSeccompAnnotation(annotations[SECCOMP_POD_ANNOTATION])) {
    forbidden.add(`${SECCOMP_POD_ANNOTATION}=${goQuote(annotations[SECCOMP_POD_ANNOTATION])}`);
  }
  for (const c of containersOf(spec)) {
    const key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + nameOf(c);
    if (has(key) && !validSeccompAnnotation(annotations[key])) forbidden.add(`${key}=${goQuote(annotations[key])}`);
  }
  if (forbidden.size === 0) return ALLOWED;
  return forbid(
    'seccompProfile',
    `forbidden ${pluralize('annotation', 'annotations', forbidden.size)} ${sortedStrings(forbidden).join(', ')}`,
  );
}

/** The seccomp checks from 1.19: explicit bad types on the pod and containers; restricted also requires one. */
function seccompProfile_1_19(required: boolean): CheckPod {
  return (_meta, spec) => {
    const badSetters: string[] = [];
    const badValues = new Set<string>();
    let podSet = false;
    const podProfile = spec.securityContext?.seccompProfile;
    if (isSet(podProfile)) {
      if (!validSeccompType(str(podProfile.type))) {
        badSetters.push('pod');
        badValues.add(str(podProfile.type));
      } else {
        podSet = true;
      }
    }
    const explicitlyBad: string[] = [];
    const implicitlyBad: string[] = [];
    for (const c of containersOf(spec)) {
      const profile = c.securityContext?.seccompProfile;
      if (isSet(profile)) {
        if (!validSeccompType(str(profile.type))) {
          explicitlyBad.push(nameOf(c));
          badValues.add(str(profile.type));
        }
      } else if (!podSet) {
        implicitlyBad.push(nameOf(c));
      }
    }
    if (explicitlyBad.length > 0) badSetters.push(containersPhrase(explicitlyBad));
    if (badSetters.length > 0) {
      return forbid(
        'seccompProfile',
        `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedStrings(badValues))}`,
      );
    }
    if (required && implicitlyBad.length > 0) {
      return forbid(
        'seccompProfile',
        `pod or ${containersPhrase(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      );
    }
    return ALLOWED;
  };
}

// check_sysctls.go: the namespaced sysctls known safe, more of them in later versions. Listed in pod order.
const SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];

function sysctls(allowed: readonly string[]): CheckPod {
  const set = new Set(allowed);
  return (_meta, spec) => {
    const list = spec.securityContext?.sysctls;
    const forbidden = (Array.isArray(list) ? list : []).map((s: Json | null) => str(s?.name)).filter((name: string) => !set.has(name));
    return forbidden.length === 0 ? ALLOWED : forbid('forbidden sysctls', forbidden.join(', '));
  };
}

// check_windowsHostProcess.go
function windowsHostProcess_1_0(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const bad = containersOf(spec)
    .filter((c) => c.securityContext?.windowsOptions?.hostProcess === true)
    .map(nameOf);
  const setters: string[] = [];
  if (spec.securityContext?.windowsOptions?.hostProcess === true) setters.push('pod');
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return ALLOWED;
  return forbid('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`);
}

// ---- restricted ----

/** From 1.25 a pod with spec.os.name=windows passes the Linux-only restricted checks (API validation covers it). */
const unlessWindows =
  (check: CheckPod): CheckPod =>
  (meta, spec) =>
    isWindows(spec) ? ALLOWED : check(meta, spec);

// check_allowPrivilegeEscalation.go
function allowPrivilegeEscalation_1_8(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const bad = containersOf(spec)
    .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
    .map(nameOf);
  if (bad.length === 0) return ALLOWED;
  return forbid('allowPrivilegeEscalation != false', `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`);
}

// check_capabilities_restricted.go: drop ALL, add nothing but NET_BIND_SERVICE.
function capabilitiesRestricted_1_22(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbiddenCaps = new Set<string>();
  for (const c of containersOf(spec)) {
    const caps = c.securityContext?.capabilities;
    if (!isSet(c.securityContext) || !isSet(caps)) {
      missingDropAll.push(nameOf(c));
      continue;
    }
    if (!(Array.isArray(caps.drop) ? caps.drop : []).includes('ALL')) missingDropAll.push(nameOf(c));
    let added = false;
    for (const cap of Array.isArray(caps.add) ? caps.add : []) {
      if (cap !== 'NET_BIND_SERVICE') {
        added = true;
        forbiddenCaps.add(str(cap));
      }
    }
    if (added) addingForbidden.push(nameOf(c));
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length > 0) {
    details.push(
      `${containersPhrase(addingForbidden)} must not include ${joinQuote(sortedStrings(forbiddenCaps))} in securityContext.capabilities.add`,
    );
  }
  return details.length === 0 ? ALLOWED : forbid('unrestricted capabilities', details.join('; '));
}

// check_restrictedVolumes.go: only the volume sources that need no host access or special privileges.
const ALLOWED_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
/** The restricted sources, in the order kube names the first one a volume sets. */
const RESTRICTED_VOLUME_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

function restrictedVolumes_1_0(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const badVolumes: string[] = [];
  const badTypes = new Set<string>();
  for (const v of volumesOf(spec)) {
    if (ALLOWED_VOLUME_SOURCES.some((source) => isSet(v[source]))) continue;
    badVolumes.push(nameOf(v));
    badTypes.add(RESTRICTED_VOLUME_SOURCES.find((source) => isSet(v[source])) ?? 'unknown');
  }
  if (badVolumes.length === 0) return ALLOWED;
  return forbid(
    'restricted volume types',
    `${pluralize('volume', 'volumes', badVolumes.length)} ${joinQuote(badVolumes)} ${pluralize('uses', 'use', badVolumes.length)} ${pluralize('restricted volume type', 'restricted volume types', badTypes.size)} ${joinQuote(sortedStrings(badTypes))}`,
  );
}

// check_runAsNonRoot.go: runAsNonRoot=true on the pod or on every container; an explicit false anywhere is named.
function runAsNonRoot_1_0(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  let podRunAsNonRoot = false;
  const podValue = spec.securityContext?.runAsNonRoot;
  if (isSet(podValue)) {
    if (podValue === false) badSetters.push('pod');
    else podRunAsNonRoot = true;
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  for (const c of containersOf(spec)) {
    const value = c.securityContext?.runAsNonRoot;
    if (isSet(value)) {
      if (value === false) explicitlyBad.push(nameOf(c));
    } else if (!podRunAsNonRoot) {
      implicitlyBad.push(nameOf(c));
    }
  }
  if (explicitlyBad.length > 0) badSetters.push(containersPhrase(explicitlyBad));
  if (badSetters.length > 0)
    return forbid('runAsNonRoot != true', `${badSetters.join(' and ')} must not set securityContext.runAsNonRoot=false`);
  if (implicitlyBad.length > 0) {
    return forbid('runAsNonRoot != true', `pod or ${containersPhrase(implicitlyBad)} must set securityContext.runAsNonRoot=true`);
  }
  return ALLOWED;
}

// check_runAsUser.go
function runAsUser_1_23(_meta: PodMetadata, spec: PodSpec): CheckResult {
  const badSetters: string[] = [];
  if (spec.securityContext?.runAsUser === 0) badSetters.push('pod');
  const bad = containersOf(spec)
    .filter((c) => c.securityContext?.runAsUser === 0)
    .map(nameOf);
  if (bad.length > 0) badSetters.push(containersPhrase(bad));
  if (badSetters.length === 0) return ALLOWED;
  return forbid('runAsUser=0', `${badSetters.join(' and ')} must not set runAsUser=0`);
}

// ---- the registry (policy/registry.go) ----

/** DefaultChecks: every check assigned to a policy version. */
export const DEFAULT_CHECKS: readonly Check[] = [
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { minimumVersion: 8, checkPod: allowPrivilegeEscalation_1_8 },
      { minimumVersion: 25, checkPod: unlessWindows(allowPrivilegeEscalation_1_8) },
    ],
  },
  { id: 'appArmorProfile', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: appArmorProfile_1_0 }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: capabilitiesBaseline_1_0 }] },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { minimumVersion: 22, checkPod: capabilitiesRestricted_1_22, overrides: ['capabilities_baseline'] },
      { minimumVersion: 25, checkPod: unlessWindows(capabilitiesRestricted_1_22), overrides: ['capabilities_baseline'] },
    ],
  },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: hostNamespaces_1_0 }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: hostPathVolumes_1_0 }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: hostPorts_1_0 }] },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', versions: [{ minimumVersion: 34, checkPod: hostProbesAndHostLifecycle_1_34 }] },
  { id: 'privileged', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: privileged_1_0 }] },
  { id: 'procMount', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: procMount_1_0 }] },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    versions: [{ minimumVersion: 0, checkPod: restrictedVolumes_1_0, overrides: ['hostPathVolumes'] }],
  },
  { id: 'runAsNonRoot', level: 'restricted', versions: [{ minimumVersion: 0, checkPod: runAsNonRoot_1_0 }] },
  { id: 'runAsUser', level: 'restricted', versions: [{ minimumVersion: 23, checkPod: runAsUser_1_23 }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { minimumVersion: 0, checkPod: seLinuxOptions(SELINUX_TYPES_1_0) },
      { minimumVersion: 31, checkPod: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { minimumVersion: 0, checkPod: seccompProfileBaseline_1_0 },
      { minimumVersion: 19, checkPod: seccompProfile_1_19(false) },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { minimumVersion: 19, checkPod: seccompProfile_1_19(true), overrides: ['seccompProfile_baseline'] },
      { minimumVersion: 25, checkPod: unlessWindows(seccompProfile_1_19(true)), overrides: ['seccompProfile_baseline'] },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { minimumVersion: 0, checkPod: sysctls(SYSCTLS_1_0) },
      { minimumVersion: 27, checkPod: sysctls(SYSCTLS_1_27) },
      { minimumVersion: 29, checkPod: sysctls(SYSCTLS_1_29) },
      { minimumVersion: 32, checkPod: sysctls(SYSCTLS_1_32) },
    ],
  },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ minimumVersion: 0, checkPod: windowsHostProcess_1_0 }] },
];

/**
 * The checks' evaluator (checkRegistry): for a level and version, the revision of each check in force at that
 * version, baseline checks first then restricted ones, each group in check-ID order so messages are stable.
 * Restricted runs the baseline checks its own checks do not replace. `latest` and versions past the newest
 * check's read as that newest version.
 */
export class Evaluator {
  private readonly maxMinor: number;
  private readonly cache = new Map<string, CheckPod[]>();
  private readonly ordered: readonly Check[];

  constructor(checks: readonly Check[] = DEFAULT_CHECKS) {
    const byId = (a: Check, b: Check) => Buffer.compare(Buffer.from(a.id), Buffer.from(b.id));
    this.ordered = [
      ...checks.filter((c) => c.level === 'baseline').sort(byId),
      ...checks.filter((c) => c.level === 'restricted').sort(byId),
    ];
    this.maxMinor = Math.max(...checks.map((c) => c.versions[c.versions.length - 1].minimumVersion));
  }

  evaluatePod(lv: LevelVersion, meta: PodMetadata, spec: PodSpec): CheckResult[] {
    if (lv.level === 'privileged') return [];
    const minor = lv.version.latest || lv.version.minor > BigInt(this.maxMinor) ? this.maxMinor : Number(lv.version.minor);
    return this.checksFor(lv.level, minor).map((check) => check(meta, spec));
  }

  private checksFor(level: 'baseline' | 'restricted', minor: number): CheckPod[] {
    const key = `${level}:${minor}`;
    let fns = this.cache.get(key);
    if (fns) return fns;
    const inForce = new Map<string, VersionedCheck>();
    for (const check of this.ordered) {
      if (level === 'baseline' && check.level !== 'baseline') continue;
      const version = [...check.versions].reverse().find((v) => v.minimumVersion <= minor);
      if (version) inForce.set(check.id, version);
    }
    const overridden = new Set<string>();
    for (const check of this.ordered) {
      if (check.level === 'restricted') for (const id of inForce.get(check.id)?.overrides ?? []) overridden.add(id);
    }
    fns = this.ordered.filter((c) => inForce.has(c.id) && !overridden.has(c.id)).map((c) => inForce.get(c.id)!.checkPod);
    this.cache.set(key, fns);
    return fns;
  }
}

/** AggregateCheckResult: the forbidden checks' reasons and details, in check order. */
export interface AggregateResult {
  allowed: boolean;
  reasons: string[];
  details: string[];
}

export function aggregate(results: readonly CheckResult[]): AggregateResult {
  const reasons: string[] = [];
  const details: string[] = [];
  for (const r of results) {
    if (r.allowed) continue;
    reasons.push(r.forbiddenReason || 'unknown forbidden reason');
    details.push(r.forbiddenDetail ?? '');
  }
  return { allowed: reasons.length === 0, reasons, details };
}

/** `host namespaces, privileged`: the reasons only (for a namespace's existing pods). */
export function forbiddenReason(r: AggregateResult): string {
  return r.reasons.join(', ');
}

/** `host namespaces (hostNetwork=true), privileged (container "c" must ...)`: reasons with their details. */
export function forbiddenDetail(r: AggregateResult): string {
  return r.reasons.map((reason, i) => (r.details[i] ? `${reason} (${r.details[i]})` : reason)).join(', ');
}
