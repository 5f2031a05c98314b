// ResourceQuota validation (kube pkg/apis/core/validation/validation.go: ValidateResourceQuota,
// ValidateResourceQuotaSpec, ValidateResourceQuotaResourceName, ValidateResourceQuantityValue,
// validateResourceQuotaScopes, validateScopedResourceSelectorRequirement), after ObjectMeta. kube walks the hard
// map in Go's random order; kgate walks it in the client's.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { fieldInvalid, fieldRequired, isQualifiedName } from '../../../apimachinery/validation.js';
import { quantitySign, quantityValue } from './quantity.js';
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
    default:
      return true;
  }
}

/** A plain decimal quantity in Quantity.String()'s form (1.5 → 1500m); other forms are shown as written. */
function canonical(q: unknown): unknown {
  if (typeof q !== 'string' || !/^\d+\.\d+$/.test(q)) return q;
  const milli = Number(q) * 1000;
  return Number.isInteger(milli) ? `${milli}m` : q;
}

export function validateResourceQuota(rq: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec: Json = rq.spec ?? {};
  const hard: Json = spec.hard ?? {};
  const names = Object.keys(hard);
  for (const name of names) {
    const p = `spec.hard[${name}]`;
    const nameErrs = isQualifiedName(name).map((msg) => fieldInvalid(p, name, msg));
    out.push(...nameErrs);
    if (nameErrs.length === 0 && !name.includes('/') && !STANDARD_RESOURCES.has(name) && !isQuotaHugePages(name)) {
      out.push(fieldInvalid(p, name, 'must be a standard resource type or fully qualified'));
    }
    if (!name.includes('/') && !isStandardQuotaResource(name)) out.push(fieldInvalid(p, name, 'must be a standard resource for quota'));
    const q = hard[name];
    if (quantitySign(q) === -1) out.push(fieldInvalid(p, canonical(q), 'must be greater than or equal to 0'));
    if (INTEGER_RESOURCES.has(name) || isExtendedResource(name)) {
      const v = quantityValue(q);
      const n = typeof q === 'number' ? q : Number(q);
      if (v !== undefined && Number.isFinite(n) && !Number.isInteger(n)) out.push(fieldInvalid(p, canonical(q), 'must be an integer'));
    }
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
    for (const [a, b] of CONFLICTING) if (set.has(a) && set.has(b)) out.push(fieldInvalid(p, shown, 'conflicting scopes'));
  }
  return out;
}
