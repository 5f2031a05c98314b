// Checks a decoded JSON body against a generated kind schema the way kube-apiserver's decoder and its simplest
// validation do: unknown fields are reported and dropped (the caller decides Warn vs Strict), JSON null means
// "absent" (Go decodes null to the zero value), type mismatches are Go json decode errors (400), and missing
// required fields / unsupported enum values are field errors (422).
import type { z } from 'zod';
import type { FieldError } from '../apimachinery/errors.js';
import { isObject } from '../apimachinery/objects.js';
import { schemaInfo } from '../generated/definitions.js';

export interface SchemaValidationResult {
  /** A copy of the input without nulls and unknown fields; safe to mutate. */
  object: Record<string, unknown>;
  /** Kube field paths of unknown fields, in document order: `spec.foo`, `spec.containers[0].bogus`. */
  unknownFields: string[];
  /** Required and enum errors (422 Invalid). */
  errors: FieldError[];
  /**
   * Go json decode errors in document order, e.g. `json: cannot unmarshal string into Go struct field …` (400); only
   * the first fatal one when an UnmarshalJSON method failed. Go's decoder reports the first of them.
   */
  typeErrors: string[];
}

type PathSegment = string | number;

export function validateAgainstSchema(schema: z.ZodType, obj: unknown): SchemaValidationResult {
  if (!isObject(obj)) {
    return { object: {}, unknownFields: [], errors: [], typeErrors: [decodeErrorFor(schema, [], obj).message] };
  }
  const object = withoutNulls(obj);
  const parsed = schema.safeParse(object);
  if (parsed.success) return { object, unknownFields: [], errors: [], typeErrors: [] };

  const unknown: PathSegment[][] = [];
  const typed: { path: PathSegment[]; message: string; fatal: boolean }[] = [];
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path as PathSegment[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) unknown.push([...path, key]);
      continue;
    }
    const value = valueAt(object, path);
    if (value === null) continue; // a null array element decodes to the zero value
    if (value === undefined) {
      errors.push({ type: 'FieldValueRequired', field: fieldPath(schema, path), detail: '' });
    } else if (issue.code === 'invalid_value' && typeof value === 'string' && isEnum(schema, path)) {
      errors.push({ type: 'FieldValueNotSupported', field: fieldPath(schema, path), value, detail: issue.message });
    } else {
      typed.push({ path, ...decodeErrorFor(schema, path, value) });
    }
  }

  unknown.sort((a, b) => compareDocumentOrder(object, a, b));
  const unknownFields = unknown.map((p) => fieldPath(schema, p));
  for (const p of unknown) removeAt(object, p);
  typed.sort((a, b) => compareDocumentOrder(object, a.path, b.path));
  // The first error an UnmarshalJSON method returns ends decoding and is the only one reported, whatever type
  // mismatches were saved before it.
  const fatal = typed.find((t) => t.fatal);
  return { object, unknownFields, errors, typeErrors: fatal ? [fatal.message] : typed.map((t) => t.message) };
}

/** Deep copy that drops object members whose value is null; array elements are kept as they are. */
function withoutNulls(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in obj) {
    const v = obj[key];
    if (v === null) continue;
    out[key] = typeof v === 'object' ? copyValue(v) : v;
  }
  return out;
}

function copyValue(v: object): unknown {
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      out[i] = typeof e === 'object' && e !== null ? copyValue(e) : e;
    }
    return out;
  }
  return withoutNulls(v as Record<string, unknown>);
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg as PropertyKey];
  }
  return cur;
}

function removeAt(root: Record<string, unknown>, path: readonly PathSegment[]): void {
  const parent = valueAt(root, path.slice(0, -1));
  if (isObject(parent)) delete parent[String(path[path.length - 1])];
}

function isEnum(root: z.ZodType, path: readonly PathSegment[]): boolean {
  const at = schemaAt(root, path);
  return at.leaf !== undefined && at.leaf._zod.def.type === 'enum' && schemaInfo.get(at.leaf) !== undefined;
}

/** Kube's field.Path rendering: `.name` for struct fields, `[i]` for indexes, `[key]` for map keys. */
function fieldPath(root: z.ZodType, path: readonly PathSegment[]): string {
  const kinds = schemaAt(root, path).segmentKinds;
  let out = '';
  path.forEach((seg, i) => {
    if (kinds[i] === 'field') out += out === '' ? String(seg) : `.${String(seg)}`;
    else out += `[${String(seg)}]`;
  });
  return out;
}

/** Go reports the first decode error in the order it reads the document; keys keep their JSON order here. */
function compareDocumentOrder(root: unknown, a: readonly PathSegment[], b: readonly PathSegment[]): number {
  let cur: unknown = root;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return position(cur, a[i]) - position(cur, b[i]);
    cur = valueAt(cur, [a[i]]);
  }
  return a.length - b.length;
}

