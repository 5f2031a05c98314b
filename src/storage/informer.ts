// One list and one watch per key prefix, kept by a consumer in memory: what kube's reflector and informer do for the
// components that must decide without reading etcd per request (RBAC's roles and bindings, the Node authorizer's
// graph). Each prefix is listed, the consumer takes all the lists in one synchronous step, then a watch per prefix
// resumes after the revision its list was read at, so no event is missed or applied twice. A lost watch starts the
// whole thing over from fresh lists: a consumer deciding from old state is worse than one relisting.
import type { ListResult, Storage, StorageEvent, WatchHandle } from './interface.js';

export interface InformerConsumer {
  /** Everything the prefixes hold, one list per prefix in their order (items with their keys). */
  replace(lists: ListResult[]): void;
  /** A change newer than the list its prefix was read at. */
  apply(prefixIndex: number, event: StorageEvent): void;
}

export class PrefixInformer {
  private readonly watches: WatchHandle[] = [];
  /** Per prefix: the revision its last list was read at; watch events up to it are already in. */
  private readonly floors: number[];
  private restarting: Promise<void> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly prefixes: readonly string[],
    private readonly consumer: InformerConsumer,
  ) {
    this.floors = prefixes.map(() => 0);
  }

  async start(): Promise<void> {
    await this.relist();
    for (let i = 0; i < this.prefixes.length; i++) {
      this.watches.push(
        await this.storage.watch(
          this.prefixes[i],
          { afterRevision: this.floors[i], prefix: true },
          {
            onEvent: (e) => {
              if (!e.foreign && e.revision > this.floors[i]) this.consumer.apply(i, e);
            },
            onError: () => this.restart(),
          },
        ),
      );
    }
  }

  /** Lists every prefix again and hands the consumer the lists; watch events they already cover are then skipped. */
  async relist(): Promise<void> {
    const lists = await Promise.all(this.prefixes.map((prefix) => this.storage.list(prefix, { withKeys: true })));
    lists.forEach((list, i) => (this.floors[i] = Math.max(this.floors[i], list.revision)));
    this.consumer.replace(lists);
  }

  async stop(): Promise<void> {
    await Promise.all(this.watches.splice(0).map((w) => w.stop()));
  }

  private restart(): void {
    this.restarting ??= (async () => {
      await this.stop();
      this.floors.fill(0);
      await this.start();
    })().finally(() => (this.restarting = undefined));
  }
}
