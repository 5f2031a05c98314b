// PersistentVolume, PersistentVolumeClaim and StorageClass rows. Absent defaulted fields print their v1
// defaults (reclaim policy Retain, phase Pending, volumeMode Filesystem), which decoding would have set.
import { accessModes, nameOf, quantity, str } from './format.js';
import { age } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

function hasAnnotation(obj: Json, key: string): boolean {
  const annotations = obj?.metadata?.annotations;
  return annotations != null && Object.prototype.hasOwnProperty.call(annotations, key);
}

/** helper.GetPersistentVolumeClass / GetPersistentVolumeClaimClass: the beta annotation wins over the field. */
function storageClassOf(obj: Json): string {
  if (hasAnnotation(obj, BETA_STORAGE_CLASS_ANNOTATION)) return str(obj.metadata.annotations[BETA_STORAGE_CLASS_ANNOTATION]);
  return str(obj?.spec?.storageClassName);
}

function phaseOf(obj: Json): string {
  return obj?.metadata?.deletionTimestamp ? 'Terminating' : obj?.status?.phase || 'Pending';
}

function optional(v: unknown): string {
  return v === undefined || v === null ? '<unset>' : str(v);
}

export const persistentVolumes: Printer = {
  columns: [
    'Name',
    'Capacity',
    'Access Modes',
    'Reclaim Policy',
    'Status',
    'Claim',
    'StorageClass',
    'VolumeAttributesClass',
    'Reason',
    'Age',
    'VolumeMode',
  ],
  cells(obj, nowMs): Cell[] {
    const spec = obj.spec ?? {};
    const claimRef = spec.claimRef;
    return [
      nameOf(obj),
      quantity(spec.capacity?.storage, '0'),
      accessModes(spec.accessModes),
      spec.persistentVolumeReclaimPolicy || 'Retain',
      phaseOf(obj),
      claimRef ? `${str(claimRef.namespace)}/${str(claimRef.name)}` : '',
      storageClassOf(obj),
      optional(spec.volumeAttributesClassName),
      str(obj.status?.reason),
      age(obj, nowMs),
      spec.volumeMode ?? 'Filesystem',
    ];
  },
};

export const persistentVolumeClaims: Printer = {
  columns: ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode'],
  cells(obj, nowMs): Cell[] {
    const spec = obj.spec ?? {};
    const bound = Boolean(spec.volumeName);
    return [
      nameOf(obj),
      phaseOf(obj),
      str(spec.volumeName),
      bound ? quantity(obj.status?.capacity?.storage, '0') : '',
      bound ? accessModes(obj.status?.accessModes) : '',
      storageClassOf(obj),
      optional(spec.volumeAttributesClassName),
      age(obj, nowMs),
      spec.volumeMode ?? 'Filesystem',
    ];
  },
};

export const storageClasses: Printer = {
  columns: ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'],
  cells(obj, nowMs): Cell[] {
    const annotations = obj.metadata?.annotations ?? {};
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((k) => annotations[k] === 'true');
    return [
      isDefault ? `${nameOf(obj)} (default)` : nameOf(obj),
      str(obj.provisioner),
      obj.reclaimPolicy ?? 'Delete',
      obj.volumeBindingMode ?? 'Immediate',
      obj.allowVolumeExpansion === true,
      age(obj, nowMs),
    ];
  },
};
