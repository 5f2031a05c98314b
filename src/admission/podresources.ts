// A pod's effective requests and limits (k8s.io/component-helpers/resource PodRequests and PodLimits, which
// LimitRanger repeats without the overhead): containers add up, init containers run one at a time (the largest
// counts) except restartable ones (sidecars), which keep running and add up with the rest; pod-level cpu and
// memory (PodLevelResources, on in v1.34) replace the containers' sums.
import type { KubeObject } from '../storage/interface.js';
import { addInto, maxInto, parseResourceList, type ResourceList } from './quota/resources.js';

export interface PodResourceOptions {
  /** Add spec.overhead (the quota's PodRequests does, LimitRanger's own podRequests does not). */
  overhead: boolean;
}

type Which = 'requests' | 'limits';

const POD_LEVEL = new Set(['cpu', 'memory']);

function containersOf(pod: KubeObject, field: 'containers' | 'initContainers'): KubeObject[] {
  const list = pod.spec?.[field];
  return Array.isArray(list) ? (list as KubeObject[]) : [];
}

/** One container's requests or limits. */
export function containerResources(container: KubeObject, which: Which): ResourceList {
  return parseResourceList(container.resources?.[which]);
}

function aggregate(pod: KubeObject, which: Which): ResourceList {
  const total: ResourceList = {};
  for (const c of containersOf(pod, 'containers')) addInto(total, containerResources(c, which));
  const restartable: ResourceList = {};
  const initMax: ResourceList = {};
  for (const c of containersOf(pod, 'initContainers')) {
    let own = containerResources(c, which);
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(restartable, own);
      own = { ...restartable };
    } else {
      const tmp: ResourceList = {};
      addInto(tmp, own);
      addInto(tmp, restartable);
      own = tmp;
    }
    maxInto(initMax, own);
  }
  maxInto(total, initMax);
  return total;
}

function podLevel(pod: KubeObject, which: Which, into: ResourceList): void {
  const list = parseResourceList(pod.spec?.resources?.[which]);
  for (const [name, q] of Object.entries(list)) if (POD_LEVEL.has(name)) into[name] = q;
}

export function podRequests(pod: KubeObject, opts: PodResourceOptions): ResourceList {
  const reqs = aggregate(pod, 'requests');
  podLevel(pod, 'requests', reqs);
  if (opts.overhead) addInto(reqs, parseResourceList(pod.spec?.overhead));
  return reqs;
}

export function podLimits(pod: KubeObject, opts: PodResourceOptions): ResourceList {
  const limits = aggregate(pod, 'limits');
  podLevel(pod, 'limits', limits);
  if (opts.overhead) {
    // Overhead is added only to limits that are set and non-zero.
    for (const [name, q] of Object.entries(parseResourceList(pod.spec?.overhead))) {
      if (name in limits && limits[name].nano !== 0n) addInto(limits, { [name]: q });
    }
  }
  return limits;
}
