// Durations and timestamps as kube prints them in table cells (k8s.io/apimachinery/pkg/util/duration.HumanDuration
// and the translateTimestampSince helper of pkg/printers/internalversion).
import { formatTime } from '../../apimachinery/time.js';
import type { KubeObject } from '../../storage/interface.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * HumanDuration: a short, lossy rendering of a duration in milliseconds. Up to 1s in the future counts as "now"
 * (clock skew between machines); anything further is `<invalid>`. Go truncates toward zero at every step.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const d = Math.trunc(hours / 24);
    return h === 0 ? `${d}d` : `${d}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/**
 * Milliseconds since the epoch for a metav1.Time / MicroTime string, or undefined for a zero (absent, empty or
 * unparseable) timestamp. Go's zero time is year 1, which no stored object carries.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** translateTimestampSince: HumanDuration(now - t), or `<unknown>` for a zero timestamp. */
export function timestampSince(value: unknown, nowMs: number): string {
  const ms = parseTimestamp(value);
  return ms === undefined ? '<unknown>' : humanDuration(nowMs - ms);
}

/** The Age column every printer shows: translateTimestampSince(obj.CreationTimestamp). */
export function age(obj: KubeObject, nowMs: number): string {
  return timestampSince(obj.metadata?.creationTimestamp, nowMs);
}

/** time.Time.UTC().Format(time.RFC3339) for the generic table's Created At cell; the zero time prints as year 1. */
export function rfc3339(value: unknown): string {
  const ms = parseTimestamp(value);
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return formatTime(new Date(ms));
}
