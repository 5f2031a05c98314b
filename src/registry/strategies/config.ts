// ConfigMaps and Secrets (pkg/registry/core/configmap and secret): their validation is in
// validation/core/config.ts; a Secret's write-only stringData is merged into data as the body is decoded.
import type { KubeObject } from '../../apimachinery/meta.js';
import { defaultSecret } from '../defaults/core.js';
import { fieldPath } from '../fieldsets.js';
import * as core from '../printers/core.js';
import { defineStrategy } from '../strategy.js';
import { validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate } from '../validation/core/config.js';
import { withKubeFinalizers } from '../validation/core/objectmeta.js';

export const configMaps = defineStrategy({
  resource: '/configmaps',
  printer: core.configMaps,
  validate: withKubeFinalizers(validateConfigMap),
  validateUpdate: validateConfigMapUpdate,
});

export const secrets = defineStrategy({
  resource: '/secrets',
  // stringData is folded into data as the body is decoded (before managedFields are computed, as kube's conversion
  // to the internal Secret does), so neither the stored object nor its managedFields know it.
  defaults: (obj) => {
    defaultSecret(obj);
    mergeStringData(obj);
  },
  fieldLabels: { type: fieldPath('type') },
  printer: core.secrets,
  validate: withKubeFinalizers(validateSecret),
  validateUpdate: validateSecretUpdate,
});

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
