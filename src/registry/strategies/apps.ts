// apps/v1 workloads (pkg/registry/apps/<kind>/strategy.go, pkg/apis/apps/validation): a selector is required,
// must select the pod template's labels, and is immutable.
import type { FieldError } from '../../apimachinery/errors.js';
import { labelSelectorFromMetav1 } from '../../apimachinery/labels.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import type { ResourceInfo } from '../../scheme/index.js';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from '../defaults/apps.js';
import { fieldCount } from '../fieldsets.js';
import * as apps from '../printers/apps.js';
import { defineStrategy } from '../strategy.js';

export const deployments = defineStrategy({
  resource: 'apps/deployments',
  defaults: defaultDeployment,
  printer: apps.deployments,
  validate: validateWorkload,
  validateUpdate: validateWorkloadUpdate,
});

export const replicaSets = defineStrategy({
  resource: 'apps/replicasets',
  defaults: defaultReplicaSet,
  fieldLabels: { 'status.replicas': fieldCount('status', 'replicas') },
  printer: apps.replicaSets,
  // ReplicaSetStatus.replicas has no omitempty.
  initialStatus: () => ({ replicas: 0 }),
  validate: validateWorkload,
  validateUpdate: validateWorkloadUpdate,
});

export const statefulSets = defineStrategy({
  resource: 'apps/statefulsets',
  defaults: defaultStatefulSet,
  printer: apps.statefulSets,
  // StatefulSetStatus.replicas and availableReplicas have no omitempty.
  initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
  validate: validateWorkload,
  validateUpdate: validateWorkloadUpdate,
});

export const daemonSets = defineStrategy({
  resource: 'apps/daemonsets',
  defaults: defaultDaemonSet,
  printer: apps.daemonSets,
  // The four scheduling counters of DaemonSetStatus have no omitempty.
  initialStatus: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  validate: validateWorkload,
  validateUpdate: validateWorkloadUpdate,
});

export const controllerRevisions = defineStrategy({
  resource: 'apps/controllerrevisions',
  printer: apps.controllerRevisions,
});

/** A selector that is present, non-empty and selects the pod template, which has at least one container. */
export function validateWorkload(obj: KubeObject, info: ResourceInfo): FieldError[] {
  const out: FieldError[] = [];
  const selector = obj.spec?.selector;
  const template = obj.spec?.template;
  if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
    out.push({ type: 'FieldValueRequired', field: 'spec.selector', detail: '' });
    // kube also reports the empty selector as invalid.
    if (selector)
      out.push({
        type: 'FieldValueInvalid',
        field: 'spec.selector',
        value: selector,
        detail: `empty selector is invalid for ${info.singular}`,
      });
    return out;
  }
  const labels = template?.metadata?.labels ?? {};
  if (!labelSelectorFromMetav1(selector).matches(labels)) {
    out.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      value: labels,
      detail: '`selector` does not match template `labels`',
    });
  }
  const containers: unknown[] = template?.spec?.containers ?? [];
  if (containers.length === 0) out.push({ type: 'FieldValueRequired', field: 'spec.template.spec.containers', detail: '' });
  return out;
}

function validateWorkloadUpdate(obj: KubeObject, old: KubeObject, info: ResourceInfo): FieldError[] {
  const out = validateWorkload(obj, info);
  if (!deepEqual(obj.spec?.selector, old.spec?.selector)) {
    out.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: obj.spec?.selector, detail: 'field is immutable' });
  }
  return out;
}
