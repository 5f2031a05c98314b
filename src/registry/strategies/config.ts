// ConfigMaps and Secrets (pkg/registry/core/configmap and secret; pkg/apis/core/validation: ValidateConfigMapUpdate,
// ValidateSecretUpdate): once `immutable: true` is set, data cannot change and immutable cannot be unset; a
// Secret's type never changes, and its write-only stringData is merged into data.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import { fieldInvalid, fieldTooLong, isConfigMapKey } from '../../apimachinery/validation.js';
import { defaultSecret } from '../defaults/core.js';
import { fieldPath } from '../fieldsets.js';
import * as core from '../printers/core.js';
import { defineStrategy } from '../strategy.js';

const IMMUTABLE_DETAIL = 'field is immutable when `immutable` is set';

export const configMaps = defineStrategy({
  resource: '/configmaps',
  printer: core.configMaps,
  validate: validateConfigMap,
  // ValidateConfigMapUpdate: immutability first, then the new object's own rules.
  validateUpdate: (obj, old) => [...validateImmutableData(obj, old, ['data', 'binaryData']), ...validateConfigMap(obj)],
});

export const secrets = defineStrategy({
  resource: '/secrets',
  defaults: defaultSecret,
  fieldLabels: { type: fieldPath('type') },
  printer: core.secrets,
  prepareForCreate: mergeStringData,
  prepareForUpdate: mergeStringData,
  validate: validateSecretData,
  validateUpdate(obj, old) {
    const out = validateImmutableData(obj, old, ['data']);
    if ((obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) {
      out.push({ type: 'FieldValueInvalid', field: 'type', value: obj.type ?? '', detail: 'field is immutable' });
    }
    return [...out, ...validateSecretData(obj)];
  },
});

/** core.MaxSecretSize: what a ConfigMap's or Secret's data may hold in all. */
const MAX_DATA_SIZE = 1024 * 1024;

/** The byte length of a base64 value once decoded (binaryData and Secret data travel base64-encoded). */
function decodedLength(value: unknown): number {
  return typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
}

/** ValidateConfigMap's data rules: valid keys, no key in both data and binaryData, 1 MiB in all. */
function validateConfigMap(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const data: Record<string, unknown> = obj.data ?? {};
  const binary: Record<string, unknown> = obj.binaryData ?? {};
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const msg of isConfigMapKey(key)) out.push(fieldInvalid(`data[${key}]`, key, msg));
    if (Object.prototype.hasOwnProperty.call(binary, key))
      out.push(fieldInvalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;
  }
  for (const [key, value] of Object.entries(binary)) {
    for (const msg of isConfigMapKey(key)) out.push(fieldInvalid(`binaryData[${key}]`, key, msg));
    total += decodedLength(value);
  }
  // kube reports the size on the whole object, a path that prints as "[]".
  if (total > MAX_DATA_SIZE) out.push(fieldTooLong('[]', MAX_DATA_SIZE));
  return out;
}

/** ValidateSecret's data rules: valid keys and 1 MiB in all (the per-type rules are not here yet). */
function validateSecretData(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  let total = 0;
  for (const [key, value] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) {
    for (const msg of isConfigMapKey(key)) out.push(fieldInvalid(`data[${key}]`, key, msg));
    total += decodedLength(value);
  }
  if (total > MAX_DATA_SIZE) out.push(fieldTooLong('data', MAX_DATA_SIZE));
  return out;
}

function validateImmutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  const out: FieldError[] = [];
  if (old.immutable !== true) return out;
  if (obj.immutable !== true) out.push({ type: 'FieldValueForbidden', field: 'immutable', detail: IMMUTABLE_DETAIL });
  for (const field of fields) {
    if (!deepEqual(obj[field] ?? {}, old[field] ?? {})) out.push({ type: 'FieldValueForbidden', field, detail: IMMUTABLE_DETAIL });
  }
  return out;
}

/** A Secret's stringData is write-only: it is merged into data, base64-encoded, winning over data (core/v1 conversion). */
function mergeStringData(obj: KubeObject): void {
  const stringData = obj.stringData;
  if (stringData === undefined || stringData === null) return;
  delete obj.stringData;
  if (typeof stringData !== 'object') return;
  const data: Record<string, string> = { ...(obj.data ?? {}) };
  for (const [k, v] of Object.entries(stringData as Record<string, unknown>)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  obj.data = data;
}
