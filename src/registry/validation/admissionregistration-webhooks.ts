// MutatingWebhookConfiguration and ValidatingWebhookConfiguration validation (kube
// pkg/apis/admissionregistration/validation/validation.go: ValidateMutatingWebhookConfiguration,
// ValidateValidatingWebhookConfiguration and their Update forms; k8s.io/apiserver/pkg/util/webhook/validation.go for
// clientConfig). ObjectMeta is checked by the store first, as kube's genericvalidation.ValidateObjectMeta is the
// first call of both. An update relaxes a rule the stored object already breaks (side effects, review versions,
// unique names, label values in selectors) and skips the CEL compile when the match conditions did not change.
import { compileMatchConditions } from '../../admission/webhook/conditions.js';
import type { FieldError } from '../../apimachinery/errors.js';
import { validateOperations, validateRule } from './admissionregistration-rules.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import {
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1035Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortNum,
  validateLabelSelector,
} from '../../apimachinery/validation.js';

type Json = any;

interface Options {
  ignoreMatchConditions: boolean;
  requireNoSideEffects: boolean;
  requireRecognizedAdmissionReviewVersion: boolean;
  requireUniqueWebhookNames: boolean;
  allowInvalidLabelValueInSelector: boolean;
}

const CREATE_OPTIONS: Options = {
  ignoreMatchConditions: false,
  requireNoSideEffects: true,
  requireRecognizedAdmissionReviewVersion: true,
  requireUniqueWebhookNames: true,
  allowInvalidLabelValueInSelector: false,
};

