// Core v1 kinds other than the PodSpec family (pkg/apis/core/v1/defaults.go, v1.34).
import { isObject } from '../../apimachinery/objects.js';
import {
  child,
  defaultEmptyString,
  defaultNil,
  defaultResourceList,
  defaultResourceRequirements,
  isEmptyCollection,
  isNil,
  items,
  optional,
  type Json,
} from './json.js';
import { defaultPodOnly, defaultPodSpec, defaultPodTemplate } from './podspec.js';

export function defaultPod(pod: Json): void {
  const spec = child(pod, 'spec');
  defaultPodOnly(spec);
  defaultPodSpec(spec);
  const status = optional(pod, 'status');
  for (const list of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses']) {
    for (const containerStatus of items(status, list)) {
      defaultResourceList(containerStatus, 'allocatedResources');
      defaultResourceRequirements(optional(containerStatus, 'resources'));
    }
  }
}

/** A ResourceQuota's lists are ResourceLists: SetDefaults_ResourceList rounds them. */
export function defaultResourceQuota(quota: Json): void {
  defaultResourceList(optional(quota, 'spec'), 'hard');
  const status = optional(quota, 'status');
  defaultResourceList(status, 'hard');
  defaultResourceList(status, 'used');
}

export function defaultPodTemplateObject(podTemplate: Json): void {
  defaultPodTemplate(child(podTemplate, 'template'));
}

/** Selector and object labels come from the template's labels when empty; replicas is 1. */
export function defaultReplicationController(rc: Json): void {
  const spec = child(rc, 'spec');
  const template = optional(spec, 'template');
  const labels = optional(optional(template, 'metadata'), 'labels');
  if (labels) {
    if (isEmptyCollection(spec.selector)) spec.selector = { ...labels };
    const metadata = child(rc, 'metadata');
    if (isEmptyCollection(metadata.labels)) metadata.labels = { ...labels };
  }
  defaultNil(spec, 'replicas', 1);
  defaultPodTemplate(template);
}

const EXTERNALLY_ACCESSIBLE = new Set(['NodePort', 'LoadBalancer']);
/** ClientIP session affinity lasts 3 hours unless told otherwise. */
const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;

/**
 * SetDefaults_Service. clusterIP(s), ipFamilies, ipFamilyPolicy, nodePorts and healthCheckNodePort are allocated by
 * the service registry, not defaulted here.
 */
export function defaultService(service: Json): void {
  const spec = child(service, 'spec');
  defaultEmptyString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && isNil(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds)) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_TIMEOUT_SECONDS } };
  }
  defaultEmptyString(spec, 'type', 'ClusterIP');
  for (const port of items(spec, 'ports')) {
    defaultEmptyString(port, 'protocol', 'TCP');
    const target = port.targetPort;
    if ((isNil(target) || target === 0 || target === '') && typeof port.port === 'number') port.targetPort = port.port;
  }
  const externallyAccessible = EXTERNALLY_ACCESSIBLE.has(spec.type) || (spec.type === 'ClusterIP' && !isEmptyCollection(spec.externalIPs));
  if (externallyAccessible) defaultEmptyString(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'ClusterIP' || EXTERNALLY_ACCESSIBLE.has(spec.type)) {
    defaultNil(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (spec.type === 'LoadBalancer') {
    defaultNil(spec, 'allocateLoadBalancerNodePorts', true);
    for (const ingress of items(optional(optional(service, 'status'), 'loadBalancer'), 'ingress')) {
      if (typeof ingress.ip === 'string' && ingress.ip !== '') defaultNil(ingress, 'ipMode', 'VIP');
    }
  }
}

export function defaultEndpoints(endpoints: Json): void {
  for (const subset of items(endpoints, 'subsets')) {
    for (const port of items(subset, 'ports')) defaultEmptyString(port, 'protocol', 'TCP');
  }
}

export function defaultSecret(secret: Json): void {
  defaultEmptyString(secret, 'type', 'Opaque');
}

/** The name label is set (and kept in step with the name) whenever the name is known; generateName waits. */
export function defaultNamespace(namespace: Json): void {
  const metadata = child(namespace, 'metadata');
  if (typeof metadata.name === 'string' && metadata.name !== '') {
    metadata.labels = { ...(isObject(metadata.labels) ? metadata.labels : {}), 'kubernetes.io/metadata.name': metadata.name };
  }
  defaultEmptyString(child(namespace, 'status'), 'phase', 'Active');
}

export function defaultNode(node: Json): void {
  const status = optional(node, 'status');
  if (status && isNil(status.allocatable) && isObject(status.capacity)) status.allocatable = { ...status.capacity };
  defaultResourceList(status, 'capacity');
  defaultResourceList(status, 'allocatable');
}

/**
 * Container items: a missing default limit is the max; a missing default request is the default limit, else the
 * min. Empty maps are not written: kube's JSON omits them.
 */
export function defaultLimitRange(limitRange: Json): void {
  for (const item of items(optional(limitRange, 'spec'), 'limits')) {
    if (item.type !== 'Container') continue;
    const defaults: Json = isObject(item.default) ? { ...item.default } : {};
    const defaultRequests: Json = isObject(item.defaultRequest) ? { ...item.defaultRequest } : {};
    fillMissing(defaults, optional(item, 'max'));
    fillMissing(defaultRequests, defaults);
    fillMissing(defaultRequests, optional(item, 'min'));
    if (Object.keys(defaults).length > 0) item.default = defaults;
    if (Object.keys(defaultRequests).length > 0) item.defaultRequest = defaultRequests;
  }
  for (const item of items(optional(limitRange, 'spec'), 'limits')) {
    for (const list of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) defaultResourceList(item, list);
  }
}

function fillMissing(target: Json, from: Json | undefined): void {
  for (const [name, quantity] of Object.entries(from ?? {})) if (!(name in target)) target[name] = quantity;
}
