// LimitRanger (plugin/pkg/admission/limitranger/admission.go): a namespace's LimitRanges default a new Pod's
// container requests and limits (mutating, with the kubernetes.io/limit-ranger annotation saying what was set) and
// bound Pods' and PersistentVolumeClaims' resources by min, max and maxLimitRequestRatio (validating), refusing
// with kube's 403 `<resource> "<name>" is forbidden: <reasons>`.
import { forbidden } from '../apimachinery/errors.js';
import { formatQuantity, quantityMilliValue, quantityValue, type Quantity } from '../apimachinery/quantity.js';
import type { KubeObject } from '../storage/interface.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';
import { podLimits, podRequests } from './podresources.js';
import { parseResourceList, type ResourceList } from './quota/resources.js';

const ANNOTATION = 'kubernetes.io/limit-ranger';
// resource.MaxMilliValue: values above it are compared whole, not in milli-units.
const MAX_MILLI_VALUE = (2n ** 63n - 1n) / 1000n;
const ZERO: Quantity = { nano: 0n, format: 'DecimalSI' };

export interface LimitRangeLister {
  /** The namespace's LimitRanges: as the watch cache has them, or (fresh) as etcd holds them now. */
  list(namespace: string, fresh: boolean): Promise<KubeObject[]>;
}

// GetLimitRanges' live lookup: when the cache has none, etcd is asked, and that answer kept for 30 s per namespace.
const LIVE_TTL_MS = 30_000;
const LIVE_CACHE_SIZE = 10_000;

export class LimitRanger implements AdmissionPlugin {
  readonly name = 'LimitRanger';
  private readonly live = new Map<string, { expiry: number; items: KubeObject[] }>();
  constructor(private readonly limitRanges: LimitRangeLister) {}

  async admit(a: AdmissionAttributes): Promise<boolean> {
    if (!supports(a) || a.resource.resource !== 'pods' || !a.object) return false;
    let changed = false;
    for (const lr of await this.rangesFor(a)) if (mutatePod(lr, a.object)) changed = true;
    return changed;
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    if (!supports(a) || !a.object) return;
    for (const lr of await this.rangesFor(a)) {
      const errors = a.resource.resource === 'pods' ? validatePod(lr, a.object) : validateClaim(lr, a.object);
      if (errors.length > 0) throw forbidden({ group: a.resource.group, resource: a.resource.resource }, nameOf(a), aggregate(errors));
    }
  }

  private async rangesFor(a: AdmissionAttributes): Promise<KubeObject[]> {
    // An object on its way out is not limited (its old state has a deletionTimestamp).
    if (a.oldObject?.metadata?.deletionTimestamp) return [];
    const cached = await this.limitRanges.list(a.namespace, false);
    if (cached.length > 0) return cached;
    // A LimitRange just created may not have reached the cache: kube's live lookup, kept briefly.
    const entry = this.live.get(a.namespace);
    if (entry && entry.expiry > Date.now()) return entry.items;
    const items = await this.limitRanges.list(a.namespace, true);
    if (this.live.size >= LIVE_CACHE_SIZE) this.live.clear();
    this.live.set(a.namespace, { expiry: Date.now() + LIVE_TTL_MS, items });
    return items;
  }
}

/** SupportsAttributes: Pod creates and resizes, PersistentVolumeClaim creates and updates. */
function supports(a: AdmissionAttributes): boolean {
  if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return false;
  if (a.resource.group !== '') return false;
  const resource = a.resource.resource;
  if (a.subresource === 'resize') return resource === 'pods' && a.operation === 'UPDATE';
  if (a.subresource !== '') return false;
  if (resource === 'pods') return a.operation === 'CREATE';
  return resource === 'persistentvolumeclaims';
}

