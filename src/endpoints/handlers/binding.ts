// POST pods/<name>/binding: assigns a pod to a node, as a scheduler does (pkg/registry/core/pod/storage/storage.go's
// BindingREST.Create and setPodNodeAndMetadata, with pkg/apis/core/validation's ValidatePodBinding). The pod is
// rewritten in place — spec.nodeName, the binding's annotations, the PodScheduled condition — without the pod
// strategy's update rules (kube writes it with GuaranteedUpdate); the answer is a Success Status.
import {
  badRequest,
  conflict,
  fieldErrorMessage,
  notFound,
  StatusError,
  statusObject,
  type FieldError,
} from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { formatTime } from '../../apimachinery/time.js';
import { fieldNotSupported } from '../../apimachinery/validation.js';
import { KUBERNETES_PROTOBUF } from '../../protobuf/media.js';
import type { SchemaCheck } from '../../scheme/schemas.js';
import { bodyMediaType, decodeObject, readBody } from '../body.js';
import { writeObject } from '../responses.js';
import { validateWriteOptions } from './options.js';
import type { ResourceScope } from './scope.js';
import { checkSubresourceKind } from './subresource-kind.js';

/** A refusal from inside the update, which kube reports as a Conflict on pods/binding. */
class BindingRefused extends Error {}

export async function bindingHandler(scope: ResourceScope, checkSchema: (obj: KubeObject) => SchemaCheck): Promise<void> {
  const { ctx, request, store } = scope;
  const { fieldValidation, dryRun } = validateWriteOptions(scope.query, 'CreateOptions');
  const mediaType = bodyMediaType(ctx.get('content-type'), ['application/json', 'application/yaml', KUBERNETES_PROTOBUF]);
  const body = await decodeObject(await readBody(ctx), mediaType, 'Binding');
  checkSubresourceKind(scope, body, { groupVersion: 'v1', kind: 'Binding', internalGroup: 'core' });
  body.apiVersion = 'v1';
  body.kind = 'Binding';
  const checked = checkSchema(body);
  const cannotHandle = 'Binding in version "v1" cannot be handled as a Binding';
  if (checked.typeErrors.length > 0) throw badRequest(`${cannotHandle}: ${checked.typeErrors[0]}`);
  if (checked.unknownFields.length > 0) {
    if (fieldValidation === 'Strict') {
      throw badRequest(`${cannotHandle}: strict decoding error: ${checked.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
    }
    if (fieldValidation === 'Warn') for (const f of checked.unknownFields) scope.warn(`unknown field "${f}"`);
  }
  const binding = checked.object as any;
  const metadata: Record<string, any> = binding.metadata && typeof binding.metadata === 'object' ? binding.metadata : {};
  const target: Record<string, any> = binding.target && typeof binding.target === 'object' ? binding.target : {};
  const { namespace, name } = request;
  // The create handler's own check, then its admission, before BindingREST sees the binding.
  if (metadata.namespace && metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const admitted = { ...binding, metadata: { ...metadata, namespace } } as KubeObject;
  await scope.admit.admit('CREATE', admitted, undefined, false);
  await scope.admit.validate('CREATE', admitted, undefined, false);

  if ((metadata.name ?? '') !== name) throw badRequest('name in URL does not match name in Binding object');
  const errors = validatePodBinding(target);
  // errs.ToAggregate() is no API status: the handler answers it as a 500 with the aggregate's text.
  if (errors.length > 0) throw new StatusError(500, '', aggregate(errors.map((e) => fieldErrorMessage(e))));

  const key = store.key(namespace, name);
  try {
    await store.update(
      namespace,
      name,
      (current) => {
        if (!current) throw notFound({ group: '', resource: 'pods' }, name);
        const pod = current as any;
        // storage.Preconditions from the binding's uid and resourceVersion.
        const precondition = (what: string, want: string, have: string) =>
          conflict(
            { group: '', resource: 'pods' },
            name,
            `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ${what} in precondition: ${want}, ${what} in object meta: ${have}`,
          );
        if (metadata.uid && metadata.uid !== pod.metadata?.uid) throw precondition('UID', metadata.uid, pod.metadata?.uid ?? '');
        if (metadata.resourceVersion && metadata.resourceVersion !== pod.metadata?.resourceVersion) {
          throw precondition('ResourceVersion', metadata.resourceVersion, pod.metadata?.resourceVersion ?? '');
        }
        if (pod.metadata?.deletionTimestamp)
          throw new BindingRefused(`pod ${pod.metadata.name} is being deleted, cannot be assigned to a host`);
        if (pod.spec?.nodeName)
          throw new BindingRefused(`pod ${pod.metadata?.name} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`);
        if ((pod.spec?.schedulingGates ?? []).length > 0) {
          throw new BindingRefused(`pod ${pod.metadata?.name} has non-empty .spec.schedulingGates`);
        }
        pod.spec = { ...pod.spec, nodeName: target.name };
        if (metadata.annotations && Object.keys(metadata.annotations).length > 0) {
          pod.metadata = { ...pod.metadata, annotations: { ...(pod.metadata?.annotations ?? {}), ...metadata.annotations } };
        }
        pod.status = { ...(pod.status ?? {}), conditions: scheduled(pod.status?.conditions) };
        // The write keeps the version it read: GuaranteedUpdate retries on a race rather than failing.
        if (pod.metadata) delete pod.metadata.resourceVersion;
        return pod;
      },
      { subresource: 'binding', dryRun },
    );
  } catch (e) {
    if (e instanceof BindingRefused) throw conflict({ group: '', resource: 'pods/binding' }, name, e.message);
    throw e;
  }
  writeObject(ctx, 201, statusObject('Success', '', '', undefined, 201), scope.negotiated.mediaType);
}

/** ValidatePodBinding. */
function validatePodBinding(target: Record<string, any>): FieldError[] {
  const errors: FieldError[] = [];
  if (target.kind && target.kind !== 'Node') errors.push(fieldNotSupported('target.kind', target.kind, ['Node', '<empty>']));
  if (!target.name) errors.push({ type: 'FieldValueRequired', field: 'target.name', detail: '' });
  return errors;
}

/** utilerrors.Aggregate's text. */
function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/** podutil.UpdatePodCondition with PodScheduled=True: a new transition time unless it was already True. */
function scheduled(conditions: any[] | undefined): any[] {
  const list = Array.isArray(conditions) ? [...conditions] : [];
  const i = list.findIndex((c) => c?.type === 'PodScheduled');
  const lastTransitionTime = i >= 0 && list[i].status === 'True' ? list[i].lastTransitionTime : formatTime(new Date());
  const condition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime };
  if (i >= 0) list[i] = condition;
  else list.push(condition);
  return list;
}