/** AcceptedAdmissionReviewVersions. */
const ACCEPTED_REVIEW_VERSIONS = ['v1', 'v1beta1'];
/** sets.NewString(...).List(): sorted. */
const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const SIDE_EFFECT_CLASSES = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];
const NO_SIDE_EFFECT_CLASSES = ['None', 'NoneOnDryRun'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const MAX_MATCH_CONDITIONS = 64;

function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** utilvalidation.IsFullyQualifiedName. */
function isFullyQualifiedName(field: string, name: string): FieldError[] {
  if (name === '') return [fieldRequired(field)];
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [fieldInvalid(field, name, errs.join(','))];
  if (name.split('.').length < 3) return [fieldInvalid(field, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

/** validateRuleWithOperations: the operations, then validateRule with subresources allowed. */
function validateRuleWithOperations(rule: Json, field: string): FieldError[] {
  return [...validateOperations(rule, field), ...validateRule(rule, field)];
}

function validateAdmissionReviewVersions(versions: string[], requireRecognized: boolean, field: string): FieldError[] {
  if (versions.length < 1) return [fieldRequired(field, `must specify one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`)];
  const out: FieldError[] = [];
  const seen = new Set<string>();
  let hasAccepted = false;
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      out.push(fieldInvalid(`${field}[${i}]`, v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const msg of isDNS1035Label(v)) out.push(fieldInvalid(`${field}[${i}]`, v, msg));
    if (ACCEPTED_REVIEW_VERSIONS.includes(v)) hasAccepted = true;
  });
  if (requireRecognized && !hasAccepted) {
    out.push(fieldInvalid(field, versions, `must include at least one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`));
  }
  return out;
}

/** webhook.ValidateWebhookURL with https forced. */
function validateWebhookURL(field: string, raw: string): FieldError[] {
  const form = '; desired format: https://host[/path]';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    // Go's url.Parse accepts far more than WHATWG's; what it refuses is reported like this.
    return [fieldRequired(field, `url must be a valid URL: parse ${JSON.stringify(raw)}: invalid URI for request${form}`)];
  }
  const out: FieldError[] = [];
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'https') out.push(fieldInvalid(field, scheme, `'https' is the only allowed URL scheme${form}`));
  if (u.host === '') out.push(fieldInvalid(field, u.host, `host must be specified${form}`));
  if (u.username !== '' || u.password !== '') {
    const user = u.password !== '' ? `${u.username}:${u.password}` : u.username;
    out.push(fieldInvalid(field, user, 'user information is not permitted in the URL'));
  }
  if (u.hash.length > 1) out.push(fieldInvalid(field, decodeURIComponent(u.hash.slice(1)), 'fragments are not permitted in the URL'));
  if (u.search.length > 1) out.push(fieldInvalid(field, u.search.slice(1), 'query parameters are not permitted in the URL'));
  return out;
}

/** webhook.ValidateWebhookService. */
function validateWebhookService(field: string, service: Json): FieldError[] {
  const out: FieldError[] = [];
  // kube passes the name where ValidateWebhookService takes the namespace and the other way round, so a missing
  // namespace is reported at `.name` and a missing name at `.namespace`; kept, since clients see those fields.
  if (!service?.namespace) out.push(fieldRequired(`${field}.name`));
  if (!service?.name) out.push(fieldRequired(`${field}.namespace`));
  const port = Number(service?.port ?? 443);
  const portErrs = isValidPortNum(port);
  if (portErrs.length > 0) out.push(fieldInvalid(`${field}.port`, port, `port is not valid: ${portErrs.join(', ')}`));
  const path: unknown = service?.path;
  if (typeof path !== 'string' || path === '/' || path === '') return out;
  if (path === '//') return [...out, fieldInvalid(`${field}.path`, path, 'segment[0] may not be empty')];
  if (!path.startsWith('/')) out.push(fieldInvalid(`${field}.path`, path, "must start with a '/'"));
  let toCheck = path.slice(1);
  if (toCheck.endsWith('/')) toCheck = toCheck.slice(0, -1);
  toCheck.split('/').forEach((step, i) => {
    if (step === '') {
      out.push(fieldInvalid(`${field}.path`, path, `segment[${i}] may not be empty`));
      return;
    }
    for (const failure of isDNS1123Subdomain(step)) out.push(fieldInvalid(`${field}.path`, path, `segment[${i}]: ${failure}`));
  });
  return out;
}

/** validateMatchConditions: at most 64, each named (a qualified name) and compiling to bool, names unique. */
function validateMatchConditions(conditions: Json[], field: string): FieldError[] {
  const out: FieldError[] = [];
  if (conditions.length > MAX_MATCH_CONDITIONS) {
    out.push({ type: 'FieldValueTooMany', field, value: conditions.length, detail: `must have at most ${MAX_MATCH_CONDITIONS} items` });
  }
  const names = new Set<string>();
  conditions.forEach((c, i) => {
    const compiled = compileMatchConditions([{ name: String(c?.name ?? ''), expression: String(c?.expression ?? '') }], field);
    // compileMatchConditions reports at index 0; this condition is at i.
    if (Array.isArray(compiled)) {
      for (const e of compiled) out.push({ ...e, field: e.field.replace(`${field}[0]`, `${field}[${i}]`) });
    }
    const name = String(c?.name ?? '');
    if (name === '') out.push(fieldRequired(`${field}[${i}].name`));
    else for (const msg of isQualifiedName(name)) out.push(fieldInvalid(`${field}[${i}].name`, name, msg));
    if (name !== '') {
      if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${field}[${i}].name`, value: name, detail: '' });
      else names.add(name);
    }
  });
  return out;
}

/** validateMutatingWebhook / validateValidatingWebhook (reinvocationPolicy only for the mutating one). */
function validateWebhook(hook: Json, opts: Options, field: string, mutating: boolean): FieldError[] {
  const out: FieldError[] = [...isFullyQualifiedName(`${field}.name`, String(hook?.name ?? ''))];
  list(hook?.rules).forEach((rule, i) => out.push(...validateRuleWithOperations(rule, `${field}.rules[${i}]`)));
  if (hook?.failurePolicy != null && !FAILURE_POLICIES.includes(hook.failurePolicy)) {
    out.push(fieldNotSupported(`${field}.failurePolicy`, hook.failurePolicy, FAILURE_POLICIES));
  }
  if (hook?.matchPolicy != null && !MATCH_POLICIES.includes(hook.matchPolicy)) {
    out.push(fieldNotSupported(`${field}.matchPolicy`, hook.matchPolicy, MATCH_POLICIES));
  }
  const allowedSideEffects = opts.requireNoSideEffects ? NO_SIDE_EFFECT_CLASSES : SIDE_EFFECT_CLASSES;
  if (hook?.sideEffects == null) {
    out.push(fieldRequired(`${field}.sideEffects`, `must specify one of ${allowedSideEffects.join(', ')}`));
  } else if (!allowedSideEffects.includes(hook.sideEffects)) {
    out.push(fieldNotSupported(`${field}.sideEffects`, hook.sideEffects, allowedSideEffects));
  }
  const timeout = hook?.timeoutSeconds;
  if (timeout != null && (timeout > 30 || timeout < 1)) {
    out.push(fieldInvalid(`${field}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'));
  }
  const selectorOpts = { allowInvalidLabelValueInSelector: opts.allowInvalidLabelValueInSelector };
  if (hook?.namespaceSelector != null)
    out.push(...validateLabelSelector(hook.namespaceSelector, `${field}.namespaceSelector`, selectorOpts));
  if (hook?.objectSelector != null) out.push(...validateLabelSelector(hook.objectSelector, `${field}.objectSelector`, selectorOpts));
  if (mutating && hook?.reinvocationPolicy != null && !REINVOCATION_POLICIES.includes(hook.reinvocationPolicy)) {
    out.push(fieldNotSupported(`${field}.reinvocationPolicy`, hook.reinvocationPolicy, REINVOCATION_POLICIES));
  }
  const cc = hook?.clientConfig ?? {};
  const hasURL = cc.url != null;
  const hasService = cc.service != null;
  if (hasURL === hasService) out.push(fieldRequired(`${field}.clientConfig`, 'exactly one of url or service is required'));
  else if (hasURL) out.push(...validateWebhookURL(`${field}.clientConfig.url`, String(cc.url)));
  else out.push(...validateWebhookService(`${field}.clientConfig.service`, cc.service));
  if (!opts.ignoreMatchConditions) out.push(...validateMatchConditions(list(hook?.matchConditions), `${field}.matchConditions`));
  return out;
}

function validateConfiguration(config: KubeObject, opts: Options, mutating: boolean): FieldError[] {
  const out: FieldError[] = [];
  const names = new Set<string>();
  list(config.webhooks).forEach((hook, i) => {
    const field = `webhooks[${i}]`;
    out.push(...validateWebhook(hook, opts, field, mutating));
    out.push(
      ...validateAdmissionReviewVersions(
        list(hook?.admissionReviewVersions),
        opts.requireRecognizedAdmissionReviewVersion,
        `${field}.admissionReviewVersions`,
      ),
    );
    const name = String(hook?.name ?? '');
    if (opts.requireUniqueWebhookNames && name !== '') {
      if (names.has(name)) out.push({ type: 'FieldValueDuplicate', field: `${field}.name`, value: name, detail: '' });
      else names.add(name);
    }
  });
  return out;
}

/** The create rules relaxed where the stored configuration already breaks them (ValidateXUpdate's options). */
function updateOptions(config: KubeObject, old: KubeObject): Options {
  const hooks = list(config.webhooks);
  const oldHooks = list(old.webhooks);
  const hookNames = oldHooks.map((h) => h?.name);
  return {
    ignoreMatchConditions:
      hooks.length === oldHooks.length && hooks.every((h, i) => deepEqual(h?.matchConditions, oldHooks[i]?.matchConditions)),
    requireNoSideEffects: oldHooks.every((h) => NO_SIDE_EFFECT_CLASSES.includes(h?.sideEffects)),
    requireRecognizedAdmissionReviewVersion: oldHooks.every((h) => {
      const versions = list(h?.admissionReviewVersions);
      return versions.length === 0 || versions.some((v) => ACCEPTED_REVIEW_VERSIONS.includes(v));
    }),
    requireUniqueWebhookNames: new Set(hookNames).size === hookNames.length,
    allowInvalidLabelValueInSelector: oldHooks.some(
      (h) =>
        (h?.namespaceSelector != null && validateLabelSelector(h.namespaceSelector, '').length > 0) ||
        (h?.objectSelector != null && validateLabelSelector(h.objectSelector, '').length > 0),
    ),
  };
}

export function validateMutatingWebhookConfiguration(config: KubeObject): FieldError[] {
  return validateConfiguration(config, CREATE_OPTIONS, true);
}

export function validateMutatingWebhookConfigurationUpdate(config: KubeObject, old: KubeObject): FieldError[] {
  return validateConfiguration(config, updateOptions(config, old), true);
}

export function validateValidatingWebhookConfiguration(config: KubeObject): FieldError[] {
  return validateConfiguration(config, CREATE_OPTIONS, false);
}

export function validateValidatingWebhookConfigurationUpdate(config: KubeObject, old: KubeObject): FieldError[] {
  return validateConfiguration(config, updateOptions(config, old), false);
}
