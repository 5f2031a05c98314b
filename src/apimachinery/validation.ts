// Name, label and ObjectMeta validation with kube-apiserver's exact messages (k8s.io/apimachinery v0.34:
// pkg/util/validation/validation.go, pkg/api/validation/{objectmeta,generic,path/name}.go,
// pkg/apis/meta/v1/validation/validation.go). Callers turn the FieldError lists into a 422 with `invalid()`.

import type { FieldError } from './errors.js';

// ---- message builders (util/validation) -------------------------------------------------------------

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `msg (e.g. 'a',  or 'b', regex used for validation is 're')`; the doubled space is kube's. */
export function regexError(msg: string, re: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${re}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return `${out}regex used for validation is '${re}')`;
}

export function emptyError(): string {
  return 'must be non-empty';
}

// ---- formats -------------------------------------------------------------------------------------------

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;
const QUALIFIED_NAME_MAX_LENGTH = 63;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_ERR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_ERR =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const dns1123LabelRe = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const dns1123SubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const dns1035LabelRe = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const qualifiedNameRe = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const labelValueRe = new RegExp(`^${LABEL_VALUE_FMT}$`);

/**
 * The same label keys, annotation keys and names come with nearly every object, and each check depends on the
 * string alone: strings found valid are remembered (a bounded set per check), so a repeat costs one lookup.
 */
function rememberValid(check: (value: string) => string[]): (value: string) => string[] {
  const valid = new Set<string>();
  return (value) => {
    if (valid.has(value)) return [];
    const errs = check(value);
    if (errs.length === 0) {
      if (valid.size >= VALID_CACHE_LIMIT) valid.clear();
      valid.add(value);
    }
    return errs;
  };
}

const VALID_CACHE_LIMIT = 10_000;

/** Go's len(): kube measures lengths in bytes. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export const isDNS1123Label = rememberValid(function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on its dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
});

export const isDNS1123Subdomain = rememberValid(function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
});

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/** A qualified name: label keys, annotation keys (lower-cased first), finalizers. */
export const isQualifiedName = rememberValid(function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  switch (parts.length) {
    case 1:
      name = parts[0];
      break;
    case 2: {
      const prefix = parts[0];
      name = parts[1];
      if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
      else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
      break;
    }
    default:
      return [
        `a qualified name ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}` +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!qualifiedNameRe.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
});

export const isValidLabelValue = rememberValid(function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRe.test(value)) errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
});

/** Names that must be safe as a URL path segment and etcd key segment (api/validation/path). */
export function isValidPathSegmentName(name: string): string[] {
  for (const illegal of ['.', '..']) {
    if (name === illegal) return [`may not be '${illegal}'`];
  }
  return isValidPathSegmentPrefix(name);
}

export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const illegal of ['/', '%']) {
    if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  }
  return errs;
}

// ---- name validation functions (api/validation/generic.go) ---------------------------------------------

/** Validates a name; `prefix` is true for generateName, whose value gets a random suffix appended. */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[];

export type NameValidation = 'subdomain' | 'label' | 'rfc1035-label' | 'path-segment';

/**
 * kube's maskTrailingDash, including its quirk: it drops the last *two* characters before appending 'a'
 * (name[:len(name)-2] + "a"), so a generateName of "ab-" is checked as "aa".
 */
function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return `${name.slice(0, name.length - 2)}a`;
  return name;
}

export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
export const nameIsPathSegment: ValidateNameFunc = (name, prefix) =>
  prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
/** Namespaces are DNS-1123 labels. */
export const validateNamespaceName: ValidateNameFunc = nameIsDNSLabel;

export function nameValidator(v: NameValidation | ValidateNameFunc): ValidateNameFunc {
  if (typeof v === 'function') return v;
  switch (v) {
    case 'subdomain':
      return nameIsDNSSubdomain;
    case 'label':
      return nameIsDNSLabel;
    case 'rfc1035-label':
      return nameIsDNS1035Label;
    case 'path-segment':
      return nameIsPathSegment;
  }
}

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** IsConfigMapKey: a key of ConfigMap and Secret data (util/validation). */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (byteLength(key) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!CONFIG_MAP_KEY.test(key)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        '[-._a-zA-Z0-9]+',
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  }
  // hasChDirPrefix
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

