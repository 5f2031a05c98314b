// JSON Merge Patch (RFC 7386) as evanphx/json-patch v4 implements it for kube-apiserver: objects merge
// recursively, null deletes a member, arrays and scalars replace, and nulls inside newly added objects are
// pruned (nulls that are array elements stay).
import { isObject, type JSONObject, type JSONValue } from '../../apimachinery/objects.js';
import { goJSONText, goSortedKeys } from './json.js';

/**
 * Returns `doc` merged with `patch`, decoded from the text the library writes (so its maps keep the library's key
 * order, which kube keeps in raw fields); neither input is modified. A non-object patch replaces the document.
 */
export function applyMergePatch(doc: JSONValue, patch: JSONValue): JSONValue {
  return JSON.parse(mergePatchText(doc, patch)) as JSONValue;
}

/**
 * The bytes MergePatch returns for `patch` applied to `doc` (kube quotes them when the result does not decode).
 * The library keeps each JSON value as raw text until it has to look inside it: the document and every object
 * the patch merges into are re-marshalled as Go maps (keys sorted), so are the objects of a value whose nulls it
 * prunes (a value added where the document had none, or had a non-object); everything else keeps its text.
 */
export function mergePatchText(doc: JSONValue, patch: JSONValue): string {
  if (!isObject(patch)) return pruned(patch);
  if (!isObject(doc)) return pruned(patch);
  return merged(doc, patch);
}

/** An object the patch merged into: its members and the patch's new ones, as a Go map. */
function merged(doc: JSONObject, patch: JSONObject): string {
  const out: Record<string, string> = {};
  for (const k of Object.keys(doc)) out[k] = goJSONText(doc[k]);
  for (const [k, v] of Object.entries(patch)) {
    const cur = doc[k];
    if (v === null) delete out[k];
    else if (cur === undefined || cur === null || !isObject(cur)) out[k] = pruned(v);
    else if (!isObject(v)) out[k] = goJSONText(v);
    else out[k] = merged(cur, v);
  }
  return `{${goSortedKeys(out)
    .map((k) => `${goJSONText(k)}:${out[k]}`)
    .join(',')}}`;
}

/** A value after pruneNulls: objects at any depth become Go maps without their null members. */
function pruned(v: JSONValue): string {
  if (Array.isArray(v)) return `[${v.map((e) => (e === null ? 'null' : pruned(e))).join(',')}]`;
  if (!isObject(v)) return goJSONText(v);
  return `{${goSortedKeys(v)
    .filter((k) => v[k] !== null)
    .map((k) => `${goJSONText(k)}:${pruned(v[k])}`)
    .join(',')}}`;
}
