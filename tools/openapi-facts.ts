// Facts the OpenAPI definitions need beyond @kubernetes/client-node's models: the shapes of the apimachinery
// scalars and of the fields the models type `any`, and the patch / list extensions, read from the sourced
// fact sheet tools/facts/patch-metadata-v1.34.json (a transcription of reference/patch-metadata-v1.34.json;
// that file is the one place these facts live tools-side).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SCALAR_DEFINITIONS } from './openapi-names.js';

/** A JSON Schema object as kube's OpenAPI writes it (JSON boundary: values are plain JSON). */
export type JSONSchema = { [key: string]: unknown };

export interface ScalarDefinition {
  name: string;
  /** OpenAPI v3 (components.schemas) shape. */
  v3: JSONSchema;
  /** Swagger 2.0 shape, where it differs (no oneOf in 2.0). */
  v2?: JSONSchema;
}

const RAW_EXTENSION: ScalarDefinition = {
  name: SCALAR_DEFINITIONS.rawExtension,
  v3: { description: 'RawExtension is used to hold extensions in external versions.', type: 'object' },
};

/**
 * kube-openapi's shapes for the apimachinery scalars: the OpenAPISchemaType/OpenAPISchemaFormat and
 * OpenAPIV3OneOfTypes methods of resource.Quantity (quantity.go), intstr.IntOrString (intstr.go) and
 * metav1.Time / MicroTime (time.go, micro_time.go); descriptions are their Go doc comments' first sentences.
 */
export const SCALARS: readonly ScalarDefinition[] = [
  {
    name: SCALAR_DEFINITIONS.quantity,
    v3: {
      description:
        'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.',
      oneOf: [{ type: 'string' }, { type: 'number' }],
    },
    v2: {
      description:
        'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.',
      type: 'string',
    },
  },
  {
    name: SCALAR_DEFINITIONS.intOrString,
    v3: {
      description:
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
    },
    v2: {
      description:
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      type: 'string',
      format: 'int-or-string',
    },
  },
  {
    name: SCALAR_DEFINITIONS.time,
    v3: {
      description:
        'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
      type: 'string',
      format: 'date-time',
    },
  },
  {
    name: SCALAR_DEFINITIONS.microTime,
    v3: {
      description: 'MicroTime is version of Time with microsecond level precision.',
      type: 'string',
      format: 'date-time',
    },
  },
  RAW_EXTENSION,
];

/**
 * The Go types behind the fields client-node types `any`, by model and JSON field, with kube's definition for each
 * (k8s.io/api apps/v1 types.go ControllerRevision.Data, meta/v1 watch.go WatchEvent.Object and types.go
 * ManagedFieldsEntry.FieldsV1, apiextensions/v1 types.go and types_jsonschema.go).
 */
const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
const JSON_VALUE = {
  name: `${APIEXT}.JSON`,
  v3: {
    description:
      'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.',
  },
};
export const ANY_FIELDS: Readonly<Record<string, ScalarDefinition>> = {
  'V1ControllerRevision.data': RAW_EXTENSION,
  'V1WatchEvent.object': RAW_EXTENSION,
  'V1ManagedFieldsEntry.fieldsV1': {
    name: 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
    v3: {
      description: 'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
      type: 'object',
    },
  },
  'V1CustomResourceSubresources.status': {
    name: `${APIEXT}.CustomResourceSubresourceStatus`,
    v3: {
      description:
        'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources. Status is represented by the `.status` JSON path inside of a CustomResource. When set, * exposes a /status subresource for the custom resource * PUT requests to the /status subresource take a custom resource object, and ignore changes to anything except the status stanza * PUT/POST/PATCH requests to the custom resource ignore changes to the status stanza',
      type: 'object',
    },
  },
  'V1JSONSchemaProps.default': JSON_VALUE,
  'V1JSONSchemaProps.example': JSON_VALUE,
  'V1JSONSchemaProps.enum': JSON_VALUE,
  'V1JSONSchemaProps.additionalItems': {
    name: `${APIEXT}.JSONSchemaPropsOrBool`,
    v3: { description: 'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.' },
  },
  'V1JSONSchemaProps.additionalProperties': {
    name: `${APIEXT}.JSONSchemaPropsOrBool`,
    v3: { description: 'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.' },
  },
  'V1JSONSchemaProps.dependencies': {
    name: `${APIEXT}.JSONSchemaPropsOrStringArray`,
    v3: { description: 'JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.' },
  },
  'V1JSONSchemaProps.items': {
    name: `${APIEXT}.JSONSchemaPropsOrArray`,
    v3: {
      description:
        'JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes.',
    },
  },
};

