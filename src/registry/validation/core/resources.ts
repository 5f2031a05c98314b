// The resource names kube treats as standard (pkg/apis/core/helper: standardResources, standardContainerResources),
// shared by Pod, LimitRange and ResourceQuota validation; and resourcehelper's aggregation of container resources
// (k8s.io/component-helpers/resource), which pod-level resource defaulting and validation share.
import { compareQuantity, parseQuantity, type Quantity } from '../../../apimachinery/quantity.js';

type Json = Record<string, any>;

function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** IsStandardResourceName. */
export const STANDARD_RESOURCES: ReadonlySet<string> = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);

/** IsStandardContainerResourceName. */
export const STANDARD_CONTAINER_RESOURCES: ReadonlySet<string> = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** A container's (or pod's) requests or limits, parsed; unparseable quantities left out. */
export function resourceQuantities(c: Json, kind: 'requests' | 'limits'): Map<string, Quantity> {
  const m = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries((c?.resources?.[kind] ?? {}) as Json)) {
    const q = parseQuantity(raw);
    if (q) m.set(name, q);
  }
  return m;
}

/**
 * resourcehelper.AggregateContainerRequests/Limits: the regular containers and sidecars summed, each plain init
 * container (with the sidecars started before it) taken when larger.
 */
export function aggregateContainerResources(spec: Json, kind: 'requests' | 'limits'): Map<string, Quantity> {
  const add = (a: Quantity | undefined, b: Quantity): Quantity => (a ? { ...b, nano: a.nano + b.nano } : b);
  const total = new Map<string, Quantity>();
  for (const c of list(spec.containers)) for (const [n, q] of resourceQuantities(c, kind)) total.set(n, add(total.get(n), q));
  const sidecars = new Map<string, Quantity>();
  const initMax = new Map<string, Quantity>();
  for (const c of list(spec.initContainers)) {
    const own = resourceQuantities(c, kind);
    if (c?.restartPolicy === 'Always') {
      for (const [n, q] of own) {
        sidecars.set(n, add(sidecars.get(n), q));
        total.set(n, add(total.get(n), q));
      }
      continue;
    }
    for (const [n, q] of own) {
      const withSidecars = add(sidecars.get(n), q);
      const cur = initMax.get(n);
      if (!cur || compareQuantity(withSidecars, cur) > 0) initMax.set(n, withSidecars);
    }
  }
  for (const [n, q] of initMax) {
    const cur = total.get(n);
    if (!cur || compareQuantity(q, cur) > 0) total.set(n, q);
  }
  return total;
}
