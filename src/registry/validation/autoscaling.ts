// HorizontalPodAutoscaler validation (kube pkg/apis/autoscaling/validation/validation.go:
// ValidateHorizontalPodAutoscaler and its Update, validateHorizontalPodAutoscalerSpec, ValidateCrossVersionObjectReference,
// validateMetrics with every metric source, validateBehavior, ValidateHorizontalPodAutoscalerStatusUpdate), with the
// strategy's options and dropped fields (pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go:
// validationOptionsForHorizontalPodAutoscaler, dropDisabledFields), after ObjectMeta. Checked on the autoscaling/v2
// form: a v1 object is converted first, so the paths are v2's as kube's are.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1123Label,
  isValidPathSegmentName,
  validateNonnegativeField,
} from '../../apimachinery/validation.js';
import { hpaV1ToV2 } from '../conversion/hpa.js';
import { objectMetaUpdate } from './core/objectmeta.js';
import { containerResourceNameMessages } from './core/pod.js';
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
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/** CrossVersionObjectReferenceValidationOptions. */
interface RefOptions {
  allowEmptyAPIGroup: boolean;
  allowInvalidAPIVersion: boolean;
}

interface SpecOptions {
  minReplicasLowerBound: number;
  scaleTargetRef: RefOptions;
  objectMetrics: RefOptions;
}

/** ValidateAPIVersion: schema.ParseGroupVersion's error, or a missing group where one is needed. */
function apiVersionError(apiVersion: string, opts: RefOptions): string | undefined {
  if (opts.allowInvalidAPIVersion) return undefined;
  let group = '';
  if (apiVersion !== '' && apiVersion !== '/') {
    const slashes = apiVersion.split('/').length - 1;
    if (slashes > 1) return `unexpected GroupVersion string: ${apiVersion}`;
    if (slashes === 1) group = apiVersion.slice(0, apiVersion.indexOf('/'));
  }
  return !opts.allowEmptyAPIGroup && group === '' ? 'apiVersion must specify API group' : undefined;
}

