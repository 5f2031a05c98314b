// Namespaces (pkg/registry/core/namespace/strategy.go): the `kubernetes` finalizer, phase Active, the
// kubernetes.io/metadata.name label, and spec/status owned by their own endpoints.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../storage/interface.js';
import { DefaultStrategy } from '../strategy.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export class NamespaceStrategy extends DefaultStrategy {
  override prepareForCreate(obj: KubeObject): void {
    obj.status = { phase: 'Active' };
    const finalizers: string[] = [...(obj.spec?.finalizers ?? [])];
    if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
    obj.spec = { ...(obj.spec ?? {}), finalizers };
    setNameLabel(obj);
  }

  override prepareForUpdate(obj: KubeObject, old: KubeObject): void {
    obj.spec = old.spec;
    obj.status = old.status;
    setNameLabel(obj);
  }

  /** PUT /finalize changes only spec.finalizers. */
  override prepareForSubresourceUpdate(subresource: string, obj: KubeObject, old: KubeObject): void {
    if (subresource !== 'finalize') return;
    const finalizers = obj.spec?.finalizers;
    for (const k of Object.keys(obj)) if (k !== 'metadata') delete obj[k];
    for (const [k, v] of Object.entries(old)) if (k !== 'metadata') obj[k] = structuredClone(v);
    obj.spec = { ...(obj.spec ?? {}), finalizers: finalizers ?? [] };
    obj.metadata = { ...old.metadata, resourceVersion: obj.metadata?.resourceVersion };
  }

  /** DELETE marks a namespace Terminating; one already finalized goes at once. */
  override deletesGracefully(obj: KubeObject): boolean {
    return !(obj.metadata?.deletionTimestamp && this.readyToDelete(obj));
  }

  override prepareForGracefulDeletion(obj: KubeObject): void {
    obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
  }

  /** A terminating namespace goes once both its spec finalizers (the namespace controller's) and metadata finalizers are gone. */
  override readyToDelete(obj: KubeObject): boolean {
    return super.readyToDelete(obj) && (obj.spec?.finalizers ?? []).length === 0;
  }

  override validate(obj: KubeObject): FieldError[] {
    return validateFinalizers(obj);
  }

  override validateUpdate(obj: KubeObject): FieldError[] {
    return validateFinalizers(obj);
  }
}

function setNameLabel(obj: KubeObject): void {
  const name = obj.metadata?.name;
  if (name) obj.metadata!.labels = { ...(obj.metadata!.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
}

function validateFinalizers(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const fins: unknown[] = obj.spec?.finalizers ?? [];
  fins.forEach((f, i) => {
    if (typeof f !== 'string' || !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(f)) {
      out.push({ type: 'FieldValueInvalid', field: `spec.finalizers[${i}]`, value: f, detail: 'name is neither a standard finalizer name nor is it fully qualified' });
    }
  });
  return out;
}
