// The core group's kinds that need no more than labels, defaults and printing (pkg/registry/core/<kind>/
// strategy.go and storage.go). Pods, namespaces, ConfigMaps and Secrets have files of their own.
import {
  defaultEndpoints,
  defaultLimitRange,
  defaultNode,
  defaultPodTemplateObject,
  defaultReplicationController,
  defaultService,
} from '../defaults/core.js';
import { defaultPersistentVolume, defaultPersistentVolumeClaim } from '../defaults/volumes.js';
import { fieldBool, fieldCount, fieldPath } from '../fieldsets.js';
import * as core from '../printers/core.js';
import { events as eventPrinter } from '../printers/events.js';
import { defaultTable } from '../printers/generic.js';
import { podTemplates as podTemplatePrinter } from '../printers/pods.js';
import { services as servicePrinter } from '../printers/services.js';
import * as storage from '../printers/storage.js';
import { defineStrategy } from '../strategy.js';
import {
  dropDisabledPodSpecFields,
  validatePodTemplate,
  validatePodTemplateUpdate,
  validateReplicationController,
  validateReplicationControllerUpdate,
} from '../validation/core/pod.js';
import {
  normalizeClusterIPs,
  patchAllocatedValues,
  validateService,
  validateServiceAllocation,
  validateServiceClusterIPsRelatedFields,
  validateServiceUpdate,
} from '../validation/core/service.js';
import { validateEndpoints } from '../validation/core/endpoints.js';
import { validateEvent } from '../validation/core/event.js';
import { validateLimitRange } from '../validation/core/limitrange.js';
import { validateResourceQuota } from '../validation/core/resourcequota.js';
import { validateNode, validateNodeStrategyUpdate } from '../validation/core/node.js';
import { validatePersistentVolume, validatePersistentVolumeClaim, validatePersistentVolumeUpdate } from '../validation/core/volumes.js';

export const services = defineStrategy({
  resource: '/services',
  nameValidation: 'rfc1035-label',
  returnsDeletedObject: true,
  defaults: defaultService,
  fieldLabels: { 'spec.clusterIP': fieldPath('spec', 'clusterIP'), 'spec.type': fieldPath('spec', 'type') },
  printer: servicePrinter,
  // ServiceStatus{}: its LoadBalancerStatus is a struct, always written.
  initialStatus: () => ({ loadBalancer: {} }),
  replacesSchemaChecks: true,
  validate(obj) {
    // kube's allocator refuses these before the strategy's validation runs, and alone.
    const allocation = validateServiceAllocation(obj);
    return allocation.length > 0 ? allocation : validateService(obj);
  },
  prepareForCreate: (obj) => normalizeClusterIPs(obj),
  prepareForUpdate(obj, old) {
    patchAllocatedValues(obj, old);
    normalizeClusterIPs(obj, old);
  },
  validateUpdate(obj, old) {
    const allocation = validateServiceClusterIPsRelatedFields(obj);
    return allocation.length > 0 ? allocation : validateServiceUpdate(obj, old);
  },
});

export const endpoints = defineStrategy({
  resource: '/endpoints',
  allowCreateOnUpdate: true,
  defaults: defaultEndpoints,
  printer: core.endpoints,
  replacesSchemaChecks: true,
  validate: validateEndpoints,
});

export const serviceAccounts = defineStrategy({
  resource: '/serviceaccounts',
  returnsDeletedObject: true,
  printer: core.serviceAccounts,
});

export const nodes = defineStrategy({
  resource: '/nodes',
  defaults: defaultNode,
  fieldLabels: { 'spec.unschedulable': fieldBool('spec', 'unschedulable') },
  printer: core.nodes,
  // The kubelet registers its Node with a status; PrepareForCreate keeps it.
  initialStatus: 'client',
  replacesSchemaChecks: true,
  validate: validateNode,
  validateUpdate: validateNodeStrategyUpdate,
});

/** Events live under an etcd lease of --event-ttl, and PUT may create them (pkg/registry/core/event). */
export const events = defineStrategy({
  resource: '/events',
  allowCreateOnUpdate: true,
  fieldLabels: {
    'involvedObject.kind': fieldPath('involvedObject', 'kind'),
    'involvedObject.namespace': fieldPath('involvedObject', 'namespace'),
    'involvedObject.name': fieldPath('involvedObject', 'name'),
    'involvedObject.uid': fieldPath('involvedObject', 'uid'),
    'involvedObject.apiVersion': fieldPath('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': fieldPath('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': fieldPath('involvedObject', 'fieldPath'),
    reason: fieldPath('reason'),
    reportingComponent: fieldPath('reportingComponent'),
    source: (o) => String(o.source?.component || o.reportingComponent || ''),
    type: fieldPath('type'),
  },
  printer: eventPrinter,
  leaseSeconds: (_obj, opts) => (opts.eventTTLSeconds > 0 ? opts.eventTTLSeconds : undefined),
  replacesSchemaChecks: true,
  validate: validateEvent,
});

export const persistentVolumes = defineStrategy({
  resource: '/persistentvolumes',
  returnsDeletedObject: true,
  defaults: defaultPersistentVolume,
  printer: storage.persistentVolumes,
  // PrepareForCreate resets status; decoding defaults the phase (SetDefaults_PersistentVolume).
  initialStatus: () => ({ phase: 'Pending' }),
  replacesSchemaChecks: true,
  validate: validatePersistentVolume,
  validateUpdate: validatePersistentVolumeUpdate,
});

export const persistentVolumeClaims = defineStrategy({
  resource: '/persistentvolumeclaims',
  defaults: defaultPersistentVolumeClaim,
  printer: storage.persistentVolumeClaims,
  // PrepareForCreate resets status; decoding defaults the phase (SetDefaults_PersistentVolumeClaim).
  initialStatus: () => ({ phase: 'Pending' }),
  replacesSchemaChecks: true,
  validate: validatePersistentVolumeClaim,
});

export const replicationControllers = defineStrategy({
  resource: '/replicationcontrollers',
  defaults: defaultReplicationController,
  fieldLabels: { 'status.replicas': fieldCount('status', 'replicas') },
  printer: core.replicationControllers,
  // ReplicationControllerStatus.replicas has no omitempty.
  initialStatus: () => ({ replicas: 0 }),
  prepareForCreate: (obj) => dropDisabledPodSpecFields(obj.spec?.template?.spec),
  prepareForUpdate: (obj) => dropDisabledPodSpecFields(obj.spec?.template?.spec),
  // validation/core/pod.ts is kube's whole ValidateReplicationController: the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: validateReplicationController,
  validateUpdate: validateReplicationControllerUpdate,
});

export const limitRanges = defineStrategy({
  resource: '/limitranges',
  allowCreateOnUpdate: true,
  defaults: defaultLimitRange,
  // LimitRange has no print handler in kube: the generic Name / Created At table.
  printer: defaultTable,
  validate: validateLimitRange,
});

export const resourceQuotas = defineStrategy({
  resource: '/resourcequotas',
  printer: core.resourceQuotas,
  validate: validateResourceQuota,
});

export const podTemplates = defineStrategy({
  resource: '/podtemplates',
  defaults: defaultPodTemplateObject,
  printer: podTemplatePrinter,
  prepareForCreate: (obj) => dropDisabledPodSpecFields(obj.template?.spec),
  prepareForUpdate: (obj) => dropDisabledPodSpecFields(obj.template?.spec),
  // validation/core/pod.ts is kube's whole ValidatePodTemplate: the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: validatePodTemplate,
  validateUpdate: validatePodTemplateUpdate,
});