// ---- field error constructors (util/validation/field) --------------------------------------------------

export function fieldInvalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, value, detail };
}

export function fieldRequired(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, detail };
}

export function fieldForbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail };
}

/** kube: `may not be more than N bytes` (the value is never shown). */
export function fieldTooLong(field: string, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long';
  return { type: 'FieldValueTooLong', field, detail };
}

/** kube: `Unsupported value: "x": supported values: "a", "b"`. */
export function fieldNotSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
  return { type: 'FieldValueNotSupported', field, value, detail };
}

// ---- labels, annotations, selectors --------------------------------------------------------------------

export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

export function validateLabelName(labelName: string, fldPath: string): FieldError[] {
  return isQualifiedName(labelName).map((msg) => fieldInvalid(fldPath, labelName, msg));
}

/** Every error is reported at `fldPath` itself (e.g. `metadata.labels`), as kube does. */
export function validateLabels(labels: Record<string, string> | null | undefined, fldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, fldPath));
    for (const msg of isValidLabelValue(String(v))) errs.push(fieldInvalid(fldPath, v, msg));
  }
  return errs;
}

export function annotationsSize(annotations: Record<string, string> | null | undefined): number {
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) total += byteLength(k) + byteLength(String(v));
  return total;
}

export function validateAnnotations(annotations: Record<string, string> | null | undefined, fldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(annotations ?? {})) {
    // Annotation keys are qualified names where case does not matter.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldInvalid(fldPath, k, msg));
  }
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
    errs.push(fieldTooLong(fldPath, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  }
  return errs;
}

export interface LabelSelectorRequirementInput {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface LabelSelectorInput {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementInput[] | null;
}

/** metav1 validation.ValidateLabelSelector (e.g. for `spec.selector` of Deployments). */
export function validateLabelSelector(
  ps: LabelSelectorInput | null | undefined,
  fldPath: string,
  opts: { allowInvalidLabelValueInSelector?: boolean } = {},
): FieldError[] {
  if (ps == null) return [];
  const errs = validateLabels(ps.matchLabels, `${fldPath}.matchLabels`);
  (ps.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${fldPath}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldRequired(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(fieldForbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        break;
      default:
        errs.push(fieldInvalid(`${p}.operator`, expr.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(expr.key, `${p}.key`));
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v, vi) => {
        for (const msg of isValidLabelValue(v)) errs.push(fieldInvalid(`${p}.values[${vi}]`, v, msg));
      });
    }
  });
  return errs;
}

// ---- conditions (metav1 validation.ValidateConditions) ------------------------------------------------

