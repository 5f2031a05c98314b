// Go's time.Duration as Kubernetes writes it: metav1.Duration in JSON, duration flags and their --help defaults.
// ParseDuration and Duration.String follow Go's time package, in nanoseconds as Go counts them, with Go's errors.

const NS_PER_US = 1e3;
const NS_PER_MS = 1e6;
const NS_PER_S = 1e9;

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: NS_PER_US,
  µs: NS_PER_US, // U+00B5 micro sign
  μs: NS_PER_US, // U+03BC Greek mu
  ms: NS_PER_MS,
  s: NS_PER_S,
  m: 60 * NS_PER_S,
  h: 3600 * NS_PER_S,
};

const MAX_DURATION = (1n << 63n) - 1n;

/** Go's time.ParseDuration ("1h30m", "1.5s", "-250ms", "0"), in nanoseconds; Go's error text on failure. */
export function parseGoDuration(text: string): number | string {
  const invalid = `time: invalid duration ${quote(text)}`;
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return invalid;
  let total = 0n;
  while (rest.length > 0) {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest) as RegExpExecArray;
    const whole = number[1];
    const fraction = number[2] ?? '';
    if (whole === '' && fraction === '') return invalid;
    rest = rest.slice(number[0].length);
    const unit = /^[^\d.]*/.exec(rest)?.[0] ?? '';
    if (unit === '') return `time: missing unit in duration ${quote(text)}`;
    const scale = UNIT_NS[unit];
    if (scale === undefined) return `time: unknown unit ${quote(unit)} in duration ${quote(text)}`;
    rest = rest.slice(unit.length);
    let value = BigInt(whole || '0') * BigInt(scale);
    // Go adds the fraction through float64 and truncates: float64(f) * (float64(unit) / 10^digits).
    if (fraction !== '') value += BigInt(Math.trunc(Number(fraction) * (scale / 10 ** fraction.length)));
    total += value;
    if (total > MAX_DURATION + (negative ? 1n : 0n)) return invalid;
  }
  return Number(negative ? -total : total);
}

/** Go's time.Duration.String for a count of nanoseconds: "1m30s", "1.5s", "250ms", "1.5µs", "0s". */
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

/** Go's %q for the printable strings that reach duration errors. */
function quote(text: string): string {
  return JSON.stringify(text);
}
