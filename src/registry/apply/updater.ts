// Field ownership for writes (structured-merge-diff merge.Updater wrapped by kube's field manager chain):
// `applyObject` for server-side apply, `updateManagedFields` for every other write (Update operations).
import type { KubeObject } from '../../storage/interface.js';
import { difference, equalSets, intersection, isEmpty, paths, recursiveDifference, union, type FieldSet } from './fieldset.js';
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  identity,
  isResetManagedFields,
  stripServerFields,
  type ManagerEntry,
  type Managers,
} from './managed.js';
import type { TypeNode } from './schema.js';
import { deepEqual } from '../../apimachinery/objects.js';
import { formatTime } from '../../apimachinery/time.js';
import { compare, dropNulls, merge, prune, toFieldSet, type Comparison } from './typed.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** kubectl's server-side apply manager: the only one whose client-side apply history is honoured. */
export const KUBECTL_MANAGER = 'kubectl';
export const BEFORE_FIRST_APPLY = 'before-first-apply';
/** ObjectMeta's TotalAnnotationSizeLimitB. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export interface WriteContext {
  /** The schema of the object's kind (typeForKind). */
  type: TypeNode;
  manager: string;
  /** group/version of the request, e.g. `apps/v1`. */
  apiVersion: string;
  /** '' or undefined for the main resource. */
  subresource?: string;
  /** Fields this endpoint cannot change (the strategy's reset fields); never owned through it. */
  ignored?: FieldSet;
  now?: Date;
  /**
   * On create, what the new object is compared with: kube compares with the empty typed object, whose JSON already
   * has the fields Go always writes (`spec`, a value struct's members), so those are not "added" ("." in fieldsV1).
   */
  createBaseline?: KubeObject;
}

export interface ApplyContext extends WriteContext {
  force: boolean;
}

export interface Conflict {
  /** The conflicting manager's entry (its identity decides the message). */
  manager: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>;
  path: string[];
}

export type ApplyOutcome = { ok: true; object: KubeObject; changed: boolean } | { ok: false; conflicts: Conflict[] };

/** The object without metadata.managedFields: what field ownership is computed over. */
function content(obj: KubeObject | undefined): KubeObject | undefined {
  if (obj === undefined) return undefined;
  const meta = obj.metadata;
  if (!meta || typeof meta !== 'object' || !('managedFields' in meta)) return obj;
  const { managedFields: _mf, ...rest } = meta;
  return { ...obj, metadata: rest };
}

function filtered(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored) return c;
  return {
    added: recursiveDifference(c.added, ignored),
    modified: recursiveDifference(c.modified, ignored),
    removed: recursiveDifference(c.removed, ignored),
  };
}

function setManagedFields(obj: KubeObject, managers: Managers): void {
  const encoded = encodeManagedFields(managers);
  const meta = (obj.metadata ??= {});
  if (encoded.length > 0) meta.managedFields = encoded;
  else delete meta.managedFields;
}

/**
 * Records a non-apply write (create, update, JSON/merge/strategic patch) of `obj` over `live` as an Update
 * by `ctx.manager`, and sets obj.metadata.managedFields. Starting point: the request's own managedFields
 * when it carries a decodable non-empty list on the main resource, else the live object's. `[]` or `[{}]`
 * resets tracking; an update of an untracked object stays untracked. Never fails.
 */
export function updateManagedFields(live: KubeObject | undefined, obj: KubeObject, ctx: WriteContext): void {
  const meta = (obj.metadata ??= {});
  const subresource = ctx.subresource ?? '';
  const requested: unknown = meta.managedFields;
  if (subresource === '' && isResetManagedFields(requested)) {
    delete meta.managedFields;
    return;
  }
  let managers: Managers | undefined;
  if (subresource === '' && Array.isArray(requested) && requested.length > 0) managers = decodeManagedFields(requested);
  managers ??= decodeManagedFields(live?.metadata?.managedFields) ?? new Map();
  if (managers.size === 0 && live !== undefined) {
    // kube does not start tracking on an update of an object whose managedFields are empty.
    delete meta.managedFields;
    return;
  }
  const cmp = filtered(compare(content(live ?? ctx.createBaseline), content(obj), ctx.type), ctx.ignored);
  recordUpdate(managers, cmp, ctx);
  capUpdateManagers(managers);
  setManagedFields(obj, managers);
}

