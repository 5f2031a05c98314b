// JSON produced once per object: objects served from the watch cache are shared and never mutated, so the
// text of one revision is computed on first use and reused by every get, list and watch event that sends it.
// The registry stores objects already laid out as kube's Go encoder writes them (src/registry/gojson.ts), so
// JSON.stringify gives kube's bytes; what is left here is what encoding/json does to the text itself: HTML-safe
// escapes, a trailing newline per document (json.Encoder.Encode), and json.Indent for pretty output
// (k8s.io/apimachinery/pkg/runtime/serializer/json, k8s.io/apiserver/pkg/endpoints/handlers/responsewriters).

import { knownJSON } from '../apimachinery/json-text.js';

const memo = new WeakMap<object, string>();

/** encoding/json escapes <, > and & (HTMLEscape) and U+2028/U+2029 inside strings; JSON.stringify does not. */
const GO_ESCAPED = /[<>&\u2028\u2029]/g;
const NEEDS_GO_ESCAPE = /[<>&\u2028\u2029]/;
const GO_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** JSON.stringify's text with Go's escapes; those characters can only occur inside strings. */
export function goJSON(value: unknown): string {
  return goEscaped(JSON.stringify(value));
}

function goEscaped(json: string): string {
  return NEEDS_GO_ESCAPE.test(json) ? json.replace(GO_ESCAPED, (c) => GO_ESCAPES[c]) : json;
}

/** One object's JSON, without the newline that ends a response (watch events embed it). */
export function objectJSON(obj: object): string {
  let json = memo.get(obj);
  if (json === undefined) {
    // A written object's text is known from storage's serialization of it.
    const plain = knownJSON(obj);
    json = plain === undefined ? goJSON(obj) : goEscaped(plain);
    memo.set(obj, json);
  }
  return json;
}

/**
 * An item of a typed list carries no kind/apiVersion (only the list does). Stored objects begin with them,
 * so the item text is the object's text with that head cut off — no second serialization.
 */
export function listItemJSON(obj: Record<string, unknown>, apiVersion: string, kind: string): string {
  const full = objectJSON(obj);
  const head = `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)}`;
  if (full.startsWith(head)) {
    const rest = full.slice(head.length);
    if (rest.startsWith(',')) return `{${rest.slice(1)}`;
    if (rest === '}') return '{}';
  }
  const { apiVersion: _a, kind: _k, ...item } = obj;
  return goJSON(item);
}

/** `{"kind":...,"apiVersion":...,"metadata":...,"items":[...]}` and a newline, assembled from the items' texts. */
export function listJSON(
  kind: string,
  apiVersion: string,
  metadata: object,
  items: Array<Record<string, unknown>>,
  itemApiVersion: string,
  itemKind: string,
): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = listItemJSON(items[i], itemApiVersion, itemKind);
  return `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${goJSON(metadata)},"items":[${parts.join(',')}]}\n`;
}

/** One line of a JSON watch stream. */
export function watchEventJSON(type: string, obj: object): string {
  return `{"type":"${type}","object":${objectJSON(obj)}}\n`;
}

/**
 * Go's json.Indent(dst, src, "", "  ") over compact JSON text: one member per line, two spaces a level, `": "`
 * after keys, empty objects and arrays kept as `{}` and `[]`, and whatever followed the value (the newline) kept.
 */
export function indentJSON(text: string): string {
  let out = '';
  let depth = 0;
  let start = 0;
  let needIndent = false; // an opening bracket was just written: newline + indent before the next value
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: copy through its closing quote
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      if (needIndent) {
        out += text.slice(start, i) + '\n' + '  '.repeat(depth);
        start = i;
        needIndent = false;
      }
      i = j;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      // { or [
      if (needIndent) {
        out += text.slice(start, i) + '\n' + '  '.repeat(depth);
        start = i;
      }
      depth++;
      needIndent = true;
    } else if (c === 0x7d || c === 0x5d) {
      // } or ]
      depth--;
      if (needIndent)
        needIndent = false; // empty: stays `{}` / `[]`
      else {
        out += text.slice(start, i) + '\n' + '  '.repeat(depth);
        start = i;
      }
    } else if (c === 0x2c) {
      // ,
      out += text.slice(start, i + 1) + '\n' + '  '.repeat(depth);
      start = i + 1;
    } else if (c === 0x3a) {
      // :
      out += text.slice(start, i + 1) + ' ';
      start = i + 1;
    } else if (needIndent && c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) {
      out += text.slice(start, i) + '\n' + '  '.repeat(depth);
      start = i;
      needIndent = false;
    }
  }
  return out + text.slice(start);
}
