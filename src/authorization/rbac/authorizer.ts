// The RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go with pkg/registry/rbac/validation/rule.go's
// VisitRulesFor): ClusterRoleBindings first, then the request namespace's RoleBindings; the first rule that allows
// decides. A binding whose role is missing adds kube's NotFound text to the reason of a refusal.
import type { UserInfo } from '../../apimachinery/user.js';
import type { Attributes, AuthorizationResult, Authorizer } from '../index.js';
import { appliesToUser, describeSubject, ruleAllows, type PolicyRule, type Subject } from './rules.js';

export interface RoleRef {
  apiGroup?: string;
  kind?: string;
  name?: string;
}

export interface Binding {
  metadata: { name?: string; namespace?: string };
  subjects?: Subject[];
  roleRef: RoleRef;
}

export interface Role {
  rules?: PolicyRule[] | null;
}

/** What the authorizer reads: current roles and bindings, from memory. */
export interface PolicySource {
  clusterRoleBindings(): Iterable<Binding>;
  roleBindings(namespace: string): Iterable<Binding>;
  /** Optional indexes: the bindings that may name the user, in the order the full walk meets them. */
  clusterRoleBindingsFor?(user: UserInfo): Iterable<Binding>;
  roleBindingsFor?(namespace: string, user: UserInfo): Iterable<Binding>;
  clusterRole(name: string): Role | undefined;
  role(namespace: string, name: string): Role | undefined;
}

type Visit = (source: () => string, rule: PolicyRule | undefined, err: string | undefined) => boolean;

/**
 * How a missing role reads. The authorizer reads roles through informer listers, whose NotFound names the singular
 * resource (`clusterrole.rbac.authorization.k8s.io "x" not found`); the REST storage's escalation checks read
 * them through the registry, whose NotFound names the resource of the request being served (a RoleBinding's
 * missing Role is `rolebindings.rbac.authorization.k8s.io "x" not found`, as the reference answers).
 */
export type RoleNotFoundText = (kind: 'Role' | 'ClusterRole', name: string) => string;

export const listerNotFound: RoleNotFoundText = (kind, name) => `${kind.toLowerCase()}.rbac.authorization.k8s.io "${name}" not found`;

/** Calls `visit` for every rule that applies to the user in the namespace; stops when it returns false. */
export function visitRulesFor(
  policy: PolicySource,
  a: Pick<Attributes, 'user' | 'namespace'>,
  visit: Visit,
  notFound: RoleNotFoundText = listerNotFound,
): void {
  for (const binding of policy.clusterRoleBindingsFor?.(a.user) ?? policy.clusterRoleBindings()) {
    const subject = binding.subjects?.find((s) => appliesToUser(a.user, s, ''));
    if (!subject) continue;
    const role = resolveRole(policy, binding.roleRef, '', notFound);
    if (typeof role === 'string') {
      if (!visit(() => '', undefined, role)) return;
      continue;
    }
    const describe = () =>
      `ClusterRoleBinding "${binding.metadata.name}" of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${describeSubject(subject, '')}`;
    for (const rule of role.rules ?? []) if (!visit(describe, rule, undefined)) return;
  }
  if (a.namespace === '') return;
  for (const binding of policy.roleBindingsFor?.(a.namespace, a.user) ?? policy.roleBindings(a.namespace)) {
    const subject = binding.subjects?.find((s) => appliesToUser(a.user, s, a.namespace));
    if (!subject) continue;
    const role = resolveRole(policy, binding.roleRef, a.namespace, notFound);
    if (typeof role === 'string') {
      if (!visit(() => '', undefined, role)) return;
      continue;
    }
    const describe = () =>
      `RoleBinding "${binding.metadata.name}/${a.namespace}" of ${binding.roleRef.kind} "${binding.roleRef.name}" to ${describeSubject(subject, a.namespace)}`;
    for (const rule of role.rules ?? []) if (!visit(describe, rule, undefined)) return;
  }
}

/** The role a binding names, or kube's error text when it cannot be read (GetRoleReferenceRules). */
export function resolveRole(
  policy: PolicySource,
  ref: RoleRef,
  namespace: string,
  notFound: RoleNotFoundText = listerNotFound,
): Role | string {
  const name = ref.name ?? '';
  if (ref.kind === 'ClusterRole') return policy.clusterRole(name) ?? notFound('ClusterRole', name);
  if (ref.kind === 'Role') return (namespace === '' ? undefined : policy.role(namespace, name)) ?? notFound('Role', name);
  return `unsupported role reference kind: "${ref.kind}"`;
}

export class RBACAuthorizer implements Authorizer {
  constructor(private readonly policy: PolicySource) {}

  authorize(a: Attributes): AuthorizationResult {
    let allowedBy = '';
    const errors: string[] = [];
    visitRulesFor(this.policy, a, (source, rule, err) => {
      if (rule && ruleAllows(a, rule)) {
        allowedBy = source();
        return false;
      }
      if (err !== undefined) errors.push(err);
      return true;
    });
    if (allowedBy !== '') return { decision: 'Allow', reason: `RBAC: allowed by ${allowedBy}` };
    // utilerrors.NewAggregate: one error reads as itself, several as "[a, b]".
    const reason = errors.length === 0 ? '' : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
    return { decision: 'NoOpinion', reason };
  }
}
