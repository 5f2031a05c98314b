// Server-side apply: PATCH with application/apply-patch+yaml (handlers/patch.go applyPatcher and the field
// manager). The body is YAML (JSON is YAML); the merge, ownership and conflicts are src/registry/apply/.
import { parse as yamlParse } from 'yaml';
import { badRequest, conflict, isStatusError, StatusError, type Status } from '../../apimachinery/errors.js';
import { isObject } from '../../apimachinery/objects.js';
import { applyConflictError, applyToObject, TypedError } from '../../registry/apply/index.js';
import type { WriteOptions } from '../../registry/store.js';
import type { KubeObject } from '../../storage/interface.js';
import { readBody } from '../body.js';
import { writeObject } from '../responses.js';
import { validatePatchOptions } from './options.js';
import type { ResourceScope } from './scope.js';

export async function applyPatchHandler(scope: ResourceScope): Promise<void> {
  const { ctx, resource, request, store } = scope;
  const options = validatePatchOptions(scope.query, true);
  const raw = await readBody(ctx);
  const text = raw.toString('utf8');
  const applied = decodeApplyBody(text);
  if (options.fieldValidation === 'Strict') checkStrictYAML(text);

  const apiVersion = typeof applied.apiVersion === 'string' ? applied.apiVersion : '';
  const kind = typeof applied.kind === 'string' ? applied.kind : '';
  if (apiVersion !== resource.groupVersion || kind !== resource.kind) {
    throw badRequest(`invalid object type: ${goGVK(apiVersion, kind)}`);
  }
  const meta: Record<string, unknown> = isObject(applied.metadata) ? applied.metadata : {};
  if (meta.managedFields !== undefined && meta.managedFields !== null) throw badRequest('metadata.managedFields must be nil');
  const name = request.name;
  if (meta.name !== undefined && meta.name !== null && meta.name !== '' && meta.name !== name) {
    throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
  }
  if (resource.namespaced && typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== request.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const objectId = `${request.namespace}/${name}; ${goGVK(apiVersion, kind)}`;
  const precheck = scope.checkSchema(structuredClone(applied));
  if (precheck.typeErrors.length > 0) throw typedPatchError(objectId, precheck.typeErrors.join(', '));

  const subresource = request.subresource || undefined;
  const writeOptions: WriteOptions & { subresource?: string } = {
    dryRun: options.dryRun,
    subresource,
    user: scope.user,
    fromCurrent: true,
  };
  let warnings: string[] = [];
  let sawMissing = false;

  /** The object to store: the configuration applied to `current` (undefined: the apply creates it). */
  const build = (current: KubeObject | undefined): KubeObject => {
    if (current === undefined && isObject(applied.metadata) && typeof applied.metadata.uid === 'string' && applied.metadata.uid !== '') {
      throw conflict(
        store.gr,
        name,
        `uid mismatch: the provided object specified uid ${applied.metadata.uid}, and no existing object was found`,
      );
    }
    let outcome;
    try {
      outcome = applyToObject(resource, current, applied, { manager: options.fieldManager, force: options.force ?? false, subresource });
    } catch (e) {
      if (e instanceof TypedError) throw typedPatchError(objectId, e.message);
      throw e;
    }
    if (!outcome.ok) throw applyConflictError(outcome.conflicts);
    const merged = outcome.object;
    const mergedMeta: Record<string, any> = (merged.metadata ??= {});
    mergedMeta.name = name;
    // The merged object carries the stored resourceVersion; only one the configuration sets is a
    // precondition, otherwise the store retries races by applying again to the fresh object.
    if (current !== undefined && mergedMeta.resourceVersion === current.metadata?.resourceVersion && !('resourceVersion' in meta)) {
      delete mergedMeta.resourceVersion;
    }
    const checked = scope.checkSchema(merged);
    if (checked.typeErrors.length > 0) throw typedPatchError(objectId, checked.typeErrors.join(', '));
    writeOptions.schemaErrors = checked.errors;
    warnings = options.fieldValidation === 'Warn' ? checked.unknownFields.map((f) => `unknown field "${f}"`) : [];
    const obj = checked.object;
    // The schema check may rebuild metadata; managedFields computed above must survive it.
    if (mergedMeta.managedFields !== undefined) (obj.metadata ??= {}).managedFields = mergedMeta.managedFields;
    return obj;
  };

  let result: { object: KubeObject; created: boolean } | undefined;
  for (let attempt = 0; result === undefined; attempt++) {
    try {
      result = await store.update(
        request.namespace,
        name,
        (current) => {
          sawMissing = current === undefined;
          return build(current);
        },
        writeOptions,
        scope.admit,
      );
    } catch (e) {
      // Apply creates even where PUT may not (patch.go forceAllowCreate): the store refuses create-on-update
      // for most kinds, so a missing object is created here; losing a create race applies again.
      if (!(sawMissing && isStatusError(e) && e.status.code === 404) || subresource !== undefined) throw e;
      try {
        result = { object: await store.create(build(undefined), request.namespace, writeOptions, scope.admit), created: true };
      } catch (ce) {
        if (isStatusError(ce) && ce.status.reason === 'AlreadyExists' && attempt < 3) continue;
        throw ce;
      }
    }
  }
  const { object, created } = result;
  for (const w of warnings) scope.warn(w);
  writeObject(ctx, created ? 201 : 200, object, scope.negotiated.mediaType);
}

/** The applied configuration: YAML or JSON, an object. Duplicate keys are left to fieldValidation. */
function decodeApplyBody(text: string): KubeObject {
  let value: unknown;
  try {
    value = yamlParse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch (e) {
    throw badRequest(`error decoding YAML: ${firstLine(e)}`);
  }
  if (value === null || value === undefined) value = {};
  if (!isObject(value)) {
    throw badRequest(
      `error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type map[string]interface {}`,
    );
  }
  return value as KubeObject;
}

function checkStrictYAML(text: string): void {
  try {
    yamlParse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (e) {
    throw badRequest(`error strict decoding YAML: ${firstLine(e)}`);
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** schema.GroupVersionKind's String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`, `/, Kind=`. */
function goGVK(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  return `${group}/${version}, Kind=${kind}`;
}

/** A configuration the schema rejects: kube v1.34 answers 500 without a reason (issue #122480). */
function typedPatchError(objectId: string, detail: string): StatusError {
  const err = new StatusError(500, '', `failed to create typed patch object (${objectId}): ${detail}`);
  delete (err.status as Partial<Status>).reason;
  return err;
}
