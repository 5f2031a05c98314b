// Normalises what kgate and the reference kube-apiserver answered to one step and names the aspects that differ.
// Masked: values that differ between any two servers by design (uids, timestamps, resourceVersions, continue
// tokens, generated name suffixes, ages in tables); everything else a client can read is compared.
import { isDeepStrictEqual } from 'node:util';
import type { Observation } from './script.js';

export type Aspect = 'status' | 'contentType' | 'warning' | 'reason' | 'message' | 'body';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const RFC3339 = /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\b/g;
/** Revisions inside messages ("too old resource version: 1 (42)", "current: 42"): both etcds count differently. */
const REVISIONS: Array<[RegExp, string]> = [
  [/(resource ?version:? )\d+/gi, '$1<rv>'],
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
  return out;
}
