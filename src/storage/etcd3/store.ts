// The storage contract on etcd v3, with kube-apiserver's semantics (k8s.io/apiserver/pkg/storage/etcd3/store.go):
// create is a txn on createRevision == 0, update and delete are txns on modRevision == expected, reads stamp
// metadata.resourceVersion with etcd's mod revision, lists read one consistent revision.

import { Etcd3, type ICompare, type IKeyValue, type IRangeRequest, type IRequestOp, type ITxnResponse } from 'etcd3';
import {
  StorageError,
  type GuardedWrite,
  type KubeObject,
  type ListOptions,
  type ListResult,
  type Storage,
  type WatchHandle,
  type WatchOptions,
  type WatchSink,
  type WriteOptions,
} from '../interface.js';
import { createEtcdClient, type EtcdClientConfig } from './client.js';
import { rememberJSON } from '../../apimachinery/json-text.js';
import { decodeObject, encodeWrite, prefixEnd, withRevision, type EncodedWrite } from './codec.js';
import { isCompactedError, isFutureRevisionError, mapEtcdError } from './errors.js';
import { LeaseManager } from './lease.js';
import { probeCompactRevision, startWatch } from './watch.js';

export interface EtcdStorageOptions {
  /** Timeout for creating a watch and for the health probe; default 5 s. */
  probeTimeoutMs?: number;
}

const HEALTH_KEY = Buffer.from('health');
const RECENT_WRITES_LIMIT = 4096;
const REVISION_KEY = Buffer.from([0]);

export class EtcdStorage implements Storage {
  /** The shared client; the compactor and tests may use it. */
  readonly client: Etcd3;
  private readonly ownsClient: boolean;
  private readonly leases: LeaseManager;
  private readonly probeTimeoutMs: number;
  private readonly watches = new Set<WatchHandle>();

  constructor(source: EtcdClientConfig | Etcd3, options: EtcdStorageOptions = {}) {
    this.ownsClient = !(source instanceof Etcd3);
    this.client = source instanceof Etcd3 ? source : createEtcdClient(source);
    this.leases = new LeaseManager(this.client);
    this.probeTimeoutMs = options.probeTimeoutMs ?? 5000;
  }

  async create(key: string, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    const keyBuf = Buffer.from(key);
    const encoded = encodeWrite(obj);
    const guards = guarded(opts?.also);
    try {
      const lease = opts?.leaseSeconds ? await this.leases.leaseFor(opts.leaseSeconds) : undefined;
      const res = await this.client.kv.txn({
        compare: [{ key: keyBuf, target: 'Create', result: 'Equal', create_revision: 0 }, ...guards.compare],
        success: [{ request_put: { key: keyBuf, value: encoded.value, lease } }, ...guards.success],
        ...(guards.failure.length > 0 && { failure: [{ request_range: { key: keyBuf, keys_only: true } }, ...guards.failure] }),
      });
      if (!res.succeeded) {
        if (guards.failure.length > 0 && !res.responses[0]?.response_range?.kvs[0]) throw guardFailure(opts!.also!, res);
        throw new StorageError('KeyExists', key, `key exists: ${key}`);
      }
      return this.written(key, writtenObject(obj, encoded, res.header.revision), res.header.revision);
    } catch (err) {
      throw mapEtcdError(err, key);
    }
  }

  async get(key: string): Promise<KubeObject | undefined> {
    try {
      const res = await this.client.kv.range({ key: Buffer.from(key) });
      const kv = res.kvs[0];
      return kv ? decodeObject(kv.value, kv.mod_revision) : undefined;
    } catch (err) {
      throw mapEtcdError(err, key);
    }
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const prefixBuf = Buffer.from(prefix);
    const request: IRangeRequest = {
      key: opts.startAfterKey ? Buffer.from(`${opts.startAfterKey}\0`) : prefixBuf,
      range_end: prefixEnd(prefixBuf),
    };
    if (opts.limit && opts.limit > 0) request.limit = opts.limit;
    if (opts.revision && opts.revision > 0) request.revision = opts.revision;
    try {
      const res = await this.client.kv.range(request);
      const kvs = res.kvs;
      const items = new Array<KubeObject>(kvs.length);
      for (let i = 0; i < kvs.length; i++) items[i] = decodeObject(kvs[i].value, kvs[i].mod_revision);
      // Every page of one list is read at the revision of its first page; a fresh list reads the latest.
      const result: ListResult = { items, revision: opts.revision || Number(res.header.revision) };
      if (opts.withKeys) result.keys = kvs.map((kv) => kv.key.toString('utf8'));
      if (res.more && kvs.length > 0) {
        result.lastKey = kvs[kvs.length - 1].key.toString('utf8');
        // etcd's count is every key in [start, end) at that revision, regardless of the limit.
        result.remainingItemCount = Number(res.count) - kvs.length;
      }
      return result;
    } catch (err) {
      throw await this.readError(err, prefix, opts.revision ?? 0);
    }
  }

