// Objects laid out as kube-apiserver's Go JSON encoder writes them (encoding/json over the typed structs of
// k8s.io/api): fields in struct declaration order with TypeMeta's `kind` before `apiVersion`, map keys sorted, a
// zero value left out only where the field is `omitempty` (pointers keep theirs), and fields Go always writes
// filled in when absent (`"metadata":{}`, `"status":{}`, `"rules":null`, a value Time as null). Custom
// resources have no Go struct: kube encodes them as map[string]interface{}, so every object's keys are sorted.
//
// Done once per object version, on the way into storage (ResourceStore.toStorage), so etcd holds Go's order and
// JSON.stringify of a stored object is already kube's text. The table is src/generated/json-fields.ts.
import { KIND_MESSAGES, MESSAGES } from '../generated/json-fields.js';

// Flags of a GoJSONField; tools/json-fields.ts writes them.
const REPEATED = 1;
const MAP = 2;
const KEEP_ZERO = 4;
const OMIT_ZERO = 8;

type Json = Record<string, unknown>;

interface Field {
  name: string;
  /** The nested message, for struct-valued fields (and the elements or values of repeated and map fields). */
  message: Message | undefined;
  flags: number;
  /** Written when the field is absent: STRUCT for an empty nested struct, else the value; NONE leaves it out. */
  zero: unknown;
}

interface Message {
  fields: Field[];
  names: Set<string>;
}

const NONE = Symbol('none');
const STRUCT = Symbol('struct');

const compiled: Message[] = MESSAGES.map((row) => ({ fields: [], names: new Set(row.map((f) => f[0])) }));
MESSAGES.forEach((row, i) => {
  compiled[i].fields = row.map(([name, message, flags, zero]) => ({
    name,
    message: message >= 0 ? compiled[message] : undefined,
    flags,
    zero: zero === undefined ? NONE : zero === '{}' ? STRUCT : JSON.parse(zero),
  }));
});

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The Go-encoded layout of a kind's object, or undefined when kube has no Go struct for it (custom resources). */
export function goMessageFor(apiVersion: string, kind: string): Message | undefined {
  const i = KIND_MESSAGES[`${apiVersion}/${kind}`];
  return i === undefined ? undefined : compiled[i];
}

/**
 * A new object with obj's content in the layout Go's encoder writes for message (sorted keys throughout when
 * message is undefined). Keys the Go struct does not have are kept, after the known ones, rather than dropped:
 * the schemas decide what is accepted, this only decides the layout.
 */
export function goEncoded(obj: Json, message: Message | undefined): Json {
  return message === undefined ? (sortedDeep(obj) as Json) : encodeMessage(obj, message);
}

function encodeMessage(value: Json, message: Message): Json {
  const out: Json = {};
  let seen = 0;
  for (const f of message.fields) {
    const v = value[f.name];
    if (v !== undefined) seen++;
    if (v === undefined || v === null) {
      if (f.zero === STRUCT) out[f.name] = encodeMessage({}, f.message!);
      else if (f.zero !== NONE) out[f.name] = f.zero;
      continue;
    }
    if (f.flags & REPEATED) {
      if (Array.isArray(v)) {
        if (v.length === 0 && f.zero === NONE) continue;
        out[f.name] = f.message === undefined ? v : v.map((e) => (isObject(e) ? encodeMessage(e, f.message!) : e));
      } else out[f.name] = v;
    } else if (f.flags & MAP) {
      if (isObject(v)) {
        const keys = Object.keys(v);
        if (keys.length === 0 && f.zero === NONE) continue;
        out[f.name] = sortedMap(v, keys, f.message);
      } else out[f.name] = v;
    } else if (f.message !== undefined) {
      if (!isObject(v)) out[f.name] = v;
      else {
        const nested = encodeMessage(v, f.message);
        // omitzero drops a struct whose every field is zero; what is left after encoding is what Go would write.
        if (f.flags & OMIT_ZERO && isZeroStruct(nested)) continue;
        out[f.name] = nested;
      }
    } else {
      // A scalar without omitempty has a zero to write (f.zero); with omitempty and no pointer, Go drops its zero.
      if (f.zero === NONE && !(f.flags & KEEP_ZERO) && (v === '' || v === 0 || v === false)) continue;
      out[f.name] = v;
    }
  }
  // Keys beyond the struct's fields: rare (schemas strip most), kept in their own order after the known ones.
  if (seen !== Object.keys(value).length) {
    for (const key of Object.keys(value)) if (!message.names.has(key) && value[key] !== undefined) out[key] = value[key];
  }
  return out;
}

function isZeroStruct(v: Json): boolean {
  for (const key in v) {
    const x = v[key];
    if (x !== null && x !== '' && x !== 0 && x !== false && !(isObject(x) && isZeroStruct(x))) return false;
  }
  return true;
}

/** Go writes a map's keys in sorted order. */
function sortedMap(v: Json, keys: string[], message: Message | undefined): Json {
  keys.sort();
  const out: Json = {};
  for (const key of keys) {
    const x = v[key];
    out[key] = message !== undefined && isObject(x) ? encodeMessage(x, message) : x;
  }
  return out;
}

function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (!isObject(v)) return v;
  const out: Json = {};
  for (const key of Object.keys(v).sort()) out[key] = sortedDeep(v[key]);
  return out;
}
