// GET and PUT of /scale (autoscaling/v1 Scale) for deployments, replicasets, statefulsets and
// replicationcontrollers. PATCH of /scale patches the Scale view (see patch.ts) and writes it back the same way.
import { badRequest, invalid } from '../../apimachinery/errors.js';
import { scaleOf, validateScale, withScale } from '../../registry/scale.js';
import type { KubeObject } from '../../storage/interface.js';
import { bodyMediaType, decodeObject, readBody } from '../body.js';
import { KUBERNETES_PROTOBUF } from '../../protobuf/media.js';
import { writeObject } from '../responses.js';
import { validateWriteOptions } from './options.js';
import type { ResourceScope } from './scope.js';

export async function getScaleHandler(scope: ResourceScope): Promise<void> {
  const obj = await scope.store.get(scope.request.namespace, scope.request.name);
  writeObject(scope.ctx, 200, scaleOf(obj, scope.resource.resource), scope.negotiated.mediaType);
}

/** Writes a Scale back into the workload; shared by PUT and PATCH of /scale. */
export async function writeScale(scope: ResourceScope, dryRun: boolean, toScale: (current: KubeObject) => KubeObject): Promise<void> {
  const { request, resource, store } = scope;
  const { object } = await store.update(
    request.namespace,
    request.name,
    (current) => {
      if (!current) return { metadata: { name: request.name } };
      const scale = toScale(scaleOf(current, resource.resource));
      if (scale.metadata?.name !== undefined && scale.metadata.name !== request.name) {
        throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${request.name})`);
      }
      // As for any namespaced write, a Scale without a namespace takes the request's before validation.
      if (!scale.metadata?.namespace) scale.metadata = { ...(scale.metadata ?? {}), namespace: request.namespace };
      const errors = validateScale(scale);
      if (errors.length > 0) throw invalid('autoscaling', 'Scale', request.name, errors);
      return withScale(current, scale);
    },
    { dryRun, subresource: 'scale', fieldManager: scope.fieldManager },
    scope.admit,
  );
  writeObject(scope.ctx, 200, scaleOf(object, resource.resource), scope.negotiated.mediaType);
}

export async function updateScaleHandler(scope: ResourceScope): Promise<void> {
  const { dryRun } = validateWriteOptions(scope.query, 'UpdateOptions');
  const mediaType = bodyMediaType(scope.ctx.get('content-type'), ['application/json', 'application/yaml', KUBERNETES_PROTOBUF]);
  const body = await decodeObject(await readBody(scope.ctx), mediaType, 'Scale');
  if (body.kind !== undefined && body.kind !== 'Scale') {
    throw badRequest(
      `${body.kind} in version "${String(body.apiVersion ?? '')
        .split('/')
        .pop()}" cannot be handled as a Scale: no kind "${body.kind}" is registered for the scale subresource`,
    );
  }
  await writeScale(scope, dryRun, () => body);
}