export interface ConditionInput {
  type?: string;
  status?: string;
  observedGeneration?: number;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const CONDITION_REASON_FMT = '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?';
const CONDITION_REASON = new RegExp(`^${CONDITION_REASON_FMT}$`);
const CONDITION_REASON_MAX = 1024;
const CONDITION_MESSAGE_MAX = 32768;

/** metav1 ValidateConditions: a duplicate type, then each condition's own rules (ValidateCondition). */
export function validateConditions(conditions: ConditionInput[] | null | undefined, fldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (conditions ?? []).forEach((c, i) => {
    const p = `${fldPath}[${i}]`;
    const type = c.type ?? '';
    if (seen.has(type)) errs.push({ type: 'FieldValueDuplicate', field: `${p}.type`, value: type, detail: '' });
    else seen.add(type);
    errs.push(...validateLabelName(type, `${p}.type`));
    const status = c.status ?? '';
    if (!CONDITION_STATUSES.includes(status)) errs.push(fieldNotSupported(`${p}.status`, status, CONDITION_STATUSES));
    if ((c.observedGeneration ?? 0) < 0) {
      errs.push(fieldInvalid(`${p}.observedGeneration`, c.observedGeneration, 'must be greater than or equal to zero'));
    }
    if (!c.lastTransitionTime) errs.push(fieldRequired(`${p}.lastTransitionTime`));
    const reason = c.reason ?? '';
    if (reason === '') errs.push(fieldRequired(`${p}.reason`));
    else {
      if (!CONDITION_REASON.test(reason)) {
        errs.push(
          fieldInvalid(
            `${p}.reason`,
            reason,
            regexError(
              "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'",
              CONDITION_REASON_FMT,
              'my_name',
              'MY_NAME',
              'MyName',
              'ReasonA,ReasonB',
              'ReasonA:ReasonB',
            ),
          ),
        );
      }
      if (reason.length > CONDITION_REASON_MAX) errs.push(fieldTooLong(`${p}.reason`, CONDITION_REASON_MAX));
    }
    if ((c.message ?? '').length > CONDITION_MESSAGE_MAX) errs.push(fieldTooLong(`${p}.message`, CONDITION_MESSAGE_MAX));
  });
  return errs;
}

// ---- ownerReferences and finalizers --------------------------------------------------------------------

export interface OwnerReferenceInput {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean | null;
  blockOwnerDeletion?: boolean | null;
}

/** schema.ParseGroupVersion as used by FromAPIVersionAndKind: an unparsable apiVersion gives an empty group/version. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return { group: '', version: '' };
}

/** An OwnerReference as Go's json.Marshal renders it inside a message (field order, omitempty). */
function ownerReferenceValue(ref: OwnerReferenceInput): Record<string, unknown> {
  const out: Record<string, unknown> = { apiVersion: ref.apiVersion ?? '', kind: ref.kind ?? '', name: ref.name ?? '', uid: ref.uid ?? '' };
  if (ref.controller != null) out.controller = ref.controller;
  if (ref.blockOwnerDeletion != null) out.blockOwnerDeletion = ref.blockOwnerDeletion;
  return out;
}

export function validateOwnerReferences(refs: OwnerReferenceInput[] | null | undefined, fldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const gv = parseGroupVersion(ref.apiVersion ?? '');
    const kind = ref.kind ?? '';
    if (gv.version === '') errs.push(fieldInvalid(`${fldPath}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (kind === '') errs.push(fieldInvalid(`${fldPath}.kind`, kind, 'must not be empty'));
    if (!ref.name) errs.push(fieldInvalid(`${fldPath}.name`, ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(fieldInvalid(`${fldPath}.uid`, ref.uid ?? '', 'must not be empty'));
    // BannedOwners: core/v1 Events may not own anything.
    if (gv.group === '' && gv.version === 'v1' && kind === 'Event') {
      errs.push(fieldInvalid(fldPath, ownerReferenceValue(ref), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const current = `${kind}/${ref.name ?? ''}`;
      if (firstController !== '') {
        errs.push(
          fieldInvalid(
            fldPath,
            (refs ?? []).map(ownerReferenceValue),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export function validateFinalizerName(name: string, fldPath: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldInvalid(fldPath, name, msg));
}

export function validateFinalizers(finalizers: string[] | null | undefined, fldPath: string): FieldError[] {
  const list = finalizers ?? [];
  const errs: FieldError[] = [];
  for (const f of list) errs.push(...validateFinalizerName(f, fldPath));
  if (list.includes(FINALIZER_ORPHAN_DEPENDENTS) && list.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push(
      fieldInvalid(fldPath, list, `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`),
    );
  }
  return errs;
}

/** Finalizers cannot be added once deletionTimestamp is set. */
export function validateNoNewFinalizers(
  newFinalizers: string[] | null | undefined,
  oldFinalizers: string[] | null | undefined,
  fldPath: string,
): FieldError[] {
  const old = new Set(oldFinalizers ?? []);
  const extra = [...new Set((newFinalizers ?? []).filter((f) => !old.has(f)))].sort();
  if (extra.length === 0) return [];
  // Go's %#v of a []string.
  const rendered = `[]string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`;
  return [fieldForbidden(fldPath, `no new finalizers can be added if the object is being deleted, found new finalizers ${rendered}`)];
}

export function validateNonnegativeField(value: number, fldPath: string): FieldError[] {
  return value < 0 ? [fieldInvalid(fldPath, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

// ---- ObjectMeta ----------------------------------------------------------------------------------------

export interface ObjectMetaInput {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  deletionGracePeriodSeconds?: number | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  ownerReferences?: OwnerReferenceInput[] | null;
  finalizers?: string[] | null;
}

export interface ObjectMetaValidationOptions {
  /** The resource is namespace-scoped: namespace required; otherwise it is forbidden. */
  namespaced: boolean;
  /** How the kind validates metadata.name (most kinds: 'subdomain'). */
  nameValidation: NameValidation | ValidateNameFunc;
  /** Default true. False skips the `name or generateName is required` check (kube always checks after name generation). */
  requireName?: boolean;
  /** Default `metadata`. */
  fieldPath?: string;
}

/**
 * ValidateObjectMetaAccessor: run after generateName has been turned into a name. Error order follows kube:
 * generateName, name, namespace, generation, labels, annotations, ownerReferences, finalizers.
 * managedFields are not validated here.
 */
export function validateObjectMeta(meta: ObjectMetaInput, opts: ObjectMetaValidationOptions): FieldError[] {
  const p = opts.fieldPath ?? 'metadata';
  const nameFn = nameValidator(opts.nameValidation);
  const errs: FieldError[] = [];
  const generateName = meta.generateName ?? '';
  if (generateName !== '') {
    for (const msg of nameFn(generateName, true)) errs.push(fieldInvalid(`${p}.generateName`, generateName, msg));
  }
  const name = meta.name ?? '';
  if (name === '') {
    if (opts.requireName !== false) errs.push(fieldRequired(`${p}.name`, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(name, false)) errs.push(fieldInvalid(`${p}.name`, name, msg));
  }
  const namespace = meta.namespace ?? '';
  if (opts.namespaced) {
    if (namespace === '') errs.push(fieldRequired(`${p}.namespace`));
    else for (const msg of validateNamespaceName(namespace, false)) errs.push(fieldInvalid(`${p}.namespace`, namespace, msg));
  } else if (namespace !== '') {
    errs.push(fieldForbidden(`${p}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(meta.generation ?? 0, `${p}.generation`));
  errs.push(...validateLabels(meta.labels, `${p}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${p}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${p}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${p}.finalizers`));
  return errs;
}

/** Semantic equality for metav1.Time (compared as instants; absent and null are the zero time). */
function sameTime(a: string | null | undefined, b: string | null | undefined): boolean {
  const na = a ?? '';
  const nb = b ?? '';
  if (na === nb) return true;
  const ta = Date.parse(na);
  const tb = Date.parse(nb);
  return !Number.isNaN(ta) && ta === tb;
}

/** `metadata.x: Invalid value: <new>: field is immutable`, the new value rendered as kube does (null when unset). */
export function validateImmutableField(newVal: unknown, oldVal: unknown, fldPath: string): FieldError[] {
  return Object.is(newVal, oldVal) ? [] : [fieldInvalid(fldPath, newVal, FIELD_IMMUTABLE_ERROR_MSG)];
}

/**
 * ValidateObjectMetaAccessorUpdate. The caller should have copied the stored resourceVersion into an
 * unconditional update before calling this, as kube's store does, or it gets `must be specified for an update`.
 */
export function validateObjectMetaUpdate(newMeta: ObjectMetaInput, oldMeta: ObjectMetaInput, fieldPath = 'metadata'): FieldError[] {
  const p = fieldPath;
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp != null) {
    errs.push(...validateNoNewFinalizers(newMeta.finalizers, oldMeta.finalizers, `${p}.finalizers`));
  }
  if (!newMeta.resourceVersion) {
    errs.push(fieldInvalid(`${p}.resourceVersion`, newMeta.resourceVersion ?? '', 'must be specified for an update'));
  }
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(fieldInvalid(`${p}.generation`, newMeta.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutableField(newMeta.name ?? '', oldMeta.name ?? '', `${p}.name`));
  errs.push(...validateImmutableField(newMeta.namespace ?? '', oldMeta.namespace ?? '', `${p}.namespace`));
  errs.push(...validateImmutableField(newMeta.uid ?? '', oldMeta.uid ?? '', `${p}.uid`));
  if (!sameTime(newMeta.creationTimestamp, oldMeta.creationTimestamp)) {
    errs.push(fieldInvalid(`${p}.creationTimestamp`, newMeta.creationTimestamp || null, FIELD_IMMUTABLE_ERROR_MSG));
  }
  if (!sameTime(newMeta.deletionTimestamp, oldMeta.deletionTimestamp)) {
    errs.push(fieldInvalid(`${p}.deletionTimestamp`, newMeta.deletionTimestamp || null, FIELD_IMMUTABLE_ERROR_MSG));
  }
  errs.push(
    ...validateImmutableField(
      newMeta.deletionGracePeriodSeconds ?? null,
      oldMeta.deletionGracePeriodSeconds ?? null,
      `${p}.deletionGracePeriodSeconds`,
    ),
  );
  errs.push(...validateLabels(newMeta.labels, `${p}.labels`));
  errs.push(...validateAnnotations(newMeta.annotations, `${p}.annotations`));
  errs.push(...validateOwnerReferences(newMeta.ownerReferences, `${p}.ownerReferences`));
  return errs;
}

// ---- ports and ranges (util/validation) ----------------------------------------------------------------

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** IsValidPortNum: 1-65535. */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IsInRange: an inclusive range. */
export function isInRange(value: number, min: number, max: number): string[] {
  return value >= min && value <= max ? [] : [inclusiveRangeError(min, max)];
}

const PORT_NAME_CHARSET = /^[-a-z0-9]+$/;
const PORT_NAME_ONE_LETTER = /[a-z]/;

/** IsValidPortName: an IANA_SVC_NAME (at most 15 characters, a-z0-9 and single inner hyphens, one letter). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!PORT_NAME_CHARSET.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!PORT_NAME_ONE_LETTER.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

// ---- schema and kind errors ----------------------------------------------------------------------------

/** The path below its first segment: kube reports some fields under another parent (Node spec.taints as metadata.taints). */
function pathTail(field: string): string {
  const dot = field.indexOf('.');
  return dot < 0 ? field : field.slice(dot);
}

/** The same error: same type at the same field, or the same text at a field the kind reports under another parent. */
function sameFieldError(a: FieldError, b: FieldError): boolean {
  if (a.type !== b.type) return false;
  if (a.field === b.field) return true;
  return pathTail(a.field) === pathTail(b.field) && a.detail === b.detail && JSON.stringify(a.value) === JSON.stringify(b.value);
}

/**
 * The schema's generic required/enum errors, then the kind's own: a schema error the kind's validation also
 * reports is dropped, so kube's single error appears once, at the place the kind's code puts it.
 */
export function mergeSchemaErrors(schemaErrors: readonly FieldError[] | undefined, kindErrors: FieldError[]): FieldError[] {
  // ObjectMeta is checked by kube's own rules only (ValidateObjectMeta): an owner reference's empty apiVersion is
  // "must not be empty" there, never the schema's "Required value".
  schemaErrors = schemaErrors?.filter((e) => !e.field.startsWith('metadata.'));
  if (!schemaErrors || schemaErrors.length === 0) return kindErrors;
  if (kindErrors.length === 0) return [...schemaErrors];
  return [...schemaErrors.filter((s) => !kindErrors.some((k) => sameFieldError(s, k))), ...kindErrors];
}