/** extractResourceName: the name, else the generateName (not generated yet), else "Unknown". */
export function nameOf(a: AdmissionAttributes): string {
  return a.name || (a.object?.metadata?.generateName as string | undefined) || 'Unknown';
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several de-duplicated in brackets. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

function limitsOf(lr: KubeObject): KubeObject[] {
  const limits = lr.spec?.limits;
  return Array.isArray(limits) ? (limits as KubeObject[]) : [];
}

// ---- defaults ----

function mutatePod(lr: KubeObject, pod: KubeObject): boolean {
  const requests: Record<string, unknown> = {};
  const limits: Record<string, unknown> = {};
  for (const item of limitsOf(lr)) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  const notes: string[] = [];
  const containers = Array.isArray(pod.spec?.containers) ? (pod.spec.containers as KubeObject[]) : [];
  const inits = Array.isArray(pod.spec?.initContainers) ? (pod.spec.initContainers as KubeObject[]) : [];
  for (const c of containers) mergeContainer(c, requests, limits, 'container', notes);
  for (const c of inits) mergeContainer(c, requests, limits, 'init container', notes);
  if (notes.length === 0) return false;
  const meta = (pod.metadata ??= {});
  meta.annotations = { ...(meta.annotations ?? {}), [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
  return true;
}

function mergeContainer(
  c: KubeObject,
  requests: Record<string, unknown>,
  limits: Record<string, unknown>,
  prefix: string,
  notes: string[],
): void {
  const resources = (c.resources ??= {});
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [name, q] of Object.entries(limits)) {
    if (resources.limits && name in resources.limits) continue;
    resources.limits = { ...(resources.limits ?? {}), [name]: q };
    setLimits.push(name);
  }
  for (const [name, q] of Object.entries(requests)) {
    if (resources.requests && name in resources.requests) continue;
    resources.requests = { ...(resources.requests ?? {}), [name]: q };
    setRequests.push(name);
  }
  if (setRequests.length > 0) notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${String(c.name)}`);
  if (setLimits.length > 0) notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${String(c.name)}`);
}

// ---- constraints ----

/** requestLimitEnforcedValues: milli-units unless a value is too large for them. */
function values(request: Quantity, limit: Quantity, enforced: Quantity): [bigint, bigint, bigint] {
  const r = quantityValue(request);
  const l = quantityValue(limit);
  const e = quantityValue(enforced);
  if (r <= MAX_MILLI_VALUE && l <= MAX_MILLI_VALUE && e <= MAX_MILLI_VALUE) {
    return [quantityMilliValue(request), quantityMilliValue(limit), quantityMilliValue(enforced)];
  }
  return [r, l, e];
}

function minConstraint(type: string, name: string, enforced: Quantity, request: ResourceList, limit: ResourceList): string | undefined {
  const req = request[name];
  const lim = limit[name];
  const [r, l, e] = values(req ?? ZERO, lim ?? ZERO, enforced);
  const min = formatQuantity(enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${min}.  No request is specified`;
  if (r < e) return `minimum ${name} usage per ${type} is ${min}, but request is ${formatQuantity(req)}`;
  if (lim && l < e) return `minimum ${name} usage per ${type} is ${min}, but limit is ${formatQuantity(lim)}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: Quantity, request: ResourceList): string | undefined {
  const req = request[name];
  const [r, , e] = values(req ?? ZERO, ZERO, enforced);
  const max = formatQuantity(enforced);
  if (!req) return `maximum ${name} usage per ${type} is ${max}.  No request is specified`;
  if (r > e) return `maximum ${name} usage per ${type} is ${max}, but request is ${formatQuantity(req)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, request: ResourceList, limit: ResourceList): string | undefined {
  const req = request[name];
  const lim = limit[name];
  const [r, l, e] = values(req ?? ZERO, lim ?? ZERO, enforced);
  const max = formatQuantity(enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${max}.  No limit is specified`;
  if (l > e) return `maximum ${name} usage per ${type} is ${max}, but limit is ${formatQuantity(lim)}`;
  if (req && r > e) return `maximum ${name} usage per ${type} is ${max}, but request is ${formatQuantity(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, request: ResourceList, limit: ResourceList): string | undefined {
  const req = request[name];
  const lim = limit[name];
  const [r, l] = values(req ?? ZERO, lim ?? ZERO, enforced);
  const ratio = formatQuantity(enforced);
  if (!req || r === 0n) return `${name} max limit to request ratio per ${type} is ${ratio}, but no request is specified or request is 0`;
  if (!lim || l === 0n) return `${name} max limit to request ratio per ${type} is ${ratio}, but no limit is specified or limit is 0`;
  const observed = Number(l) / Number(r);
  let compared = observed;
  let max = Number(quantityValue(enforced));
  if (quantityValue(enforced) <= MAX_MILLI_VALUE) {
    compared = observed * 1000;
    max = Number(quantityMilliValue(enforced));
  }
  // Go's %f: six decimals.
  if (compared > max) return `${name} max limit to request ratio per ${type} is ${ratio}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

/** Go ranges over a map in random order; kgate goes by name so that messages are stable. */
function entries(list: unknown): Array<[string, Quantity]> {
  const parsed = parseResourceList(list);
  return Object.keys(parsed)
    .sort()
    .map((name) => [name, parsed[name]]);
}

function bounded(type: string, item: KubeObject, request: ResourceList, limit: ResourceList, errors: string[]): void {
  for (const [name, q] of entries(item.min)) push(errors, minConstraint(type, name, q, request, limit));
  for (const [name, q] of entries(item.max)) push(errors, maxConstraint(type, name, q, request, limit));
  for (const [name, q] of entries(item.maxLimitRequestRatio)) push(errors, ratioConstraint(type, name, q, request, limit));
}

function push(errors: string[], message: string | undefined): void {
  if (message !== undefined) errors.push(message);
}

function validatePod(lr: KubeObject, pod: KubeObject): string[] {
  const errors: string[] = [];
  for (const item of limitsOf(lr)) {
    if (item.type === 'Container') {
      const containers = [
        ...(Array.isArray(pod.spec?.containers) ? (pod.spec.containers as KubeObject[]) : []),
        ...(Array.isArray(pod.spec?.initContainers) ? (pod.spec.initContainers as KubeObject[]) : []),
      ];
      for (const c of containers) {
        bounded('Container', item, parseResourceList(c.resources?.requests), parseResourceList(c.resources?.limits), errors);
      }
    }
    if (item.type === 'Pod') {
      bounded('Pod', item, podRequests(pod, { overhead: false }), podLimits(pod, { overhead: false }), errors);
    }
  }
  return errors;
}

function validateClaim(lr: KubeObject, pvc: KubeObject): string[] {
  const errors: string[] = [];
  const requests = parseResourceList(pvc.spec?.resources?.requests);
  for (const item of limitsOf(lr)) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [name, q] of entries(item.min)) push(errors, minConstraint('PersistentVolumeClaim', name, q, requests, {}));
    for (const [name, q] of entries(item.max)) push(errors, maxRequestConstraint('PersistentVolumeClaim', name, q, requests));
  }
  return errors;
}
