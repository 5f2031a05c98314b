// PriorityClass validation (kube pkg/apis/scheduling/validation/validation.go: ValidatePriorityClass,
// ValidatePriorityClassUpdate), after ObjectMeta.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { fieldForbidden, fieldInvalid, fieldNotSupported } from '../../apimachinery/validation.js';
import { objectMetaUpdate } from './core/objectmeta.js';

const SYSTEM_PREFIX = 'system-';
const HIGHEST_USER_PRIORITY = 1000000000;
/** scheduling.SystemPriorityClasses: name → value (neither is a global default). */
const SYSTEM_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/** Whether `name` is one of the system PriorityClasses kube-apiserver creates at start-up. */
export function isSystemPriorityClass(name: string): boolean {
  return Object.hasOwn(SYSTEM_CLASSES, name);
}

/** scheduling.IsKnownSystemPriorityClass's error, or '' when the class is one of the system ones as defined. */
function systemClassError(name: string, value: number, globalDefault: boolean): string {
  const want = SYSTEM_CLASSES[name];
  if (want === undefined) return `${name} is not a known system priority class`;
  if (value !== want) return `value of ${name} PriorityClass must be ${want}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return '';
}

export function validatePriorityClass(pc: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const name: string = pc.metadata?.name ?? '';
  const value: number = pc.value ?? 0;
  if (name.startsWith(SYSTEM_PREFIX)) {
    const err = systemClassError(name, value, pc.globalDefault === true);
    if (err !== '') {
      out.push(
        fieldForbidden(
          'metadata.name',
          `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${err}`,
        ),
      );
    }
  } else if (value > HIGHEST_USER_PRIORITY) {
    out.push(fieldForbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  if (pc.preemptionPolicy != null && !PREEMPTION_POLICIES.includes(pc.preemptionPolicy)) {
    out.push(fieldNotSupported('preemptionPolicy', pc.preemptionPolicy, PREEMPTION_POLICIES));
  }
  return out;
}

/** ValidatePriorityClassUpdate: ObjectMeta's update rules; value and preemptionPolicy never change. */
export function validatePriorityClassUpdate(pc: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = objectMetaUpdate(pc, old);
  if ((pc.value ?? 0) !== (old.value ?? 0)) out.push(fieldForbidden('value', 'may not be changed in an update.'));
  if ((pc.preemptionPolicy ?? null) !== (old.preemptionPolicy ?? null)) {
    out.push(fieldInvalid('preemptionPolicy', pc.preemptionPolicy ?? null, 'field is immutable'));
  }
  return out;
}
