// ResourceQuota (k8s.io/apiserver/pkg/admission/plugin/resourcequota: admission.go, controller.go's CheckRequest and
// checkQuotas): a create or update in a namespace with ResourceQuotas is charged to each quota that tracks what it
// costs, by a revision-checked update of the quota's status.used made before the object is written, and refused
// with kube's 403 when that would pass status.hard. Concurrent charges through any number of kgate processes meet in
// etcd's compare-and-swap: each charge re-checks the quota as etcd holds it, so the quota never overshoots.
//
// kube leaves the rest to kube-controller-manager's quota controller; kgate has no controller, so this plugin also
// (1) computes a new or changed quota's status.hard and status.used from the namespace's objects as the quota is
// written, (2) releases a deleted object's usage right after its delete, and (3) gives back a charge whose write
// then failed. Each of those is a status update retried on conflicts, like the charge.
import { forbidden, isStatusError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../storage/interface.js';
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
  subtract,
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
  /**
   * GuaranteedUpdate of a quota's status: `mutate` gets the current quota (again after every lost race) and returns
   * the new one, or throws to give up. Resolves false when the quota no longer exists.
   */
  updateStatus(namespace: string, name: string, mutate: (current: KubeObject) => KubeObject): Promise<boolean>;
  /** A namespace's objects of one group/resource, from the watch cache; undefined when kgate does not serve it. */
  listObjects(gr: GroupResource, namespace: string): Promise<KubeObject[] | undefined>;
  /** Reports a bookkeeping failure that does not fail the request (a release after a delete). */
  log?(message: string): void;
}

/** One charge made for a request: given back if the request's write fails. */
interface Charge {
  quota: string;
  delta: ResourceList;
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
  /** Charges per admitted object, until its write settles. */
  private readonly charges = new WeakMap<KubeObject, Charge[]>();
  /** kube's evaluator works one namespace at a time per process; this keeps a process from racing itself. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly access: QuotaAccess) {}

  async validate(a: AdmissionAttributes): Promise<void> {
    if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
    if (a.namespace === '' || !a.resource.namespaced) return;
    if (a.operation === 'CREATE' && a.resource.group === '' && a.resource.resource === 'namespaces') return;
    if (ignored(a)) return;
    const ev = evaluatorFor({ group: a.resource.group, resource: a.resource.resource });
    if (ev.handles(a) && a.object) await this.charge(a, ev);
    if (a.resource.group === '' && a.resource.resource === 'resourcequotas' && a.subresource === '' && a.object) {
      await this.computeStatus(a.namespace, a.object, a.oldObject);
    }
  }

  /** After the write: a failed write gives its charges back; a delete releases what the object used. */
  async settled(a: AdmissionAttributes, committed: boolean): Promise<void> {
    if (a.operation === 'DELETE') {
      if (committed && a.oldObject && a.namespace !== '' && a.resource.namespaced && !ignored(a)) await this.release(a);
      return;
    }
    if (!a.object) return;
    const charges = this.charges.get(a.object);
    this.charges.delete(a.object);
    if (!committed && charges) await this.giveBack(a.namespace, charges);
  }

  private async charge(a: AdmissionAttributes, ev: Evaluator): Promise<void> {
    // The cache answers first: a namespace without quotas costs nothing more.
    let quotas = await this.access.list(a.namespace, false);
    if (quotas.length === 0) return;
    await this.locked(a.namespace, async () => {
      let checked;
      try {
        checked = checkRequest(quotas.map(view), a, ev);
      } catch (e) {
        // A refusal from the cache is confirmed against etcd: a release may not have reached the cache yet.
        if (!isStatusError(e)) throw e;
        quotas = await this.access.list(a.namespace, true);
        checked = checkRequest(quotas.map(view), a, ev);
      }
      if (a.dryRun || checked.size === 0) return;
      const made: Charge[] = [];
      try {
        for (const name of checked.keys()) {
          let delta: ResourceList | undefined;
          const found = await this.access.updateStatus(a.namespace, name, (current) => {
            // The check again, on the quota as etcd has it now: a lost race re-runs it on the winner's state.
            const q = view(current);
            const next = checkRequest([q], a, ev).get(q.name);
            delta = next ? subtract(next, q.used) : undefined;
            return next ? withUsed(current, next) : current;
          });
          if (found && delta) made.push({ quota: name, delta: removeZeros(delta) });
        }
      } catch (e) {
        await this.giveBack(a.namespace, made);
        throw e;
      }
      if (made.length > 0) this.charges.set(a.object!, made);
    });
  }

  private async giveBack(namespace: string, charges: readonly Charge[]): Promise<void> {
    for (const c of charges) await this.subtractFrom(namespace, c.quota, c.delta);
  }

  /** kube's controller replenishes a quota when a tracked object goes; kgate does it right after the delete. */
  private async release(a: AdmissionAttributes): Promise<void> {
    const ev = evaluatorFor({ group: a.resource.group, resource: a.resource.resource });
    const old = a.oldObject!;
    const quotas = (await this.access.list(a.namespace, false)).map(view);
    for (const q of quotas) {
      const hardNames = resourceNames(q.hard);
      if (!matches(ev, q.source, hardNames, old)) continue;
      const delta = removeZeros(mask(ev.usage(old, { asCharged: true }), hardNames));
      if (Object.keys(delta).length > 0) await this.subtractFrom(a.namespace, q.name, delta);
    }
  }

  private async subtractFrom(namespace: string, quota: string, delta: ResourceList): Promise<void> {
    try {
      await this.access.updateStatus(namespace, quota, (current) => {
        const used = parseResourceList(current.status?.used);
        const next = mask(subtractNonNegative(used, delta), resourceNames(used));
        return withUsed(current, next);
      });
    } catch (e) {
      this.access.log?.(`resource quota ${namespace}/${quota}: could not release usage: ${(e as Error).message}`);
    }
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
    if (missing.length > 0) {
      const scopes = scopesOf(quota);
      for (const n of missing) used[n] = quantity(0);
      for (const gr of groupResourcesFor(missing)) {
        const ev = evaluatorFor(gr);
        const names = ev.matchingResources(missing);
        if (names.length === 0) continue;
        const items = (await this.access.listObjects(gr, namespace)) ?? [];
        // The quota counts itself among resourcequotas when it is new (the cache does not have it yet).
        if (!old && gr.group === '' && gr.resource === 'resourcequotas') items.push(quota);
        for (const item of items) {
          if (!scopes.every((s) => ev.matchesScope(s, item))) continue;
          const usage = mask(ev.usage(item), names);
          for (const [n, q] of Object.entries(usage)) used[n] = add({ [n]: used[n] }, { [n]: q })[n];
        }
      }
    }
    quota.status = { hard: resourceListJSON(hard), used: resourceListJSON(used) };
  }

  private async locked<T>(namespace: string, work: () => Promise<T>): Promise<T> {
    const before = this.locks.get(namespace) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    this.locks.set(namespace, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(namespace) === tail) this.locks.delete(namespace);
    }
  }
}

function withUsed(quota: KubeObject, used: ResourceList): KubeObject {
  const out = { ...quota, status: { ...(quota.status ?? {}), used: resourceListJSON(used) } };
  // Written over whatever etcd holds now: the store re-reads and calls again on a lost race.
  out.metadata = { ...quota.metadata };
  delete out.metadata.resourceVersion;
  return out;
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
