// metadata.managedFields as a table of managers (k8s.io/apimachinery/pkg/util/managedfields/internal):
// decoding and encoding entries, manager identity, the metadata fields nobody owns, the cap on Update
// entries, and the manager name a request writes under.
import { decodeFieldsV1, encodeFieldsV1, type FieldsV1 } from './fieldsv1.js';
import { difference, emptySet, insert, isEmpty, union, type FieldSet } from './fieldset.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  /** '' for the main resource. */
  subresource: string;
  /** RFC3339, second precision; undefined when the entry has none. */
  time: string | undefined;
  set: FieldSet;
}

/** The stored form, fields in metav1.ManagedFieldsEntry's order. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: Operation;
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: FieldsV1;
  subresource?: string;
}

/** Managers keyed by identity. */
export type Managers = Map<string, ManagerEntry>;

/**
 * An entry's identity (BuildManagerIdentifier): manager, operation, subresource and, for Update entries
 * only, apiVersion, as the JSON kube keys them by, so that sorting identities sorts like kube.
 */
export function identity(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (e.operation === 'Update' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

export const FIELD_MANAGER_MAX_LENGTH = 128;

/**
 * Decodes stored or requested managedFields. Returns undefined for a list kube would not decode (wrong
 * operation or fieldsType, malformed fieldsV1); entries with the same identity are merged.
 */
export function decodeManagedFields(list: unknown): Managers | undefined {
  if (list === undefined || list === null) return new Map();
  if (!Array.isArray(list)) return undefined;
  const out: Managers = new Map();
  for (const raw of list) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
    const e = raw as Record<string, unknown>;
    if (e.operation !== 'Apply' && e.operation !== 'Update') return undefined;
    if (e.fieldsType !== undefined && e.fieldsType !== '' && e.fieldsType !== 'FieldsV1') return undefined;
    let set: FieldSet;
    try {
      set = e.fieldsV1 === undefined || e.fieldsV1 === null ? emptySet() : decodeFieldsV1(e.fieldsV1);
    } catch {
      return undefined;
    }
    const entry: ManagerEntry = {
      manager: typeof e.manager === 'string' ? e.manager : '',
      operation: e.operation,
      apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '',
      subresource: typeof e.subresource === 'string' ? e.subresource : '',
      time: typeof e.time === 'string' ? e.time : undefined,
      set,
    };
    const id = identity(entry);
    const prev = out.get(id);
    if (prev) {
      prev.set = union(prev.set, entry.set);
      if (entry.time !== undefined && (prev.time === undefined || entry.time > prev.time)) prev.time = entry.time;
    } else out.set(id, entry);
  }
  return out;
}

/** managedFields for the object, sorted as kube sorts them (operation, time, manager, apiVersion, subresource). */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const entries = [...managers.values()].filter((e) => !isEmpty(e.set));
  entries.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    const pt = seconds(p.time);
    const qt = seconds(q.time);
    if (pt !== qt) return pt - qt;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    return p.subresource < q.subresource ? -1 : p.subresource > q.subresource ? 1 : 0;
  });
  return entries.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time !== undefined) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = encodeFieldsV1(e.set);
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

function seconds(time: string | undefined): number {
  if (time === undefined) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** A request object's managedFields of `[]` or `[{}]` resets tracking (fieldmanager.go isResetManagedFields). */
export function isResetManagedFields(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  if (list.length === 0) return true;
  return list.length === 1 && list[0] !== null && typeof list[0] === 'object' && Object.keys(list[0] as object).length === 0;
}

/** Fields no manager ever owns (stripmeta.go). */
export const STRIPPED_FIELDS: FieldSet = (() => {
  const s = emptySet();
  insert(s, ['f:apiVersion']);
  insert(s, ['f:kind']);
  insert(s, ['f:metadata']);
  for (const f of [
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
  ]) {
    insert(s, ['f:metadata', `f:${f}`]);
  }
  return s;
})();

export function stripServerFields(set: FieldSet): FieldSet {
  return difference(set, STRIPPED_FIELDS);
}

export const DEFAULT_MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Folds the oldest Update entries into one `ancient-changes` entry per apiVersion until at most `max`
 * Update entries remain (capmanagers.go). Apply entries are never folded.
 */
export function capUpdateManagers(managers: Managers, max = DEFAULT_MAX_UPDATE_MANAGERS): void {
  const updaters = [...managers.entries()].filter(([, e]) => e.operation === 'Update').map(([id]) => id);
  if (updaters.length <= max) return;
  updaters.sort((a, b) => {
    const ta = seconds(managers.get(a)!.time);
    const tb = seconds(managers.get(b)!.time);
    if (ta !== tb) return ta - tb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const bucketsSeen = new Set<string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i];
    const e = managers.get(id);
    if (!e) continue;
    const bucket: ManagerEntry = {
      manager: ANCIENT_CHANGES,
      operation: 'Update',
      apiVersion: e.apiVersion,
      subresource: '',
      time: e.time,
      set: e.set,
    };
    const bucketId = identity(bucket);
    const prev = managers.get(bucketId);
    managers.delete(id);
    length--;
    if (prev && bucketId !== id) bucket.set = union(e.set, prev.set);
    managers.set(bucketId, bucket);
    // The bucket counts toward the cap the first time a version gets one (unless it already existed).
    if (!bucketsSeen.has(e.apiVersion)) {
      bucketsSeen.add(e.apiVersion);
      if (!prev || bucketId === id) length++;
    }
  }
}

/**
 * The manager of a non-apply write: the fieldManager parameter, else the User-Agent up to its first '/',
 * without non-printable characters and cut to 128 bytes, else "unknown" (managerOrUserAgent,
 * prefixFromUserAgent, buildmanagerinfo.go).
 */
export function managerFromRequest(fieldManager: string | null | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const prefix = (userAgent ?? '').split('/')[0];
  let out = '';
  let bytes = 0;
  for (const ch of prefix) {
    if (!isPrintable(ch)) continue;
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += size;
  }
  return out === '' ? 'unknown' : out;
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintable(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

/** ValidateFieldManager's errors, as [field error detail, reason] pairs, for PatchOptions and friends. */
export function fieldManagerProblems(manager: string): { type: 'FieldValueTooLong' | 'FieldValueInvalid'; detail: string }[] {
  const out: { type: 'FieldValueTooLong' | 'FieldValueInvalid'; detail: string }[] = [];
  if (Buffer.byteLength(manager, 'utf8') > FIELD_MANAGER_MAX_LENGTH) {
    out.push({ type: 'FieldValueTooLong', detail: `may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes` });
  }
  let pos = 0;
  for (const ch of manager) {
    if (!isPrintable(ch)) {
      const cp = ch.codePointAt(0)!;
      out.push({
        type: 'FieldValueInvalid',
        detail: `invalid character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (at position ${pos})`,
      });
      break;
    }
    pos++;
  }
  return out;
}
