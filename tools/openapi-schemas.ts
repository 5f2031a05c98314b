// Renders src/generated/openapi-definitions.ts: kube's OpenAPI v3 definitions (components.schemas) for every model
// the served kinds reach, plus their list kinds, Status, DeleteOptions and WatchEvent. The same models feed the zod
// schemas, so the two never disagree on a field.
import { type AttributeType, type Model, type ModelCatalog } from './client-node-models.js';
import { definitionNames, SCALAR_DEFINITIONS, type DefinitionName } from './openapi-names.js';
import { ANY_FIELDS, readPatchExtensions, SCALARS, type JSONSchema, type ScalarDefinition } from './openapi-facts.js';
import type { KindRef } from './kind-list.js';
import { QUANTITY_FIELDS } from './schema-overlay.js';

const REF_PREFIX = '#/components/schemas/';

/** Models every API group's operations speak besides its kinds (meta/v1). */
const COMMON_MODELS = ['V1Status', 'V1DeleteOptions', 'V1WatchEvent'] as const;

interface KindWithModel extends KindRef {
  model: string;
}

const quantityFields = new Set(QUANTITY_FIELDS.map((q) => `${q.model}.${q.field}`));

function referencedModels(t: AttributeType): string[] {
  if (t.kind === 'model') return [t.name];
  if (t.kind === 'array' || t.kind === 'map') return referencedModels(t.of);
  return [];
}

/** Sorted keys all the way down, as Go's encoding/json writes maps, so the output is deterministic. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: JSONSchema = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as JSONSchema)[k]);
    return out;
  }
  return value;
}

class SchemaRenderer {
  /** Definitions that are not models (scalars and the Go types behind `any` fields), by name. */
  readonly extraDefinitions = new Map<string, ScalarDefinition>();

  constructor(private readonly names: Map<string, DefinitionName>) {}

  private useExtra(def: ScalarDefinition): JSONSchema {
    this.extraDefinitions.set(def.name, def);
    return { $ref: REF_PREFIX + def.name };
  }

  private scalar(name: string): JSONSchema {
    return this.useExtra(SCALARS.find((s) => s.name === name)!);
  }

  typeSchema(t: AttributeType, model: string, field: string): JSONSchema {
    switch (t.kind) {
      case 'string':
        if (quantityFields.has(`${model}.${field}`)) return this.scalar(SCALAR_DEFINITIONS.quantity);
        return t.format === '' ? { type: 'string' } : { type: 'string', format: t.format };
      case 'number':
        if (t.format === 'int32' || t.format === 'int64') return { type: 'integer', format: t.format };
        return t.format === '' ? { type: 'number' } : { type: 'number', format: t.format };
      case 'boolean':
        return { type: 'boolean' };
      case 'date':
        return this.scalar(SCALAR_DEFINITIONS.time);
      case 'microTime':
        return this.scalar(SCALAR_DEFINITIONS.microTime);
      case 'intOrString':
        return this.scalar(SCALAR_DEFINITIONS.intOrString);
      case 'any': {
        const def = ANY_FIELDS[`${model}.${field}`];
        if (def === undefined) throw new Error(`${model}.${field} is typed any; add its Go type to ANY_FIELDS in tools/openapi-facts.ts`);
        return this.useExtra(def);
      }
      case 'model':
        return { $ref: REF_PREFIX + this.names.get(t.name)!.name };
      case 'array':
        return { type: 'array', items: this.typeSchema(t.of, model, field) };
      case 'map':
        return { type: 'object', additionalProperties: this.typeSchema(t.of, model, field) };
    }
  }

  /** A property: OpenAPI 3.0 ignores siblings of $ref, so kube wraps a described reference in allOf. */
  property(t: AttributeType, model: string, field: string, description: string, extensions: JSONSchema | undefined): JSONSchema {
    let schema = this.typeSchema(t, model, field);
    if (typeof schema.$ref === 'string' && (description !== '' || extensions !== undefined)) schema = { allOf: [schema] };
    if (description !== '') schema = { ...schema, description };
    return extensions === undefined ? schema : { ...schema, ...extensions };
  }
}

export interface OpenAPIPlan {
  /** definition name → v3 schema, sorted by name. */
  definitions: Map<string, JSONSchema>;
  /** Swagger 2.0 shapes where they differ from v3. */
  swaggerOverrides: Map<string, JSONSchema>;
  /** "group/version/Kind" → definition name, for each kind, its list kind and the meta/v1 common kinds. */
  kinds: Map<string, string>;
}

