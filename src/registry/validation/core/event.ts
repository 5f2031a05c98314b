// Event validation (kube pkg/apis/core/validation/events.go: ValidateEventCreate and ValidateEventUpdate), after
// ObjectMeta: core/v1 requests get legacyValidateEvent only; events.k8s.io/v1 requests get it and the strict
// rules, on the internal field names (involvedObject, message, firstTimestamp, ...) as kube reports them.
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
  return legacyValidateEvent(ev, 'reportingComponent');
}

/** An events.k8s.io/v1 Event's fields under their core names. */
function fromEventsV1(ev: KubeObject): KubeObject {
  return {
    metadata: ev.metadata,
    involvedObject: ev.regarding,
    reason: ev.reason,
    message: ev.note,
    eventTime: ev.eventTime,
    reportingComponent: ev.reportingController,
    reportingInstance: ev.reportingInstance,
    action: ev.action,
    type: ev.type,
    series: ev.series,
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    count: ev.deprecatedCount,
    source: ev.deprecatedSource,
  };
}

/** ValidateEventCreate for events.k8s.io/v1 requests: the legacy rules, then the strict ones. */
export function validateEventsV1(obj: KubeObject): FieldError[] {
  const ev = fromEventsV1(obj);
  const out = legacyValidateEvent(ev, 'reportingController');
  if (ev.series != null) {
    if ((ev.series.count ?? 0) < 2) out.push(fieldInvalid('series.count', '', 'should be at least 2'));
    if (!ev.series.lastObservedTime) out.push(fieldRequired('series.lastObservedTime'));
  }
  if (!ev.eventTime) out.push(fieldRequired('eventTime'));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') out.push(fieldInvalid('type', '', `has invalid value: ${ev.type ?? ''}`));
  if (ev.firstTimestamp) out.push(fieldInvalid('firstTimestamp', '', 'needs to be unset'));
  if (ev.lastTimestamp) out.push(fieldInvalid('lastTimestamp', '', 'needs to be unset'));
  if (ev.count) out.push(fieldInvalid('count', '', 'needs to be unset'));
  if (ev.source?.component || ev.source?.host) out.push(fieldInvalid('source', '', 'needs to be unset'));
  return out;
}

function legacyValidateEvent(ev: KubeObject, controllerField: string): FieldError[] {
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
    if (controller === '') out.push(fieldRequired(controllerField));
    for (const msg of isQualifiedName(controller)) out.push(fieldInvalid(controllerField, controller, msg));
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
