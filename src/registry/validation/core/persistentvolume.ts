// PersistentVolume and PersistentVolumeClaim validation (kube pkg/apis/core/validation/validation.go:
// ValidatePersistentVolume, ValidatePersistentVolumeSpec, ValidatePersistentVolumeUpdate,
// ValidatePersistentVolumeStatusUpdate, ValidatePersistentVolumeClaim, ValidatePersistentVolumeClaimSpec,
// ValidatePersistentVolumeClaimUpdate and ValidatePersistentVolumeClaimStatusUpdate; pkg/volume/validation for
// mount options), after ObjectMeta. A refused change to an immutable spec carries kube's unified diff of the
// internal structs (k8s.io/apimachinery/pkg/util/diff.Diff), rebuilt here from the v1 objects.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { deepEqual } from '../../../apimachinery/objects.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isDNS1123Label,
  isDNS1123Subdomain,
  validateLabelName,
  validateLabelSelector,
} from '../../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate } from './objectmeta.js';
import { quantityNumber, quantitySign, quantityString, quantityValue } from './quantity.js';
import { validateResourceQuantityValue } from './resourcequota.js';
import { validateNodeSelectorRequirement } from './pod.js';
import { unifiedDiff } from './podspec-diff.js';

type Json = Record<string, any>;

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const RESIZE_STATUSES = [
  'ControllerResizeInProgress',
  'ControllerResizeInfeasible',
  'NodeResizeInProgress',
  'NodeResizeInfeasible',
  'NodeResizePending',
];
const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

/** core.PersistentVolumeSource's members, in struct (and validation) order, with their Go names. */
const PV_SOURCES: ReadonlyArray<readonly [string, string]> = [
  ['gcePersistentDisk', 'GCEPersistentDisk'],
  ['awsElasticBlockStore', 'AWSElasticBlockStore'],
  ['hostPath', 'HostPath'],
  ['glusterfs', 'Glusterfs'],
  ['nfs', 'NFS'],
  ['rbd', 'RBD'],
  ['quobyte', 'Quobyte'],
  ['iscsi', 'ISCSI'],
  ['flexVolume', 'FlexVolume'],
  ['cinder', 'Cinder'],
  ['cephfs', 'CephFS'],
  ['fc', 'FC'],
  ['flocker', 'Flocker'],
  ['azureFile', 'AzureFile'],
  ['vsphereVolume', 'VsphereVolume'],
  ['azureDisk', 'AzureDisk'],
  ['photonPersistentDisk', 'PhotonPersistentDisk'],
  ['portworxVolume', 'PortworxVolume'],
  ['scaleIO', 'ScaleIO'],
  ['local', 'Local'],
  ['storageos', 'StorageOS'],
  ['csi', 'CSI'],
];
/** ValidatePersistentVolumeSpec checks the sources in this order (not the struct's). */
const PV_SOURCE_CHECK_ORDER = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'glusterfs',
  'flocker',
  'nfs',
  'rbd',
  'quobyte',
  'cephfs',
  'iscsi',
  'cinder',
  'fc',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'scaleIO',
  'local',
  'storageos',
  'csi',
];
function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

