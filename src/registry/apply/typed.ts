// Walkers over JSON objects guided by the apply schema, following structured-merge-diff's typed package:
// the field set an applied configuration names (ToFieldSet), the comparison of two objects (Compare), the
// merge of an applied configuration onto a live object (Merge) and the removal of fields nobody owns any
// more (the prune step of Updater.Apply).
import { deepEqual, isObject } from '../../apimachinery/objects.js';
import { canonicalKey } from './fieldsv1.js';
import { child, hasChildren, pathString, SetBuilder, type FieldSet } from './fieldset.js';
import { fieldType, UNTYPED, type ListType, type MapType, type TypeNode } from './schema.js';

type JsonObject = Record<string, unknown>;

/** A value the schema rejects (undeclared field, duplicate or keyless list item, wrong shape). */
export class TypedError extends Error {
  constructor(
    readonly path: readonly string[],
    readonly detail: string,
  ) {
    super(path.length > 0 ? `${pathString(path)}: ${detail}` : detail);
  }
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

interface ComparisonBuilder {
  added: SetBuilder;
  modified: SetBuilder;
  removed: SetBuilder;
}

type Shape = 'leaf' | 'map' | 'list';

function shapeOf(t: TypeNode, v: unknown): Shape | undefined {
  switch (t.kind) {
    case 'scalar':
      return 'leaf';
    case 'untyped':
      if (v === undefined) return undefined;
      return isObject(v) ? 'map' : 'leaf';
    case 'map':
      if (t.atomic) return 'leaf';
      return v === undefined || v === null || isObject(v) ? 'map' : 'leaf';
    case 'list':
      if (t.listType === 'atomic') return 'leaf';
      return v === undefined || v === null || Array.isArray(v) ? 'list' : 'leaf';
  }
}

/** How two values of one field are walked: as a leaf unless both sides agree on a granular shape. */
function combinedShape(t: TypeNode, l: unknown, r: unknown): Shape {
  const sl = shapeOf(t, l);
  const sr = shapeOf(t, r);
  if (sl === undefined) return sr ?? 'leaf';
  if (sr === undefined) return sl;
  return sl === sr ? sl : 'leaf';
}

// Field names repeat on every write of a kind; their path elements are made once, so the set's Map lookups hash
// a string whose hash is already known. Capped, as names inside maps (labels, data keys) are the clients' own.
const fieldElements = new Map<string, string>();
const FIELD_ELEMENT_CACHE_LIMIT = 10_000;

function fieldElement(key: string): string {
  let el = fieldElements.get(key);
  if (el === undefined) {
    el = `f:${key}`;
    if (fieldElements.size < FIELD_ELEMENT_CACHE_LIMIT) fieldElements.set(key, el);
  }
  return el;
}

function childType(t: TypeNode, key: string): TypeNode {
  return t.kind === 'map' ? (fieldType(t, key) ?? UNTYPED) : UNTYPED;
}

function isDeclaredField(t: TypeNode, key: string): boolean {
  return t.kind === 'map' && t.fields !== undefined && t.fields.has(key);
}

function emptyish(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

// ---- list item path elements ----

/**
 * The path element of a list item: `v:<json>` in a set, `k:{...}` in a map list (missing key fields take
 * their schema defaults). `strict` is for applied configurations: items the schema cannot key are errors;
 * live objects fall back to the index instead.
 */
export function listElement(t: ListType, item: unknown, index: number, path: readonly string[], strict: boolean): string {
  if (t.listType === 'set') {
    if (strict && (item === null || typeof item === 'object')) {
      throw new TypedError(
        [...path, `i:${index}`],
        'expected scalar, got ' + (Array.isArray(item) ? 'list' : item === null ? 'null' : 'map'),
      );
    }
    return `v:${JSON.stringify(item)}`;
  }
  if (t.listType === 'map') {
    if (!isObject(item)) {
      if (strict) throw new TypedError([...path, `i:${index}`], 'associative list with keys may not have non-map elements');
      return `i:${index}`;
    }
    const key: Record<string, unknown> = {};
    let found = 0;
    for (const k of t.keys) {
      const v = item[k] ?? t.keyDefaults[k];
      if (v === undefined || v === null) continue;
      if (typeof v === 'object') {
        if (strict) throw new TypedError([...path, `i:${index}`], `associative list key "${k}" must be a scalar`);
        return `i:${index}`;
      }
      key[k] = v;
      found++;
    }
    if (found === 0) {
      if (strict) {
        throw new TypedError(
          [...path, `i:${index}`],
          `associative list with keys has an element that omits all key fields ${JSON.stringify(t.keys)} (and doesn't have default values for any key fields)`,
        );
      }
      return `i:${index}`;
    }
    return `k:${canonicalKey(key)}`;
  }
  return `i:${index}`;
}

function elementsOf(t: ListType, list: readonly unknown[], path: readonly string[]): string[] {
  return list.map((item, i) => listElement(t, item, i, path, false));
}

// ---- ToFieldSet ----

/** The fields an applied configuration names (typed.TypedValue.ToFieldSet); throws TypedError on bad input. */
export function toFieldSet(value: unknown, t: TypeNode): FieldSet {
  const set = new SetBuilder();
  const path: string[] = [];
  fieldSetOf(value, t, path, set);
  return set.set;
}

function fieldSetOf(v: unknown, t: TypeNode, path: string[], set: SetBuilder): void {
  switch (t.kind) {
    case 'scalar':
      set.insert(path);
      return;
    case 'untyped':
      if (isObject(v)) return fieldSetOfMap(v, { kind: 'map', fields: undefined, value: UNTYPED, atomic: false }, path, set);
      set.insert(path);
      return;
    case 'map':
      if (t.atomic) {
        set.insert(path);
        return;
      }
      if (v === null || v === undefined) return;
      if (!isObject(v)) throw new TypedError(path, `expected map, got ${kindName(v)}`);
      return fieldSetOfMap(v, t, path, set);
    case 'list': {
      if (t.listType === 'atomic') {
        set.insert(path);
        return;
      }
      if (v === null || v === undefined) return;
      if (!Array.isArray(v)) throw new TypedError(path, `expected list, got ${kindName(v)}`);
      const seen = new Set<string>();
      v.forEach((item, i) => {
        const el = listElement(t, item, i, path, true);
        if (seen.has(el)) throw new TypedError(path, `duplicate entries for key ${pathString([el])}`);
        seen.add(el);
        path.push(el);
        fieldSetOf(item, t.item, path, set);
        set.insert(path);
        path.pop();
      });
      return;
    }
  }
}

function fieldSetOfMap(v: JsonObject, t: MapType, path: string[], set: SetBuilder): void {
  for (const [key, val] of Object.entries(v)) {
    const declared = t.fields?.get(key);
    const ct = declared ?? t.value;
    path.push(fieldElement(key));
    if (!ct) throw new TypedError(path, 'field not declared in schema');
    fieldSetOf(val, ct, path, set);
    if (val === null || (isObject(val) && Object.keys(val).length === 0) || !declared) set.insert(path);
    path.pop();
  }
}

function kindName(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return 'numeric';
  return typeof v;
}

// ---- Compare ----

/** Paths added, modified and removed going from `lhs` to `rhs` (typed.TypedValue.Compare). */
export function compare(lhs: unknown, rhs: unknown, t: TypeNode): Comparison {
  const c: ComparisonBuilder = { added: new SetBuilder(), modified: new SetBuilder(), removed: new SetBuilder() };
  compareInto(lhs, rhs, t, [], c);
  return { added: c.added.set, modified: c.modified.set, removed: c.removed.set };
}

function compareLeaf(l: unknown, r: unknown, path: string[], c: ComparisonBuilder): void {
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (!deepEqual(l, r)) c.modified.insert(path);
}

function compareInto(l: unknown, r: unknown, t: TypeNode, path: string[], c: ComparisonBuilder): void {
  if (l === undefined && r === undefined) return;
  const shape = combinedShape(t, l, r);
  if (shape === 'leaf' || (emptyish(l) && emptyish(r))) return compareLeaf(l, r, path, c);
  if (shape === 'map') {
    const lm = isObject(l) ? l : undefined;
    const rm = isObject(r) ? r : undefined;
    if (lm) {
      for (const key of Object.keys(lm)) {
        path.push(fieldElement(key));
        compareInto(lm[key], rm?.[key], childType(t, key), path, c);
        path.pop();
      }
    }
    if (rm) {
      for (const key of Object.keys(rm)) {
        if (lm && Object.prototype.hasOwnProperty.call(lm, key)) continue;
        path.push(fieldElement(key));
        compareInto(undefined, rm[key], childType(t, key), path, c);
        path.pop();
      }
    }
  } else {
    const lt = t as ListType;
    const la = Array.isArray(l) ? l : [];
    const ra = Array.isArray(r) ? r : [];
    const lEls = elementsOf(lt, la, path);
    const rEls = elementsOf(lt, ra, path);
    const rIndex = firstIndex(rEls);
    const lIndex = firstIndex(lEls);
    lEls.forEach((el, i) => {
      if (lIndex.get(el) !== i) return;
      const ri = rIndex.get(el);
      path.push(el);
      compareInto(la[i], ri === undefined ? undefined : ra[ri], lt.item, path, c);
      path.pop();
    });
    rEls.forEach((el, i) => {
      if (rIndex.get(el) !== i || lIndex.has(el)) return;
      path.push(el);
      compareInto(undefined, ra[i], lt.item, path, c);
      path.pop();
    });
  }
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

function firstIndex(els: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  els.forEach((el, i) => {
    if (!m.has(el)) m.set(el, i);
  });
  return m;
}

// ---- Merge ----

/**
 * The applied configuration merged onto the live object (typed.TypedValue.Merge): the applied value wins at
 * every leaf; granular maps merge per key and associative lists per item. Subtrees are shared, not copied.
 */
export function merge(lhs: unknown, rhs: unknown, t: TypeNode, path: string[] = []): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return rhs;
  const shape = combinedShape(t, lhs, rhs);
  if (shape === 'leaf' || (emptyish(lhs) && emptyish(rhs))) return rhs;
  if (shape === 'map') {
    const lm = isObject(lhs) ? lhs : {};
    const rm = isObject(rhs) ? rhs : {};
    const out: JsonObject = {};
    for (const key of Object.keys(lm)) {
      if (Object.prototype.hasOwnProperty.call(rm, key)) {
        path.push(fieldElement(key));
        out[key] = merge(lm[key], rm[key], childType(t, key), path);
        path.pop();
      } else out[key] = lm[key];
    }
    for (const key of Object.keys(rm)) if (!Object.prototype.hasOwnProperty.call(lm, key)) out[key] = rm[key];
    return out;
  }
  return mergeList(Array.isArray(lhs) ? lhs : [], Array.isArray(rhs) ? rhs : [], t as ListType, path);
}

/**
 * Items present on both sides come out in the applied order; live-only items keep their place relative to
 * the shared ones; new applied items go where the applied list has them (merge.go visitListItems).
 */
function mergeList(la: readonly unknown[], ra: readonly unknown[], t: ListType, path: string[]): unknown[] {
  const lEls = elementsOf(t, la, path);
  const rEls = elementsOf(t, ra, path);
  const lIndex = firstIndex(lEls);
  const rIndex = firstIndex(rEls);
  const shared = rEls.filter((el, i) => rIndex.get(el) === i && lIndex.has(el));
  let sharedPos = 0;
  let nextShared: string | undefined = shared[0];
  const advanceShared = (): void => {
    sharedPos++;
    nextShared = shared[sharedPos];
  };
  const emitted = new Set<string>();
  const out: unknown[] = [];
  const mergeItem = (el: string, l: unknown, r: unknown): unknown => {
    path.push(el);
    const v = t.listType === 'set' ? (r === undefined ? l : r) : merge(l, r, t.item, path);
    path.pop();
    return v;
  };
  let li = 0;
  let ri = 0;
  while (li < la.length || ri < ra.length) {
    if (li < la.length && ri < ra.length) {
      const le = lEls[li];
      if (le === rEls[ri]) {
        if (!emitted.has(le)) {
          emitted.add(le);
          out.push(mergeItem(le, la[lIndex.get(le)!], ra[rIndex.get(le)!]));
        }
        li++;
        ri++;
        if (nextShared === le) advanceShared();
        continue;
      }
      if (rIndex.has(le) && nextShared !== undefined && nextShared !== le) {
        li++;
        continue;
      }
    }
    if (li < la.length) {
      const le = lEls[li];
      if (!rIndex.has(le)) {
        out.push(la[li]);
        li++;
        continue;
      }
      if (emitted.has(le)) {
        li++;
        continue;
      }
    }
    if (ri < ra.length) {
      const re = rEls[ri];
      if (!emitted.has(re)) {
        emitted.add(re);
        const l = lIndex.has(re) ? la[lIndex.get(re)!] : undefined;
        out.push(mergeItem(re, l, ra[ri]));
      }
      ri++;
      if (nextShared === re) advanceShared();
    }
  }
  return out;
}

// ---- Prune ----

/** Top-level and metadata fields that are never removed by pruning: the server owns them. */
const NEVER_PRUNED_ROOT = new Set(['f:apiVersion', 'f:kind', 'f:metadata']);
const NEVER_PRUNED_META = new Set([
  'f:name',
  'f:namespace',
  'f:uid',
  'f:resourceVersion',
  'f:creationTimestamp',
  'f:generation',
  'f:managedFields',
  'f:selfLink',
  'f:deletionTimestamp',
  'f:deletionGracePeriodSeconds',
]);

/**
 * Removes what the applier applied last time (`last`), no longer applies, and nobody else owns (`owners`,
 * which includes the applier's new set): Updater.prune with addBackOwnedItems and addBackDanglingItems.
 * A declared struct field counts as owned when anything beneath it is (EnsureNamedFieldsAreMembers); a
 * removed field, map entry or list item goes with everything under it. Copies only what it changes.
 */
export function prune(value: unknown, t: TypeNode, last: FieldSet, owners: readonly FieldSet[]): unknown {
  return pruneInto(value, t, last, owners, 0, false);
}

function pruneInto(v: unknown, t: TypeNode, last: FieldSet, owners: readonly FieldSet[], depth: number, inMetadata: boolean): unknown {
  if (!hasChildren(last)) return v;
  const shape = shapeOf(t, v);
  if (shape === 'map' && isObject(v)) {
    let out: JsonObject | undefined;
    for (const [el, lastChild] of last.children!) {
      if (el[0] !== 'f') continue;
      const key = el.slice(2);
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
      const named = isDeclaredField(t, key);
      const childOwners = owners.map((o) => child(o, el)).filter((o): o is FieldSet => o !== undefined);
      const wasApplied = lastChild.member || (named && hasChildren(lastChild));
      const owned = childOwners.some((o) => o.member || (named && hasChildren(o)));
      const serverOwned = (depth === 0 && NEVER_PRUNED_ROOT.has(el)) || (inMetadata && NEVER_PRUNED_META.has(el));
      if (wasApplied && !owned && !serverOwned) {
        out ??= { ...v };
        delete out[key];
        continue;
      }
      const next = pruneInto(v[key], childType(t, key), lastChild, childOwners, depth + 1, depth === 0 && el === 'f:metadata');
      if (next !== v[key]) {
        out ??= { ...v };
        out[key] = next;
      }
    }
    return out ?? v;
  }
  if (shape === 'list' && Array.isArray(v) && t.kind === 'list') {
    const els = elementsOf(t, v, []);
    let changed = false;
    const out: unknown[] = [];
    v.forEach((item, i) => {
      const el = els[i];
      const lastChild = child(last, el);
      if (!lastChild) {
        out.push(item);
        return;
      }
      const childOwners = owners.map((o) => child(o, el)).filter((o): o is FieldSet => o !== undefined);
      if (lastChild.member && !childOwners.some((o) => o.member)) {
        changed = true;
        return;
      }
      const next = pruneInto(item, t.item, lastChild, childOwners, depth + 1, false);
      if (next !== item) changed = true;
      out.push(next);
    });
    return changed ? out : v;
  }
  return v;
}

/** Nulls in maps are dropped, as decoding the merged object into its Go type does. */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((item, i) => {
      const n = dropNulls(item);
      if (n !== item) (out ??= [...v])[i] = n;
    });
    return out ?? v;
  }
  if (!isObject(v)) return v;
  let out: JsonObject | undefined;
  for (const [k, item] of Object.entries(v)) {
    if (item === null) {
      out ??= { ...v };
      delete out[k];
      continue;
    }
    const n = dropNulls(item);
    if (n !== item) (out ??= { ...v })[k] = n;
  }
  return out ?? v;
}
