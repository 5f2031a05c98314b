// Which requests a policy's matchConstraints or a binding's matchResources select (k8s.io/apiserver
// pkg/admission/plugin/policy/matching/matching.go, with webhook/predicates/{rules,namespace,object}): resource rules
// and their exclusions, matchPolicy Equivalent across the versions kgate serves, the namespace and object selectors.
import { labelSelectorFromMetav1 } from '../../apimachinery/labels.js';
import type { AdmissionAttributes } from '../index.js';

type Json = any;

export interface MatchDeps {
  /** The namespace's labels, or undefined when it does not exist. */
  namespaceLabels(name: string): Promise<Record<string, string> | undefined>;
  /** The versions the server serves a group/resource in (for matchPolicy Equivalent). */
  servedVersions(group: string, resource: string): readonly string[];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const has = (values: string[], v: string) => values.includes('*') || values.includes(v);

/** rules.Matcher: operation, group, version, resource[/subresource], scope, resourceNames. */
function ruleMatches(rule: Json, a: AdmissionAttributes, version: string): boolean {
  if (!has(list(rule.operations), a.operation)) return false;
  if (!has(list(rule.apiGroups), a.resource.group)) return false;
  if (!has(list(rule.apiVersions), version)) return false;
  const resources = list(rule.resources);
  const wanted = a.subresource ? `${a.resource.resource}/${a.subresource}` : a.resource.resource;
  const resourceOk = resources.some((r) => {
    if (r === '*/*' || r === wanted) return true;
    const [res, sub] = r.split('/', 2);
    if (sub === undefined) return res === '*' && !a.subresource;
    return (res === '*' && sub === a.subresource) || (sub === '*' && res === a.resource.resource);
  });
  if (!resourceOk) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && a.resource.namespaced) return false;
  if (scope === 'Namespaced' && !a.resource.namespaced) return false;
  const names = list(rule.resourceNames);
  return names.length === 0 || names.includes(a.name);
}

/** A rule list matches the request in its own version, or (Equivalent) in another version kgate serves it in. */
function rulesMatch(rules: unknown, a: AdmissionAttributes, matchPolicy: string, deps: MatchDeps): boolean {
  const items: Json[] = Array.isArray(rules) ? rules : [];
  if (items.some((r) => ruleMatches(r, a, a.resource.version))) return true;
  if (matchPolicy !== 'Equivalent') return false;
  const others = deps.servedVersions(a.resource.group, a.resource.resource).filter((v) => v !== a.resource.version);
  return others.some((v) => items.some((r) => ruleMatches(r, a, v)));
}

function selectorEmpty(sel: Json): boolean {
  return sel == null || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

/** The namespace selector: cluster-scoped requests (other than Namespaces) always match. */
async function namespaceMatches(sel: Json, a: AdmissionAttributes, deps: MatchDeps): Promise<boolean> {
  const isNamespace = a.resource.group === '' && a.resource.resource === 'namespaces';
  if (a.namespace === '' && !isNamespace) return true;
  if (selectorEmpty(sel)) return true;
  let labels: Record<string, string> | undefined;
  if (isNamespace) labels = (a.object ?? a.oldObject)?.metadata?.labels ?? {};
  else labels = await deps.namespaceLabels(a.namespace);
  return labelSelectorFromMetav1(sel).matches(labels ?? {});
}

/** The object selector: the new or the old object's labels. */
function objectMatches(sel: Json, a: AdmissionAttributes): boolean {
  if (selectorEmpty(sel)) return true;
  const selector = labelSelectorFromMetav1(sel);
  return [a.object, a.oldObject].some((o) => o !== undefined && selector.matches(o.metadata?.labels ?? {}));
}

/** matching.Matches: selectors, then exclusions, then the rules. Undefined match resources match everything. */
export async function matchResources(mr: Json, a: AdmissionAttributes, deps: MatchDeps, requireRules: boolean): Promise<boolean> {
  if (mr == null) return !requireRules;
  if (!(await namespaceMatches(mr.namespaceSelector, a, deps))) return false;
  if (!objectMatches(mr.objectSelector, a)) return false;
  const matchPolicy = mr.matchPolicy ?? 'Equivalent';
  if (rulesMatch(mr.excludeResourceRules, a, matchPolicy, deps)) return false;
  const rules = Array.isArray(mr.resourceRules) ? mr.resourceRules : [];
  // A binding without resourceRules takes the policy's; a policy must have some.
  if (rules.length === 0) return !requireRules;
  return rulesMatch(rules, a, matchPolicy, deps);
}
