// Which printer serves which group/resource. Keyed without the version: kube prints every version of a
// resource from its internal type (autoscaling v1 and v2 HPAs, core and events.k8s.io Events).
import * as apps from './apps.js';
import * as autoscaling from './autoscaling.js';
import * as batch from './batch.js';
import * as cluster from './cluster.js';
import * as core from './core.js';
import { events } from './events.js';
import { defaultTable } from './generic.js';
import * as networking from './networking.js';
import { podTemplates, pods } from './pods.js';
import { services } from './services.js';
import * as storage from './storage.js';
import type { Printer } from './types.js';

export const PRINTERS: ReadonlyMap<string, Printer> = new Map<string, Printer>([
  ['/namespaces', core.namespaces],
  ['/pods', pods],
  ['/podtemplates', podTemplates],
  ['/services', services],
  ['/endpoints', core.endpoints],
  ['/configmaps', core.configMaps],
  ['/secrets', core.secrets],
  ['/serviceaccounts', core.serviceAccounts],
  ['/nodes', core.nodes],
  ['/events', events],
  ['/persistentvolumes', storage.persistentVolumes],
  ['/persistentvolumeclaims', storage.persistentVolumeClaims],
  ['/replicationcontrollers', core.replicationControllers],
  ['/resourcequotas', core.resourceQuotas],
  // LimitRange, Role and ClusterRole have no print handler in kube: the generic Name / Created At table.
  ['/limitranges', defaultTable],
  ['apps/deployments', apps.deployments],
  ['apps/replicasets', apps.replicaSets],
  ['apps/statefulsets', apps.statefulSets],
  ['apps/daemonsets', apps.daemonSets],
  ['apps/controllerrevisions', apps.controllerRevisions],
  ['batch/jobs', batch.jobs],
  ['batch/cronjobs', batch.cronJobs],
  ['autoscaling/horizontalpodautoscalers', autoscaling.horizontalPodAutoscalers],
  ['networking.k8s.io/ingresses', networking.ingresses],
  ['networking.k8s.io/ingressclasses', networking.ingressClasses],
  ['networking.k8s.io/networkpolicies', networking.networkPolicies],
  ['discovery.k8s.io/endpointslices', networking.endpointSlices],
  ['policy/poddisruptionbudgets', cluster.podDisruptionBudgets],
  ['rbac.authorization.k8s.io/roles', defaultTable],
  ['rbac.authorization.k8s.io/clusterroles', defaultTable],
  ['rbac.authorization.k8s.io/rolebindings', cluster.roleBindings],
  ['rbac.authorization.k8s.io/clusterrolebindings', cluster.roleBindings],
  ['storage.k8s.io/storageclasses', storage.storageClasses],
  ['coordination.k8s.io/leases', cluster.leases],
  ['scheduling.k8s.io/priorityclasses', cluster.priorityClasses],
  ['events.k8s.io/events', events],
]);
