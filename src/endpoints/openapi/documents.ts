// OpenAPI documents from the Scheme and the generated definitions: one OpenAPI 3.0 document per group/version
// (kube-apiserver's /openapi/v3/<gv>) and one Swagger 2.0 document of everything (/openapi/v2).
import {
  definitionOfKind,
  openAPIDefinitions,
  swaggerDefinitionOverrides,
  type OpenAPISchema,
} from '../../generated/openapi-definitions.js';
import type { ResourceInfo, Scheme } from '../../scheme/index.js';
import { groupVersionRoot, PATCH_KIND, resourcePaths, type Operation, type Param, type PathItem } from './operations.js';

/** What /version reports; kube's documents carry it as info.version. */
const KUBERNETES_VERSION = 'v1.34.0';

const V3_REF = '#/components/schemas/';
const V2_REF = '#/definitions/';

type JSONObject = { [key: string]: unknown };

/** Definitions that are not client-node models (meta/v1 types.go: Patch). */
const EXTRA_DEFINITIONS: Readonly<Record<string, OpenAPISchema>> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
};
const EXTRA_KINDS: Readonly<Record<string, string>> = { [PATCH_KIND]: 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch' };

/** Response media types kgate serves (JSON and YAML; watches stream JSON). */
const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml'];
const WATCH_MEDIA_TYPES = ['application/json', 'application/json;stream=watch'];

function definitionName(kindKey: string): string {
  const name = definitionOfKind[kindKey] ?? EXTRA_KINDS[kindKey];
  if (name === undefined) throw new Error(`no OpenAPI definition for ${kindKey}`);
  return name;
}

function definition(name: string): OpenAPISchema {
  const d = openAPIDefinitions[name] ?? EXTRA_DEFINITIONS[name];
  if (d === undefined) throw new Error(`no OpenAPI definition named ${name}`);
  return d;
}

/** The definitions `roots` reach through `$ref`s, sorted by name. */
function reachableDefinitions(roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith(V3_REF)) stack.push(v.slice(V3_REF.length));
        else collect(v);
      }
    }
  };
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    collect(definition(name));
  }
  return [...seen].sort();
}

/** Rewrites a v3 schema for Swagger 2.0: #/definitions/ refs, and `allOf: [ref]` back to a plain `$ref` with siblings. */
function toSwaggerSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSwaggerSchema);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as JSONObject;
  const out: JSONObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === '$ref' && typeof v === 'string') out[k] = V2_REF + v.slice(V3_REF.length);
    else if (k === 'allOf' && Array.isArray(v) && v.length === 1) Object.assign(out, toSwaggerSchema(v[0]) as JSONObject);
    else out[k] = toSwaggerSchema(v);
  }
  return out;
}

