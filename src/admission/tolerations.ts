// Two plugins that add scheduling defaults: DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds)
// gives a pod that does not tolerate not-ready or unreachable nodes for NoExecute a 300s toleration of each, on
// create and update; TaintNodesByCondition (plugin/pkg/admission/nodetaint) creates a Node with the not-ready
// NoSchedule taint unless it has one of that key and effect (the node lifecycle controller lifts it later).
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';
/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds (kube's defaults). */
const DEFAULT_TOLERATION_SECONDS = 300;

export const defaultTolerationSeconds: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  admit(a: AdmissionAttributes): boolean | void {
    if (a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource !== '' || !a.object) return;
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
    const spec = (a.object.spec ??= {});
    const tolerations: any[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
    // An empty key tolerates every taint, an empty effect every effect.
    const tolerates = (key: string) => tolerations.some((t) => (t?.key === key || !t?.key) && (t?.effect === 'NoExecute' || !t?.effect));
    const added = [NOT_READY, UNREACHABLE]
      .filter((key) => !tolerates(key))
      .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS }));
    if (added.length === 0) return;
    spec.tolerations = [...tolerations, ...added];
    return true;
  },
};

export const taintNodesByCondition: AdmissionPlugin = {
  name: 'TaintNodesByCondition',
  admit(a: AdmissionAttributes): boolean | void {
    if (a.resource.group !== '' || a.resource.resource !== 'nodes' || a.subresource !== '' || a.operation !== 'CREATE' || !a.object) return;
    const spec = (a.object.spec ??= {});
    const taints: any[] = Array.isArray(spec.taints) ? spec.taints : [];
    // Taint.MatchTaint: the same key and effect.
    if (taints.some((t) => t?.key === NOT_READY && t?.effect === 'NoSchedule')) return;
    spec.taints = [...taints, { key: NOT_READY, effect: 'NoSchedule' }];
    return true;
  },
};