function validateAccessModes(modes: unknown, p: string, requiredDetail: string, out: FieldError[]): void {
  const all = list(modes);
  if (all.length === 0) out.push(fieldRequired(p, requiredDetail));
  let rwop = false;
  let other = false;
  for (const m of all) {
    if (!ACCESS_MODES.includes(m)) out.push(fieldNotSupported(p, m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (rwop && other) out.push(fieldForbidden(p, 'may not use ReadWriteOncePod with other access modes'));
}

/** ValidateClassName: a DNS subdomain. */
function validateClassName(value: string, p: string, out: FieldError[]): void {
  for (const msg of isDNS1123Subdomain(value)) out.push(fieldInvalid(p, value, msg));
}

/** validatePathNoBacksteps. */
function noBacksteps(path: string, p: string, out: FieldError[]): void {
  if (path.split('/').includes('..')) out.push(fieldInvalid(p, path, "must not contain '..'"));
}

/** validateBasicResource: Value() not negative (shown as the integer value). */
function validateBasicResource(q: unknown, p: string): FieldError[] {
  const v = quantityValue(q);
  return v !== undefined && v < 0 ? [fieldInvalid(p, v, 'must be a valid resource quantity')] : [];
}

/** ValidatePositiveQuantityValue. */
function validatePositiveQuantity(q: unknown, p: string): FieldError[] {
  const sign = quantitySign(q);
  return sign !== undefined && sign <= 0 ? [fieldInvalid(p, quantityString(q), 'must be greater than zero')] : [];
}

/** validateVolumeNodeAffinity with ValidateNodeSelector; returns whether node affinity was given. */
function validateVolumeNodeAffinity(affinity: Json | null | undefined, out: FieldError[]): boolean {
  if (affinity == null) return false;
  const p = 'spec.nodeAffinity';
  if (affinity.required == null) {
    out.push(fieldRequired(`${p}.required`, 'must specify required node constraints'));
    return true;
  }
  const terms = list(affinity.required.nodeSelectorTerms);
  const tp = `${p}.required.nodeSelectorTerms`;
  if (terms.length === 0) {
    out.push(fieldRequired(tp, 'must have at least one node selector term'));
    return true;
  }
  terms.forEach((term, i) => {
    list(term?.matchExpressions).forEach((r, j) =>
      validateNodeSelectorRequirement(r ?? {}, true, `${tp}[${i}].matchExpressions[${j}]`, out),
    );
  });
  return true;
}

/** validatePVSecretReference. */
function validateSecretReference(ref: Json, p: string, out: FieldError[]): void {
  const name = String(ref.name ?? '');
  if (name === '') out.push(fieldRequired(`${p}.name`));
  else for (const msg of isDNS1123Subdomain(name)) out.push(fieldInvalid(`${p}.name`, name, msg));
  const ns = String(ref.namespace ?? '');
  if (ns === '') out.push(fieldRequired(`${p}.namespace`));
  else for (const msg of isDNS1123Label(ns)) out.push(fieldInvalid(`${p}.namespace`, ns, msg));
}

function validateSource(name: string, src: Json, out: FieldError[]): void {
  const p = `spec.${name}`;
  switch (name) {
    case 'hostPath':
      if (!src.path) {
        out.push(fieldRequired(`${p}.path`));
        break;
      }
      noBacksteps(src.path, `${p}.path`, out);
      if (src.type != null && !HOST_PATH_TYPES.includes(src.type)) out.push(fieldNotSupported(`${p}.type`, src.type, HOST_PATH_TYPES));
      break;
    case 'glusterfs':
      if (!src.endpoints) out.push(fieldRequired(`${p}.endpoints`));
      if (!src.path) out.push(fieldRequired(`${p}.path`));
      if (src.endpointsNamespace != null) {
        const ns = String(src.endpointsNamespace);
        if (ns === '')
          out.push(fieldInvalid(`${p}.endpointsNamespace`, ns, 'if the endpointnamespace is set, it must be a valid namespace name'));
        else for (const msg of isDNS1123Label(ns)) out.push(fieldInvalid(`${p}.endpointsNamespace`, ns, msg));
      }
      break;
    case 'nfs':
      if (!src.server) out.push(fieldRequired(`${p}.server`));
      if (!src.path) out.push(fieldRequired(`${p}.path`));
      if (!String(src.path ?? '').startsWith('/')) out.push(fieldInvalid(`${p}.path`, src.path ?? '', 'must be an absolute path'));
      break;
    case 'local':
      if (!src.path) out.push(fieldRequired(`${p}.path`));
      else noBacksteps(src.path, `${p}.path`, out);
      break;
    case 'csi': {
      // ValidateCSIDriverName: an empty name is both required and not a subdomain.
      const driver = String(src.driver ?? '');
      if (driver === '') out.push(fieldRequired(`${p}.driver`));
      if (driver.length > 63) out.push(fieldTooLong(`${p}.driver`, 63));
      for (const msg of isDNS1123Subdomain(driver.toLowerCase())) out.push(fieldInvalid(`${p}.driver`, driver, msg));
      if (!src.volumeHandle) out.push(fieldRequired(`${p}.volumeHandle`));
      for (const ref of ['controllerPublishSecretRef', 'controllerExpandSecretRef', 'nodePublishSecretRef', 'nodeExpandSecretRef']) {
        if (src[ref] != null) validateSecretReference(src[ref], `${p}.${ref}`, out);
      }
      break;
    }
  }
}

/** ValidatePersistentVolumeSpec (not inline), with ValidateObjectMeta left to the caller. */
function validatePersistentVolumeSpec(pv: KubeObject, decoded?: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec: Json = pv.spec ?? {};
  validateAccessModes(spec.accessModes, 'spec.accessModes', '', out);
  const capacity: Json | null = spec.capacity && typeof spec.capacity === 'object' ? spec.capacity : null;
  const capKeys = capacity ? Object.keys(capacity) : [];
  if (capKeys.length === 0) out.push(fieldRequired('spec.capacity'));
  if (!capKeys.includes('storage') || capKeys.length > 1) {
    // A nil map prints as null and an empty one as {}; Go's JSON sorts map keys and shows quantities canonically.
    // An empty map the request sent explicitly (`decoded`: before kgate's Go layout dropped it) is {} too.
    const sentEmpty = isEmptyMap(decoded?.spec?.capacity);
    const shown =
      capacity === null ? (sentEmpty ? {} : null) : Object.fromEntries([...capKeys].sort().map((k) => [k, quantityString(capacity[k])]));
    out.push(fieldNotSupported('spec.capacity', shown, ['storage']));
  }
  for (const k of capKeys) {
    out.push(
      ...validateBasicResource(capacity![k], `spec.capacity[${k}]`),
      ...validatePositiveQuantity(capacity![k], `spec.capacity[${k}]`),
    );
  }
  const policy: string = spec.persistentVolumeReclaimPolicy ?? '';
  if (policy !== '' && !RECLAIM_POLICIES.includes(policy)) {
    out.push(fieldNotSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  }
  const hasNodeAffinity = validateVolumeNodeAffinity(spec.nodeAffinity, out);
  let sources = 0;
  for (const name of PV_SOURCE_CHECK_ORDER) {
    const src = spec[name];
    if (src == null) continue;
    if (sources > 0) {
      out.push(fieldForbidden(`spec.${name}`, 'may not specify more than 1 volume type'));
      continue;
    }
    sources++;
    validateSource(name, src, out);
    if (name === 'local' && !hasNodeAffinity) out.push(fieldRequired('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (sources === 0) out.push(fieldRequired('spec', 'must specify a volume type'));
  if (spec.hostPath != null && cleanPath(String(spec.hostPath.path ?? '')) === '/' && policy === 'Recycle') {
    out.push(fieldForbidden('spec.persistentVolumeReclaimPolicy', "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (spec.storageClassName) validateClassName(spec.storageClassName, 'spec.storageClassName', out);
  if (spec.volumeMode != null && !VOLUME_MODES.includes(spec.volumeMode)) {
    out.push(fieldNotSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  }
  if (spec.volumeAttributesClassName != null) {
    const vac = String(spec.volumeAttributesClassName);
    if (vac === '') out.push(fieldRequired('spec.volumeAttributesClassName', 'an empty string is disallowed'));
    else validateClassName(vac, 'spec.volumeAttributesClassName', out);
    if (spec.csi == null) out.push(fieldRequired('spec.csi', 'has to be specified when using volumeAttributesClassName'));
  }
  return out;
}

/** Go's path.Clean, enough to recognise "/" ("/a/.." and "//" clean to it). */
function cleanPath(p: string): string {
  const rooted = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
    } else parts.push(seg);
  }
  const joined = parts.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

/** The PersistentVolume strategy's Validate (ValidatePersistentVolume after ObjectMeta). */
export function validatePersistentVolume(pv: KubeObject, decoded?: KubeObject): FieldError[] {
  return validatePersistentVolumeSpec(pv, decoded);
}

const isEmptyMap = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;

// ---- kube's diff of internal structs -----------------------------------------------------------------

/** The v1 field name as the internal struct's Go field (no json tags there). */
function goName(key: string): string {
  const special: Record<string, string> = { fsType: 'FSType', pdName: 'PDName', volumeID: 'VolumeID', iqn: 'IQN', wwids: 'WWIDs' };
  return special[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** A v1 source object with Go field names, quantities and nested maps as the client sent them. */
function goStruct(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goStruct);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [goName(k), goStruct(x)]));
}

function requirementsStruct(v: unknown): Json[] | null {
  if (!Array.isArray(v)) return null;
  return v.map((r) => ({ Key: r?.key ?? '', Operator: r?.operator ?? '', Values: r?.values ?? null }));
}

/** core.VolumeNodeAffinity as Go's JSON writes it. */
function nodeAffinityStruct(v: Json | null | undefined): Json | null {
  if (v == null) return null;
  const req = v.required;
  if (req == null) return { Required: null };
  const terms = Array.isArray(req.nodeSelectorTerms)
    ? req.nodeSelectorTerms.map((t: Json) => ({
        MatchExpressions: requirementsStruct(t?.matchExpressions),
        MatchFields: requirementsStruct(t?.matchFields),
      }))
    : null;
  return { Required: { NodeSelectorTerms: terms } };
}

/** Internal source structs Go writes in full (zero values included): v1 field, Go field, zero value. */
type Field = readonly [string, string, unknown];
const SECRET_REF: readonly Field[] = [
  ['name', 'Name', ''],
  ['namespace', 'Namespace', ''],
];
const SOURCE_FIELDS: Readonly<Record<string, readonly Field[]>> = {
  hostPath: [
    ['path', 'Path', ''],
    ['type', 'Type', null],
  ],
  nfs: [
    ['server', 'Server', ''],
    ['path', 'Path', ''],
    ['readOnly', 'ReadOnly', false],
  ],
  local: [
    ['path', 'Path', ''],
    ['fsType', 'FSType', null],
  ],
  glusterfs: [
    ['endpoints', 'EndpointsName', ''],
    ['path', 'Path', ''],
    ['readOnly', 'ReadOnly', false],
    ['endpointsNamespace', 'EndpointsNamespace', null],
  ],
  gcePersistentDisk: [
    ['pdName', 'PDName', ''],
    ['fsType', 'FSType', ''],
    ['partition', 'Partition', 0],
    ['readOnly', 'ReadOnly', false],
  ],
  flexVolume: [
    ['driver', 'Driver', ''],
    ['fsType', 'FSType', ''],
    ['secretRef', 'SecretRef', null],
    ['readOnly', 'ReadOnly', false],
    ['options', 'Options', null],
  ],
  csi: [
    ['driver', 'Driver', ''],
    ['volumeHandle', 'VolumeHandle', ''],
    ['readOnly', 'ReadOnly', false],
    ['fsType', 'FSType', ''],
    ['volumeAttributes', 'VolumeAttributes', null],
    ['controllerPublishSecretRef', 'ControllerPublishSecretRef', null],
    ['nodeStageSecretRef', 'NodeStageSecretRef', null],
    ['nodePublishSecretRef', 'NodePublishSecretRef', null],
    ['controllerExpandSecretRef', 'ControllerExpandSecretRef', null],
    ['nodeExpandSecretRef', 'NodeExpandSecretRef', null],
  ],
};

function fieldsStruct(v: Json, fields: readonly Field[]): Json {
  return Object.fromEntries(
    fields.map(([k, g, zero]) => {
      const x = v[k];
      if (x == null) return [g, zero];
      if (k.toLowerCase().endsWith('secretref')) return [g, fieldsStruct(x, SECRET_REF)];
      if (k === 'volumeAttributes' || k === 'options')
        return [
          g,
          Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((a) => [a, x[a]]),
          ),
        ];
      return [g, x];
    }),
  );
}

/** core.PersistentVolumeSource as Go's JSON writes it (sources without a table keep the client's fields). */
function pvSourceStruct(spec: Json): Json {
  return Object.fromEntries(
    PV_SOURCES.map(([k, g]) => {
      const src = spec[k];
      if (src == null) return [g, null];
      const fields = SOURCE_FIELDS[k];
      return [g, fields ? fieldsStruct(src, fields) : goStruct(src)];
    }),
  );
}

function resourceListStruct(v: unknown): Json | null {
  if (v == null || typeof v !== 'object') return null;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, quantityString((v as Json)[k])]),
  );
}

function typedRef(v: Json | null | undefined, withNamespace: boolean): Json | null {
  if (v == null) return null;
  const out: Json = { APIGroup: v.apiGroup ?? null, Kind: v.kind ?? '', Name: v.name ?? '' };
  if (withNamespace) out.Namespace = v.namespace ?? null;
  return out;
}

/** core.PersistentVolumeClaimSpec as Go's JSON writes it (LabelSelector keeps its json tags). */
function pvcSpecStruct(spec: Json): Json {
  const selector = spec.selector == null ? null : JSON.parse(JSON.stringify(spec.selector));
  return {
    AccessModes: spec.accessModes ?? null,
    Selector: selector,
    Resources: { Limits: resourceListStruct(spec.resources?.limits), Requests: resourceListStruct(spec.resources?.requests) },
    VolumeName: spec.volumeName ?? '',
    StorageClassName: spec.storageClassName ?? null,
    VolumeMode: spec.volumeMode ?? null,
    DataSource: typedRef(spec.dataSource, false),
    DataSourceRef: typedRef(spec.dataSourceRef, true),
    VolumeAttributesClassName: spec.volumeAttributesClassName ?? null,
  };
}

/** Go's json.MarshalIndent(v, "", " "): map keys sorted, structs in field order (as built above). */
function marshalIndent(v: unknown, indent = ''): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = indent + ' ';
    return `[\n${v.map((x) => inner + marshalIndent(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Json);
    if (entries.length === 0) return '{}';
    const inner = indent + ' ';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${marshalIndent(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/** The PersistentVolume strategy's ValidateUpdate. */
export function validatePersistentVolumeUpdate(pv: KubeObject, old: KubeObject, decoded?: KubeObject): FieldError[] {
  const own = () => [...objectMeta(pv, false), ...validatePersistentVolumeSpec(pv, decoded)];
  const out: FieldError[] = [...own(), ...own()];
  const spec: Json = pv.spec ?? {};
  const oldSpec: Json = old.spec ?? {};
  const newSource = pvSourceStruct(spec);
  const oldSource = pvSourceStruct(oldSpec);
  // A CSI controllerExpandSecretRef may be added once.
  if (oldSpec.csi != null && oldSpec.csi.controllerExpandSecretRef == null && spec.csi?.controllerExpandSecretRef != null) {
    (newSource.CSI as Json).ControllerExpandSecretRef = null;
  }
  if (!deepEqual(newSource, oldSource)) {
    const d = unifiedDiff(marshalIndent(oldSource), marshalIndent(newSource));
    out.push(fieldForbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${d}`));
  }
  if ((spec.volumeMode ?? null) !== (oldSpec.volumeMode ?? null))
    out.push(fieldInvalid('volumeMode', spec.volumeMode ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  if (oldSpec.nodeAffinity != null && !deepEqual(spec.nodeAffinity ?? null, withGALabels(oldSpec.nodeAffinity))) {
    out.push(
      fieldInvalid(
        'nodeAffinity',
        nodeAffinityStruct(spec.nodeAffinity),
        `${FIELD_IMMUTABLE_ERROR_MSG}, except for updating from beta label to GA`,
      ),
    );
  }
  if (oldSpec.volumeAttributesClassName != null && spec.volumeAttributesClassName == null) {
    out.push(fieldForbidden('spec.volumeAttributesClassName', 'update from non-nil value to nil is forbidden'));
  }
  return out;
}

/** Beta node labels and their GA names: a PV's node affinity may move from the first to the second. */
const GA_LABELS: Readonly<Record<string, string>> = {
  'failure-domain.beta.kubernetes.io/zone': 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region': 'topology.kubernetes.io/region',
  'beta.kubernetes.io/instance-type': 'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/os': 'kubernetes.io/os',
  'beta.kubernetes.io/arch': 'kubernetes.io/arch',
};

/** The old node affinity with beta label keys under their GA names (getMaskNodeSelectorLabelChangeEqualities). */
function withGALabels(affinity: Json): Json {
  const out: Json = structuredClone(affinity);
  for (const term of list(out.required?.nodeSelectorTerms)) {
    for (const req of list(term?.matchExpressions)) if (req && GA_LABELS[req.key]) req.key = GA_LABELS[req.key];
  }
  return out;
}

/** ValidatePersistentVolumeStatusUpdate. */
export function validatePersistentVolumeStatusUpdate(pv: KubeObject, old: KubeObject): FieldError[] {
  return objectMetaUpdate(pv, old);
}

/** PersistentVolumeClaimSpecValidationOptions that ratchet on the stored claim (ValidationOptionsForPersistentVolumeClaim). */
interface ClaimOptions {
  allowInvalidAPIGroup: boolean;
  allowInvalidLabelValueInSelector: boolean;
}

function claimOptions(old?: KubeObject): ClaimOptions {
  const spec: Json = old?.spec ?? {};
  return {
    allowInvalidAPIGroup: spec.dataSource?.apiGroup != null || spec.dataSourceRef?.apiGroup != null,
    allowInvalidLabelValueInSelector: spec.selector != null && validateLabelSelector(spec.selector, 'spec.selector').length > 0,
  };
}

function validateTypedRef(ref: Json, p: string, withNamespace: boolean, allowInvalidAPIGroup: boolean, out: FieldError[]): void {
  if (!ref.name) out.push(fieldRequired(`${p}.name`));
  if (!ref.kind) out.push(fieldRequired(`${p}.kind`));
  const group = String(ref.apiGroup ?? '');
  if (group === '' && ref.kind !== 'PersistentVolumeClaim') {
    out.push(fieldInvalid(p, ref.kind ?? '', "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  if (group !== '' && !allowInvalidAPIGroup)
    for (const msg of isDNS1123Subdomain(group)) out.push(fieldInvalid(`${p}.apiGroup`, group, msg));
  if (withNamespace && ref.namespace)
    for (const msg of isDNS1123Label(ref.namespace)) out.push(fieldInvalid(`${p}.namespace`, ref.namespace, msg));
}

/** ValidatePersistentVolumeClaimSpec. */
function validatePersistentVolumeClaimSpec(pvc: KubeObject, opts: ClaimOptions = claimOptions()): FieldError[] {
  const out: FieldError[] = [];
  const spec: Json = pvc.spec ?? {};
  if (list(spec.accessModes).length === 0) out.push(fieldRequired('spec.accessModes', 'at least 1 access mode is required'));
  if (spec.selector != null) {
    out.push(
      ...validateLabelSelector(spec.selector, 'spec.selector', { allowInvalidLabelValueInSelector: opts.allowInvalidLabelValueInSelector }),
    );
  }
  for (const m of list(spec.accessModes)) if (!ACCESS_MODES.includes(m)) out.push(fieldNotSupported('spec.accessModes', m, ACCESS_MODES));
  const modes = list(spec.accessModes);
  if (modes.includes('ReadWriteOncePod') && modes.some((m) => m !== 'ReadWriteOncePod' && ACCESS_MODES.includes(m))) {
    out.push(fieldForbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  }
  const storage = spec.resources?.requests?.storage;
  const sp = 'spec.resources[storage]';
  if (storage === undefined) out.push(fieldRequired(sp));
  else {
    const positive = validatePositiveQuantity(storage, sp);
    out.push(...(positive.length > 0 ? positive : validateResourceQuantityValue('storage', storage, sp)));
  }
  if (spec.storageClassName) validateClassName(spec.storageClassName, 'spec.storageClassName', out);
  if (spec.volumeMode != null && !VOLUME_MODES.includes(spec.volumeMode)) {
    out.push(fieldNotSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  }
  if (spec.dataSource != null) validateTypedRef(spec.dataSource, 'spec.dataSource', false, opts.allowInvalidAPIGroup, out);
  if (spec.dataSourceRef != null) validateTypedRef(spec.dataSourceRef, 'spec.dataSourceRef', true, opts.allowInvalidAPIGroup, out);
  if (spec.dataSourceRef?.namespace) {
    if (spec.dataSource != null) out.push(fieldInvalid('spec', {}, 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (spec.dataSource != null && spec.dataSourceRef != null) {
    const a = spec.dataSource;
    const b = spec.dataSourceRef;
    // The value kube shows is a *field.Path, which Go's JSON writes as {}.
    if ((a.apiGroup ?? null) !== (b.apiGroup ?? null) || a.kind !== b.kind || a.name !== b.name) {
      out.push(fieldInvalid('spec', {}, 'must match dataSourceRef'));
    }
  }
  if (spec.volumeAttributesClassName) validateClassName(spec.volumeAttributesClassName, 'spec.volumeAttributesClassName', out);
  return out;
}

/** The PersistentVolumeClaim strategy's Validate (ValidatePersistentVolumeClaim after ObjectMeta). */
export function validatePersistentVolumeClaim(pvc: KubeObject): FieldError[] {
  return validatePersistentVolumeClaimSpec(pvc);
}

/** The PersistentVolumeClaim strategy's ValidateUpdate: ValidatePersistentVolumeClaim, then ValidatePersistentVolumeClaimUpdate. */
export function validatePersistentVolumeClaimUpdate(pvc: KubeObject, old: KubeObject, decoded?: KubeObject): FieldError[] {
  const opts = claimOptions(old);
  const own = () => [...objectMeta(pvc, true), ...validatePersistentVolumeClaimSpec(pvc, opts)];
  const out: FieldError[] = [...own(), ...objectMetaUpdate(pvc, old), ...own()];
  const spec: Json = pvc.spec ?? {};
  const oldSpec: Json = old.spec ?? {};
  const newClone: Json = structuredClone(spec);
  const oldClone: Json = structuredClone(oldSpec);
  if (!oldSpec.volumeName) oldClone.volumeName = newClone.volumeName;
  const oldAnnotations: Json = old.metadata?.annotations ?? {};
  const newAnnotations: Json = pvc.metadata?.annotations ?? {};
  const oldBeta: string | undefined = oldAnnotations[BETA_STORAGE_CLASS];
  const newBeta: string | undefined = newAnnotations[BETA_STORAGE_CLASS];
  const upgradeFromAnnotation =
    oldBeta !== undefined &&
    oldSpec.storageClassName == null &&
    spec.storageClassName != null &&
    spec.storageClassName === oldBeta &&
    (newBeta === undefined || newBeta === oldBeta);
  if (upgradeFromAnnotation) delete newClone.storageClassName;
  else {
    if ((newBeta ?? '') !== (oldBeta ?? '')) {
      out.push(fieldInvalid(`metadata.annotations.${BETA_STORAGE_CLASS}`, newBeta ?? '', FIELD_IMMUTABLE_ERROR_MSG));
    }
    if (spec.storageClassName != null && oldSpec.storageClassName == null && (oldBeta === undefined || spec.storageClassName === oldBeta)) {
      delete newClone.storageClassName;
    }
  }
  const bound = pvc.status?.phase === 'Bound';
  if (bound && newClone.resources?.requests != null) newClone.resources.requests.storage = oldSpec.resources?.requests?.storage;
  if (bound) newClone.volumeAttributesClassName = oldClone.volumeAttributesClassName;
  const a = pvcSpecStruct(oldClone);
  const b = pvcSpecStruct(newClone);
  if (!deepEqual(a, b)) {
    // The comparison is semantic (an empty list equals none), but the diff prints the decoded struct, where a list
    // the request emptied explicitly (`decoded`, before kgate's Go layout dropped it) is [].
    const sentAccessModes = decoded?.spec?.accessModes;
    const shownB = b.AccessModes === null && Array.isArray(sentAccessModes) && sentAccessModes.length === 0 ? { ...b, AccessModes: [] } : b;
    const d = unifiedDiff(marshalIndent(a), marshalIndent(shownB));
    out.push(
      fieldForbidden(
        'spec',
        `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${d}`,
      ),
    );
  }
  const oldSize = quantityNano(oldSpec.resources?.requests?.storage);
  const newSize = quantityNano(spec.resources?.requests?.storage);
  const statusSize = quantityNano(old.status?.capacity?.storage);
  // RecoverVolumeExpansionFailure is on: a claim may shrink back down to above its recorded capacity.
  if (newSize < oldSize && newSize <= statusSize) {
    out.push(fieldForbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  if ((spec.volumeMode ?? null) !== (oldSpec.volumeMode ?? null))
    out.push(fieldInvalid('volumeMode', spec.volumeMode ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  if (old.status?.currentVolumeAttributesClassName != null && spec.volumeAttributesClassName !== oldSpec.volumeAttributesClassName) {
    if (spec.volumeAttributesClassName == null) {
      out.push(
        fieldForbidden(
          'spec.volumeAttributesClassName',
          'update to nil is forbidden when status.currentVolumeAttributesClassName is not nil',
        ),
      );
    } else if (spec.volumeAttributesClassName === '') {
      out.push(
        fieldForbidden(
          'spec.volumeAttributesClassName',
          'update to empty string is forbidden when status.currentVolumeAttributesClassName is not nil',
        ),
      );
    }
  }
  return out;
}

/** A quantity as a number for comparisons (0 when absent, as Go's zero Quantity). */
function quantityNano(q: unknown): number {
  return quantityNumber(q) ?? 0;
}

/** validatePersistentVolumeClaimResourceKey: a qualified name, and a native one must be storage. */
function validateClaimResourceKey(key: string, p: string): FieldError[] {
  const out = validateLabelName(key, p);
  if (out.length > 0) return out;
  const native = !key.includes('/') || key.includes('kubernetes.io/');
  if (native && key !== 'storage') return [fieldNotSupported(p, key, ['storage'])];
  return out;
}

/** ValidatePersistentVolumeClaimStatusUpdate (RecoverVolumeExpansionFailure is on in v1.34). */
export function validatePersistentVolumeClaimStatusUpdate(pvc: KubeObject, old: KubeObject): FieldError[] {
  const out = objectMetaUpdate(pvc, old);
  if (list(pvc.spec?.accessModes).length === 0) out.push(fieldRequired('Spec.accessModes'));
  const status: Json = pvc.status ?? {};
  for (const [r, q] of Object.entries((status.capacity ?? {}) as Json)) out.push(...validateBasicResource(q, `status.capacity[${r}]`));
  const rsp = 'status.allocatedResourceStatuses';
  for (const [k, v] of Object.entries((status.allocatedResourceStatuses ?? {}) as Json)) {
    out.push(...validateClaimResourceKey(k, rsp));
    if (!RESIZE_STATUSES.includes(v)) out.push(fieldNotSupported(rsp, k, RESIZE_STATUSES));
  }
  const ap = 'status.allocatedResources';
  for (const [r, q] of Object.entries((status.allocatedResources ?? {}) as Json)) {
    const keyErrs = validateClaimResourceKey(r, ap);
    if (keyErrs.length > 0) {
      out.push(...keyErrs);
      continue;
    }
    const basic = validateBasicResource(q, `${ap}[${r}]`);
    out.push(...(basic.length > 0 ? basic : validateResourceQuantityValue('storage', q, `${ap}[${r}]`)));
  }
  return out;
}

/**
 * The claim strategy's PrepareForCreate and PrepareForUpdate on data sources (pkg/api/persistentvolumeclaim):
 * a dataSource other than a claim or a VolumeSnapshot is dropped unless the old claim used one, then dataSource
 * and dataSourceRef are filled from each other.
 */
export function normalizeDataSources(pvc: KubeObject, old?: KubeObject): void {
  const spec: Json | undefined = pvc.spec;
  if (spec == null || typeof spec !== 'object') return;
  const inUse = old?.spec?.dataSource != null || old?.spec?.dataSourceRef != null;
  const ds = spec.dataSource;
  if (!inUse && ds != null) {
    const group = ds.apiGroup ?? '';
    const enabled =
      (ds.kind === 'PersistentVolumeClaim' && group === '') || (ds.kind === 'VolumeSnapshot' && group === 'snapshot.storage.k8s.io');
    if (!enabled) delete spec.dataSource;
  }
  if (spec.dataSource != null && spec.dataSourceRef == null) {
    const { apiGroup, kind, name } = spec.dataSource;
    spec.dataSourceRef = { ...(apiGroup !== undefined ? { apiGroup } : {}), kind, name };
  } else if (spec.dataSourceRef != null && spec.dataSource == null && !spec.dataSourceRef.namespace) {
    const { apiGroup, kind, name } = spec.dataSourceRef;
    spec.dataSource = { ...(apiGroup !== undefined ? { apiGroup } : {}), kind, name };
  }
}
