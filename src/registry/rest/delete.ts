// The decision before a delete (k8s.io/apiserver/pkg/registry/rest/delete.go BeforeDelete, with the store's
// finalizer handling from store.go updateForGracefulDeletionAndFinalizers). Pure: the caller reads the current
// object, runs admission, and then removes or marks it with a revision-checked write.
import { conflict } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import type { ResourceInfo } from '../../scheme/index.js';
import type { Strategy } from '../strategy.js';

export interface DeletePreconditions {
  uid?: string;
  resourceVersion?: string;
}

export interface DeleteContext {
  info: ResourceInfo;
  strategy: Strategy;
  preconditions?: DeletePreconditions;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** metav1.Time to mark with. */
  now: string;
}

export type DeleteDecision =
  /** Remove the object now. */
  | { action: 'delete' }
  /** Store `object`: marked with deletionTimestamp and finalizers; it goes when they are removed. */
  | { action: 'mark'; object: KubeObject }
  /** Already marked exactly so: nothing to write. */
  | { action: 'pending' };

/** Whether the preconditions hold for `current` (the store re-reads a possibly stale object before failing). */
export function preconditionsHold(pre: DeletePreconditions | undefined, current: KubeObject): boolean {
  const meta = current.metadata ?? {};
  return !((pre?.uid && pre.uid !== meta.uid) || (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion));
}

/**
 * Checks the preconditions (409 with BeforeDelete's texts, naming the kind), then decides between removing the
 * object and marking it: objects with finalizers, or a Foreground/Orphan policy that adds one, are marked
 * (deletionTimestamp, grace period 0) unless the kind deletes otherwise.
 */
export function beforeDelete(ctx: DeleteContext, current: KubeObject): DeleteDecision {
  const meta = current.metadata ?? {};
  const pre = ctx.preconditions;
  // BeforeDelete names the kind, not the resource: `Operation cannot be fulfilled on ConfigMap "x": ...`.
  const byKind = { group: ctx.info.group, resource: ctx.info.kind };
  if (pre?.uid && pre.uid !== meta.uid) {
    throw conflict(
      byKind,
      meta.name ?? '',
      `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid ?? ''}). The object might have been deleted and then recreated`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
    throw conflict(
      byKind,
      meta.name ?? '',
      `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion ?? ''}). The object might have been modified`,
    );
  }

  const finalizers: string[] = [...(meta.finalizers ?? [])];
  if (ctx.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
  if (ctx.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
  if (!ctx.strategy.deletesGracefully(current, finalizers)) return { action: 'delete' };
  if (meta.deletionTimestamp && sameList(finalizers, meta.finalizers ?? [])) return { action: 'pending' };

  const marked = structuredClone(current);
  const m = marked.metadata!;
  m.deletionTimestamp ??= ctx.now;
  m.deletionGracePeriodSeconds ??= 0;
  if (finalizers.length > 0) m.finalizers = finalizers;
  ctx.strategy.prepareForGracefulDeletion?.(marked);
  return { action: 'mark', object: marked };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
