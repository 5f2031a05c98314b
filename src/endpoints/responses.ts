// Writing objects and Status errors to the client in the negotiated media type.
import type Koa from 'koa';
import { stringify as yamlStringify } from 'yaml';
import type { Status } from '../apimachinery/errors.js';
import type { MediaType } from './negotiation.js';
import { objectJSON } from './serialize.js';

export function encode(body: unknown, mediaType: MediaType): string {
  if (mediaType === 'application/yaml') return yamlStringify(body);
  return body !== null && typeof body === 'object' ? objectJSON(body) : JSON.stringify(body);
}

export function writeObject(ctx: Koa.Context, code: number, body: unknown, mediaType: MediaType = 'application/json', contentType?: string): void {
  writeText(ctx, code, encode(body, mediaType), contentType ?? mediaType);
}

/** Already-encoded text (lists assembled from cached item texts). */
export function writeText(ctx: Koa.Context, code: number, text: string, contentType: string): void {
  ctx.status = code;
  ctx.type = contentType;
  ctx.body = text;
}

/** Status errors are always JSON unless the client asked for YAML, as kube's ErrorNegotiated does. */
export function writeStatus(ctx: Koa.Context, status: Status, mediaType: MediaType = 'application/json'): void {
  writeObject(ctx, status.code, status, mediaType);
}
