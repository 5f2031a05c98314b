// What a user may do in a namespace, as the SelfSubjectRulesReview answers it (k8s.io/apiserver's
// authorizer.RuleResolver, its union in pkg/authorization/union and the built-in modes' RulesFor in
// authorizerfactory/builtin.go). Each --authorization-mode that can list rules contributes; their lists are
// concatenated in mode order, incomplete if any mode says so, and their errors aggregated.
import type { UserInfo } from '../apimachinery/user.js';

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface RulesForResult {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  /** Error texts; empty when the evaluation had none. */
  errors: string[];
}

export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): RulesForResult;
}

/** --authorization-mode=AlwaysAllow: everything. */
export const alwaysAllowRules: RuleResolver = {
  rulesFor: () => ({
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
    errors: [],
  }),
};

/** --authorization-mode=AlwaysDeny: nothing, and complete. */
export const alwaysDenyRules: RuleResolver = {
  rulesFor: () => ({ resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] }),
};

/**
 * utilerrors.NewAggregate(...).Error(): one message as itself, several distinct ones as "[a, b]" (repeats once).
 * Each resolver's own aggregate is one element of the union's, so it reads the same after the union.
 */
export function aggregateMessage(messages: readonly string[]): string {
  const distinct = [...new Set(messages)];
  if (messages.length === 1 || distinct.length === 1) return distinct[0] ?? '';
  return distinct.length === 0 ? '' : `[${distinct.join(', ')}]`;
}

/** union.unionAuthzRulesHandler.RulesFor. */
export class RuleResolverChain implements RuleResolver {
  constructor(private readonly chain: readonly RuleResolver[]) {}

  rulesFor(user: UserInfo, namespace: string): RulesForResult {
    const out: RulesForResult = { resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] };
    for (const resolver of this.chain) {
      const r = resolver.rulesFor(user, namespace);
      out.resourceRules.push(...r.resourceRules);
      out.nonResourceRules.push(...r.nonResourceRules);
      if (r.incomplete) out.incomplete = true;
      if (r.errors.length > 0) out.errors.push(aggregateMessage(r.errors));
    }
    return out;
  }
}
