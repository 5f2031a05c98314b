// Native etcd watches on the etcd3 client's shared gRPC watch stream (its WatchManager multiplexes every watch
// of a client onto one stream), mapped to the storage contract's ADDED/MODIFIED/DELETED events.
//
// Two things the etcd3 client does not give us are patched in at its JS boundary, per client instance:
// - a compacted start revision arrives as a canceled WatchResponse whose compact_revision etcd3 drops (it only
//   emits "Watcher canceled: "); we read it before etcd3 handles the response and emit 'compacted' first;
// - etcd3 resumes a reconnected watch from the last *header* revision + 1, which can skip events still being
//   replayed from history; we keep our own next revision and hand it back to the watcher on every response.

import type { EventEmitter } from 'node:events';
import type { Etcd3, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import { StorageError, type KubeObject, type StorageEvent, type WatchHandle, type WatchOptions, type WatchSink } from '../interface.js';
import { decodeObject } from './codec.js';
import { mapEtcdError } from './errors.js';

/** The parts of etcd3's (internal) WatchManager and Watcher we rely on. */
interface WatchManagerInternals {
  watchers: WatcherInternals[];
  handleResponse(res: IWatchResponse): void;
  handleCreatedResponse(res: IWatchResponse): void;
}
interface WatcherInternals {
  id: string | null;
  request: { start_revision?: string | number };
  emit(event: string, ...args: unknown[]): boolean;
}

const hookedManagers = new WeakSet<object>();

/** Makes a client's watchers emit 'compacted' (with etcd's compact revision) before etcd3's cancel error. */
function hookCompaction(client: Etcd3): void {
  const manager = (client as unknown as { watchManager?: WatchManagerInternals }).watchManager;
  if (!manager || hookedManagers.has(manager) || typeof manager.handleResponse !== 'function') return;
  hookedManagers.add(manager);
  const emitCompacted = (res: IWatchResponse, created: boolean): void => {
    if (!res.canceled || !res.compact_revision || res.compact_revision === '0') return;
    // etcd3 matches a created+canceled response to the first watcher without an id (see its #114).
    const watcher = created ? manager.watchers.find((w) => w.id === null) : manager.watchers.find((w) => w.id === res.watch_id);
    watcher?.emit('compacted', Number(res.compact_revision));
  };
  const handleResponse = manager.handleResponse;
  manager.handleResponse = function (this: WatchManagerInternals, res: IWatchResponse) {
    emitCompacted(res, false);
    handleResponse.call(this, res);
  };
  const handleCreatedResponse = manager.handleCreatedResponse;
  manager.handleCreatedResponse = function (this: WatchManagerInternals, res: IWatchResponse) {
    emitCompacted(res, true);
    handleCreatedResponse.call(this, res);
  };
}

export function compactedWatchError(key: string, compactRevision: number | undefined, requested: number): StorageError {
  const message =
    compactRevision === undefined
      ? `etcdserver: mvcc: required revision has been compacted (requested ${requested})`
      : `etcdserver: mvcc: required revision has been compacted (requested ${requested}, compacted ${compactRevision})`;
  return new StorageError('Compacted', key, message, compactRevision);
}

/** The object this process wrote at (key, revision), if it still has it: no need to parse it again. */
export type WrittenObjectLookup = (key: string, revision: string) => KubeObject | undefined;

function toEvent(
  isDelete: boolean,
  kv: IKeyValue,
  prev: IKeyValue | undefined,
  key: string,
  opts: WatchOptions,
  written?: WrittenObjectLookup,
): StorageEvent | StorageError {
  const eventKey = kv.key.toString('utf8');
  if (opts.decodeKey && !opts.decodeKey(eventKey)) return foreignEvent(isDelete, kv, eventKey);
  if (!isDelete && written && opts.previousValues === false) {
    const object = written(eventKey, kv.mod_revision);
    if (object) return { type: kv.version === '1' ? 'ADDED' : 'MODIFIED', key: eventKey, object, revision: Number(kv.mod_revision) };
  }
  const withPrevious = opts.previousValues !== false;
  if (!opts.tolerateForeignValues) return decodeEvent(isDelete, kv, prev, key, eventKey, withPrevious);
  try {
    return decodeEvent(isDelete, kv, prev, key, eventKey, withPrevious);
  } catch {
    return foreignEvent(isDelete, kv, eventKey);
  }
}

function foreignEvent(isDelete: boolean, kv: IKeyValue, eventKey: string): StorageEvent {
  const type = isDelete ? 'DELETED' : kv.version === '1' ? 'ADDED' : 'MODIFIED';
  return { type, key: eventKey, object: {}, revision: Number(kv.mod_revision), foreign: true, rawValue: kv.value.toString('utf8') };
}

function decodeEvent(
  isDelete: boolean,
  kv: IKeyValue,
  prev: IKeyValue | undefined,
  key: string,
  eventKey: string,
  withPrevious: boolean,
): StorageEvent | StorageError {
  const revision = Number(kv.mod_revision);
  if (!isDelete) {
    const object = decodeObject(kv.value, kv.mod_revision);
    // version counts puts since the key was (re)created: 1 is the create.
    if (kv.version === '1') return { type: 'ADDED', key: eventKey, object, revision };
    const prevObject = prev ? decodeObject(prev.value, prev.mod_revision) : undefined;
    return { type: 'MODIFIED', key: eventKey, object, prevObject, revision };
  }
  if (!withPrevious) return { type: 'DELETED', key: eventKey, object: {}, revision };
  if (!prev) {
    // etcd drops prev_kv when the previous revision is already compacted; the deleted state is unknown.
    return new StorageError('Compacted', key, `etcd event received with PrevKv=nil (key=${eventKey}, modRevision=${revision})`);
  }
  // One parse: the deleted state at the deletion revision, and the previous state at its own.
  const object = decodeObject(prev.value, kv.mod_revision);
  const prevObject = { ...object, metadata: { ...object.metadata, resourceVersion: String(prev.mod_revision) } };
  return { type: 'DELETED', key: eventKey, object, prevObject, revision };
}

/** Starts a watch; resolves once etcd has created it. Errors after that go to sink.onError, once. */
export async function startWatch(
  client: Etcd3,
  key: string,
  opts: WatchOptions,
  sink: WatchSink,
  connectTimeoutMs: number,
  written?: WrittenObjectLookup,
): Promise<WatchHandle> {
  hookCompaction(client);
  const builder = opts.prefix ? client.watch().prefix(key) : client.watch().key(key);
  if (opts.previousValues !== false) builder.withPreviousKV();
  if (opts.afterRevision > 0) builder.startRevision(String(opts.afterRevision + 1));
  // watcher() attaches at once without awaiting, so every listener is in place before the first response.
  const watcher: Watcher = builder.watcher();
  const internals = watcher as unknown as WatcherInternals;

  let nextRevision = opts.afterRevision > 0 ? opts.afterRevision + 1 : 0;
  let compactRevision: number | undefined;
  let finished = false;
  let connected = false;
  let canceledByEtcd = false;
  let settleStart: ((err?: unknown) => void) | undefined;

  const fail = (err: StorageError): void => {
    if (finished) return;
    finished = true;
    if (settleStart) settleStart(err);
    else sink.onError(err);
  };

  (watcher as EventEmitter).on('compacted', (revision: number) => {
    compactRevision = revision;
  });
  watcher.on('connected', (res: IWatchResponse) => {
    // A "from now" watch starts right after the revision etcd reports on creation.
    if (nextRevision === 0) nextRevision = Number(res.header.revision) + 1;
    internals.request.start_revision = String(nextRevision);
    connected = true;
    settleStart?.();
  });
  watcher.on('data', (res: IWatchResponse) => {
    if (finished) return;
    const events = res.events;
    if (events.length === 0) {
      // A progress notification: everything up to header.revision has been sent.
      const revision = Number(res.header.revision);
      if (revision + 1 > nextRevision) nextRevision = revision + 1;
      internals.request.start_revision = String(nextRevision);
      sink.onProgress?.(revision);
      return;
    }
    for (const ev of events) {
      const revision = Number(ev.kv.mod_revision);
      if (revision < nextRevision) continue; // replayed after a reconnect
      // The typings say 'Delete'; grpc's proto loader delivers 'DELETE'.
      const mapped = toEvent((ev.type as string).toUpperCase() === 'DELETE', ev.kv, ev.prev_kv ?? undefined, key, opts, written);
      if (mapped instanceof StorageError) {
        fail(mapped);
        return;
      }
      sink.onEvent(mapped);
      if (finished) return; // the sink stopped us
    }
    nextRevision = Number(events[events.length - 1].kv.mod_revision) + 1;
    internals.request.start_revision = String(nextRevision);
  });
  watcher.on('error', (err: unknown) => {
    canceledByEtcd = true; // etcd3 emits 'error' only for watches etcd canceled
    if (compactRevision !== undefined) fail(compactedWatchError(key, compactRevision, opts.afterRevision + 1));
    else {
      const mapped = mapEtcdError(err, key);
      fail(mapped instanceof StorageError ? mapped : new StorageError('Unreachable', key, `etcd watch failed: ${(err as Error).message}`));
    }
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    finished = true;
    // A watcher etcd canceled is already gone from the stream; canceling it again would wait forever.
    if (!canceledByEtcd) await watcher.cancel().catch(() => undefined);
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      settleStart = undefined;
      void stop();
      reject(new StorageError('Unreachable', key, `etcd did not create the watch within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    settleStart = (err?: unknown) => {
      clearTimeout(timer);
      settleStart = undefined;
      if (err) reject(err);
      else resolve();
    };
    if (connected) settleStart();
  });
  return { stop };
}

/**
 * etcd's current compact revision, found by watching from revision 1 (etcd answers with its compact revision
 * when that is compacted). Only used on error paths; undefined if nothing was compacted or etcd is slow.
 */
export async function probeCompactRevision(client: Etcd3, timeoutMs = 2000): Promise<number | undefined> {
  hookCompaction(client);
  const watcher = client.watch().key('compact_rev_key').startRevision('1').watcher();
  let canceledByEtcd = false;
  const revision = await new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    (watcher as EventEmitter).on('compacted', (rev: number) => {
      clearTimeout(timer);
      resolve(rev);
    });
    watcher.on('error', () => {
      canceledByEtcd = true;
      clearTimeout(timer);
      resolve(undefined);
    });
  });
  if (!canceledByEtcd) await watcher.cancel().catch(() => undefined);
  return revision;
}
