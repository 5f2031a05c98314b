// Event rows (printEvent), shared by core/v1 and events.k8s.io/v1: kube prints both from the internal Event.
// Both stored shapes are read: core/v1 field names first, then their events.k8s.io/v1 counterparts
// (regarding, note, deprecatedSource, deprecatedFirstTimestamp, deprecatedLastTimestamp, deprecatedCount).
import type { KubeObject } from '../../storage/interface.js';
import { nameOf, str } from './format.js';
import { parseTimestamp, timestampSince } from './humanDuration.js';
import type { Cell, Json, Printer } from './types.js';

function firstNonEmpty(...values: unknown[]): string {
  for (const v of values) if (typeof v === 'string' && v.length > 0) return v;
  return '';
}

/** formatEventSource: component (or reporting controller), then `, <host or reporting instance>` when set. */
function eventSource(e: Json): string {
  const source = e.source ?? e.deprecatedSource ?? {};
  const component = firstNonEmpty(source.component, e.reportingComponent, e.reportingController);
  const instance = firstNonEmpty(source.host, e.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

function eventCells(e: KubeObject, nowMs: number): Cell[] {
  const involved: Json = e.involvedObject ?? e.regarding ?? {};
  const firstTimestamp = e.firstTimestamp ?? e.deprecatedFirstTimestamp;
  const lastTimestamp = e.lastTimestamp ?? e.deprecatedLastTimestamp;

  const firstSeen =
    parseTimestamp(firstTimestamp) === undefined ? timestampSince(e.eventTime, nowMs) : timestampSince(firstTimestamp, nowMs);
  let lastSeen = parseTimestamp(lastTimestamp) === undefined ? firstSeen : timestampSince(lastTimestamp, nowMs);
  let count: number = typeof e.count === 'number' ? e.count : typeof e.deprecatedCount === 'number' ? e.deprecatedCount : 0;
  if (e.series) {
    lastSeen = timestampSince(e.series.lastObservedTime, nowMs);
    count = typeof e.series.count === 'number' ? e.series.count : 0;
  } else if (count === 0) {
    // Singleton events have no count in the events.k8s.io API.
    count = 1;
  }

  const kind = str(involved.kind).toLowerCase();
  const target = involved.name ? `${kind}/${involved.name}` : kind;
  return [
    lastSeen,
    str(e.type),
    str(e.reason),
    target,
    str(involved.fieldPath),
    eventSource(e),
    firstNonEmpty(e.message, e.note).trim(),
    firstSeen,
    count,
    nameOf(e),
  ];
}

export const events: Printer = {
  columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name'],
  cells: eventCells,
};
