// RuntimeClass validation (kube pkg/apis/node/validation/validation.go: ValidateRuntimeClass,
// ValidateRuntimeClassUpdate), after ObjectMeta: the handler is a DNS label and immutable, the overhead is a valid
// container resource list, the scheduling node selector valid labels and its tolerations valid and distinct.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { fieldInvalid, isDNS1123Label, validateImmutableField, validateLabels } from '../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate } from './core/objectmeta.js';
import { validateResourceRequirements, validateTolerations } from './core/pod.js';
import { goInternal } from './core/podspec-diff.js';

export function validateRuntimeClass(rc: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const handler: string = rc.handler ?? '';
  for (const msg of isDNS1123Label(handler)) out.push(fieldInvalid('handler', handler, msg));
  // ValidateContainerResourceRequirements over the pod's fixed overhead as limits.
  if (rc.overhead != null) validateResourceRequirements({ limits: rc.overhead.podFixed ?? {} }, 'overhead', out);
  const scheduling = rc.scheduling;
  if (scheduling != null) {
    if (scheduling.nodeSelector != null) out.push(...validateLabels(scheduling.nodeSelector, 'scheduling.nodeSelector'));
    const tolerations: any[] = Array.isArray(scheduling.tolerations) ? scheduling.tolerations : [];
    // kube names the list twice here (fldPath.Child("tolerations") in both validateTolerations and its caller).
    validateTolerations(tolerations, 'scheduling.tolerations.tolerations', out);
    const seen = new Set<string>();
    tolerations.forEach((t, i) => {
      // Distinct by key, operator, value and effect (tolerationSeconds is not part of the set's key).
      const listKey = JSON.stringify([t?.key ?? '', t?.operator ?? '', t?.value ?? '', t?.effect ?? '']);
      if (seen.has(listKey)) {
        out.push({
          type: 'FieldValueDuplicate',
          field: `scheduling.tolerations[${i}]`,
          value: goInternal('Toleration', t ?? {}),
          detail: '',
        });
      } else seen.add(listKey);
    });
  }
  return out;
}

/** The strategy's ValidateUpdate: the new class as on create (ObjectMeta included), then the update rules. */
export function validateRuntimeClassUpdate(rc: KubeObject, old: KubeObject): FieldError[] {
  return [
    ...objectMeta(rc, false),
    ...validateRuntimeClass(rc),
    ...objectMetaUpdate(rc, old),
    ...validateImmutableField(rc.handler ?? '', old.handler ?? '', 'handler'),
  ];
}
