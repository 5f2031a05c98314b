// The core group's kinds that need no more than labels, defaults and printing (pkg/registry/core/<kind>/
// strategy.go and storage.go). Pods, namespaces, ConfigMaps and Secrets have files of their own.
import { randomUUID } from 'node:crypto';
import { deepEqual } from '../../apimachinery/objects.js';
import {
  defaultEndpoints,
  defaultLimitRange,
  defaultNode,
  defaultPodTemplateObject,
  defaultReplicationController,
  defaultResourceQuota,
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
import { decodedForm } from '../store.js';
import { defineStrategy } from '../strategy.js';
import { dropDisabledPodSpecFields, validatePodTemplate, validateReplicationController } from '../validation/core/pod.js';
import {
  dropTypeDependentFields,
  normalizeClusterIPs,
  patchAllocatedValues,
  validateService,
  validateServiceStatusUpdate,
  validateServiceUpdate,
} from '../validation/core/service.js';
import { validateEndpoints, validateEndpointsUpdate } from '../validation/core/endpoints.js';
import { validateEvent } from '../validation/core/event.js';
import { validateLimitRange, validateLimitRangeUpdate } from '../validation/core/limitrange.js';
import { kubeFinalizerErrors, objectMeta, objectMetaUpdate, withKubeFinalizers } from '../validation/core/objectmeta.js';
import {
  validatePodTemplateUpdate,
  validateReplicationControllerStatusUpdate,
  validateReplicationControllerUpdate,
} from '../validation/core/replicationcontroller.js';
import { validateResourceQuota, validateResourceQuotaStatusUpdate, validateResourceQuotaUpdate } from '../validation/core/resourcequota.js';
import { normalizePodCIDRs, validateNode, validateNodeStrategyUpdate, validateNodeUpdate } from '../validation/core/node.js';
import {
  normalizeDataSources,
  validatePersistentVolume,
  validatePersistentVolumeClaim,
  validatePersistentVolumeClaimStatusUpdate,
  validatePersistentVolumeClaimUpdate,
  validatePersistentVolumeStatusUpdate,
  validatePersistentVolumeUpdate,
} from '../validation/core/persistentvolume.js';

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
  // kube's allocator (beginCreate / beginUpdate: src/registry/allocators/service.ts, the store's write hooks) checks
  // the IP family fields and takes ClusterIPs and NodePorts before the strategy runs; its refusals are the whole answer.
  validate: (obj) => [...kubeFinalizerErrors(obj), ...validateService(obj)],
  prepareForCreate: (obj) => normalizeClusterIPs(obj),
  prepareForUpdate(obj, old) {
    patchAllocatedValues(obj, old);
    normalizeClusterIPs(obj, old);
    dropTypeDependentFields(obj, old);
  },
  validateUpdate: validateServiceUpdate,
  validateStatusUpdate: validateServiceStatusUpdate,
});

export const endpoints = defineStrategy({
  resource: '/endpoints',
  allowCreateOnUpdate: true,
  defaults: defaultEndpoints,
  printer: core.endpoints,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateEndpoints),
  validateUpdate: validateEndpointsUpdate,
});

export const serviceAccounts = defineStrategy({
  resource: '/serviceaccounts',
  returnsDeletedObject: true,
  printer: core.serviceAccounts,
  validate: kubeFinalizerErrors,
  // ValidateServiceAccount is ObjectMeta alone; ValidateServiceAccountUpdate adds the update rules to it.
  validateUpdate: (obj, old) => [...objectMetaUpdate(obj, old), ...objectMeta(obj, true)],
});

export const nodes = defineStrategy({
  resource: '/nodes',
  defaults: defaultNode,
  fieldLabels: { 'spec.unschedulable': fieldBool('spec', 'unschedulable') },
  printer: core.nodes,
  // The kubelet registers its Node with a status; PrepareForCreate keeps it.
  initialStatus: 'client',
  prepareForCreate: normalizePodCIDRs,
  prepareForUpdate: normalizePodCIDRs,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateNode),
  validateUpdate: validateNodeStrategyUpdate,
  validateStatusUpdate: validateNodeUpdate,
});

/** Events live under an etcd lease of --event-ttl, and PUT may create them (pkg/registry/core/event). */
export const events = defineStrategy({
  resource: '/events',
  // core/v1 ValidateEventCreate checks no ObjectMeta: only the generic check applies, with path-segment names.
  nameValidation: 'path-segment',
  checksObjectMeta: false,
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
  // The decoded form tells an explicitly empty capacity map ({} in kube's message) from an absent one.
  validate: withKubeFinalizers((obj) => validatePersistentVolume(obj, decodedForm(obj))),
  validateUpdate: (obj, old) => validatePersistentVolumeUpdate(obj, old, decodedForm(obj)),
  validateStatusUpdate: validatePersistentVolumeStatusUpdate,
});

export const persistentVolumeClaims = defineStrategy({
  resource: '/persistentvolumeclaims',
  defaults: defaultPersistentVolumeClaim,
  printer: storage.persistentVolumeClaims,
  // PrepareForCreate resets status; decoding defaults the phase (SetDefaults_PersistentVolumeClaim).
  initialStatus: () => ({ phase: 'Pending' }),
  prepareForCreate: (obj) => normalizeDataSources(obj),
  prepareForUpdate: (obj, old) => normalizeDataSources(obj, old),
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validatePersistentVolumeClaim),
  validateUpdate: (obj, old) => validatePersistentVolumeClaimUpdate(obj, old, decodedForm(obj)),
  validateStatusUpdate: validatePersistentVolumeClaimStatusUpdate,
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
  validate: withKubeFinalizers(validateReplicationController),
  validateUpdate: validateReplicationControllerUpdate,
  validateStatusUpdate: validateReplicationControllerStatusUpdate,
});

export const limitRanges = defineStrategy({
  resource: '/limitranges',
  allowCreateOnUpdate: true,
  defaults: defaultLimitRange,
  // LimitRange has no print handler in kube: the generic Name / Created At table.
  printer: defaultTable,
  // PrepareForCreate names a nameless LimitRange with a random UUID.
  prepareForCreate(obj) {
    if (!obj.metadata!.name) obj.metadata!.name = randomUUID();
  },
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateLimitRange),
  validateUpdate: validateLimitRangeUpdate,
});

export const resourceQuotas = defineStrategy({
  resource: '/resourcequotas',
  defaults: defaultResourceQuota,
  printer: core.resourceQuotas,
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validateResourceQuota),
  validateUpdate: validateResourceQuotaUpdate,
  validateStatusUpdate: validateResourceQuotaStatusUpdate,
});

export const podTemplates = defineStrategy({
  resource: '/podtemplates',
  defaults: defaultPodTemplateObject,
  printer: podTemplatePrinter,
  prepareForCreate: (obj) => dropDisabledPodSpecFields(obj.template?.spec),
  prepareForUpdate: (obj, old) => {
    dropDisabledPodSpecFields(obj.template?.spec);
    // A PodTemplate has no spec: a change to its template is what bumps the generation.
    if (!deepEqual(obj.template, old.template)) obj.metadata!.generation = (old.metadata?.generation ?? 0) + 1;
  },
  // validation/core/pod.ts is kube's whole ValidatePodTemplate: the schema's required/enum errors are not kube's.
  replacesSchemaChecks: true,
  validate: withKubeFinalizers(validatePodTemplate),
  validateUpdate: validatePodTemplateUpdate,
});
