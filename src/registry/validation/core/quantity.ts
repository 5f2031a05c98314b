// Small readings of resource.Quantity values that the core validators share, over the one parser in
// src/apimachinery/quantity.ts (k8s.io/apimachinery/pkg/api/resource): the sign, the integer value and a number
// to compare. Each returns undefined for a value kube would not parse.
import { formatQuantity, parseQuantity, quantityMilliValue, quantityValue as integerValue } from '../../../apimachinery/quantity.js';

function parse(value: unknown) {
  return typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
}

/** The sign of a quantity (-1, 0, 1). */
export function quantitySign(value: unknown): number | undefined {
  const q = parse(value);
  return q === undefined ? undefined : q.nano === 0n ? 0 : q.nano < 0n ? -1 : 1;
}

/** Quantity.Value(): the integer value, rounded away from zero. */
export function quantityValue(value: unknown): number | undefined {
  const q = parse(value);
  return q === undefined ? undefined : Number(integerValue(q));
}

/** The quantity as a number, for comparisons. */
export function quantityNumber(value: unknown): number | undefined {
  const q = parse(value);
  return q === undefined ? undefined : Number(q.nano) / 1e9;
}

/** Quantity.String() of a value, as kube shows a quantity in messages ("0.5" → "500m"); unparsable values as given. */
export function quantityString(value: unknown): unknown {
  const q = parse(value);
  return q === undefined ? value : formatQuantity(q);
}

/** Quantity.MilliValue(), rounded up. */
export function quantityMilli(value: unknown): bigint | undefined {
  const q = parse(value);
  return q === undefined ? undefined : quantityMilliValue(q);
}
