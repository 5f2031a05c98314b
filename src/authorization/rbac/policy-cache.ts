// The roles and bindings RBAC decides from, kept in memory by one list and one watch per kind on the storage
// (the watch cache, when on): the authorizer never reads etcd per request, as kube's RBAC reads informers.
// `sync()` makes every write etcd had acknowledged when it was called count; the server calls it before the first
// decision that follows an RBAC write it made, so a grant or a revocation made through this server holds from the
// next request on, with or without the watch cache.
import type { UserInfo } from '../../apimachinery/user.js';
import { PrefixInformer } from '../../storage/informer.js';
import { BindingScope } from './binding-index.js';
import type { ListResult, Storage } from '../../storage/interface.js';
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
  private clusterBindings = new BindingScope('');
  /** namespace → name → object */
  private readonly rolesByNamespace = new Map<string, Map<string, Role>>();
  private readonly bindingsByNamespace = new Map<string, BindingScope>();
  private readonly clusterRoleListeners = new Set<() => void>();
  private readonly informer: PrefixInformer;

  constructor(
    private readonly storage: Storage,
    private readonly prefixes: PolicyPrefixes,
  ) {
    const { clusterRoles, clusterRoleBindings, roles, roleBindings } = prefixes;
    this.informer = new PrefixInformer(storage, [clusterRoles, clusterRoleBindings, roles, roleBindings], {
      replace: (lists) => this.replace(lists),
      apply: (_prefix, e) => (e.type === 'DELETED' ? this.remove(e.key) : this.put(e.key, e.object)),
    });
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  /**
   * Resolves once every write etcd has acknowledged so far is reflected here. Waiting for the watch cache is enough
   * when it is on; without it this cache's own etcd watches may still be on their way, so it lists again (RBAC
   * writes are rare, and a list of a few thousand roles from memory is cheap).
   */
  async sync(timeoutMs = 10_000): Promise<void> {
    await this.storage.waitForRevision(await this.storage.currentRevision(), timeoutMs);
    await this.informer.relist();
  }

  /** Replaces everything with consistent lists, in one synchronous step once they have all arrived. */
  private replace(lists: ListResult[]): void {
    this.clusterRolesByName.clear();
    this.clusterBindings = new BindingScope('');
    this.rolesByNamespace.clear();
    this.bindingsByNamespace.clear();
    for (const list of lists) list.items.forEach((obj, j) => this.put(list.keys![j], obj, false));
    this.clusterRolesChanged();
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
    else if (key.startsWith(roleBindings)) this.bindingScope(namespace).set(name, obj);
  }

  private remove(key: string): void {
    const { clusterRoles, clusterRoleBindings, roles, roleBindings } = this.prefixes;
    if (key.startsWith(clusterRoles)) {
      this.clusterRolesByName.delete(key.slice(clusterRoles.length));
      this.clusterRolesChanged();
    } else if (key.startsWith(clusterRoleBindings)) this.clusterBindings.delete(key.slice(clusterRoleBindings.length));
    else if (key.startsWith(roles)) {
      const [namespace, name] = key.slice(roles.length).split('/');
      this.rolesByNamespace.get(namespace)?.delete(name);
    } else if (key.startsWith(roleBindings)) {
      const [namespace, name] = key.slice(roleBindings.length).split('/');
      this.bindingsByNamespace.get(namespace)?.delete(name);
    }
  }

  private bindingScope(namespace: string): BindingScope {
    let scope = this.bindingsByNamespace.get(namespace);
    if (!scope) this.bindingsByNamespace.set(namespace, (scope = new BindingScope(namespace)));
    return scope;
  }

  clusterRoleBindings(): Iterable<Binding> {
    return this.clusterBindings.values();
  }

  roleBindings(namespace: string): Iterable<Binding> {
    return this.bindingsByNamespace.get(namespace)?.values() ?? [];
  }

  clusterRoleBindingsFor(user: UserInfo): Iterable<Binding> {
    return this.clusterBindings.for(user);
  }

  roleBindingsFor(namespace: string, user: UserInfo): Iterable<Binding> {
    return this.bindingsByNamespace.get(namespace)?.for(user) ?? [];
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
