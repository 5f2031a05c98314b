// HorizontalPodAutoscaler rows (printHorizontalPodAutoscaler, formatHPAMetrics), for autoscaling/v2 and v1.
// kube prints the internal (v2-shaped) object; an autoscaling/v1 object's CPU target is converted the way
// the v1 conversion does it, and an HPA without metrics prints v2's default target (cpu at 80%).
import { int, nameOf, quantity, str } from './format.js';
import { age } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

const DEFAULT_CPU_UTILIZATION = 80;

function cpuUtilizationMetric(target: number): Json {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } };
}

function metricSpecs(spec: Json): Json[] {
  if (Array.isArray(spec?.metrics) && spec.metrics.length > 0) return spec.metrics;
  if (typeof spec?.targetCPUUtilizationPercentage === 'number') return [cpuUtilizationMetric(spec.targetCPUUtilizationPercentage)];
  return [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
}

function metricStatuses(status: Json): Json[] {
  if (Array.isArray(status?.currentMetrics)) return status.currentMetrics;
  if (typeof status?.currentCPUUtilizationPercentage === 'number') {
    return [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  return [];
}

function percent(v: unknown): string | undefined {
  return typeof v === 'number' ? `${v}%` : undefined;
}

/** Resource and ContainerResource metrics share one rendering. */
function resourceMetric(source: Json, current: Json): string {
  const name = str(source?.name);
  if (source?.target?.averageValue != null) {
    const now = current ? quantity(current.current?.averageValue) : '<unknown>';
    return `${name}: ${now}/${quantity(source.target.averageValue)}`;
  }
  const now = percent(current?.current?.averageUtilization) ?? '<unknown>';
  const target = percent(source?.target?.averageUtilization) ?? '<auto>';
  return `${name}: ${now}/${target}`;
}

/** Object and External metrics: `(avg)` marks an AverageValue target. */
function valueMetric(source: Json, current: Json): string {
  if (source?.target?.averageValue != null) {
    const now = current?.current?.averageValue != null ? quantity(current.current.averageValue) : '<unknown>';
    return `${now}/${quantity(source.target.averageValue)} (avg)`;
  }
  const now = current ? quantity(current.current?.value) : '<unknown>';
  return `${now}/${quantity(source?.target?.value)}`;
}

function formatMetric(spec: Json, status: Json): string {
  switch (spec?.type) {
    case 'External':
      return valueMetric(spec.external, status?.external);
    case 'Object':
      return valueMetric(spec.object, status?.object);
    case 'Pods': {
      const now = status?.pods ? quantity(status.pods.current?.averageValue) : '<unknown>';
      return `${now}/${quantity(spec.pods?.target?.averageValue)}`;
    }
    case 'Resource':
      return resourceMetric(spec.resource, status?.resource);
    case 'ContainerResource':
      return resourceMetric(spec.containerResource, status?.containerResource);
  }
  return '<unknown type>';
}

/** formatHPAMetrics: at most two entries joined with ', ', then ` + <n> more...`. */
export function formatHPAMetrics(specs: Json[], statuses: Json[]): string {
  if (specs.length === 0) return '<none>';
  const max = 2;
  const list: string[] = [];
  for (let i = 0; i < specs.length && i < max; i++) list.push(formatMetric(specs[i], statuses[i]));
  const ret = list.join(', ');
  return specs.length > max ? `${ret} + ${specs.length - max} more...` : ret;
}

export const horizontalPodAutoscalers: Printer = {
  columns: ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
  cells(obj, nowMs): Cell[] {
    const spec = obj.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    return [
      nameOf(obj),
      `${str(ref.kind)}/${str(ref.name)}`,
      formatHPAMetrics(metricSpecs(spec), metricStatuses(obj.status)),
      // autoscaling defaulting sets minReplicas=1 on decode.
      typeof spec.minReplicas === 'number' ? String(spec.minReplicas) : '1',
      int(spec.maxReplicas),
      int(obj.status?.currentReplicas),
      age(obj, nowMs),
    ];
  },
};
