// Table columns of admissionregistration.k8s.io ValidatingAdmissionPolicies and their bindings (kube
// pkg/printers/internalversion/printers.go: printValidatingAdmissionPolicy, printValidatingAdmissionPolicyBinding).
import { nameOf } from './format.js';
import { age } from './humanDuration.js';
import type { Json, Printer } from './types.js';

export const validatingAdmissionPolicies: Printer = {
  columns: ['Name', 'Validations', 'ParamKind', 'Age'],
  cells: (obj, nowMs) => {
    const spec: Json = obj.spec ?? {};
    const paramKind = spec.paramKind ? `${spec.paramKind.apiVersion ?? ''}/${spec.paramKind.kind ?? ''}` : '<unset>';
    return [nameOf(obj), Array.isArray(spec.validations) ? spec.validations.length : 0, paramKind, age(obj, nowMs)];
  },
};

/** metav1.LabelSelector's generated String() (gogo protobuf's), which kube prints for a selector paramRef. */
function labelSelectorString(sel: Json): string {
  const labels = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${sel.matchLabels[k]},`)
    .join('');
  const exprs = (Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [])
    .map((e: Json) => `LabelSelectorRequirement{Key:${e.key ?? ''},Operator:${e.operator ?? ''},Values:[${(e.values ?? []).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

export const validatingAdmissionPolicyBindings: Printer = {
  columns: ['Name', 'PolicyName', 'ParamRef', 'Age'],
  cells: (obj, nowMs) => {
    const spec: Json = obj.spec ?? {};
    const pr: Json = spec.paramRef;
    let param = '<unset>';
    if (pr) {
      if (pr.name) param = pr.namespace ? `${pr.namespace}/${pr.name}` : `*/${pr.name}`;
      else if (pr.selector) param = labelSelectorString(pr.selector);
    }
    return [nameOf(obj), spec.policyName ?? '', param, age(obj, nowMs)];
  },
};
