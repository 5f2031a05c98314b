// Turns a decoded protobuf message (protobufjs toObject output: present fields only, int64 as numbers, bytes as
// Uint8Array) into the JSON object Go's encoding/json would write for the same Go value, so a protobuf body
// decodes to what the equivalent JSON body would.
import { formatGoDuration } from '../apimachinery/duration.js';
import { decodedPropertyName, META_V1_PACKAGE, PROTOBUF_FACTS, SCALAR_TYPES, type ProtoFieldFact } from './facts.js';

type Decoded = Record<string, unknown>;

/** Thrown when a body cannot be decoded; the message is safe to show the client. */
export class ProtobufDecodeError extends Error {
  /** The envelope names a kind kgate has no protobuf message for (kube's IsNotRegisteredError). */
  readonly notRegistered: boolean;

  constructor(message: string, opts: { notRegistered?: boolean } = {}) {
    super(message);
    this.notRegistered = opts.notRegistered ?? false;
  }
}

const APIEXTENSIONS_V1 = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

/** Types whose Go MarshalJSON does not follow their protobuf fields. */
const CUSTOM_JSON: Record<string, (value: Decoded) => unknown> = {
  [`${META_V1_PACKAGE}.Time`]: (v) => formatTime(v, false),
  [`${META_V1_PACKAGE}.MicroTime`]: (v) => formatTime(v, true),
  [`${META_V1_PACKAGE}.Duration`]: (v) => formatGoDuration(Number(v.duration ?? 0)),
  [`${META_V1_PACKAGE}.FieldsV1`]: (v) => parseRawJson(v.Raw),
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (v) => v.string ?? '0',
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': (v) => v.string ?? '0',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (v) => (Number(v.type ?? 0) === 1 ? (v.strVal ?? '') : (v.intVal ?? 0)),
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (v) => parseRawJson(v.raw),
  [`${APIEXTENSIONS_V1}.JSON`]: (v) => parseRawJson(v.raw),
  [`${APIEXTENSIONS_V1}.JSONSchemaPropsOrBool`]: (v) => (v.schema !== undefined ? schemaProps(v.schema) : v.allows === true),
  [`${APIEXTENSIONS_V1}.JSONSchemaPropsOrStringArray`]: (v) =>
    Array.isArray(v.property) && v.property.length > 0 ? v.property : v.schema !== undefined ? schemaProps(v.schema) : null,
  [`${APIEXTENSIONS_V1}.JSONSchemaPropsOrArray`]: (v) =>
    Array.isArray(v.jSONSchemas) && v.jSONSchemas.length > 0
      ? v.jSONSchemas.map(schemaProps)
      : v.schema !== undefined
        ? schemaProps(v.schema)
        : null,
};

function schemaProps(value: unknown): unknown {
  return messageToJson(`${APIEXTENSIONS_V1}.JSONSchemaProps`, value as Decoded);
}

/** The JSON value of a decoded message of the given fully qualified type. */
export function messageToJson(typeName: string, value: Decoded): unknown {
  const custom = CUSTOM_JSON[typeName];
  if (custom !== undefined) return custom(value);
  const fact = PROTOBUF_FACTS.messages[typeName];
  if (fact === undefined) throw new ProtobufDecodeError(`no protobuf facts for ${typeName}`);
  if (fact.jsonArray) return ((value.items as unknown[] | undefined) ?? []).map((v) => elementValue(fact.fields[0].type, v));
  const out: Decoded = {};
  for (const field of fact.fields) {
    const property = decodedPropertyName(field);
    if (!Object.prototype.hasOwnProperty.call(value, property)) continue;
    const json = fieldValue(field, value[property]);
    if (json === undefined) continue;
    if (field.inline) Object.assign(out, json);
    else out[field.name] = json;
  }
  return out;
}

/** A present field's JSON value, or undefined when Go's JSON encoding would leave it out. */
function fieldValue(field: ProtoFieldFact, value: unknown): unknown {
  if (field.map !== undefined) {
    const entries = Object.entries(value as Decoded);
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([k, v]) => [k, elementValue(field.type, v)]));
  }
  if (field.repeated) {
    const items = value as unknown[];
    return items.length === 0 ? undefined : items.map((v) => elementValue(field.type, v));
  }
  if (SCALAR_TYPES.has(field.type)) {
    if (!field.keepZero && isZero(value)) return undefined;
    return scalarValue(value);
  }
  if (field.omitZero && Object.keys(value as Decoded).length === 0) return undefined;
  return messageToJson(field.type, value as Decoded);
}

function elementValue(type: string, value: unknown): unknown {
  return SCALAR_TYPES.has(type) ? scalarValue(value) : messageToJson(type, value as Decoded);
}

function scalarValue(value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : value;
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false || (value instanceof Uint8Array && value.length === 0);
}

/** metav1.Time is RFC 3339 at second precision, MicroTime at microseconds; an empty message is the zero time: null. */
function formatTime(value: Decoded, micro: boolean): string | null {
  if (value.seconds === undefined && value.nanos === undefined) return null;
  const seconds = Number(value.seconds ?? 0);
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!micro) return `${iso}Z`;
  const micros = Math.floor(Number(value.nanos ?? 0) / 1000);
  return `${iso}.${String(micros).padStart(6, '0')}Z`;
}

/** RawExtension, FieldsV1 and apiextensions JSON carry JSON bytes; Go writes them verbatim (nil as null). */
function parseRawJson(raw: unknown): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return null;
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProtobufDecodeError(`embedded JSON is not valid: ${e instanceof Error ? e.message : String(e)}`);
  }
}
