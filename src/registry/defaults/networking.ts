// networking.k8s.io/v1 (pkg/apis/networking/v1/defaults.go).
import { child, defaultNil, isEmptyCollection, items, optional, type Json } from './json.js';

/** Ports without a protocol are TCP; a policy without policyTypes is Ingress, plus Egress when it has egress rules. */
export function defaultNetworkPolicy(policy: Json): void {
  const spec = child(policy, 'spec');
  for (const direction of ['ingress', 'egress']) {
    for (const rule of items(spec, direction)) {
      for (const port of items(rule, 'ports')) defaultNil(port, 'protocol', 'TCP');
    }
  }
  if (isEmptyCollection(spec.policyTypes)) {
    spec.policyTypes = isEmptyCollection(spec.egress) ? ['Ingress'] : ['Ingress', 'Egress'];
  }
}

export function defaultIngressClass(ingressClass: Json): void {
  const parameters = optional(optional(ingressClass, 'spec'), 'parameters');
  if (parameters) defaultNil(parameters, 'scope', 'Cluster');
}
