// Server-side apply and managedFields bookkeeping for the registry: what the store calls on every write and
// what the apply handler calls. The engine underneath is pure (no I/O, no Koa).
import type { ResourceInfo } from '../../scheme/index.js';
import type { KubeObject } from '../../storage/interface.js';
import { emptySet, insert, type FieldSet } from './fieldset.js';
import { typeForKind } from './schema.js';
import { applyObject, updateManagedFields, type ApplyOutcome } from './updater.js';

export { applyConflictError, conflictMessage } from './conflicts.js';
export { decodeFieldsV1, encodeFieldsV1, FieldsV1Error, type FieldsV1 } from './fieldsv1.js';
export { pathString, type FieldSet } from './fieldset.js';
export {
  decodeManagedFields,
  encodeManagedFields,
  fieldManagerProblems,
  managerFromRequest,
  FIELD_MANAGER_MAX_LENGTH,
  type ManagedFieldsEntry,
} from './managed.js';
export { typeForKind, type TypeNode } from './schema.js';
export { TypedError } from './typed.js';
export {
  applyObject,
  updateManagedFields,
  LAST_APPLIED_ANNOTATION,
  type ApplyContext,
  type ApplyOutcome,
  type Conflict,
  type WriteContext,
} from './updater.js';

const STATUS_ONLY = setOf(['f:status']);
const SPEC_ONLY = setOf(['f:spec']);

function setOf(...paths: string[][]): FieldSet {
  const s = emptySet();
  for (const p of paths) insert(s, p);
  return s;
}

/**
 * Kinds whose strategies reset more than that, per subresource ('' is the main resource): CSRs keep spec and status
 * from the stored object on the main resource, conditions through /status, the certificate through /approval
 * (pkg/registry/certificates/certificates/strategy.go GetResetFields).
 */
const KIND_RESET_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldSet>>>> = {
  'certificates.k8s.io/certificatesigningrequests': {
    '': setOf(['f:spec'], ['f:status']),
    status: setOf(['f:spec'], ['f:status', 'f:conditions']),
    approval: setOf(['f:spec'], ['f:status', 'f:certificate']),
  },
  // pkg/registry/networking/servicecidr/strategy.go keys its reset fields by "networking/v1", an apiVersion no
  // managed field entry carries, so kube resets nothing on either endpoint: a create owns the status it sent and a
  // /status write owns the spec fields it sent.
  'networking.k8s.io/servicecidrs': {},
};

/**
 * Fields a write through this endpoint cannot change and so never owns (the strategies' GetResetFields):
 * `status` on the main resource of kinds with a status subresource, `spec` through `/status`, or the kind's own.
 */
export function resetFieldsFor(
  info: Pick<ResourceInfo, 'hasStatus'> & Partial<Pick<ResourceInfo, 'group' | 'resource'>>,
  subresource: string | undefined,
): FieldSet | undefined {
  const own = KIND_RESET_FIELDS[`${info.group}/${info.resource}`];
  if (own) return own[subresource ?? ''];
  if (subresource === 'status') return SPEC_ONLY;
  if (!subresource && info.hasStatus) return STATUS_ONLY;
  return undefined;
}

/**
 * The store's hook for create, update and non-apply patch: records the write as an Update by `manager` in
 * obj.metadata.managedFields. Call it on the defaulted object before strategy preparation and admission,
 * with the stored object (undefined on create).
 */
export function trackUpdate(
  info: ResourceInfo,
  live: KubeObject | undefined,
  obj: KubeObject,
  opts: { manager: string; subresource?: string; now?: Date; createBaseline?: KubeObject },
): void {
  const subresource = opts.subresource || undefined;
  updateManagedFields(live, obj, {
    createBaseline: opts.createBaseline,
    type: typeForKind(info.group, info.version, info.kind),
    manager: opts.manager,
    apiVersion: info.groupVersion,
    subresource,
    ignored: resetFieldsFor(info, subresource),
    now: opts.now,
  });
}

/** Server-side apply of a decoded configuration onto the stored object (undefined: create). */
export function applyToObject(
  info: ResourceInfo,
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: { manager: string; force: boolean; subresource?: string; now?: Date },
): ApplyOutcome {
  const subresource = opts.subresource || undefined;
  return applyObject(live, applied, {
    type: typeForKind(info.group, info.version, info.kind),
    manager: opts.manager,
    apiVersion: info.groupVersion,
    subresource,
    force: opts.force,
    ignored: resetFieldsFor(info, subresource),
    now: opts.now,
  });
}
