// ResourceQuota validation (kube pkg/apis/core/validation/validation.go: ValidateResourceQuota,
// ValidateResourceQuotaSpec, ValidateResourceQuotaResourceName, ValidateResourceQuantityValue,
// validateResourceQuotaScopes, validateScopedResourceSelectorRequirement), after ObjectMeta. kube walks the hard
// map in Go's random order; kgate walks it in the client's.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { FIELD_IMMUTABLE_ERROR_MSG, fieldInvalid, fieldRequired, isQualifiedName } from '../../../apimachinery/validation.js';
import { objectMetaUpdate } from './objectmeta.js';
import { quantityMilli, quantitySign, quantityString } from './quantity.js';
import { STANDARD_RESOURCES } from './resources.js';

const STANDARD_QUOTA_RESOURCES = new Set([...STANDARD_RESOURCES].filter((r) => r !== 'storage'));
const INTEGER_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);
const POD_COMPUTE = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);
const STANDARD_SCOPES = new Set([
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
  'VolumeAttributesClass',
]);
const CONFLICTING = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];
const OPERATOR_MUST_EXIST =
  "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity";

type Json = Record<string, any>;

function isQuotaHugePages(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

function isStandardQuotaResource(name: string): boolean {
  return STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePages(name);
}

/** helper.IsExtendedResourceName: fully qualified, outside kubernetes.io, not requests.-prefixed. */
function isExtendedResource(name: string): boolean {
  if (!name.includes('/') || name.includes('kubernetes.io/')) return false;
  if (name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

function scopeValidFor(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return resource === 'pods' || POD_COMPUTE.has(resource);
    case 'BestEffort':
      return resource === 'pods';
    case 'VolumeAttributesClass':
      return resource === 'persistentvolumeclaims' || resource === 'requests.storage';
    default:
      return true;
  }
}

/** helper.IsIntegerResourceName: the counted standard resources and extended resources. */
function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResource(name);
}

/** ValidateResourceQuantityValue: not negative, and whole for integer resources (the value shown as Quantity.String()). */
export function validateResourceQuantityValue(name: string, q: unknown, p: string): FieldError[] {
  const out: FieldError[] = [];
  if (quantitySign(q) === -1) out.push(fieldInvalid(p, quantityString(q), 'must be greater than or equal to 0'));
  if (isIntegerResourceName(name)) {
    const milli = quantityMilli(q);
    if (milli !== undefined && milli % 1000n !== 0n) out.push(fieldInvalid(p, quantityString(q), 'must be an integer'));
  }
  return out;
}

/** ValidateResourceQuota without its ObjectMeta: ValidateResourceQuotaSpec. */
function validateResourceQuotaSpec(rq: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec: Json = rq.spec ?? {};
  const hard: Json = spec.hard ?? {};
  const names = Object.keys(hard);
  for (const name of names) {
    const p = `spec.hard[${name}]`;
    out.push(...validateQuotaResourceName(name, p));
    out.push(...validateResourceQuantityValue(name, hard[name], p));
  }
  const sortedNames = [...names].sort();
  const scopes: string[] = Array.isArray(spec.scopes) ? spec.scopes : [];
  if (scopes.length > 0) {
    const set = new Set<string>();
    for (const scope of scopes) {
      if (!STANDARD_SCOPES.has(scope)) out.push(fieldInvalid('spec.scopes', scopes, 'unsupported scope'));
      for (const k of sortedNames) {
        if (isStandardQuotaResource(k) && !scopeValidFor(scope, k))
          out.push(fieldInvalid('spec.scopes', scopes, 'unsupported scope applied to resource'));
      }
      set.add(scope);
    }
    for (const [a, b] of CONFLICTING) if (set.has(a) && set.has(b)) out.push(fieldInvalid('spec.scopes', scopes, 'conflicting scopes'));
  }
  const selector: Json | null = spec.scopeSelector ?? null;
  if (selector) {
    const p = 'spec.scopeSelector.matchExpressions';
    const exprs: Json[] = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
    // The internal ScopeSelector as Go's JSON writes it (no json tags).
    const shown = {
      MatchExpressions: exprs.map((e) => ({ ScopeName: e?.scopeName ?? '', Operator: e?.operator ?? '', Values: e?.values ?? null })),
    };
    const set = new Set<string>();
    for (const req of exprs) {
      const scope: string = req?.scopeName ?? '';
      const op: string = req?.operator ?? '';
      const values: unknown[] = Array.isArray(req?.values) ? req.values : [];
      if (!STANDARD_SCOPES.has(scope)) out.push(fieldInvalid(`${p}.scopeName`, scope, 'unsupported scope'));
      for (const k of sortedNames) {
        if (isStandardQuotaResource(k) && !scopeValidFor(scope, k))
          out.push(fieldInvalid(p, shown, 'unsupported scope applied to resource'));
      }
      if (
        ['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(scope) &&
        op !== 'Exists'
      ) {
        out.push(fieldInvalid(`${p}.operator`, op, OPERATOR_MUST_EXIST));
      }
      if (op === 'In' || op === 'NotIn') {
        if (values.length === 0)
          out.push(fieldRequired(`${p}.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (values.length !== 0) {
          out.push(fieldInvalid(`${p}.values`, values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
        }
      } else out.push(fieldInvalid(`${p}.operator`, op, 'not a valid selector operator'));
      set.add(scope);
    }
    // kube shows spec.scopes here, not the selector.
    for (const [a, b] of CONFLICTING) if (set.has(a) && set.has(b)) out.push(fieldInvalid(p, spec.scopes ?? null, 'conflicting scopes'));
  }
  return out;
}

/** ValidateResourceQuota (the generic create step adds ObjectMeta). */
export function validateResourceQuota(rq: KubeObject): FieldError[] {
  return validateResourceQuotaSpec(rq);
}

/** ValidateResourceQuotaUpdate: ObjectMeta update rules, the spec, and scopes that never change (compared as sets). */
export function validateResourceQuotaUpdate(rq: KubeObject, old: KubeObject): FieldError[] {
  const out = [...objectMetaUpdate(rq, old), ...validateResourceQuotaSpec(rq)];
  const scopes: string[] = Array.isArray(rq.spec?.scopes) ? rq.spec.scopes : [];
  const oldScopes: string[] = Array.isArray(old.spec?.scopes) ? old.spec.scopes : [];
  const a = new Set(scopes);
  const b = new Set(oldScopes);
  if (a.size !== b.size || [...a].some((x) => !b.has(x)))
    out.push(fieldInvalid('spec.scopes', rq.spec?.scopes ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  return out;
}

/** ValidateResourceQuotaResourceName: a resource name, and an unprefixed one must be a standard quota resource. */
function validateQuotaResourceName(name: string, p: string): FieldError[] {
  const out = isQualifiedName(name).map((msg) => fieldInvalid(p, name, msg));
  if (out.length === 0 && !name.includes('/') && !STANDARD_RESOURCES.has(name) && !isQuotaHugePages(name)) {
    out.push(fieldInvalid(p, name, 'must be a standard resource type or fully qualified'));
  }
  if (!name.includes('/') && !isStandardQuotaResource(name)) out.push(fieldInvalid(p, name, 'must be a standard resource for quota'));
  return out;
}

/** ValidateResourceQuotaStatusUpdate: ObjectMeta update rules, then status.hard and status.used. */
export function validateResourceQuotaStatusUpdate(rq: KubeObject, old: KubeObject): FieldError[] {
  const out = objectMetaUpdate(rq, old);
  for (const part of ['hard', 'used']) {
    const list: Json = rq.status?.[part] ?? {};
    for (const [name, q] of Object.entries(list)) {
      const p = `status.${part}[${name}]`;
      out.push(...validateQuotaResourceName(name, p), ...validateResourceQuantityValue(name, q, p));
    }
  }
  return out;
}
