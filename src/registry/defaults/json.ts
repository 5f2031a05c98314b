// Small helpers for defaulting decoded JSON objects in place. Go's defaulters test "nil" (pointer) or the zero value
// (string "", number 0); the predicates below name which test a default uses so each call reads like kube's source.

import { isObject } from '../../apimachinery/objects.js';
import { formatQuantity, parseQuantity, roundUpToMilli } from '../../apimachinery/quantity.js';

/** A decoded JSON object; defaulting works at the JSON boundary, so its values are untyped. */
export type Json = Record<string, any>;

/** A Go pointer or map that is nil: absent or null. */
export function isNil(v: unknown): boolean {
  return v === undefined || v === null;
}

/** A Go string that is "" (absent, null or empty). */
export function isEmptyString(v: unknown): boolean {
  return isNil(v) || v === '';
}

/** A Go int that is 0 (absent, null or 0). */
export function isZero(v: unknown): boolean {
  return isNil(v) || v === 0;
}

/** A Go map or slice with no entries. */
export function isEmptyCollection(v: unknown): boolean {
  if (isNil(v)) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

/** The object under `key`, created when absent: a Go struct field that is a value, not a pointer. */
export function child(parent: Json, key: string): Json {
  const v = parent[key];
  if (isObject(v)) return v;
  const created: Json = {};
  parent[key] = created;
  return created;
}

/** The object under `key` when there is one: a Go pointer field, defaulted only when set. */
export function optional(parent: Json | undefined, key: string): Json | undefined {
  const v = parent?.[key];
  return isObject(v) ? v : undefined;
}

/** The objects of the array under `key`; non-object entries are left for validation to reject. */
export function items(parent: Json | undefined, key: string): Json[] {
  const v = parent?.[key];
  return Array.isArray(v) ? v.filter(isObject) : [];
}

export function defaultNil(o: Json, key: string, value: unknown): void {
  if (isNil(o[key])) o[key] = value;
}

export function defaultEmptyString(o: Json, key: string, value: string): void {
  if (isEmptyString(o[key])) o[key] = value;
}

export function defaultZero(o: Json, key: string, value: number): void {
  if (isZero(o[key])) o[key] = value;
}

/**
 * SetDefaults_ResourceList (core/v1 defaults.go), which kube's generated defaulters run on every core/v1 ResourceList,
 * pod templates of other groups included: each quantity is rounded up to milli scale. The value is written as
 * Quantity.String() writes it, the canonical form kube stores.
 */
export function defaultResourceList(parent: Json | undefined, key: string): void {
  const list = parent?.[key];
  if (!isObject(list)) return;
  for (const [name, value] of Object.entries(list)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const q = parseQuantity(value);
    if (q) list[name] = formatQuantity(roundUpToMilli(q));
  }
}

/** defaultResourceList on a ResourceRequirements' limits and requests. */
export function defaultResourceRequirements(resources: Json | undefined): void {
  defaultResourceList(resources, 'limits');
  defaultResourceList(resources, 'requests');
}
