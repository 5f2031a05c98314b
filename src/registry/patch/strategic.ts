// Strategic merge patch, server side (apimachinery strategicpatch.StrategicMergeMapPatch with "merge
// parallel lists" and "ignore unmatched nulls" on). Per-field behaviour (merge key, patch strategy) comes
// from an SMPSchema; the directives are $patch, $retainKeys, $deleteFromPrimitiveList/<f> and
// $setElementOrder/<f>.
import { deepEqual, isObject, type JSONObject, type JSONValue } from '../../apimachinery/objects.js';
import { goFormat } from './json.js';

/** What SMP needs to know about one field: the schema below it and its patch strategy. */
export interface SMPField {
  /** Schema of the value (for a list: of its items; for a map: of its values). */
  schema: SMPSchema;
  /** `x-kubernetes-patch-strategy` split on commas: merge, replace, retainKeys. */
  strategies: readonly string[];
  /** `x-kubernetes-patch-merge-key`, '' when none. */
  mergeKey: string;
}

/** The patch metadata of one struct or map type (apimachinery's LookupPatchMeta). */
export interface SMPSchema {
  /** A name for error messages. */
  readonly name: string;
  field(key: string): SMPField;
}

/** A schema that knows nothing: maps merge key by key, lists are replaced. */
export const UNTYPED_SCHEMA: SMPSchema = {
  name: 'untyped',
  field: () => UNTYPED_FIELD,
};
const UNTYPED_FIELD: SMPField = { schema: UNTYPED_SCHEMA, strategies: [], mergeKey: '' };

/**
 * How kube-apiserver reports a failure (interpretStrategicMergePatchError): format errors are 400, two
 * content errors are a 422 with a generic message, and everything else is an unmapped error (500).
 */
export type SMPErrorKind = 'BadRequest' | 'Invalid' | 'Internal';

export class StrategicMergePatchError extends Error {
  constructor(
    readonly kind: SMPErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'StrategicMergePatchError';
  }
}

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

const errBadPrimitiveList = () => new StrategicMergePatchError('BadRequest', 'invalid patch format of primitive list');
const errBadRetainKeys = () => new StrategicMergePatchError('BadRequest', 'invalid patch format of retainKeys');
const errBadSetElementOrder = () => new StrategicMergePatchError('BadRequest', 'invalid patch format of setElementOrder list');
const errNoListOfLists = () => new StrategicMergePatchError('Invalid', 'lists of lists are not supported');
const errNoMergeKey = (m: JSONObject, key: string) =>
  new StrategicMergePatchError('Internal', `map: ${goFormat(m)} does not contain declared merge key: ${key}`);
