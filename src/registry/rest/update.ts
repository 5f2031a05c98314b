// The steps before an update is written, in kube-apiserver's order (k8s.io/apiserver/pkg/registry/rest/update.go
// BeforeUpdate). Pure: optimistic concurrency, admission and storage stay with the store.
import { invalid, notFound, type FieldError, type GroupResource } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { mergeSchemaErrors, validateObjectMeta, validateObjectMetaUpdate } from '../../apimachinery/validation.js';
import type { ResourceInfo } from '../../scheme/index.js';
import type { Strategy } from '../strategy.js';

export interface UpdateContext {
  info: ResourceInfo;
  gr: GroupResource;
  strategy: Strategy;
  namespace: string;
  /** '' for the main resource, else `status`, `scale`, `finalize`, ... */
  subresource: string;
  /** Required-field and enum errors the schema check found: part of the kind's own validation. */
  schemaErrors?: FieldError[];
  /** managedFields were computed for this write, so an emptied list is a deliberate reset. */
  managedFieldsTracked: boolean;
}

/**
 * Prepares `obj` (the new state) against `old` (the stored state) and validates it, in place:
 * 1. the namespace from the request;
 * 2. the kind's preparation for the subresource written (status keeps everything but status, scale and the main
 *    resource keep status and bump generation, other subresources their own rule; none: 404);
 * 3. system metadata carried over from the stored object (uid when empty, creationTimestamp, deletionTimestamp
 *    and grace period, generateName, managedFields when the writer did not compute them);
 * 4. kube's validateCommonFields (ObjectMeta with path-segment names, then the ObjectMeta update rules), then the
 *    schema's required/enum errors and the kind's update rules (or its subresource's), in one 422. Kinds whose
 *    ValidateXUpdate repeats ObjectMeta checks repeat them too, so a bad label is reported as often as kube does.
 */
export function beforeUpdate(ctx: UpdateContext, obj: KubeObject, old: KubeObject): void {
  const meta = (obj.metadata ??= {});
  if (ctx.info.namespaced) meta.namespace = ctx.namespace;
  else delete meta.namespace;

  if (ctx.subresource === 'status') ctx.strategy.prepareForStatusUpdate(obj, old);
  else if (ctx.subresource === '' || ctx.subresource === 'scale') ctx.strategy.prepareForUpdate(obj, old);
  else if (ctx.strategy.prepareForSubresourceUpdate) ctx.strategy.prepareForSubresourceUpdate(ctx.subresource, obj, old);
  else throw notFound(ctx.gr, meta.name ?? '');

  const m = obj.metadata!;
  const oldMeta = old.metadata ?? {};
  m.creationTimestamp = oldMeta.creationTimestamp;
  if (!m.uid) m.uid = oldMeta.uid;
  if (oldMeta.deletionTimestamp) m.deletionTimestamp = oldMeta.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (oldMeta.generateName !== undefined && m.generateName === undefined) m.generateName = oldMeta.generateName;
  delete m.selfLink;
  if (!ctx.managedFieldsTracked && m.managedFields === undefined && oldMeta.managedFields !== undefined)
    m.managedFields = oldMeta.managedFields;

  const kindErrors =
    ctx.subresource === '' || ctx.subresource === 'scale'
      ? ctx.strategy.validateUpdate(obj, old)
      : ctx.strategy.validateSubresourceUpdate(ctx.subresource, obj, old);
  const errors = [
    ...validateObjectMeta(m, { namespaced: ctx.info.namespaced, nameValidation: 'path-segment' }),
    ...validateObjectMetaUpdate(m, oldMeta),
    ...mergeSchemaErrors(ctx.strategy.replacesSchemaChecks ? undefined : ctx.schemaErrors, kindErrors),
  ];
  if (errors.length > 0) throw invalid(ctx.strategy.errorGroup ?? ctx.info.group, ctx.info.kind, m.name ?? '', errors);
}