// ---- patch metadata (tools/facts/patch-metadata-v1.34.json) ----

interface PatchFieldFact {
  group: string;
  type: string;
  field: string;
  patchStrategy: string | null;
  patchMergeKey: string | null;
  listType: string | null;
  listMapKeys: string[] | null;
  mapType: string | null;
}

interface PatchMetadataFacts {
  fields: PatchFieldFact[];
  atomicStructs: { group: string; type: string; structType: string }[];
  nonListFieldsWithPatchStrategy: {
    group: string;
    type: string;
    field: string;
    patchStrategy: string | null;
    patchMergeKey: string | null;
  }[];
}

/**
 * Go types whose fields kube's OpenAPI shows on another definition because the struct is embedded inline
 * (core/v1 types.go: EphemeralContainer embeds EphemeralContainerCommon with `json:",inline"`).
 */
const INLINED_INTO: Record<string, string> = { 'core/v1 EphemeralContainerCommon': 'core/v1 EphemeralContainer' };

/** The extensions of one Go type: per JSON field, and on the type itself (x-kubernetes-map-type for +structType). */
export interface TypeExtensions {
  fields: Map<string, JSONSchema>;
  type: JSONSchema;
}

/** `core/v1 Container` style keys (the fact sheet's group column then the Go type). */
export function readPatchExtensions(root: string): Map<string, TypeExtensions> {
  const facts = JSON.parse(readFileSync(resolve(root, 'tools/facts/patch-metadata-v1.34.json'), 'utf8')) as PatchMetadataFacts;
  const out = new Map<string, TypeExtensions>();
  const entry = (group: string, type: string): TypeExtensions => {
    const key = INLINED_INTO[`${group} ${type}`] ?? `${group} ${type}`;
    let e = out.get(key);
    if (e === undefined) out.set(key, (e = { fields: new Map(), type: {} }));
    return e;
  };
  const addField = (group: string, type: string, field: string, ext: JSONSchema): void => {
    if (Object.keys(ext).length === 0) return;
    const fields = entry(group, type).fields;
    fields.set(field, { ...(fields.get(field) ?? {}), ...ext });
  };
  for (const f of facts.fields) {
    const ext: JSONSchema = {};
    if (f.listMapKeys !== null) ext['x-kubernetes-list-map-keys'] = f.listMapKeys;
    if (f.listType !== null) ext['x-kubernetes-list-type'] = f.listType;
    if (f.mapType !== null) ext['x-kubernetes-map-type'] = f.mapType;
    if (f.patchMergeKey !== null) ext['x-kubernetes-patch-merge-key'] = f.patchMergeKey;
    if (f.patchStrategy !== null) ext['x-kubernetes-patch-strategy'] = f.patchStrategy;
    addField(f.group, f.type, f.field, ext);
  }
  for (const f of facts.nonListFieldsWithPatchStrategy) {
    const ext: JSONSchema = {};
    if (f.patchMergeKey !== null) ext['x-kubernetes-patch-merge-key'] = f.patchMergeKey;
    if (f.patchStrategy !== null) ext['x-kubernetes-patch-strategy'] = f.patchStrategy;
    addField(f.group, f.type, f.field, ext);
  }
  for (const s of facts.atomicStructs) entry(s.group, s.type).type['x-kubernetes-map-type'] = s.structType;
  return out;
}
