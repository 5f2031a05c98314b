// Go's parsers for flag values, with Go's error text: strconv.ParseInt, strconv.ParseBool, time.ParseDuration and
// time.Duration.String. pflag wraps these messages as `invalid argument "x" for "--flag" flag: <message>`.

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
};

/** Go's time.ParseDuration, in milliseconds; returns Go's error text on failure. */
export function parseGoDuration(text: string): number | string {
  const invalid = `time: invalid duration ${goQuote(text)}`;
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return invalid;
  let total = 0;
  while (rest.length > 0) {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) return invalid;
    rest = rest.slice((number as RegExpExecArray)[0].length);
    const unit = /^[^\d.]*/.exec(rest)?.[0] ?? '';
    if (unit === '') return `time: missing unit in duration ${goQuote(text)}`;
    const scale = DURATION_UNITS_MS[unit];
    if (scale === undefined) return `time: unknown unit ${goQuote(unit)} in duration ${goQuote(text)}`;
    rest = rest.slice(unit.length);
    total += Number(`${whole || '0'}.${fraction || '0'}`) * scale;
  }
  return sign * total;
}

/** Go's time.Duration.String for whole milliseconds, e.g. 300000 → "5m0s", 1500 → "1.5s". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let remaining = Math.abs(ms);
  if (remaining < 1000) return `${sign}${remaining}ms`;
  const hours = Math.floor(remaining / 3_600_000);
  remaining -= hours * 3_600_000;
  const minutes = Math.floor(remaining / 60_000);
  remaining -= minutes * 60_000;
  const seconds = `${Number((remaining / 1000).toFixed(3))}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

/** strconv.ParseInt(text, base, bits) with base 0 meaning Go's prefixes (0x, 0o, 0b, leading 0); Go's error text. */
export function parseGoInt(text: string, base: 0 | 10, bits: 32 | 64): number | string {
  const syntax = `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`;
  const range = `strconv.ParseInt: parsing ${goQuote(text)}: value out of range`;
  const match = /^([+-]?)(.*)$/.exec(text) as RegExpExecArray;
  const negative = match[1] === '-';
  let digits = match[2];
  let radix = 10;
  if (base === 0) {
    digits = digits.replaceAll('_', '');
    if (/^0[xX]/.test(digits)) [radix, digits] = [16, digits.slice(2)];
    else if (/^0[oO]/.test(digits)) [radix, digits] = [8, digits.slice(2)];
    else if (/^0[bB]/.test(digits)) [radix, digits] = [2, digits.slice(2)];
    else if (/^0\d/.test(digits)) [radix, digits] = [8, digits.slice(1)];
  }
  const alphabet = '0123456789abcdef'.slice(0, radix);
  if (digits === '' || [...digits.toLowerCase()].some((digit) => !alphabet.includes(digit))) return syntax;
  const magnitude = BigInt(radix === 10 ? digits : `0${'xob'[[16, 8, 2].indexOf(radix)]}${digits}`);
  const value = negative ? -magnitude : magnitude;
  const limit = 1n << BigInt(bits - 1);
  if (value < -limit || value >= limit) return range;
  const result = Number(value);
  if (!Number.isSafeInteger(result)) return range;
  return result;
}

/** strconv.ParseBool: the only spellings Go accepts; Go's error text otherwise. */
export function parseGoBool(text: string): boolean | string {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return `strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax`;
}

/** Go's %q for the printable strings that reach flag errors. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}
