// JSON Merge Patch (RFC 7386) as evanphx/json-patch v4 implements it for kube-apiserver: objects merge
// recursively, null deletes a member, arrays and scalars replace, and nulls inside newly added objects are
// pruned (nulls that are array elements stay).
import { isObject, type JSONObject, type JSONValue } from '../../apimachinery/objects.js';

/** Returns `doc` merged with `patch`; neither input is modified. A non-object patch replaces the document. */
export function applyMergePatch(doc: JSONValue, patch: JSONValue): JSONValue {
  if (!isObject(patch)) return structuredClone(patch);
  if (!isObject(doc)) return pruneNulls(structuredClone(patch));
  const out = structuredClone(doc);
  mergeInto(out, patch);
  return out;
}

function mergeInto(target: JSONObject, patch: JSONObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete target[k];
      continue;
    }
    const cur = target[k];
    if (cur === undefined || cur === null) {
      target[k] = pruneNulls(structuredClone(v));
    } else if (!isObject(cur)) {
      // The live value is not an object: the patch value replaces it, without its nulls.
      target[k] = pruneNulls(structuredClone(v));
    } else if (!isObject(v)) {
      target[k] = structuredClone(v);
    } else {
      mergeInto(cur, v);
    }
  }
}

/** Drops null members of objects at any depth; array elements themselves are kept. */
function pruneNulls(v: JSONValue): JSONValue {
  if (Array.isArray(v)) {
    for (const e of v) if (e !== null) pruneNulls(e);
  } else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else pruneNulls(v[k]);
    }
  }
  return v;
}
