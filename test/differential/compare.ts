// Normalises what kgate and the reference kube-apiserver answered to one step and names the aspects that differ.
// Masked: values that differ between any two servers by design (uids, timestamps, resourceVersions, continue
// tokens, generated name suffixes, ages in tables); everything else a client can read is compared.
import { isDeepStrictEqual } from 'node:util';
import type { Observation } from './script.js';

export type Aspect = 'status' | 'contentType' | 'warning' | 'reason' | 'message' | 'body' | 'fieldOrder';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const RFC3339 = /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\b/g;
/**
 * Server revisions inside messages ("too old resource version: 1 (42)", "current: 42"): both etcds count
 * differently. The revision the client sent (the 1, a 999999999) is the same on both and stays compared.
 */
const REVISIONS: Array<[RegExp, string]> = [
  [/\(\d+\)/g, '(<rv>)'],
  [/(current:? )\d+/gi, '$1<rv>'],
];
const AGE = /^(\d+[smhd])+$/;

function maskString(value: string): string {
  let out = value.replace(UUID, '<uuid>').replace(RFC3339, '<time>');
  for (const [pattern, replacement] of REVISIONS) out = out.replace(pattern, replacement);
  return AGE.test(out) ? '<age>' : out;
}

const MASKED_KEYS: Record<string, string> = {
  uid: '<uid>',
  creationTimestamp: '<time>',
  deletionTimestamp: '<time>',
  resourceVersion: '<rv>',
  continue: '<continue>',
  time: '<time>',
};

export function normalise(value: unknown): unknown {
  if (typeof value === 'string') return maskString(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (key in MASKED_KEYS && typeof child === 'string' && child !== '') out[key] = MASKED_KEYS[key];
    else out[key] = normalise(child);
  }
  const generateName = record.generateName;
  if (typeof generateName === 'string' && typeof record.name === 'string' && record.name.startsWith(generateName)) {
    out.name = `${generateName}<suffix>`;
  }
  return out;
}

function isStatus(body: unknown): body is { kind: 'Status'; reason?: string; message?: string } {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/** The aspects in which the two observations differ after normalisation. */
export function differences(kgate: Observation, kube: Observation): Map<Aspect, { kgate: unknown; kube: unknown }> {
  const out = new Map<Aspect, { kgate: unknown; kube: unknown }>();
  const note = (aspect: Aspect, a: unknown, b: unknown) => {
    if (!isDeepStrictEqual(a, b)) out.set(aspect, { kgate: a, kube: b });
  };
  note('status', kgate.status, kube.status);
  note('contentType', kgate.contentType, kube.contentType);
  note('warning', kgate.warning && maskString(kgate.warning), kube.warning && maskString(kube.warning));
  const a = normalise(kgate.body);
  const b = normalise(kube.body);
  if (isStatus(a) && isStatus(b)) {
    note('reason', a.reason, b.reason);
    note('message', a.message, b.message);
    const { reason: _ra, message: _ma, ...restA } = a;
    const { reason: _rb, message: _mb, ...restB } = b;
    note('body', restA, restB);
  } else {
    note('body', a, b);
  }
  // Clients that diff or hash bodies see key order too; kube writes Go struct field order.
  if (isDeepStrictEqual(a, b) && JSON.stringify(a) !== JSON.stringify(b))
    out.set('fieldOrder', { kgate: firstOrderDifference(a, b), kube: firstOrderDifference(b, a) });
  return out;
}

function keysOf(value: unknown): string[] {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

/** The path and key order of the first object whose keys come in another order in `other`. */
function firstOrderDifference(value: unknown, other: unknown, path = '$'): string | undefined {
  if (Array.isArray(value) && Array.isArray(other)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstOrderDifference(value[i], other[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  const keys = keysOf(value);
  if (keys.join() !== keysOf(other).join()) return `${path}: ${keys.join(', ')}`;
  for (const key of keys) {
    const found = firstOrderDifference((value as Record<string, unknown>)[key], (other as Record<string, unknown>)[key], `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** Up to `limit` leaf paths where the two values differ, for failure messages a reader can act on. */
export function differingPaths(a: unknown, b: unknown, limit = 12, path = '$', out: string[] = []): string[] {
  if (out.length >= limit || isDeepStrictEqual(a, b)) return out;
  const objects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!objects) {
    const show = (v: unknown) => {
      const text = v === undefined ? '(absent)' : JSON.stringify(v);
      return text.length > 300 ? `${text.slice(0, 300)}…` : text;
    };
    out.push(`${path}: kgate ${show(a)} | kube ${show(b)}`);
    return out;
  }
  const keys = Array.isArray(a)
    ? [...Array(Math.max(a.length, (b as unknown[]).length)).keys()].map(String)
    : [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const key of keys) {
    const child = Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`;
    differingPaths((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], limit, child, out);
  }
  return out;
}