const errBadPatchType = (t: JSONValue, m: JSONObject) =>
  new StrategicMergePatchError('Internal', `unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);

/** Applies `patch` to a copy of `original` and returns the merged object. */
export function strategicMergePatch(original: JSONObject, patch: JSONObject, schema: SMPSchema): JSONObject {
  return mergeMap(structuredClone(original), structuredClone(patch), schema);
}

function mergeMap(original: JSONObject, patch: JSONObject, schema: SMPSchema): JSONObject {
  if (Object.prototype.hasOwnProperty.call(patch, DIRECTIVE)) return handleDirectiveInMap(patch[DIRECTIVE], patch);

  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, schema);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }

    if (patchV === null) {
      // Nulls delete; a null for a member the live object lacks is dropped.
      delete original[key];
      continue;
    }

    if (!Object.prototype.hasOwnProperty.call(original, key) || original[key] === null) {
      // A deletion list never creates the list.
      if (!isDeleteList) setOrDelete(original, key, removeDirectives(discardNulls(patchV)));
      continue;
    }

    const origV = original[key];
    if (typeOf(origV) !== typeOf(patchV)) {
      if (!isDeleteList) setOrDelete(original, key, removeDirectives(discardNulls(patchV)));
      continue;
    }

    if (isObject(origV) && isObject(patchV)) {
      const f = schema.field(key);
      original[key] = patchStrategyOf(f) === 'replace' ? patchV : mergeMap(origV, patchV, f.schema);
    } else if (Array.isArray(origV) && Array.isArray(patchV)) {
      const f = schema.field(key);
      original[key] = mergeSliceHandler(origV, patchV, f, isDeleteList);
    } else {
      original[key] = patchV;
    }
  }
  return original;
}

/** `$patch` inside a map: replace keeps only the patch's own keys, delete empties the map. */
function handleDirectiveInMap(directive: JSONValue, patch: JSONObject): JSONObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/** The strategy without retainKeys (extractRetainKeysPatchStrategy): merge, replace or ''. */
function patchStrategyOf(f: SMPField): string {
  const rest = f.strategies.filter((s) => s !== 'retainKeys');
  if (rest.length > 1) throw new StrategicMergePatchError('Internal', `unexpected patch strategy: ${f.strategies.join(',')}`);
  return rest[0] ?? '';
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw errBadPrimitiveList();
    throw errBadSetElementOrder();
  }
  return key.slice(slash + 1);
}

function setOrDelete(target: JSONObject, key: string, v: JSONValue | undefined): void {
  if (v === undefined) delete target[key];
  else target[key] = v;
}

function typeOf(v: JSONValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** $retainKeys: every non-null patch key must be listed; live keys not listed are dropped before merging. */
function applyRetainKeys(original: JSONObject, patch: JSONObject): void {
  if (!Object.prototype.hasOwnProperty.call(patch, RETAIN_KEYS)) return;
  const keep = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keep)) throw errBadRetainKeys();
  const listed = (k: string) => keep.some((x) => x === k);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!listed(k)) throw errBadRetainKeys();
  }
  for (const k of Object.keys(original)) if (!listed(k)) delete original[k];
}

/**
 * `$setElementOrder/<field>`: merges the field's patch list (if any) into the live list, then orders the
 * result by the order list, keeping server-only items at their live-relative place. Both keys leave the patch.
 */
function mergeOrderedLists(original: JSONObject, patch: JSONObject, schema: SMPSchema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    const field = extractKey(key, SET_ELEMENT_ORDER);
    const hasLive = Object.prototype.hasOwnProperty.call(original, field) && original[field] !== null;
    const hasPatch = Object.prototype.hasOwnProperty.call(patch, field);
    const live = hasLive ? original[field] : [];
    const patchList = hasPatch ? patch[field] : [];
    if (!Array.isArray(live) || !Array.isArray(patchList) || !Array.isArray(order)) throw errBadSetElementOrder();

    const f = schema.field(field);
    validatePatchAgainstOrder(patchList, order, f.mergeKey);
    delete patch[key];
    if (!hasLive && !hasPatch) continue;
    delete patch[field];

    let merged: JSONValue[];
    if (hasPatch && !hasLive) merged = patchList;
    else if (!hasPatch) merged = live;
    else merged = mergeSliceHandler(live, patchList, f, false);
    if (live.length === 0 && patchList.length === 0) {
      original[field] = merged;
      continue;
    }
    const kind = elementKind(live, patchList);
    const [patchItems, serverOnly] = partition(merged, order, f.mergeKey, kind);
    original[field] = normalizeElementOrder(patchItems, serverOnly, order, live, f.mergeKey, kind);
  }
}

/** The patch list's items (deletions and directives aside) must appear in the order list's relative order. */
function validatePatchAgainstOrder(patchList: JSONValue[], order: JSONValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey === '' ? patchList : patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete'));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isObject(item) && Object.prototype.hasOwnProperty.call(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameKey(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw new StrategicMergePatchError(
      'Internal',
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function sameKey(a: JSONValue, b: JSONValue, mergeKey: string): boolean {
  if (mergeKey === '') return deepEqual(a, b);
  if (!isObject(a) || !isObject(b)) return false;
  if (a[mergeKey] === undefined) throw errNoMergeKey(a, mergeKey);
  if (b[mergeKey] === undefined) throw errNoMergeKey(b, mergeKey);
  return deepEqual(a[mergeKey], b[mergeKey]);
}

/** Lists merge only with strategy merge (or as a deletion list); otherwise the patch list replaces. */
function mergeSliceHandler(original: JSONValue[], patch: JSONValue[], f: SMPField, isDeleteList: boolean): JSONValue[] {
  if (patchStrategyOf(f) === 'merge' || isDeleteList) return mergeSlice(original, patch, f, isDeleteList);
  return patch;
}

type ElementKind = 'map' | 'scalar';

function mergeSlice(original: JSONValue[], patch: JSONValue[], f: SMPField, isDeleteList: boolean): JSONValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  let merged: JSONValue[];
  let mergeKey = f.mergeKey;
  if (kind === 'scalar') {
    if (isDeleteList) return original.filter((v) => !patch.some((d) => d === v));
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.some((m) => m === v)) merged.push(v);
    mergeKey = '';
  } else {
    if (mergeKey === '') throw new StrategicMergePatchError('Internal', `cannot merge lists without merge key for ${f.schema.name}`);
    [original, patch] = applySpecialElements(original as JSONObject[], patch as JSONObject[], mergeKey);
    merged = mergeByKey(original as JSONObject[], patch as JSONObject[], mergeKey, f.schema);
  }
  const [patchItems, serverOnly] = partition(merged, patch, mergeKey, kind);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

/** All elements of both lists must share one JSON type, and lists of lists are not supported. */
function elementKind(...lists: JSONValue[][]): ElementKind {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = typeOf(v);
      if (prev === undefined) {
        if (t === 'array') throw errNoListOfLists();
        prev = t;
      } else if (prev !== t) {
        throw new StrategicMergePatchError('Internal', `list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  if (prev === undefined) throw new StrategicMergePatchError('Internal', 'no elements in any of the given slices');
  return prev === 'object' ? 'map' : 'scalar';
}