/** Update bookkeeping: the writer takes every added or modified path; removed paths leave everyone. */
function recordUpdate(managers: Managers, cmp: Comparison, ctx: WriteContext): void {
  const changed = union(cmp.added, cmp.modified);
  for (const [id, e] of managers) {
    const rest = difference(difference(e.set, changed), cmp.removed);
    if (isEmpty(rest)) managers.delete(id);
    else e.set = rest;
  }
  const taken = stripServerFields(changed);
  if (isEmpty(taken)) return;
  const entry: ManagerEntry = {
    manager: ctx.manager,
    operation: 'Update',
    apiVersion: ctx.apiVersion,
    subresource: ctx.subresource ?? '',
    time: formatTime(ctx.now ?? new Date()),
    set: taken,
  };
  const id = identity(entry);
  const previous = managers.get(id);
  if (previous) entry.set = union(previous.set, taken);
  managers.set(id, entry);
}

/**
 * Server-side apply of `applied` onto `live` (undefined: the apply creates the object). Returns the new
 * object with its managedFields, or the conflicts with other managers when `force` is off. Throws
 * TypedError when the configuration does not fit the schema.
 */
export function applyObject(live: KubeObject | undefined, applied: KubeObject, ctx: ApplyContext): ApplyOutcome {
  const liveContent = content(live);
  let managers = decodeManagedFields(live?.metadata?.managedFields) ?? new Map<string, ManagerEntry>();
  if (live !== undefined && managers.size === 0) {
    // An untracked object: what exists is first recorded as written by before-first-apply.
    const first = new Map<string, ManagerEntry>();
    recordUpdate(first, filtered(compare(undefined, liveContent, ctx.type), ctx.ignored), {
      ...ctx,
      manager: BEFORE_FIRST_APPLY,
      subresource: '',
    });
    managers = first;
  }
  let outcome = applyWith(liveContent, applied, managers, ctx, ctx.force);
  if (!outcome.ok && ctx.manager === KUBECTL_MANAGER && !ctx.force) {
    // kubectl upgrading from client-side apply: conflicts on fields whose live value still equals the
    // last-applied annotation are forgiven (lastappliedmanager.go).
    const allowed = allowedByLastApplied(liveContent, ctx);
    if (allowed) {
      const remaining = outcome.conflicts.filter((c) => !containsPath(allowed, c.path));
      if (remaining.length === 0) outcome = applyWith(liveContent, applied, managers, ctx, true);
      else outcome = { ok: false, conflicts: remaining };
    }
  }
  if (outcome.ok && ctx.manager === KUBECTL_MANAGER) syncLastApplied(liveContent, applied, outcome.object);
  return outcome;
}

