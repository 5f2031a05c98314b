// PodSpec, Container, Probe and Volume defaults (pkg/apis/core/v1/defaults.go and the declarative +default markers of
// k8s.io/api/core/v1, v1.34). They apply wherever a PodSpec appears: pods and every pod template. The Pod-only
// defaults are separate (defaultPodOnly) because kube applies them to Pod objects and never to templates.
import { isObject } from '../../apimachinery/objects.js';
import { formatQuantity } from '../../apimachinery/quantity.js';
import { aggregateContainerResources } from '../validation/core/resources.js';
import { defaultPullPolicy } from './image.js';
import {
  child,
  defaultEmptyString,
  defaultNil,
  defaultResourceList,
  defaultResourceRequirements,
  defaultZero,
  isEmptyString,
  isNil,
  isZero,
  items,
  optional,
  type Json,
} from './json.js';
import { defaultPersistentVolumeClaimSpec, defaultVolumeSourceFields } from './volumes.js';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
/** 0644: what secret, configMap, downwardAPI and projected volumes get when defaultMode is nil. */
export const DEFAULT_VOLUME_MODE = 0o644;

/** SetDefaults_PodSpec plus everything nested in a PodSpec: containers, probes, volumes, field refs. */
export function defaultPodSpec(spec: Json): void {
  defaultEmptyString(spec, 'dnsPolicy', 'ClusterFirst');
  defaultEmptyString(spec, 'restartPolicy', 'Always');
  defaultNil(spec, 'securityContext', {});
  defaultNil(spec, 'terminationGracePeriodSeconds', 30);
  defaultEmptyString(spec, 'schedulerName', 'default-scheduler');
  for (const volume of items(spec, 'volumes')) defaultVolume(volume);
  for (const list of CONTAINER_LISTS) for (const container of items(spec, list)) defaultContainer(container);
  defaultResourceList(spec, 'overhead');
  defaultResourceRequirements(optional(spec, 'resources'));
  aliasServiceAccount(spec);
}

/**
 * The v1 conversion of a PodSpec (pkg/apis/core/v1/conversion.go): the deprecated serviceAccount is read as
 * serviceAccountName when that is empty, and every v1 PodSpec kube writes repeats serviceAccountName there (also
 * in the managedFields it computes). kgate keeps v1 objects, so the round trip happens where the body is decoded.
 */
function aliasServiceAccount(spec: Json): void {
  if (isEmptyString(spec.serviceAccountName) && typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '') {
    spec.serviceAccountName = spec.serviceAccount;
  }
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '') spec.serviceAccount = spec.serviceAccountName;
  else if (typeof spec.serviceAccount === 'string') delete spec.serviceAccount;
}

/** The PodSpec of a pod template (`template.spec`), when the template is there. */
export function defaultPodTemplate(template: Json | undefined): void {
  if (template) defaultPodSpec(child(template, 'spec'));
}

/** SetDefaults_Container and what is nested in a container. */
export function defaultContainer(container: Json): void {
  if (isEmptyString(container.imagePullPolicy)) {
    container.imagePullPolicy = defaultPullPolicy(container.image);
  }
  defaultEmptyString(container, 'terminationMessagePath', '/dev/termination-log');
  defaultEmptyString(container, 'terminationMessagePolicy', 'File');
  for (const port of items(container, 'ports')) defaultEmptyString(port, 'protocol', 'TCP');
  for (const env of items(container, 'env')) defaultFieldRef(optional(optional(env, 'valueFrom'), 'fieldRef'));
  for (const name of PROBES) {
    const probe = optional(container, name);
    if (probe) defaultProbe(probe);
  }
  const lifecycle = optional(container, 'lifecycle');
  for (const hook of ['postStart', 'preStop']) defaultHTTPGet(optional(optional(lifecycle, hook), 'httpGet'));
  defaultResourceRequirements(optional(container, 'resources'));
}

