// The rule checks webhook configurations and admission policies share (pkg/apis/admissionregistration/validation:
// validateResources, validateRule and validateRuleWithOperations' operations part), with kube's messages.
import type { FieldError } from '../../apimachinery/errors.js';
import { fieldInvalid, fieldNotSupported, fieldRequired } from '../../apimachinery/validation.js';

const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];

type Json = any;

const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);

/** validateResources: wildcards for resources and subresources, and what each excludes. */
export function validateResources(resources: readonly string[], field: string): FieldError[] {
  const out: FieldError[] = [];
  if (resources.length === 0) out.push(fieldRequired(field));
  const resourcesWithWildcardSubresources = new Set<string>();
  const subresourcesWithWildcardResource = new Set<string>();
  let hasDoubleWildcard = false;
  let hasSingleWildcard = false;
  let hasResourceWithoutSubresource = false;
  resources.forEach((resSub, i) => {
    if (resSub === '') {
      out.push(fieldRequired(`${field}[${i}]`));
      return;
    }
    if (resSub === '*/*') hasDoubleWildcard = true;
    if (resSub === '*') hasSingleWildcard = true;
    const slash = resSub.indexOf('/');
    if (slash < 0) {
      hasResourceWithoutSubresource = resSub !== '*';
      return;
    }
    const res = resSub.slice(0, slash);
    const sub = resSub.slice(slash + 1);
    if (resourcesWithWildcardSubresources.has(res)) {
      out.push(fieldInvalid(`${field}[${i}]`, resSub, `if '${res}/*' is present, must not specify ${resSub}`));
    }
    if (subresourcesWithWildcardResource.has(sub)) {
      out.push(fieldInvalid(`${field}[${i}]`, resSub, `if '*/${sub}' is present, must not specify ${resSub}`));
    }
    if (sub === '*') resourcesWithWildcardSubresources.add(res);
    if (res === '*') subresourcesWithWildcardResource.add(sub);
  });
  if (resources.length > 1 && hasDoubleWildcard) {
    out.push(fieldInvalid(field, resources, "if '*/*' is present, must not specify other resources"));
  }
  if (hasSingleWildcard && hasResourceWithoutSubresource) {
    out.push(fieldInvalid(field, resources, "if '*' is present, must not specify other resources without subresources"));
  }
  return out;
}

/** validateRuleWithOperations' own part: the operations, before the rule. */
export function validateOperations(rule: Json, field: string): FieldError[] {
  const out: FieldError[] = [];
  const operations = list(rule?.operations);
  if (operations.length === 0) out.push(fieldRequired(`${field}.operations`));
  if (operations.length > 1 && operations.includes('*')) {
    out.push(fieldInvalid(`${field}.operations`, operations, "if '*' is present, must not specify other operations"));
  }
  operations.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) out.push(fieldNotSupported(`${field}.operations[${i}]`, op, OPERATIONS));
  });
  return out;
}

/** validateRule with subresources allowed: groups, versions, resources, scope. */
export function validateRule(rule: Json, field: string): FieldError[] {
  const out: FieldError[] = [];
  const apiGroups = list(rule?.apiGroups);
  if (apiGroups.length === 0) out.push(fieldRequired(`${field}.apiGroups`));
  if (apiGroups.length > 1 && apiGroups.includes('*')) {
    out.push(fieldInvalid(`${field}.apiGroups`, apiGroups, "if '*' is present, must not specify other API groups"));
  }
  const apiVersions = list(rule?.apiVersions);
  if (apiVersions.length === 0) out.push(fieldRequired(`${field}.apiVersions`));
  if (apiVersions.length > 1 && apiVersions.includes('*')) {
    out.push(fieldInvalid(`${field}.apiVersions`, apiVersions, "if '*' is present, must not specify other API versions"));
  }
  apiVersions.forEach((v, i) => {
    if (v === '') out.push(fieldRequired(`${field}.apiVersions[${i}]`));
  });
  out.push(
    ...validateResources(
      list(rule?.resources).map((r) => (typeof r === 'string' ? r : '')),
      `${field}.resources`,
    ),
  );
  if (rule?.scope != null && !SCOPES.includes(rule.scope)) out.push(fieldNotSupported(`${field}.scope`, rule.scope, SCOPES));
  return out;
}