function applyWith(
  liveContent: KubeObject | undefined,
  applied: KubeObject,
  source: Managers,
  ctx: ApplyContext,
  force: boolean,
): ApplyOutcome {
  const managers: Managers = new Map([...source].map(([id, e]) => [id, { ...e }]));
  const applierId = identity({ manager: ctx.manager, operation: 'Apply', apiVersion: ctx.apiVersion, subresource: ctx.subresource ?? '' });
  let configSet = toFieldSet(applied, ctx.type);
  if (ctx.ignored) configSet = recursiveDifference(configSet, ctx.ignored);
  const merged = merge(liveContent, applied, ctx.type) as KubeObject;

  const cmp = filtered(compare(liveContent, merged, ctx.type), ctx.ignored);
  const changed = union(cmp.added, cmp.modified);
  const conflicts: Conflict[] = [];
  const others = [...managers].filter(([id]) => id !== applierId).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, e] of others) {
    const clash = intersection(e.set, changed);
    const who = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, subresource: e.subresource };
    for (const path of paths(clash)) conflicts.push({ manager: who, path });
  }
  if (conflicts.length > 0 && !force) return { ok: false, conflicts };
  for (const [id, e] of others) {
    const rest = difference(difference(e.set, changed), cmp.removed);
    if (isEmpty(rest)) managers.delete(id);
    else e.set = rest;
  }

  const previous = managers.get(applierId);
  const lastSet = previous?.set;
  const owners = [configSet, ...[...managers].filter(([id]) => id !== applierId).map(([, e]) => e.set)];
  const pruned = lastSet && !isEmpty(lastSet) ? (prune(merged, ctx.type, lastSet, owners) as KubeObject) : merged;
  if (pruned !== merged) {
    const after = filtered(compare(liveContent, pruned, ctx.type), ctx.ignored);
    for (const [id, e] of managers) {
      if (id === applierId) continue;
      const rest = difference(e.set, after.removed);
      if (isEmpty(rest)) managers.delete(id);
      else e.set = rest;
    }
  }

  const object = structuredClone(dropNulls(pruned)) as KubeObject;
  const objectChanged = !deepEqual(liveContent ?? {}, object);
  const ownSet = stripServerFields(configSet);
  if (isEmpty(ownSet)) managers.delete(applierId);
  else {
    const setChanged = !previous || !equalSets(previous.set, ownSet) || previous.apiVersion !== ctx.apiVersion;
    managers.set(applierId, {
      manager: ctx.manager,
      operation: 'Apply',
      apiVersion: ctx.apiVersion,
      subresource: ctx.subresource ?? '',
      // A no-op apply keeps its time; kgate also stamps an entry that is new or whose set changed.
      time: objectChanged || setChanged ? formatTime(ctx.now ?? new Date()) : previous?.time,
      set: ownSet,
    });
  }
  setManagedFields(object, managers);
  return { ok: true, object, changed: objectChanged };
}

function containsPath(set: FieldSet, path: readonly string[]): boolean {
  let node: FieldSet | undefined = set;
  for (const el of path) {
    node = node?.children?.get(el);
    if (!node) return false;
  }
  return node.member;
}

/**
 * The fields a client-side apply history still accounts for: those in the last-applied annotation whose
 * live value still equals it. Undefined when there is no usable annotation for this apiVersion.
 */
function allowedByLastApplied(liveContent: KubeObject | undefined, ctx: ApplyContext): FieldSet | undefined {
  const text = liveContent?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== 'string' || text === '') return undefined;
  let lastApplied: KubeObject;
  try {
    lastApplied = JSON.parse(text) as KubeObject;
  } catch {
    return undefined;
  }
  if (lastApplied === null || typeof lastApplied !== 'object' || lastApplied.apiVersion !== ctx.apiVersion) return undefined;
  try {
    const set = toFieldSet(lastApplied, ctx.type);
    const cmp = compare(lastApplied, liveContent, ctx.type);
    return difference(difference(difference(set, cmp.modified), cmp.added), cmp.removed);
  } catch {
    return undefined;
  }
}

/**
 * After a kubectl server-side apply on an object that has a last-applied annotation, the annotation becomes
 * the applied configuration, so that going back to client-side apply works (lastappliedupdater.go).
 */
function syncLastApplied(liveContent: KubeObject | undefined, applied: KubeObject, object: KubeObject): void {
  const before = liveContent?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof before !== 'string' || before === '') return;
  const annotations: Record<string, string> = { ...(object.metadata?.annotations ?? {}) };
  const config = structuredClone(applied);
  if (config.metadata?.annotations) {
    delete config.metadata.annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(config.metadata.annotations).length === 0) delete config.metadata.annotations;
  }
  annotations[LAST_APPLIED_ANNOTATION] = JSON.stringify(config);
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) total += k.length + v.length;
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
  object.metadata = { ...object.metadata, annotations };
}