function position(container: unknown, seg: PathSegment): number {
  if (typeof seg === 'number') return seg;
  if (!isObject(container)) return 0;
  const index = Object.keys(container).indexOf(String(seg));
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

// ---- walking a schema along an issue path ----

type SegmentKind = 'field' | 'index' | 'key';

interface SchemaPosition {
  /** The schema at the end of the path, undefined past an unknown field. */
  leaf: z.ZodType | undefined;
  segmentKinds: SegmentKind[];
  /** Go's errorContext.FieldStack: the JSON names of the struct fields on the way (no indexes, no map keys). */
  structFields: string[];
  /** The Go type of the struct holding the last struct field, e.g. `v1.PodSpec`. */
  struct: string | undefined;
}

interface ZodDefView {
  type: string;
  innerType?: z.ZodType;
  getter?: () => z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  format?: string;
}

function defOf(s: z.ZodType): ZodDefView {
  return s._zod.def as unknown as ZodDefView;
}

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const def = defOf(s);
    if (def.innerType !== undefined && (def.type === 'optional' || def.type === 'nullable' || def.type === 'default')) s = def.innerType;
    else if (def.type === 'lazy' && def.getter !== undefined) s = def.getter();
    else return s;
  }
}

function schemaAt(root: z.ZodType, path: readonly PathSegment[]): SchemaPosition {
  const segmentKinds: SegmentKind[] = [];
  const structFields: string[] = [];
  let struct: string | undefined;
  let cur: z.ZodType | undefined = unwrap(root);
  for (const seg of path) {
    if (cur === undefined) {
      segmentKinds.push(typeof seg === 'number' ? 'index' : 'field');
      continue;
    }
    const def = defOf(cur);
    let next: z.ZodType | undefined;
    if (def.type === 'object') {
      segmentKinds.push('field');
      structFields.push(String(seg));
      struct = schemaInfo.get(cur)?.goType;
      next = def.shape?.[String(seg)];
    } else if (def.type === 'array') {
      segmentKinds.push('index');
      next = def.element;
    } else if (def.type === 'record') {
      segmentKinds.push('key');
      next = def.valueType;
    } else {
      segmentKinds.push(typeof seg === 'number' ? 'index' : 'key');
    }
    cur = next === undefined ? undefined : unwrap(next);
  }
  return { leaf: cur, segmentKinds, structFields, struct };
}

function goTypeOf(s: z.ZodType | undefined): string {
  if (s === undefined) return 'interface {}';
  s = unwrap(s);
  const info = schemaInfo.get(s);
  if (info !== undefined) return info.goType;
  const def = defOf(s);
  switch (def.type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return def.format === 'int32' ? 'int32' : def.format === 'safeint' ? 'int64' : 'float64';
    case 'array':
      return `[]${goTypeOf(def.element)}`;
    case 'record':
      return `map[string]${goTypeOf(def.valueType)}`;
    default:
      return 'interface {}';
  }
}

// ---- Go encoding/json and custom UnmarshalJSON error texts ----

/** What encoding/json's UnmarshalTypeError calls a JSON value; integers show the literal (`number 1.5`). */
function jsonValueKind(value: unknown, intoInteger: boolean): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return intoInteger ? `number ${String(value)}` : 'number';
  if (typeof value === 'boolean') return 'bool';
  return Array.isArray(value) ? 'array' : 'object';
}

function unmarshalTypeError(value: unknown, goType: string, at?: { struct: string; fields: string[] }): string {
  const kind = jsonValueKind(value, /^u?int(8|16|32|64)?$/.test(goType));
  if (at === undefined) return `json: cannot unmarshal ${kind} into Go value of type ${goType}`;
  return `json: cannot unmarshal ${kind} into Go struct field ${at.struct}.${at.fields.join('.')} of type ${goType}`;
}

/**
 * The decode error for a value at `path`. `fatal`: an UnmarshalJSON method (Quantity, Time, IntOrString, []byte)
 * returned it, which stops Go's decoder at once; plain type mismatches are only saved and decoding goes on.
 */
function decodeErrorFor(root: z.ZodType, path: readonly PathSegment[], value: unknown): { message: string; fatal: boolean } {
  const pos = schemaAt(root, path);
  const at =
    pos.struct === undefined || pos.structFields.length === 0
      ? undefined
      : { struct: pos.struct.split('.').pop()!, fields: pos.structFields };
  const scalar = pos.leaf === undefined ? undefined : schemaInfo.get(pos.leaf)?.scalar;
  const scalarError = scalar === undefined ? undefined : wireScalarError(scalar, value, at);
  if (scalarError !== undefined) return { message: scalarError, fatal: true };
  return { message: unmarshalTypeError(value, goTypeOf(pos.leaf), at), fatal: false };
}

const QUANTITY_SPLIT = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_NUMERIC = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

/**
 * The error a wire scalar's UnmarshalJSON returns; undefined when Go would use a plain UnmarshalTypeError. A type
 * error from the json.Unmarshal such a method calls gets the field's context when the decoder returns it (`at`).
 */
