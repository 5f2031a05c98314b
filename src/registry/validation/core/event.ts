// core/v1 Event validation (kube pkg/apis/core/validation/events.go: ValidateEventCreate and ValidateEventUpdate
// for requests in core/v1, which run legacyValidateEvent only), after ObjectMeta.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { fieldInvalid, fieldRequired, isDNS1123Subdomain, isQualifiedName } from '../../../apimachinery/validation.js';

const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;
const ACTION_LIMIT = 128;
const REPORTING_INSTANCE_LIMIT = 128;

function byteLength(s: unknown): number {
  return typeof s === 'string' ? Buffer.byteLength(s, 'utf8') : 0;
}

/** legacyValidateEvent as core/v1 requests get it (reportingController is named reportingComponent there). */
export function validateEvent(ev: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const namespace: string = ev.metadata?.namespace ?? '';
  const involvedNs: string = ev.involvedObject?.namespace ?? '';
  const mismatch = () => out.push(fieldInvalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  if (!ev.eventTime) {
    // Old-style events: the namespaces agree (an empty one is fine in "default").
    if (involvedNs === '') {
      if (namespace !== '' && namespace !== 'default') mismatch();
    } else if (namespace !== involvedNs) mismatch();
  } else {
    if (involvedNs === '' && namespace !== 'default' && namespace !== 'kube-system') mismatch();
    const controller: string = ev.reportingComponent ?? '';
    if (controller === '') out.push(fieldRequired('reportingComponent'));
    for (const msg of isQualifiedName(controller)) out.push(fieldInvalid('reportingComponent', controller, msg));
    const instance: string = ev.reportingInstance ?? '';
    if (instance === '') out.push(fieldRequired('reportingInstance'));
    if (byteLength(instance) > REPORTING_INSTANCE_LIMIT) {
      out.push(fieldInvalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    }
    const action: string = ev.action ?? '';
    if (action === '') out.push(fieldRequired('action'));
    if (byteLength(action) > ACTION_LIMIT) out.push(fieldInvalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
    const reason: string = ev.reason ?? '';
    if (reason === '') out.push(fieldRequired('reason'));
    if (byteLength(reason) > REASON_LIMIT) out.push(fieldInvalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if (byteLength(ev.message) > NOTE_LIMIT) out.push(fieldInvalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const msg of isDNS1123Subdomain(namespace)) out.push(fieldInvalid('namespace', namespace, msg));
  return out;
}
