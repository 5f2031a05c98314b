// Resource lists as quota arithmetic sees them (k8s.io/apiserver/pkg/quota/v1/resources.go): Add, Subtract, Mask,
// LessThanOrEqual, RemoveZeros, IsNegative, and kube's pretty printers for the quota messages. A list maps a
// resource name to a parsed Quantity; sums keep the format of the first non-zero operand, as Quantity.Add does.
import { formatQuantity, parseQuantity, type Quantity } from '../../apimachinery/quantity.js';

export type ResourceList = Record<string, Quantity>;

const ZERO: Quantity = { nano: 0n, format: 'DecimalSI' };

/** A JSON ResourceList (name → quantity string); names whose quantity does not parse are left out. */
export function parseResourceList(json: unknown): ResourceList {
  const out: ResourceList = {};
  if (json === null || typeof json !== 'object') return out;
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const q = parseQuantity(value);
    if (q) out[name] = q;
  }
  return out;
}

/** The JSON form, keys sorted as Go writes a map. */
export function resourceListJSON(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(list).sort()) out[name] = formatQuantity(list[name]);
  return out;
}

/** Quantity.Add: the sum keeps the receiver's format unless the receiver is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format };
}

export function subQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano - b.nano, format: a.nano === 0n ? b.format : a.format };
}

export function quantity(n: number): Quantity {
  return { nano: BigInt(n) * 1_000_000_000n, format: 'DecimalSI' };
}

export const zeroQuantity = (): Quantity => ZERO;

export function add(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [name, q] of Object.entries(b)) out[name] = name in a ? addQuantity(a[name], q) : q;
  return out;
}

/** Adds b into a in place (addResourceList in the pod helpers). */
export function addInto(a: ResourceList, b: ResourceList): void {
  for (const [name, q] of Object.entries(b)) a[name] = name in a ? addQuantity(a[name], q) : q;
}

/** Keeps in a the larger of a's and b's quantity per name (maxResourceList). */
export function maxInto(a: ResourceList, b: ResourceList): void {
  for (const [name, q] of Object.entries(b)) if (!(name in a) || q.nano > a[name].nano) a[name] = q;
}

export function subtract(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [name, q] of Object.entries(b)) out[name] = name in a ? subQuantity(a[name], q) : { nano: -q.nano, format: q.format };
  return out;
}

/** a - b, negative results clamped to zero (SubtractWithNonNegativeResult). */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of Object.entries(a)) {
    const d = name in b ? subQuantity(q, b[name]) : q;
    out[name] = d.nano < 0n ? { nano: 0n, format: d.format } : d;
  }
  for (const [name, q] of Object.entries(b)) if (!(name in a)) out[name] = { nano: 0n, format: q.format };
  return out;
}

/** Only the named resources. */
export function mask(list: ResourceList, names: readonly string[]): ResourceList {
  const out: ResourceList = {};
  for (const name of names) if (name in list) out[name] = list[name];
  return out;
}

export function removeZeros(list: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of Object.entries(list)) if (q.nano !== 0n) out[name] = q;
  return out;
}

export function isNegative(list: ResourceList): string[] {
  return Object.keys(list).filter((name) => list[name].nano < 0n);
}

export function equals(a: ResourceList, b: ResourceList): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((name) => name in b && a[name].nano === b[name].nano);
}

/** Whether every quantity in a is within b's for the names b has; the names that exceed. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { allowed: boolean; exceeded: string[] } {
  const exceeded = Object.keys(b).filter((name) => name in a && a[name].nano > b[name].nano);
  return { allowed: exceeded.length === 0, exceeded };
}

export function resourceNames(list: ResourceList): string[] {
  return Object.keys(list);
}

export function intersection(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(b);
  return [...new Set(a.filter((name) => set.has(name)))].sort();
}

/** prettyPrint: `name=quantity` pairs sorted by name, joined by commas. */
export function prettyPrint(list: ResourceList): string {
  return Object.keys(list)
    .sort()
    .map((name) => `${name}=${formatQuantity(list[name])}`)
    .join(',');
}

/** prettyPrintResourceNames: sorted and joined by commas. */
export function prettyPrintNames(names: readonly string[]): string {
  return [...names].sort().join(',');
}
