// Glue between the generated zod schemas and the write handlers: one checker per served kind. Building the
// schemas is most of kgate's start-up cost, so they are loaded with the first write, not at start.
import type { FieldError } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/meta.js';
import type { ResourceInfo } from './types.js';

type Generated = typeof import('../generated/index.js');
type Validate = typeof import('./validate.js');

/** Result of checking a decoded body against the kind's generated schema. */
export interface SchemaCheck {
  object: KubeObject;
  unknownFields: string[];
  typeErrors: string[];
  errors: FieldError[];
}

export interface SchemaChecker {
  /** Resolves once the schemas are built; writes await it before checking. */
  load(): Promise<void>;
  check(resource: ResourceInfo, obj: KubeObject): SchemaCheck;
}

export function schemaChecker(): SchemaChecker {
  let modules: { generated: Generated; validate: Validate } | undefined;
  let loading: Promise<void> | undefined;
  return {
    load() {
      return (loading ??= Promise.all([import('../generated/index.js'), import('./validate.js')]).then(([generated, validate]) => {
        modules = { generated, validate };
      }));
    },
    check(resource, obj) {
      if (!modules) throw new Error('schema check before the schemas were loaded');
      const schema = modules.generated.schemaForKind(resource.group, resource.version, resource.kind);
      if (!schema) return { object: obj, unknownFields: [], typeErrors: [], errors: [] };
      const r = modules.validate.validateAgainstSchema(schema, obj);
      return { object: r.object as KubeObject, unknownFields: r.unknownFields, typeErrors: r.typeErrors ?? [], errors: r.errors };
    },
  };
}