/** `$patch: delete` items remove every live item with their key; `$patch: replace` drops the live list. */
function applySpecialElements(original: JSONObject[], patch: JSONObject[], mergeKey: string): [JSONObject[], JSONObject[]] {
  const plain: JSONObject[] = [];
  let replace = false;
  for (const item of patch) {
    if (!Object.prototype.hasOwnProperty.call(item, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (item[mergeKey] === undefined) throw errNoMergeKey(item, mergeKey);
      original = original.filter((o) => !deepEqual(o[mergeKey], item[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new StrategicMergePatchError('Internal', 'merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, item);
    }
  }
  return replace ? [plain, []] : [original, plain];
}

/** Each patch item merges into the first live item with an equal key, or is appended. */
function mergeByKey(original: JSONObject[], patch: JSONObject[], mergeKey: string, schema: SMPSchema): JSONValue[] {
  const out: JSONValue[] = [...original];
  for (const item of patch) {
    if (item[mergeKey] === undefined) throw errNoMergeKey(item, mergeKey);
    const i = original.findIndex((o) => isObject(o) && deepEqual(o[mergeKey], item[mergeKey]));
    if (i >= 0) {
      const mergedItem = mergeMap(out[i] as JSONObject, item, schema);
      out[i] = mergedItem;
      original[i] = mergedItem;
    } else {
      out.push(item);
    }
  }
  return out;
}

/** Splits merged items into those the patch (or order list) names and those only the server has. */
function partition(merged: JSONValue[], named: JSONValue[], mergeKey: string, kind: ElementKind): [JSONValue[], JSONValue[]] {
  const inNamed = (v: JSONValue) => indexIn(named, v, mergeKey, kind) >= 0;
  return [merged.filter(inNamed), merged.filter((v) => !inNamed(v))];
}

function indexIn(list: JSONValue[], item: JSONValue, mergeKey: string, kind: ElementKind): number {
  if (kind === 'scalar' || mergeKey === '') return list.findIndex((v) => v === item || deepEqual(v, item));
  if (!isObject(item)) return -1;
  return list.findIndex((v) => isObject(v) && v[mergeKey] !== undefined && deepEqual(v[mergeKey], item[mergeKey]));
}

/**
 * Patch items keep the patch's (or order list's) order, server-only items their live order; then the two
 * runs interleave, a server-only item going first only if both sat in the live list in that order.
 */
function normalizeElementOrder(
  patchItems: JSONValue[],
  serverOnly: JSONValue[],
  patchOrder: JSONValue[],
  serverOrder: JSONValue[],
  mergeKey: string,
  kind: ElementKind,
): JSONValue[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: JSONValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function sortByOrder(items: JSONValue[], order: JSONValue[], mergeKey: string, kind: ElementKind): JSONValue[] {
  if (kind === 'map' && mergeKey !== '') {
    for (const v of [...items, ...order]) if (isObject(v) && v[mergeKey] === undefined) throw errNoMergeKey(v, mergeKey);
  }
  // Array.prototype.sort is stable; unknown items (-1) sort first, as Go's sort.Stable puts them.
  return items
    .map((v, n) => ({ v, n, at: indexIn(order, v, mergeKey, kind) }))
    .sort((a, b) => a.at - b.at || a.n - b.n)
    .map((e) => e.v);
}

/** Nulls inside a value being added are dropped (ignore-unmatched-nulls). */
function discardNulls(v: JSONValue): JSONValue {
  if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNulls(v[k]);
    }
  } else if (Array.isArray(v)) {
    for (const e of v) discardNulls(e);
  }
  return v;
}

/**
 * Directives have no meaning in a value that is added whole: a map carrying `$patch` disappears (undefined)
 * and list items carrying one are dropped.
 */
function removeDirectives(v: JSONValue): JSONValue | undefined {
  if (isObject(v)) {
    if (Object.prototype.hasOwnProperty.call(v, DIRECTIVE)) return undefined;
    for (const k of Object.keys(v)) {
      const r = removeDirectives(v[k]);
      if (r === undefined) delete v[k];
      else v[k] = r;
    }
    return v;
  }
  if (Array.isArray(v)) {
    const out: JSONValue[] = [];
    for (const e of v) {
      if (isObject(e) && Object.prototype.hasOwnProperty.call(e, DIRECTIVE)) continue;
      const r = removeDirectives(e);
      out.push(r === undefined ? null : r);
    }
    return out;
  }
  return v;
}
