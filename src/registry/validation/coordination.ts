// Lease validation (kube pkg/apis/coordination/validation/validation.go: ValidateLease, ValidateLeaseSpec,
// ValidateLeaseUpdate), after
// ObjectMeta. strategy and preferredHolder belong to the CoordinatedLeaderElection gate, off in v1.34.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { fieldInvalid, validateObjectMetaUpdate } from '../../apimachinery/validation.js';

export function validateLease(lease: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec = lease.spec ?? {};
  if (spec.leaseDurationSeconds != null && spec.leaseDurationSeconds <= 0) {
    out.push(fieldInvalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions != null && spec.leaseTransitions < 0) {
    out.push(fieldInvalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return out;
}

/** ValidateLeaseUpdate: ObjectMeta's update rules, then the spec as on create. */
export function validateLeaseUpdate(lease: KubeObject, old: KubeObject): FieldError[] {
  // apimachinery's ValidateObjectMetaUpdate: a Lease's finalizers need not be kube's standard names.
  return [...validateObjectMetaUpdate(lease.metadata ?? {}, old.metadata ?? {}), ...validateLease(lease)];
}
