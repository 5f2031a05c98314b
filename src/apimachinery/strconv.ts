// Go's strconv parsers with Go's error text: strconv.ParseInt and strconv.ParseBool (durations are in
// duration.ts). Flags (pflag wraps the text) and query parameters (kube's parameter codec) share them.

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
