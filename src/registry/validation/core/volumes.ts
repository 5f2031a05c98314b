// The claim spec rules a PersistentVolumeClaim template gets where it is embedded: a StatefulSet's
// volumeClaimTemplates and a pod's ephemeral volumes (kube pkg/apis/core/validation/validation.go
// ValidatePersistentVolumeClaimSpec with a template's options). PersistentVolumes and PersistentVolumeClaims
// themselves are validated in persistentvolume.ts.
import type { FieldError } from '../../../apimachinery/errors.js';
import {
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1123Subdomain,
  validateLabelSelector,
} from '../../../apimachinery/validation.js';
import { quantitySign } from './quantity.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];

type Json = Record<string, any>;

function validateAccessModes(modes: unknown, out: FieldError[], requiredDetail = '', p = 'spec.accessModes'): void {
  const list: string[] = Array.isArray(modes) ? modes : [];
  if (list.length === 0) out.push(fieldRequired(p, requiredDetail));
  for (const m of list) if (!ACCESS_MODES.includes(m)) out.push(fieldNotSupported(p, m, ACCESS_MODES));
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
