// Pods (pkg/registry/core/pod/strategy.go): a new pod starts Pending; generation is tracked since 1.33.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { defaultPod } from '../defaults/core.js';
import { fieldPath } from '../fieldsets.js';
import { pods as podPrinter } from '../printers/pods.js';
import { defineStrategy } from '../strategy.js';

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
  validate: validatePod,
  validateUpdate: validatePodUpdate,
});

function validatePod(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const containers: unknown[] = obj.spec?.containers ?? [];
  if (containers.length === 0) out.push({ type: 'FieldValueRequired', field: 'spec.containers', detail: '' });
  const seen = new Set<string>();
  containers.forEach((c: any, i) => {
    if (c?.name && seen.has(c.name))
      out.push({ type: 'FieldValueDuplicate', field: `spec.containers[${i}].name`, value: c.name, detail: '' });
    if (c?.name) seen.add(c.name);
    if (!c?.image) out.push({ type: 'FieldValueRequired', field: `spec.containers[${i}].image`, detail: '' });
  });
  return out;
}

function validatePodUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const out = validatePod(obj);
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
