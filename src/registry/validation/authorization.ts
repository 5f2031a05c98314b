// Validation of the access reviews (kube pkg/apis/authorization/validation/validation.go: ValidateSubjectAccessReview,
// ValidateSelfSubjectAccessReview, ValidateLocalSubjectAccessReview and the selector attributes they check).
// The objects are the v1 JSON in Go's layout, with the managedFields the create handler recorded; the Invalid values
// are printed as kube prints the internal Go values (a nil pointer as null, the internal NonResourceAttributes with
// its Go field names, ObjectMeta as its JSON).
import type { FieldError } from '../../apimachinery/errors.js';
import { fieldForbidden, fieldInvalid, fieldRequired, isValidLabelValue, validateLabelName } from '../../apimachinery/validation.js';

type Json = Record<string, any>;

export type AccessReviewKind = 'SubjectAccessReview' | 'SelfSubjectAccessReview' | 'LocalSubjectAccessReview';

const isSet = (v: unknown): v is Json => v !== undefined && v !== null;
const len = (v: unknown): number => (Array.isArray(v) ? v.length : typeof v === 'string' ? v.length : 0);

/** The internal authorization.NonResourceAttributes as json.Marshal writes it (no json tags: Go field names). */
function internalNonResourceAttributes(a: Json | null | undefined): unknown {
  return isSet(a) ? { Path: a.path ?? '', Verb: a.verb ?? '' } : null;
}

/** ValidateSubjectAccessReviewSpec and ValidateSelfSubjectAccessReviewSpec (the latter has no user check). */
function validateSpec(spec: Json, withUser: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = spec.resourceAttributes;
  const nonResource = spec.nonResourceAttributes;
  if (isSet(resource) && isSet(nonResource)) {
    errs.push(
      fieldInvalid(
        'spec.nonResourceAttributes',
        internalNonResourceAttributes(nonResource),
        'cannot be specified in combination with resourceAttributes',
      ),
    );
  }
  if (!isSet(resource) && !isSet(nonResource)) {
    errs.push(
      fieldInvalid(
        'spec.resourceAttributes',
        internalNonResourceAttributes(nonResource),
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  }
  if (withUser && len(spec.user) === 0 && len(spec.groups) === 0) {
    errs.push(fieldInvalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  }
  if (isSet(resource)) {
    errs.push(...validateSelector(resource.fieldSelector, 'spec.resourceAttributes.fieldSelector', validateFieldRequirement));
    errs.push(...validateSelector(resource.labelSelector, 'spec.resourceAttributes.labelSelector', validateLabelRequirement));
  }
  return errs;
}

/** validateFieldSelectorAttributes / validateLabelSelectorAttributes: rawSelector or requirements, not both. */
function validateSelector(selector: unknown, p: string, requirement: (r: Json, p: string) => FieldError[]): FieldError[] {
  if (!isSet(selector)) return [];
  const errs: FieldError[] = [];
  const raw = typeof selector.rawSelector === 'string' ? selector.rawSelector : '';
  const requirements: Json[] = Array.isArray(selector.requirements) ? selector.requirements : [];
  if (raw.length > 0 && requirements.length > 0)
    errs.push(fieldInvalid(`${p}.rawSelector`, raw, 'may not specified at the same time as requirements'));
  if (raw.length === 0 && requirements.length === 0) {
    errs.push(fieldRequired(`${p}.requirements`, `when ${p} is specified, requirements or rawSelector is required`));
  }
  requirements.forEach((r, i) => errs.push(...requirement(r ?? {}, `${p}.requirements[${i}]`)));
  return errs;
}

/** The operator rules both requirement kinds share; unknown operators are allowed (AllowUnknownOperatorInRequirement). */
function operatorErrors(r: Json, p: string): FieldError[] {
  const values = len(r.values);
  if ((r.operator === 'In' || r.operator === 'NotIn') && values === 0) {
    return [fieldRequired(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'")];
  }
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values > 0) {
    return [fieldForbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")];
  }
  return [];
}

/** metav1validation.ValidateFieldSelectorRequirement. */
function validateFieldRequirement(r: Json, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (len(r.key) === 0) errs.push(fieldRequired(`${p}.key`, 'must be specified'));
  errs.push(...operatorErrors(r, p));
  return errs;
}

/** metav1validation.ValidateLabelSelectorRequirement. */
function validateLabelRequirement(r: Json, p: string): FieldError[] {
  const errs = operatorErrors(r, p);
  errs.push(...validateLabelName(typeof r.key === 'string' ? r.key : '', `${p}.key`));
  (Array.isArray(r.values) ? r.values : []).forEach((v: unknown, i: number) => {
    for (const msg of isValidLabelValue(String(v))) errs.push(fieldInvalid(`${p}.values[${i}]`, v, msg));
  });
  return errs;
}

/** Whether ObjectMeta is empty once managedFields (and, for the local review, namespace) are left out. */
function metadataEmpty(meta: Json, ignoreNamespace: boolean): boolean {
  return Object.entries(meta).every(([k, v]) => {
    if (k === 'managedFields' || (ignoreNamespace && k === 'namespace')) return true;
    if (v === undefined || v === null || v === '' || v === 0) return true;
    if (Array.isArray(v)) return v.length === 0;
    return typeof v === 'object' && Object.keys(v).length === 0;
  });
}

/** The validation of one access review kind, in kube's order of checks. */
export function validateAccessReview(kind: AccessReviewKind, obj: Json): FieldError[] {
  const spec: Json = isSet(obj.spec) ? obj.spec : {};
  const meta: Json = isSet(obj.metadata) ? obj.metadata : {};
  const errs = validateSpec(spec, kind !== 'SelfSubjectAccessReview');
  if (kind === 'LocalSubjectAccessReview') {
    if (!metadataEmpty(meta, true)) errs.push(fieldInvalid('metadata', meta, 'must be empty except for namespace'));
    const resource = spec.resourceAttributes;
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
    if (isSet(resource) && (resource.namespace ?? '') !== namespace) {
      errs.push(fieldInvalid('spec.resourceAttributes.namespace', resource.namespace ?? '', 'must match metadata.namespace'));
    }
    if (isSet(spec.nonResourceAttributes)) {
      errs.push(
        fieldInvalid(
          'spec.nonResourceAttributes',
          internalNonResourceAttributes(spec.nonResourceAttributes),
          'disallowed on this kind of request',
        ),
      );
    }
  } else if (!metadataEmpty(meta, false)) {
    errs.push(fieldInvalid('metadata', meta, 'must be empty'));
  }
  return errs;
}
