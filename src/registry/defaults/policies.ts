// admissionregistration.k8s.io/v1 defaults of ValidatingAdmissionPolicies and their bindings (kube
// pkg/apis/admissionregistration/v1/defaults.go: SetDefaults_ValidatingAdmissionPolicySpec, SetDefaults_MatchResources,
// SetDefaults_Rule through NamedRuleWithOperations).
import { defaultNil, items, optional, type Json } from './json.js';

/** SetDefaults_MatchResources and each rule's scope. */
function defaultMatchResources(mr: Json | undefined): void {
  if (!mr) return;
  defaultNil(mr, 'matchPolicy', 'Equivalent');
  defaultNil(mr, 'namespaceSelector', {});
  defaultNil(mr, 'objectSelector', {});
  for (const rule of [...items(mr, 'resourceRules'), ...items(mr, 'excludeResourceRules')]) defaultNil(rule, 'scope', '*');
}

export function defaultValidatingAdmissionPolicy(policy: Json): void {
  const spec = optional(policy, 'spec');
  if (!spec) return;
  defaultNil(spec, 'failurePolicy', 'Fail');
  defaultMatchResources(optional(spec, 'matchConstraints'));
}

export function defaultValidatingAdmissionPolicyBinding(binding: Json): void {
  defaultMatchResources(optional(optional(binding, 'spec'), 'matchResources'));
}
