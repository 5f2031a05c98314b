// ConfigMaps and Secrets (pkg/apis/core/validation: ValidateConfigMapUpdate, ValidateSecretUpdate): once
// `immutable: true` is set, data cannot change and immutable cannot be unset; a Secret's type never changes.
import type { FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../storage/interface.js';
import { deepEqual } from '../../apimachinery/objects.js';
import { DefaultStrategy } from '../strategy.js';

const IMMUTABLE_DETAIL = 'field is immutable when `immutable` is set';

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

export class ConfigDataStrategy extends DefaultStrategy {
  override prepareForCreate(obj: KubeObject): void {
    super.prepareForCreate(obj);
    if (this.info.resource === 'secrets') mergeStringData(obj);
  }

  override prepareForUpdate(obj: KubeObject, old: KubeObject): void {
    super.prepareForUpdate(obj, old);
    if (this.info.resource === 'secrets') mergeStringData(obj);
  }

  override validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
    const out: FieldError[] = [];
    if (old.immutable === true) {
      if (obj.immutable !== true) out.push({ type: 'FieldValueForbidden', field: 'immutable', detail: IMMUTABLE_DETAIL });
      for (const field of ['data', 'binaryData']) {
        if (!deepEqual(obj[field] ?? {}, old[field] ?? {})) out.push({ type: 'FieldValueForbidden', field, detail: IMMUTABLE_DETAIL });
      }
    }
    if (this.info.resource === 'secrets' && (obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) {
      out.push({ type: 'FieldValueInvalid', field: 'type', value: obj.type ?? '', detail: 'field is immutable' });
    }
    return out;
  }
}
