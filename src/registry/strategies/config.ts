// ConfigMaps and Secrets (pkg/registry/core/configmap and secret; pkg/apis/core/validation: ValidateConfigMapUpdate,
// ValidateSecretUpdate): once `immutable: true` is set, data cannot change and immutable cannot be unset; a
// Secret's type never changes, and its write-only stringData is merged into data.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { deepEqual } from '../../apimachinery/objects.js';
import { defaultSecret } from '../defaults/core.js';
import { fieldPath } from '../fieldsets.js';
import * as core from '../printers/core.js';
import { defineStrategy } from '../strategy.js';

const IMMUTABLE_DETAIL = 'field is immutable when `immutable` is set';

export const configMaps = defineStrategy({
  resource: '/configmaps',
  printer: core.configMaps,
  validateUpdate: (obj, old) => validateImmutableData(obj, old, ['data', 'binaryData']),
});

export const secrets = defineStrategy({
  resource: '/secrets',
  defaults: defaultSecret,
  fieldLabels: { type: fieldPath('type') },
  printer: core.secrets,
  prepareForCreate: mergeStringData,
  prepareForUpdate: mergeStringData,
  validateUpdate(obj, old) {
    const out = validateImmutableData(obj, old, ['data']);
    if ((obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) {
      out.push({ type: 'FieldValueInvalid', field: 'type', value: obj.type ?? '', detail: 'field is immutable' });
    }
    return out;
  },
});

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
