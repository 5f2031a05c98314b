// PersistentVolume and PersistentVolumeClaim defaults (pkg/apis/core/v1/defaults.go). PVC specs also appear inside
// StatefulSet volumeClaimTemplates and ephemeral volumes, so these are shared.
import { child, defaultEmptyString, defaultNil, defaultResourceList, defaultResourceRequirements, optional, type Json } from './json.js';

export function defaultPersistentVolumeClaimSpec(spec: Json): void {
  defaultNil(spec, 'volumeMode', 'Filesystem');
  defaultResourceRequirements(optional(spec, 'resources'));
}

/** A whole PersistentVolumeClaim, including one used as a StatefulSet volumeClaimTemplate. */
export function defaultPersistentVolumeClaim(pvc: Json): void {
  defaultPersistentVolumeClaimSpec(child(pvc, 'spec'));
  const status = child(pvc, 'status');
  defaultEmptyString(status, 'phase', 'Pending');
  defaultResourceList(status, 'capacity');
  defaultResourceList(status, 'allocatedResources');
}

export function defaultPersistentVolume(pv: Json): void {
  const spec = child(pv, 'spec');
  defaultEmptyString(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  defaultNil(spec, 'volumeMode', 'Filesystem');
  defaultResourceList(spec, 'capacity');
  defaultVolumeSourceFields(spec);
  defaultEmptyString(child(pv, 'status'), 'phase', 'Pending');
}

/**
 * Defaults shared by pod volume sources and PersistentVolume sources (same field names, and the same values in
 * their persistent variants): hostPath, iscsi, rbd, azureDisk, scaleIO.
 */
export function defaultVolumeSourceFields(source: Json): void {
  const hostPath = optional(source, 'hostPath');
  if (hostPath) defaultNil(hostPath, 'type', '');
  const iscsi = optional(source, 'iscsi');
  if (iscsi) defaultEmptyString(iscsi, 'iscsiInterface', 'default');
  const rbd = optional(source, 'rbd');
  if (rbd) {
    defaultEmptyString(rbd, 'pool', 'rbd');
    defaultEmptyString(rbd, 'user', 'admin');
    defaultEmptyString(rbd, 'keyring', '/etc/ceph/keyring');
  }
  const azureDisk = optional(source, 'azureDisk');
  if (azureDisk) {
    defaultNil(azureDisk, 'cachingMode', 'ReadWrite');
    defaultNil(azureDisk, 'fsType', 'ext4');
    defaultNil(azureDisk, 'readOnly', false);
    defaultNil(azureDisk, 'kind', 'Shared');
  }
  const scaleIO = optional(source, 'scaleIO');
  if (scaleIO) {
    defaultEmptyString(scaleIO, 'storageMode', 'ThinProvisioned');
    defaultEmptyString(scaleIO, 'fsType', 'xfs');
  }
}