/** SetDefaults_Probe, its httpGet, and the declarative `grpc.service: ""`. */
export function defaultProbe(probe: Json): void {
  defaultZero(probe, 'timeoutSeconds', 1);
  defaultZero(probe, 'periodSeconds', 10);
  defaultZero(probe, 'successThreshold', 1);
  defaultZero(probe, 'failureThreshold', 3);
  defaultHTTPGet(optional(probe, 'httpGet'));
  const grpc = optional(probe, 'grpc');
  if (grpc) defaultNil(grpc, 'service', '');
}

function defaultHTTPGet(action: Json | undefined): void {
  if (!action) return;
  defaultEmptyString(action, 'path', '/');
  defaultEmptyString(action, 'scheme', 'HTTP');
}

/** SetDefaults_ObjectFieldSelector. */
function defaultFieldRef(ref: Json | undefined): void {
  if (ref) defaultEmptyString(ref, 'apiVersion', 'v1');
}

/** SetDefaults_Volume and the defaults of each volume source. */
export function defaultVolume(volume: Json): void {
  // A volume naming no source at all is an emptyDir.
  if (!Object.keys(volume).some((k) => k !== 'name' && !isNil(volume[k]))) volume.emptyDir = {};

  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = optional(volume, key);
    if (source) defaultNil(source, 'defaultMode', DEFAULT_VOLUME_MODE);
  }
  for (const item of items(optional(volume, 'downwardAPI'), 'items')) defaultFieldRef(optional(item, 'fieldRef'));
  for (const source of items(optional(volume, 'projected'), 'sources')) {
    for (const item of items(optional(source, 'downwardAPI'), 'items')) defaultFieldRef(optional(item, 'fieldRef'));
    const token = optional(source, 'serviceAccountToken');
    if (token) defaultNil(token, 'expirationSeconds', 3600);
  }
  const claimTemplate = optional(optional(volume, 'ephemeral'), 'volumeClaimTemplate');
  if (claimTemplate) defaultPersistentVolumeClaimSpec(child(claimTemplate, 'spec'));
  defaultVolumeSourceFields(volume);
}

/**
 * SetDefaults_Pod: defaults only a Pod object gets, never a pod template. Runs before the PodSpec defaults, as in
 * kube's generated SetObjectDefaults_Pod.
 */
export function defaultPodOnly(spec: Json): void {
  for (const list of ['containers', 'initContainers']) {
    for (const container of items(spec, list)) defaultRequestsFromLimits(container);
  }
  defaultPodLevelRequests(spec);
  defaultNil(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    for (const list of ['containers', 'initContainers']) {
      for (const container of items(spec, list)) {
        for (const port of items(container, 'ports')) {
          if (isZero(port.hostPort) && typeof port.containerPort === 'number') port.hostPort = port.containerPort;
        }
      }
    }
  }
}

/** A container with limits but no request for a resource requests its limit. Quantities are copied verbatim. */
function defaultRequestsFromLimits(container: Json): void {
  const resources = optional(container, 'resources');
  const limits = optional(resources, 'limits');
  if (!resources || !limits) return;
  const requests = child(resources, 'requests');
  for (const [name, quantity] of Object.entries(limits)) {
    if (!(name in requests)) requests[name] = quantity;
  }
}

/**
 * defaultPodRequests (PodLevelResources, beta and on in 1.34): with pod-level limits set, a pod-level cpu or memory
 * request defaults to the containers' aggregate request, else to the pod-level limit. (defaultHugePagePodLimits
 * is not implemented.)
 */
function defaultPodLevelRequests(spec: Json): void {
  const resources = optional(spec, 'resources');
  const limits = optional(resources, 'limits');
  if (!resources || !limits || Object.keys(limits).length === 0) return;
  const requests: Json = isObject(resources.requests) ? resources.requests : {};
  for (const [name, q] of aggregateContainerResources(spec, 'requests')) {
    if (!(name in requests) && (name === 'cpu' || name === 'memory')) requests[name] = formatQuantity(q);
  }
  for (const name of Object.keys(limits)) {
    if (!(name in requests) && (name === 'cpu' || name === 'memory' || name.startsWith('hugepages-'))) requests[name] = limits[name];
  }
  if (Object.keys(requests).length > 0) resources.requests = requests;
}
