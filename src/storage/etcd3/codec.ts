// Objects are stored as JSON text without metadata.resourceVersion (etcd's revisions are the truth); reads
// put the mod revision back. Readable with `etcdctl get --prefix /registry/...`.

import type { KubeObject } from '../interface.js';

/** Serializes obj without metadata.resourceVersion; the caller's object is not changed. */
export function encodeObject(obj: KubeObject): Buffer {
  const metadata = obj.metadata;
  if (metadata === undefined || metadata.resourceVersion === undefined) {
    return Buffer.from(JSON.stringify(obj));
  }
  const { resourceVersion: _dropped, ...rest } = metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata: rest }));
}

/** A value to write, and the text of the written object once its revision is known. */
export interface EncodedWrite {
  value: Buffer;
  /** JSON.stringify(withRevision(obj, revision)), made from the stored text. */
  textWithRevision(revision: string): string;
}

// Where resourceVersion goes: the object is serialized once with this placeholder in the slot, so the stored text
// (placeholder removed) and the response text (revision in its place) are two cuts of one serialization. The
// placeholder's text begins with a bare quote, which no JSON string value can contain, and metadata precedes
// everything a client may fill freely, so its first occurrence is the slot.
const SLOT = 'kgate:resourceVersion';
const SLOT_TEXT = `"resourceVersion":${JSON.stringify(SLOT)}`;

/** encodeObject's value, plus the written object's text without a second serialization. */
export function encodeWrite(obj: KubeObject): EncodedWrite {
  const metadata = obj.metadata;
  if (metadata !== undefined && metadata !== null && typeof metadata === 'object') {
    const text = JSON.stringify({ ...obj, metadata: metadataWithResourceVersion(metadata, SLOT) });
    const at = text.indexOf(SLOT_TEXT);
    if (at > 0) {
      const head = text.slice(0, at);
      const tail = text.slice(at + SLOT_TEXT.length);
      // The member goes, and the comma that separates it from a neighbour when it has one.
      const stored =
        tail.charCodeAt(0) === COMMA
          ? head + tail.slice(1)
          : head.charCodeAt(head.length - 1) === COMMA
            ? head.slice(0, -1) + tail
            : head + tail;
      return {
        value: Buffer.from(stored),
        textWithRevision: (revision) => `${head}"resourceVersion":${JSON.stringify(revision)}${tail}`,
      };
    }
  }
  const value = encodeObject(obj);
  return { value, textWithRevision: (revision) => JSON.stringify(withRevision(obj, revision)) };
}

const COMMA = ','.charCodeAt(0);

/** Parses a stored value once and stamps resourceVersion with the given revision. */
export function decodeObject(value: Buffer, revision: string | number): KubeObject {
  const obj = JSON.parse(value.toString('utf8')) as KubeObject;
  stampRevision(obj, revision);
  return obj;
}

export function stampRevision(obj: KubeObject, revision: string | number): void {
  const rv = typeof revision === 'string' ? revision : String(revision);
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = { resourceVersion: rv };
  else obj.metadata = metadataWithResourceVersion(obj.metadata, rv);
}

/**
 * What create/update return: the caller's object (shallow-copied down to metadata) with the new
 * resourceVersion, so no re-parse of what was just written. Nested values are shared with the input.
 */
export function withRevision(obj: KubeObject, revision: string): KubeObject {
  return { ...obj, metadata: metadataWithResourceVersion(obj.metadata ?? {}, revision) };
}

// ObjectMeta's fields after resourceVersion in Go's declaration order (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).
const AFTER_RV_TYPED = new Set([
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/**
 * Stored objects are in kube's JSON layout (the registry writes them so) but lack resourceVersion; it goes back
 * where Go's encoder writes it, so the object's JSON needs no reordering: after `uid` in a typed object's
 * ObjectMeta (which starts with name), in sorted place in a custom resource's (map keys, sorted).
 */
function metadataWithResourceVersion(metadata: Record<string, unknown>, rv: string): NonNullable<KubeObject['metadata']> {
  const out: Record<string, unknown> = {};
  let first: string | undefined;
  let typed = false;
  let placed = false;
  for (const key in metadata) {
    if (first === undefined) {
      first = key;
      typed = key === 'name' || key === 'generateName' || key === 'namespace';
    }
    if (key === 'resourceVersion') continue;
    if (!placed && (typed ? AFTER_RV_TYPED.has(key) : key > 'resourceVersion')) {
      out.resourceVersion = rv;
      placed = true;
    }
    out[key] = metadata[key];
  }
  if (!placed) out.resourceVersion = rv;
  return out as NonNullable<KubeObject['metadata']>;
}

/** The first key after every key that starts with prefix (etcd's range_end for a prefix). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // all 0xff: range to the end of the keyspace
}
