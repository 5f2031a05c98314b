// The FieldsV1 wire format of managedFields (metav1.FieldsV1, structured-merge-diff fieldpath/serialize.go):
// a JSON object keyed by path elements; `{}` for a member without children; `".": {}` when a node is a
// member and has children. Keys come out in structured-merge-diff's order.
import { emptySet, sortedElements, type FieldSet } from './fieldset.js';

export type FieldsV1 = { [element: string]: FieldsV1 };

const ELEMENT = /^[fkvi]:/;

export class FieldsV1Error extends Error {}

export function encodeFieldsV1(set: FieldSet): FieldsV1 {
  return encodeChildren(set, {});
}

function encodeChildren(set: FieldSet, out: FieldsV1): FieldsV1 {
  for (const el of sortedElements(set)) {
    const c = set.children!.get(el)!;
    const hasKids = c.children !== undefined && c.children.size > 0;
    if (!c.member && !hasKids) continue;
    if (!hasKids) {
      out[el] = {};
      continue;
    }
    out[el] = encodeChildren(c, c.member ? { '.': {} } : {});
  }
  return out;
}

/** Decodes a FieldsV1 object; throws FieldsV1Error on a malformed one (kube then ignores the whole list). */
export function decodeFieldsV1(value: unknown): FieldSet {
  const root = emptySet();
  decodeInto(root, value, true);
  return root;
}

function decodeInto(node: FieldSet, value: unknown, isRoot: boolean): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FieldsV1Error('expected an object');
  const entries = Object.entries(value as Record<string, unknown>);
  if (!isRoot && entries.length === 0) {
    node.member = true;
    return;
  }
  for (const [key, sub] of entries) {
    if (key === '.') {
      if (isRoot) throw new FieldsV1Error('"." at the root');
      node.member = true;
      continue;
    }
    if (!ELEMENT.test(key)) throw new FieldsV1Error(`unknown path element ${JSON.stringify(key)}`);
    const child = emptySet();
    decodeInto(child, sub, false);
    (node.children ??= new Map()).set(canonicalElement(key), child);
  }
}

// Stored managedFields are decoded on every write and their keys repeat: canonical forms are memoized.
const canonical = new Map<string, string>();
const CANONICAL_CACHE_LIMIT = 10_000;

/** `k:` and `v:` elements are re-serialized so that equal keys written differently compare equal. */
function canonicalElement(key: string): string {
  if (key[0] !== 'k' && key[0] !== 'v') return key;
  const hit = canonical.get(key);
  if (hit !== undefined) return hit;
  let value: unknown;
  try {
    value = JSON.parse(key.slice(2));
  } catch {
    throw new FieldsV1Error(`bad path element ${JSON.stringify(key)}`);
  }
  let out: string;
  if (key[0] === 'k') {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new FieldsV1Error(`bad path element ${JSON.stringify(key)}`);
    out = `k:${canonicalKey(value as Record<string, unknown>)}`;
  } else out = `v:${JSON.stringify(value)}`;
  if (canonical.size >= CANONICAL_CACHE_LIMIT) canonical.clear();
  canonical.set(key, out);
  return out;
}

/** The `k:` form of an associative-list key: fields sorted by name, compact JSON. */
export function canonicalKey(key: Record<string, unknown>): string {
  const names = Object.keys(key);
  if (names.length > 1) names.sort();
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    if (i > 0) out += ',';
    out += `${JSON.stringify(names[i])}:${JSON.stringify(key[names[i]])}`;
  }
  return `${out}}`;
}
