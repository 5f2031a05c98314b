// ObjectMeta checks as the core kinds' own validators repeat them (kube pkg/apis/core/validation/validation.go:
// ValidateObjectMeta and ValidateObjectMetaUpdate called from ValidateX and ValidateXUpdate). kube's generic
// create and update steps run them too, so on an update a bad label is reported once per call: these helpers let
// a kind's update rules make exactly kube's calls.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { validateObjectMeta, validateObjectMetaUpdate, type NameValidation } from '../../../apimachinery/validation.js';

/** ValidateObjectMeta(&x.ObjectMeta, namespaced, nameFn, "metadata"). */
export function objectMeta(obj: KubeObject, namespaced: boolean, nameValidation: NameValidation = 'subdomain'): FieldError[] {
  return validateObjectMeta(obj.metadata ?? {}, { namespaced, nameValidation });
}

/** ValidateObjectMetaUpdate(&x.ObjectMeta, &old.ObjectMeta, "metadata"). */
export function objectMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {});
}
