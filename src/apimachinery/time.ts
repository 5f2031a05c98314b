// metav1.Time on the wire: RFC 3339 in UTC at second precision (Go's time.RFC3339 layout drops the fraction).
export function formatTime(time?: Date): string {
  if (time !== undefined) return `${time.toISOString().slice(0, 19)}Z`;
  // Now, at second precision: every write stamps it, and it changes once a second.
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
  }
  return lastText;
}

let lastSecond = -1;
let lastText = '';
