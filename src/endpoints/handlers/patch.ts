// PATCH (handlers/patch.go): picks the patch type from Content-Type, applies the patch to the current stored
// object inside the store's guaranteed-update loop (so a race re-applies it to the fresh object), then runs
// the same decode checks as PUT on the result. Server-side apply is handed to ./apply.ts.
import {
  fieldErrorMessage,
  notFound,
  requestEntityTooLarge,
  routeNotFound,
  StatusError,
  routeUnsupportedMediaType,
  unsupportedMediaType,
  badRequest,
  type FieldError,
  type Status,
} from '../../apimachinery/errors.js';
import { isObject, type JSONObject, type JSONValue } from '../../apimachinery/objects.js';
import { goJSONSyntaxError } from '../../apimachinery/jsonsyntax.js';
import { goFormat, goJSONKind } from '../../registry/patch/json.js';
import { applyJSONPatch, JSONPatchError, MAX_JSON_PATCH_OPERATIONS } from '../../registry/patch/jsonpatch.js';
import { applyMergePatch, mergePatchText } from '../../registry/patch/mergepatch.js';
import { smpSchemaForKind } from '../../registry/patch/openapi-schema.js';
import { strategicMergePatch, StrategicMergePatchError, type SMPSchema } from '../../registry/patch/strategic.js';
import type { WriteOptions } from '../../registry/store.js';
import type { KubeObject } from '../../storage/interface.js';
import { readBody } from '../body.js';
import { writeObject } from '../responses.js';
import { applyPatchHandler } from './apply.js';
import { validatePatchOptions, type FieldValidation } from './options.js';
import { writeScale } from './scale.js';
import { dedupOwnerReferences } from './write.js';
import type { ResourceScope } from './scope.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH_YAML = 'application/apply-patch+yaml';

/** Patch types of built-in kinds, in the order kube lists them (installer.go). */
const BUILTIN_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH_YAML];
/** Kinds without Go struct tags (custom resources) have no strategic merge patch (customresource_handler.go). */
const UNTYPED_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH_YAML];

/** PatchOptions validation (ValidatePatchOptions): every problem in one 422 on PatchOptions.meta.k8s.io. */
/** The patch type from Content-Type (parameters dropped), or 415 listing what the resource accepts. */
export function patchTypeOf(contentType: string | undefined, strategicSupported: boolean): string {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  // kube's PATCH routes consume the four patch types: anything else is the router's 415. A kind without
  // strategic merge metadata refuses that one in the handler, listing what it takes.
  if (!BUILTIN_PATCH_TYPES.includes(type)) throw routeUnsupportedMediaType();
  const accepted = strategicSupported ? BUILTIN_PATCH_TYPES : UNTYPED_PATCH_TYPES;
  if (!accepted.includes(type)) throw unsupportedMediaType(type, accepted);
  return type;
}

export async function patchHandler(scope: ResourceScope): Promise<void> {
  const { ctx, resource, request, store } = scope;
  const subresource = resource.subresources.find((s) => s.name === request.subresource);
  const isScale = request.subresource === 'scale';
  // Other subresources that speak another kind have no PATCH here.
  if (subresource?.kind !== undefined && !isScale) throw routeNotFound();

  const smpSchema = isScale
    ? smpSchemaForKind('autoscaling', 'v1', 'Scale')
    : smpSchemaForKind(resource.group, resource.version, resource.kind);
  const patchType = patchTypeOf(ctx.get('content-type'), smpSchema !== undefined);
  if (patchType === APPLY_PATCH_YAML) return applyPatchHandler(scope);

  const options = validatePatchOptions(scope.query, false);
  const raw = await readBody(ctx);
  const patch = decodePatch(raw.toString('utf8'), patchType, options.fieldValidation);
  if (isScale) return patchScale(scope, options.dryRun, patchType, patch, smpSchema);

  const name = request.name;
  const writeOptions: WriteOptions & { subresource?: string } = {
    dryRun: options.dryRun,
    subresource: request.subresource || undefined,
    fieldManager: scope.fieldManager,
    fromCurrent: true,
  };
  let warnings: string[] = [];
  const { object } = await store.update(
    request.namespace,
    name,
    (current) => {
      if (current === undefined) throw notFound(store.gr, name);
      // A merge patch's result is decoded from the text the library writes, whose key order kube quotes when it
      // does not decode and keeps in raw fields (a ControllerRevision's data); the other engines give values.
      const text = patchType === MERGE_PATCH ? mergePatchText(current as JSONObject, patch) : undefined;
      const patched = text === undefined ? applyPatch(patchType, current as JSONObject, patch, smpSchema) : (JSON.parse(text) as JSONValue);
      const checked = checkPatchedObject(scope, patched, patchType, options.fieldValidation, text);
      warnings = checked.warnings;
      writeOptions.schemaErrors = checked.schemaErrors;
      const { obj, meta } = checked;
      dedupOwnerReferences(obj, (m) => warnings.push(m), true);
      // The stored resourceVersion rides along in every patched object; only a patch that changes it makes
      // it a precondition. Otherwise the write is unconditional and the store retries races by re-patching.
      if (meta.resourceVersion === current.metadata?.resourceVersion) delete meta.resourceVersion;
      return obj;
    },
    writeOptions,
    scope.admit,
  );
  for (const w of warnings) scope.warn(w);
  writeObject(ctx, 200, object, scope.negotiated.mediaType);
}

