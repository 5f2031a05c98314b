// The kinds of the other built-in groups (pkg/registry/<group>/<kind>/strategy.go and storage.go): most need
// only their defaults, field labels, printer and the few flags their storage sets.
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import { defaultHPAv1, defaultHPAv2 } from '../defaults/autoscaling.js';
import { defaultEndpointSlice, defaultPriorityClass, defaultStorageClass } from '../defaults/cluster.js';
import { defaultIngressClass, defaultNetworkPolicy } from '../defaults/networking.js';
import { defaultRoleBinding } from '../defaults/rbac.js';
import { fieldPath } from '../fieldsets.js';
import { horizontalPodAutoscalers as hpaPrinter } from '../printers/autoscaling.js';
import * as cluster from '../printers/cluster.js';
import { events as eventPrinter } from '../printers/events.js';
import { defaultTable } from '../printers/generic.js';
import * as networking from '../printers/networking.js';
import { storageClasses as storageClassPrinter } from '../printers/storage.js';
import { defineStrategy } from '../strategy.js';
import {
  validateIPAddress,
  validateIPAddressUpdate,
  validateServiceCIDR,
  validateServiceCIDRStatusUpdate,
  validateServiceCIDRUpdate,
} from '../validation/networking-ipam.js';
import {
  dropDisabledHPAFields,
  validateHorizontalPodAutoscaler,
  validateHorizontalPodAutoscalerStatusUpdate,
  validateHorizontalPodAutoscalerUpdate,
} from '../validation/autoscaling.js';
import { validateEventsV1Create, validateEventsV1Update } from '../validation/core/event.js';
import { withKubeFinalizers } from '../validation/core/objectmeta.js';
import { validateLease, validateLeaseUpdate } from '../validation/coordination.js';
import { dropTopologyOnV1, validateEndpointSlice, validateEndpointSliceUpdate } from '../validation/discovery.js';
import {
  validateIngressClass,
  validateIngressClassUpdate,
  validateIngressCreate,
  validateIngressStatusUpdate,
  validateIngressUpdate,
  validateNetworkPolicy,
  validateNetworkPolicyUpdate,
} from '../validation/networking.js';
import {
  validatePodDisruptionBudget,
  validatePodDisruptionBudgetCreate,
  validatePodDisruptionBudgetStatusUpdate,
} from '../validation/policy.js';
import {
  validateClusterRole,
  validateClusterRoleBinding,
  validateClusterRoleBindingUpdate,
  validateClusterRoleUpdate,
  validateRole,
  validateRoleBinding,
  validateRoleBindingUpdate,
  validateRoleUpdate,
} from '../validation/rbac.js';
import { validateRuntimeClass, validateRuntimeClassUpdate } from '../validation/node.js';
import { isSystemPriorityClass, validatePriorityClass, validatePriorityClassUpdate } from '../validation/scheduling.js';
import { validateStorageClass, validateStorageClassUpdate } from '../validation/storage.js';

/**
 * The /status PrepareForUpdate of HPAs, Ingresses and PDBs: only the spec comes from the stored object (kube's
 * `newX.Spec = oldX.Spec`), so labels and other metadata written through /status are kept and validated; the
 * generation stays the stored one, as BeforeUpdate sets it.
 */
function keepStoredSpec(obj: KubeObject, old: KubeObject): void {
  if (old.spec === undefined) delete obj.spec;
  else obj.spec = old.spec;
  const generation = old.metadata?.generation;
  if (generation === undefined) delete obj.metadata!.generation;
  else obj.metadata!.generation = generation;
}

export const horizontalPodAutoscalers = defineStrategy({
  resource: 'autoscaling/horizontalpodautoscalers',
  // v1 and v2 default differently (autoscaling/v1 targetCPUUtilizationPercentage).
  defaults: { v1: defaultHPAv1, v2: defaultHPAv2 },
  printer: hpaPrinter,
  // Stored as autoscaling/v2, whose status.desiredReplicas has no omitempty (currentMetrics, also written, is
  // filled in by the Go layout as null).
  initialStatus: () => ({ desiredReplicas: 0 }),
  prepareForStatusUpdate: keepStoredSpec,
  prepareForCreate: (obj) => dropDisabledHPAFields(obj, undefined),
  prepareForUpdate: (obj, old) => dropDisabledHPAFields(obj, old),
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateHorizontalPodAutoscaler),
  validateUpdate: validateHorizontalPodAutoscalerUpdate,
  validateStatusUpdate: validateHorizontalPodAutoscalerStatusUpdate,
});

