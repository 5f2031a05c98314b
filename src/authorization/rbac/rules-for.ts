// RBAC's RulesFor (plugin/pkg/auth/authorizer/rbac/rbac.go RulesFor over pkg/registry/rbac/validation/rule.go's
// RulesFor): every rule bound to the user by ClusterRoleBindings, then by RoleBindings in the namespace, in
// binding order; a rule naming resources lists as a resource rule, one naming URLs as a non-resource rule (a rule
// with both lists as both). A binding whose role is missing adds its error and the walk goes on.
import type { UserInfo } from '../../apimachinery/user.js';
import type { RuleResolver, RulesForResult } from '../rules-for.js';
import { visitRulesFor, type PolicySource } from './authorizer.js';

export class RBACRuleResolver implements RuleResolver {
  constructor(private readonly policy: PolicySource) {}

  rulesFor(user: UserInfo, namespace: string): RulesForResult {
    const out: RulesForResult = { resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] };
    visitRulesFor(this.policy, { user, namespace }, (_source, rule, err) => {
      if (err !== undefined) out.errors.push(err);
      if (!rule) return true;
      if ((rule.resources ?? []).length > 0) {
        const r: RulesForResult['resourceRules'][number] = { verbs: rule.verbs ?? [] };
        if (rule.apiGroups !== undefined) r.apiGroups = rule.apiGroups;
        r.resources = rule.resources;
        if (rule.resourceNames !== undefined) r.resourceNames = rule.resourceNames;
        out.resourceRules.push(r);
      }
      if ((rule.nonResourceURLs ?? []).length > 0)
        out.nonResourceRules.push({ verbs: rule.verbs ?? [], nonResourceURLs: rule.nonResourceURLs });
      return true;
    });
    return out;
  }
}
