// DELETE and DELETECOLLECTION (handlers/delete.go).
import { forbidden, statusObject } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../storage/interface.js';
import { decodeObject, readBody } from '../body.js';
import { KUBERNETES_PROTOBUF } from '../../protobuf/media.js';
import { writeObject } from '../responses.js';
import { listObjects } from './read.js';
import { parseDeleteOptions } from './options.js';
import type { ResourceScope } from './scope.js';

async function deleteBody(scope: ResourceScope): Promise<Record<string, any> | undefined> {
  const raw = await readBody(scope.ctx);
  if (raw.length === 0) return undefined;
  // client-go's typed clients send DeleteOptions as protobuf; kubectl sends JSON.
  const protobuf = scope.ctx.get('content-type').split(';')[0].trim().toLowerCase() === KUBERNETES_PROTOBUF;
  return await decodeObject(raw, protobuf ? KUBERNETES_PROTOBUF : 'application/json', 'DeleteOptions');
}

export async function deleteHandler(scope: ResourceScope): Promise<void> {
  const opts = parseDeleteOptions(await deleteBody(scope), scope.query);
  const refusal = scope.store.strategy.deleteRefusal?.(scope.request.name);
  if (refusal) throw forbidden(scope.store.gr, scope.request.name, refusal);
  const { object, deleted } = await scope.store.delete(scope.request.namespace, scope.request.name, opts, scope.admit);
  writeObject(scope.ctx, 200, deleted ? deletedResponse(scope, object) : object, scope.negotiated.mediaType);
}

function deletedResponse(scope: ResourceScope, object: KubeObject): unknown {
  if (scope.store.strategy.returnsDeletedObject) return object;
  const details = {
    name: object.metadata?.name ?? '',
    group: scope.resource.group,
    kind: scope.resource.resource,
    uid: object.metadata?.uid ?? '',
  };
  return statusObject('Success', '', '', details, 0);
}

export async function deleteCollectionHandler(scope: ResourceScope): Promise<void> {
  const opts = parseDeleteOptions(await deleteBody(scope), scope.query);
  const { items, metadata } = await listObjects(scope);
  const results: KubeObject[] = [];
  for (const item of items) {
    try {
      const { object } = await scope.store.delete(item.metadata?.namespace ?? '', item.metadata?.name ?? '', opts, scope.admit);
      results.push(object);
    } catch (e) {
      // Gone in the meantime: deletecollection does not fail for that.
      if ((e as { code?: number }).code === 404) continue;
      throw e;
    }
  }
  writeObject(
    scope.ctx,
    200,
    {
      kind: scope.resource.listKind,
      apiVersion: scope.resource.groupVersion,
      metadata: { resourceVersion: metadata.resourceVersion },
      items: results.map(({ apiVersion: _a, kind: _k, ...rest }) => rest),
    },
    scope.negotiated.mediaType,
  );
}
