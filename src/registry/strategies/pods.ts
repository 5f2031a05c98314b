// Pods (pkg/registry/core/pod/strategy.go): a new pod starts Pending; generation is tracked since 1.33.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../storage/interface.js';
import { DefaultStrategy } from '../strategy.js';

export class PodStrategy extends DefaultStrategy {
  override prepareForCreate(obj: KubeObject): void {
    super.prepareForCreate(obj);
    obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
  }

  override validate(obj: KubeObject): FieldError[] {
    const out: FieldError[] = [];
    const containers: unknown[] = obj.spec?.containers ?? [];
    if (containers.length === 0) out.push({ type: 'FieldValueRequired', field: 'spec.containers', detail: '' });
    const seen = new Set<string>();
    containers.forEach((c: any, i) => {
      if (c?.name && seen.has(c.name)) out.push({ type: 'FieldValueDuplicate', field: `spec.containers[${i}].name`, value: c.name, detail: '' });
      if (c?.name) seen.add(c.name);
      if (!c?.image) out.push({ type: 'FieldValueRequired', field: `spec.containers[${i}].image`, detail: '' });
    });
    return out;
  }

  override validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
    const out = this.validate(obj);
    // Only images and a few fields of a pod's spec may change after creation.
    const strip = (spec: any) => {
      if (!spec) return spec;
      const c = structuredClone(spec);
      for (const k of ['containers', 'initContainers']) for (const ct of c[k] ?? []) delete ct.image;
      delete c.activeDeadlineSeconds;
      delete c.tolerations;
      delete c.terminationGracePeriodSeconds;
      return JSON.stringify(c);
    };
    if (strip(obj.spec) !== strip(old.spec)) {
      out.push({
        type: 'FieldValueForbidden',
        field: 'spec',
        detail: 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      });
    }
    return out;
  }
}

/** BestEffort without any requests/limits, Guaranteed when every container's limits equal requests, else Burstable. */
function qosClass(pod: KubeObject): string {
  const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && String(req[r]) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
