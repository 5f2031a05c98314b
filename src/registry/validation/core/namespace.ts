// Namespace validation (kube pkg/apis/core/validation/validation.go: ValidateNamespace,
// ValidateNamespaceFinalizeUpdate, validateFinalizerName and validateKubeFinalizerName), after ObjectMeta.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { fieldInvalid, validateFinalizerName } from '../../../apimachinery/validation.js';

/** helper.IsStandardFinalizerName. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** validateFinalizerName: a qualified name, and an unprefixed one must be standard. Every error is at the list's path. */
export function validateKubeFinalizerName(name: string, field: string): FieldError[] {
  const out = validateFinalizerName(name, field);
  if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
    out.push(fieldInvalid(field, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return out;
}

/** ValidateNamespace (and ValidateNamespaceFinalizeUpdate, which checks the same list). */
export function validateNamespace(ns: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const finalizers: unknown[] = Array.isArray(ns.spec?.finalizers) ? ns.spec.finalizers : [];
  for (const f of finalizers) out.push(...validateKubeFinalizerName(String(f), 'spec.finalizers'));
  return out;
}