  async update(key: string, expectedRevision: number, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    const keyBuf = Buffer.from(key);
    const encoded = encodeWrite(obj);
    const guards = guarded(opts?.also);
    try {
      const lease = opts?.leaseSeconds ? await this.leases.leaseFor(opts.leaseSeconds) : undefined;
      const res = await this.client.kv.txn({
        compare: [{ key: keyBuf, target: 'Mod', result: 'Equal', mod_revision: expectedRevision }, ...guards.compare],
        success: [{ request_put: { key: keyBuf, value: encoded.value, lease } }, ...guards.success],
        failure: [{ request_range: { key: keyBuf, keys_only: true } }, ...guards.failure],
      });
      if (!res.succeeded) throw casFailure(key, expectedRevision, res, opts?.also);
      return this.written(key, writtenObject(obj, encoded, res.header.revision), res.header.revision);
    } catch (err) {
      throw mapEtcdError(err, key);
    }
  }

  async delete(key: string, expectedRevision: number, opts?: Pick<WriteOptions, 'also'>): Promise<KubeObject> {
    const keyBuf = Buffer.from(key);
    const guards = guarded(opts?.also);
    try {
      const res = await this.client.kv.txn({
        compare: [{ key: keyBuf, target: 'Mod', result: 'Equal', mod_revision: expectedRevision }, ...guards.compare],
        success: [{ request_delete_range: { key: keyBuf, prev_kv: true } }, ...guards.success],
        failure: [{ request_range: { key: keyBuf, keys_only: true } }, ...guards.failure],
      });
      if (!res.succeeded) throw casFailure(key, expectedRevision, res, opts?.also);
      const prev: IKeyValue | undefined = res.responses[0]?.response_delete_range?.prev_kvs[0];
      if (!prev) throw new StorageError('KeyNotFound', key, `key not found: ${key}`);
      // The deleted object carries the revision of its deletion, as kube-apiserver returns it.
      return decodeObject(prev.value, res.header.revision);
    } catch (err) {
      throw mapEtcdError(err, key);
    }
  }

  /**
   * What this process just wrote, kept until a follower's watch delivers it, so that the follower (the watch
   * cache) takes the object instead of parsing the same bytes again. Only kept while such a watch runs.
   */
  private readonly recentWrites = new Map<string, { revision: string; object: KubeObject }>();
  private followers = 0;

  private written(key: string, object: KubeObject, revision: string): KubeObject {
    if (this.followers > 0) {
      this.recentWrites.delete(key);
      this.recentWrites.set(key, { revision, object });
      // Bounded: entries the watch never claims (it delivered the event first) age out.
      if (this.recentWrites.size > RECENT_WRITES_LIMIT) this.recentWrites.delete(this.recentWrites.keys().next().value!);
    }
    return object;
  }

  private claimWrite = (key: string, revision: string): KubeObject | undefined => {
    const entry = this.recentWrites.get(key);
    if (entry === undefined || entry.revision !== revision) return undefined;
    this.recentWrites.delete(key);
    return entry.object;
  };

  async watch(key: string, opts: WatchOptions, sink: WatchSink): Promise<WatchHandle> {
    try {
      // A watch that keeps no previous values is a follower keeping its own state: it may take our writes.
      const follower = opts.previousValues === false;
      const handle = await startWatch(this.client, key, opts, sink, this.probeTimeoutMs, follower ? this.claimWrite : undefined);
      if (follower) this.followers++;
      const tracked: WatchHandle = {
        stop: async () => {
          if (this.watches.delete(tracked) && follower && --this.followers === 0) this.recentWrites.clear();
          await handle.stop();
        },
      };
      this.watches.add(tracked);
      return tracked;
    } catch (err) {
      throw mapEtcdError(err, key);
    }
  }

