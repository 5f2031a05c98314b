// Writing objects and Status errors to the client in the negotiated media type. JSON bodies are what Go's
// json.Encoder writes (a newline after the document), or json.MarshalIndent's two-space indentation (no newline)
// for `?pretty=true` and for curl, Wget and browsers (isPrettyPrint in k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go).
import type Koa from 'koa';
import { stringify as yamlStringify } from 'yaml';
import type { Status } from '../apimachinery/errors.js';
import type { MediaType } from './negotiation.js';
import { goJSON, indentJSON, objectJSON } from './serialize.js';

/** The body text, a newline included for JSON. */
export function encode(body: unknown, mediaType: MediaType): string {
  if (mediaType === 'application/yaml') return yamlStringify(body);
  return `${body !== null && typeof body === 'object' ? objectJSON(body) : goJSON(body)}\n`;
}

/**
 * kube's isPrettyPrint: a non-empty `pretty` parameter decides by strconv.ParseBool (anything unparsable is false);
 * without one, user agents starting with curl, Wget or Mozilla/5.0 get indented JSON.
 */
export function isPrettyPrint(ctx: Koa.Context): boolean {
  if (ctx.querystring.includes('pretty')) {
    const pretty = new URLSearchParams(ctx.querystring).get('pretty');
    if (pretty !== null && pretty !== '')
      return pretty === '1' || pretty === 't' || pretty === 'T' || pretty === 'true' || pretty === 'TRUE' || pretty === 'True';
  }
  const agent = ctx.get('User-Agent');
  return agent.startsWith('curl') || agent.startsWith('Wget') || agent.startsWith('Mozilla/5.0');
}

export function writeObject(
  ctx: Koa.Context,
  code: number,
  body: unknown,
  mediaType: MediaType = 'application/json',
  contentType?: string,
): void {
  writeText(ctx, code, encode(body, mediaType), contentType ?? mediaType);
}

/** Already-encoded text (lists assembled from cached item texts); JSON is indented here when the client asks. */
export function writeText(ctx: Koa.Context, code: number, text: string, contentType: string): void {
  ctx.status = code;
  // Set as is: Koa's ctx.type would add "; charset=utf-8", which kube-apiserver never writes.
  ctx.set('Content-Type', contentType);
  // Pretty output is json.MarshalIndent's: no newline after the document.
  ctx.body =
    contentType.startsWith('application/json') && isPrettyPrint(ctx) ? indentJSON(text.endsWith('\n') ? text.slice(0, -1) : text) : text;
}

/** Status errors are always JSON unless the client asked for YAML, as kube's ErrorNegotiated does. */
export function writeStatus(ctx: Koa.Context, status: Status, mediaType: MediaType = 'application/json'): void {
  writeObject(ctx, status.code, status, mediaType);
}
