// HorizontalPodAutoscaler in autoscaling/v2 (pkg/apis/autoscaling/v2/defaults.go) and autoscaling/v1.
import { defaultNil, isNil, optional, child, type Json } from './json.js';

/** The CPU utilization target an HPA without metrics gets (autoscaling.DefaultCPUUtilization). */
const DEFAULT_CPU_UTILIZATION = 80;

export function defaultHPAv2(hpa: Json): void {
  const spec = child(hpa, 'spec');
  defaultNil(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } },
      },
    ];
  }
  // Behavior is filled in only when the user wrote one; spec.selectionStrategy postdates 1.34.
  const behavior = optional(spec, 'behavior');
  if (behavior) {
    behavior.scaleUp = withScalingRuleDefaults(optional(behavior, 'scaleUp'), scaleUpDefaults());
    behavior.scaleDown = withScalingRuleDefaults(optional(behavior, 'scaleDown'), scaleDownDefaults());
  }
}

function scaleUpDefaults(): Json {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/** The scale-down window stays unset: the controller's --horizontal-pod-autoscaler-downscale-stabilization decides. */
function scaleDownDefaults(): Json {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** Each rule field the user set wins; an explicit empty policies list counts as set. */
function withScalingRuleDefaults(rules: Json | undefined, defaults: Json): Json {
  if (!rules) return defaults;
  for (const key of ['selectPolicy', 'stabilizationWindowSeconds', 'policies']) {
    if (isNil(rules[key]) && key in defaults) rules[key] = defaults[key];
  }
  return rules;
}

/** autoscaling/v1 keeps other metrics in this annotation; with any there, no CPU target is implied. */
const V1_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';

/**
 * autoscaling/v1 defaults minReplicas; converting a v1 HPA without metrics to the internal form adds the default CPU
 * metric, which reads back as targetCPUUtilizationPercentage 80.
 */
export function defaultHPAv1(hpa: Json): void {
  const spec = child(hpa, 'spec');
  defaultNil(spec, 'minReplicas', 1);
  if (isNil(spec.targetCPUUtilizationPercentage) && !hasV1MetricsAnnotation(hpa)) {
    spec.targetCPUUtilizationPercentage = DEFAULT_CPU_UTILIZATION;
  }
}

function hasV1MetricsAnnotation(hpa: Json): boolean {
  const text = optional(optional(hpa, 'metadata'), 'annotations')?.[V1_METRICS_ANNOTATION];
  if (typeof text !== 'string') return false;
  try {
    const metrics: unknown = JSON.parse(text);
    return Array.isArray(metrics) && metrics.length > 0;
  } catch {
    // kube fails the conversion on a malformed annotation; leaving the spec alone is the closest we get here.
    return true;
  }
}