function gvkExtension(op: Operation): JSONObject {
  return { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
}

// ---- OpenAPI 3.0 ----

function v3Param(p: Param): JSONObject {
  const out: JSONObject = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

function v3Content(mediaTypes: readonly string[], kindKey: string): JSONObject {
  const content: JSONObject = {};
  for (const m of mediaTypes) content[m] = { schema: { $ref: V3_REF + definitionName(kindKey) } };
  return content;
}

function v3Operation(op: Operation): JSONObject {
  const out: JSONObject = { description: op.description, operationId: op.operationId };
  if (op.params.length > 0) out.parameters = op.params.map(v3Param);
  if (op.body !== undefined) {
    out.requestBody = { content: v3Content(op.body.contentTypes, op.body.kind), ...(op.body.required ? { required: true } : {}) };
  }
  const responses: JSONObject = {};
  for (const r of op.responses) {
    responses[r.code] =
      r.kind === undefined
        ? { description: r.description }
        : { content: v3Content(op.streaming ? WATCH_MEDIA_TYPES : OBJECT_MEDIA_TYPES, r.kind), description: r.description };
  }
  out.responses = responses;
  out.tags = [op.tag];
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = gvkExtension(op);
  return out;
}

function usedKinds(items: readonly PathItem[]): Set<string> {
  const kinds = new Set<string>();
  for (const item of items) {
    for (const op of item.operations) {
      if (op.body !== undefined) kinds.add(op.body.kind);
      for (const r of op.responses) if (r.kind !== undefined) kinds.add(r.kind);
    }
  }
  return kinds;
}

function sortedPaths(items: readonly PathItem[], render: (item: PathItem) => JSONObject): JSONObject {
  const paths: JSONObject = {};
  for (const item of [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) paths[item.path] = render(item);
  return paths;
}

/** The OpenAPI 3.0 document of one group/version: its paths and only the definitions they reach. */
export function groupVersionDocument(resources: readonly ResourceInfo[]): JSONObject {
  const items = resources.flatMap(resourcePaths);
  const schemas: JSONObject = {};
  for (const name of reachableDefinitions([...usedKinds(items)].map(definitionName))) schemas[name] = definition(name);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
    paths: sortedPaths(items, (item) => {
      const out: JSONObject = {};
      for (const op of item.operations) out[op.method] = v3Operation(op);
      out.parameters = item.params.map(v3Param);
      return out;
    }),
    components: {
      schemas,
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
    security: [{ BearerToken: [] }],
  };
}

/** `api/v1`, `apis/apps/v1`: the keys of the /openapi/v3 index. */
export function groupVersionKey(group: string, version: string): string {
  return groupVersionRoot(group, version).slice(1);
}

/** Served resources per group/version key, in Scheme order. */
export function resourcesByGroupVersion(scheme: Scheme): Map<string, ResourceInfo[]> {
  const out = new Map<string, ResourceInfo[]>();
  for (const r of scheme.resources) {
    const key = groupVersionKey(r.group, r.version);
    const list = out.get(key) ?? [];
    list.push(r);
    out.set(key, list);
  }
  return out;
}

// ---- Swagger 2.0 ----

function v2Param(p: Param): JSONObject {
  const out: JSONObject = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.type = p.type;
  out.uniqueItems = true;
  return out;
}

function v2Operation(op: Operation): JSONObject {
  const out: JSONObject = {};
  out.consumes = op.body !== undefined ? [...op.body.contentTypes] : ['*/*'];
  out.description = op.description;
  out.operationId = op.operationId;
  const params = op.params.map(v2Param);
  if (op.body !== undefined) {
    params.unshift({
      in: 'body',
      name: 'body',
      ...(op.body.required ? { required: true } : {}),
      schema: { $ref: V2_REF + definitionName(op.body.kind) },
    });
  }
  if (params.length > 0) out.parameters = params;
  out.produces = op.streaming ? WATCH_MEDIA_TYPES : OBJECT_MEDIA_TYPES;
  const responses: JSONObject = {};
  for (const r of op.responses) {
    responses[r.code] =
      r.kind === undefined
        ? { description: r.description }
        : { description: r.description, schema: { $ref: V2_REF + definitionName(r.kind) } };
  }
  out.responses = responses;
  out.schemes = ['https'];
  out.tags = [op.tag];
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = gvkExtension(op);
  return out;
}

/** The Swagger 2.0 document of every served group/version. */
export function swaggerDocument(scheme: Scheme): JSONObject {
  const items = scheme.resources.flatMap(resourcePaths);
  const definitions: JSONObject = {};
  for (const name of reachableDefinitions([...usedKinds(items)].map(definitionName))) {
    definitions[name] = toSwaggerSchema(swaggerDefinitionOverrides[name] ?? definition(name));
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
    paths: sortedPaths(items, (item) => {
      const out: JSONObject = {};
      for (const op of item.operations) out[op.method] = v2Operation(op);
      out.parameters = item.params.map(v2Param);
      return out;
    }),
    definitions,
    securityDefinitions: {
      BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' },
    },
    security: [{ BearerToken: [] }],
  };
}
