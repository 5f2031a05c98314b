// metav1.Time on the wire: RFC 3339 in UTC at second precision (Go's time.RFC3339 layout drops the fraction).
export function formatTime(time: Date = new Date()): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}
