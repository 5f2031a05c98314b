// The storage contract between the registry and etcd (k8s.io/apiserver/pkg/storage.Interface, reduced to
// what kgate needs). Keys are full etcd keys (prefix included). Objects are plain JSON values; storage sets
// metadata.resourceVersion from etcd's revisions on the way out and strips it on the way in.

import type { KubeObject } from '../apimachinery/meta.js';

// Storage speaks in plain Kubernetes objects; the type is apimachinery's, re-exported for storage's callers.
export type { KubeObject };

/** Why a storage operation failed; the registry turns these into Status errors naming the resource. */
export type StorageErrorCode =
  | 'KeyExists' // create on a key that exists
  | 'KeyNotFound' // update/delete/get of a missing key
  | 'Conflict' // the expected mod revision no longer matches
  | 'Compacted' // the requested revision was compacted away
  | 'TooLargeResourceVersion' // a revision etcd has not reached yet
  | 'Unreachable'; // etcd did not answer

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    /** For Compacted: etcd's compact revision; for TooLargeResourceVersion: the current revision. */
    readonly revision?: number,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export interface ListOptions {
  /** Maximum number of items; 0 or undefined means all. */
  limit?: number;
  /** Continue strictly after this key (full etcd key). */
  startAfterKey?: string;
  /** Read at this etcd revision (0 or undefined: the latest). */
  revision?: number;
  /** Also return each item's key (the watch cache loads by key). */
  withKeys?: boolean;
  /**
   * Latest reads only: a cache may answer from what it has without first catching up with etcd (an informer's
   * lister: admission plugins read LimitRanges and ResourceQuotas so). Storage without a cache reads etcd.
   */
  allowStale?: boolean;
}

export interface ListResult {
  items: KubeObject[];
  /** The etcd revision the list was read at (the list's resourceVersion). */
  revision: number;
  /** Set when more items remain after the last returned one: the last returned key. */
  lastKey?: string;
  /** How many keys remain after this page, when known. */
  remainingItemCount?: number;
  /** Each item's key, when asked for with `withKeys`. */
  keys?: string[];
}

export interface StorageEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  /** For DELETED: the last state, with resourceVersion set to the revision of the deletion. */
  object: KubeObject;
  /** The state before this event (MODIFIED and DELETED), with its own resourceVersion. */
  prevObject?: KubeObject;
  revision: number;
  /** The value is not a JSON object (a key some other program keeps in etcd); `object` is empty. */
  foreign?: boolean;
  /** For foreign events: the raw value (compact_rev_key carries the revision being compacted). */
  rawValue?: string;
}

export interface WatchSink {
  /** Events arrive in revision order. */
  onEvent(event: StorageEvent): void;
  /** The watch is over (compaction, etcd error); no more events follow. */
  onError(err: StorageError): void;
  /**
   * etcd's progress notification: every event up to this revision has been delivered
   * (used for bookmarks and consistent reads).
   */
  onProgress?(revision: number): void;
}

export interface WatchHandle {
  stop(): Promise<void>;
}

export interface WatchOptions {
  /** Deliver events with revision > afterRevision. 0 means "from now". */
  afterRevision: number;
  /** Watch every key under the prefix (true) or the single key (false). An empty prefix watches all of etcd. */
  prefix: boolean;
  /** Deliver values that are not JSON objects as `foreign` events instead of failing the watch. */
  tolerateForeignValues?: boolean;
  /**
   * Decode only keys this accepts; the rest arrive as `foreign` events that carry just their revision
   * (a watch over all of etcd that cares about some prefixes).
   */
  decodeKey?: (key: string) => boolean;
  /**
   * Ask etcd for the previous value (default true). Without it, MODIFIED events have no prevObject and
   * DELETED events carry an empty object: for a follower that keeps the previous state itself.
   */
  previousValues?: boolean;
}

/**
 * A write that rides along another in the same etcd transaction, iff its key's mod revision is still
 * expectedRevision: both happen or neither does (ResourceQuota charges a quota in the txn that writes the object).
 * When it is the guard that lost its race, the write fails with Conflict naming the guard's key.
 */
export interface GuardedWrite {
  key: string;
  expectedRevision: number;
  obj: KubeObject;
}

export interface WriteOptions {
  leaseSeconds?: number;
  /** Writes made in the same transaction, each guarded by its own key's mod revision. */
  also?: readonly GuardedWrite[];
}

export interface Storage {
  /** Creates iff absent (txn on createRevision == 0). Returns the stored object with its resourceVersion. */
  create(key: string, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  /**
   * The current object, or undefined. With allowStale a cache may answer from what it has without first
   * catching up with etcd (kube's resourceVersion=0 read); writers use that as a first guess and re-read on conflict.
   */
  get(key: string, opts?: { allowStale?: boolean }): Promise<KubeObject | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Replaces the object iff its mod revision is still expectedRevision. */
  update(key: string, expectedRevision: number, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  /** Deletes iff the mod revision is still expectedRevision. Returns the deleted object (RV = deletion revision). */
  delete(key: string, expectedRevision: number, opts?: Pick<WriteOptions, 'also'>): Promise<KubeObject>;
  watch(key: string, opts: WatchOptions, sink: WatchSink): Promise<WatchHandle>;
  /** etcd's current header revision. */
  currentRevision(): Promise<number>;
  /**
   * Resolves once stale reads reflect every write up to `revision` (a cache catching up with its watch);
   * false if it gave up waiting. Storage without a cache is always current.
   */
  waitForRevision(revision: number, timeoutMs: number): Promise<boolean>;
  /** Throws StorageError('Compacted') when etcd no longer holds `revision` (its history was compacted). */
  assertRevisionAvailable(revision: number): Promise<void>;
  /** Number of keys under a prefix. */
  count(prefix: string): Promise<number>;
  /** Reachability probe for /readyz and /livez. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
