// HorizontalPodAutoscaler validation (kube pkg/apis/autoscaling/validation/validation.go:
// ValidateHorizontalPodAutoscaler, validateHorizontalPodAutoscalerSpec, ValidateCrossVersionObjectReference,
// validateMetrics and the metric sources), after ObjectMeta, on the autoscaling/v2 form (a v1 object is converted
// first, so the paths are v2's as kube's are). behavior is not checked yet.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isValidPathSegmentName,
  validateLabelSelector,
} from '../../apimachinery/validation.js';
import { hpaV1ToV2 } from '../conversion/hpa.js';
import { quantitySign } from './core/quantity.js';

type Json = Record<string, any>;

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELD: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};

function validateCrossVersionObjectReference(ref: Json, p: string, out: FieldError[], checkAPIVersion = true): void {
  for (const f of ['kind', 'name']) {
    const v: string = ref[f] ?? '';
    if (v === '') out.push(fieldRequired(`${p}.${f}`));
    else for (const msg of isValidPathSegmentName(v)) out.push(fieldInvalid(`${p}.${f}`, v, msg));
  }
  if (!checkAPIVersion) return;
  // kube-apiserver v1.34.4 takes a core version ("v1") but not an empty one, and reports ParseGroupVersion's error.
  const apiVersion: string = ref.apiVersion ?? '';
  if (apiVersion === '') out.push(fieldInvalid(`${p}.apiVersion`, apiVersion, 'apiVersion must specify API group'));
  else if (apiVersion !== '/' && apiVersion.split('/').length > 2) {
    out.push(fieldInvalid(`${p}.apiVersion`, apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
  }
}

function validateMetricTarget(t: Json, p: string, out: FieldError[]): void {
  const type: string = t.type ?? '';
  if (type === '') out.push(fieldRequired(`${p}.type`, 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    out.push(fieldInvalid(`${p}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  }
  if (t.value != null && quantitySign(t.value) !== 1) out.push(fieldInvalid(`${p}.value`, t.value, 'must be positive'));
  if (t.averageValue != null && quantitySign(t.averageValue) !== 1)
    out.push(fieldInvalid(`${p}.averageValue`, t.averageValue, 'must be positive'));
  if (t.averageUtilization != null && t.averageUtilization < 1) {
    out.push(fieldInvalid(`${p}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  }
}

function validateMetricIdentifier(id: Json, p: string, out: FieldError[]): void {
  const name: string = id.name ?? '';
  if (name === '') out.push(fieldRequired(`${p}.name`, 'must specify a metric name'));
  else for (const msg of isValidPathSegmentName(name)) out.push(fieldInvalid(`${p}.name`, name, msg));
  if (id.selector != null) out.push(...validateLabelSelector(id.selector, `${p}.selector`));
}

function validateSource(kind: string, src: Json, p: string, out: FieldError[]): void {
  const target: Json = src.target ?? {};
  switch (kind) {
    case 'object':
      // The described object's apiVersion is not checked (kube-apiserver v1.34.4 takes an empty one).
      validateCrossVersionObjectReference(src.describedObject ?? {}, `${p}.describedObject`, out, false);
      validateMetricIdentifier(src.metric ?? {}, `${p}.metric`, out);
      validateMetricTarget(target, `${p}.target`, out);
      if (target.value == null && target.averageValue == null) {
        out.push(fieldRequired(`${p}.target.averageValue`, 'must set either a target value or averageValue'));
      }
      break;
    case 'external':
      validateMetricIdentifier(src.metric ?? {}, `${p}.metric`, out);
      validateMetricTarget(target, `${p}.target`, out);
      if (target.value == null && target.averageValue == null) {
        out.push(fieldRequired(`${p}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
      }
      if (target.value != null && target.averageValue != null) {
        out.push(fieldForbidden(`${p}.target.value`, 'may not set both a target value for metric and a per-pod target'));
      }
      break;
    case 'pods':
      validateMetricIdentifier(src.metric ?? {}, `${p}.metric`, out);
      validateMetricTarget(target, `${p}.target`, out);
      if (target.averageValue == null) out.push(fieldRequired(`${p}.target.averageValue`, 'must specify a positive target averageValue'));
      break;
    case 'resource':
    case 'containerResource':
      if (!src.name) out.push(fieldRequired(`${p}.name`, 'must specify a resource name'));
      if (kind === 'containerResource' && !src.container) out.push(fieldRequired(`${p}.container`, 'must specify a container'));
      validateMetricTarget(target, `${p}.target`, out);
      if (target.averageUtilization == null && target.averageValue == null) {
        out.push(fieldRequired(`${p}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
      }
      if (target.averageUtilization != null && target.averageValue != null) {
        out.push(fieldForbidden(`${p}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
      }
      break;
  }
}

function validateMetricSpec(m: Json, p: string, out: FieldError[]): void {
  const type: string = m.type ?? '';
  if (type === '') out.push(fieldRequired(`${p}.type`, 'must specify a metric source type'));
  const present: string[] = [];
  for (const f of ['object', 'external', 'pods', 'resource', 'containerResource']) {
    if (m[f] == null) continue;
    present.push(f);
    if (present.length === 1) validateSource(f, m[f], `${p}.${f}`, out);
  }
  const expected = SOURCE_FIELD[type];
  if (expected === undefined) out.push(fieldNotSupported(`${p}.type`, type, METRIC_TYPES));
  else if (m[expected] == null) out.push(fieldRequired(`${p}.${expected}`, 'must populate information for the given metric source'));
  if (present.length !== 1) {
    for (const f of present) if (f !== expected) out.push(fieldForbidden(`${p}.${f}`, 'must populate the given metric source only'));
  }
}

/** ValidateHorizontalPodAutoscaler (create and update check the same; HPAScaleToZero is off, so minReplicas ≥ 1). */
export function validateHorizontalPodAutoscaler(obj: KubeObject): FieldError[] {
  const hpa = obj.apiVersion === 'autoscaling/v1' || obj.spec?.targetCPUUtilizationPercentage !== undefined ? hpaV1ToV2(obj) : obj;
  const out: FieldError[] = [];
  const spec: Json = hpa.spec ?? {};
  const max: number = spec.maxReplicas ?? 0;
  if (spec.minReplicas != null && spec.minReplicas < 1)
    out.push(fieldInvalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (max < 1) out.push(fieldInvalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (spec.minReplicas != null && max < spec.minReplicas)
    out.push(fieldInvalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  validateCrossVersionObjectReference(spec.scaleTargetRef ?? {}, 'spec.scaleTargetRef', out);
  const metrics: Json[] = Array.isArray(spec.metrics) ? spec.metrics : [];
  let objectOrExternal = false;
  metrics.forEach((m, i) => {
    validateMetricSpec(m ?? {}, `spec.metrics[${i}]`, out);
    if (m?.type === 'Object' || m?.type === 'External') objectOrExternal = true;
  });
  if (spec.minReplicas === 0 && !objectOrExternal) {
    out.push(fieldForbidden('spec.metrics', 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  return out;
}
