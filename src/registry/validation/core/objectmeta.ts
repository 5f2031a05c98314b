// ObjectMeta checks as the core kinds' own validators make them (kube pkg/apis/core/validation/validation.go:
// ValidateObjectMeta and ValidateObjectMetaUpdate, which add validateKubeFinalizerName to apimachinery's, called
// from ValidateX and ValidateXUpdate). kube's generic create and update steps run apimachinery's checks too, so on
// an update a bad label is reported once per call: these helpers let a kind's rules make exactly kube's calls.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import {
  fieldInvalid,
  validateFinalizerName,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type NameValidation,
} from '../../../apimachinery/validation.js';

/** helper.IsStandardFinalizerName. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** validateKubeFinalizerName: an unprefixed finalizer must be a standard one. */
function standardFinalizerErrors(name: string, field: string): FieldError[] {
  if (name.includes('/') || STANDARD_FINALIZERS.has(name)) return [];
  return [fieldInvalid(field, name, 'name is neither a standard finalizer name nor is it fully qualified')];
}

/** validateFinalizerName (core, for a namespace's spec.finalizers): a qualified name, then validateKubeFinalizerName. */
export function validateKubeFinalizerName(name: string, field: string): FieldError[] {
  return [...validateFinalizerName(name, field), ...standardFinalizerErrors(name, field)];
}

/** The finalizer check core's ValidateObjectMeta adds: an unprefixed name must be standard, reported at its index. */
export function kubeFinalizerErrors(obj: KubeObject): FieldError[] {
  return metadataFinalizerErrors(obj.metadata);
}

/** kubeFinalizerErrors for an ObjectMeta on its own. */
export function metadataFinalizerErrors(meta: { finalizers?: unknown } | undefined): FieldError[] {
  const finalizers: unknown[] = Array.isArray(meta?.finalizers) ? meta.finalizers : [];
  return finalizers.flatMap((f, i) => standardFinalizerErrors(String(f), `metadata.finalizers[${i}]`));
}

/** core ValidateObjectMeta(&x.ObjectMeta, namespaced, nameFn, "metadata"). */
export function objectMeta(obj: KubeObject, namespaced: boolean, nameValidation: NameValidation = 'subdomain'): FieldError[] {
  return [...validateObjectMeta(obj.metadata ?? {}, { namespaced, nameValidation }), ...kubeFinalizerErrors(obj)];
}

/** core ValidateObjectMetaUpdate(&x.ObjectMeta, &old.ObjectMeta, "metadata"). */
export function objectMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return [...validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}), ...kubeFinalizerErrors(obj)];
}

/**
 * A kind's create validation as core's ValidateX makes it: the finalizer checks its ValidateObjectMeta adds to
 * the ObjectMeta checks kgate's create step has already made, then the kind's own rules.
 */
export function withKubeFinalizers<A extends unknown[]>(
  validate: (obj: KubeObject, ...rest: A) => FieldError[],
): (obj: KubeObject, ...rest: A) => FieldError[] {
  return (obj, ...rest) => [...kubeFinalizerErrors(obj), ...validate(obj, ...rest)];
}
