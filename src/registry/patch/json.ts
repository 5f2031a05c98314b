// Go's rendering of decoded JSON values in the patch engines' error messages (JSON types and equality are
// src/apimachinery/objects.ts).

/**
 * A value printed the way Go's `%v` prints a decoded JSON value (`map[a:1 b:[x y]]`), which is how
 * apimachinery's patch errors show maps and lists. Map keys are sorted, as Go's fmt sorts them.
 */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goFormat(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** The Go type name encoding/json reports when a JSON value cannot be decoded into a target. */
export function goJSONKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}
