// RBAC's escalation prevention (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased,
// pkg/registry/rbac/validation/rule.go ConfirmNoEscalation and policy_compact.go, component-helpers'
// auth/rbac/validation/policy_comparator.go Covers): a user may write a role only with rules they already hold
// (or the `escalate` verb on it), and bind a role only when they hold its rules (or the `bind` verb on it).
// system:masters may do both. Pure: the caller supplies the policy and the authorizer.
import { deepEqual } from '../../apimachinery/objects.js';
import type { UserInfo } from '../../apimachinery/user.js';
import { visitRulesFor, type PolicySource, type RoleNotFoundText } from './authorizer.js';
import type { PolicyRule } from './rules.js';

const has = (set: readonly string[] | undefined, s: string) => (set ?? []).includes(s);
const hasAll = (set: readonly string[] | undefined, wanted: readonly string[] | undefined) => (wanted ?? []).every((w) => has(set, w));

/** Each rule as single-verb, single-resource (and single-name) rules, then its URLs with each verb. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if ((rule.resourceNames ?? []).length > 0) {
          for (const name of rule.resourceNames!)
            out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function resourceCoversAll(set: readonly string[] | undefined, covers: readonly string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, covers)) return true;
  for (const path of covers ?? []) {
    if (has(set, path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0 || !has(set, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

const nonResourceURLCovers = (owner: string, sub: string) =>
  owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')));

function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const names =
    (sub.resourceNames ?? []).length === 0
      ? (owner.resourceNames ?? []).length === 0
      : (owner.resourceNames ?? []).length === 0 || hasAll(owner.resourceNames, sub.resourceNames);
  return (
    (has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs)) &&
    (has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups)) &&
    resourceCoversAll(owner.resources, sub.resources) &&
    (sub.nonResourceURLs ?? []).every((path) => (owner.nonResourceURLs ?? []).some((o) => nonResourceURLCovers(o, path))) &&
    names
  );
}

/** The broken-down rules of `servant` no rule of `owner` covers (empty: covered). */
export function uncovered(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  return servant.flatMap(breakdownRule).filter((sub) => !owner.some((o) => ruleCovers(o, sub)));
}

/** CompactRules: single group/resource(/name) rules that differ only by verb are merged, verbs in order. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const simple = new Map<string, PolicyRule>();
  const out: PolicyRule[] = [];
  for (const rule of rules) {
    const isSimple =
      (rule.resourceNames ?? []).length <= 1 &&
      (rule.nonResourceURLs ?? []).length === 0 &&
      (rule.apiGroups ?? []).length === 1 &&
      (rule.resources ?? []).length === 1;
    if (!isSimple) {
      out.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups![0], rule.resources![0], rule.resourceNames?.[0] ?? null]);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...(existing.verbs ?? []), ...(rule.verbs ?? [])];
    else simple.set(key, structuredClone(rule));
  }
  return [...out, ...simple.values()];
}

/** Go's %q of a []string: ["a" "b"]. */
const goQuoteList = (list: readonly string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

/** rbacv1helpers.CompactString: `{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if ((r.apiGroups ?? []).length > 0) parts.push(`APIGroups:${goQuoteList(r.apiGroups!)}`);
  if ((r.resources ?? []).length > 0) parts.push(`Resources:${goQuoteList(r.resources!)}`);
  if ((r.nonResourceURLs ?? []).length > 0) parts.push(`NonResourceURLs:${goQuoteList(r.nonResourceURLs!)}`);
  if ((r.resourceNames ?? []).length > 0) parts.push(`ResourceNames:${goQuoteList(r.resourceNames!)}`);
  if ((r.verbs ?? []).length > 0) parts.push(`Verbs:${goQuoteList(r.verbs!)}`);
  return `{${parts.join(', ')}}`;
}

/**
 * ConfirmNoEscalation: undefined when the user holds every rule, else kube's message listing what they lack (and
 * the bindings of theirs that name missing roles, as `notFound` words them).
 */
export function confirmNoEscalation(
  policy: PolicySource,
  user: UserInfo,
  namespace: string,
  rules: readonly PolicyRule[],
  notFound: RoleNotFoundText,
): string | undefined {
  const owner: PolicyRule[] = [];
  const errors: string[] = [];
  visitRulesFor(
    policy,
    { user, namespace },
    (_source, rule, err) => {
      if (rule) owner.push(rule);
      if (err !== undefined) errors.push(err);
      return true;
    },
    notFound,
  );
  const missing = uncovered(owner, rules);
  if (missing.length === 0) return undefined;
  // sets.NewString(...).List(): distinct and sorted.
  const descriptions = [...new Set(compactRules(missing).map(compactString))].sort();
  let message = `user ${JSON.stringify(user.name)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${descriptions.join('\n')}`;
  // A []error printed with %v, inside the aggregate's own brackets.
  if (errors.length > 0) message += `; resolution errors: [${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}]`;
  return message;
}

/** IsOnlyMutatingGCFields: the update changes nothing but owner references, finalizers and managed fields. */
export function isOnlyMutatingGCFields(obj: any, old: any): boolean {
  if (!old) return false;
  const copied = structuredClone(obj);
  copied.metadata ??= {};
  for (const field of ['ownerReferences', 'finalizers', 'managedFields', 'selfLink', 'resourceVersion']) {
    if (old.metadata?.[field] === undefined) delete copied.metadata[field];
    else copied.metadata[field] = old.metadata[field];
  }
  return deepEqual(copied, old);
}

/** Every verb on every resource and URL: what an aggregationRule may gather (clusterrole policybased fullAuthority). */
export const FULL_AUTHORITY: readonly PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];
