// Go's rendering of decoded JSON values in the patch engines' error messages (JSON types and equality are
// src/apimachinery/objects.ts).

/** encoding/json's text for a value kept as parsed (key order as given), with its HTML-safe escapes. */
export function goJSONText(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Map keys in the order encoding/json writes a Go map: sorted bytewise (UTF-8), not by UTF-16 code units. */
export function goSortedKeys(o: object): string[] {
  return Object.keys(o).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

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
