// ResourceQuota (k8s.io/apiserver/pkg/admission/plugin/resourcequota: admission.go, controller.go's CheckRequest): a
// create or update in a namespace with ResourceQuotas is charged to each quota that tracks what it costs, and refused
// with kube's 403 when that would pass status.hard. kube charges by a revision-checked update of the quota's status
// before the object is written; kgate writes the charge in the same etcd transaction as the object, guarded by the
// quota's revision (a companion write, see AdmissionPlugin.companions): both land or neither does, and a charge that
// lost its race to another writer (any kgate process) is computed again on etcd's state, so the quota never
// overshoots and a failed write never leaves a charge behind.
//
// kube leaves the rest to kube-controller-manager's quota controller; kgate has no controller, so this plugin also
// computes a new or changed quota's status.hard and status.used from the namespace's objects as the quota is written,
// and releases a deleted object's usage in the transaction that deletes it.
import { forbidden, isStatusError } from '../../apimachinery/errors.js';
import type { GuardedWrite, KubeObject } from '../../storage/interface.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../index.js';
import { nameOf } from '../limitranger.js';
import { evaluatorFor, groupResourcesFor, matches, scopesOf, type Evaluator, type GroupResource } from './evaluators.js';
import {
  add,
  equals,
  isNegative,
  lessThanOrEqual,
  mask,
  parseResourceList,
  prettyPrint,
  prettyPrintNames,
  quantity,
  removeZeros,
  resourceListJSON,
  resourceNames,
  subtractNonNegative,
  type ResourceList,
} from './resources.js';

// DefaultIgnoredResources (pkg/quota/v1/install/registry.go): never charged, whatever a quota says.
const IGNORED = new Set([
  '/bindings',
  '/componentstatuses',
  'authentication.k8s.io/tokenreviews',
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  '/events',
  'events.k8s.io/events',
]);

const ignored = (a: AdmissionAttributes) => IGNORED.has(`${a.resource.group}/${a.resource.resource}`);

export interface QuotaAccess {
  /** The namespace's ResourceQuotas: from the watch cache, or (fresh) as etcd holds them now. */
  list(namespace: string, fresh: boolean): Promise<KubeObject[]>;
  /** The write of a quota, as read, with a new status.used, guarded by the revision it was read at. */
  statusWrite(quota: KubeObject, used: Record<string, string>): GuardedWrite;
  /** A namespace's objects of one group/resource, from the watch cache; undefined when kgate does not serve it. */
  listObjects(gr: GroupResource, namespace: string): Promise<KubeObject[] | undefined>;
}

interface QuotaView {
  name: string;
  hard: ResourceList;
  used: ResourceList;
  source: KubeObject;
}

function view(quota: KubeObject): QuotaView {
  return {
    name: String(quota.metadata?.name ?? ''),
    hard: parseResourceList(quota.status?.hard),
    used: parseResourceList(quota.status?.used),
    source: quota,
  };
}

export class ResourceQuota implements AdmissionPlugin {
  readonly name = 'ResourceQuota';

  constructor(private readonly access: QuotaAccess) {}

  /** The check alone, for the 403 (dry runs included); the charge is the companion of the object's write. */
  async validate(a: AdmissionAttributes): Promise<void> {
    const ev = this.evaluatorFor(a);
    if (ev) {
      const quotas = await this.access.list(a.namespace, false);
      if (quotas.length > 0) {
        try {
          checkRequest(quotas.map(view), a, ev);
        } catch (e) {
          // A refusal from the cache is confirmed against etcd: a release may not have reached the cache yet.
          if (!isStatusError(e)) throw e;
          checkRequest((await this.access.list(a.namespace, true)).map(view), a, ev);
        }
      }
    }
    if (a.resource.group === '' && a.resource.resource === 'resourcequotas' && a.subresource === '' && a.object) {
      if (a.operation === 'CREATE' || a.operation === 'UPDATE') await this.computeStatus(a.namespace, a.object, a.oldObject);
    }
  }

