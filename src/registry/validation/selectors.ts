// metav1.LabelSelectorAsSelector as the workload validators use it (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go):
// nil selects nothing, an empty selector everything, and a malformed one is an error (undefined here).
import { LabelSelector, labelSelectorFromMetav1 } from '../../apimachinery/labels.js';

export function parseLabelSelector(sel: any): LabelSelector | undefined {
  try {
    return labelSelectorFromMetav1(sel);
  } catch {
    return undefined;
  }
}

/** `len(MatchLabels)+len(MatchExpressions) == 0` of a present selector. */
export function selectorIsEmpty(sel: any): boolean {
  return sel != null && Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}