function wireScalarError(scalar: string, value: unknown, at: { struct: string; fields: string[] } | undefined): string | undefined {
  switch (scalar) {
    case 'Quantity': {
      // Quantity.UnmarshalJSON parses the raw bytes (quotes stripped) with ParseQuantity.
      const text = (typeof value === 'string' ? value : JSON.stringify(value)).trim();
      const parts = QUANTITY_SPLIT.exec(text);
      if (parts === null) return `quantities must match the regular expression '${QUANTITY_SPLIT.source}'`;
      if (!QUANTITY_NUMERIC.test(parts[1])) return 'unable to parse numeric part of quantity';
      return "unable to parse quantity's suffix";
    }
    case 'IntOrString':
      // A quoted value is always a valid string; anything else is json.Unmarshal into an int32.
      return unmarshalTypeError(value, 'int32', at);
    case 'Time':
    case 'MicroTime':
      if (typeof value !== 'string') return unmarshalTypeError(value, 'string', at);
      return goTimeParseError(value, scalar === 'MicroTime') ?? undefined;
    case 'Bytes':
      if (typeof value !== 'string') return undefined;
      return base64ErrorOffset(value) < 0 ? undefined : `illegal base64 data at input byte ${base64ErrorOffset(value)}`;
    default:
      return undefined;
  }
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * time.Parse's error for RFC3339 (metav1.Time) or RFC3339Micro (metav1.MicroTime), following its layout walk:
 * `parsing time "x" as "<layout>": cannot parse "<rest>" as "<element>"`, or a range / extra-text message.
 */
function goTimeParseError(input: string, micro: boolean): string | undefined {
  const layout = micro ? '2006-01-02T15:04:05.000000Z07:00' : '2006-01-02T15:04:05Z07:00';
  const cannotParse = (rest: string, elem: string): string =>
    `parsing time ${goQuote(input)} as ${goQuote(layout)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`;
  const outOfRange = (what: string): string => `parsing time ${goQuote(input)}: ${what} out of range`;
  const isDigit = (s: string, i: number): boolean => i < s.length && s[i] >= '0' && s[i] <= '9';
  const getnum = (s: string, fixed: boolean): [number, string] | undefined => {
    if (!isDigit(s, 0)) return undefined;
    if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
    return [Number(s.slice(0, 2)), s.slice(2)];
  };
  let v = input;
  const literal = (lit: string): boolean => {
    if (!v.startsWith(lit)) return false;
    v = v.slice(lit.length);
    return true;
  };
  if (v.length < 4 || !/^[0-9]{4}$/.test(v.slice(0, 4))) return cannotParse(v, '2006');
  const year = Number(v.slice(0, 4));
  v = v.slice(4);
  const fields: [string, string, boolean, number, number][] = [
    ['-', '01', true, 1, 12],
    ['-', '02', true, 1, 31],
    ['T', '15', false, 0, 23],
    [':', '04', true, 0, 59],
    [':', '05', true, 0, 59],
  ];
  const names: Record<string, string> = { '01': 'month', '15': 'hour', '04': 'minute', '05': 'second' };
  const got: number[] = [];
  for (const [lit, elem, fixed, min, max] of fields) {
    if (!literal(lit)) return cannotParse(v, lit);
    const n = getnum(v, fixed);
    if (n === undefined) return cannotParse(v, elem);
    if (elem !== '02' && (n[0] < min || n[0] > max)) return outOfRange(names[elem]);
    got.push(n[0]);
    v = n[1];
  }
  if (micro) {
    if (v.length < 7 || (v[0] !== '.' && v[0] !== ',') || !/^[0-9]{6}$/.test(v.slice(1, 7))) return cannotParse(v, '.000000');
    v = v.slice(7);
  } else if (v.length >= 2 && (v[0] === '.' || v[0] === ',') && isDigit(v, 1)) {
    let n = 2;
    while (isDigit(v, n)) n++;
    v = v.slice(n);
  }
  if (v.startsWith('Z')) v = v.slice(1);
  else if (/^[+-][0-9]{2}:[0-9]{2}/.test(v)) v = v.slice(6);
  else return cannotParse(v, 'Z07:00');
  const [month, day] = got;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return outOfRange('day');
  if (v !== '') return `parsing time ${goQuote(input)}: extra text: ${goQuote(v)}`;
  return undefined;
}

/** Where base64.StdEncoding.Decode reports CorruptInputError for s (newlines are skipped, padding is required). */
function base64ErrorOffset(s: string): number {
  const isAlphabet = (c: string): boolean => /[A-Za-z0-9+/]/.test(c);
  let si = 0;
  const skipNewlines = (): void => {
    while (si < s.length && (s[si] === '\n' || s[si] === '\r')) si++;
  };
  for (;;) {
    for (let j = 0; j < 4; j++) {
      skipNewlines();
      if (si === s.length) return j === 0 ? -1 : si - j;
      const c = s[si++];
      if (isAlphabet(c)) continue;
      if (c !== '=') return si - 1;
      // Padding: only after two or three characters of a quantum, and nothing but newlines after it.
      if (j < 2) return si - 1;
      if (j === 2) {
        skipNewlines();
        if (si === s.length) return s.length;
        if (s[si] !== '=') return si - 1;
        si++;
      }
      skipNewlines();
      return si < s.length ? si : -1;
    }
  }
}
