// Namespaces (pkg/registry/core/namespace/strategy.go): the `kubernetes` finalizer, phase Active, the
// kubernetes.io/metadata.name label, and spec/status owned by their own endpoints.
import type { KubeObject } from '../../apimachinery/meta.js';
import { isValidLabelValue } from '../../apimachinery/validation.js';
import { defaultNamespace } from '../defaults/core.js';
import { fieldPath } from '../fieldsets.js';
import { namespaces as namespacePrinter } from '../printers/core.js';
import { defineStrategy, genericReadyToDelete } from '../strategy.js';
import {
  validateNamespace,
  validateNamespaceFinalizeUpdate,
  validateNamespaceStatusUpdate,
  validateNamespaceUpdate,
} from '../validation/core/namespace.js';
import { withKubeFinalizers } from '../validation/core/objectmeta.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const namespaces = defineStrategy({
  resource: '/namespaces',
  nameValidation: 'label',
  returnsDeletedObject: true,
  defaults: defaultNamespace,
  fieldLabels: { 'status.phase': fieldPath('status', 'phase'), name: fieldPath('metadata', 'name') },
  printer: namespacePrinter,
  initialStatus: () => ({ phase: 'Active' }),
  prepareForCreate(obj) {
    const finalizers: string[] = [...(obj.spec?.finalizers ?? [])];
    if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
    obj.spec = { ...(obj.spec ?? {}), finalizers };
    setNameLabel(obj);
  },
  prepareForUpdate(obj, old) {
    obj.spec = old.spec;
    obj.status = old.status;
    setNameLabel(obj);
  },
  /** PUT /finalize changes only spec.finalizers. */
  prepareForSubresourceUpdate(subresource, obj, old) {
    if (subresource !== 'finalize') return;
    const finalizers = obj.spec?.finalizers;
    for (const k of Object.keys(obj)) if (k !== 'metadata') delete obj[k];
    for (const [k, v] of Object.entries(old)) if (k !== 'metadata') obj[k] = structuredClone(v);
    obj.spec = { ...(obj.spec ?? {}), finalizers: finalizers ?? [] };
    obj.metadata = { ...old.metadata, resourceVersion: obj.metadata?.resourceVersion };
  },
  /** DELETE marks a namespace Terminating; one already finalized goes at once. */
  deletesGracefully: (obj) => !(obj.metadata?.deletionTimestamp && namespaceReadyToDelete(obj)),
  prepareForGracefulDeletion(obj) {
    obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
  },
  readyToDelete: namespaceReadyToDelete,
  validate: withKubeFinalizers(validateNamespace),
  validateUpdate: validateNamespaceUpdate,
  validateStatusUpdate: validateNamespaceStatusUpdate,
  validateSubresourceUpdate: (_subresource, obj, old) => validateNamespaceFinalizeUpdate(obj, old),
});

/** A terminating namespace goes once both its spec finalizers (the namespace controller's) and metadata finalizers are gone. */
function namespaceReadyToDelete(obj: KubeObject): boolean {
  return genericReadyToDelete(obj) && (obj.spec?.finalizers ?? []).length === 0;
}

/**
 * The label follows the name. kube labels a generated name only after validation (Canonicalize), so a name that
 * is no valid label value (and so no valid namespace name either) is refused for its name alone.
 */
function setNameLabel(obj: KubeObject): void {
  const name = obj.metadata?.name;
  if (name && isValidLabelValue(name).length === 0)
    obj.metadata!.labels = { ...(obj.metadata!.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
}