/**
 * PATCH of /scale patches the autoscaling/v1 Scale view of the workload and writes it back like PUT does.
 * As for the object itself, the view's resourceVersion is a precondition only if the patch changed it.
 */
function patchScale(
  scope: ResourceScope,
  dryRun: boolean,
  patchType: string,
  patch: JSONValue,
  smpSchema: SMPSchema | undefined,
): Promise<void> {
  return writeScale(scope, dryRun, (current) => {
    const patched = applyPatch(patchType, current as JSONObject, patch, smpSchema);
    if (!isObject(patched))
      throw patchInvalid(JSON.stringify(patched), `json: cannot unmarshal ${goJSONKind(patched)} into Go value of type autoscaling.Scale`);
    if ((patched.kind ?? 'Scale') !== 'Scale' || (patched.apiVersion ?? 'autoscaling/v1') !== 'autoscaling/v1') {
      throw patchInvalid(
        JSON.stringify(patched),
        `${String(patched.kind)} in version "${String(patched.apiVersion)}" cannot be handled as a Scale`,
      );
    }
    const meta = isObject(patched.metadata) ? patched.metadata : {};
    if (meta.resourceVersion === current.metadata?.resourceVersion) delete meta.resourceVersion;
    return patched as KubeObject;
  });
}

/** Decodes the body for its patch type with kube's 400 messages (the prefix depends on fieldValidation). */
export function decodePatch(text: string, patchType: string, fieldValidation: FieldValidation): JSONValue {
  const prefix = fieldValidation === 'Ignore' ? '' : 'error decoding patch: ';
  let value: JSONValue;
  try {
    value = JSON.parse(text) as JSONValue;
  } catch (e) {
    if (patchType === MERGE_PATCH && fieldValidation === 'Ignore') throw badRequest('Invalid JSON Patch');
    const syntax = goJSONSyntaxError(text) ?? (e instanceof Error ? e.message : String(e));
    if (patchType === STRATEGIC_MERGE_PATCH) throw badRequest(syntax);
    throw badRequest(`${prefix}${syntax}`);
  }
  switch (patchType) {
    case JSON_PATCH:
      if (!Array.isArray(value)) {
        throw badRequest(`${prefix}json: cannot unmarshal ${goJSONKind(value)} into Go value of type jsonpatch.Patch`);
      }
      if (value.length > MAX_JSON_PATCH_OPERATIONS) {
        throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${value.length}`);
      }
      return value;
    case MERGE_PATCH:
      if (value === null) throw badRequest('Invalid JSON Patch');
      if (fieldValidation === 'Ignore') {
        // The library takes an array as a whole new document (which then fails to decode); scalars are refused.
        if (!isObject(value) && !Array.isArray(value)) throw badRequest('Invalid JSON Patch');
        return value;
      }
      if (!isObject(value)) {
        throw badRequest(`${prefix}json: cannot unmarshal ${goJSONKind(value)} into Go value of type map[string]interface {}`);
      }
      return value;
    default:
      // Strategic merge patch: a JSON null decodes to an empty patch.
      if (value === null) return {};
      if (!isObject(value)) throw badRequest(`json: cannot unmarshal ${goJSONKind(value)} into Go value of type map[string]interface {}`);
      return value;
  }
}

/** The three engines, with their failures turned into kube's Status answers. */
export function applyPatch(patchType: string, current: JSONObject, patch: JSONValue, smpSchema: SMPSchema | undefined): JSONValue {
  switch (patchType) {
    case JSON_PATCH:
      try {
        return applyJSONPatch(current, patch as JSONValue[]);
      } catch (e) {
        // kube passes the failure through NewGenericServerResponse(422), which replaces the library's text.
        if (e instanceof JSONPatchError)
          throw new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
        throw e;
      }
    case MERGE_PATCH:
      return applyMergePatch(current, patch);
    default:
      try {
        return strategicMergePatch(current, patch as JSONObject, smpSchema!);
      } catch (e) {
        if (e instanceof StrategicMergePatchError) throw smpErrorToStatus(e);
        throw e;
      }
  }
}

/** interpretStrategicMergePatchError: format errors 400, two content errors a generic 422, the rest 500. */
function smpErrorToStatus(e: StrategicMergePatchError): StatusError {
  switch (e.kind) {
    case 'BadRequest':
      return badRequest(e.message);
    case 'Invalid':
      return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
    case 'Internal': {
      // A plain Go error becomes a 500 Status without a reason (ErrorToAPIStatus, StatusReasonUnknown).
      const err = new StatusError(500, '', e.message);
      delete (err.status as Partial<Status>).reason;
      return err;
    }
  }
}

interface CheckedObject {
  obj: KubeObject;
  /** obj.metadata, always present. */
  meta: Record<string, any>;
  schemaErrors: FieldError[];
  warnings: string[];
}

/**
 * The patched document must decode into the served kind: same apiVersion and kind, the URL's name and
 * namespace, known fields (fieldValidation) and correct types. Decode failures are 422 on field `patch`.
 */
function checkPatchedObject(
  scope: ResourceScope,
  patched: JSONValue,
  patchType: string,
  fieldValidation: FieldValidation,
  text?: string,
): CheckedObject {
  const { resource, request } = scope;
  const shown = () => text ?? (patchType === STRATEGIC_MERGE_PATCH ? goFormat(patched) : JSON.stringify(patched));
  if (!isObject(patched)) {
    throw patchInvalid(
      shown(),
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJSONKind(patched)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  const apiVersion = patched.apiVersion ?? '';
  const kind = patched.kind ?? '';
  if ((apiVersion !== '' && apiVersion !== resource.groupVersion) || (kind !== '' && kind !== resource.kind)) {
    const version = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[1] : String(apiVersion);
    throw patchInvalid(
      shown(),
      `${String(kind)} in version "${version}" cannot be handled as a ${resource.kind}: no kind "${String(kind)}" is registered for version "${String(apiVersion)}" in scheme`,
    );
  }
  patched.apiVersion = resource.groupVersion;
  patched.kind = resource.kind;

  // The patched object is decoded (type and strict-field errors: 422 on `patch`) before kube's checkName looks at it.
  const checked = scope.checkSchema(patched as KubeObject);
  // Go's decoder reports the first wrongly typed field only.
  if (checked.typeErrors.length > 0) throw patchInvalid(shown(), checked.typeErrors[0]);
  const warnings: string[] = [];
  if (checked.unknownFields.length > 0) {
    const unknown = checked.unknownFields.map((f) => `unknown field "${f}"`);
    if (fieldValidation === 'Strict') throw patchInvalid(shown(), `strict decoding error: ${unknown.join(', ')}`);
    if (fieldValidation === 'Warn') warnings.push(...unknown);
  }
  const meta = isObject(patched.metadata) ? patched.metadata : {};
  const objName = typeof meta.name === 'string' ? meta.name : '';
  if (objName !== request.name) {
    throw badRequest(`the name of the object (${objName}) does not match the name on the URL (${request.name})`);
  }
  const objNamespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (resource.namespaced && objNamespace !== '' && objNamespace !== request.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }

  const obj = checked.object;
  const objMeta: Record<string, any> = isObject(obj.metadata) ? obj.metadata : {};
  obj.metadata = objMeta;
  return { obj, meta: objMeta, schemaErrors: checked.errors, warnings };
}

/** `NewInvalid(schema.GroupKind{}, "", patch: Invalid value: ...)`: no kind or name, one cause on `patch`. */
function patchInvalid(value: string, detail: string): StatusError {
  const error: FieldError = { type: 'FieldValueInvalid', field: 'patch', value, detail };
  return new StatusError(422, 'Invalid', ` "" is invalid: ${fieldErrorMessage(error)}`, {
    causes: [{ reason: error.type, message: fieldErrorMessage(error, false), field: error.field }],
  });
}
