// Workload controllers (pkg/apis/apps/validation, pkg/apis/batch/validation): a selector is required, must
// select the pod template's labels, and is immutable in apps/v1 and batch/v1.
import type { FieldError } from '../../apimachinery/errors.js';
import { labelSelectorFromMetav1 } from '../../apimachinery/labels.js';
import type { KubeObject } from '../../storage/interface.js';
import { deepEqual } from '../../apimachinery/objects.js';
import { DefaultStrategy } from '../strategy.js';

/** Where each kind keeps its pod template. */
const TEMPLATE_PATH: Record<string, string[]> = {
  deployments: ['spec', 'template'],
  replicasets: ['spec', 'template'],
  statefulsets: ['spec', 'template'],
  daemonsets: ['spec', 'template'],
};

function at(obj: any, path: string[]): any {
  return path.reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

export class WorkloadStrategy extends DefaultStrategy {
  override validate(obj: KubeObject): FieldError[] {
    const out: FieldError[] = [];
    const selector = obj.spec?.selector;
    const template = at(obj, TEMPLATE_PATH[this.info.resource] ?? ['spec', 'template']);
    if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
      out.push({ type: 'FieldValueRequired', field: 'spec.selector', detail: '' });
      // kube also reports the empty selector as invalid.
      if (selector) out.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: selector, detail: `empty selector is invalid for ${this.info.singular}` });
      return out;
    }
    const labels = template?.metadata?.labels ?? {};
    if (!labelSelectorFromMetav1(selector).matches(labels)) {
      out.push({ type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', value: labels, detail: '`selector` does not match template `labels`' });
    }
    const containers: unknown[] = template?.spec?.containers ?? [];
    if (containers.length === 0) out.push({ type: 'FieldValueRequired', field: 'spec.template.spec.containers', detail: '' });
    return out;
  }

  override validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
    const out = this.validate(obj);
    if (!deepEqual(obj.spec?.selector, old.spec?.selector)) {
      out.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: obj.spec?.selector, detail: 'field is immutable' });
    }
    return out;
  }
}

export class JobStrategy extends DefaultStrategy {
  /** Without manualSelector, the Job selects its pods by its own uid (pkg/registry/batch/job/strategy.go generateSelector). */
  override prepareForCreate(obj: KubeObject): void {
    super.prepareForCreate(obj);
    const spec = (obj.spec ??= {});
    if (spec.manualSelector === true) return;
    const uid: string = obj.metadata?.uid ?? '';
    const name: string = obj.metadata?.name ?? '';
    const template = (spec.template ??= {});
    const meta = (template.metadata ??= {});
    meta.labels = {
      ...(meta.labels ?? {}),
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  }

  override validate(obj: KubeObject): FieldError[] {
    const containers: unknown[] = obj.spec?.template?.spec?.containers ?? [];
    const out: FieldError[] = [];
    if (containers.length === 0) out.push({ type: 'FieldValueRequired', field: 'spec.template.spec.containers', detail: '' });
    const rp = obj.spec?.template?.spec?.restartPolicy;
    if (rp !== 'OnFailure' && rp !== 'Never') {
      out.push({ type: 'FieldValueNotSupported', field: 'spec.template.spec.restartPolicy', value: rp ?? '', detail: 'supported values: "OnFailure", "Never"' });
    }
    return out;
  }

  override validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
    const out = this.validate(obj);
    if (!deepEqual(obj.spec?.completions, old.spec?.completions)) {
      out.push({ type: 'FieldValueInvalid', field: 'spec.completions', value: obj.spec?.completions, detail: 'field is immutable' });
    }
    if (old.spec?.selector !== undefined && !deepEqual(obj.spec?.selector, old.spec?.selector)) {
      out.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: obj.spec?.selector, detail: 'field is immutable' });
    }
    return out;
  }
}
