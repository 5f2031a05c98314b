// The protobuf fact table transcribed from Kubernetes v1.34 by tools/transcribe-protobuf.ts: message names to
// fields, plus the Go facts (JSON names, omitempty/pointer, inline) that the JSON mapping needs.
import table from './protobuf-v1.34.json' with { type: 'json' };

export interface ProtoFieldFact {
  /** The JSON field name (the proto name where the Go field has none, e.g. inline fields). */
  name: string;
  number: number;
  /** A scalar type (`string`, `int64`, `bytes`, ...) or a fully qualified message name. */
  type: string;
  repeated?: boolean;
  /** Key type of a map field; `type` is then the value type. */
  map?: string;
  /** A present zero value survives Go's JSON encoding (pointer fields, fields without omitempty). */
  keepZero?: boolean;
  /** The message's fields are flattened into the parent (`json:",inline"`). */
  inline?: boolean;
  /** Go `omitzero`: an empty message is left out. */
  omitZero?: boolean;
}

export interface ProtoMessageFact {
  fields: ProtoFieldFact[];
  /** A nullable Go slice (`+protobuf.nullable=true`): its JSON is the `items` array. */
  jsonArray?: boolean;
}

export interface ProtobufFacts {
  /** `apps/v1/Deployment` → `k8s.io.api.apps.v1.Deployment`. */
  kinds: Record<string, string>;
  messages: Record<string, ProtoMessageFact>;
}

export const PROTOBUF_FACTS: ProtobufFacts = table as ProtobufFacts;

export const META_V1_PACKAGE = 'k8s.io.apimachinery.pkg.apis.meta.v1';
export const UNKNOWN_MESSAGE = 'k8s.io.apimachinery.pkg.runtime.Unknown';

export const SCALAR_TYPES: ReadonlySet<string> = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

/**
 * The property a field has in protobufjs's decoded objects: its JSON name, unless protobufjs would refuse that
 * name (JSONSchemaProps has `$schema` and `$ref`).
 */
export function decodedPropertyName(field: ProtoFieldFact): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(field.name) ? field.name : `field${field.number}`;
}
