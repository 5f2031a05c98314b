// StorageClass validation (kube pkg/apis/storage/validation/validation.go: ValidateStorageClass,
// ValidateStorageClassUpdate), after ObjectMeta.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isQualifiedName,
} from '../../apimachinery/validation.js';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

export function validateStorageClass(sc: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const provisioner: string = sc.provisioner ?? '';
  if (provisioner === '') out.push(fieldRequired('provisioner'));
  else {
    // The provisioner is checked lower-cased, and shown so.
    const lower = provisioner.toLowerCase();
    for (const msg of isQualifiedName(lower)) out.push(fieldInvalid('provisioner', lower, msg));
  }
  const params: Record<string, unknown> = sc.parameters ?? {};
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMETERS)
    out.push({ type: 'FieldValueTooLong', field: 'parameters', detail: `may not be more than ${MAX_PARAMETERS} bytes` });
  let size = 0;
  for (const k of keys) {
    if (k.length < 1) out.push(fieldInvalid('parameters', k, 'field can not be empty.'));
    size += Buffer.byteLength(k) + Buffer.byteLength(String(params[k] ?? ''));
  }
  if (size > MAX_PARAMETERS_SIZE) out.push(fieldTooLong('parameters', MAX_PARAMETERS_SIZE));
  const policy: string = sc.reclaimPolicy ?? '';
  if (policy !== '' && !RECLAIM_POLICIES.includes(policy)) out.push(fieldNotSupported('reclaimPolicy', policy, RECLAIM_POLICIES));
  if (sc.volumeBindingMode == null) out.push(fieldRequired('volumeBindingMode'));
  else if (!BINDING_MODES.includes(sc.volumeBindingMode))
    out.push(fieldNotSupported('volumeBindingMode', sc.volumeBindingMode, BINDING_MODES));
  return out;
}

/** ValidateStorageClassUpdate: parameters, provisioner, reclaimPolicy and volumeBindingMode never change. */
export function validateStorageClassUpdate(sc: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  if (!deepEqual(sc.parameters ?? null, old.parameters ?? null))
    out.push(fieldForbidden('parameters', 'updates to parameters are forbidden.'));
  if ((sc.provisioner ?? '') !== (old.provisioner ?? '')) out.push(fieldForbidden('provisioner', 'updates to provisioner are forbidden.'));
  if ((sc.reclaimPolicy ?? '') !== (old.reclaimPolicy ?? ''))
    out.push(fieldForbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if ((sc.volumeBindingMode ?? null) !== (old.volumeBindingMode ?? null)) {
    out.push(fieldInvalid('volumeBindingMode', sc.volumeBindingMode ?? null, 'field is immutable'));
  }
  return out;
}
