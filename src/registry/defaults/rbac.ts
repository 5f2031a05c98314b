// rbac.authorization.k8s.io/v1 bindings (pkg/apis/rbac/v1/defaults.go).
import { child, defaultEmptyString, items, type Json } from './json.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** RoleBinding and ClusterRoleBinding: roleRef names an RBAC role; users and groups are RBAC subjects. */
export function defaultRoleBinding(binding: Json): void {
  defaultEmptyString(child(binding, 'roleRef'), 'apiGroup', RBAC_GROUP);
  for (const subject of items(binding, 'subjects')) {
    if (subject.kind === 'User' || subject.kind === 'Group') defaultEmptyString(subject, 'apiGroup', RBAC_GROUP);
  }
}
