// Consistent reads from the cache: a read must see every write etcd acknowledged before the read began.
// The cache follows one watch over all of etcd, so every revision etcd hands out arrives as an event; a read
// fetches etcd's current revision R and waits until the cache has applied R. Concurrent readers share one
// round trip: a read joins the next fetch that starts after it arrived (never one already in flight, whose
// answer may predate writes the reader has seen acknowledged).

export class RevisionGate {
  private applied = 0;
  private waiters: Array<{ revision: number; resolve: () => void; reject: (e: unknown) => void; timer: NodeJS.Timeout }> = [];
  private inFlight: Promise<number> | undefined;
  private next: Promise<number> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly fetchCurrent: () => Promise<number>,
    private readonly maxWaitMs: number,
  ) {}

  /** The newest revision whose events have all been applied. */
  get revision(): number {
    return this.applied;
  }

  /** Called by the watch loop after applying every event up to `revision`. */
  advance(revision: number): void {
    if (revision <= this.applied) return;
    this.applied = revision;
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.revision <= revision) {
        clearTimeout(w.timer);
        w.resolve();
      } else still.push(w);
    }
    this.waiters = still;
  }

  /** The cache cannot follow etcd (watch lost): consistent reads fail until `recover`. */
  fail(err: Error): void {
    this.failure = err;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }

  recover(): void {
    this.failure = undefined;
  }

  /** Resolves once the cache holds everything etcd had when this call was made; returns that revision. */
  async sync(): Promise<number> {
    if (this.failure) throw this.failure;
    const target = await this.currentRevision();
    await this.waitFor(target);
    return target;
  }

  /** Waits until the cache has applied `revision`. */
  waitFor(revision: number, timeoutMs = this.maxWaitMs): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (revision <= this.applied) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new RevisionTimeout(revision, this.applied));
      }, timeoutMs);
      this.waiters.push({ revision, resolve, reject, timer });
    });
  }

  private currentRevision(): Promise<number> {
    if (!this.inFlight) return (this.inFlight = this.start());
    // One already on the wire may have been answered before our caller's writes; ride the next one.
    if (!this.next) {
      this.next = this.inFlight
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          const p = this.start();
          this.inFlight = p;
          this.next = undefined;
          return p;
        });
    }
    return this.next;
  }

  private start(): Promise<number> {
    const p = this.fetchCurrent();
    const clear = () => {
      if (this.inFlight === p) this.inFlight = undefined;
    };
    p.then(clear, clear);
    return p;
  }
}

export class RevisionTimeout extends Error {
  constructor(
    readonly wanted: number,
    readonly applied: number,
  ) {
    super(`the cache did not reach revision ${wanted} (at ${applied})`);
    this.name = 'RevisionTimeout';
  }
}
