// Decodes `application/vnd.kubernetes.protobuf` bodies: the `k8s\0` magic, a runtime.Unknown envelope naming the
// apiVersion and kind, and the object's own message, into the plain JSON object a JSON body would give.
// (apimachinery/pkg/runtime/serializer/protobuf/protobuf.go.)
import type protobuf from 'protobufjs';
import { META_V1_PACKAGE, PROTOBUF_FACTS, UNKNOWN_MESSAGE } from './facts.js';
import { messageToJson, ProtobufDecodeError } from './json.js';
import { protobufRoot } from './root.js';

export { ProtobufDecodeError } from './json.js';

import { KUBERNETES_PROTOBUF } from './media.js';

export { KUBERNETES_PROTOBUF };

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Kinds every group version accepts besides its own (metav1.AddToGroupVersion registers them everywhere). */
const META_KINDS = new Set([
  'DeleteOptions',
  'CreateOptions',
  'UpdateOptions',
  'PatchOptions',
  'GetOptions',
  'ListOptions',
  'Status',
  'WatchEvent',
]);

export interface KubernetesProtobufEnvelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
  contentEncoding: string;
  contentType: string;
}

/** Splits a body into its runtime.Unknown envelope; throws ProtobufDecodeError with kube's wording. */
export function readEnvelope(body: Buffer): KubernetesProtobufEnvelope {
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ProtobufDecodeError(`provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`);
  }
  const unknown = decodeMessage(UNKNOWN_MESSAGE, body.subarray(MAGIC.length));
  const typeMeta = (unknown.typeMeta ?? {}) as Record<string, unknown>;
  const raw =
    unknown.raw instanceof Uint8Array ? Buffer.from(unknown.raw.buffer, unknown.raw.byteOffset, unknown.raw.byteLength) : Buffer.alloc(0);
  return {
    apiVersion: String(typeMeta.apiVersion ?? ''),
    kind: String(typeMeta.kind ?? ''),
    raw,
    contentEncoding: String(unknown.contentEncoding ?? ''),
    contentType: String(unknown.contentType ?? ''),
  };
}

/** The protobuf message that carries `kind` of `apiVersion`, if kgate knows it. */
export function messageTypeFor(apiVersion: string, kind: string): string | undefined {
  const direct = PROTOBUF_FACTS.kinds[`${apiVersion}/${kind}`];
  if (direct !== undefined) return direct;
  if (META_KINDS.has(kind)) return `${META_V1_PACKAGE}.${kind}`;
  return undefined;
}

/** Decodes a Kubernetes protobuf body into its JSON form, with apiVersion and kind from the envelope. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  const envelope = readEnvelope(body);
  if (envelope.contentEncoding !== '') throw new ProtobufDecodeError(`unsupported content encoding "${envelope.contentEncoding}"`);
  if (envelope.contentType !== '' && envelope.contentType !== KUBERNETES_PROTOBUF) {
    throw new ProtobufDecodeError(`unsupported embedded content type "${envelope.contentType}"`);
  }
  const { apiVersion, kind } = envelope;
  if (kind === '') throw new ProtobufDecodeError(`Object 'Kind' is missing in protobuf envelope`);
  const typeName = messageTypeFor(apiVersion, kind);
  if (typeName === undefined)
    throw new ProtobufDecodeError(`no kind "${kind}" is registered for version "${apiVersion}"`, { notRegistered: true });
  const object = messageToJson(typeName, decodeMessage(typeName, envelope.raw)) as Record<string, unknown>;
  return { kind, apiVersion, ...object };
}

function decodeMessage(typeName: string, bytes: Uint8Array): Record<string, unknown> {
  const type: protobuf.Type = protobufRoot().lookupType(typeName);
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (e) {
    throw new ProtobufDecodeError(
      `unable to decode ${typeName.slice(typeName.lastIndexOf('.') + 1)}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return type.toObject(message, { longs: Number });
}
