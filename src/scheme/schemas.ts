// Glue between the generated zod schemas and the write handlers: one checker per served kind.
import type { SchemaCheck } from '../endpoints/handlers/scope.js';
import { schemaForKind } from '../generated/index.js';
import type { KubeObject } from '../storage/interface.js';
import type { ResourceInfo } from './types.js';
import { validateAgainstSchema } from './validate.js';

export function schemaCheckerFor(): (resource: ResourceInfo, obj: KubeObject) => SchemaCheck {
  return (resource, obj) => {
    const schema = schemaForKind(resource.group, resource.version, resource.kind);
    if (!schema) return { object: obj, unknownFields: [], typeErrors: [], errors: [] };
    const r = validateAgainstSchema(schema, obj);
    return { object: r.object as KubeObject, unknownFields: r.unknownFields, typeErrors: r.typeErrors ?? [], errors: r.errors };
  };
}
