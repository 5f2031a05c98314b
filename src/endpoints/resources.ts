// Routes a resource request (RequestInfo already parsed) to the handler for its verb, after checking that
// the scheme serves the resource, the scope and the verb.
import type Koa from 'koa';
import { methodNotAllowed, methodNotSupported, routeNotFound } from '../apimachinery/errors.js';
import type { UserInfo } from '../apimachinery/user.js';
import type { AdmissionHook, ResourceStore } from '../registry/store.js';
import type { ResourceInfo, Scheme } from '../scheme/index.js';
import { negotiate } from './negotiation.js';
import { addWarning } from './warning.js';
import type { RequestInfo } from './requestinfo.js';
import { deleteCollectionHandler, deleteHandler } from './handlers/delete.js';
import { getHandler, listHandler } from './handlers/read.js';
import type { ResourceScope } from './handlers/scope.js';
import { watchHandler, type WatchSettings } from './handlers/watch.js';
import { createHandler, updateHandler } from './handlers/write.js';
import { getScaleHandler, updateScaleHandler } from './handlers/scale.js';
import { tokenRequestHandler, type TokenRequestIssuer } from './handlers/token.js';
import { bindingHandler } from './handlers/binding.js';
import { READ_AS } from './tables.js';
import { managerFromRequest } from '../registry/apply/managed.js';
import type { SchemaChecker } from '../scheme/schemas.js';
import type { CreateOnlyStore } from '../registry/create-only.js';
import { createOnlyHandler } from './handlers/create-only.js';

export interface ResourceEndpointsDeps {
  scheme: Scheme;
  stores: Map<ResourceInfo, ResourceStore>;
  /** The create-only resources' handlers (the review APIs), one for each resource the scheme does not store. */
  createOnly: Map<ResourceInfo, CreateOnlyStore>;
  schemas: SchemaChecker;
  /** The checks between the strategy and storage for one request by one user (admission, RBAC escalation). */
  admissionFor(
    resource: ResourceInfo,
    request: RequestInfo,
    user: UserInfo,
    response: { warn(message: string): void; annotate(key: string, value: string): void },
    query: URLSearchParams,
  ): AdmissionHook;
  watch: WatchSettings;
  /** Issues ServiceAccount tokens (serviceaccounts/token); absent without --service-account-signing-key-file. */
  tokenRequest?: TokenRequestIssuer;
}

export function createResourceEndpoints(deps: ResourceEndpointsDeps) {
  return async function handleResource(ctx: Koa.Context, request: RequestInfo, query: URLSearchParams): Promise<void> {
    const resource = deps.scheme.lookup(request.apiGroup, request.apiVersion, request.resource);
    if (!resource) throw routeNotFound();
    // A namespaced path for a cluster-scoped resource (or a namespaced resource's object path without a namespace) does not exist.
    if (!resource.namespaced && request.namespace !== '') throw routeNotFound();
    if (resource.namespaced && request.name !== '' && request.namespace === '') throw routeNotFound();
    // A create-only resource has only its collection's POST route (under its namespace when namespaced).
    if (!resource.stored && (request.name !== '' || (resource.namespaced && request.namespace === ''))) throw routeNotFound();
    const gr = { group: resource.group, resource: resource.resource };

    let verbs = resource.verbs;
    if (request.subresource !== '') {
      const sub = resource.subresources.find((s) => s.name === request.subresource);
      if (!sub || request.parts.length > 3) throw routeNotFound();
      verbs = sub.verbs;
    } else if (request.parts.length > 3) {
      throw routeNotFound();
    }
    const verb = request.verb;
    // POST is routed on collections (and subresources) only: an object path has no POST route; PUT and PATCH
    // are routed on object paths only, so on a collection they are the router's 405 too.
    const postToObject = verb === 'create' && request.name !== '' && request.subresource === '';
    const writeToCollection = (verb === 'update' || verb === 'patch') && request.name === '';
    if (postToObject || writeToCollection || !verbs.includes(verb)) {
      // kube registers no route for an unsupported verb, so the router answers 405.
      throw methodNotAllowed();
    }

    if (!resource.stored) {
      await deps.schemas.load();
      return createOnlyHandler(
        {
          ctx,
          request,
          resource,
          servedResources: deps.scheme.resources,
          negotiated: negotiate(ctx.get('accept')),
          query,
          checkSchema: (obj) => deps.schemas.check(resource, obj),
          user: ctx.state.user as UserInfo,
          get fieldManager() {
            return managerFromRequest(query.get('fieldManager'), ctx.get('user-agent'));
          },
          warn: (message) => warn(ctx, message),
        },
        deps.createOnly.get(resource)!,
      );
    }
    const store = deps.stores.get(resource)!;
    const scope: ResourceScope = {
      ctx,
      request,
      resource,
      servedResources: deps.scheme.resources,
      store,
      negotiated: negotiate(ctx.get('accept'), request.subresource === '' ? (READ_AS[request.verb] ?? []) : []),
      query,
      checkSchema: (obj) => deps.schemas.check(resource, obj),
      // Only writes need it: worked out on first use.
      get fieldManager() {
        return managerFromRequest(query.get('fieldManager'), ctx.get('user-agent'));
      },
      admit: deps.admissionFor(resource, request, ctx.state.user as UserInfo, admissionResponse(ctx), query),
      user: ctx.state.user as UserInfo,
      warn: (message) => warn(ctx, message),
    };

    // Writes check bodies against the generated schemas, which load with the first write.
    if (request.verb === 'create' || request.verb === 'update' || request.verb === 'patch') await deps.schemas.load();
    if (request.subresource === 'token' && resource.group === '' && resource.resource === 'serviceaccounts') {
      // The subresource speaks authentication.k8s.io/v1 TokenRequest: its body is checked against that schema.
      const tokenRequestKind = { ...resource, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
      return tokenRequestHandler(scope, deps.tokenRequest, (obj) => deps.schemas.check(tokenRequestKind, obj));
    }
    if (request.subresource === 'binding' && resource.group === '' && resource.resource === 'pods') {
      // The subresource speaks v1 Binding: its body is checked against that schema.
      return bindingHandler(scope, (obj) => deps.schemas.check({ ...resource, kind: 'Binding' }, obj));
    }
    if (request.subresource === 'scale') {
      if (request.verb === 'get') return getScaleHandler(scope);
      if (request.verb === 'update') return updateScaleHandler(scope);
    }
    switch (request.verb) {
      case 'get':
        return getHandler(scope);
      case 'list':
        return listHandler(scope);
      case 'watch':
        return watchHandler(scope, deps.watch);
      case 'create':
        return createHandler(scope);
      case 'update':
        return updateHandler(scope);
      case 'patch':
        // The patch and apply engines load on first use.
        return (await import('./handlers/patch.js')).patchHandler(scope);
      case 'delete':
        return deleteHandler(scope);
      case 'deletecollection':
        return deleteCollectionHandler(scope);
      default:
        throw methodNotSupported(gr, request.verb);
    }
  };
}

/** A `Warning: 299 - "..."` response header, as k8s.io/apiserver/pkg/warning writes one. */
function warn(ctx: Koa.Context, message: string): void {
  addWarning((name, value) => ctx.append(name, value), (ctx.state.warnings ??= new Set<string>()) as Set<string>, message);
}

/** Where admission's warnings and audit annotations go: the response's headers, the request's audit annotations. */
function admissionResponse(ctx: Koa.Context) {
  return {
    warn: (message: string) => warn(ctx, message),
    annotate: (key: string, value: string) => {
      ((ctx.state.auditAnnotations ??= {}) as Record<string, string>)[key] = value;
    },
  };
}
