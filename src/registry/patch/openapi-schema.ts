// Strategic-merge-patch metadata derived from the generated OpenAPI definitions, which carry
// x-kubernetes-patch-strategy / -patch-merge-key exactly as the Go struct tags kube-apiserver reads
// (tools/facts/patch-metadata-v1.34.json, cross-checked against kube's OpenAPI).
import { definitionOfKind, openAPIDefinitions, type OpenAPISchema } from '../../generated/openapi-definitions.js';
import { UNTYPED_SCHEMA, type SMPField, type SMPSchema } from './strategic.js';

const REF_PREFIX = '#/components/schemas/';
const byDefinition = new Map<string, SMPSchema>();

/** The SMP schema of a built-in kind, or undefined when kgate has no Go-typed definition for it. */
export function smpSchemaForKind(group: string, version: string, kind: string): SMPSchema | undefined {
  const name = definitionOfKind[`${group}/${version}/${kind}`];
  return name === undefined ? undefined : schemaForDefinition(name);
}

function schemaForDefinition(name: string): SMPSchema {
  let s = byDefinition.get(name);
  if (s === undefined) {
    s = new DefinitionSchema(name, openAPIDefinitions[name] ?? {});
    byDefinition.set(name, s);
  }
  return s;
}

class DefinitionSchema implements SMPSchema {
  private readonly fields = new Map<string, SMPField>();
  constructor(
    readonly name: string,
    private readonly def: OpenAPISchema,
  ) {}

  field(key: string): SMPField {
    let f = this.fields.get(key);
    if (f === undefined) {
      f = this.lookup(key);
      this.fields.set(key, f);
    }
    return f;
  }

  private lookup(key: string): SMPField {
    const props = this.def.properties as Record<string, OpenAPISchema> | undefined;
    const prop = props?.[key];
    if (prop === undefined) {
      // A map type: every key shares the value schema.
      const additional = this.def.additionalProperties;
      if (typeof additional === 'object' && additional !== null)
        return { schema: schemaOf(additional as OpenAPISchema), strategies: [], mergeKey: '' };
      // kube fails on a field its Go type lacks; kgate merges it untyped and leaves the verdict to validation.
      return { schema: UNTYPED_SCHEMA, strategies: [], mergeKey: '' };
    }
    const strategy = prop['x-kubernetes-patch-strategy'];
    const mergeKey = prop['x-kubernetes-patch-merge-key'];
    const valueSchema = prop.type === 'array' && typeof prop.items === 'object' ? (prop.items as OpenAPISchema) : prop;
    return {
      schema: schemaOf(valueSchema),
      strategies: typeof strategy === 'string' && strategy !== '' ? strategy.split(',') : [],
      mergeKey: typeof mergeKey === 'string' ? mergeKey : '',
    };
  }
}

/** Follows `$ref` (or a single-entry `allOf`) to a named definition; inline objects get their own schema. */
function schemaOf(s: OpenAPISchema): SMPSchema {
  const ref = refOf(s);
  if (ref !== undefined) return schemaForDefinition(ref);
  if (s.properties !== undefined || s.additionalProperties !== undefined) return new DefinitionSchema('inline', s);
  return UNTYPED_SCHEMA;
}

function refOf(s: OpenAPISchema): string | undefined {
  const direct = s.$ref;
  if (typeof direct === 'string') return direct.startsWith(REF_PREFIX) ? direct.slice(REF_PREFIX.length) : undefined;
  const all = s.allOf;
  if (Array.isArray(all) && all.length === 1 && typeof (all[0] as OpenAPISchema).$ref === 'string') return refOf(all[0] as OpenAPISchema);
  return undefined;
}
