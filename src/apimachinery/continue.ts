// List continue tokens in kube-apiserver's exact format (k8s.io/apiserver v0.34 pkg/storage/continue.go):
// base64url without padding of the JSON `{"v":"meta.k8s.io/v1","rv":<int64>,"start":"<key after the prefix>"}`.
// Tokens are interchangeable with kube-apiserver's. A bad token is a 400 BadRequest
// `invalid continue token: <ContinueTokenError message>`.

import { badRequest, type StatusError } from './errors.js';
import { goJSONSyntaxError } from './jsonsyntax.js';
import { goJSONStringify } from './objects.js';

export const CONTINUE_TOKEN_VERSION = 'meta.k8s.io/v1';

export const ERR_INVALID_START_RV = 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)';
export const ERR_EMPTY_START_KEY = 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)';
export const ERR_GENERIC_INVALID_KEY = 'continue key is not valid';
export const ERR_UNRECOGNIZED_ENCODED_VERSION = 'continue key is not valid: server does not recognize this encoded version';

/** 410 Expired texts of the etcd3 store (etcd3/errors.go) for a list whose revision was compacted. */
export const LIST_EXPIRED_MESSAGE = 'The resourceVersion for the provided list is too old.';
export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
export const INCONSISTENT_CONTINUE_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without ' +
  'the continue parameter, or use the continue token in this response to retrieve the remainder of the results. ' +
  'Continuing with the provided token results in an inconsistent list - objects that were created, modified, or ' +
  'deleted between the time the first chunk was returned and now may show up in the list.';

export class ContinueTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContinueTokenError';
  }
  /** storage.ValidateListOptions: `invalid continue token: ...`, 400. */
  toStatusError(): StatusError {
    return badRequest(`invalid continue token: ${this.message}`);
  }
}

export interface DecodedContinue {
  /** The full etcd key to resume from: keyPrefix + the token's cleaned start key. */
  fromKey: string;
  /** The list revision; -1 asks for the latest revision (the token kube hands out after compaction). */
  rv: number;
}

/**
 * EncodeContinue. `keyPrefix` is the list's key prefix with its trailing slash (kube lists
 * `/registry/pods/` or `/registry/pods/ns/`); `key` must start with it.
 */
