// PersistentVolume and PersistentVolumeClaim validation (kube pkg/apis/core/validation/validation.go:
// ValidatePersistentVolumeSpec, ValidatePersistentVolumeClaimSpec and their updates), after ObjectMeta. Of the
// volume sources, the common ones have their own rules (hostPath, nfs, local, csi); every source counts toward
// "exactly one".
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { deepEqual } from '../../../apimachinery/objects.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1123Subdomain,
  validateLabelSelector,
} from '../../../apimachinery/validation.js';
import { quantitySign, quantityValue } from './quantity.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];

/** The PersistentVolumeSource fields, in the order ValidatePersistentVolumeSpec checks them. */
const PV_SOURCES = [
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

type Json = Record<string, any>;

function validateAccessModes(modes: unknown, out: FieldError[], requiredDetail = '', p = 'spec.accessModes'): void {
  const list: string[] = Array.isArray(modes) ? modes : [];
  if (list.length === 0) out.push(fieldRequired(p, requiredDetail));
  for (const m of list) if (!ACCESS_MODES.includes(m)) out.push(fieldNotSupported(p, m, ACCESS_MODES));
}

/** validatePathNoBacksteps: no `..` element. */
function noBacksteps(path: string, field: string): FieldError[] {
  return path.split('/').includes('..') ? [fieldInvalid(field, path, "must not contain '..'")] : [];
}

function validateSource(name: string, src: Json, out: FieldError[]): void {
  const p = `spec.${name}`;
  switch (name) {
    case 'hostPath':
      if (!src.path) out.push(fieldRequired(`${p}.path`));
      else out.push(...noBacksteps(src.path, `${p}.path`));
      break;
    case 'nfs':
      if (!src.server) out.push(fieldRequired(`${p}.server`));
      if (!src.path) out.push(fieldRequired(`${p}.path`));
      else if (!String(src.path).startsWith('/')) out.push(fieldInvalid(`${p}.path`, src.path, 'must be an absolute path'));
      break;
    case 'local':
      if (!src.path) out.push(fieldRequired(`${p}.path`));
      else out.push(...noBacksteps(src.path, `${p}.path`));
      break;
    case 'csi': {
      // ValidateCSIDriverName.
      const driver = String(src.driver ?? '');
      if (driver === '') out.push(fieldRequired(`${p}.driver`));
      for (const msg of isDNS1123Subdomain(driver.toLowerCase())) out.push(fieldInvalid(`${p}.driver`, driver, msg));
      if (!src.volumeHandle) out.push(fieldRequired(`${p}.volumeHandle`));
      break;
    }
  }
}

/** ValidatePersistentVolumeSpec (with the PersistentVolume's own name rule already run by ObjectMeta). */
export function validatePersistentVolume(pv: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec: Json = pv.spec ?? {};
  validateAccessModes(spec.accessModes, out);
  const capacity: Json | null = spec.capacity && typeof spec.capacity === 'object' ? spec.capacity : null;
  const capKeys = capacity ? Object.keys(capacity) : [];
  if (capKeys.length === 0) out.push(fieldRequired('spec.capacity'));
  if (!capKeys.includes('storage') || capKeys.length > 1) {
    // A nil map prints as null; Go's JSON sorts map keys.
    const shown = capKeys.length === 0 ? null : Object.fromEntries([...capKeys].sort().map((k) => [k, capacity![k]]));
    out.push(fieldNotSupported('spec.capacity', shown, ['storage']));
  }
  for (const k of capKeys) {
    // validateBasicResource, then ValidatePositiveQuantityValue.
    const value = quantityValue(capacity![k]);
    if (value !== undefined && value < 0) out.push(fieldInvalid(`spec.capacity[${k}]`, value, 'must be a valid resource quantity'));
    const sign = quantitySign(capacity![k]);
    if (sign !== undefined && sign <= 0) out.push(fieldInvalid(`spec.capacity[${k}]`, capacity![k], 'must be greater than zero'));
  }
  const policy: string = spec.persistentVolumeReclaimPolicy ?? '';
  if (policy !== '' && !RECLAIM_POLICIES.includes(policy)) {
    out.push(fieldNotSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  }
  let sources = 0;
  for (const name of PV_SOURCES) {
    const src = spec[name];
    if (src == null) continue;
    if (sources > 0) {
      out.push(fieldForbidden(`spec.${name}`, 'may not specify more than 1 volume type'));
      continue;
    }
    sources++;
    validateSource(name, src, out);
  }
  if (sources === 0) out.push(fieldRequired('spec', 'must specify a volume type'));
  if (spec.local != null && spec.nodeAffinity == null) out.push(fieldRequired('spec.nodeAffinity', 'Local volume requires node affinity'));
  if (spec.storageClassName) {
    for (const msg of isDNS1123Subdomain(spec.storageClassName))
      out.push(fieldInvalid('spec.storageClassName', spec.storageClassName, msg));
  }
  if (spec.volumeMode != null && !VOLUME_MODES.includes(spec.volumeMode)) {
    out.push(fieldNotSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  }
  return out;
}

/**
 * The PersistentVolume strategy's ValidateUpdate: ValidatePersistentVolume, then ValidatePersistentVolumeUpdate,
 * which runs it again before its immutability rules. kube appends a diff of the two sources to the source's
 * detail; kgate does not write that diff.
 */
export function validatePersistentVolumeUpdate(pv: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = [...validatePersistentVolume(pv), ...validatePersistentVolume(pv)];
  const spec: Json = pv.spec ?? {};
  const oldSpec: Json = old.spec ?? {};
  const source = (s: Json) => Object.fromEntries(PV_SOURCES.filter((n) => s[n] != null).map((n) => [n, s[n]]));
  if (!deepEqual(source(spec), source(oldSpec))) {
    out.push(fieldForbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  // kube's path here has no `spec.`.
  if ((spec.volumeMode ?? null) !== (oldSpec.volumeMode ?? null))
    out.push(fieldInvalid('volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  return out;
}

/** ValidatePersistentVolumeClaim (after ObjectMeta): the spec. */
export function validatePersistentVolumeClaim(pvc: KubeObject): FieldError[] {
  return validatePersistentVolumeClaimSpec(pvc.spec ?? {}, 'spec');
}

/** ValidatePersistentVolumeClaimSpec at `p` (a PVC's `spec`, or an ephemeral volume's claim template spec). */
export function validatePersistentVolumeClaimSpec(spec: Json, p: string): FieldError[] {
  const out: FieldError[] = [];
  validateAccessModes(spec.accessModes, out, 'at least 1 access mode is required', `${p}.accessModes`);
  if (spec.selector != null) out.push(...validateLabelSelector(spec.selector, `${p}.selector`));
  const requests: Json = spec.resources?.requests ?? {};
  const storage = requests.storage;
  if (storage === undefined) out.push(fieldRequired(`${p}.resources[storage]`));
  else {
    const sign = quantitySign(storage);
    if (sign !== undefined && sign <= 0) out.push(fieldInvalid(`${p}.resources[storage]`, storage, 'must be greater than zero'));
  }
  if (spec.storageClassName) {
    for (const msg of isDNS1123Subdomain(spec.storageClassName))
      out.push(fieldInvalid(`${p}.storageClassName`, spec.storageClassName, msg));
  }
  if (spec.volumeMode != null && !VOLUME_MODES.includes(spec.volumeMode)) {
    out.push(fieldNotSupported(`${p}.volumeMode`, spec.volumeMode, VOLUME_MODES));
  }
  return out;
}
