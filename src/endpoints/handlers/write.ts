// Create (POST) and update (PUT) handlers: decode, check kind and namespace against the path, schema
// validation with fieldValidation, then the registry (handlers/create.go, handlers/update.go).
import { badRequest, type FieldError } from '../../apimachinery/errors.js';
import { deepEqual } from '../../apimachinery/objects.js';
import type { KubeObject } from '../../storage/interface.js';
import { bodyMediaType, decodeObject, readBody } from '../body.js';
import { KUBERNETES_PROTOBUF } from '../../protobuf/media.js';
import { writeObject } from '../responses.js';
import { validateWriteOptions, type FieldValidation } from './options.js';
import { internalTypeName, isRegistered, type DecodedKind } from '../../scheme/registered.js';
import type { ResourceScope } from './scope.js';

const WRITE_MEDIA_TYPES = ['application/json', 'application/yaml', KUBERNETES_PROTOBUF] as const;

/**
 * Decodes the body into the served kind, applying kube's checks in its order: decode (400), group/version
 * and kind against the path (400), unknown fields by fieldValidation (400 or warnings), wrongly typed
 * fields (400). Schema field errors are returned for the registry to report together with its own (422).
 */
export async function decodeForWrite(
  scope: Pick<ResourceScope, 'ctx' | 'resource' | 'servedResources' | 'checkSchema' | 'warn'>,
  fieldValidation: FieldValidation,
): Promise<{ obj: KubeObject; schemaErrors: FieldError[] }> {
  const { ctx, resource } = scope;
  const mediaType = bodyMediaType(ctx.get('content-type'), WRITE_MEDIA_TYPES);
  const raw = await readBody(ctx);
  const body = await decodeObject(raw, mediaType, resource.kind);

  const gvk = resolveKind(scope, body);
  body.apiVersion = resource.groupVersion;
  body.kind = resource.kind;

  const checked = scope.checkSchema(body);
  // transformDecodeError: once the kind is known, every decode error names it and the endpoint's kind.
  const cannotHandle = `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${resource.kind}`;
  if (checked.typeErrors.length > 0) {
    // Go's decoder stops at the first wrongly typed field, before the strict checks, so kube reports only that one.
    throw badRequest(`${cannotHandle}: ${checked.typeErrors[0]}`);
  }
  if (checked.unknownFields.length > 0) {
    if (fieldValidation === 'Strict') {
      throw badRequest(`${cannotHandle}: strict decoding error: ${checked.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
    }
    if (fieldValidation === 'Warn') for (const f of checked.unknownFields) scope.warn(`unknown field "${f}"`);
  }
  return { obj: checked.object, schemaErrors: checked.errors };
}

/**
 * The group/version/kind a body decodes as, kube's way: a missing apiVersion or kind is the endpoint's (the
 * decoder's default); a kind the scheme does not register, a kind of another internal type, or another version
 * of the endpoint's type are 400s with the decoder's and the handler's texts.
 */
function resolveKind(scope: Pick<ResourceScope, 'resource' | 'servedResources'>, body: Record<string, unknown>): DecodedKind {
  const { resource } = scope;
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
  const kind = typeof body.kind === 'string' && body.kind !== '' ? body.kind : resource.kind;
  let group = resource.group;
  let version = resource.version;
  if (apiVersion !== '') {
    const slash = apiVersion.indexOf('/');
    [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  }
  const gvk = { group, version, kind };
  const groupVersion = group === '' ? version : `${group}/${version}`;
  const cannotHandle = `${kind} in version "${version}" cannot be handled as a ${resource.kind}`;
  if (!isRegistered(gvk, scope.servedResources)) {
    throw badRequest(
      `${cannotHandle}: no kind "${kind}" is registered for version "${groupVersion}" in scheme "pkg/runtime/scheme.go:110"`,
    );
  }
  const target = internalTypeName(resource);
  if (internalTypeName(gvk) !== target)
    throw badRequest(`${cannotHandle}: converting (${version}.${kind}) to (${target}): unknown conversion`);
  if (groupVersion !== resource.groupVersion) {
    throw badRequest(`the API version in the data (${groupVersion}) does not match the expected API version (${resource.groupVersion})`);
  }
  return gvk;
}

function checkNamespace(scope: ResourceScope, obj: KubeObject): void {
  const ns = obj.metadata?.namespace;
  if (scope.resource.namespaced && ns !== undefined && ns !== '' && ns !== scope.request.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

/**
 * dedupOwnerReferencesAndAddWarning (handlers/rest.go): an owner reference repeated exactly (same uid and fields)
 * is dropped with a warning naming its uid. Create and update do it before mutating admission, patch after it.
 */
export function dedupOwnerReferences(obj: KubeObject, warn: (message: string) => void, afterMutatingAdmission: boolean): void {
  const refs: unknown = obj.metadata?.ownerReferences;
  if (!Array.isArray(refs) || refs.length < 2) return;
  const kept: unknown[] = [];
  const duplicates: string[] = [];
  for (const ref of refs) {
    if (kept.some((k) => deepEqual(k, ref))) duplicates.push(String((ref as { uid?: unknown })?.uid ?? ''));
    else kept.push(ref);
  }
  if (duplicates.length === 0) return;
  const when = afterMutatingAdmission ? ' after mutating admission happens' : '';
  warn(
    `.metadata.ownerReferences contains duplicate entries${when}; API server dedups owner references in 1.20+, and may reject such requests as early as 1.24; please fix your requests; duplicate UID(s) observed: ${duplicates.join(', ')}`,
  );
  obj.metadata!.ownerReferences = kept;
}

export async function createHandler(scope: ResourceScope): Promise<void> {
  const { dryRun, fieldValidation } = validateWriteOptions(scope.query, 'CreateOptions');
  const { obj, schemaErrors } = await decodeForWrite(scope, fieldValidation);
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  checkNamespace(scope, obj);
  dedupOwnerReferences(obj, (m) => scope.warn(m), false);
  const created = await scope.store.create(
    obj,
    scope.request.namespace,
    { dryRun, schemaErrors, fieldManager: scope.fieldManager, user: scope.user },
    scope.admit,
  );
  writeObject(scope.ctx, 201, created, scope.negotiated.mediaType);
}

export async function updateHandler(scope: ResourceScope): Promise<void> {
  const { dryRun, fieldValidation } = validateWriteOptions(scope.query, 'UpdateOptions');
  const { obj, schemaErrors } = await decodeForWrite(scope, fieldValidation);
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  checkNamespace(scope, obj);
  const name = scope.request.name;
  // checkName (handlers/rest.go): the body must name the object, and name the one in the URL.
  if (obj.metadata.name === undefined || obj.metadata.name === '') {
    throw badRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`);
  }
  if (obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  }
  dedupOwnerReferences(obj, (m) => scope.warn(m), false);
  const subresource = scope.request.subresource;
  const { object, created } = await scope.store.update(
    scope.request.namespace,
    name,
    () => structuredClone(obj),
    {
      dryRun,
      subresource: subresource || undefined,
      schemaErrors,
      fieldManager: scope.fieldManager,
      uid: typeof obj.metadata.uid === 'string' ? obj.metadata.uid : undefined,
    },
    scope.admit,
  );
  writeObject(scope.ctx, created ? 201 : 200, object, scope.negotiated.mediaType);
}