export function encodeContinue(key: string, keyPrefix: string, resourceVersion: number): string {
  if (!key.startsWith(keyPrefix) || keyPrefix === '') {
    // strings.TrimPrefix leaving the key unchanged; an empty prefix trims nothing either.
    throw new Error(`unable to encode next field: the key and key prefix do not match ${keyPrefix} ${key}`);
  }
  const json = goJSONStringify({ v: CONTINUE_TOKEN_VERSION, rv: resourceVersion, start: key.slice(keyPrefix.length) });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/**
 * The continue token for the next page after `lastKey` (PrepareContinueToken): the next range starts just
 * after it, hence the NUL appended.
 */
export function nextPageContinue(lastKey: string, keyPrefix: string, resourceVersion: number): string {
  return encodeContinue(`${lastKey}\x00`, keyPrefix, resourceVersion);
}

/** The token in the 410 Expired answer to a compacted continue (rv -1: resume at the latest revision). */
export function inconsistentContinue(continueKey: string, keyPrefix: string): string {
  return encodeContinue(continueKey, keyPrefix, -1);
}

/** DecodeContinue. Throws ContinueTokenError with kube's message. */
export function decodeContinue(token: string, keyPrefix: string): DecodedContinue {
  const data = goRawURLBase64Decode(token);
  const t = unmarshalToken(data);
  if (t.v !== CONTINUE_TOKEN_VERSION) throw new ContinueTokenError(`${ERR_UNRECOGNIZED_ENCODED_VERSION} ${t.v}`);
  if (t.rv === 0) throw new ContinueTokenError(ERR_INVALID_START_RV);
  if (t.start.length === 0) throw new ContinueTokenError(ERR_EMPTY_START_KEY);
  // Defends against path traversal: the cleaned key can never range above keyPrefix.
  const key = t.start.startsWith('/') ? t.start : `/${t.start}`;
  const cleaned = cleanPath(key);
  if (cleaned !== key) throw new ContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: ${t.start}`);
  return { fromKey: keyPrefix + cleaned.slice(1), rv: t.rv };
}

// ---- Go compatibility ---------------------------------------------------------------------------------------

const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE_MAP: ReadonlyMap<number, number> = new Map([...URL_ALPHABET].map((c, i) => [c.charCodeAt(0), i]));

/**
 * base64.RawURLEncoding.DecodeString: no padding, URL alphabet, CR/LF ignored, and Go's
 * `illegal base64 data at input byte N` (N a byte offset) for anything else.
 */
function goRawURLBase64Decode(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  const sextets: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    const v = DECODE_MAP.get(b);
    if (v !== undefined) {
      sextets.push(v);
      continue;
    }
    if (b === 0x0a || b === 0x0d) continue;
    throw new ContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: illegal base64 data at input byte ${i}`);
  }
  if (sextets.length % 4 === 1) {
    // Go reports the offset of the lone trailing character.
    let idx = src.length - 1;
    while (idx > 0 && (src[idx] === 0x0a || src[idx] === 0x0d)) idx--;
    throw new ContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: illegal base64 data at input byte ${idx}`);
  }
  const out: number[] = [];
  for (let i = 0; i < sextets.length; i += 4) {
    const n = sextets.length - i;
    const a = sextets[i];
    const b = sextets[i + 1];
    const c = n > 2 ? sextets[i + 2] : 0;
    const d = n > 3 ? sextets[i + 3] : 0;
    out.push(((a << 2) | (b >> 4)) & 0xff);
    if (n > 2) out.push(((b << 4) | (c >> 2)) & 0xff);
    if (n > 3) out.push(((c << 6) | d) & 0xff);
  }
  return Buffer.from(out);
}

interface RawToken {
  v: string;
  rv: number;
  start: string;
}

/**
 * json.Unmarshal into continueToken: field names match case-insensitively (exact match preferred), unknown
 * fields are ignored, null leaves the zero value, and type mismatches give Go's message.
 */
function unmarshalToken(data: Buffer): RawToken {
  let parsed: unknown;
  const text = data.toString('utf8');
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: ${goJSONSyntaxError(text) ?? 'unexpected end of JSON input'}`);
  }
  const token: RawToken = { v: '', rv: 0, start: '' };
  if (parsed === null) return token;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'number' ? 'number' : typeof parsed;
    throw new ContinueTokenError(`${ERR_GENERIC_INVALID_KEY}: json: cannot unmarshal ${kind} into Go value of type storage.continueToken`);
  }
  const obj = parsed as Record<string, unknown>;
  const pick = (name: keyof RawToken): unknown => {
    if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
    const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : obj[key];
  };
  const mismatch = (what: string, field: string, goType: string): ContinueTokenError =>
    new ContinueTokenError(
      `${ERR_GENERIC_INVALID_KEY}: json: cannot unmarshal ${what} into Go struct field continueToken.${field} of type ${goType}`,
    );
  const jsonKind = (x: unknown): string => (Array.isArray(x) ? 'array' : typeof x === 'object' ? 'object' : typeof x);
  for (const field of ['v', 'start'] as const) {
    const x = pick(field);
    if (x === undefined || x === null) continue;
    if (typeof x !== 'string') throw mismatch(jsonKind(x), field, 'string');
    token[field] = x;
  }
  const rv = pick('rv');
  if (rv !== undefined && rv !== null) {
    if (typeof rv !== 'number') throw mismatch(jsonKind(rv), 'rv', 'int64');
    if (!Number.isSafeInteger(rv)) throw mismatch(`number ${String(rv)}`, 'rv', 'int64');
    token.rv = rv;
  }
  return token;
}

/** Go's path.Clean for a rooted path. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}
