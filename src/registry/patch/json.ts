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
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goFormat(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

/**
 * Go's encoding/json message for a body that is not valid JSON, for the cases clients hit (a stray
 * leading character, an empty or truncated body); other syntax errors keep JavaScript's wording.
 */
export function goJSONSyntaxError(text: string, jsError: unknown): string {
  const trimmed = text.trimStart();
  if (trimmed === '') return 'unexpected end of JSON input';
  const first = trimmed[0];
  if (!'{["-0123456789tfn'.includes(first)) return `invalid character '${first}' looking for beginning of value`;
  const detail = jsError instanceof Error ? jsError.message : String(jsError);
  if (/end of JSON input|Unexpected end/i.test(detail)) return 'unexpected end of JSON input';
  return detail;
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
