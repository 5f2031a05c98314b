// JSON Patch (RFC 6902) with the semantics kube-apiserver inherits from evanphx/json-patch v4: `replace` of a
// missing object member behaves like `add`, negative array indexes count from the end, and `test` treats a
// missing member as null. Operations run in order on a copy; the first failure aborts the whole patch.
import { deepEqual, isObject, type JSONObject, type JSONValue } from '../../apimachinery/objects.js';

/** kube-apiserver's cap on operations in one JSON patch (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** An operation failed; kube answers 422 with a generic message, so the text is for logs and tests. */
export class JSONPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JSONPatchError';
  }
}

type Container = JSONObject | JSONValue[];

/** Applies `operations` (the decoded body, an array) to a deep copy of `doc` and returns the result. */
export function applyJSONPatch(doc: JSONValue, operations: readonly unknown[]): JSONValue {
  // The root lives in a holder so that an operation on "" can replace the whole document.
  const holder: JSONObject = { root: structuredClone(doc) };
  // The operations are a decoded JSON body, so an object among them is a JSONObject.
  for (const raw of operations as readonly JSONValue[]) {
    if (!isObject(raw)) throw new JSONPatchError('operation is not an object');
    const op = raw.op;
    switch (op) {
      case 'add':
        add(holder, requiredPath(raw, 'path'), valueOf(raw));
        break;
      case 'remove':
        remove(holder, requiredPath(raw, 'path'));
        break;
      case 'replace':
        replace(holder, requiredPath(raw, 'path'), valueOf(raw));
        break;
      case 'move': {
        const from = requiredPath(raw, 'from');
        const path = requiredPath(raw, 'path');
        const value = get(holder, from, 'move');
        remove(holder, from);
        add(holder, path, value);
        break;
      }
      case 'copy': {
        const from = requiredPath(raw, 'from');
        add(holder, requiredPath(raw, 'path'), structuredClone(get(holder, from, 'copy')));
        break;
      }
      case 'test':
        test(holder, requiredPath(raw, 'path'), valueOf(raw));
        break;
      default:
        throw new JSONPatchError(`Unexpected kind: ${typeof op === 'string' ? op : String(op)}`);
    }
  }
  return holder.root;
}

function requiredPath(op: JSONObject, member: 'path' | 'from'): string[] {
  const p = op[member];
  if (typeof p !== 'string') throw new JSONPatchError(`operation missing ${member} field`);
  return parsePointer(p);
}

/** An operation without `value` uses null, as the v4 library does. */
function valueOf(op: JSONObject): JSONValue {
  return op.value === undefined ? null : structuredClone(op.value);
}

/** JSON Pointer tokens, relative to the holder: "" is ["root"], "/a/b" is ["root", "a", "b"]. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return ['root'];
  if (!pointer.startsWith('/')) throw new JSONPatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return [
    'root',
    ...pointer
      .slice(1)
      .split('/')
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')),
  ];
}

/** The container that holds the last token, or a failure when a parent is missing. */
function parentOf(holder: JSONObject, tokens: string[], what: string): { con: Container; key: string } {
  let cur: JSONValue = holder;
  for (let i = 0; i < tokens.length - 1; i++) {
    const next: JSONValue | undefined = childOf(cur, tokens[i]);
    if (next === undefined || next === null || typeof next !== 'object') {
      throw new JSONPatchError(`${what} operation does not apply: doc is missing path: ${pointerOf(tokens)}`);
    }
    cur = next;
  }
  if (cur === null || typeof cur !== 'object') {
    throw new JSONPatchError(`${what} operation does not apply: doc is missing path: ${pointerOf(tokens)}`);
  }
  return { con: cur, key: tokens[tokens.length - 1] };
}

function childOf(cur: JSONValue, token: string): JSONValue | undefined {
  if (Array.isArray(cur)) {
    const i = arrayIndex(token, cur.length, false);
    return cur[i];
  }
  if (isObject(cur)) return Object.prototype.hasOwnProperty.call(cur, token) ? cur[token] : undefined;
  return undefined;
}

/** An existing element's index; negative indexes count from the end. */
function arrayIndex(token: string, length: number, forInsert: boolean): number {
  if (!/^-?\d+$/.test(token)) throw new JSONPatchError(`invalid array index: ${token}`);
  let i = Number(token);
  const size = forInsert ? length + 1 : length;
  if (i >= size || i < -size) throw new JSONPatchError(`Unable to access invalid index: ${i}`);
  if (i < 0) i += size;
  return i;
}

function pointerOf(tokens: string[]): string {
  return tokens
    .slice(1)
    .map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

function add(holder: JSONObject, tokens: string[], value: JSONValue): void {
  const { con, key } = parentOf(holder, tokens, 'add');
  if (Array.isArray(con)) {
    if (key === '-') con.push(value);
    else con.splice(arrayIndex(key, con.length, true), 0, value);
  } else {
    con[key] = value;
  }
}

function remove(holder: JSONObject, tokens: string[]): void {
  if (tokens.length === 1) throw new JSONPatchError('unable to remove the whole document');
  const { con, key } = parentOf(holder, tokens, 'remove');
  if (Array.isArray(con)) {
    con.splice(arrayIndex(key, con.length, false), 1);
  } else {
    if (!Object.prototype.hasOwnProperty.call(con, key))
      throw new JSONPatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete con[key];
  }
}

function replace(holder: JSONObject, tokens: string[], value: JSONValue): void {
  const { con, key } = parentOf(holder, tokens, 'replace');
  if (Array.isArray(con)) {
    con[arrayIndex(key, con.length, false)] = value;
  } else {
    // A missing member is set, not an error: kube relies on this v4 behaviour.
    con[key] = value;
  }
}

function get(holder: JSONObject, tokens: string[], what: string): JSONValue {
  const { con, key } = parentOf(holder, tokens, what);
  const v = Array.isArray(con) ? con[arrayIndex(key, con.length, false)] : con[key];
  if (v === undefined) throw new JSONPatchError(`${what} operation does not apply: doc is missing from path: ${pointerOf(tokens)}`);
  return v;
}

function test(holder: JSONObject, tokens: string[], expected: JSONValue): void {
  const { con, key } = parentOf(holder, tokens, 'test');
  // A missing member compares equal to null.
  const actual = Array.isArray(con) ? con[arrayIndex(key, con.length, false)] : (con[key] ?? null);
  if (!deepEqual(actual, expected)) throw new JSONPatchError(`testing value ${pointerOf(tokens)} failed: test failed`);
}
