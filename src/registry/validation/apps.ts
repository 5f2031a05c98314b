// apps/v1 workload validation as kube-apiserver v1.34 applies it (pkg/apis/apps/validation/validation.go:
// ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec, their updates,
// their /status updates and ValidateControllerRevision). Runs after ObjectMeta validation on defaulted objects;
// every failing field is reported, in kube's order.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1123Label,
  validateAnnotations,
  validateLabelSelector,
  validateLabels,
  validateNonnegativeField,
} from '../../apimachinery/validation.js';
import { isValidPercent, validatePodTemplateSpec } from './core/pod.js';
import { objectMeta, objectMetaUpdate } from './core/objectmeta.js';
import { validatePersistentVolumeClaimSpec } from './core/volumes.js';
import type { LabelSelector } from '../../apimachinery/labels.js';
import { parseLabelSelector, selectorIsEmpty } from './selectors.js';

type Json = Record<string, any>;

function nonNegative(value: unknown, path: string, out: FieldError[]): void {
  if (typeof value === 'number') out.push(...validateNonnegativeField(value, path));
}

/** apps.RollingUpdateStatefulSetStrategy as kube renders the internal (untagged) Go struct inside a message. */
function internalStatefulSetRollingUpdate(ru: Json): Record<string, unknown> {
  return { Partition: ru.partition ?? 0, MaxUnavailable: ru.maxUnavailable ?? null };
}

/** The strategy struct as kube renders its internal (untagged) Go type inside a message. */
function internalStrategy(strategy: Json): Record<string, unknown> {
  // RollingUpdateDeployment and RollingUpdateDaemonSet hold two non-pointer IntOrStrings (zero: 0).
  const ru = strategy.rollingUpdate;
  const rollingUpdate = ru == null ? null : { MaxUnavailable: ru.maxUnavailable ?? 0, MaxSurge: ru.maxSurge ?? 0 };
  return { Type: strategy.type ?? '', RollingUpdate: rollingUpdate };
}

/**
 * The template's labels as kube's message prints the decoded map: an explicitly empty one (`decoded`, the object
 * before kgate's Go layout dropped it) is {}, an absent one null.
 */
function templateLabelsShown(template: Json, decoded: Json | undefined): unknown {
  const labels = template.metadata?.labels;
  if (labels != null) return labels;
  const sent = decoded?.spec?.template?.metadata?.labels;
  return sent !== null && typeof sent === 'object' && Object.keys(sent).length === 0 ? {} : null;
}

/**
 * ValidatePodTemplateSpecForReplicaSet (shared by Deployments, ReplicaSets and DaemonSets' tail): the selector
 * matches the template, the template is a valid pod template that always restarts and has no deadline.
 */
function validateTemplateForController(spec: Json, selector: LabelSelector, kind: string, out: FieldError[], decoded?: Json): void {
  const template: Json = spec.template ?? {};
  if (!selector.isEverything() && !selector.matches(template.metadata?.labels ?? {})) {
    out.push(
      fieldInvalid('spec.template.metadata.labels', templateLabelsShown(template, decoded), '`selector` does not match template `labels`'),
    );
  }
  out.push(...validatePodTemplateSpec(template, 'spec.template'));
  restartAlwaysNoDeadline(template, kind, out);
}

