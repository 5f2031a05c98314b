// Reading and decoding request bodies: the 3 MiB limit, JSON and YAML, and kube's decode errors.
import type Koa from 'koa';
import { parse as yamlParse } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../apimachinery/errors.js';
import { goJSONSyntaxError, summarizeBody } from '../apimachinery/jsonsyntax.js';
import { KUBERNETES_PROTOBUF } from '../protobuf/media.js';

/** kube-apiserver's MaxRequestBodyBytes (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(ctx: Koa.Context, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || '0');
  if (declared > limit) throw requestEntityTooLarge(`limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw requestEntityTooLarge(`limit is ${limit}`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** The media type of a write body, by Content-Type; parameters such as charset are ignored. */
export function bodyMediaType(contentType: string | undefined, accepted: readonly string[]): string {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  // kube treats a missing Content-Type as JSON.
  const effective = type === '' ? 'application/json' : type;
  if (!accepted.includes(effective)) throw unsupportedMediaType(effective, [...accepted]);
  return effective;
}

/**
 * Decodes a JSON, YAML or Kubernetes protobuf body into an object. `expectedKind` names the kind the endpoint takes, for kube's
 * "the object provided is unrecognized (must be of type Pod)" wording. The protobuf decoder is loaded on first use.
 */
export async function decodeObject(raw: Buffer, mediaType: string, expectedKind: string): Promise<Record<string, any>> {
  if (mediaType === KUBERNETES_PROTOBUF) return decodeProtobufObject(raw, expectedKind);
  let value: unknown;
  const text = raw.toString('utf8');
  try {
    if (mediaType === 'application/yaml') {
      value = yamlParse(text, { maxAliasCount: 100 });
    } else {
      value = JSON.parse(text);
    }
  } catch (e) {
    const detail =
      mediaType === 'application/yaml'
        ? `error converting YAML to JSON: yaml: ${firstLine(e)}`
        : `json parse error: ${goJSONSyntaxError(text) ?? firstLine(e)}`;
    throw badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; ${detail} (${summarizeBody(raw)})`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonTypeName(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (${summarizeBody(raw)})`,
    );
  }
  return value as Record<string, any>;
}

async function decodeProtobufObject(raw: Buffer, expectedKind: string): Promise<Record<string, any>> {
  const { decodeKubernetesProtobuf, ProtobufDecodeError } = await import('../protobuf/index.js');
  try {
    return decodeKubernetesProtobuf(raw);
  } catch (e) {
    if (!(e instanceof ProtobufDecodeError)) throw e;
    // kube's transformDecodeError: only a not-registered kind gets the "unrecognized" wording.
    throw badRequest(e.notRegistered ? `the object provided is unrecognized (must be of type ${expectedKind}): ${e.message}` : e.message);
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'value';
}
