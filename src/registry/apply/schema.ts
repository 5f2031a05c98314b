// The schema server-side apply walks objects with, built from the generated OpenAPI definitions the way
// kube-openapi's schemaconv does: list types from x-kubernetes-list-type (falling back to the patch strategy),
// map keys from x-kubernetes-list-map-keys, atomic maps and structs from x-kubernetes-map-type. Anything
// without a schema is "deduced": objects are granular maps, lists are atomic.
import { definitionOfKind, openAPIDefinitions, type OpenAPISchema } from '../../generated/openapi-definitions.js';

export type TypeNode = ScalarType | UntypedType | MapType | ListType;

export interface ScalarType {
  kind: 'scalar';
}

/** schemaconv's deduced type: the value decides (objects granular, lists atomic, the rest scalars). */
export interface UntypedType {
  kind: 'untyped';
}

/** A struct (declared fields) or a map (value type for any key), granular or atomic. */
export interface MapType {
  kind: 'map';
  fields: Map<string, TypeNode> | undefined;
  value: TypeNode | undefined;
  atomic: boolean;
}

export interface ListType {
  kind: 'list';
  listType: 'atomic' | 'set' | 'map';
  keys: readonly string[];
  /** Schema defaults of key fields, used when an item leaves a key out (ports default to TCP). */
  keyDefaults: Readonly<Record<string, unknown>>;
  item: TypeNode;
}

export const SCALAR: ScalarType = { kind: 'scalar' };
export const UNTYPED: UntypedType = { kind: 'untyped' };

/**
 * Key defaults the generated definitions lose: kube's OpenAPI declares `default` on these key fields
 * (ContainerPort/ServicePort protocol "TCP", LocalObjectReference name "").
 */
const KEY_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.LocalObjectReference': { name: '' },
};

const REF_PREFIX = /^#\/(?:components\/schemas|definitions)\//;

export class SchemaCompiler {
  private readonly byName = new Map<string, TypeNode>();

  constructor(private readonly definitions: Readonly<Record<string, OpenAPISchema>>) {}

  definition(name: string): TypeNode {
    const cached = this.byName.get(name);
    if (cached) return cached;
    const schema = this.definitions[name];
    if (!schema) return UNTYPED;
    if (isMapLike(schema)) {
      // Registered before its fields are compiled, so recursive definitions (JSONSchemaProps) resolve.
      const node: MapType = { kind: 'map', fields: undefined, value: undefined, atomic: false };
      this.byName.set(name, node);
      this.fillMap(node, schema);
      return node;
    }
    const node = this.compile(schema);
    this.byName.set(name, node);
    return node;
  }

  compile(schema: OpenAPISchema): TypeNode {
    const ref = refName(schema);
    if (ref !== undefined) return this.definition(ref);
    if (schema['x-kubernetes-preserve-unknown-fields'] === true && !schema.properties) return UNTYPED;
    if (schema.type === 'array') return this.compileList(schema);
    if (isMapLike(schema)) {
      const node: MapType = { kind: 'map', fields: undefined, value: undefined, atomic: false };
      this.fillMap(node, schema);
      return node;
    }
    if (schema.type === 'object') return UNTYPED;
    if (schema.type !== undefined || schema.oneOf !== undefined || schema.format !== undefined) return SCALAR;
    return UNTYPED;
  }

  private fillMap(node: MapType, schema: OpenAPISchema): void {
    node.atomic = schema['x-kubernetes-map-type'] === 'atomic';
    const props = schema.properties as Record<string, OpenAPISchema> | undefined;
    if (props) {
      node.fields = new Map();
      for (const [name, sub] of Object.entries(props)) node.fields.set(name, this.compile(sub));
    }
    const additional = schema.additionalProperties;
    if (additional && typeof additional === 'object') node.value = this.compile(additional as OpenAPISchema);
    else if (additional === true) node.value = UNTYPED;
    if (!node.fields && !node.value) node.value = UNTYPED;
  }

  private compileList(schema: OpenAPISchema): ListType {
    const items = (schema.items ?? {}) as OpenAPISchema;
    const item = this.compile(items);
    const declared = schema['x-kubernetes-list-type'] as string | undefined;
    const strategy = String(schema['x-kubernetes-patch-strategy'] ?? '');
    const mergeKey = schema['x-kubernetes-patch-merge-key'] as string | undefined;
    let listType: ListType['listType'] = 'atomic';
    let keys: string[] = [];
    if (declared === 'map' || declared === 'set' || declared === 'atomic') {
      listType = declared;
      if (declared === 'map') keys = [...((schema['x-kubernetes-list-map-keys'] as string[] | undefined) ?? (mergeKey ? [mergeKey] : []))];
    } else if (strategy.split(',').includes('merge')) {
      if (mergeKey) {
        listType = 'map';
        keys = [mergeKey];
      } else listType = 'set';
    }
    return { kind: 'list', listType, keys, keyDefaults: this.keyDefaults(items, keys), item };
  }

  private keyDefaults(items: OpenAPISchema, keys: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const name = refName(items);
    const schema = name ? this.definitions[name] : items;
    const props = (schema?.properties ?? {}) as Record<string, OpenAPISchema>;
    const table = name ? KEY_DEFAULTS[name] : undefined;
    for (const k of keys) {
      if (props[k]?.default !== undefined) out[k] = props[k].default;
      else if (table && k in table) out[k] = table[k];
    }
    return out;
  }
}

function refName(schema: OpenAPISchema): string | undefined {
  const direct = schema.$ref;
  if (typeof direct === 'string') return direct.replace(REF_PREFIX, '');
  const allOf = schema.allOf as OpenAPISchema[] | undefined;
  if (Array.isArray(allOf) && allOf.length === 1 && typeof allOf[0].$ref === 'string')
    return (allOf[0].$ref as string).replace(REF_PREFIX, '');
  return undefined;
}

function isMapLike(schema: OpenAPISchema): boolean {
  return schema.properties !== undefined || (schema.additionalProperties !== undefined && schema.additionalProperties !== false);
}

const builtins = new SchemaCompiler(openAPIDefinitions);
const byKind = new Map<string, TypeNode>();

/** The apply schema of a built-in kind; kinds without a generated definition (custom resources) are deduced. */
export function typeForKind(group: string, version: string, kind: string): TypeNode {
  const key = `${group}/${version}/${kind}`;
  let t = byKind.get(key);
  if (!t) {
    const name = definitionOfKind[key];
    t = name ? builtins.definition(name) : UNTYPED;
    byKind.set(key, t);
  }
  return t;
}

/** The type of a field or map entry under a map type; undefined when the schema does not declare it. */
export function fieldType(t: MapType, name: string): TypeNode | undefined {
  return t.fields?.get(name) ?? t.value;
}