/** Builds the definitions for `kinds` from the catalog; throws on a model whose package cannot be placed. */
export function planOpenAPI(root: string, catalog: ModelCatalog, kinds: readonly KindWithModel[]): OpenAPIPlan {
  const listKinds: KindWithModel[] = [];
  for (const k of kinds) if (catalog.has(`${k.model}List`)) listKinds.push({ ...k, kind: `${k.kind}List`, model: `${k.model}List` });
  const roots: KindWithModel[] = [...kinds, ...listKinds];

  const models = new Map<string, Model>();
  const visit = (name: string): void => {
    if (models.has(name)) return;
    const model = catalog.get(name);
    if (model === undefined) throw new Error(`model ${name} is referenced but not shipped by @kubernetes/client-node`);
    models.set(name, model);
    for (const a of model.attributes) for (const r of referencedModels(a.type)) visit(r);
  };
  for (const k of roots) visit(k.model);
  for (const m of COMMON_MODELS) visit(m);

  const names = definitionNames(roots, models);
  const seen = new Map<string, string>();
  for (const [model, n] of names) {
    const other = seen.get(n.name);
    if (other !== undefined) throw new Error(`models ${other} and ${model} both map to ${n.name}`);
    seen.set(n.name, model);
  }

  const patchExtensions = readPatchExtensions(root);
  const gvksOf = new Map<string, { group: string; kind: string; version: string }[]>();
  const kindMap = new Map<string, string>();
  const addKind = (group: string, version: string, kind: string, model: string): void => {
    const def = names.get(model)!.name;
    kindMap.set(`${group}/${version}/${kind}`, def);
    const list = gvksOf.get(def) ?? [];
    list.push({ group, kind, version });
    gvksOf.set(def, list);
  };
  for (const k of roots) addKind(k.group, k.version, k.kind, k.model);
  addKind('', 'v1', 'Status', 'V1Status');
  kindMap.set('meta/v1/DeleteOptions', names.get('V1DeleteOptions')!.name);
  kindMap.set('meta/v1/WatchEvent', names.get('V1WatchEvent')!.name);

  const renderer = new SchemaRenderer(names);
  const definitions = new Map<string, JSONSchema>();
  for (const [modelName, model] of models) {
    const n = names.get(modelName)!;
    const ext = patchExtensions.get(`${n.group === '' ? 'core' : n.group}/${n.version} ${n.goType}`);
    const properties: JSONSchema = {};
    const required: string[] = [];
    for (const a of [...model.attributes].sort((x, y) => x.baseName.localeCompare(y.baseName))) {
      properties[a.baseName] = renderer.property(a.type, modelName, a.baseName, a.description, ext?.fields.get(a.baseName));
      if (a.required) required.push(a.baseName);
    }
    const schema: JSONSchema = { type: 'object', properties };
    if (model.description !== '') schema.description = model.description;
    if (required.length > 0) schema.required = required;
    if (ext !== undefined) Object.assign(schema, ext.type);
    const gvks = gvksOf.get(n.name);
    if (gvks !== undefined) schema['x-kubernetes-group-version-kind'] = gvks;
    definitions.set(n.name, schema);
  }
  const swaggerOverrides = new Map<string, JSONSchema>();
  for (const def of renderer.extraDefinitions.values()) {
    definitions.set(def.name, def.v3);
    if (def.v2 !== undefined) swaggerOverrides.set(def.name, def.v2);
  }
  const sorted = (m: Map<string, JSONSchema>): Map<string, JSONSchema> =>
    new Map([...m.keys()].sort().map((k) => [k, sortKeys(m.get(k)) as JSONSchema]));
  return {
    definitions: sorted(definitions),
    swaggerOverrides: sorted(swaggerOverrides),
    kinds: new Map([...kindMap.keys()].sort().map((k) => [k, kindMap.get(k)!])),
  };
}

export function renderOpenAPIDefinitions(header: string, p: OpenAPIPlan): string {
  const out: string[] = [header];
  out.push("/** A JSON Schema object as kube-apiserver's OpenAPI writes it (plain JSON values). */");
  out.push('export type OpenAPISchema = { readonly [key: string]: unknown };');
  out.push('');
  out.push("/** The OpenAPI v3 shape of every definition, by kube's definition name; refs point into #/components/schemas/. */");
  out.push('export const openAPIDefinitions: Readonly<Record<string, OpenAPISchema>> = {');
  for (const [name, schema] of p.definitions) out.push(`  ${JSON.stringify(name)}: ${JSON.stringify(schema)},`);
  out.push('};');
  out.push('');
  out.push('/** Swagger 2.0 shapes of the definitions whose v3 shape needs oneOf, which 2.0 lacks. */');
  out.push('export const swaggerDefinitionOverrides: Readonly<Record<string, OpenAPISchema>> = {');
  for (const [name, schema] of p.swaggerOverrides) out.push(`  ${JSON.stringify(name)}: ${JSON.stringify(schema)},`);
  out.push('};');
  out.push('');
  out.push('/**');
  out.push(' * The definition of each kind and list kind by "group/version/Kind" (group "" for core), plus');
  out.push(' * "meta/v1/DeleteOptions" and "meta/v1/WatchEvent".');
  out.push(' */');
  out.push('export const definitionOfKind: Readonly<Record<string, string>> = {');
  for (const [key, name] of p.kinds) out.push(`  ${JSON.stringify(key)}: ${JSON.stringify(name)},`);
  out.push('};');
  out.push('');
  return out.join('\n');
}