export const ingresses = defineStrategy({
  resource: 'networking.k8s.io/ingresses',
  printer: networking.ingresses,
  // IngressStatus{}: its IngressLoadBalancerStatus is a struct, always written.
  initialStatus: () => ({ loadBalancer: {} }),
  prepareForStatusUpdate: keepStoredSpec,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateIngressCreate),
  validateUpdate: validateIngressUpdate,
  validateStatusUpdate: validateIngressStatusUpdate,
});

export const ingressClasses = defineStrategy({
  resource: 'networking.k8s.io/ingressclasses',
  defaults: defaultIngressClass,
  printer: networking.ingressClasses,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateIngressClass),
  validateUpdate: validateIngressClassUpdate,
});

/** networking.k8s.io IPAddresses (pkg/registry/networking/ipaddress/strategy.go): the name is the address. */
export const ipAddresses = defineStrategy({
  resource: 'networking.k8s.io/ipaddresses',
  // noopNameGenerator: generateName is taken as the name itself, since the name must be the address.
  generateName: (base) => base,
  printer: networking.ipAddresses,
  replacesSchemaChecks: true,
  // ValidateIPAddress checks ObjectMeta with its own name rule (a canonical IP, not a DNS subdomain).
  validatesObjectMeta: true,
  validate: validateIPAddress,
  validateUpdate: validateIPAddressUpdate,
});

/** networking.k8s.io ServiceCIDRs (pkg/registry/networking/servicecidr/strategy.go), with a /status subresource. */
export const serviceCIDRs = defineStrategy({
  resource: 'networking.k8s.io/servicecidrs',
  printer: networking.serviceCIDRs,
  // PrepareForCreate leaves the status as sent (the default ServiceCIDR controller creates it Ready).
  initialStatus: 'client',
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateServiceCIDR),
  validateUpdate: validateServiceCIDRUpdate,
  validateStatusUpdate: validateServiceCIDRStatusUpdate,
});

export const networkPolicies = defineStrategy({
  resource: 'networking.k8s.io/networkpolicies',
  defaults: defaultNetworkPolicy,
  printer: networking.networkPolicies,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateNetworkPolicy),
  validateUpdate: validateNetworkPolicyUpdate,
});

export const endpointSlices = defineStrategy({
  resource: 'discovery.k8s.io/endpointslices',
  allowCreateOnUpdate: true,
  defaults: defaultEndpointSlice,
  printer: networking.endpointSlices,
  prepareForCreate: (obj, info) => dropTopologyOnV1(obj, undefined, info.version),
  prepareForUpdate: (obj, old, info) => {
    bumpEndpointSliceGeneration(obj, old);
    dropTopologyOnV1(obj, old, info.version);
  },
  replacesSchemaChecks: true,
  validate: withKubeFinalizers((obj) => validateEndpointSlice(obj)),
  validateUpdate: validateEndpointSliceUpdate,
});

/** An EndpointSlice has no spec: anything but its metadata changing, or its labels, bumps the generation. */
function bumpEndpointSliceGeneration(obj: KubeObject, old: KubeObject): void {
  const content = ({ metadata: _m, kind: _k, apiVersion: _a, ...rest }: KubeObject) => rest;
  const labels = (o: KubeObject) => o.metadata?.labels ?? {};
  if (!deepEqual(content(obj), content(old)) || !deepEqual(labels(obj), labels(old))) {
    obj.metadata!.generation = (old.metadata?.generation ?? 0) + 1;
  }
}

export const podDisruptionBudgets = defineStrategy({
  resource: 'policy/poddisruptionbudgets',
  // ValidatePodDisruptionBudget skips ValidateObjectMeta: only the store's generic path-segment check names it.
  nameValidation: 'path-segment',
  printer: cluster.podDisruptionBudgets,
  // Four counters of PodDisruptionBudgetStatus have no omitempty.
  initialStatus: () => ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
  prepareForStatusUpdate: keepStoredSpec,
  replacesSchemaChecks: true,
  validatesObjectMeta: true,
  validate: validatePodDisruptionBudgetCreate,
  validateUpdate: validatePodDisruptionBudget,
  validateStatusUpdate: validatePodDisruptionBudgetStatusUpdate,
});

