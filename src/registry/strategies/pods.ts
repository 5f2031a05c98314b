// Pods (pkg/registry/core/pod/strategy.go): a new pod starts Pending; generation is tracked since 1.33.
import { forbidden, notFound } from '../../apimachinery/errors.js';
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
    addDefaultTolerations(obj);
    admitDefaultPriority(obj);
    dropDisabledPodSpecFields(obj.spec);
    applySchedulingGatedCondition(obj);
    applyMatchLabelKeys(obj);
    applyAppArmorVersionSkew(obj);
  },
  prepareForUpdate: (obj, old) => {
    convertTerminationGracePeriod(obj);
    addDefaultTolerations(obj);
    // Priority admission on update: an unset priority or preemptionPolicy keeps the old one.
    for (const k of ['priority', 'preemptionPolicy']) {
      if (obj.spec && obj.spec[k] === undefined && old.spec?.[k] !== undefined) obj.spec[k] = old.spec[k];
    }
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

const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds): a pod that does
 * not tolerate not-ready or unreachable nodes for NoExecute gets a 300s toleration for each, on create and update.
 * kube mutates before validation; kgate's admission chain runs after it, so the pod strategy applies it here.
 */
function addDefaultTolerations(pod: KubeObject): void {
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object') return;
  const tolerations: any[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const tolerates = (key: string) => tolerations.some((t) => (t?.key === key || !t?.key) && (t?.effect === 'NoExecute' || !t?.effect));
  const added: any[] = [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerates(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}

/**
 * The Priority admission plugin (plugin/pkg/admission/priority) for a pod naming no PriorityClass, with no
 * globalDefault class: priority 0 and PreemptLowerPriority, and a pod that says otherwise is refused before
 * validation. (Named classes and a globalDefault class need the PriorityClass store and are not resolved here.)
 */
function admitDefaultPriority(pod: KubeObject): void {
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object' || (typeof spec.priorityClassName === 'string' && spec.priorityClassName !== '')) return;
  const refuse = (reason: string) => {
    throw forbidden({ group: '', resource: 'pods' }, pod.metadata?.name ?? '', reason);
  };
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== 0) {
    refuse(
      `the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name`,
    );
  }
  spec.priority = 0;
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== 'PreemptLowerPriority') {
    refuse(
      `the string value of PreemptionPolicy (${String(spec.preemptionPolicy)}) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name`,
    );
  }
  spec.preemptionPolicy = 'PreemptLowerPriority';
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