function validateCrossVersionObjectReference(ref: Json, p: string, opts: RefOptions, out: FieldError[]): void {
  for (const f of ['kind', 'name']) {
    const v: string = ref[f] ?? '';
    if (v === '') out.push(fieldRequired(`${p}.${f}`));
    else for (const msg of isValidPathSegmentName(v)) out.push(fieldInvalid(`${p}.${f}`, v, msg));
  }
  const apiVersion: string = ref.apiVersion ?? '';
  const err = apiVersionError(apiVersion, opts);
  if (err !== undefined) out.push(fieldInvalid(`${p}.apiVersion`, apiVersion, err));
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

/** validateMetricIdentifier: the name only (the selector is not checked). */
function validateMetricIdentifier(id: Json, p: string, out: FieldError[]): void {
  const name: string = id.name ?? '';
  if (name === '') out.push(fieldRequired(`${p}.name`, 'must specify a metric name'));
  else for (const msg of isValidPathSegmentName(name)) out.push(fieldInvalid(`${p}.name`, name, msg));
}

function validateSource(kind: string, src: Json, p: string, objectMetrics: RefOptions, out: FieldError[]): void {
  const target: Json = src.target ?? {};
  switch (kind) {
    case 'object':
      validateCrossVersionObjectReference(src.describedObject ?? {}, `${p}.describedObject`, objectMetrics, out);
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
    case 'containerResource': {
      const name: string = src.name ?? '';
      if (name === '') out.push(fieldRequired(`${p}.name`, 'must specify a resource name'));
      else if (kind === 'containerResource')
        for (const msg of containerResourceNameMessages(name)) out.push(fieldInvalid(`${p}.name`, name, msg));
      if (kind === 'containerResource') {
        const container: string = src.container ?? '';
        if (container === '') out.push(fieldRequired(`${p}.container`, 'must specify a container'));
        else for (const msg of isDNS1123Label(container)) out.push(fieldInvalid(`${p}.container`, container, msg));
      }
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
}

function validateMetricSpec(m: Json, p: string, objectMetrics: RefOptions, out: FieldError[]): void {
  const type: string = m.type ?? '';
  if (type === '') out.push(fieldRequired(`${p}.type`, 'must specify a metric source type'));
  if (!METRIC_TYPES.includes(type)) out.push(fieldNotSupported(`${p}.type`, type, METRIC_TYPES));
  const present: string[] = [];
  for (const f of ['object', 'external', 'pods', 'resource', 'containerResource']) {
    if (m[f] == null) continue;
    present.push(f);
    if (present.length === 1) validateSource(f, m[f], `${p}.${f}`, objectMetrics, out);
  }
  const expected = SOURCE_FIELD[type];
  // kube's switch reports an unknown type a second time.
  if (expected === undefined) out.push(fieldNotSupported(`${p}.type`, type, METRIC_TYPES));
  else if (m[expected] == null) out.push(fieldRequired(`${p}.${expected}`, 'must populate information for the given metric source'));
  if (present.length !== 1) {
    for (const f of present) if (f !== expected) out.push(fieldForbidden(`${p}.${f}`, 'must populate the given metric source only'));
  }
}

function validateScalingRules(rules: Json | null | undefined, p: string, out: FieldError[]): void {
  if (rules == null) return;
  const window = rules.stabilizationWindowSeconds;
  if (window != null && window < 0)
    out.push(fieldInvalid(`${p}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (window != null && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    out.push(fieldInvalid(`${p}.stabilizationWindowSeconds`, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (rules.selectPolicy != null && !SELECT_POLICIES.includes(rules.selectPolicy)) {
    out.push(fieldNotSupported(`${p}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  }
  const policies: Json[] = Array.isArray(rules.policies) ? rules.policies : [];
  if (policies.length === 0) out.push(fieldRequired(`${p}.policies`, 'must specify at least one Policy'));
  policies.forEach((policy, i) => {
    const pp = `${p}.policies[${i}]`;
    const type: string = policy?.type ?? '';
    if (!POLICY_TYPES.includes(type)) out.push(fieldNotSupported(`${pp}.type`, type, POLICY_TYPES));
    const value: number = policy?.value ?? 0;
    if (value <= 0) out.push(fieldInvalid(`${pp}.value`, value, 'must be greater than zero'));
    const period: number = policy?.periodSeconds ?? 0;
    if (period <= 0) out.push(fieldInvalid(`${pp}.periodSeconds`, period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS)
      out.push(fieldInvalid(`${pp}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  if (rules.tolerance != null && (quantitySign(rules.tolerance) ?? 0) < 0) {
    out.push(fieldInvalid(`${p}.tolerance`, rules.tolerance, 'must be greater than or equal to 0'));
  }
}

function validateSpec(spec: Json, opts: SpecOptions): FieldError[] {
  const out: FieldError[] = [];
  const max: number = spec.maxReplicas ?? 0;
  if (spec.minReplicas != null && spec.minReplicas < opts.minReplicasLowerBound) {
    out.push(fieldInvalid('spec.minReplicas', spec.minReplicas, `must be greater than or equal to ${opts.minReplicasLowerBound}`));
  }
  if (max < 1) out.push(fieldInvalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (spec.minReplicas != null && max < spec.minReplicas)
    out.push(fieldInvalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  validateCrossVersionObjectReference(spec.scaleTargetRef ?? {}, 'spec.scaleTargetRef', opts.scaleTargetRef, out);
  const metrics: Json[] = Array.isArray(spec.metrics) ? spec.metrics : [];
  let objectOrExternal = false;
  metrics.forEach((m, i) => {
    validateMetricSpec(m ?? {}, `spec.metrics[${i}]`, opts.objectMetrics, out);
    if (m?.type === 'Object' || m?.type === 'External') objectOrExternal = true;
  });
  if (spec.minReplicas === 0 && !objectOrExternal) {
    out.push(fieldForbidden('spec.metrics', 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  if (spec.behavior != null) {
    validateScalingRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp', out);
    validateScalingRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown', out);
  }
  return out;
}

function asV2(obj: KubeObject): KubeObject {
  return obj.apiVersion === 'autoscaling/v1' || obj.spec?.targetCPUUtilizationPercentage !== undefined ? hpaV1ToV2(obj) : obj;
}

/**
 * validationOptionsForHorizontalPodAutoscaler: minReplicas 0 only for an HPA that had it (HPAScaleToZero is off);
 * an empty scaleTarget group only for a ReplicationController; an unchanged kind and apiVersion, or object metrics
 * the old HPA already had invalid, are not checked again.
 */
function optionsFor(hpa: KubeObject, old: KubeObject | undefined): SpecOptions {
  const opts: SpecOptions = {
    minReplicasLowerBound: old?.spec?.minReplicas === 0 ? 0 : 1,
    scaleTargetRef: { allowInvalidAPIVersion: false, allowEmptyAPIGroup: false },
    objectMetrics: { allowInvalidAPIVersion: false, allowEmptyAPIGroup: true },
  };
  const ref: Json = hpa.spec?.scaleTargetRef ?? {};
  const oldRef: Json | undefined = old?.spec?.scaleTargetRef;
  if (old && (oldRef?.apiVersion ?? '') === (ref.apiVersion ?? '') && (oldRef?.kind ?? '') === (ref.kind ?? '')) {
    opts.scaleTargetRef.allowInvalidAPIVersion = true;
  } else if (ref.kind === 'ReplicationController') opts.scaleTargetRef.allowEmptyAPIGroup = true;
  const oldMetrics: Json[] = Array.isArray(old?.spec?.metrics) ? old.spec.metrics : [];
  for (const m of oldMetrics) {
    if (m?.type === 'Object' && m.object != null && apiVersionError(m.object.describedObject?.apiVersion ?? '', opts.objectMetrics)) {
      opts.objectMetrics.allowInvalidAPIVersion = true;
      break;
    }
  }
  return opts;
}

/** ValidateHorizontalPodAutoscaler. */
export function validateHorizontalPodAutoscaler(obj: KubeObject): FieldError[] {
  const hpa = asV2(obj);
  return validateSpec(hpa.spec ?? {}, optionsFor(hpa, undefined));
}

/** ValidateHorizontalPodAutoscalerUpdate: ObjectMeta's update rules, then the spec with options the old HPA relaxes. */
export function validateHorizontalPodAutoscalerUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const hpa = asV2(obj);
  return [...objectMetaUpdate(obj, old), ...validateSpec(hpa.spec ?? {}, optionsFor(hpa, asV2(old)))];
}

/** ValidateHorizontalPodAutoscalerStatusUpdate: ObjectMeta's update rules; the replica counts are not negative. */
export function validateHorizontalPodAutoscalerStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const status: Json = obj.status ?? {};
  return [
    ...objectMetaUpdate(obj, old),
    ...validateNonnegativeField(status.currentReplicas ?? 0, 'status.currentReplicas'),
    ...validateNonnegativeField(status.desiredReplicas ?? 0, 'status.desiredReplicas'),
  ];
}

function scalingRules(hpa: KubeObject): Json[] {
  const behavior: Json | undefined = hpa.spec?.behavior ?? undefined;
  return behavior ? [behavior.scaleUp, behavior.scaleDown].filter((r): r is Json => r != null) : [];
}

/** dropDisabledFields: HPAConfigurableTolerance is off, so a tolerance is dropped unless the old HPA had one. */
export function dropDisabledHPAFields(hpa: KubeObject, old: KubeObject | undefined): void {
  if (old && scalingRules(old).some((r) => r.tolerance != null)) return;
  for (const rules of scalingRules(hpa)) delete rules.tolerance;
}
