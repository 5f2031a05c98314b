// ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding validation (kube
// pkg/apis/admissionregistration/validation/validation.go: ValidateValidatingAdmissionPolicy, ...Update,
// ...StatusUpdate, ValidateValidatingAdmissionPolicyBinding), after ObjectMeta. CEL expressions are compiled here
// with the same environment the plugin evaluates them in (src/admission/cel): one that does not compile is a 422.
import { Composition, compile, isCompileError, type CompileError, type Declarations } from '../../admission/cel/index.js';
import type { FieldError } from '../../apimachinery/errors.js';
import { validateOperations, validateRule } from './admissionregistration-rules.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1035Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPathSegmentName,
  validateConditions,
  validateLabelSelector,
} from '../../apimachinery/validation.js';

type Json = any;

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const VALIDATION_ACTIONS = ['Audit', 'Deny', 'Warn'];
const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge'];
const MAX_AUDIT_ANNOTATIONS = 20;
const MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH = 5 * 1024;
const CEL_RESERVED = new Set(
  'true false null in as break const continue else for function if import let loop package namespace return var void while'.split(' '),
);

const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value, detail: '' });

/** A compile error as kube's convertCELErrorToValidationError reports it. */
function celError(field: string, expression: string, e: CompileError): FieldError {
  if (e.type === 'Required') return fieldRequired(field, e.detail);
  if (e.type === 'Internal') return { type: 'InternalError', field, detail: e.detail };
  return fieldInvalid(field, expression, e.detail);
}

function compileAt(field: string, expression: string, decls: Declarations, returnTypes: string[]): FieldError[] {
  const r = compile(expression, decls, returnTypes);
  return isCompileError(r) ? [celError(field, expression, r)] : [];
}

/** validateNamedRuleWithOperations: resourceNames, operations, then the rule. */
function validateNamedRule(rule: Json, field: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  list(rule.resourceNames).forEach((name, i) => {
    for (const msg of isValidPathSegmentName(str(name))) out.push(fieldInvalid(`${field}.resourceNames[${i}]`, name, msg));
    if (seen.has(name)) out.push(duplicate(`${field}.resourceNames[${i}]`, name));
    else seen.add(name);
  });
  out.push(...validateOperations(rule, field), ...validateRule(rule, field));
  return out;
}

/** validateMatchResources: matchPolicy and both selectors are defaulted, so their absence is an error. */
function validateMatchResources(mc: Json, field: string): FieldError[] {
  const out: FieldError[] = [];
  if (mc == null) return out;
  if (mc.matchPolicy == null) out.push(fieldRequired(`${field}.matchPolicy`));
  else if (!MATCH_POLICIES.includes(mc.matchPolicy)) out.push(fieldNotSupported(`${field}.matchPolicy`, mc.matchPolicy, MATCH_POLICIES));
  if (mc.namespaceSelector == null) out.push(fieldRequired(`${field}.namespaceSelector`));
  else out.push(...validateLabelSelector(mc.namespaceSelector, `${field}.namespaceSelector`));
  if (mc.objectSelector == null) out.push(fieldRequired(`${field}.objectSelector`));
  else out.push(...validateLabelSelector(mc.objectSelector, `${field}.objectSelector`));
  list(mc.resourceRules).forEach((r, i) => out.push(...validateNamedRule(r, `${field}.resourceRules[${i}]`)));
  list(mc.excludeResourceRules).forEach((r, i) => out.push(...validateNamedRule(r, `${field}.excludeResourceRules[${i}]`)));
  return out;
}

/** kube's parseGroupVersion: "" and "/" are empty, one slash splits, more is an error. */
function parseGroupVersion(gv: string): { group: string; version: string } | undefined {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const slashes = gv.split('/').length - 1;
  if (slashes === 0) return { group: '', version: gv };
  if (slashes === 1) return { group: gv.slice(0, gv.indexOf('/')), version: gv.slice(gv.indexOf('/') + 1) };
  return undefined;
}

