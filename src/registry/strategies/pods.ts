// Pods (pkg/registry/core/pod/strategy.go): a new pod starts Pending; generation is tracked since 1.33.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { fieldForbidden, fieldInvalid, fieldRequired } from '../../apimachinery/validation.js';
import { defaultPod } from '../defaults/core.js';
import { fieldPath } from '../fieldsets.js';
import { pods as podPrinter } from '../printers/pods.js';
import { defineStrategy } from '../strategy.js';
import { dropDisabledPodSpecFields, validatePodCreate, validatePodMetadataAndSpec } from '../validation/core/pod.js';

export const pods = defineStrategy({
  resource: '/pods',
  returnsDeletedObject: true,
  defaults: defaultPod,
  fieldLabels: {
    'spec.nodeName': fieldPath('spec', 'nodeName'),
    'spec.restartPolicy': fieldPath('spec', 'restartPolicy'),
    'spec.schedulerName': fieldPath('spec', 'schedulerName'),
    'spec.serviceAccountName': fieldPath('spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => ((o.spec?.securityContext?.hostNetwork ?? o.spec?.hostNetwork) ? 'true' : 'false'),
    'status.phase': fieldPath('status', 'phase'),
    'status.podIP': (o) => String(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP ?? ''),
    'status.nominatedNodeName': fieldPath('status', 'nominatedNodeName'),
  },
  // The legacy label kube's conversion still accepts.
  fieldLabelRenames: { 'spec.host': 'spec.nodeName' },
  printer: podPrinter,
  // PrepareForCreate: `pod.Status = api.PodStatus{Phase: api.PodPending, QOSClass: ...}`.
  initialStatus: (obj) => ({ phase: 'Pending', qosClass: qosClass(obj) }),
  prepareForCreate: (obj) => dropDisabledPodSpecFields(obj.spec),
  prepareForUpdate: (obj) => dropDisabledPodSpecFields(obj.spec),
  validate: validatePodCreate,
  validateUpdate: validatePodUpdate,
});

/** ValidatePodUpdate (after ObjectMeta): the new pod is valid, keeps its containers, and changes only mutable fields. */
function validatePodUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const out = validatePodMetadataAndSpec(obj);
  for (const k of ['containers', 'initContainers']) {
    const next: any[] = obj.spec?.[k] ?? [];
    const prev: any[] = old.spec?.[k] ?? [];
    if (next.length !== prev.length) {
      out.push(fieldForbidden(`spec.${k}`, 'pod updates may not add or remove containers'));
      return out;
    }
    next.forEach((c, i) => {
      const image: string = typeof c?.image === 'string' ? c.image : '';
      if (image.length === 0) out.push(fieldRequired(`spec.${k}[${i}].image`));
      if (image.trim().length !== image.length) {
        out.push(fieldInvalid(`spec.${k}[${i}].image`, image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  // Only images and a few fields of a pod's spec may change after creation.
  const strip = (spec: any) => {
    if (!spec) return spec;
    const c = structuredClone(spec);
    for (const k of ['containers', 'initContainers']) for (const ct of c[k] ?? []) delete ct.image;
    delete c.activeDeadlineSeconds;
    delete c.tolerations;
    delete c.terminationGracePeriodSeconds;
    return JSON.stringify(c);
  };
  if (strip(obj.spec) !== strip(old.spec)) {
    out.push({
      type: 'FieldValueForbidden',
      field: 'spec',
      detail:
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    });
  }
  return out;
}

/** BestEffort without any requests/limits, Guaranteed when every container's limits equal requests, else Burstable. */
function qosClass(pod: KubeObject): string {
  const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && String(req[r]) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
