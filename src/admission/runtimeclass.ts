// RuntimeClass admission (plugin/pkg/admission/runtimeclass/admission.go): a new pod naming a RuntimeClass
// (node.k8s.io/v1) must name one that exists; the class's overhead becomes the pod's spec.overhead (a pod stating a
// different one is refused) and its scheduling constraints join the pod's nodeSelector and tolerations. A pod with
// an overhead but no class overhead to match is refused at validation.
import type { KubeObject } from '../apimachinery/meta.js';
import { deepEqual } from '../apimachinery/objects.js';
import { compareQuantity, parseQuantity } from '../apimachinery/quantity.js';
import { admissionForbidden } from './errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';

export interface RuntimeClassReader {
  /** The RuntimeClass, or undefined when there is none of that name. */
  get(name: string): Promise<KubeObject | undefined>;
}

export class RuntimeClassAdmission implements AdmissionPlugin {
  readonly name = 'RuntimeClass';
  constructor(private readonly classes: RuntimeClassReader) {}

  async admit(a: AdmissionAttributes): Promise<boolean | void> {
    const found = await this.prepare(a);
    if (!found) return;
    const { pod, rc } = found;
    let changed = false;
    if (rc?.overhead) {
      const current = pod.spec.overhead;
      if (current && Object.keys(current).length > 0 && !sameResources(rc.overhead.podFixed, current)) {
        throw admissionForbidden(a, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
      }
      if (rc.overhead.podFixed == null) delete pod.spec.overhead;
      else pod.spec.overhead = structuredClone(rc.overhead.podFixed);
      changed = true;
    }
    if (rc?.scheduling) changed = setScheduling(a, pod, rc.scheduling) || changed;
    return changed;
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    const found = await this.prepare(a);
    if (!found) return;
    const { pod, rc } = found;
    if (rc?.overhead) {
      if (!sameResources(rc.overhead.podFixed, pod.spec.overhead)) {
        throw admissionForbidden(a, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
      }
    } else if (pod.spec.overhead != null) {
      throw admissionForbidden(a, 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    }
  }

  /** Pods being created; the class they name (undefined for none), or kube's refusal when it does not exist. */
  private async prepare(a: AdmissionAttributes): Promise<{ pod: KubeObject; rc: KubeObject | undefined } | undefined> {
    if (a.subresource !== '' || a.resource.group !== '' || a.resource.resource !== 'pods' || a.operation !== 'CREATE' || !a.object) return;
    const pod = a.object;
    pod.spec ??= {};
    const name = pod.spec.runtimeClassName;
    if (name == null) return { pod, rc: undefined };
    const rc = await this.classes.get(name);
    if (!rc) throw admissionForbidden(a, `pod rejected: RuntimeClass ${JSON.stringify(name)} not found`);
    return { pod, rc };
  }
}

/** setScheduling: the class's nodeSelector joins the pod's (a conflicting value is refused); tolerations merge. */
function setScheduling(a: AdmissionAttributes, pod: KubeObject, scheduling: KubeObject): boolean {
  const spec = pod.spec;
  const runtimeSelector: Record<string, string> = scheduling.nodeSelector ?? {};
  let selector: Record<string, string> | undefined = spec.nodeSelector;
  if (selector == null) {
    selector = scheduling.nodeSelector == null ? undefined : { ...runtimeSelector };
  } else {
    for (const [key, value] of Object.entries(runtimeSelector)) {
      if (Object.hasOwn(selector, key) && selector[key] !== value) {
        throw admissionForbidden(
          a,
          `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${value}; pod.spec.nodeSelector[${key}] = ${selector[key]}`,
        );
      }
      selector[key] = value;
    }
  }
  if (selector === undefined) delete spec.nodeSelector;
  else spec.nodeSelector = selector;
  const merged = mergeTolerations(spec.tolerations ?? [], scheduling.tolerations ?? []);
  if (merged.length > 0) spec.tolerations = merged;
  else delete spec.tolerations;
  return true;
}

/** apiequality.Semantic.DeepEqual on ResourceLists: the same names, quantities equal by value; nil equals empty. */
function sameResources(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  if (ka.length !== kb.length) return false;
  return ka.every((k) => {
    if (!Object.hasOwn(b ?? {}, k)) return false;
    const qa = parseQuantity(a![k] as string);
    const qb = parseQuantity(b![k] as string);
    return qa !== undefined && qb !== undefined ? compareQuantity(qa, qb) === 0 : a![k] === b![k];
  });
}

/** tolerations.MergeTolerations: both lists in order, without the ones another toleration already covers. */
export function mergeTolerations(first: any[], second: any[]): any[] {
  const all = [...first, ...second];
  const merged: any[] = [];
  next: for (const [i, t] of all.entries()) {
    for (const m of merged) if (isSuperset(m, t)) continue next;
    for (const t2 of all.slice(i + 1)) if (!sameToleration(t, t2) && isSuperset(t2, t)) continue next;
    merged.push(t);
  }
  return merged;
}

function sameToleration(a: any, b: any): boolean {
  const norm = (t: any) => ({
    key: t?.key ?? '',
    operator: t?.operator ?? '',
    value: t?.value ?? '',
    effect: t?.effect ?? '',
    tolerationSeconds: t?.tolerationSeconds ?? null,
  });
  return deepEqual(norm(a), norm(b));
}

/** Whether `ss` tolerates everything `t` does. */
function isSuperset(ss: any, t: any): boolean {
  if (sameToleration(ss, t)) return true;
  const [ssKey, tKey] = [ss?.key ?? '', t?.key ?? ''];
  const ssOp = ss?.operator ?? '';
  if (tKey !== ssKey && (ssKey !== '' || ssOp !== 'Exists')) return false;
  const [ssEffect, tEffect] = [ss?.effect ?? '', t?.effect ?? ''];
  if (tEffect !== ssEffect && ssEffect !== '') return false;
  if (ssEffect === 'NoExecute' && ss?.tolerationSeconds != null) {
    if (t?.tolerationSeconds == null || t.tolerationSeconds > ss.tolerationSeconds) return false;
  }
  if (ssOp === 'Equal' || ssOp === '') return (t?.operator ?? '') === 'Equal' && (t?.value ?? '') === (ss?.value ?? '');
  return ssOp === 'Exists';
}
