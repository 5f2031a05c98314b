// POST to a create-only resource (the review APIs): kube's create handler (handlers/create.go) in front of a
// rest.Creater without storage. The body is decoded and checked as any create's; the object's namespace is made
// the path's (EnsureObjectNamespaceMatchesRequestNamespace); the kind's Create answers 201 with its result.
import { badRequest } from '../../apimachinery/errors.js';
import type { UserInfo } from '../../apimachinery/user.js';
import type { CreateOnlyStore } from '../../registry/create-only.js';
import { writeObject } from '../responses.js';
import { validateWriteOptions } from './options.js';
import type { ResourceScope } from './scope.js';
import { decodeForWrite } from './write.js';

export type CreateOnlyScope = Omit<ResourceScope, 'store' | 'admit'>;

export async function createOnlyHandler(scope: CreateOnlyScope, store: CreateOnlyStore): Promise<void> {
  const { fieldValidation } = validateWriteOptions(scope.query, 'CreateOptions');
  const { obj } = await decodeForWrite(scope, fieldValidation);
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  // EnsureObjectNamespaceMatchesRequestNamespace: a cluster-scoped kind's namespace is cleared, a namespaced kind's
  // is filled from the path, and another namespace than the path's is refused.
  const requestNamespace = scope.resource.namespaced ? scope.request.namespace : '';
  const objNamespace = obj.metadata.namespace ?? '';
  if (objNamespace !== requestNamespace) {
    if (objNamespace === '' || requestNamespace === '') obj.metadata.namespace = requestNamespace || undefined;
    else throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const result = await store.create(
    obj,
    { namespace: scope.request.namespace, user: scope.ctx.state.user as UserInfo },
    { fieldManager: scope.fieldManager },
  );
  writeObject(scope.ctx, 201, result, scope.negotiated.mediaType);
}