function restartAlwaysNoDeadline(template: Json, kind: string, out: FieldError[]): void {
  const rp = template.spec?.restartPolicy ?? '';
  if (rp !== 'Always') out.push(fieldNotSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (template.spec?.activeDeadlineSeconds != null) {
    out.push(fieldForbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
}

/** The selector rules Deployments, ReplicaSets and StatefulSets share (required, valid, non-empty). */
function validateRequiredSelector(selector: Json | undefined, kind: string, out: FieldError[]): void {
  if (selector == null) {
    out.push(fieldRequired('spec.selector'));
    return;
  }
  out.push(...validateLabelSelector(selector, 'spec.selector'));
  if (selectorIsEmpty(selector)) out.push(fieldInvalid('spec.selector', selector, `empty selector is invalid for ${kind}`));
}

function validateIntOrPercent(v: unknown, path: string, out: FieldError[]): void {
  if (typeof v === 'string') for (const msg of isValidPercent(v)) out.push(fieldInvalid(path, v, msg));
  else nonNegative(v, path, out);
}

/** getIntOrPercentValue: a percentage's number, an int, or Atoi of any other string (0 when it fails). */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return 0;
  const s = isValidPercent(v).length === 0 ? v.slice(0, -1) : v;
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : 0;
}

function notMoreThan100Percent(v: unknown, path: string, out: FieldError[]): void {
  if (typeof v === 'string' && isValidPercent(v).length === 0 && Number(v.slice(0, -1)) > 100) {
    out.push(fieldInvalid(path, v, 'must not be greater than 100%'));
  }
}

// ---- Deployments -------------------------------------------------------------------------------------------

/** ValidateDeploymentSpec; `decoded`: the object as the request decoded it, when known (decodedForm). */
export function validateDeployment(obj: KubeObject, decoded?: KubeObject): FieldError[] {
  const spec: Json = obj.spec ?? {};
  const out: FieldError[] = [];
  nonNegative(spec.replicas, 'spec.replicas', out);
  validateRequiredSelector(spec.selector, 'deployment', out);
  const selector = parseLabelSelector(spec.selector);
  if (!selector) out.push(fieldInvalid('spec.selector', spec.selector, 'invalid label selector'));
  else validateTemplateForController(spec, selector, 'ReplicaSet', out, decoded);
  validateDeploymentStrategy(spec.strategy ?? {}, out);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', out);
  if (spec.revisionHistoryLimit != null) nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit', out);
  if (spec.rollbackTo != null) nonNegative(spec.rollbackTo.revision ?? 0, 'spec.rollback.version', out);
  if (spec.progressDeadlineSeconds != null) {
    nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds', out);
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      out.push(fieldInvalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return out;
}

function validateDeploymentStrategy(strategy: Json, out: FieldError[]): void {
  switch (strategy.type) {
    case 'Recreate':
      if (strategy.rollingUpdate != null) {
        out.push(fieldForbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
      }
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (ru == null) {
        out.push(fieldRequired('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
        break;
      }
      const p = 'spec.strategy.rollingUpdate';
      validateIntOrPercent(ru.maxUnavailable ?? 0, `${p}.maxUnavailable`, out);
      validateIntOrPercent(ru.maxSurge ?? 0, `${p}.maxSurge`, out);
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        out.push(fieldInvalid(`${p}.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
      }
      notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`, out);
      break;
    }
    default:
      out.push(fieldNotSupported('spec.strategy', internalStrategy(strategy), ['Recreate', 'RollingUpdate']));
  }
}

/** ValidateDeploymentUpdate: its own ObjectMeta update check, the new spec, then an unchanged selector. */
export function validateDeploymentUpdate(obj: KubeObject, old: KubeObject, decoded?: KubeObject): FieldError[] {
  const out = [...objectMetaUpdate(obj, old), ...validateDeployment(obj, decoded)];
  immutableSelector(obj, old, out);
  return out;
}

function immutableSelector(obj: KubeObject, old: KubeObject, out: FieldError[]): void {
  if (!deepEqual(obj.spec?.selector ?? null, old.spec?.selector ?? null)) {
    out.push(fieldInvalid('spec.selector', obj.spec?.selector ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  }
}

// ---- ReplicaSets -------------------------------------------------------------------------------------------

/** ValidateReplicaSetSpec. kube's message says "deployment" for an empty ReplicaSet selector too. */
export function validateReplicaSet(obj: KubeObject, decoded?: KubeObject): FieldError[] {
  const spec: Json = obj.spec ?? {};
  const out: FieldError[] = [];
  nonNegative(spec.replicas, 'spec.replicas', out);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', out);
  validateRequiredSelector(spec.selector, 'deployment', out);
  const selector = parseLabelSelector(spec.selector);
  if (!selector) out.push(fieldInvalid('spec.selector', spec.selector, 'invalid label selector'));
  else validateTemplateForController(spec, selector, 'ReplicaSet', out, decoded);
  return out;
}

/** ValidateReplicaSetUpdate: its own ObjectMeta update check, the new spec, then an unchanged selector. */
export function validateReplicaSetUpdate(obj: KubeObject, old: KubeObject, decoded?: KubeObject): FieldError[] {
  const out = [...objectMetaUpdate(obj, old), ...validateReplicaSet(obj, decoded)];
  immutableSelector(obj, old, out);
  return out;
}

// ---- StatefulSets ------------------------------------------------------------------------------------------

interface StatefulSetOptions {
  allowInvalidServiceName: boolean;
  skipValidatePodTemplateSpec: boolean;
  /** Updates leave the claim templates to the immutability rule: kube does not revalidate their specs. */
  skipClaimTemplates?: boolean;
}

/** ValidateStatefulSetSpec. */
export function validateStatefulSet(
  obj: KubeObject,
  opts: StatefulSetOptions = { allowInvalidServiceName: false, skipValidatePodTemplateSpec: false },
): FieldError[] {
  const spec: Json = obj.spec ?? {};
  const out: FieldError[] = [];
  const pmp = spec.podManagementPolicy ?? '';
  if (pmp === '') out.push(fieldRequired('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel')
    out.push(fieldInvalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const strategy: Json = spec.updateStrategy ?? {};
  switch (strategy.type ?? '') {
    case '':
      out.push(fieldRequired('spec.updateStrategy'));
      break;
    case 'OnDelete':
      if (strategy.rollingUpdate != null) {
        out.push(
          fieldInvalid(
            'spec.updateStrategy.rollingUpdate',
            internalStatefulSetRollingUpdate(strategy.rollingUpdate),
            "only allowed for updateStrategy 'RollingUpdate'",
          ),
        );
      }
      break;
    case 'RollingUpdate':
      if (strategy.rollingUpdate != null)
        nonNegative(strategy.rollingUpdate.partition ?? 0, 'spec.updateStrategy.rollingUpdate.partition', out);
      break;
    default:
      out.push(
        fieldInvalid(
          'spec.updateStrategy',
          {
            Type: strategy.type,
            RollingUpdate: strategy.rollingUpdate == null ? null : internalStatefulSetRollingUpdate(strategy.rollingUpdate),
          },
          "must be 'RollingUpdate' or 'OnDelete'",
        ),
      );
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (retention != null) {
    for (const k of ['whenDeleted', 'whenScaled']) {
      const v = retention[k] ?? '';
      if (v !== 'Retain' && v !== 'Delete')
        out.push(fieldNotSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, v, ['Retain', 'Delete']));
    }
  }
  // Only each claim template's spec is validated: its metadata (name included) is checked as the pod volume the
  // controller derives from it, in the template below.
  const claims: any[] = Array.isArray(spec.volumeClaimTemplates) && !opts.skipClaimTemplates ? spec.volumeClaimTemplates : [];
  claims.forEach((claim, i) => {
    out.push(...validatePersistentVolumeClaimSpec(claim?.spec ?? {}, `spec.volumeClaimTemplates[${i}].spec`));
  });
  nonNegative(spec.replicas, 'spec.replicas', out);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', out);
  if (spec.ordinals != null) nonNegative(spec.ordinals.start ?? 0, 'spec.ordinals.start', out);
  if (!opts.allowInvalidServiceName && typeof spec.serviceName === 'string' && spec.serviceName.length > 0) {
    for (const msg of isDNS1123Label(spec.serviceName)) out.push(fieldInvalid('spec.serviceName', spec.serviceName, msg));
  }
  validateRequiredSelector(spec.selector, 'statefulset', out);
  const template: Json = spec.template ?? {};
  const selector = parseLabelSelector(spec.selector);
  if (!selector) out.push(fieldInvalid('spec.selector', spec.selector, ''));
  else {
    if (!selector.isEverything() && !selector.matches(template.metadata?.labels ?? {})) {
      out.push(
        fieldInvalid('spec.template.metadata.labels', template.metadata?.labels ?? null, '`selector` does not match template `labels`'),
      );
    }
    if (!opts.skipValidatePodTemplateSpec) out.push(...validatePodTemplateSpec(statefulSetTemplateToValidate(spec), 'spec.template'));
    // kube validates the template's labels and annotations a second time here.
    out.push(...validateLabels(template.metadata?.labels, 'spec.template.labels'));
    out.push(...validateAnnotations(template.metadata?.annotations, 'spec.template.annotations'));
  }
  restartAlwaysNoDeadline(template, 'StatefulSet', out);
  return out;
}

/** The controller sets hostname and subdomain, and adds a volume per claim template: validate what pods will get. */
function statefulSetTemplateToValidate(spec: Json): Json {
  const template: Json = spec.template ?? {};
  const claims: any[] = Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  const podSpec: Json = template.spec ?? {};
  if (!podSpec.hostname && !podSpec.subdomain && claims.length === 0) return template;
  const claimVolumes = new Map<string, Json>();
  for (const claim of claims) {
    const name = claim?.metadata?.name ?? '';
    claimVolumes.set(name, { name, persistentVolumeClaim: { claimName: name } });
  }
  const own: any[] = Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
  const volumes = [...claimVolumes.values(), ...own.filter((v) => !claimVolumes.has(v?.name))];
  return { ...template, spec: { ...podSpec, hostname: undefined, subdomain: undefined, volumes } };
}

const STATEFULSET_UPDATABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'minReadySeconds',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
] as const;

/** ValidateStatefulSetUpdate: tolerant of an already-invalid template and serviceName; only some fields change. */
export function validateStatefulSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const oldInvalid =
    validateStatefulSet(old, { allowInvalidServiceName: true, skipValidatePodTemplateSpec: false, skipClaimTemplates: true }).length > 0;
  const out = [
    ...objectMetaUpdate(obj, old),
    ...validateStatefulSet(obj, { allowInvalidServiceName: true, skipValidatePodTemplateSpec: oldInvalid, skipClaimTemplates: true }),
  ];
  const a: Json = { ...(obj.spec ?? {}) };
  const b: Json = { ...(old.spec ?? {}) };
  for (const k of STATEFULSET_UPDATABLE) {
    delete a[k];
    delete b[k];
  }
  if (!deepEqual(a, b)) {
    out.push(
      fieldForbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return out;
}

// ---- DaemonSets --------------------------------------------------------------------------------------------

/** ValidateDaemonSetSpec. */
export function validateDaemonSet(obj: KubeObject): FieldError[] {
  const spec: Json = obj.spec ?? {};
  const out: FieldError[] = [];
  out.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const template: Json = spec.template ?? {};
  const selector = parseLabelSelector(spec.selector);
  if (selector && !selector.matches(template.metadata?.labels ?? {})) {
    out.push(
      fieldInvalid('spec.template.metadata.labels', template.metadata?.labels ?? null, '`selector` does not match template `labels`'),
    );
  }
  if (spec.selector != null && selectorIsEmpty(spec.selector)) {
    out.push(fieldInvalid('spec.selector', spec.selector, 'empty selector is invalid for daemonset'));
  }
  out.push(...validatePodTemplateSpec(template, 'spec.template'));
  restartAlwaysNoDeadline(template, 'DaemonSet', out);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', out);
  validateDaemonSetUpdateStrategy(spec.updateStrategy ?? {}, out);
  if (spec.revisionHistoryLimit != null) nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit', out);
  return out;
}

function validateDaemonSetUpdateStrategy(strategy: Json, out: FieldError[]): void {
  switch (strategy.type) {
    case 'OnDelete':
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      const p = 'spec.updateStrategy.rollingUpdate';
      if (ru == null) {
        out.push(fieldRequired(p));
        break;
      }
      validateIntOrPercent(ru.maxUnavailable ?? 0, `${p}.maxUnavailable`, out);
      validateIntOrPercent(ru.maxSurge ?? 0, `${p}.maxSurge`, out);
      notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`, out);
      notMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`, out);
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge)
        out.push(fieldInvalid(`${p}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) out.push(fieldRequired(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      break;
    }
    default:
      out.push(fieldNotSupported('spec.updateStrategy', internalStrategy(strategy), ['RollingUpdate', 'OnDelete']));
  }
}

/** ValidateDaemonSetUpdate: its own ObjectMeta update check; the selector is checked before the new spec. */
export function validateDaemonSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = objectMetaUpdate(obj, old);
  immutableSelector(obj, old, out);
  out.push(...validateDaemonSet(obj));
  return out;
}

// ---- /status -----------------------------------------------------------------------------------------------

/** Go's int32/int64 fields without omitempty: absent reads as 0. */
function count(status: Json, k: string): number {
  return typeof status[k] === 'number' ? status[k] : 0;
}

function nonNegativeCounts(status: Json, keys: readonly string[], out: FieldError[]): void {
  for (const k of keys) out.push(...validateNonnegativeField(count(status, k), `status.${k}`));
}

function notGreater(status: Json, k: string, than: string, out: FieldError[], detail = `cannot be greater than status.${than}`): void {
  if (count(status, k) > count(status, than)) out.push(fieldInvalid(`status.${k}`, count(status, k), detail));
}

/** IsDecremented: collisionCount may only grow (absent in the update while set before counts as decremented). */
function collisionCountDecremented(obj: KubeObject, old: KubeObject, out: FieldError[]): void {
  const next = obj.status?.collisionCount;
  const prev = old.status?.collisionCount;
  if (typeof prev === 'number' && (typeof next !== 'number' || next < prev)) {
    out.push(fieldInvalid('status.collisionCount', typeof next === 'number' ? next : 0, 'cannot be decremented'));
  }
}

/** ValidateDeploymentStatusUpdate (its ObjectMeta update check): ValidateDeploymentStatus, then a collisionCount that only grows. */
export function validateDeploymentStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const status: Json = obj.status ?? {};
  const out: FieldError[] = objectMetaUpdate(obj, old);
  nonNegativeCounts(
    status,
    ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'],
    out,
  );
  if (status.collisionCount != null) nonNegative(status.collisionCount, 'status.collisionCount', out);
  notGreater(status, 'updatedReplicas', 'replicas', out);
  notGreater(status, 'readyReplicas', 'replicas', out);
  notGreater(status, 'availableReplicas', 'replicas', out);
  notGreater(status, 'availableReplicas', 'readyReplicas', out, 'cannot be greater than readyReplicas');
  collisionCountDecremented(obj, old, out);
  return out;
}

/** ValidateReplicaSetStatusUpdate: its ObjectMeta update check, then ValidateReplicaSetStatus. */
export function validateReplicaSetStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const status: Json = obj.status ?? {};
  const out: FieldError[] = objectMetaUpdate(obj, old);
  nonNegativeCounts(status, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'], out);
  notGreater(status, 'fullyLabeledReplicas', 'replicas', out);
  notGreater(status, 'readyReplicas', 'replicas', out);
  notGreater(status, 'availableReplicas', 'replicas', out);
  notGreater(status, 'availableReplicas', 'readyReplicas', out, 'cannot be greater than readyReplicas');
  return out;
}

/** ValidateStatefulSetStatusUpdate (its ObjectMeta update check): ValidateStatefulSetStatus, then a collisionCount that only grows. */
export function validateStatefulSetStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const status: Json = obj.status ?? {};
  const out: FieldError[] = objectMetaUpdate(obj, old);
  nonNegativeCounts(status, ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'], out);
  if (status.observedGeneration != null) nonNegative(status.observedGeneration, 'status.observedGeneration', out);
  if (status.collisionCount != null) nonNegative(status.collisionCount, 'status.collisionCount', out);
  notGreater(status, 'readyReplicas', 'replicas', out);
  notGreater(status, 'currentReplicas', 'replicas', out);
  notGreater(status, 'updatedReplicas', 'replicas', out);
  notGreater(status, 'availableReplicas', 'replicas', out);
  notGreater(status, 'availableReplicas', 'readyReplicas', out);
  collisionCountDecremented(obj, old, out);
  return out;
}

/** ValidateDaemonSetStatusUpdate (its ObjectMeta update check): ValidateDaemonSetStatus, then a collisionCount that only grows. */
export function validateDaemonSetStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const status: Json = obj.status ?? {};
  const out: FieldError[] = objectMetaUpdate(obj, old);
  nonNegativeCounts(
    status,
    [
      'currentNumberScheduled',
      'numberMisscheduled',
      'desiredNumberScheduled',
      'numberReady',
      'observedGeneration',
      'updatedNumberScheduled',
      'numberAvailable',
      'numberUnavailable',
    ],
    out,
  );
  if (status.collisionCount != null) nonNegative(status.collisionCount, 'status.collisionCount', out);
  collisionCountDecremented(obj, old, out);
  return out;
}

// ---- ControllerRevisions -----------------------------------------------------------------------------------

/** ValidateControllerRevisionCreate (after ObjectMeta). */
export function validateControllerRevision(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  nonNegative(obj.revision ?? 0, 'revision', out);
  // ValidateControllerRevisionCreate: data must be a JSON object (only a create looks inside it).
  if (obj.data == null) out.push(fieldRequired('data', 'data is mandatory'));
  else if (typeof obj.data !== 'object' || Array.isArray(obj.data)) out.push(fieldRequired('data', 'data must be a valid JSON object'));
  return out;
}

/** ValidateControllerRevisionUpdate: its ObjectMeta update check, ObjectMeta and revision again, then immutable data. */
export function validateControllerRevisionUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const out = [...objectMetaUpdate(obj, old), ...objectMeta(obj, true)];
  nonNegative(obj.revision ?? 0, 'revision', out);
  if (!deepEqual(obj.data ?? null, old.data ?? null)) out.push(fieldInvalid('data', obj.data ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  return out;
}
