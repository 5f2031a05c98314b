// Go's time.Duration.String(), which is how metav1.Duration appears in JSON ("1m30s", "1.5s", "250ms", "0s").

const NS_PER_US = 1e3;
const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;

export function formatGoDuration(nanoseconds: number): string {
  if (nanoseconds === 0) return '0s';
  const sign = nanoseconds < 0 ? '-' : '';
  const ns = Math.abs(nanoseconds);
  if (ns < NS_PER_US) return `${sign}${ns}ns`;
  if (ns < NS_PER_MS) return `${sign}${fraction(ns, NS_PER_US)}µs`;
  if (ns < NS_PER_S) return `${sign}${fraction(ns, NS_PER_MS)}ms`;
  const totalSeconds = Math.floor(ns / NS_PER_S);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const seconds = fraction((totalSeconds % 60) * NS_PER_S + (ns % NS_PER_S), NS_PER_S);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** `value / unit` printed with the fraction's trailing zeros dropped, as Go does. */
function fraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value % unit;
  if (rest === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