  /**
   * The quota writes that go with the object's own: for a create or update, kube's charge (what it adds, checked
   * against status.hard) and what the quota controller would give back (what an update takes away: a pod that
   * reached Succeeded or Failed, a Service no longer of type NodePort, an object leaving a quota's scope); for a
   * delete, everything the object was charged.
   */
  async companions(a: AdmissionAttributes, fresh: boolean): Promise<GuardedWrite[]> {
    if (a.operation === 'DELETE') return this.releases(a, fresh);
    if ((a.operation !== 'CREATE' && a.operation !== 'UPDATE') || !a.object) return [];
    if (a.namespace === '' || !a.resource.namespaced || ignored(a)) return [];
    // The cache answers first: a namespace without quotas costs nothing more.
    const quotas = await this.access.list(a.namespace, fresh);
    if (quotas.length === 0) return [];
    const views = quotas.map(view);
    const ev = evaluatorFor({ group: a.resource.group, resource: a.resource.resource });
    let charged = new Map<string, ResourceList>();
    if (this.evaluatorFor(a)) {
      try {
        charged = checkRequest(views, a, ev);
      } catch (e) {
        if (fresh || !isStatusError(e)) throw e;
        return this.companions(a, true);
      }
    }
    const writes: GuardedWrite[] = [];
    for (const q of views) {
      let used = charged.get(q.name) ?? q.used;
      if (a.operation === 'UPDATE' && a.oldObject) {
        const freed = freedBy(ev, q, a.oldObject, a.object);
        if (Object.keys(freed).length > 0) used = mask(subtractNonNegative(used, freed), resourceNames(used));
      }
      if (!equals(used, q.used)) writes.push(this.access.statusWrite(q.source, resourceListJSON(used)));
    }
    return writes;
  }

  private evaluatorFor(a: AdmissionAttributes): Evaluator | undefined {
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return undefined;
    if (a.namespace === '' || !a.resource.namespaced || ignored(a)) return undefined;
    if (a.operation === 'CREATE' && a.resource.group === '' && a.resource.resource === 'namespaces') return undefined;
    const ev = evaluatorFor({ group: a.resource.group, resource: a.resource.resource });
    return ev.handles(a) && a.object ? ev : undefined;
  }

  /** kube's controller replenishes a quota when a tracked object goes; kgate does it in the txn that deletes it. */
  private async releases(a: AdmissionAttributes, fresh: boolean): Promise<GuardedWrite[]> {
    const old = a.oldObject;
    if (!old || a.namespace === '' || !a.resource.namespaced || ignored(a)) return [];
    const quotas = await this.access.list(a.namespace, fresh);
    if (quotas.length === 0) return [];
    const ev = evaluatorFor({ group: a.resource.group, resource: a.resource.resource });
    const writes: GuardedWrite[] = [];
    for (const q of quotas.map(view)) {
      const freed = freedBy(ev, q, old, undefined);
      if (Object.keys(freed).length === 0) continue;
      const used = mask(subtractNonNegative(q.used, freed), resourceNames(q.used));
      if (!equals(used, q.used)) writes.push(this.access.statusWrite(q.source, resourceListJSON(used)));
    }
    return writes;
  }

  /**
   * The quota controller's sync, done as the quota is written: status.hard follows spec.hard, and status.used holds
   * every tracked resource, counted from the namespace's objects for names it did not track before.
   */
  private async computeStatus(namespace: string, quota: KubeObject, old: KubeObject | undefined): Promise<void> {
    const hard = parseResourceList(quota.spec?.hard);
    const hardNames = resourceNames(hard);
    const previous = parseResourceList(old?.status?.used);
    const known = new Set(resourceNames(parseResourceList(old?.status?.hard)));
    const missing = hardNames.filter((n) => !known.has(n) || !(n in previous));
    const used: ResourceList = mask(previous, hardNames);
    // New names start from zero (a name kgate cannot count, too) and then count what the namespace has.
    for (const n of missing) used[n] = quantity(0);
    Object.assign(used, await quotaUsage(quota, namespace, missing, this.access.listObjects, !old));
    quota.status = { hard: resourceListJSON(hard), used: resourceListJSON(used) };
  }
}

/**
 * What a quota no longer holds for an object that changed from `old` to `now` (or went, without `now`): what `old` was
 * charged, less what `now` is charged, for the quota's names; nothing when `old` was not the quota's to charge.
 */
