// The two questions every layer asks of decoded JSON: is this a JSON object, and are two values equal. One answer
// each, so that the registry, the patch and apply engines and the schema checker cannot disagree.

/** A decoded JSON value, as encoding/json decodes into interface{}. */
export type JSONValue = null | boolean | number | string | JSONValue[] | JSONObject;
export type JSONObject = { [key: string]: JSONValue };

/** A JSON object: not null, not an array. A JSONValue narrows to a JSONObject, anything else to a record. */
export function isObject(v: JSONValue | undefined): v is JSONObject;
export function isObject(v: unknown): v is Record<string, unknown>;
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Structural equality of JSON values, as reflect.DeepEqual compares decoded unstructured objects: key order does
 * not matter, array order does. A member whose value is undefined counts as absent, as it is once serialized.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], other[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const leftKeys = Object.keys(left).filter((k) => left[k] !== undefined);
  const rightKeys = Object.keys(right).filter((k) => right[k] !== undefined);
  if (leftKeys.length !== rightKeys.length) return false;
  for (const k of leftKeys) if (!deepEqual(left[k], right[k])) return false;
  return true;
}

/** Go's encoding/json text of a value: it escapes <, > and & and the JS line separators; JSON.stringify does not. */
export function goJSONStringify(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
