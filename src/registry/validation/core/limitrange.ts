// LimitRange validation (kube pkg/apis/core/validation/validation.go: ValidateLimitRange,
// validateLimitRangeTypeName, validateLimitRangeResourceName), after ObjectMeta. Quantities are shown as
// Quantity.String() writes them ("2000m" → "2"); kube walks each item's resource
// names in Go's random order, kgate in the order max, min, default, defaultRequest, maxLimitRequestRatio.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { fieldForbidden, fieldInvalid, fieldRequired, isQualifiedName } from '../../../apimachinery/validation.js';
import { objectMeta } from './objectmeta.js';
import { quantityNumber, quantityString } from './quantity.js';
import { STANDARD_CONTAINER_RESOURCES, STANDARD_RESOURCES } from './resources.js';

type Json = Record<string, any>;

const LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);

const isHugePages = (n: string) => n.startsWith('hugepages-');
const isNative = (n: string) => !n.includes('/') || n.includes('kubernetes.io/');

function validateResourceName(name: string, p: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => fieldInvalid(p, name, msg));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !isHugePages(name)) {
    errs.push(fieldInvalid(p, name, 'must be a standard resource type or fully qualified'));
  }
  return errs;
}

function validateLimitRangeResourceName(type: string, name: string, p: string): FieldError[] {
  const errs = validateResourceName(name, p);
  if (type !== 'Pod' && type !== 'Container') return errs;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name))
      errs.push(fieldInvalid(p, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && (name.startsWith('requests.') || isQualifiedName(`requests.${name}`).length > 0)) {
    errs.push(fieldInvalid(p, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** Go's %f. */
function goFloat(n: number): string {
  return Number.isFinite(n) ? n.toFixed(6) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
}

export function validateLimitRange(lr: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const limits: Json[] = Array.isArray(lr.spec?.limits) ? lr.spec.limits : [];
  const types = new Set<string>();
  limits.forEach((limit, i) => {
    const p = `spec.limits[${i}]`;
    const type: string = limit?.type ?? '';
    const typeErrs = isQualifiedName(type).map((msg) => fieldInvalid(`${p}.type`, type, msg));
    if (typeErrs.length === 0 && !type.includes('/') && !LIMIT_TYPES.has(type)) {
      typeErrs.push(fieldInvalid(`${p}.type`, type, 'must be a standard limit type or fully qualified'));
    }
    out.push(...typeErrs);
    if (types.has(type)) out.push({ type: 'FieldValueDuplicate', field: `${p}.type`, value: type, detail: '' });
    types.add(type);

    const keys: string[] = [];
    const maps: Record<string, Json> = {};
    const walk = (field: string) => {
      const m: Json = Object.fromEntries(Object.entries(limit?.[field] ?? {}).map(([k, v]) => [k, quantityString(v)]));
      maps[field] = m;
      for (const k of Object.keys(m)) {
        out.push(...validateLimitRangeResourceName(type, k, `${p}.${field}[${k}]`));
        if (!keys.includes(k)) keys.push(k);
      }
    };
    walk('max');
    walk('min');
    if (type === 'Pod') {
      if (Object.keys(limit?.default ?? {}).length > 0)
        out.push(fieldForbidden(`${p}.default`, "may not be specified when `type` is 'Pod'"));
      if (Object.keys(limit?.defaultRequest ?? {}).length > 0) {
        out.push(fieldForbidden(`${p}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
      }
      maps.default = {};
      maps.defaultRequest = {};
    } else {
      walk('default');
      walk('defaultRequest');
    }
    if (type === 'PersistentVolumeClaim' && maps.min.storage === undefined && maps.max.storage === undefined) {
      out.push(fieldRequired(`${p}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
    }
    walk('maxLimitRequestRatio');

    for (const k of keys) {
      const min = maps.min[k];
      const max = maps.max[k];
      const def = maps.default[k];
      const req = maps.defaultRequest[k];
      const ratio = maps.maxLimitRequestRatio[k];
      const n = (q: unknown) => quantityNumber(q) ?? 0;
      if (min !== undefined && max !== undefined && n(min) > n(max)) {
        out.push(fieldInvalid(`${p}.min[${k}]`, min, `min value ${min} is greater than max value ${max}`));
      }
      if (req !== undefined && min !== undefined && n(min) > n(req)) {
        out.push(fieldInvalid(`${p}.defaultRequest[${k}]`, req, `min value ${min} is greater than default request value ${req}`));
      }
      if (req !== undefined && max !== undefined && n(req) > n(max)) {
        out.push(fieldInvalid(`${p}.defaultRequest[${k}]`, req, `default request value ${req} is greater than max value ${max}`));
      }
      if (req !== undefined && def !== undefined && n(req) > n(def)) {
        out.push(fieldInvalid(`${p}.defaultRequest[${k}]`, req, `default request value ${req} is greater than default limit value ${def}`));
      }
      if (def !== undefined && min !== undefined && n(min) > n(def)) {
        out.push(fieldInvalid(`${p}.default[${k}]`, min, `min value ${min} is greater than default value ${def}`));
      }
      if (def !== undefined && max !== undefined && n(def) > n(max)) {
        out.push(fieldInvalid(`${p}.default[${k}]`, max, `default value ${def} is greater than max value ${max}`));
      }
      if (ratio !== undefined && n(ratio) < 1)
        out.push(fieldInvalid(`${p}.maxLimitRequestRatio[${k}]`, ratio, `ratio ${ratio} is less than 1`));
      if (ratio !== undefined && min !== undefined && max !== undefined) {
        const limit = n(max) / n(min);
        if (n(ratio) > limit) {
          out.push(fieldInvalid(`${p}.maxLimitRequestRatio[${k}]`, ratio, `ratio ${ratio} is greater than max/min = ${goFloat(limit)}`));
        }
      }
      // Resources that may not be overcommitted (hugepages, extended) need equal default and defaultRequest.
      const overcommit = isNative(k) && !isHugePages(k);
      if (!overcommit && def !== undefined && req !== undefined && n(def) !== n(req)) {
        out.push(fieldInvalid(`${p}.defaultRequest[${k}]`, req, `default value ${def} must equal to defaultRequest value ${req} in ${k}`));
      }
    }
  });
  return out;
}

/** The LimitRange strategy's ValidateUpdate: ValidateLimitRange again, ObjectMeta included. */
export function validateLimitRangeUpdate(lr: KubeObject): FieldError[] {
  return [...objectMeta(lr, true), ...validateLimitRange(lr)];
}
