// Pods (pkg/registry/core/pod/strategy.go): a new pod starts Pending; generation is tracked since 1.33.
import { notFound } from '../../apimachinery/errors.js';
import { formatTime } from '../../apimachinery/time.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { defaultPod } from '../defaults/core.js';
import { fieldPath } from '../fieldsets.js';
import { pods as podPrinter } from '../printers/pods.js';
import { decodedForm } from '../store.js';
import { defineStrategy } from '../strategy.js';
import {
  applyAppArmorVersionSkew,
  applyMatchLabelKeys,
  dropDisabledPodSpecFields,
  validatePodCreate,
  validatePodStatusUpdate,
  validatePodUpdate,
} from '../validation/core/pod.js';

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
  prepareForCreate: (obj) => {
    convertTerminationGracePeriod(obj);
    dropDisabledPodSpecFields(obj.spec);
    applySchedulingGatedCondition(obj);
    applyMatchLabelKeys(obj);
    applyAppArmorVersionSkew(obj);
  },
  prepareForUpdate: (obj) => {
    convertTerminationGracePeriod(obj);
    dropDisabledPodSpecFields(obj.spec);
  },
  // validation/core/pod.ts is kube's whole ValidatePod: the schema's generic required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: validatePodCreate,
  // The refusal diff tells an explicitly empty list from an absent one, as kube's decoded struct does.
  validateUpdate: (obj, old) => validatePodUpdate(obj, old, decodedForm(obj)),
  validateStatusUpdate: validatePodStatusUpdate,
  prepareForStatusUpdate: preparePodStatusUpdate,
  // pods/binding (BindingREST's GuaranteedUpdate): the binding handler sets spec.nodeName, its annotations and the
  // PodScheduled condition; no strategy runs over it in kube, so nothing is prepared or validated here.
  prepareForSubresourceUpdate: (subresource, obj) => {
    if (subresource !== 'binding') throw notFound({ group: '', resource: 'pods' }, obj.metadata?.name ?? '');
  },
  validateSubresourceUpdate: () => [],
});

/**
 * podStatusStrategy.PrepareForUpdate: the spec and ownerReferences stay the stored ones (labels and annotations may
 * change through /status), an emptied qosClass or observedGeneration keeps its old value.
 */
function preparePodStatusUpdate(obj: KubeObject, old: KubeObject): void {
  obj.spec = old.spec;
  const meta = (obj.metadata ??= {});
  if (old.metadata?.ownerReferences === undefined) delete meta.ownerReferences;
  else meta.ownerReferences = old.metadata.ownerReferences;
  if (meta.generation === undefined && old.metadata?.generation !== undefined) meta.generation = old.metadata.generation;
  const status = (obj.status ??= {});
  const prev = old.status ?? {};
  if (!status.qosClass && prev.qosClass) status.qosClass = prev.qosClass;
  if (!status.observedGeneration && prev.observedGeneration) status.observedGeneration = prev.observedGeneration;
  // Conditions without an observedGeneration keep the old one of the same type, matched in order.
  const oldGenerations = new Map<string, number[]>();
  for (const c of Array.isArray(prev.conditions) ? prev.conditions : []) {
    oldGenerations.set(c?.type, [...(oldGenerations.get(c?.type) ?? []), c?.observedGeneration ?? 0]);
  }
  for (const c of Array.isArray(status.conditions) ? status.conditions : []) {
    const gens = oldGenerations.get(c?.type) ?? [];
    const gen = gens.shift() ?? 0;
    if (c && !c.observedGeneration && gen) c.observedGeneration = gen;
  }
}

/** A pod created with scheduling gates says why it is not scheduled (strategy.go applySchedulingGatedCondition). */
function applySchedulingGatedCondition(pod: KubeObject): void {
  if (!Array.isArray(pod.spec?.schedulingGates) || pod.spec.schedulingGates.length === 0) return;
  const status = (pod.status ??= {});
  const conditions: any[] = Array.isArray(status.conditions) ? status.conditions : [];
  if (conditions.some((c) => c?.type === 'PodScheduled')) return;
  status.conditions = [
    ...conditions,
    {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: formatTime(),
      reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    },
  ];
}

/** The v1→internal Pod conversion (pkg/apis/core/v1/conversion.go) turns a negative grace period into 1. */
function convertTerminationGracePeriod(pod: KubeObject): void {
  const spec = pod.spec;
  if (spec && typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    spec.terminationGracePeriodSeconds = 1;
  }
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
