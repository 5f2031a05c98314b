// A minimal private reading of resource.Quantity strings, enough for sign and zero checks (kube
// k8s.io/apimachinery/pkg/api/resource). A full parser is being written as src/apimachinery/quantity.ts; this
// one goes once that lands.

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** The sign of a quantity (-1, 0, 1), or undefined when it does not parse. */
export function quantitySign(value: unknown): number | undefined {
  if (typeof value === 'number') return Math.sign(value);
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  if (!/[1-9]/.test(m[2])) return 0;
  return m[1] === '-' ? -1 : 1;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Quantity.Value(): the integer value, rounded away from zero; undefined when it does not parse. */
export function quantityValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value < 0 ? -Math.ceil(-value) : Math.ceil(value);
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  let n = Number(m[2]);
  if (m[3]) n *= 10 ** Number(m[3].slice(1));
  else n *= BINARY[m[4] ?? ''] ?? DECIMAL[m[4] ?? ''];
  const v = Math.ceil(n);
  return m[1] === '-' ? -v : v;
}

/** The quantity as a number (for comparisons), or undefined when it does not parse. */
export function quantityNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  let n = Number(m[2]);
  if (m[3]) n *= 10 ** Number(m[3].slice(1));
  else n *= BINARY[m[4] ?? ''] ?? DECIMAL[m[4] ?? ''];
  return m[1] === '-' ? -n : n;
}
