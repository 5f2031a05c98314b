// The roles and bindings RBAC decides from, kept in memory by one list and one watch per kind on the storage
// (the watch cache, when on): the authorizer never reads etcd per request, as kube's RBAC reads informers.
// `sync()` makes every write etcd had acknowledged when it was called count; the server calls it before the first
// decision that follows an RBAC write it made, so a grant or a revocation made through this server holds from the
// next request on, with or without the watch cache.
import type { Storage, StorageEvent, WatchHandle } from '../../storage/interface.js';
import type { AggregationSource, ClusterRoleObject } from './aggregation.js';
import type { Binding, PolicySource, Role } from './authorizer.js';

/** etcd key prefixes (with the trailing slash) of the four RBAC resources. */
export interface PolicyPrefixes {
  clusterRoles: string;
  clusterRoleBindings: string;
  roles: string;
  roleBindings: string;
}

export class PolicyCache implements PolicySource, AggregationSource {
  private readonly clusterRolesByName = new Map<string, Role>();
  private readonly clusterBindings = new Map<string, Binding>();
  /** namespace → name → object */
  private readonly rolesByNamespace = new Map<string, Map<string, Role>>();
  private readonly bindingsByNamespace = new Map<string, Map<string, Binding>>();
  private readonly watches: WatchHandle[] = [];
  private readonly clusterRoleListeners = new Set<() => void>();

  constructor(
    private readonly storage: Storage,
    private readonly prefixes: PolicyPrefixes,
  ) {}

  private prefixList(): string[] {
    const { clusterRoles, clusterRoleBindings, roles, roleBindings } = this.prefixes;
    return [clusterRoles, clusterRoleBindings, roles, roleBindings];
  }

  async start(): Promise<void> {
    await this.relist();
    for (const prefix of this.prefixList()) {
      this.watches.push(
        await this.storage.watch(
          prefix,
          { afterRevision: this.floors.get(prefix) ?? 0, prefix: true },
          {
            onEvent: (e) => this.apply(e),
            // The watch cache resumes its own watches; a lost watch here would leave RBAC deciding from old
            // state, so start over from a fresh list.
            onError: () => this.restart(),
          },
        ),
      );
    }
  }

  /** Per prefix: the revision its last list was read at; watch events up to it are already in. */
  private readonly floors = new Map<string, number>();

  /** Replaces everything with consistent lists, in one synchronous step once they have all arrived. */
  private async relist(): Promise<void> {
    const prefixes = this.prefixList();
    const lists = await Promise.all(prefixes.map((prefix) => this.storage.list(prefix, { withKeys: true })));
    this.clusterRolesByName.clear();
    this.clusterBindings.clear();
    this.rolesByNamespace.clear();
    this.bindingsByNamespace.clear();
    lists.forEach((list, i) => {
      this.floors.set(prefixes[i], Math.max(this.floors.get(prefixes[i]) ?? 0, list.revision));
      list.items.forEach((obj, j) => this.put(list.keys![j], obj, false));
    });
    this.clusterRolesChanged();
  }

  private restarting: Promise<void> | undefined;

  private restart(): void {
    this.restarting ??= (async () => {
      await this.stop();
      this.floors.clear();
      await this.start();
    })().finally(() => (this.restarting = undefined));
  }

  async stop(): Promise<void> {
    await Promise.all(this.watches.splice(0).map((w) => w.stop()));
  }

  /**
   * Resolves once every write etcd has acknowledged so far is reflected here. Waiting for the watch cache is enough
   * when it is on; without it this cache's own etcd watches may still be on their way, so it lists again (RBAC
   * writes are rare, and a list of a few thousand roles from memory is cheap).
   */
  async sync(timeoutMs = 10_000): Promise<void> {
    await this.storage.waitForRevision(await this.storage.currentRevision(), timeoutMs);
    await this.relist();
  }

  private apply(e: StorageEvent): void {
    if (e.foreign) return;
    const prefix = this.prefixList().find((p) => e.key.startsWith(p));
    if (prefix !== undefined && e.revision <= (this.floors.get(prefix) ?? 0)) return;
    if (e.type === 'DELETED') this.remove(e.key);
    else this.put(e.key, e.object);
  }

  private put(key: string, obj: any, notify = true): void {
    const { clusterRoles, clusterRoleBindings, roles, roleBindings } = this.prefixes;
    const name = obj?.metadata?.name ?? '';
    const namespace = obj?.metadata?.namespace ?? '';
    if (key.startsWith(clusterRoles)) {
      this.clusterRolesByName.set(name, obj);
      if (notify) this.clusterRolesChanged();
    } else if (key.startsWith(clusterRoleBindings)) this.clusterBindings.set(name, obj);
    else if (key.startsWith(roles)) inner(this.rolesByNamespace, namespace).set(name, obj);
    else if (key.startsWith(roleBindings)) inner(this.bindingsByNamespace, namespace).set(name, obj);
  }

  private remove(key: string): void {
    const { clusterRoles, clusterRoleBindings, roles, roleBindings } = this.prefixes;
    if (key.startsWith(clusterRoles)) {
      this.clusterRolesByName.delete(key.slice(clusterRoles.length));
      this.clusterRolesChanged();
    } else if (key.startsWith(clusterRoleBindings)) this.clusterBindings.delete(key.slice(clusterRoleBindings.length));
    else {
      const inNamespace = key.startsWith(roles) ? [roles, this.rolesByNamespace] : [roleBindings, this.bindingsByNamespace];
      const [prefix, byNamespace] = inNamespace as [string, Map<string, Map<string, unknown>>];
      const [namespace, name] = key.slice(prefix.length).split('/');
      byNamespace.get(namespace)?.delete(name);
    }
  }

  clusterRoleBindings(): Iterable<Binding> {
    return this.clusterBindings.values();
  }

  roleBindings(namespace: string): Iterable<Binding> {
    return this.bindingsByNamespace.get(namespace)?.values() ?? [];
  }

  clusterRole(name: string): Role | undefined {
    return this.clusterRolesByName.get(name);
  }

  role(namespace: string, name: string): Role | undefined {
    return this.rolesByNamespace.get(namespace)?.get(name);
  }

  /** Every ClusterRole as stored, for aggregation. */
  clusterRoleObjects(): Iterable<ClusterRoleObject> {
    return this.clusterRolesByName.values() as Iterable<ClusterRoleObject>;
  }

  onClusterRolesChanged(listener: () => void): () => void {
    this.clusterRoleListeners.add(listener);
    return () => this.clusterRoleListeners.delete(listener);
  }

  private clusterRolesChanged(): void {
    for (const listener of this.clusterRoleListeners) listener();
  }
}

function inner<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = outer.get(key);
  if (!m) outer.set(key, (m = new Map()));
  return m;
}
