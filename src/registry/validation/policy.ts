// PodDisruptionBudget validation (kube pkg/apis/policy/validation/validation.go: ValidatePodDisruptionBudget,
// ValidatePodDisruptionBudgetSpec, ValidatePodDisruptionBudgetStatusUpdate), after ObjectMeta.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import {
  fieldInvalid,
  fieldNotSupported,
  IS_NEGATIVE_ERROR_MSG,
  regexError,
  validateConditions,
  validateLabelSelector,
  validateNonnegativeField,
  validateObjectMeta,
} from '../../apimachinery/validation.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];
const PERCENT = /^[0-9]+%$/;

/** appsvalidation.ValidatePositiveIntOrPercent and IsNotMoreThan100Percent (kept private: apps has its own). */
function validateIntOrPercent(v: number | string, field: string, out: FieldError[]): void {
  if (typeof v === 'string') {
    if (!PERCENT.test(v)) {
      out.push(
        fieldInvalid(
          field,
          v,
          regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%'),
        ),
      );
    } else if (Number(v.slice(0, -1)) > 100) out.push(fieldInvalid(field, v, 'must not be greater than 100%'));
  } else if (v < 0) out.push(fieldInvalid(field, v, IS_NEGATIVE_ERROR_MSG));
}

export function validatePodDisruptionBudget(pdb: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec = pdb.spec ?? {};
  if (spec.minAvailable != null && spec.maxUnavailable != null) {
    // The internal PodDisruptionBudgetSpec as Go's JSON writes it (no json tags; IntOrString and LabelSelector have theirs).
    const value = {
      MinAvailable: spec.minAvailable,
      Selector: spec.selector ?? null,
      MaxUnavailable: spec.maxUnavailable,
      UnhealthyPodEvictionPolicy: spec.unhealthyPodEvictionPolicy ?? null,
    };
    out.push(fieldInvalid('spec', value, 'minAvailable and maxUnavailable cannot be both set'));
  }
  if (spec.minAvailable != null) validateIntOrPercent(spec.minAvailable, 'spec.minAvailable', out);
  if (spec.maxUnavailable != null) validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable', out);
  out.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  if (spec.unhealthyPodEvictionPolicy != null && !EVICTION_POLICIES.includes(spec.unhealthyPodEvictionPolicy)) {
    out.push(fieldNotSupported('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, EVICTION_POLICIES));
  }
  return out;
}

/**
 * ValidatePodDisruptionBudgetStatusUpdate, the /status strategy's only check: the conditions, and (from policy/v1
 * on; v1beta1 keeps its old leniency) the four counters are not negative.
 */
export function validatePodDisruptionBudgetStatusUpdate(pdb: KubeObject, _old: KubeObject, info: { version: string }): FieldError[] {
  const status = pdb.status ?? {};
  const out = validateConditions(status.conditions, 'status.conditions');
  if (info.version === 'v1beta1') return out;
  for (const f of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) {
    out.push(...validateNonnegativeField(status[f] ?? 0, `status.${f}`));
  }
  return out;
}

/**
 * The strategy's Validate on create: ValidatePodDisruptionBudget has no ObjectMeta call, so kube's store checks
 * ObjectMeta (apimachinery's rules, path-segment names, no kube finalizer check) only once the spec passed, and
 * reports those errors alone.
 */
export function validatePodDisruptionBudgetCreate(pdb: KubeObject): FieldError[] {
  const out = validatePodDisruptionBudget(pdb);
  return out.length > 0 ? out : validateObjectMeta(pdb.metadata ?? {}, { namespaced: true, nameValidation: 'path-segment' });
}
