// The scale subresource (autoscaling/v1 Scale) as a view of a workload: spec.replicas in and out,
// status.replicas and the selector as a string (pkg/registry/apps/deployment/storage's ScaleREST).
import { labelSelectorFromMetav1 } from '../apimachinery/labels.js';
import type { FieldError } from '../apimachinery/errors.js';
import { validateObjectMeta } from '../apimachinery/validation.js';
import type { KubeObject } from '../storage/interface.js';

export function scaleOf(obj: KubeObject, resource: string): KubeObject {
  const meta = obj.metadata ?? {};
  const metadata: Record<string, unknown> = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']) if (meta[k] !== undefined) metadata[k] = meta[k];
  const status: Record<string, unknown> = { replicas: obj.status?.replicas ?? 0 };
  const selector = selectorString(obj, resource);
  if (selector !== '') status.selector = selector;
  return { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata, spec: { replicas: obj.spec?.replicas ?? 0 }, status };
}

function selectorString(obj: KubeObject, resource: string): string {
  const sel = obj.spec?.selector;
  if (!sel) return '';
  if (resource === 'replicationcontrollers') {
    // A ReplicationController's selector is a plain label map.
    return Object.keys(sel)
      .sort()
      .map((k) => `${k}=${sel[k]}`)
      .join(',');
  }
  return labelSelectorFromMetav1(sel).toString();
}

/** ValidateScale: the Scale's own ObjectMeta (labels a patch adds to it included), then non-negative replicas. */
export function validateScale(scale: KubeObject): FieldError[] {
  const errors = validateObjectMeta(scale.metadata ?? {}, { namespaced: true, nameValidation: 'subdomain' });
  const replicas = scale.spec?.replicas;
  if (replicas === undefined || replicas === null) return errors;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' });
  }
  return errors;
}

/** The workload with the Scale's replicas written in; the Scale's resourceVersion becomes the precondition. */
export function withScale(current: KubeObject, scale: KubeObject): KubeObject {
  const next = structuredClone(current);
  next.spec = { ...(next.spec ?? {}), replicas: scale.spec?.replicas ?? 0 };
  const rv = scale.metadata?.resourceVersion;
  next.metadata = { ...(next.metadata ?? {}) };
  if (rv) next.metadata.resourceVersion = rv;
  else delete next.metadata.resourceVersion;
  return next;
}
