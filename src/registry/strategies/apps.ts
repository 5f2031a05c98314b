// apps/v1 workloads (pkg/registry/apps/<kind>/strategy.go); their validation lives in src/registry/validation/apps.ts.
import type { KubeObject } from '../../apimachinery/meta.js';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from '../defaults/apps.js';
import { defaultPodTemplate } from '../defaults/podspec.js';
import { fieldCount } from '../fieldsets.js';
import * as apps from '../printers/apps.js';
import { decodedForm } from '../store.js';
import { defineStrategy, genericPrepareForStatusUpdate } from '../strategy.js';
import {
  validateControllerRevision,
  validateControllerRevisionUpdate,
  validateDaemonSet,
  validateDaemonSetStatusUpdate,
  validateDaemonSetUpdate,
  validateDeployment,
  validateDeploymentStatusUpdate,
  validateDeploymentUpdate,
  validateReplicaSet,
  validateReplicaSetStatusUpdate,
  validateReplicaSetUpdate,
  validateStatefulSet,
  validateStatefulSetStatusUpdate,
  validateStatefulSetUpdate,
} from '../validation/apps.js';
import { withKubeFinalizers } from '../validation/core/objectmeta.js';
import { dropDisabledPodSpecFields } from '../validation/core/pod.js';

export const deployments = defineStrategy({
  resource: 'apps/deployments',
  defaults: defaultDeployment,
  printer: apps.deployments,
  prepareForCreate: dropDisabledTemplateFields,
  prepareForUpdate: dropDisabledTemplateFields,
  // The kind's validation is kube's whole ValidateX (pod template included): the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: withKubeFinalizers((obj) => validateDeployment(obj, decodedForm(obj))),
  validateUpdate: (obj, old) => validateDeploymentUpdate(obj, old, decodedForm(obj)),
  // deploymentStatusStrategy.PrepareForUpdate keeps the stored spec and labels; other metadata comes from the write.
  prepareForStatusUpdate: (obj, old) => {
    keepStoredSpec(obj, old);
    if (old.metadata?.labels === undefined) delete obj.metadata!.labels;
    else obj.metadata!.labels = old.metadata.labels;
  },
  validateStatusUpdate: validateDeploymentStatusUpdate,
});

export const replicaSets = defineStrategy({
  resource: 'apps/replicasets',
  defaults: defaultReplicaSet,
  fieldLabels: { 'status.replicas': fieldCount('status', 'replicas') },
  printer: apps.replicaSets,
  // ReplicaSetStatus.replicas has no omitempty.
  initialStatus: () => ({ replicas: 0 }),
  prepareForCreate: dropDisabledTemplateFields,
  prepareForUpdate: dropDisabledTemplateFields,
  // The kind's validation is kube's whole ValidateX (pod template included): the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: withKubeFinalizers((obj) => validateReplicaSet(obj, decodedForm(obj))),
  validateUpdate: (obj, old) => validateReplicaSetUpdate(obj, old, decodedForm(obj)),
  prepareForStatusUpdate: keepStoredSpec,
  validateStatusUpdate: validateReplicaSetStatusUpdate,
});

export const statefulSets = defineStrategy({
  resource: 'apps/statefulsets',
  // ValidateStatefulSetName: pods are named <set>-<ordinal> and get the set's name as their hostname.
  nameValidation: 'label',
  defaults: defaultStatefulSet,
  printer: apps.statefulSets,
  // StatefulSetStatus.replicas and availableReplicas have no omitempty.
  initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
  prepareForCreate: (obj) => {
    dropDisabledTemplateFields(obj);
    dropMaxUnavailable(obj, undefined);
  },
  prepareForUpdate: (obj, old) => {
    dropDisabledTemplateFields(obj);
    dropMaxUnavailable(obj, old);
  },
  // The kind's validation is kube's whole ValidateX (pod template included): the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: withKubeFinalizers((obj) => validateStatefulSet(obj)),
  validateUpdate: validateStatefulSetUpdate,
  prepareForStatusUpdate: keepStoredSpec,
  validateStatusUpdate: validateStatefulSetStatusUpdate,
});

export const daemonSets = defineStrategy({
  resource: 'apps/daemonsets',
  defaults: defaultDaemonSet,
  printer: apps.daemonSets,
  // The four scheduling counters of DaemonSetStatus have no omitempty.
  initialStatus: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  prepareForCreate: dropDisabledTemplateFields,
  prepareForUpdate: dropDisabledTemplateFields,
  // The kind's validation is kube's whole ValidateX (pod template included): the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: withKubeFinalizers((obj) => validateDaemonSet(obj)),
  validateUpdate: validateDaemonSetUpdate,
  prepareForStatusUpdate: keepStoredSpec,
  validateStatusUpdate: validateDaemonSetStatusUpdate,
});

export const controllerRevisions = defineStrategy({
  resource: 'apps/controllerrevisions',
  printer: apps.controllerRevisions,
  // The kind's validation is kube's whole ValidateX (pod template included): the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: withKubeFinalizers((obj) => validateControllerRevision(obj)),
  validateUpdate: validateControllerRevisionUpdate,
});

/**
 * dropStatefulSetDisabledFields: MaxUnavailableStatefulSet is off in v1.34, so rollingUpdate.maxUnavailable is
 * cleared unless the stored StatefulSet already uses it.
 */
function dropMaxUnavailable(obj: KubeObject, old: KubeObject | undefined): void {
  if (old?.spec?.updateStrategy?.rollingUpdate?.maxUnavailable != null) return;
  const rollingUpdate = obj.spec?.updateStrategy?.rollingUpdate;
  if (rollingUpdate != null && typeof rollingUpdate === 'object') delete rollingUpdate.maxUnavailable;
}

/** Template fields of disabled features are cleared as kube's DropDisabledTemplateFields does. */
function dropDisabledTemplateFields(obj: KubeObject): void {
  ensureTemplate((obj.spec ??= {}), 'template');
  dropDisabledPodSpecFields(obj.spec.template.spec);
}

/**
 * apps/v1 and batch/v1 hold pod (and job) templates as non-pointer structs, so kube validates an absent template
 * as an empty, defaulted one (such an object never passes validation, so nothing absent is ever stored).
 */
export function ensureTemplate(holder: Record<string, any>, key: string): void {
  // Defaulting is idempotent: a template the defaulter already saw is unchanged.
  defaultPodTemplate((holder[key] ??= {}));
}

/**
 * The apps and batch status strategies' PrepareForUpdate: only the spec is taken from the stored object, so a /status
 * write may change labels and annotations (which kube then validates). generation stays the stored one.
 */
export function keepStoredSpec(obj: KubeObject, old: KubeObject): void {
  const meta = { ...(obj.metadata ?? {}) };
  genericPrepareForStatusUpdate(obj, old);
  obj.metadata = { ...meta, generation: old.metadata?.generation };
  if (obj.metadata.generation === undefined) delete obj.metadata.generation;
}
