// JSON produced once per object: objects served from the watch cache are shared and never mutated, so the
// text of one revision is computed on first use and reused by every get, list and watch event that sends it.

const memo = new WeakMap<object, string>();

export function objectJSON(obj: object): string {
  let json = memo.get(obj);
  if (json === undefined) {
    json = JSON.stringify(obj);
    memo.set(obj, json);
  }
  return json;
}

/**
 * An item of a typed list carries no apiVersion/kind (only the list does). Stored objects begin with them,
 * so the item text is the object's text with that head cut off — no second serialization.
 */
export function listItemJSON(obj: Record<string, unknown>, apiVersion: string, kind: string): string {
  const full = objectJSON(obj);
  const head = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(kind)}`;
  if (full.startsWith(head)) {
    const rest = full.slice(head.length);
    if (rest.startsWith(',')) return `{${rest.slice(1)}`;
    if (rest === '}') return '{}';
  }
  const { apiVersion: _a, kind: _k, ...item } = obj;
  return JSON.stringify(item);
}

/** `{"kind":...,"apiVersion":...,"metadata":...,"items":[...]}` assembled from the items' texts. */
export function listJSON(kind: string, apiVersion: string, metadata: object, items: Array<Record<string, unknown>>, itemApiVersion: string, itemKind: string): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = listItemJSON(items[i], itemApiVersion, itemKind);
  return `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(metadata)},"items":[${parts.join(',')}]}`;
}

/** One line of a JSON watch stream. */
export function watchEventJSON(type: string, obj: object): string {
  return `{"type":"${type}","object":${objectJSON(obj)}}\n`;
}