function validateParamKind(pk: Json, field: string): FieldError[] {
  const out: FieldError[] = [];
  const apiVersion = str(pk.apiVersion);
  if (apiVersion === '') out.push(fieldRequired(`${field}.apiVersion`));
  else {
    const gv = parseGroupVersion(apiVersion);
    if (!gv) out.push(fieldInvalid(`${field}.apiVersion`, apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
    else {
      if (gv.group !== '') {
        const errs = isDNS1123Subdomain(gv.group);
        if (errs.length > 0) out.push(fieldInvalid(`${field}.apiVersion`, gv.group, errs.join(',')));
      }
      if (gv.version === '') out.push(fieldInvalid(`${field}.apiVersion`, apiVersion, 'version must be specified'));
      else {
        const errs = isDNS1035Label(gv.version);
        if (errs.length > 0) out.push(fieldInvalid(`${field}.apiVersion`, gv.version, errs.join(',')));
      }
    }
  }
  const kind = str(pk.kind);
  if (kind === '') out.push(fieldRequired(`${field}.kind`));
  else {
    const errs = isDNS1035Label(kind.toLowerCase());
    if (errs.length > 0)
      out.push(fieldInvalid(`${field}.kind`, kind, `may have mixed case, but should otherwise match: ${errs.join(',')}`));
  }
  return out;
}

/** validateMatchConditions: at most 64, named uniquely, each a bool expression (params when the policy has a paramKind). */
export function validateMatchConditions(conditions: unknown, field: string, decls: Declarations): FieldError[] {
  const out: FieldError[] = [];
  const items = list(conditions);
  if (items.length > 64) out.push({ type: 'FieldValueTooMany', field, value: items.length, detail: 'must have at most 64 items' });
  const names = new Set<string>();
  items.forEach((c, i) => {
    const p = `${field}[${i}]`;
    const expression = str(c?.expression).trim();
    if (expression === '') out.push(fieldRequired(`${p}.expression`));
    else out.push(...compileAt(`${p}.expression`, expression, { params: decls.params, authorizer: true }, ['bool']));
    const name = str(c?.name);
    if (name === '') out.push(fieldRequired(`${p}.name`));
    else for (const msg of isQualifiedName(name)) out.push(fieldInvalid(`${p}.name`, name, msg));
    if (name !== '') {
      if (names.has(name)) out.push(duplicate(`${p}.name`, name));
      else names.add(name);
    }
  });
  return out;
}

function isCELIdentifier(name: string): boolean {
  return /^[_a-zA-Z][_a-zA-Z0-9]*$/.test(name) && !CEL_RESERVED.has(name);
}

function validateValidation(v: Json, field: string, decls: Declarations): FieldError[] {
  const out: FieldError[] = [];
  const expression = str(v?.expression);
  const message = str(v?.message);
  const messageExpression = str(v?.messageExpression);
  if (expression.trim() === '') out.push(fieldRequired(`${field}.expression`, 'expression is not specified'));
  else out.push(...compileAt(`${field}.expression`, expression, decls, ['bool']));
  if (messageExpression.length > 0 && messageExpression.trim() === '') {
    out.push(fieldInvalid(`${field}.messageExpression`, messageExpression, 'must be non-empty if specified'));
  } else if (messageExpression.trim() !== '') {
    // A messageExpression sees params but not the authorizer.
    out.push(...compileAt(`${field}.messageExpression`, messageExpression, { ...decls, authorizer: false }, ['string']));
  }
  const trimmedMessage = message.trim();
  if (message.length > 0 && trimmedMessage === '') out.push(fieldInvalid(`${field}.message`, message, 'must be non-empty if specified'));
  else if (/[\n\r]+/.test(trimmedMessage)) out.push(fieldInvalid(`${field}.message`, message, 'must not contain line breaks'));
  if (v?.reason != null && !REASONS.includes(v.reason)) out.push(fieldNotSupported(`${field}.reason`, v.reason, REASONS));
  return out;
}

function validateAuditAnnotation(policyName: string, a: Json, field: string, decls: Declarations): FieldError[] {
  const out: FieldError[] = [];
  const key = str(a?.key);
  if (policyName !== '') {
    const qualified = `${policyName}/${key}`;
    for (const msg of isQualifiedName(qualified)) out.push(fieldInvalid(`${field}.key`, qualified, msg));
  } else {
    out.push(fieldInvalid(`${field}.key`, key, 'requires metadata.name be non-empty'));
  }
  const valueExpression = str(a?.valueExpression);
  const trimmed = valueExpression.trim();
  if (trimmed === '') out.push(fieldRequired(`${field}.valueExpression`, 'valueExpression is not specified'));
  else if (trimmed.length > MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH) {
    out.push(fieldRequired(`${field}.valueExpression`, `must not exceed ${MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH} bytes in length`));
  } else {
    const r = compile(trimmed, decls, ['string', 'null_type']);
    if (isCompileError(r)) out.push(celError(`${field}.valueExpression`, valueExpression, r));
  }
  return out;
}

/** validateValidatingAdmissionPolicySpec, in kube's order. */
function validatePolicySpec(name: string, spec: Json, field: string, checkMatchConditions: boolean): FieldError[] {
  const out: FieldError[] = [];
  spec ??= {};
  if (spec.failurePolicy == null) out.push(fieldRequired(`${field}.failurePolicy`));
  else if (!FAILURE_POLICIES.includes(spec.failurePolicy)) {
    out.push(fieldNotSupported(`${field}.failurePolicy`, spec.failurePolicy, FAILURE_POLICIES));
  }
  const params = spec.paramKind != null;
  if (params) out.push(...validateParamKind(spec.paramKind, `${field}.paramKind`));
  if (spec.matchConstraints == null) out.push(fieldRequired(`${field}.matchConstraints`));
  else {
    out.push(...validateMatchResources(spec.matchConstraints, `${field}.matchConstraints`));
    if (list(spec.matchConstraints.resourceRules).length === 0) out.push(fieldRequired(`${field}.matchConstraints.resourceRules`));
  }
  if (checkMatchConditions) out.push(...validateMatchConditions(spec.matchConditions, `${field}.matchConditions`, { params }));
  const variables = list(spec.variables);
  const composition = variables.length > 0 ? new Composition() : undefined;
  variables.forEach((v, i) => {
    const p = `${field}.variables[${i}]`;
    const vname = str(v?.name);
    if (vname.trim() === '') out.push(fieldRequired(`${p}.name`, 'name is not specified'));
    else if (!isCELIdentifier(vname)) out.push(fieldInvalid(`${p}.name`, vname, 'must be a valid CEL identifier'));
    const expression = str(v?.expression);
    if (expression.trim() === '') out.push(fieldRequired(`${p}.expression`, 'expression is not specified'));
    else {
      const e = composition!.add(vname, expression, { params, authorizer: true });
      if (e) out.push(celError(`${p}.expression`, expression, e));
    }
  });
  const decls: Declarations = { params, authorizer: true, variables: composition };
  const validations = list(spec.validations);
  const auditAnnotations = list(spec.auditAnnotations);
  if (validations.length === 0 && auditAnnotations.length === 0) {
    out.push(fieldRequired(`${field}.validations`, 'validations or auditAnnotations must contain at least one item'));
    out.push(fieldRequired(`${field}.auditAnnotations`, 'validations or auditAnnotations must contain at least one item'));
    return out;
  }
  validations.forEach((v, i) => out.push(...validateValidation(v, `${field}.validations[${i}]`, decls)));
  if (auditAnnotations.length > MAX_AUDIT_ANNOTATIONS) {
    out.push(
      fieldInvalid(`${field}.auditAnnotations`, auditAnnotations, `must not have more than ${MAX_AUDIT_ANNOTATIONS} auditAnnotations`),
    );
  }
  const keys = new Set<string>();
  auditAnnotations.forEach((a, i) => {
    out.push(...validateAuditAnnotation(name, a, `${field}.auditAnnotations[${i}]`, decls));
    const key = str(a?.key);
    if (keys.has(key)) out.push(duplicate(`${field}.auditAnnotations[${i}].key`, key));
    keys.add(key);
  });
  return out;
}

export function validateValidatingAdmissionPolicy(policy: KubeObject): FieldError[] {
  return validatePolicySpec(str(policy.metadata?.name), policy.spec, 'spec', true);
}

/** On update, unchanged matchConditions are not checked again (ignoreValidatingAdmissionPolicyMatchConditions). */
export function validateValidatingAdmissionPolicyUpdate(policy: KubeObject, old: KubeObject): FieldError[] {
  const unchanged = deepEqual(policy.spec?.matchConditions ?? null, old.spec?.matchConditions ?? null);
  return validatePolicySpec(str(policy.metadata?.name), policy.spec, 'spec', !unchanged);
}

/** ValidateValidatingAdmissionPolicyStatusUpdate: typeChecking's warnings and the conditions. */
export function validateValidatingAdmissionPolicyStatusUpdate(policy: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const status: Json = policy.status ?? {};
  list(status.typeChecking?.expressionWarnings).forEach((w, i) => {
    const p = `status.typeChecking.expressionWarnings[${i}]`;
    if (str(w?.warning) === '') out.push(fieldRequired(`${p}.warning`));
    if (str(w?.fieldRef).trim() === '') out.push(fieldRequired(`${p}.fieldRef`));
  });
  out.push(...validateConditions(status.conditions, 'status.conditions'));
  return out;
}

function validateParamRef(pr: Json, field: string): FieldError[] {
  const out: FieldError[] = [];
  if (pr == null) return out;
  const name = str(pr.name);
  if (name !== '') {
    for (const msg of isValidPathSegmentName(name)) out.push(fieldInvalid(`${field}.name`, name, msg));
    if (pr.selector != null) out.push(fieldForbidden(`${field}.name`, 'name and selector are mutually exclusive'));
  }
  if (pr.selector != null) {
    out.push(...validateLabelSelector(pr.selector, `${field}.selector`));
    if (name !== '') out.push(fieldForbidden(`${field}.selector`, 'name and selector are mutually exclusive'));
  }
  if (name === '' && pr.selector == null) out.push(fieldRequired(field, 'one of name or selector must be specified'));
  const action = pr.parameterNotFoundAction;
  if (action == null || action === '') out.push(fieldRequired(`${field}.parameterNotFoundAction`));
  else if (action !== 'Deny' && action !== 'Allow')
    out.push(fieldNotSupported(`${field}.parameterNotFoundAction`, action, ['Deny', 'Allow']));
  return out;
}

function validateValidationActions(actions: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  const items = list(actions);
  const seen = new Set<string>();
  items.forEach((a, i) => {
    if (!VALIDATION_ACTIONS.includes(a)) out.push(fieldNotSupported(`${field}[${i}]`, a, VALIDATION_ACTIONS));
    if (seen.has(a)) out.push(duplicate(`${field}[${i}]`, a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    out.push(
      fieldInvalid(
        field,
        items,
        'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
      ),
    );
  }
  if (seen.size === 0) out.push(fieldRequired(field, 'at least one validation action is required'));
  return out;
}

export function validateValidatingAdmissionPolicyBinding(binding: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec: Json = binding.spec ?? {};
  const policyName = str(spec.policyName);
  if (policyName === '') out.push(fieldRequired('spec.policyName'));
  else for (const msg of isDNS1123Subdomain(policyName)) out.push(fieldInvalid('spec.policyName', policyName, msg));
  out.push(...validateParamRef(spec.paramRef, 'spec.paramRef'));
  out.push(...validateMatchResources(spec.matchResources, 'spec.matchResources'));
  out.push(...validateValidationActions(spec.validationActions, 'spec.validationActions'));
  return out;
}
