// Pod rows (printPod in pkg/printers/internalversion/printers.go): readiness, the aggregate status reason and
// restart counts are derived from container statuses exactly as kubectl has always shown them.
import type { KubeObject } from '../../storage/interface.js';
import { NONE, containerCells, formatLabels, int, nameOf, str } from './format.js';
import { age, humanDuration, parseTimestamp } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

/** The reason the node lifecycle controller gives pods on an unreachable node (node.NodeUnreachablePodReason). */
const NODE_UNREACHABLE_REASON = 'NodeLost';

function isRestartableInit(container: Json): boolean {
  return container?.restartPolicy === 'Always';
}

function conditionIsTrue(conditions: Json[], type: string): boolean {
  for (const c of conditions) if (c?.type === type) return c.status === 'True';
  return false;
}

function hasPodReadyCondition(conditions: Json[]): boolean {
  return conditions.some((c) => c?.type === 'Ready' && c.status === 'True');
}

/** Tracks the newest lastState.terminated.finishedAt seen (metav1.Time.Before on a zero start). */
function newer(current: number | undefined, status: Json): number | undefined {
  const finished = parseTimestamp(status?.lastState?.terminated?.finishedAt);
  if (finished === undefined) return current;
  return current === undefined || current < finished ? finished : current;
}

function terminatedReason(terminated: Json, prefix: string): string {
  if (terminated.reason) return prefix + terminated.reason;
  if (terminated.signal) return `${prefix}Signal:${terminated.signal}`;
  return `${prefix}ExitCode:${int(terminated.exitCode)}`;
}

export interface PodSummary {
  ready: string;
  reason: string;
  restarts: string;
}

/** The Ready, Status and Restarts cells. */
export function podSummary(pod: Json, nowMs: number): PodSummary {
  const spec = pod?.spec ?? {};
  const status = pod?.status ?? {};
  const conditions: Json[] = Array.isArray(status.conditions) ? status.conditions : [];
  const specInit: Json[] = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  const initStatuses: Json[] = Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : [];
  const statuses: Json[] = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];

  let restarts = 0;
  let sidecarRestarts = 0;
  let totalContainers = Array.isArray(spec.containers) ? spec.containers.length : 0;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  const phase = str(status.phase);
  let reason = status.reason ? str(status.reason) : phase;
  for (const c of conditions) {
    if (c?.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initByName = new Map<string, Json>();
  for (const c of specInit) {
    initByName.set(c?.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }

  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] ?? {};
    const state = cs.state ?? {};
    const sidecar = isRestartableInit(initByName.get(cs.name));
    restarts += int(cs.restartCount);
    lastRestart = newer(lastRestart, cs);
    if (sidecar) {
      sidecarRestarts += int(cs.restartCount);
      lastSidecarRestart = newer(lastSidecarRestart, cs);
    }
    if (state.terminated && int(state.terminated.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (state.terminated) reason = terminatedReason(state.terminated, 'Init:');
    else if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing') reason = `Init:${state.waiting.reason}`;
    else reason = `Init:${i}/${specInit.length}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionIsTrue(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    // Last to first, so the first container in spec order has the final say.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] ?? {};
      const state = cs.state ?? {};
      restarts += int(cs.restartCount);
      lastRestart = newer(lastRestart, cs);
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated) reason = terminatedReason(state.terminated, '');
      else if (cs.ready && state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasPodReadyCondition(conditions) ? 'Running' : 'NotReady';
  }

  const deleting = Boolean(pod?.metadata?.deletionTimestamp);
  if (deleting && status.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell =
    restarts !== 0 && lastRestart !== undefined ? `${restarts} (${humanDuration(nowMs - lastRestart)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsCell };
}

/** The pod's first IP; the v1→internal conversion treats status.podIP as authoritative for podIPs[0]. */
function podIP(status: Json): string {
  if (status?.podIP) return status.podIP;
  const ips = status?.podIPs;
  return Array.isArray(ips) && ips.length > 0 && ips[0]?.ip ? ips[0].ip : NONE;
}

function readinessGates(pod: Json): string {
  const gates: Json[] = Array.isArray(pod?.spec?.readinessGates) ? pod.spec.readinessGates : [];
  if (gates.length === 0) return NONE;
  const conditions: Json[] = Array.isArray(pod?.status?.conditions) ? pod.status.conditions : [];
  let trueConditions = 0;
  for (const gate of gates) {
    const c = conditions.find((x) => x?.type === gate?.conditionType);
    if (c?.status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

export const pods: Printer = {
  columns: ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'],
  cells(pod: KubeObject, nowMs: number): Cell[] {
    const { ready, reason, restarts } = podSummary(pod, nowMs);
    return [
      nameOf(pod),
      ready,
      reason,
      restarts,
      age(pod, nowMs),
      podIP(pod.status),
      pod.spec?.nodeName || NONE,
      pod.status?.nominatedNodeName || NONE,
      readinessGates(pod),
    ];
  },
  rowConditions: (pod) => podRowConditions(pod),
};

export const podTemplates: Printer = {
  columns: ['Name', 'Containers', 'Images', 'Pod Labels'],
  cells(obj: KubeObject): Cell[] {
    const [names, images] = containerCells(obj.template?.spec?.containers);
    return [nameOf(obj), names, images, formatLabels(obj.template?.metadata?.labels)];
  },
};

const POD_SUCCEEDED = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const POD_FAILED = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** Row conditions kube sets on pod rows (kubectl uses them to hide finished pods). */
export function podRowConditions(pod: KubeObject): readonly Record<string, string>[] | undefined {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' ? POD_SUCCEEDED : phase === 'Failed' ? POD_FAILED : undefined;
}
