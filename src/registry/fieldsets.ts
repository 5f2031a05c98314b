// The field set a fieldSelector is matched against (each kind's GetAttrs / ToSelectableFields in
// pkg/registry/<group>/<kind>/strategy.go). The per-kind labels are declared in the kind's strategy literal;
// this module turns them into the set every kind shares. Values are strings; booleans are "true"/"false".
import type { KubeObject } from '../apimachinery/meta.js';
import type { ResourceInfo } from '../scheme/index.js';
import type { FieldGetter, Strategy } from './strategy.js';

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** The value at a path, as a field label reads it. */
export function fieldPath(...segs: string[]): FieldGetter {
  return (obj) => {
    let cur: any = obj;
    for (const s of segs) {
      if (cur === undefined || cur === null) return '';
      cur = cur[s];
    }
    return str(cur);
  };
}

/** A boolean field label: "true" only for true. */
export function fieldBool(...segs: string[]): FieldGetter {
  const get = fieldPath(...segs);
  return (obj) => (get(obj) === 'true' ? 'true' : 'false');
}

/** A number field label that reads 0 when absent (status counters). */
export function fieldCount(...segs: string[]): FieldGetter {
  return (obj) => {
    const v = fieldPath(...segs)(obj);
    return v === '' ? '0' : v;
  };
}

export interface FieldSet {
  /** The labels a fieldSelector may name for this resource. */
  readonly labels: readonly string[];
  /** Legacy labels the kind's conversion renames (Pods' spec.host → spec.nodeName). */
  readonly renames?: Readonly<Record<string, string>>;
  /** The object's values for those labels. */
  fieldsOf(obj: KubeObject): Record<string, string>;
}

export function fieldSetFor(info: ResourceInfo, strategy: Pick<Strategy, 'fieldLabels' | 'fieldLabelRenames'>): FieldSet {
  const extra = strategy.fieldLabels;
  const labels = ['metadata.name', ...(info.namespaced ? ['metadata.namespace'] : []), ...Object.keys(extra)];
  return {
    labels,
    renames: strategy.fieldLabelRenames,
    fieldsOf(obj: KubeObject): Record<string, string> {
      const out: Record<string, string> = { 'metadata.name': str(obj.metadata?.name) };
      if (info.namespaced) out['metadata.namespace'] = str(obj.metadata?.namespace);
      for (const [label, get] of Object.entries(extra)) out[label] = get(obj);
      return out;
    },
  };
}
