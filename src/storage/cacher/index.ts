// The watch cache (k8s.io/apiserver/pkg/storage/cacher): one native etcd watch over all of etcd feeds an
// in-memory copy of every cached resource. Gets, lists and watches are served from memory; consistent reads
// first wait until the cache has caught up with etcd's current revision. Writes go straight to etcd — the cache
// never answers a write — and come back through the watch like anyone else's.
import {
  StorageError,
  type KubeObject,
  type ListOptions,
  type ListResult,
  type Storage,
  type StorageEvent,
  type WatchHandle,
  type WatchOptions,
  type WatchSink,
  type WriteOptions,
} from '../interface.js';
import { ResourceCache } from './resource-cache.js';
import { FieldsInterner } from './intern.js';
import { RevisionGate, RevisionTimeout } from './revision.js';

/** The key kube-apiserver's compactors coordinate on (outside the resource prefix). */
const COMPACT_REV_KEY = 'compact_rev_key';

export interface CacherOptions {
  /** Full key prefixes to cache, each ending in '/', e.g. '/registry/pods/'. */
  prefixes: string[];
  /** Recent events kept per resource for watches that resume from a revision. */
  windowSize?: number;
  /** How long a consistent read waits for the cache before giving up. */
  maxWaitMs?: number;
  log?: (message: string) => void;
}

export class CachedStorage implements Storage {
  private readonly caches: ResourceCache[];
  private readonly gate: RevisionGate;
  private handle: WatchHandle | undefined;
  private readyPromise: Promise<void> | undefined;
  private closed = false;
  private synced = false;
  private readonly interner = new FieldsInterner();

  constructor(
    private readonly inner: Storage,
    private readonly options: CacherOptions,
  ) {
    const windowSize = options.windowSize ?? 10_000;
    // Longest prefix first, so a key finds its most specific cache.
    this.caches = [...options.prefixes].sort((a, b) => b.length - a.length).map((p) => new ResourceCache(p, windowSize, 0));
    this.gate = new RevisionGate(() => inner.currentRevision(), options.maxWaitMs ?? 10_000);
  }

  /** Lists every cached prefix at one revision and starts the watch from there. */
  start(): Promise<void> {
    return (this.readyPromise ??= this.sync());
  }

  /** True once the initial lists are loaded and the watch runs (the informer-sync readiness check). */
  get isSynced(): boolean {
    return this.synced;
  }

  private async sync(): Promise<void> {
    const revision = await this.inner.currentRevision();
    for (const cache of this.caches) {
      const items: Array<{ key: string; object: KubeObject }> = [];
      let startAfterKey: string | undefined;
      for (;;) {
        // Small pages keep the start-up peak (and so the resident size afterwards) low.
        const page = await this.inner.list(cache.prefix, { revision, limit: 500, startAfterKey, withKeys: true });
        page.items.forEach((object, i) => {
          this.interner.internManagedFields(object);
          items.push({ key: page.keys![i], object });
        });
        if (page.lastKey === undefined) break;
        startAfterKey = page.lastKey;
      }
      cache.load(items, revision);
    }
    this.gate.advance(revision);
    // All of etcd (every revision must reach the cache), decoding only cached keys, and without previous
    // values: the cache holds every previous state itself.
    this.handle = await this.inner.watch(
      '',
      {
        afterRevision: revision,
        prefix: true,
        tolerateForeignValues: true,
        decodeKey: (key) => this.cacheFor(key) !== undefined,
        previousValues: false,
      },
      {
        onEvent: (e) => this.onEvent(e),
        onProgress: (rev) => this.onProgress(rev),
        onError: (err) => this.onWatchError(err),
      },
    );
    this.synced = true;
  }

  private cacheFor(key: string): ResourceCache | undefined {
    for (const c of this.caches) if (key.startsWith(c.prefix)) return c;
    return undefined;
  }

  private onEvent(e: StorageEvent): void {
    if (!e.foreign) {
      const cache = this.cacheFor(e.key);
      if (cache) {
        // The decoded object is not shared yet: this is the last moment it may be changed.
        if (e.type !== 'DELETED') this.interner.internManagedFields(e.object);
        cache.apply(e);
      }
    } else if (e.key === COMPACT_REV_KEY && e.type !== 'DELETED') {
      // A gateway (this one or another) is about to compact etcd to the revision it records here.
      const revision = Number(e.rawValue);
      if (Number.isFinite(revision) && revision > 0) for (const c of this.caches) c.compacted(revision);
    }
    // etcd sends all events of a revision in one watch response, delivered synchronously; once this response's
    // handler has returned, everything up to its last revision is applied. One microtask per response.
    if (this.appliedUpTo === 0) queueMicrotask(() => this.advanceApplied());
    this.appliedUpTo = e.revision;
  }

  private appliedUpTo = 0;

  private advanceApplied(): void {
    const revision = this.appliedUpTo;
    this.appliedUpTo = 0;
    this.gate.advance(revision);
  }

