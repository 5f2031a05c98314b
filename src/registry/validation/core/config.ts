// ConfigMap and Secret validation (kube pkg/apis/core/validation/validation.go: ValidateConfigMap,
// ValidateConfigMapUpdate, ValidateSecret with its per-type rules, ValidateSecretUpdate), after ObjectMeta.
import type { FieldError } from '../../../apimachinery/errors.js';
import { goJSONSyntaxError } from '../../../apimachinery/jsonsyntax.js';
import type { KubeObject } from '../../../apimachinery/meta.js';
import { deepEqual } from '../../../apimachinery/objects.js';
import { fieldInvalid, fieldRequired, fieldTooLong, isConfigMapKey } from '../../../apimachinery/validation.js';
import { objectMeta, objectMetaUpdate } from './objectmeta.js';

const IMMUTABLE_DETAIL = 'field is immutable when `immutable` is set';
/** core.MaxSecretSize: what a ConfigMap's or Secret's data may hold in all. */
const MAX_DATA_SIZE = 1024 * 1024;
const REDACTED = '<secret contents redacted>';

/** The byte length of a base64 value once decoded (binaryData and Secret data travel base64-encoded). */
function decodedLength(value: unknown): number {
  return typeof value === 'string' ? Buffer.from(value, 'base64').length : 0;
}

/** ValidateConfigMap: valid keys, no key in both data and binaryData, 1 MiB in all. */
export function validateConfigMap(obj: KubeObject): FieldError[] {
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

/** ValidateConfigMapUpdate: ObjectMeta update rules, immutability, then ValidateConfigMap (ObjectMeta included). */
export function validateConfigMapUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return [
    ...objectMetaUpdate(obj, old),
    ...validateImmutableData(obj, old, ['data', 'binaryData']),
    ...objectMeta(obj, true),
    ...validateConfigMap(obj),
  ];
}

/** Go's json.Unmarshal into a map[string]interface{}: its error text, or undefined when it would succeed. */
function unmarshalMapError(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  if (text.trim() === '') return 'unexpected end of JSON input';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return goJSONSyntaxError(text) ?? 'unexpected end of JSON input';
  }
  if (parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed))) return undefined;
  const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'boolean' ? 'bool' : typeof parsed;
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

/** ValidateSecret: valid keys and 1 MiB in all, then the rules of its type. */
export function validateSecret(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const data: Record<string, unknown> = obj.data ?? {};
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    for (const msg of isConfigMapKey(key)) out.push(fieldInvalid(`data[${key}]`, key, msg));
    total += decodedLength(value);
  }
  if (total > MAX_DATA_SIZE) out.push(fieldTooLong('data', MAX_DATA_SIZE));
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  switch (obj.type) {
    case 'kubernetes.io/service-account-token': {
      // Only the account's name is required; its uid and the token come later from a controller.
      const name = obj.metadata?.annotations?.['kubernetes.io/service-account.name'];
      if (!name) out.push(fieldRequired('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = obj.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) {
        out.push(fieldRequired(`data[${key}]`));
        break;
      }
      const err = unmarshalMapError(Buffer.from(String(data[key] ?? ''), 'base64'));
      if (err !== undefined) out.push(fieldInvalid(`data[${key}]`, REDACTED, err));
      break;
    }
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one must be there.
      if (!has('username') && !has('password')) out.push(fieldRequired('data[username]'), fieldRequired('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (decodedLength(data['ssh-privatekey']) === 0) out.push(fieldRequired('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) out.push(fieldRequired('data[tls.crt]'));
      if (!has('tls.key')) out.push(fieldRequired('data[tls.key]'));
      break;
  }
  return out;
}

/** ValidateSecretUpdate: ObjectMeta update rules, the type never changes, immutability, then ValidateSecret. */
export function validateSecretUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const out: FieldError[] = objectMetaUpdate(obj, old);
  if ((obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) out.push(fieldInvalid('type', obj.type ?? '', 'field is immutable'));
  out.push(...validateImmutableData(obj, old, ['data']));
  return [...out, ...objectMeta(obj, true), ...validateSecret(obj)];
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
