// GET of one object and LIST (handlers/get.go): resourceVersion semantics, selectors, limit and continue.
import { resourceExpired, StatusError, tooLargeResourceVersion } from '../../apimachinery/errors.js';
import { nextPageContinue } from '../../apimachinery/continue.js';
import type { ListRequest } from '../../registry/store.js';
import type { KubeObject } from '../../storage/interface.js';
import { writeObject, writeText } from '../responses.js';
import { listJSON } from '../serialize.js';
import { parseFilter, parseListQuery, parseResourceVersion } from './options.js';
import { storageListStart } from '../../apimachinery/resourceversion.js';
import type { ResourceScope } from './scope.js';
import { partialList, partialObject, renderTable, wantsPartial, wantsTable } from '../tables.js';

export async function getHandler(scope: ResourceScope): Promise<void> {
  const { request } = scope;
  const rv = scope.query.get('resourceVersion');
  if (rv !== null && rv !== '' && rv !== '0') {
    const wanted = parseResourceVersion(rv, 'get');
    const current = await scope.store.currentRevision();
    if (wanted > current) throw tooLargeResourceVersion(wanted, current);
  }
  const obj = await scope.store.get(request.namespace, request.name);
  if (wantsTable(scope.negotiated)) {
    writeObject(
      scope.ctx,
      200,
      renderTable(scope, [obj], { resourceVersion: obj.metadata?.resourceVersion ?? '' }),
      scope.negotiated.mediaType,
    );
    return;
  }
  if (wantsPartial(scope.negotiated)) {
    writeObject(scope.ctx, 200, partialObject(scope.negotiated, obj), scope.negotiated.mediaType);
    return;
  }
  writeObject(scope.ctx, 200, obj, scope.negotiated.mediaType);
}

/** Runs a list with kube's resourceVersion rules and returns the List object. */
export async function listObjects(
  scope: ResourceScope,
  q: URLSearchParams = scope.query,
): Promise<{ items: KubeObject[]; metadata: Record<string, any> }> {
  const opts = parseListQuery(q, false);
  const filter = parseFilter(q, scope.store.fieldSet);
  const req: ListRequest = { namespace: scope.request.namespace, filter };
  if (opts.limit !== undefined && opts.limit > 0) req.limit = opts.limit;
  // Where to start: a continue token's key and revision, an exact revision, or the latest (not older than rv).
  const start = storageListStart(opts, scope.store.listPrefix(scope.request.namespace));
  if (start.continueKey !== undefined) req.continueFrom = { fromKey: start.continueKey, revision: start.withRev };
  else if (start.withRev > 0) req.exactRevision = start.withRev;
  else if (start.resourceVersion > 0) {
    const current = await scope.store.currentRevision();
    if (start.resourceVersion > current) throw tooLargeResourceVersion(start.resourceVersion, current);
  }
  let page;
  try {
    page = await scope.store.list(req);
  } catch (e) {
    if (e instanceof StatusError && e.reason === 'Expired' && req.continueFrom === undefined) {
      throw resourceExpired('The resourceVersion for the provided list is too old.');
    }
    throw e;
  }
  const metadata: Record<string, any> = { resourceVersion: String(page.revision) };
  if (page.lastKey !== undefined) {
    metadata.continue = nextPageContinue(page.lastKey, scope.store.listPrefix(scope.request.namespace), page.revision);
    if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  }
  return { items: page.items, metadata };
}

export async function listHandler(scope: ResourceScope): Promise<void> {
  const { items, metadata } = await listObjects(scope);
  if (wantsTable(scope.negotiated)) {
    writeObject(scope.ctx, 200, renderTable(scope, items, metadata), scope.negotiated.mediaType);
    return;
  }
  if (wantsPartial(scope.negotiated)) {
    writeObject(scope.ctx, 200, partialList(scope.negotiated, items, metadata), scope.negotiated.mediaType);
    return;
  }
  const { resource } = scope;
  if (scope.negotiated.mediaType === 'application/json') {
    // Typed lists carry apiVersion and kind on the list only.
    writeText(
      scope.ctx,
      200,
      listJSON(resource.listKind, resource.groupVersion, metadata, items, resource.groupVersion, resource.kind),
      'application/json',
    );
    return;
  }
  const list = {
    kind: resource.listKind,
    apiVersion: resource.groupVersion,
    metadata,
    items: items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
  };
  writeObject(scope.ctx, 200, list, scope.negotiated.mediaType);
}