  private onProgress(revision: number): void {
    this.gate.advance(revision);
    for (const c of this.caches) c.progress(revision);
  }

  private onWatchError(err: StorageError): void {
    if (this.closed) return;
    this.synced = false;
    this.options.log?.(`watch cache lost etcd (${err.message}); resyncing`);
    this.gate.fail(err);
    const expired = new StorageError('Compacted', '', `the watch cache is resyncing: ${err.message}`, this.gate.revision);
    for (const c of this.caches) c.failWatchers(expired);
    this.readyPromise = undefined;
    this.handle = undefined;
    const retry = (): void => {
      if (this.closed) return;
      this.start().then(
        () => this.gate.recover(),
        () => {
          this.readyPromise = undefined;
          setTimeout(retry, 1000);
        },
      );
    };
    retry();
  }

  private async consistent(): Promise<number> {
    try {
      return await this.gate.sync();
    } catch (e) {
      if (e instanceof RevisionTimeout) throw new StorageError('Unreachable', '', e.message);
      throw e;
    }
  }

  // ---- Storage ----

  create(key: string, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.inner.create(key, obj, opts);
  }

  update(key: string, expectedRevision: number, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.inner.update(key, expectedRevision, obj, opts);
  }

  delete(key: string, expectedRevision: number, opts?: Pick<WriteOptions, 'also'>): Promise<KubeObject> {
    return this.inner.delete(key, expectedRevision, opts);
  }

  async get(key: string, opts?: { allowStale?: boolean }): Promise<KubeObject | undefined> {
    const cache = this.synced ? this.cacheFor(key) : undefined;
    if (!cache) return this.inner.get(key);
    if (!opts?.allowStale) await this.consistent();
    return cache.get(key);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const cache = this.synced ? this.cacheFor(prefix) : undefined;
    if (!cache) return this.inner.list(prefix, opts);
    if (opts.revision && opts.revision > 0) {
      // A continue page or an exact read: from a snapshot the cache kept, else from etcd. etcd must still hold
      // that revision either way (someone may have compacted it), which costs one small range.
      if (opts.revision > this.gate.revision) await this.gate.waitFor(opts.revision).catch(() => undefined);
      await this.inner.assertRevisionAvailable(opts.revision);
      const fromCache = cache.list(prefix, opts, this.gate.revision);
      return fromCache ?? this.inner.list(prefix, opts);
    }
    // The cache may be past the revision consistent() waited for; it holds everything up to its own.
    if (!opts.allowStale) await this.consistent();
    return cache.list(prefix, opts, this.gate.revision)!;
  }

  async watch(key: string, opts: WatchOptions, sink: WatchSink): Promise<WatchHandle> {
    const cache = this.synced ? this.cacheFor(key) : undefined;
    if (!cache || (opts.prefix && !key.startsWith(cache.prefix))) return this.inner.watch(key, opts, sink);
    // "From now" is etcd's revision now, not the cache's: a write acknowledged before this call may not have
    // reached the cache yet, and must not arrive as an event.
    const after = opts.afterRevision === 0 ? await this.inner.currentRevision() : opts.afterRevision;
    if (after > this.gate.revision) {
      try {
        await this.gate.waitFor(after);
      } catch {
        // kube waits briefly for a future revision, then starts anyway; the events arrive when etcd gets there.
      }
    }
    // Resuming from the past: etcd must still have that history, and the cache must reach back that far
    // (after a restart it does not; etcd's own watch replays what etcd kept).
    if (after < this.gate.revision) await this.inner.assertRevisionAvailable(after + 1);
    if (after < cache.resumableAfter) return this.inner.watch(key, { ...opts, afterRevision: after }, sink);
    let stopped = false;
    const unsubscribe = cache.watch(key, opts.prefix, after, {
      onEvent: (e) => {
        if (!stopped) sink.onEvent(e);
      },
      onError: (err) => {
        if (!stopped) sink.onError(err);
      },
      onProgress: (rev) => {
        if (!stopped) sink.onProgress?.(rev);
      },
    });
    return {
      stop: async () => {
        stopped = true;
        unsubscribe();
      },
    };
  }

  /** The newest revision the cache has applied (every event up to it was delivered to watchers). */
  get revision(): number {
    return this.gate.revision;
  }

  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }

  async waitForRevision(revision: number, timeoutMs: number): Promise<boolean> {
    if (!this.synced) return this.inner.waitForRevision(revision, timeoutMs);
    return this.gate.waitFor(revision, timeoutMs).then(
      () => true,
      () => false,
    );
  }

  assertRevisionAvailable(revision: number): Promise<void> {
    return this.inner.assertRevisionAvailable(revision);
  }

  async count(prefix: string): Promise<number> {
    const cache = this.synced ? this.cacheFor(prefix) : undefined;
    if (!cache) return this.inner.count(prefix);
    await this.consistent();
    return cache.count(prefix);
  }

  healthy(): Promise<boolean> {
    return this.inner.healthy();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.handle?.stop().catch(() => undefined);
    await this.inner.close();
  }
}
