// The baseline: the same operations kgate performs, issued straight to etcd with the etcd3 client — no kgate
// code in the path, so the ratio is what the API server adds on top of etcd.

import { Etcd3, type IKeyValue } from 'etcd3';

export function createRawClient(endpoint: string): Etcd3 {
  // Full lists of 10k pods exceed grpc-js's 4 MiB default message size.
  return new Etcd3({
    hosts: [endpoint],
    grpcOptions: { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 },
  });
}

/** The first key after every key with this prefix (etcd's range_end for a prefix range). */
export function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** kube-apiserver's create: put only if the key was never created (createRevision == 0). */
export async function createIfAbsent(client: Etcd3, key: string, value: Buffer): Promise<void> {
  const res = await client.if(key, 'Create', '==', 0).then(client.put(key).value(value)).commit();
  if (!res.succeeded) throw new Error(`raw create: ${key} exists`);
}

/** kube-apiserver's update: put only if the key is at the expected mod revision; returns the new revision. */
export async function compareAndSwap(client: Etcd3, key: string, expectedRevision: string, value: Buffer): Promise<string> {
  const res = await client.if(key, 'Mod', '==', expectedRevision).then(client.put(key).value(value)).commit();
  if (!res.succeeded) throw new Error(`raw update: ${key} not at revision ${expectedRevision}`);
  return res.header.revision;
}

export async function getValue(client: Etcd3, key: string): Promise<Buffer> {
  const res = await client.kv.range({ key: Buffer.from(key) });
  if (res.kvs.length === 0) throw new Error(`raw get: ${key} not found`);
  return res.kvs[0].value;
}

export async function putValue(client: Etcd3, key: string, value: Buffer): Promise<string> {
  const res = await client.kv.put({ key: Buffer.from(key), value });
  return res.header.revision;
}

export async function currentRevision(client: Etcd3): Promise<string> {
  const res = await client.kv.range({ key: Buffer.from([0]), count_only: true });
  return res.header.revision;
}

export async function deletePrefix(client: Etcd3, prefix: string): Promise<void> {
  await client.kv.deleteRange({ key: Buffer.from(prefix), range_end: prefixEnd(prefix) });
}

/** One range over the whole prefix, each value parsed as JSON (what a client of a full list ends up with). */
export async function listAllParsed(client: Etcd3, prefix: string): Promise<unknown[]> {
  const res = await client.kv.range({ key: Buffer.from(prefix), range_end: prefixEnd(prefix) });
  return res.kvs.map((kv) => JSON.parse(kv.value.toString('utf8')) as unknown);
}

/** Pages of `limit` keys at the first page's revision (how kube-apiserver serves limit + continue). */
export async function listPagedParsed(client: Etcd3, prefix: string, limit: number): Promise<number> {
  const end = prefixEnd(prefix);
  let start = Buffer.from(prefix);
  let revision: string | undefined;
  let count = 0;
  for (;;) {
    const res = await client.kv.range({ key: start, range_end: end, limit, ...(revision && { revision }) });
    revision ??= res.header.revision;
    for (const kv of res.kvs) JSON.parse(kv.value.toString('utf8'));
    count += res.kvs.length;
    if (!res.more || res.kvs.length === 0) return count;
    const last: IKeyValue = res.kvs[res.kvs.length - 1];
    start = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

/** How many keys live under the prefix and the total size of their values in bytes. */
export async function prefixSize(client: Etcd3, prefix: string): Promise<{ keys: number; valueBytes: number }> {
  const res = await client.kv.range({ key: Buffer.from(prefix), range_end: prefixEnd(prefix) });
  return { keys: res.kvs.length, valueBytes: res.kvs.reduce((sum, kv) => sum + kv.value.length, 0) };
}

/** createIfAbsent that also returns the key's new mod revision (for a later conditional delete). */
export async function createIfAbsentAt(client: Etcd3, key: string, value: Buffer): Promise<string> {
  const res = await client.if(key, 'Create', '==', 0).then(client.put(key).value(value)).commit();
  if (!res.succeeded) throw new Error(`raw create: ${key} exists`);
  return res.header.revision;
}

/** kube-apiserver's delete: remove the key only if it is still at the revision the caller saw. */
export async function deleteIfAt(client: Etcd3, key: string, expectedRevision: string): Promise<void> {
  const res = await client.if(key, 'Mod', '==', expectedRevision).then(client.delete().key(key)).commit();
  if (!res.succeeded) throw new Error(`raw delete: ${key} not at revision ${expectedRevision}`);
}

/** The values under a prefix, each parsed as JSON. */
export async function rangeParsed<T>(client: Etcd3, prefix: string): Promise<T[]> {
  const res = await client.kv.range({ key: Buffer.from(prefix), range_end: prefixEnd(prefix) });
  return res.kvs.map((kv) => JSON.parse(kv.value.toString('utf8')) as T);
}
