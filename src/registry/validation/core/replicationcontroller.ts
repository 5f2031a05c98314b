// ReplicationController update and /status validation (kube pkg/apis/core/validation/validation.go:
// ValidateReplicationControllerUpdate, ValidateReplicationControllerStatusUpdate, ValidateReplicationControllerStatus
// and ValidatePodTemplateUpdate). The spec and pod-template rules themselves live in pod.ts.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { fieldInvalid, validateNonnegativeField } from '../../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate } from './objectmeta.js';
import { validatePodTemplate, validateReplicationController } from './pod.js';

/** The RC strategy's ValidateUpdate: ValidateReplicationController, then ValidateReplicationControllerUpdate (spec again). */
export function validateReplicationControllerUpdate(rc: KubeObject, old: KubeObject): FieldError[] {
  return [
    ...objectMeta(rc, true),
    ...validateReplicationController(rc),
    ...objectMetaUpdate(rc, old),
    ...validateReplicationController(rc),
  ];
}

/** ValidateReplicationControllerStatusUpdate: counters are not negative, and none exceeds what contains it. */
export function validateReplicationControllerStatusUpdate(rc: KubeObject, old: KubeObject): FieldError[] {
  const out = objectMetaUpdate(rc, old);
  const status = rc.status ?? {};
  const n = (k: string): number => (typeof status[k] === 'number' ? status[k] : 0);
  for (const k of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) {
    out.push(...validateNonnegativeField(n(k), `status.${k}`));
  }
  const over = (k: string, than: string, label: string) => {
    if (n(k) > n(than)) out.push(fieldInvalid(`status.${k}`, n(k), `cannot be greater than ${label}`));
  };
  over('fullyLabeledReplicas', 'replicas', 'status.replicas');
  over('readyReplicas', 'replicas', 'status.replicas');
  over('availableReplicas', 'replicas', 'status.replicas');
  over('availableReplicas', 'readyReplicas', 'readyReplicas');
  return out;
}

/** ValidatePodTemplateUpdate: ObjectMeta update rules, then the template (the PodTemplate's own ObjectMeta is not re-checked). */
export function validatePodTemplateUpdate(pt: KubeObject, old: KubeObject): FieldError[] {
  return [...objectMetaUpdate(pt, old), ...validatePodTemplate(pt)];
}
