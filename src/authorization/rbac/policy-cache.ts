// The roles and bindings RBAC decides from, kept in memory by one list and one watch per kind on the storage
// (the watch cache, when on): the authorizer never reads etcd per request, as kube's RBAC reads informers.
// `sync()` waits until every write etcd had acknowledged when it was called is in memory; the server calls it
// before a decision that follows an RBAC write it made, and before confirming a refusal, so a grant or a
// revocation made through this server holds from the next request on.
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

  async start(): Promise<void> {
    const { clusterRoles, clusterRoleBindings, roles, roleBindings } = this.prefixes;
    for (const prefix of [clusterRoles, clusterRoleBindings, roles, roleBindings]) {
      const list = await this.storage.list(prefix, { withKeys: true });
      list.items.forEach((obj, i) => this.put(list.keys![i], obj));
      this.watches.push(
        await this.storage.watch(
          prefix,
          { afterRevision: list.revision, prefix: true },
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

  private restarting: Promise<void> | undefined;

  private restart(): void {
    this.restarting ??= (async () => {
      await this.stop();
      this.clusterRolesByName.clear();
      this.clusterBindings.clear();
      this.rolesByNamespace.clear();
      this.bindingsByNamespace.clear();
      await this.start();
    })().finally(() => (this.restarting = undefined));
  }

  async stop(): Promise<void> {
    await Promise.all(this.watches.splice(0).map((w) => w.stop()));
  }

  /** Resolves once every write etcd has acknowledged so far is reflected here. */
  async sync(timeoutMs = 10_000): Promise<void> {
    await this.storage.waitForRevision(await this.storage.currentRevision(), timeoutMs);
  }

  private apply(e: StorageEvent): void {
    if (e.foreign) return;
    if (e.type === 'DELETED') this.remove(e.key);
    else this.put(e.key, e.object);
  }

  private put(key: string, obj: any): void {
    const { clusterRoles, clusterRoleBindings, roles, roleBindings } = this.prefixes;
    const name = obj?.metadata?.name ?? '';
    const namespace = obj?.metadata?.namespace ?? '';
    if (key.startsWith(clusterRoles)) {
      this.clusterRolesByName.set(name, obj);
      this.clusterRolesChanged();
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
