// kube-apiserver's defaulting for the built-in kinds: what SetObjectDefaults_<Kind> does when a versioned object is
// decoded (request bodies and reads from storage alike). Defaults fill only what is unset; quantities are kept as
// written (kube's milli-precision rounding is not done). Registry-time allocation (Service clusterIPs, nodePorts,
// ipFamilies) is the service registry's job, not defaulting.
import type { ResourceInfo } from '../../scheme/types.js';
import type { KubeObject } from '../../storage/interface.js';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from './apps.js';
import { defaultHPAv1, defaultHPAv2 } from './autoscaling.js';
import { defaultCronJob, defaultJob } from './batch.js';
import { defaultEndpointSlice, defaultPriorityClass, defaultStorageClass } from './cluster.js';
import {
  defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultPod, defaultPodTemplateObject,
  defaultReplicationController, defaultSecret, defaultService,
} from './core.js';
import { isObject } from '../../apimachinery/objects.js';
import type { Json } from './json.js';
import { defaultIngressClass, defaultNetworkPolicy } from './networking.js';
import { defaultRoleBinding } from './rbac.js';
import { defaultPersistentVolume, defaultPersistentVolumeClaim } from './volumes.js';

type Defaulter = (obj: Json) => void;

/** Keyed by `group/version/resource`; the version matters where versions default differently (HPA). */
const DEFAULTERS: Record<string, Defaulter> = {
  '/v1/pods': defaultPod,
  '/v1/podtemplates': defaultPodTemplateObject,
  '/v1/replicationcontrollers': defaultReplicationController,
  '/v1/services': defaultService,
  '/v1/endpoints': defaultEndpoints,
  '/v1/secrets': defaultSecret,
  '/v1/namespaces': defaultNamespace,
  '/v1/nodes': defaultNode,
  '/v1/persistentvolumes': defaultPersistentVolume,
  '/v1/persistentvolumeclaims': defaultPersistentVolumeClaim,
  '/v1/limitranges': defaultLimitRange,
  'apps/v1/deployments': defaultDeployment,
  'apps/v1/replicasets': defaultReplicaSet,
  'apps/v1/statefulsets': defaultStatefulSet,
  'apps/v1/daemonsets': defaultDaemonSet,
  'batch/v1/jobs': defaultJob,
  'batch/v1/cronjobs': defaultCronJob,
  'autoscaling/v2/horizontalpodautoscalers': defaultHPAv2,
  'autoscaling/v1/horizontalpodautoscalers': defaultHPAv1,
  'rbac.authorization.k8s.io/v1/rolebindings': defaultRoleBinding,
  'rbac.authorization.k8s.io/v1/clusterrolebindings': defaultRoleBinding,
  'networking.k8s.io/v1/networkpolicies': defaultNetworkPolicy,
  'networking.k8s.io/v1/ingressclasses': defaultIngressClass,
  'storage.k8s.io/v1/storageclasses': defaultStorageClass,
  'scheduling.k8s.io/v1/priorityclasses': defaultPriorityClass,
  'discovery.k8s.io/v1/endpointslices': defaultEndpointSlice,
};

/** Fills kube-apiserver's defaults into `obj` (in the shape of `resource`'s group/version), in place. */
export function applyDefaults(resource: ResourceInfo, obj: KubeObject): void {
  if (!isObject(obj)) return;
  DEFAULTERS[`${resource.group}/${resource.version}/${resource.resource}`]?.(obj);
}
