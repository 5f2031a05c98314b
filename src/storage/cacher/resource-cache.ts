// The cached state of one resource prefix: its objects, a bounded window of recent events for watches that
// resume from a revision, and the watchers to fan events out to. Objects in here are shared by every reader
// and never mutated: a change replaces the object.
import { StorageError, type KubeObject, type ListOptions, type ListResult, type StorageEvent, type WatchSink } from '../interface.js';

interface Watcher {
  key: string;
  prefix: boolean;
  sink: WatchSink;
}

/** A consistent, immutable view of the sorted keys at one revision, kept for paginated lists. */
interface Snapshot {
  revision: number;
  keys: string[];
  objects: Map<string, KubeObject>;
  lastUsed: number;
}

const MAX_SNAPSHOTS = 8;

export class ResourceCache {
  private readonly objects = new Map<string, KubeObject>();
  private sortedKeys: string[] | undefined;
  private readonly window: StorageEvent[] = [];
  private windowStart = 0;
  /** Events after this revision are all in the window; watches from older revisions get 410. */
  private oldestResumable: number;
  private readonly watchers = new Set<Watcher>();
  private readonly snapshots = new Map<number, Snapshot>();

  constructor(
    readonly prefix: string,
    private readonly windowSize: number,
    initialRevision: number,
  ) {
    this.oldestResumable = initialRevision;
  }

  /** Loads the initial state (a list at `revision`). */
  load(items: Array<{ key: string; object: KubeObject }>, revision: number): void {
    this.objects.clear();
    for (const { key, object } of items) this.objects.set(key, object);
    this.sortedKeys = undefined;
    this.keysShared = false;
    this.window.length = 0;
    this.windowStart = 0;
    this.oldestResumable = revision;
    this.snapshots.clear();
  }

  /**
   * etcd compacted its history up to `revision`: watches from before it and pages of lists read before it
   * can no longer be served consistently with etcd, so the cache forgets them too.
   */
  compacted(revision: number): void {
    if (revision > this.oldestResumable) this.oldestResumable = revision;
    while (this.windowStart < this.window.length && this.window[this.windowStart].revision <= revision) this.windowStart++;
    for (const rev of [...this.snapshots.keys()]) if (rev < revision) this.snapshots.delete(rev);
  }

  /** The oldest revision a watch may resume after. */
  get resumableAfter(): number {
    return this.oldestResumable;
  }

  get size(): number {
    return this.objects.size;
  }

  /**
   * Applies one event from the watch. Events arrive without previous values (the watch does not ask etcd for
   * them): the previous state is the one held here, and a deletion's object is that state stamped with the
   * deletion's revision.
   */
  apply(input: StorageEvent): void {
    const previous = this.objects.get(input.key);
    let e = input;
    if (input.type === 'DELETED') {
      if (!previous) return; // never seen (deleted before the cache loaded it)
      e = {
        type: 'DELETED',
        key: input.key,
        object: { ...previous, metadata: { ...previous.metadata, resourceVersion: String(input.revision) } },
        prevObject: previous,
        revision: input.revision,
      };
      this.objects.delete(input.key);
      this.removeKey(input.key);
    } else {
      if (previous && input.type === 'MODIFIED' && !input.prevObject) e = { ...input, prevObject: previous };
      // A key seen for the first time is an ADDED event, whatever etcd's version says (it may have been created
      // and updated between the cache's list and its watch).
      if (!previous) {
        if (input.type !== 'ADDED') e = { ...input, type: 'ADDED', prevObject: undefined };
        this.insertKey(input.key);
      }
      this.objects.set(input.key, input.object);
    }
    this.window.push(e);
    if (this.window.length - this.windowStart > this.windowSize) {
      const evicted = this.window[this.windowStart++];
      this.oldestResumable = evicted.revision;
      // Compact the array now and then rather than shifting on every event.
      if (this.windowStart > this.windowSize) {
        this.window.splice(0, this.windowStart);
        this.windowStart = 0;
      }
    }
    for (const w of this.watchers) {
      if (w.prefix ? e.key.startsWith(w.key) : e.key === w.key) w.sink.onEvent(e);
      // A watcher this event is not for has still seen everything up to it: its bookmarks may say so
      // (kube's cacher bookmarks carry the cache's revision, not the watcher's last event).
      else w.sink.onProgress?.(e.revision);
    }
  }

