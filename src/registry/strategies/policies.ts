// admissionregistration.k8s.io ValidatingAdmissionPolicies and ValidatingAdmissionPolicyBindings (kube
// pkg/registry/admissionregistration/validatingadmissionpolicy{,binding}/strategy.go): cluster-scoped, generation
// bumped on spec changes, the policy's status written only through /status (kube-controller-manager's type checker
// writes status.typeChecking there). Enforcement is the ValidatingAdmissionPolicy admission plugin's (src/admission/).
import { defaultValidatingAdmissionPolicy, defaultValidatingAdmissionPolicyBinding } from '../defaults/policies.js';
import { validatingAdmissionPolicies as policyPrinter, validatingAdmissionPolicyBindings as bindingPrinter } from '../printers/policies.js';
import { defineStrategy } from '../strategy.js';
import { withKubeFinalizers } from '../validation/core/objectmeta.js';
import {
  validateValidatingAdmissionPolicy,
  validateValidatingAdmissionPolicyBinding,
  validateValidatingAdmissionPolicyStatusUpdate,
  validateValidatingAdmissionPolicyUpdate,
} from '../validation/admissionregistration-policies.js';

export const validatingAdmissionPolicies = defineStrategy({
  resource: 'admissionregistration.k8s.io/validatingadmissionpolicies',
  // An update must name the version it replaces (AllowUnconditionalUpdate false).
  allowUnconditionalUpdate: false,
  defaults: defaultValidatingAdmissionPolicy,
  printer: policyPrinter,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateValidatingAdmissionPolicy),
  validateUpdate: validateValidatingAdmissionPolicyUpdate,
  validateStatusUpdate: validateValidatingAdmissionPolicyStatusUpdate,
});

export const validatingAdmissionPolicyBindings = defineStrategy({
  resource: 'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  allowUnconditionalUpdate: false,
  defaults: defaultValidatingAdmissionPolicyBinding,
  printer: bindingPrinter,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateValidatingAdmissionPolicyBinding),
  validateUpdate: validateValidatingAdmissionPolicyBinding,
});
