// RBAC validation (kube pkg/apis/rbac/validation/validation.go: ValidateRole, ValidateClusterRole,
// ValidatePolicyRule, ValidateRoleBinding, ValidateClusterRoleBinding, ValidateRoleBindingSubject and the
// bindings' update rule), after ObjectMeta.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import {
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  validateLabelSelector,
} from '../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate } from './core/objectmeta.js';
import { parseLabelSelector } from './selectors.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

type Json = Record<string, any>;

function len(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

/** ValidatePolicyRule. */
function validatePolicyRule(rule: Json, namespaced: boolean, p: string, out: FieldError[]): void {
  if (len(rule.verbs) === 0) out.push(fieldRequired(`${p}.verbs`, 'verbs must contain at least one value'));
  if (len(rule.nonResourceURLs) > 0) {
    if (namespaced)
      out.push(fieldInvalid(`${p}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (len(rule.apiGroups) > 0 || len(rule.resources) > 0 || len(rule.resourceNames) > 0) {
      out.push(
        fieldInvalid(`${p}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'),
      );
    }
    return;
  }
  if (len(rule.apiGroups) === 0) out.push(fieldRequired(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
  if (len(rule.resources) === 0) out.push(fieldRequired(`${p}.resources`, 'resource rules must supply at least one resource'));
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  const out: FieldError[] = [];
  const rules: Json[] = Array.isArray(obj.rules) ? obj.rules : [];
  rules.forEach((r, i) => validatePolicyRule(r ?? {}, namespaced, `rules[${i}]`, out));
  return out;
}

export function validateRole(role: KubeObject): FieldError[] {
  return validateRules(role, true);
}

export function validateClusterRole(role: KubeObject): FieldError[] {
  const out = validateRules(role, false);
  const agg = role.aggregationRule;
  if (agg != null) {
    const selectors: Json[] = Array.isArray(agg.clusterRoleSelectors) ? agg.clusterRoleSelectors : [];
    if (selectors.length === 0) {
      out.push(
        fieldRequired('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'),
      );
    }
    selectors.forEach((s, i) => {
      const p = `aggregationRule.clusterRoleSelectors[${i}]`;
      out.push(...validateLabelSelector(s, p));
      // LabelSelectorAsSelector's error as well (its nil selector is the value shown).
      if (parseLabelSelector(s) === undefined) out.push(fieldInvalid(p, null, 'invalid label selector.'));
    });
  }
  return out;
}

/** ValidateRoleBindingSubject. */
function validateSubject(s: Json, namespaced: boolean, p: string, out: FieldError[]): void {
  const name: string = s.name ?? '';
  const apiGroup: string = s.apiGroup ?? '';
  if (name === '') out.push(fieldRequired(`${p}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name !== '') for (const msg of isDNS1123Subdomain(name)) out.push(fieldInvalid(`${p}.name`, name, msg));
      if (apiGroup !== '') out.push(fieldNotSupported(`${p}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !s.namespace) out.push(fieldRequired(`${p}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) out.push(fieldNotSupported(`${p}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      out.push(fieldNotSupported(`${p}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
}

function validateBinding(b: KubeObject, namespaced: boolean): FieldError[] {
  const out: FieldError[] = [];
  const ref: Json = b.roleRef ?? {};
  if ((ref.apiGroup ?? '') !== RBAC_GROUP) out.push(fieldNotSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) out.push(fieldNotSupported('roleRef.kind', ref.kind ?? '', kinds));
  const name: string = ref.name ?? '';
  if (name === '') out.push(fieldRequired('roleRef.name'));
  else for (const msg of isValidPathSegmentName(name)) out.push(fieldInvalid('roleRef.name', name, msg));
  const subjects: Json[] = Array.isArray(b.subjects) ? b.subjects : [];
  subjects.forEach((s, i) => validateSubject(s ?? {}, namespaced, `subjects[${i}]`, out));
  return out;
}

export function validateRoleBinding(b: KubeObject): FieldError[] {
  return validateBinding(b, true);
}

export function validateClusterRoleBinding(b: KubeObject): FieldError[] {
  return validateBinding(b, false);
}

/** The internal rbac.RoleRef as Go's JSON writes it (no json tags on the internal type). */
function roleRefValue(ref: Json): Record<string, string> {
  return { APIGroup: ref.apiGroup ?? '', Kind: ref.kind ?? '', Name: ref.name ?? '' };
}

function roleRefChanged(b: KubeObject, old: KubeObject): FieldError[] {
  const a = roleRefValue(b.roleRef ?? {});
  const o = roleRefValue(old.roleRef ?? {});
  return a.APIGroup === o.APIGroup && a.Kind === o.Kind && a.Name === o.Name ? [] : [fieldInvalid('roleRef', a, 'cannot change roleRef')];
}

// The rbac strategies' ValidateUpdate run ValidateX (ObjectMeta with path-segment names, then the kind's rules),
// then ValidateXUpdate, which runs ValidateX again before ObjectMeta's update rules: kube's causes list each error
// twice (its message once).

function twice(obj: KubeObject, old: KubeObject, namespaced: boolean, validate: (o: KubeObject) => FieldError[]): FieldError[] {
  const once = [...objectMeta(obj, namespaced, 'path-segment'), ...validate(obj)];
  return [...once, ...once, ...objectMetaUpdate(obj, old)];
}

export function validateRoleUpdate(role: KubeObject, old: KubeObject): FieldError[] {
  return twice(role, old, true, validateRole);
}

export function validateClusterRoleUpdate(role: KubeObject, old: KubeObject): FieldError[] {
  return twice(role, old, false, validateClusterRole);
}

export function validateRoleBindingUpdate(b: KubeObject, old: KubeObject): FieldError[] {
  return [...twice(b, old, true, validateRoleBinding), ...roleRefChanged(b, old)];
}

export function validateClusterRoleBindingUpdate(b: KubeObject, old: KubeObject): FieldError[] {
  return [...twice(b, old, false, validateClusterRoleBinding), ...roleRefChanged(b, old)];
}
