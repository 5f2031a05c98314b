// Where kube's RBAC REST storage (pkg/registry/rbac/*/policybased/storage.go) refuses a write that would grant
// more than the writer holds: composed here because it needs both the authorizer (for `escalate` and `bind`) and
// the registry's view of the request; the rules themselves are src/authorization/rbac/escalation.ts.
import { forbidden, notFound } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/meta.js';
import type { UserInfo } from '../apimachinery/user.js';
import type { Authorizer } from '../authorization/index.js';
import { resolveRole, type PolicySource, type RoleNotFoundText, type RoleRef } from '../authorization/rbac/authorizer.js';
import { confirmNoEscalation, FULL_AUTHORITY, isOnlyMutatingGCFields } from '../authorization/rbac/escalation.js';
import type { PolicyRule } from '../authorization/rbac/rules.js';
import type { RequestInfo } from '../endpoints/requestinfo.js';
import type { ResourceInfo } from '../scheme/index.js';

export interface EscalationCheck {
  policy: PolicySource;
  authorizer: Authorizer;
  resource: ResourceInfo;
  request: RequestInfo;
  user: UserInfo;
  obj: KubeObject;
  old: KubeObject | undefined;
}

const SUPERUSERS = 'system:masters';

async function allowed(
  authorizer: Authorizer,
  user: UserInfo,
  verb: string,
  resource: string,
  namespace: string,
  name: string,
  apiGroup: string,
) {
  const r = await authorizer.authorize({
    user,
    verb,
    namespace,
    apiGroup,
    apiVersion: '*',
    resource,
    subresource: '',
    name,
    resourceRequest: true,
    path: '',
  });
  return r.decision === 'Allow';
}

/** Throws kube's 403 (or the 404 of a missing role a binding names) when the write would escalate. */
export async function preventEscalation(c: EscalationCheck): Promise<void> {
  const { policy, authorizer, resource, request, user, obj, old } = c;
  if (user.groups.includes(SUPERUSERS)) return;
  const gr = { group: resource.group, resource: resource.resource };
  const name = obj.metadata?.name ?? '';
  // The registry's NotFound names the resource of the request it serves, whatever kind of role is missing.
  const notFoundText: RoleNotFoundText = (_kind, missing) => `${resource.resource}.${resource.group} "${missing}" not found`;
  const namespace = request.namespace;
  if (resource.resource === 'roles' || resource.resource === 'clusterroles') {
    // RoleEscalationAuthorized: the request's own name and namespace, with any version.
    if (await allowed(authorizer, user, 'escalate', resource.resource, namespace, request.name, resource.group)) return;
    if (old && isOnlyMutatingGCFields(obj, old)) return;
    const message = confirmNoEscalation(policy, user, namespace, (obj.rules as PolicyRule[] | undefined) ?? [], notFoundText);
    if (message) throw forbidden(gr, name, message);
    // Aggregation can gather anything, so setting it needs everything (clusterrole policybased, create only).
    if (
      !old &&
      resource.resource === 'clusterroles' &&
      obj.aggregationRule &&
      confirmNoEscalation(policy, user, namespace, FULL_AUTHORITY, notFoundText)
    ) {
      throw forbidden(gr, name, 'must have cluster-admin privileges to use the aggregationRule');
    }
    return;
  }
  if (resource.resource !== 'rolebindings' && resource.resource !== 'clusterrolebindings') return;
  if (old && isOnlyMutatingGCFields(obj, old)) return;
  const ref = (obj.roleRef ?? {}) as RoleRef;
  // BindingAuthorized: `bind` on the role, checked in the binding's namespace.
  const boundResource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : '';
  if (boundResource && (await allowed(authorizer, user, 'bind', boundResource, namespace, ref.name ?? '', ref.apiGroup ?? ''))) return;
  const role = resolveRole(policy, ref, namespace);
  if (typeof role === 'string') {
    // An unknown kind never gets here: validation refuses it first.
    throw notFound(gr, ref.name ?? '');
  }
  const message = confirmNoEscalation(policy, user, namespace, role.rules ?? [], notFoundText);
  if (message) throw forbidden(gr, name, message);
}
