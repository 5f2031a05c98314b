// autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler (pkg/apis/autoscaling/v1/conversion.go). HPAs are
// stored as v2. v1 has only a CPU utilisation target; everything else v2 knows travels in the
// autoscaling.alpha.kubernetes.io/* annotations so that a v1 round trip loses nothing.
import type { KubeObject } from '../../storage/interface.js';

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';

function isCpuUtilization(m: any): boolean {
  return m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization';
}

function parseAnnotation(annotations: Record<string, string>, key: string): any {
  const raw = annotations[key];
  delete annotations[key];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const out: KubeObject = structuredClone(obj);
  out.apiVersion = 'autoscaling/v2';
  const annotations: Record<string, string> = { ...(out.metadata?.annotations ?? {}) };
  const spec = out.spec ?? {};
  const metrics: any[] = parseAnnotation(annotations, METRICS) ?? [];
  if (spec.targetCPUUtilizationPercentage !== undefined) {
    metrics.unshift({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } },
    });
  }
  delete spec.targetCPUUtilizationPercentage;
  if (metrics.length > 0) spec.metrics = metrics;
  const behavior = parseAnnotation(annotations, BEHAVIOR);
  if (behavior !== undefined) spec.behavior = behavior;
  out.spec = spec;
  if (out.status) {
    const status = out.status;
    const current: any[] = parseAnnotation(annotations, CURRENT_METRICS) ?? [];
    if (status.currentCPUUtilizationPercentage !== undefined) {
      current.unshift({
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } },
      });
    }
    delete status.currentCPUUtilizationPercentage;
    if (current.length > 0) status.currentMetrics = current;
    const conditions = parseAnnotation(annotations, CONDITIONS);
    if (conditions !== undefined) status.conditions = conditions;
  } else {
    parseAnnotation(annotations, CURRENT_METRICS);
    parseAnnotation(annotations, CONDITIONS);
  }
  setAnnotations(out, annotations);
  return out;
}

export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const out: KubeObject = structuredClone(obj);
  out.apiVersion = 'autoscaling/v1';
  const annotations: Record<string, string> = { ...(out.metadata?.annotations ?? {}) };
  const spec = out.spec ?? {};
  const metrics: any[] = spec.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  if (cpu) spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  if (others.length > 0) annotations[METRICS] = JSON.stringify(others);
  delete spec.metrics;
  if (spec.behavior !== undefined) {
    annotations[BEHAVIOR] = JSON.stringify(spec.behavior);
    delete spec.behavior;
  }
  out.spec = spec;
  if (out.status) {
    const status = out.status;
    const current: any[] = status.currentMetrics ?? [];
    const cpuNow = current.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu');
    if (cpuNow?.resource?.current?.averageUtilization !== undefined)
      status.currentCPUUtilizationPercentage = cpuNow.resource.current.averageUtilization;
    const otherNow = current.filter((m) => m !== cpuNow);
    if (otherNow.length > 0) annotations[CURRENT_METRICS] = JSON.stringify(otherNow);
    delete status.currentMetrics;
    if (status.conditions !== undefined) {
      annotations[CONDITIONS] = JSON.stringify(status.conditions);
      delete status.conditions;
    }
    // autoscaling/v1's currentReplicas and desiredReplicas have no omitempty: Go writes them as 0.
    status.currentReplicas ??= 0;
    status.desiredReplicas ??= 0;
  }
  setAnnotations(out, annotations);
  return out;
}

function setAnnotations(obj: KubeObject, annotations: Record<string, string>): void {
  if (!obj.metadata) obj.metadata = {};
  if (Object.keys(annotations).length > 0) obj.metadata.annotations = annotations;
  else delete obj.metadata.annotations;
}
