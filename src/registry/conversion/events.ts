// core/v1 Event ⇄ events.k8s.io/v1 Event (pkg/apis/events/v1/conversion.go). Both share /registry/events and
// are stored as core/v1 Events; the events.k8s.io names are views of the same fields.
import type { KubeObject } from '../../storage/interface.js';

/** events.k8s.io/v1 field → core/v1 field, for the fields that were renamed. */
const RENAMED: ReadonlyArray<readonly [string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function rename(obj: KubeObject, pairs: ReadonlyArray<readonly [string, string]>): KubeObject {
  const out: KubeObject = {};
  const map = new Map(pairs);
  for (const [k, v] of Object.entries(obj)) out[map.get(k) ?? k] = v;
  return out;
}

export function eventsV1ToCore(obj: KubeObject): KubeObject {
  const out = rename(obj, RENAMED);
  out.apiVersion = 'v1';
  out.kind = 'Event';
  return out;
}

export function coreToEventsV1(obj: KubeObject): KubeObject {
  const out = rename(
    obj,
    RENAMED.map(([a, b]) => [b, a] as const),
  );
  out.apiVersion = 'events.k8s.io/v1';
  out.kind = 'Event';
  return out;
}
