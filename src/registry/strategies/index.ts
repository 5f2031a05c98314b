// Picks each resource's strategy: the generic one, or a small override where the kind deviates.
import type { ResourceInfo } from '../../scheme/index.js';
import { DefaultStrategy, type Strategy } from '../strategy.js';
import { EventStrategy } from './events.js';
import { NamespaceStrategy } from './namespaces.js';
import { PodStrategy } from './pods.js';
import { ConfigDataStrategy } from './config.js';
import { JobStrategy, WorkloadStrategy } from './workloads.js';

/** PUT may create these (AllowCreateOnUpdate in each kind's strategy.go). */
const CREATE_ON_UPDATE = new Set([
  'endpoints', 'limitranges', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'leases', 'endpointslices',
]);

/** Stores that answer a finished DELETE with the deleted object (ReturnDeletedObject in each kind's storage.go). */
const RETURNS_DELETED_OBJECT = new Set(['pods', 'serviceaccounts', 'storageclasses', 'namespaces', 'services', 'persistentvolumes']);

/** Names validated as something other than a DNS-1123 subdomain. */
const NAME_VALIDATION: Record<string, Strategy['nameValidation']> = {
  namespaces: 'label',
  services: 'rfc1035-label',
  roles: 'path-segment',
  rolebindings: 'path-segment',
  clusterroles: 'path-segment',
  clusterrolebindings: 'path-segment',
};

export interface StrategyOptions {
  /** --event-ttl in seconds. */
  eventTTLSeconds: number;
}

export function strategyFor(info: ResourceInfo, opts: StrategyOptions): Strategy {
  let s: Strategy;
  switch (info.resource) {
    case 'namespaces':
      s = new NamespaceStrategy(info);
      break;
    case 'pods':
      s = new PodStrategy(info);
      break;
    case 'events':
      s = new EventStrategy(info, opts.eventTTLSeconds);
      break;
    case 'configmaps':
    case 'secrets':
      s = new ConfigDataStrategy(info);
      break;
    case 'deployments':
    case 'replicasets':
    case 'statefulsets':
    case 'daemonsets':
      s = new WorkloadStrategy(info);
      break;
    case 'jobs':
      s = info.group === 'batch' ? new JobStrategy(info) : new DefaultStrategy(info);
      break;
    default:
      s = new DefaultStrategy(info);
  }
  const nv = NAME_VALIDATION[info.resource];
  if (nv) s.nameValidation = nv;
  if (CREATE_ON_UPDATE.has(info.resource)) s.allowCreateOnUpdate = true;
  if (RETURNS_DELETED_OBJECT.has(info.resource)) s.returnsDeletedObject = true;
  return s;
}
