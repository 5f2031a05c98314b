// kube-apiserver's default roles and bindings (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), as the reference
// v1.34.4 server stored them: transcribed by tools/capture-bootstrap-policy.ts, reconciled at start
// (src/server/bootstrap.ts) the way kube's rbac/bootstrap-roles post-start hook does.
import policy from './bootstrap-policy-v1.34.json' with { type: 'json' };
import type { KubeObject } from '../../apimachinery/meta.js';

const RBAC_V1 = 'rbac.authorization.k8s.io/v1';

const typed = (kind: string, items: readonly object[]): KubeObject[] =>
  items.map((o) => ({ apiVersion: RBAC_V1, kind, ...structuredClone(o) }) as KubeObject);

export interface BootstrapPolicy {
  clusterRoles: KubeObject[];
  clusterRoleBindings: KubeObject[];
  roles: KubeObject[];
  roleBindings: KubeObject[];
}

/** A fresh copy each call: the reconciler may change what it is given. */
export function bootstrapPolicy(): BootstrapPolicy {
  return {
    clusterRoles: typed('ClusterRole', policy.clusterroles),
    clusterRoleBindings: typed('ClusterRoleBinding', policy.clusterrolebindings),
    roles: typed('Role', policy.roles),
    roleBindings: typed('RoleBinding', policy.rolebindings),
  };
}

/** `rbac.authorization.kubernetes.io/autoupdate: "false"` keeps an operator's edits to a default role. */
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