  /** Tells idle watchers how far the cache has come (every event up to revision was delivered). */
  progress(revision: number): void {
    for (const w of this.watchers) w.sink.onProgress?.(revision);
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  /** Set when a snapshot holds the current array: the next change copies it first. */
  private keysShared = false;

  private keys(): string[] {
    if (!this.sortedKeys) {
      this.sortedKeys = [...this.objects.keys()].sort(compareKeys);
      this.keysShared = false;
    }
    return this.sortedKeys;
  }

  private writableKeys(): string[] | undefined {
    if (!this.sortedKeys) return undefined;
    if (this.keysShared) {
      this.sortedKeys = this.sortedKeys.slice();
      this.keysShared = false;
    }
    return this.sortedKeys;
  }

  private insertKey(key: string): void {
    const keys = this.writableKeys();
    if (keys) keys.splice(lowerBound(keys, key), 0, key);
  }

  private removeKey(key: string): void {
    const keys = this.writableKeys();
    if (!keys) return;
    const i = lowerBound(keys, key);
    if (keys[i] === key) keys.splice(i, 1);
  }

  /**
   * A list at the current revision, or at an older one still held as a snapshot (continue tokens of lists
   * this cache served). Returns undefined when that revision is not available here.
   */
  list(prefix: string, opts: ListOptions, currentRevision: number): ListResult | undefined {
    let keys: string[];
    let objects: Map<string, KubeObject>;
    let revision = currentRevision;
    if (opts.revision && opts.revision !== currentRevision) {
      const snap = this.snapshots.get(opts.revision);
      if (!snap) return undefined;
      snap.lastUsed = Date.now();
      keys = snap.keys;
      objects = snap.objects;
      revision = snap.revision;
    } else {
      keys = this.keys();
      objects = this.objects;
    }
    let start = opts.startAfterKey !== undefined ? upperBound(keys, opts.startAfterKey) : lowerBound(keys, prefix);
    if (start < keys.length && !keys[start].startsWith(prefix)) start = keys.length;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const items: KubeObject[] = [];
    let i = start;
    for (; i < keys.length && items.length < limit; i++) {
      const k = keys[i];
      if (!k.startsWith(prefix)) break;
      items.push(objects.get(k)!);
    }
    const result: ListResult = { items, revision };
    if (opts.withKeys) result.keys = keys.slice(start, i);
    if (i < keys.length && keys[i].startsWith(prefix) && items.length > 0) {
      result.lastKey = keys[i - 1];
      let end = i;
      while (end < keys.length && keys[end].startsWith(prefix)) end++;
      result.remainingItemCount = end - i;
      // Later pages read this exact state.
      this.keepSnapshot(revision, keys, objects);
    }
    return result;
  }

  private keepSnapshot(revision: number, keys: string[], objects: Map<string, KubeObject>): void {
    const existing = this.snapshots.get(revision);
    if (existing) {
      existing.lastUsed = Date.now();
      return;
    }
    // The live map and key array change with the next event; a snapshot needs its own map, and the array is
    // copied on the next change instead.
    const frozen = objects === this.objects ? new Map(objects) : objects;
    if (keys === this.sortedKeys) this.keysShared = true;
    this.snapshots.set(revision, { revision, keys, objects: frozen, lastUsed: Date.now() });
    if (this.snapshots.size > MAX_SNAPSHOTS) {
      let oldest: Snapshot | undefined;
      for (const s of this.snapshots.values()) if (!oldest || s.lastUsed < oldest.lastUsed) oldest = s;
      if (oldest) this.snapshots.delete(oldest.revision);
    }
  }

  count(prefix: string): number {
    let n = 0;
    for (const k of this.objects.keys()) if (k.startsWith(prefix)) n++;
    return n;
  }

  /**
   * Starts a watcher after `afterRevision` (which must be ≤ the applied revision): replays the window's
   * later events, then follows live ones. Throws Compacted when the window no longer reaches back that far.
   */
  watch(key: string, prefix: boolean, afterRevision: number, sink: WatchSink): () => void {
    if (afterRevision < this.oldestResumable) {
      throw new StorageError(
        'Compacted',
        key,
        `too old resource version: ${afterRevision} (${this.oldestResumable})`,
        this.oldestResumable,
      );
    }
    for (let i = this.windowStart; i < this.window.length; i++) {
      const e = this.window[i];
      if (e.revision <= afterRevision) continue;
      if (prefix ? e.key.startsWith(key) : e.key === key) sink.onEvent(e);
    }
    const w: Watcher = { key, prefix, sink };
    this.watchers.add(w);
    return () => {
      this.watchers.delete(w);
    };
  }

  /** The cache lost etcd: every watcher ends with this error. */
  failWatchers(err: StorageError): void {
    for (const w of [...this.watchers]) w.sink.onError(err);
    this.watchers.clear();
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}

/** etcd orders keys by bytes; for the ASCII keys Kubernetes names allow, code-unit order is the same. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(keys: string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(keys: string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
