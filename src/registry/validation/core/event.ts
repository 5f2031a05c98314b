// Event validation (kube pkg/apis/core/validation/events.go: ValidateEventCreate and ValidateEventUpdate), after
// ObjectMeta: core/v1 requests get legacyValidateEvent only; events.k8s.io/v1 requests get it and the strict
// rules, on the internal field names (involvedObject, message, firstTimestamp, ...) as kube reports them.
import type { FieldError } from '../../../apimachinery/errors.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { fieldInvalid, fieldRequired, isDNS1123Subdomain, isQualifiedName, validateObjectMeta } from '../../../apimachinery/validation.js';
import { metadataFinalizerErrors, objectMetaUpdate } from './objectmeta.js';

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

// ---- events.k8s.io/v1 updates (appended by the groups helper; kube events.go ValidateEventUpdate) ----

/** The internal core.ObjectReference as Go's JSON writes it (no json tags on the internal type). */
function objectReferenceValue(ref: KubeObject | null | undefined): Record<string, string> | null {
  if (ref == null) return null;
  return {
    Kind: ref.kind ?? '',
    Namespace: ref.namespace ?? '',
    Name: ref.name ?? '',
    UID: ref.uid ?? '',
    APIVersion: ref.apiVersion ?? '',
    ResourceVersion: ref.resourceVersion ?? '',
    FieldPath: ref.fieldPath ?? '',
  };
}

/** A metav1.Time as it marshals (RFC 3339 in seconds, UTC; the zero time as null). */
function timeValue(t: unknown): string | null {
  if (typeof t !== 'string' || t === '') return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? t : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A metav1.MicroTime as it marshals (RFC 3339 with six fractional digits, UTC; the zero time as null). */
function microTimeValue(t: unknown): string | null {
  if (typeof t !== 'string' || t === '') return null;
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
  const ms = Date.parse(t);
  if (!m || Number.isNaN(ms)) return t;
  const micros = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}.${micros}Z`;
}

function immutable(field: string, now: unknown, before: unknown, out: FieldError[]): void {
  if (JSON.stringify(now) !== JSON.stringify(before)) out.push(fieldInvalid(field, now, 'field is immutable'));
}

/**
 * ValidateEventUpdate for events.k8s.io/v1 requests: the legacy rules, ObjectMeta's update rules, a changed series
 * checked again, and every
 * field but the series immutable, in kube's order (reason is checked twice); eventTime compares to the microsecond.
 */
export function validateEventsV1Update(obj: KubeObject, oldObj: KubeObject): FieldError[] {
  const ev = fromEventsV1(obj);
  const old = fromEventsV1(oldObj);
  const out = [...legacyValidateEvent(ev, 'reportingController'), ...objectMetaUpdate(obj, oldObj)];
  if (JSON.stringify(ev.series ?? null) !== JSON.stringify(old.series ?? null) && ev.series != null) {
    if ((ev.series.count ?? 0) < 2) out.push(fieldInvalid('series.count', '', 'should be at least 2'));
    if (!ev.series.lastObservedTime) out.push(fieldRequired('series.lastObservedTime'));
  }
  const source = (e: KubeObject) => ({ Component: e.source?.component ?? '', Host: e.source?.host ?? '' });
  immutable('involvedObject', objectReferenceValue(ev.involvedObject ?? {}), objectReferenceValue(old.involvedObject ?? {}), out);
  immutable('reason', ev.reason ?? '', old.reason ?? '', out);
  immutable('message', ev.message ?? '', old.message ?? '', out);
  immutable('source', source(ev), source(old), out);
  immutable('firstTimestamp', timeValue(ev.firstTimestamp), timeValue(old.firstTimestamp), out);
  immutable('lastTimestamp', timeValue(ev.lastTimestamp), timeValue(old.lastTimestamp), out);
  immutable('count', ev.count ?? 0, old.count ?? 0, out);
  immutable('reason', ev.reason ?? '', old.reason ?? '', out);
  immutable('type', ev.type ?? '', old.type ?? '', out);
  immutable('eventTime', microTimeValue(ev.eventTime), microTimeValue(old.eventTime), out);
  immutable('action', ev.action ?? '', old.action ?? '', out);
  immutable('related', objectReferenceValue(obj.related), objectReferenceValue(oldObj.related), out);
  immutable('reportingController', ev.reportingComponent ?? '', old.reportingComponent ?? '', out);
  immutable('reportingInstance', ev.reportingInstance ?? '', old.reportingInstance ?? '', out);
  return out;
}

/**
 * ValidateEventCreate for events.k8s.io/v1 with its ObjectMeta errors where kube reports them: after the legacy
 * rules, before the strict ones (the strategy sets validatesObjectMeta, so the store does not report them first).
 */
export function validateEventsV1Create(obj: KubeObject): FieldError[] {
  const all = validateEventsV1(obj);
  const legacy = legacyValidateEvent(fromEventsV1(obj), 'reportingController').length;
  // core's ValidateObjectMeta: apimachinery's checks and the kube finalizer names.
  const meta = [
    ...validateObjectMeta(obj.metadata ?? {}, { namespaced: true, nameValidation: 'subdomain' }),
    ...metadataFinalizerErrors(obj.metadata),
  ];
  return [...all.slice(0, legacy), ...meta, ...all.slice(legacy)];
}