// RBAC names are path segments; Roles and ClusterRoles have no print handler in kube (Name / Created At).
export const roles = defineStrategy({
  resource: 'rbac.authorization.k8s.io/roles',
  nameValidation: 'path-segment',
  allowCreateOnUpdate: true,
  printer: defaultTable,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateRole),
  validateUpdate: validateRoleUpdate,
});

export const clusterRoles = defineStrategy({
  resource: 'rbac.authorization.k8s.io/clusterroles',
  nameValidation: 'path-segment',
  allowCreateOnUpdate: true,
  printer: defaultTable,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateClusterRole),
  validateUpdate: validateClusterRoleUpdate,
});

export const roleBindings = defineStrategy({
  resource: 'rbac.authorization.k8s.io/rolebindings',
  nameValidation: 'path-segment',
  allowCreateOnUpdate: true,
  defaults: defaultRoleBinding,
  printer: cluster.roleBindings,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateRoleBinding),
  validateUpdate: validateRoleBindingUpdate,
});

export const clusterRoleBindings = defineStrategy({
  resource: 'rbac.authorization.k8s.io/clusterrolebindings',
  nameValidation: 'path-segment',
  allowCreateOnUpdate: true,
  defaults: defaultRoleBinding,
  printer: cluster.roleBindings,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateClusterRoleBinding),
  validateUpdate: validateClusterRoleBindingUpdate,
});

export const storageClasses = defineStrategy({
  resource: 'storage.k8s.io/storageclasses',
  returnsDeletedObject: true,
  defaults: defaultStorageClass,
  printer: storageClassPrinter,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateStorageClass),
  validateUpdate: validateStorageClassUpdate,
});

export const leases = defineStrategy({
  resource: 'coordination.k8s.io/leases',
  allowCreateOnUpdate: true,
  printer: cluster.leases,
  replacesSchemaChecks: true,
  validate: validateLease,
  validateUpdate: validateLeaseUpdate,
});

export const priorityClasses = defineStrategy({
  resource: 'scheduling.k8s.io/priorityclasses',
  defaults: defaultPriorityClass,
  printer: cluster.priorityClasses,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validatePriorityClass),
  validateUpdate: validatePriorityClassUpdate,
  // priorityclass/storage REST.Delete.
  deleteRefusal: (name) => (isSystemPriorityClass(name) ? 'this is a system priority class and cannot be deleted' : undefined),
});

/** node.k8s.io RuntimeClasses (pkg/registry/node/runtimeclass/strategy.go): PUT may create one; updates name a version. */
export const runtimeClasses = defineStrategy({
  resource: 'node.k8s.io/runtimeclasses',
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: false,
  printer: cluster.runtimeClasses,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateRuntimeClass),
  validateUpdate: validateRuntimeClassUpdate,
});

/** events.k8s.io/v1 Events are core Events in storage; their field labels use the new names. */
export const eventsV1 = defineStrategy({
  resource: 'events.k8s.io/events',
  allowCreateOnUpdate: true,
  // Validated as the internal core Event: kube's 422 names kind Event in the core group.
  errorGroup: '',
  validatesObjectMeta: true,
  validate: validateEventsV1Create,
  validateUpdate: validateEventsV1Update,
  fieldLabels: {
    'regarding.kind': fieldPath('regarding', 'kind'),
    'regarding.namespace': fieldPath('regarding', 'namespace'),
    'regarding.name': fieldPath('regarding', 'name'),
    'regarding.uid': fieldPath('regarding', 'uid'),
    'regarding.apiVersion': fieldPath('regarding', 'apiVersion'),
    'regarding.resourceVersion': fieldPath('regarding', 'resourceVersion'),
    'regarding.fieldPath': fieldPath('regarding', 'fieldPath'),
    reason: fieldPath('reason'),
    reportingController: fieldPath('reportingController'),
    type: fieldPath('type'),
  },
  printer: eventPrinter,
  leaseSeconds: (_obj, opts) => (opts.eventTTLSeconds > 0 ? opts.eventTTLSeconds : undefined),
});
