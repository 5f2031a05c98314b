// resource.Quantity (k8s.io/apimachinery/pkg/api/resource/quantity.go): parsing kube's quantity strings, exact
// comparison, and the canonical String() form kube prints in validation messages ("500m", "1Gi", "2").
// Values are held as a bigint count of nano-units, since kube rounds anything finer than 10^-9 up.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** Treat as immutable: parseQuantity hands out shared instances. */
export interface Quantity {
  /** The value in units of 10^-9, rounded up as kube does. */
  readonly nano: bigint;
  readonly format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const DECIMAL_EXPONENTS: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENTS: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map<number, string>(Object.entries(DECIMAL_EXPONENTS).map(([k, v]) => [v, k]));
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
// sign, digits with at most one dot, then a suffix (checked separately).
const QUANTITY_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/;
const EXPONENT_RE = /^[eE]([+-]?[0-9]+)$/;

/** kube's ErrFormatWrong text, for callers that must reject a malformed quantity. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function pow(base: bigint, exp: number): bigint {
  let r = 1n;
  for (let i = 0; i < exp; i++) r *= base;
  return r;
}

/** Rounds num/den towards +infinity (kube rounds sub-nano precision up, away from zero for positives). */
function divCeil(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num % den !== 0n && num > 0n ? q + 1n : q;
}

// Manifests repeat a handful of quantities ("100m", "128Mi"): parsed values are immutable, so they are shared.
const PARSED_CACHE_LIMIT = 4096;
const parsedCache = new Map<string, Quantity | undefined>();

/** Parses a quantity string (or the JSON number a client may send); undefined when kube would refuse it. */
export function parseQuantity(input: string | number): Quantity | undefined {
  const s = typeof input === 'number' ? String(input) : input;
  const cached = parsedCache.get(s);
  if (cached !== undefined || parsedCache.has(s)) return cached;
  const q = parseQuantityUncached(s);
  if (parsedCache.size >= PARSED_CACHE_LIMIT) parsedCache.clear();
  parsedCache.set(s, q);
  return q;
}

function parseQuantityUncached(s: string): Quantity | undefined {
  if (s.length === 0) return undefined;
  const m = QUANTITY_RE.exec(s);
  if (!m) return undefined;
  const [, sign, whole, frac = '', suffix] = m;
  if (whole.length === 0 && frac.length === 0) return undefined;
  let format: QuantityFormat;
  let tenExp = 0;
  let twoExp = 0;
  if (suffix in DECIMAL_EXPONENTS) {
    format = 'DecimalSI';
    tenExp = DECIMAL_EXPONENTS[suffix];
  } else if (suffix in BINARY_EXPONENTS) {
    format = 'BinarySI';
    twoExp = BINARY_EXPONENTS[suffix];
  } else {
    const e = EXPONENT_RE.exec(suffix);
    if (!e) return undefined;
    format = 'DecimalExponent';
    tenExp = Number(e[1]);
    if (!Number.isSafeInteger(tenExp)) return undefined;
  }
  // value = digits * 10^(tenExp - frac.length) * 2^twoExp; in nano-units multiply by 10^9.
  let num = BigInt(`${whole}${frac}` || '0') * pow(2n, twoExp);
  let den = 1n;
  const scale = tenExp - frac.length + 9;
  if (scale >= 0) num *= pow(10n, scale);
  else den = pow(10n, -scale);
  let nano = divCeil(num, den);
  if (sign === '-') nano = -nano;
  return { nano, format };
}

export function compareQuantity(a: Quantity, b: Quantity): number {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** Quantity.Value(): the integer value, rounded up. */
export function quantityValue(q: Quantity): bigint {
  return q.nano >= 0n ? divCeil(q.nano, NANO) : -divCeil(-q.nano, NANO);
}

/** Quantity.MilliValue(), rounded up. */
export function quantityMilliValue(q: Quantity): bigint {
  return q.nano >= 0n ? divCeil(q.nano, 1_000_000n) : -divCeil(-q.nano, 1_000_000n);
}

/** Quantity.RoundUp(-3): the value rounded to a whole number of milli-units, away from zero. */
export function roundUpToMilli(q: Quantity): Quantity {
  const rest = q.nano % 1_000_000n;
  if (rest === 0n) return q;
  return { nano: q.nano - rest + (q.nano > 0n ? 1_000_000n : -1_000_000n), format: q.format };
}

/** Quantity.String(): the canonical form (CanonicalizeBytes). */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const negative = q.nano < 0n;
  const abs = negative ? -q.nano : q.nano;
  const sign = negative ? '-' : '';
  if (q.format === 'BinarySI' && abs % NANO === 0n && abs >= 1024n * NANO) {
    let amount = abs / NANO;
    let i = 0;
    while (i < BINARY_SUFFIXES.length - 1 && amount % 1024n === 0n) {
      amount /= 1024n;
      i++;
    }
    return `${sign}${amount}${BINARY_SUFFIXES[i]}`;
  }
  // mantissa * 10^exponent with the exponent a multiple of 3.
  let mantissa = abs;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const extra = ((exponent % 3) + 3) % 3;
  exponent -= extra;
  mantissa *= pow(10n, extra);
  if (q.format === 'DecimalExponent') return exponent === 0 ? `${sign}${mantissa}` : `${sign}${mantissa}e${exponent}`;
  while (exponent > 18) {
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${sign}${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
}