  async currentRevision(): Promise<number> {
    try {
      const res = await this.client.kv.range({ key: REVISION_KEY, count_only: true });
      return Number(res.header.revision);
    } catch (err) {
      throw mapEtcdError(err, '');
    }
  }

  async waitForRevision(): Promise<boolean> {
    return true;
  }

  async assertRevisionAvailable(revision: number): Promise<void> {
    try {
      await this.client.kv.range({ key: REVISION_KEY, count_only: true, revision });
    } catch (err) {
      throw await this.readError(err, '', revision);
    }
  }

  async count(prefix: string): Promise<number> {
    const prefixBuf = Buffer.from(prefix);
    try {
      const res = await this.client.kv.range({ key: prefixBuf, range_end: prefixEnd(prefixBuf), count_only: true });
      return Number(res.count);
    } catch (err) {
      throw mapEtcdError(err, prefix);
    }
  }

  async healthy(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.probeTimeoutMs);
    });
    const probe = this.client.kv.range({ key: HEALTH_KEY, count_only: true }, { deadline: Date.now() + this.probeTimeoutMs }).then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.watches].map((w) => w.stop()));
    if (this.ownsClient) this.client.close();
  }

  /** Range errors at a revision: compacted (with etcd's compact revision) or not reached yet. */
  private async readError(err: unknown, key: string, revision: number): Promise<unknown> {
    if (isCompactedError(err)) {
      const compactRevision = await probeCompactRevision(this.client).catch(() => undefined);
      return new StorageError(
        'Compacted',
        key,
        `etcdserver: mvcc: required revision has been compacted (requested ${revision})`,
        compactRevision,
      );
    }
    if (isFutureRevisionError(err)) {
      const current = await this.currentRevision().catch(() => undefined);
      return new StorageError(
        'TooLargeResourceVersion',
        key,
        `etcdserver: mvcc: required revision is a future revision (requested ${revision})`,
        current,
      );
    }
    return mapEtcdError(err, key);
  }
}

/** A failed CAS: the Else branch's range tells whether the key is gone or just changed, or else which guard moved. */
function casFailure(key: string, expectedRevision: number, res: ITxnResponse, also?: readonly GuardedWrite[]): StorageError {
  const current = res.responses[0]?.response_range?.kvs[0];
  if (!current) return new StorageError('KeyNotFound', key, `key not found: ${key}`);
  if (also && also.length > 0 && Number(current.mod_revision) === expectedRevision) return guardFailure(also, res);
  return new StorageError(
    'Conflict',
    key,
    `the object has been modified: expected revision ${expectedRevision}, current ${current.mod_revision}`,
    Number(current.mod_revision),
  );
}

/** The compares, puts and failure reads of writes that ride along the main one (responses 1.. after the main key's). */
function guarded(also: readonly GuardedWrite[] | undefined): { compare: ICompare[]; success: IRequestOp[]; failure: IRequestOp[] } {
  const out = { compare: [] as ICompare[], success: [] as IRequestOp[], failure: [] as IRequestOp[] };
  for (const w of also ?? []) {
    const key = Buffer.from(w.key);
    out.compare.push({ key, target: 'Mod', result: 'Equal', mod_revision: w.expectedRevision });
    out.success.push({ request_put: { key, value: encodeWrite(w.obj).value } });
    out.failure.push({ request_range: { key, keys_only: true } });
  }
  return out;
}

/** The first guard whose key moved (or went): Conflict naming that key, with its current revision when it exists. */
function guardFailure(also: readonly GuardedWrite[], res: ITxnResponse): StorageError {
  for (let i = 0; i < also.length; i++) {
    const kv = res.responses[i + 1]?.response_range?.kvs[0];
    const current = kv ? Number(kv.mod_revision) : 0;
    if (current !== also[i].expectedRevision) {
      return new StorageError(
        'Conflict',
        also[i].key,
        `the guarded key has been modified: expected revision ${also[i].expectedRevision}, current ${current}`,
        current,
      );
    }
  }
  return new StorageError('Conflict', also[0].key, 'a guarded key has been modified');
}

/** The object a write returns, with its JSON text recorded so the response does not serialize it again. */
function writtenObject(obj: KubeObject, encoded: EncodedWrite, revision: string): KubeObject {
  const written = withRevision(obj, revision);
  rememberJSON(written, encoded.textWithRevision(revision));
  return written;
}
