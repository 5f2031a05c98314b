// Namespace validation (kube pkg/apis/core/validation/validation.go: ValidateNamespace, ValidateNamespaceUpdate,
// ValidateNamespaceStatusUpdate, ValidateNamespaceFinalizeUpdate and validateFinalizerName), after ObjectMeta.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { fieldInvalid } from '../../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate, validateKubeFinalizerName } from './objectmeta.js';

function finalizersOf(ns: KubeObject): unknown[] {
  return Array.isArray(ns.spec?.finalizers) ? ns.spec.finalizers : [];
}

/** ValidateNamespace without ObjectMeta (the generic create step checks it): every error at the list's path. */
export function validateNamespace(ns: KubeObject): FieldError[] {
  return finalizersOf(ns).flatMap((f) => validateKubeFinalizerName(String(f), 'spec.finalizers'));
}

/** The namespace strategy's ValidateUpdate: ValidateNamespace (ObjectMeta included), then ValidateNamespaceUpdate. */
export function validateNamespaceUpdate(ns: KubeObject, old: KubeObject): FieldError[] {
  return [...objectMeta(ns, false, 'label'), ...validateNamespace(ns), ...objectMetaUpdate(ns, old)];
}

/** ValidateNamespaceStatusUpdate: the phase follows deletionTimestamp (kube's path is `status.Phase`). */
export function validateNamespaceStatusUpdate(ns: KubeObject, old: KubeObject): FieldError[] {
  const out = objectMetaUpdate(ns, old);
  const phase: string = ns.status?.phase ?? '';
  if (!ns.metadata?.deletionTimestamp) {
    if (phase !== 'Active') out.push(fieldInvalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (phase !== 'Terminating') {
    out.push(fieldInvalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return out;
}

/** ValidateNamespaceFinalizeUpdate: each finalizer at its own index. */
export function validateNamespaceFinalizeUpdate(ns: KubeObject, old: KubeObject): FieldError[] {
  return [
    ...objectMetaUpdate(ns, old),
    ...finalizersOf(ns).flatMap((f, i) => validateKubeFinalizerName(String(f), `spec.finalizers[${i}]`)),
  ];
}
