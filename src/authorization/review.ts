// What the access reviews ask the authorizer and how its answer reads (kube pkg/registry/authorization/util/helpers.go:
// ResourceAttributesFrom, NonResourceAttributesFrom, AuthorizationAttributesFrom, BuildEvaluationError; and the
// status each review's REST writes). Selectors do not change RBAC's answer (RBAC ignores them); a selector that
// does not parse is reported in evaluationError as kube reports it.
import { escapeFieldValue, parseFieldSelector } from '../apimachinery/fields.js';
import { newRequirement, parseLabelSelector, type LabelOperator } from '../apimachinery/labels.js';
import type { UserInfo } from '../apimachinery/user.js';
import type { Attributes, AuthorizationResult } from './index.js';

type Json = Record<string, any>;

/** The attributes a review asks about, and the selector parse outcome BuildEvaluationError reports. */
export interface ReviewAttributes {
  attributes: Attributes;
  /** 'ignored' when no requirement survived a parse error, 'partial' when some did. */
  fieldSelector?: 'ignored' | 'partial';
  labelSelector?: 'ignored' | 'partial';
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** ResourceAttributesFrom: an empty version matches every version. */
export function resourceAttributesFrom(user: UserInfo, ra: Json): ReviewAttributes {
  return {
    attributes: {
      user,
      verb: str(ra.verb),
      namespace: str(ra.namespace),
      apiGroup: str(ra.group),
      apiVersion: str(ra.version) === '' ? '*' : str(ra.version),
      resource: str(ra.resource),
      subresource: str(ra.subresource),
      name: str(ra.name),
      resourceRequest: true,
      path: '',
      fieldSelector: fieldSelectorText(ra.fieldSelector),
    },
    fieldSelector: fieldSelectorOutcome(ra.fieldSelector),
    labelSelector: labelSelectorOutcome(ra.labelSelector),
  };
}

/** NonResourceAttributesFrom. */
export function nonResourceAttributesFrom(user: UserInfo, na: Json): ReviewAttributes {
  return {
    attributes: {
      user,
      verb: str(na.verb),
      namespace: '',
      apiGroup: '',
      apiVersion: '',
      resource: '',
      subresource: '',
      name: '',
      resourceRequest: false,
      path: str(na.path),
    },
  };
}

/** The user a SubjectAccessReview's spec names (AuthorizationAttributesFrom). */
export function specUser(spec: Json): UserInfo {
  const user: UserInfo = {
    name: str(spec.user),
    uid: str(spec.uid),
    groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [],
  };
  if (spec.extra && typeof spec.extra === 'object') user.extra = spec.extra as Record<string, string[]>;
  return user;
}

/** The attributes of a (Self|Local)SubjectAccessReview spec, for `user`. */
export function reviewAttributes(user: UserInfo, spec: Json): ReviewAttributes {
  return spec.resourceAttributes
    ? resourceAttributesFrom(user, spec.resourceAttributes)
    : nonResourceAttributesFrom(user, spec.nonResourceAttributes ?? {});
}

/** SubjectAccessReviewStatus from the authorizer's answer (allowed/denied omitted when false, as Go's omitempty). */
export function accessReviewStatus(result: AuthorizationResult, review: ReviewAttributes): Json {
  const status: Json = { allowed: result.decision === 'Allow' };
  if (result.decision === 'Deny') status.denied = true;
  if (result.reason !== '') status.reason = result.reason;
  const evaluationError = buildEvaluationError(review);
  if (evaluationError !== '') status.evaluationError = evaluationError;
  return status;
}

/** BuildEvaluationError: the selector parse failures, joined with "; ". */
function buildEvaluationError(review: ReviewAttributes): string {
  const errors: string[] = [];
  for (const [name, outcome] of [
    ['fieldSelector', review.fieldSelector],
    ['labelSelector', review.labelSelector],
  ] as const) {
    if (outcome === 'ignored') errors.push(`spec.resourceAttributes.${name} ignored due to parse error`);
    if (outcome === 'partial') errors.push(`spec.resourceAttributes.${name} partially ignored due to parse error`);
  }
  return errors.join('; ');
}

/** How many requirements survive, and whether any failed: kube keeps the good ones and reports the rest. */
function outcome(ok: number, failed: number): 'ignored' | 'partial' | undefined {
  if (failed === 0) return undefined;
  return ok > 0 ? 'partial' : 'ignored';
}

const LABEL_OPERATORS: Readonly<Record<string, LabelOperator>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

function labelSelectorOutcome(selector: unknown): 'ignored' | 'partial' | undefined {
  if (!selector || typeof selector !== 'object') return undefined;
  const { rawSelector, requirements } = selector as Json;
  let result: 'ignored' | 'partial' | undefined;
  if (str(rawSelector) !== '') {
    try {
      parseLabelSelector(rawSelector);
      result = undefined;
    } catch {
      result = 'ignored';
    }
  }
  // Requirements, when present, replace what the raw selector gave.
  if (Array.isArray(requirements) && requirements.length > 0) {
    let ok = 0;
    let failed = 0;
    for (const r of requirements as Json[]) {
      const op = Object.prototype.hasOwnProperty.call(LABEL_OPERATORS, r?.operator) ? LABEL_OPERATORS[r.operator] : undefined;
      try {
        if (op === undefined) throw new Error('unknown operator');
        newRequirement(str(r.key), op, Array.isArray(r.values) && r.values.length > 0 ? r.values : null);
        ok++;
      } catch {
        failed++;
      }
    }
    result = outcome(ok, failed);
  }
  return result;
}

/**
 * The requirements the authorizers see (the Node authorizer reads spec.nodeName), as a selector's text: the raw
 * selector, or the supported requirements (In and NotIn with one value, as = and !=) that replace it.
 */
function fieldSelectorText(selector: unknown): string | undefined {
  if (!selector || typeof selector !== 'object') return undefined;
  const { rawSelector, requirements } = selector as Json;
  if (Array.isArray(requirements) && requirements.length > 0) {
    return (requirements as Json[])
      .filter((r) => (r?.operator === 'In' || r?.operator === 'NotIn') && Array.isArray(r.values) && r.values.length === 1)
      .map((r) => `${str(r.key)}${r.operator === 'In' ? '=' : '!='}${escapeFieldValue(str(r.values[0]))}`)
      .join(',');
  }
  return str(rawSelector) === '' ? undefined : rawSelector;
}

function fieldSelectorOutcome(selector: unknown): 'ignored' | 'partial' | undefined {
  if (!selector || typeof selector !== 'object') return undefined;
  const { rawSelector, requirements } = selector as Json;
  let result: 'ignored' | 'partial' | undefined;
  if (str(rawSelector) !== '') {
    try {
      parseFieldSelector(rawSelector);
    } catch {
      result = 'ignored';
    }
  }
  if (Array.isArray(requirements) && requirements.length > 0) {
    let ok = 0;
    let failed = 0;
    for (const r of requirements as Json[]) {
      const values = Array.isArray(r?.values) ? r.values.length : 0;
      // fieldSelectorAsSelector: In and NotIn with exactly one value; nothing else is supported yet.
      if ((r?.operator === 'In' || r?.operator === 'NotIn') && values === 1) ok++;
      else failed++;
    }
    result = outcome(ok, failed);
  }
  return result;
}