function freedBy(ev: Evaluator, q: QuotaView, old: KubeObject, now: KubeObject | undefined): ResourceList {
  const hardNames = resourceNames(q.hard);
  if (!matches(ev, q.source, hardNames, old)) return {};
  const before = ev.usage(old, { asCharged: true });
  const after = now && matches(ev, q.source, hardNames, now) ? ev.usage(now, { asCharged: true }) : {};
  return removeZeros(mask(subtractNonNegative(before, after), hardNames));
}

/**
 * What a quota's scopes let the namespace's objects use of `names` (kube's UsageStats per evaluator), each name
 * counted from zero: what kgate's books hold for them (`asCharged`). Names of resources kgate does not serve are left
 * out (nothing to count them from). `includeSelf` counts the quota itself among resourcequotas, for a quota not
 * stored yet.
 */
export async function quotaUsage(
  quota: KubeObject,
  namespace: string,
  names: readonly string[],
  listObjects: QuotaAccess['listObjects'],
  includeSelf = false,
): Promise<ResourceList> {
  const used: ResourceList = {};
  if (names.length === 0) return used;
  const scopes = scopesOf(quota);
  for (const gr of groupResourcesFor(names)) {
    const ev = evaluatorFor(gr);
    const tracked = ev.matchingResources(names);
    if (tracked.length === 0) continue;
    const listed = await listObjects(gr, namespace);
    if (!listed) continue;
    for (const n of tracked) used[n] ??= quantity(0);
    const items = [...listed];
    if (includeSelf && gr.group === '' && gr.resource === 'resourcequotas') items.push(quota);
    for (const item of items) {
      if (!scopes.every((s) => ev.matchesScope(s, item))) continue;
      for (const [n, q] of Object.entries(mask(ev.usage(item, { asCharged: true }), tracked)))
        used[n] = add({ [n]: used[n] }, { [n]: q })[n];
    }
  }
  return used;
}

/**
 * CheckRequest: the new status.used of every quota the request changes, by name; throws kube's 403 when the object
 * lacks what a quota requires or would pass a quota's hard limits.
 */
export function checkRequest(quotas: readonly QuotaView[], a: AdmissionAttributes, ev: Evaluator): Map<string, ResourceList> {
  const obj = a.object!;
  const gr = { group: a.resource.group, resource: a.resource.resource };
  const refuse = (message: string) => forbidden(gr, nameOf(a), message);
  const interesting: QuotaView[] = [];
  for (const q of quotas) {
    const hardNames = resourceNames(q.hard);
    if (!matches(ev, q.source, hardNames, obj)) continue;
    const restricted = ev.matchingResources(hardNames);
    const problem = ev.constraints(restricted, obj);
    if (problem !== undefined) throw refuse(`failed quota: ${q.name}: ${problem}`);
    if (!restricted.every((n) => n in q.used)) {
      throw refuse(`status unknown for quota: ${q.name}, resources: ${prettyPrintNames(restricted)}`);
    }
    interesting.push(q);
  }
  const inputUsage = ev.usage(obj);
  const negative = isNegative(inputUsage);
  if (negative.length > 0) throw refuse(`quota usage is negative for resource(s): ${prettyPrintNames(negative)}`);
  const deltas = new Map<QuotaView, ResourceList>(interesting.map((q) => [q, inputUsage]));
  if (a.operation === 'UPDATE') {
    const prev = a.oldObject;
    if (!prev) throw refuse('unable to get previous usage since prior version of object was not found');
    if (prev.metadata?.resourceVersion) {
      const delta = subtractNonNegative(inputUsage, ev.usage(prev));
      for (const q of interesting) if (matches(ev, q.source, resourceNames(q.hard), prev)) deltas.set(q, delta);
    }
  }
  const out = new Map<string, ResourceList>();
  for (const q of interesting) {
    const delta = removeZeros(deltas.get(q)!);
    if (Object.keys(delta).length === 0) continue;
    const hardNames = resourceNames(q.hard);
    const requested = mask(delta, hardNames);
    const newUsage = add(q.used, requested);
    if (a.subresource !== 'status') {
      const { allowed, exceeded } = lessThanOrEqual(mask(newUsage, resourceNames(requested)), q.hard);
      if (!allowed) {
        throw refuse(
          `exceeded quota: ${q.name}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(q.used, exceeded))}, limited: ${prettyPrint(mask(q.hard, exceeded))}`,
        );
      }
    }
    if (!equals(newUsage, q.used)) out.set(q.name, newUsage);
  }
  return out;
}
