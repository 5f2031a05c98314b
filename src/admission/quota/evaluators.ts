// What each kind costs a ResourceQuota (k8s.io/kubernetes/pkg/quota/v1/evaluator/core: pods.go, services.go,
// persistent_volume_claims.go, registry.go; k8s.io/apiserver/pkg/quota/v1/generic/evaluator.go for the object
// count evaluator every other resource gets): which operations it handles, which quota resource names it
// answers for, whether an object falls under a quota's scopes, and the usage of one object.
import type { KubeObject } from '../../storage/interface.js';
import type { AdmissionAttributes } from '../index.js';
import { podLimits, podRequests } from '../podresources.js';
import { addInto, intersection, quantity, type ResourceList } from './resources.js';
import { parseQuantity, type Quantity } from '../../apimachinery/quantity.js';

export interface GroupResource {
  group: string;
  resource: string;
}

/** A scope of a quota: spec.scopes as Exists requirements, then spec.scopeSelector's matchExpressions. */
export interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

export interface Evaluator {
  readonly groupResource: GroupResource;
  handles(a: AdmissionAttributes): boolean;
  /** The names among `input` this evaluator tracks. */
  matchingResources(input: readonly string[]): string[];
  /** Whether an object falls under one scope requirement. */
  matchesScope(scope: ScopeRequirement, obj: KubeObject): boolean;
  /** Constraints: a message when the object lacks what the quota's resources require. */
  constraints(required: readonly string[], obj: KubeObject): string | undefined;
  /**
   * What the object costs. `asCharged`: what kgate's books hold for it, which for a pod ignores a deletion's grace
   * period (kgate has no controller to release compute when it runs out) but not its phase.
   */
  usage(obj: KubeObject, opts?: { asCharged?: boolean }): ResourceList;
}

/** ObjectCountQuotaResourceNameFor: count/<resource>[.<group>]. */
export function objectCountName(gr: GroupResource): string {
  return gr.group === '' ? `count/${gr.resource}` : `count/${gr.resource}.${gr.group}`;
}

/** The group/resource a count/<resource>[.<group>] name counts. */
export function groupResourceOfCount(name: string): GroupResource | undefined {
  if (!name.startsWith('count/')) return undefined;
  const rest = name.slice('count/'.length);
  const dot = rest.indexOf('.');
  return dot < 0 ? { group: '', resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
}

export function scopesOf(quota: KubeObject): ScopeRequirement[] {
  const scopes: ScopeRequirement[] = [];
  for (const s of Array.isArray(quota.spec?.scopes) ? (quota.spec.scopes as string[]) : []) {
    scopes.push({ scopeName: s, operator: 'Exists' });
  }
  const exprs = quota.spec?.scopeSelector?.matchExpressions;
  if (Array.isArray(exprs)) for (const e of exprs as ScopeRequirement[]) scopes.push(e);
  return scopes;
}

/** generic.Matches: the quota tracks something this evaluator counts, and the object is in every scope. */
export function matches(ev: Evaluator, quota: KubeObject, hardNames: readonly string[], obj: KubeObject): boolean {
  if (ev.matchingResources(hardNames).length === 0) return false;
  return scopesOf(quota).every((s) => ev.matchesScope(s, obj));
}

const one = (): Quantity => quantity(1);

// ---- object count ----

class ObjectCountEvaluator implements Evaluator {
  private readonly names: string[];
  constructor(
    readonly groupResource: GroupResource,
    alias?: string,
  ) {
    this.names = [objectCountName(groupResource), ...(alias ? [alias] : [])];
  }
  handles(a: AdmissionAttributes): boolean {
    return a.subresource === '' && a.operation === 'CREATE';
  }
  matchingResources(input: readonly string[]): string[] {
    return intersection(input, this.names);
  }
  matchesScope(): boolean {
    // MatchesNoScopeFunc
    return false;
  }
  constraints(): undefined {
    return undefined;
  }
  usage(): ResourceList {
    return Object.fromEntries(this.names.map((n) => [n, one()]));
  }
}

// ---- pods ----

const POD_RESOURCES = [
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
];
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
/** helper.IsNativeResource: no domain, or one under kubernetes.io. */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** helper.IsExtendedResourceName: a domain-qualified name outside kubernetes.io, not requests.-prefixed. */
function isExtended(name: string): boolean {
  if (isNative(name) || name.startsWith('requests.')) return false;
  return /^[a-z0-9.-]+\/[A-Za-z0-9._-]+$/.test(name);
}

function podComputeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const result: ResourceList = { pods: one() };
  for (const name of ['cpu', 'memory', 'ephemeral-storage']) {
    if (name in requests) {
      result[name] = requests[name];
      result[`requests.${name}`] = requests[name];
    }
    if (name in limits) result[`limits.${name}`] = limits[name];
  }
  for (const [name, q] of Object.entries(requests)) {
    if (name.startsWith('hugepages-')) {
      result[name] = q;
      result[`requests.${name}`] = q;
    }
    if (isExtended(name)) result[`requests.${name}`] = q;
  }
  return result;
}

function isTerminating(pod: KubeObject): boolean {
  const ads = pod.spec?.activeDeadlineSeconds;
  return typeof ads === 'number' && ads >= 0;
}

/** qos.GetPodQOS(pod) == BestEffort: no cpu or memory request or limit anywhere. */
function isBestEffort(pod: KubeObject): boolean {
  const containers = [
    ...(Array.isArray(pod.spec?.containers) ? (pod.spec.containers as KubeObject[]) : []),
    ...(Array.isArray(pod.spec?.initContainers) ? (pod.spec.initContainers as KubeObject[]) : []),
  ];
  const lists: unknown[] = [pod.spec?.resources?.requests, pod.spec?.resources?.limits];
  for (const c of containers) lists.push(c.resources?.requests, c.resources?.limits);
  for (const list of lists) {
    if (!list || typeof list !== 'object') continue;
    for (const name of ['cpu', 'memory']) {
      const v = (list as Record<string, unknown>)[name];
      if (v === undefined) continue;
      const q = parseQuantity(v as string);
      if (q && q.nano !== 0n) return false;
    }
  }
  return true;
}

function podTermTerms(terms: unknown): boolean {
  if (!Array.isArray(terms)) return false;
  return terms.some((t: KubeObject) => {
    const term = (t.podAffinityTerm ?? t) as KubeObject;
    return (Array.isArray(term.namespaces) && term.namespaces.length > 0) || term.namespaceSelector != null;
  });
}

function usesCrossNamespaceAffinity(pod: KubeObject): boolean {
  const aff = pod.spec?.affinity;
  if (!aff) return false;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = aff[kind];
    if (!a) continue;
    if (podTermTerms(a.requiredDuringSchedulingIgnoredDuringExecution)) return true;
    if (podTermTerms(a.preferredDuringSchedulingIgnoredDuringExecution)) return true;
  }
  return false;
}

/** A label requirement on a single key whose value may be absent (ScopedResourceSelectorRequirementsAsSelector). */
function selectorMatches(scope: ScopeRequirement, value: string | undefined): boolean {
  const values = scope.values ?? [];
  switch (scope.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/** QuotaV1Pod: terminal pods, and pods past their deletion grace period, no longer use compute. */
function usesCompute(pod: KubeObject, now: number, ignoreDeletion = false): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  if (ignoreDeletion) return true;
  const ts = pod.metadata?.deletionTimestamp;
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (typeof ts === 'string' && typeof grace === 'number' && now > Date.parse(ts) + grace * 1000) return false;
  return true;
}

class PodEvaluator implements Evaluator {
  readonly groupResource = { group: '', resource: 'pods' };
  handles(a: AdmissionAttributes): boolean {
    if (a.subresource === '') {
      if (a.operation === 'UPDATE' && a.object && a.oldObject && isTerminating(a.object) !== isTerminating(a.oldObject)) return true;
      return a.operation === 'CREATE';
    }
    return a.subresource === 'resize' && a.operation === 'UPDATE';
  }
  matchingResources(input: readonly string[]): string[] {
    const result = intersection(input, POD_RESOURCES);
    for (const name of input) {
      if (name.startsWith('hugepages-') || name.startsWith('requests.hugepages-')) result.push(name);
      if (!isNative(name) && name.startsWith('requests.')) result.push(name);
    }
    return result;
  }
  matchesScope(scope: ScopeRequirement, pod: KubeObject): boolean {
    switch (scope.scopeName) {
      case 'Terminating':
        return isTerminating(pod);
      case 'NotTerminating':
        return !isTerminating(pod);
      case 'BestEffort':
        return isBestEffort(pod);
      case 'NotBestEffort':
        return !isBestEffort(pod);
      case 'PriorityClass': {
        const pc =
          typeof pod.spec?.priorityClassName === 'string' && pod.spec.priorityClassName !== '' ? pod.spec.priorityClassName : undefined;
        if (scope.operator === 'Exists') return pc !== undefined;
        return selectorMatches(scope, pc);
      }
      case 'CrossNamespacePodAffinity':
        return usesCrossNamespaceAffinity(pod);
      default:
        return false;
    }
  }
  constraints(required: readonly string[], pod: KubeObject): string | undefined {
    // Pod-level resources satisfy every constraint.
    const podLevel = pod.spec?.resources;
    if (podLevel && (Object.keys(podLevel.requests ?? {}).length > 0 || Object.keys(podLevel.limits ?? {}).length > 0)) return undefined;
    const requiredSet = required.filter((n) => VALIDATION_SET.has(n));
    const missing = new Map<string, Set<string>>();
    const containers = [
      ...(Array.isArray(pod.spec?.containers) ? (pod.spec.containers as KubeObject[]) : []),
      ...(Array.isArray(pod.spec?.initContainers) ? (pod.spec.initContainers as KubeObject[]) : []),
    ];
    for (const c of containers) {
      const usage = podComputeUsage(parseResources(c.resources?.requests), parseResources(c.resources?.limits));
      for (const name of requiredSet) {
        if (name in usage) continue;
        let set = missing.get(name);
        if (!set) missing.set(name, (set = new Set()));
        set.add(String(c.name));
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()].sort().map((name) => `${name} for: ${[...missing.get(name)!].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  }
  usage(pod: KubeObject, opts: { asCharged?: boolean } = {}): ResourceList {
    const result: ResourceList = { 'count/pods': one() };
    if (!usesCompute(pod, Date.now(), opts.asCharged)) return result;
    addInto(result, podComputeUsage(podRequests(pod, { overhead: true }), podLimits(pod, { overhead: true })));
    return result;
  }
}

function parseResources(list: unknown): ResourceList {
  const out: ResourceList = {};
  if (!list || typeof list !== 'object') return out;
  for (const [name, v] of Object.entries(list as Record<string, unknown>)) {
    const q = parseQuantity(v as string);
    if (q) out[name] = q;
  }
  return out;
}

// ---- services ----

const SERVICE_RESOURCES = ['count/services', 'services', 'services.nodeports', 'services.loadbalancers'];

class ServiceEvaluator implements Evaluator {
  readonly groupResource = { group: '', resource: 'services' };
  handles(a: AdmissionAttributes): boolean {
    return a.subresource === '' && (a.operation === 'CREATE' || a.operation === 'UPDATE');
  }
  matchingResources(input: readonly string[]): string[] {
    return intersection(input, SERVICE_RESOURCES);
  }
  matchesScope(): boolean {
    return false;
  }
  constraints(): undefined {
    return undefined;
  }
  usage(svc: KubeObject): ResourceList {
    const ports = Array.isArray(svc.spec?.ports) ? (svc.spec.ports as KubeObject[]) : [];
    const result: ResourceList = {
      'count/services': one(),
      services: one(),
      'services.loadbalancers': quantity(0),
      'services.nodeports': quantity(0),
    };
    if (svc.spec?.type === 'NodePort') result['services.nodeports'] = quantity(ports.length);
    if (svc.spec?.type === 'LoadBalancer') {
      const withNodePorts = svc.spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length;
      result['services.nodeports'] = quantity(withNodePorts);
      result['services.loadbalancers'] = one();
    }
    return result;
  }
}

// ---- persistent volume claims ----

const PVC_RESOURCES = ['persistentvolumeclaims', 'requests.storage'];
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

/** storagehelpers.GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName. */
function claimClass(pvc: KubeObject): string {
  const annotated = pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (typeof annotated === 'string') return annotated;
  return typeof pvc.spec?.storageClassName === 'string' ? pvc.spec.storageClassName : '';
}

/** Quantity.RoundUp(0): up to a whole number. */
function roundUpToWhole(q: Quantity): Quantity {
  const rest = q.nano % 1_000_000_000n;
  if (rest === 0n) return q;
  return { nano: q.nano - rest + (q.nano > 0n ? 1_000_000_000n : 0n), format: q.format };
}

class ClaimEvaluator implements Evaluator {
  readonly groupResource = { group: '', resource: 'persistentvolumeclaims' };
  handles(a: AdmissionAttributes): boolean {
    if (a.subresource === '') return a.operation === 'CREATE' || a.operation === 'UPDATE';
    // A status write that records a larger allocation needs its quota replenished (RequiresQuotaReplenish).
    return false;
  }
  matchingResources(input: readonly string[]): string[] {
    return input.filter(
      (name) =>
        name === 'count/persistentvolumeclaims' ||
        PVC_RESOURCES.includes(name) ||
        PVC_RESOURCES.some((r) => name.endsWith(STORAGE_CLASS_SUFFIX + r)),
    );
  }
  matchesScope(scope: ScopeRequirement, pvc: KubeObject): boolean {
    // VolumeAttributesClass (on in v1.34): the claim's class, spec or status.
    if (scope.scopeName !== 'VolumeAttributesClass') return false;
    const classes = [pvc.spec?.volumeAttributesClassName, pvc.status?.currentVolumeAttributesClassName].filter(
      (c): c is string => typeof c === 'string' && c !== '',
    );
    if (scope.operator === 'Exists') return classes.length > 0;
    if (scope.operator === 'DoesNotExist') return classes.length === 0;
    if (classes.length === 0) return selectorMatches(scope, undefined);
    return classes.some((c) => selectorMatches(scope, c));
  }
  constraints(): undefined {
    return undefined;
  }
  usage(pvc: KubeObject): ResourceList {
    const result: ResourceList = { persistentvolumeclaims: one(), 'count/persistentvolumeclaims': one() };
    const cls = claimClass(pvc);
    if (cls) result[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = one();
    const requested = parseResources(pvc.spec?.resources?.requests).storage;
    if (requested) {
      let storage = roundUpToWhole(requested);
      const allocated = parseResources(pvc.status?.allocatedResources).storage;
      if (allocated && allocated.nano > storage.nano) storage = roundUpToWhole(allocated);
      result['requests.storage'] = storage;
      if (cls) result[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = storage;
    }
    return result;
  }
}

// ---- the registry ----

const LEGACY_ALIASES: Record<string, string> = {
  configmaps: 'configmaps',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
  secrets: 'secrets',
};

const CORE: Record<string, Evaluator> = {
  pods: new PodEvaluator(),
  services: new ServiceEvaluator(),
  persistentvolumeclaims: new ClaimEvaluator(),
};

const generic = new Map<string, Evaluator>();

/** The evaluator of a group/resource: a core one, else an object count (with the legacy alias where kube has one). */
export function evaluatorFor(gr: GroupResource): Evaluator {
  if (gr.group === '' && CORE[gr.resource]) return CORE[gr.resource];
  const key = `${gr.resource}.${gr.group}`;
  let ev = generic.get(key);
  if (!ev) {
    ev = new ObjectCountEvaluator(gr, gr.group === '' ? LEGACY_ALIASES[gr.resource] : undefined);
    generic.set(key, ev);
  }
  return ev;
}

/** The group/resources whose evaluators track any of a quota's hard resource names (for computing its usage). */
export function groupResourcesFor(hardNames: readonly string[]): GroupResource[] {
  const out = new Map<string, GroupResource>();
  for (const ev of Object.values(CORE))
    if (ev.matchingResources(hardNames).length > 0) out.set(`${ev.groupResource.resource}.`, ev.groupResource);
  for (const name of hardNames) {
    const gr = groupResourceOfCount(name) ?? (LEGACY_ALIASES[name] ? { group: '', resource: name } : undefined);
    if (gr) out.set(`${gr.resource}.${gr.group}`, gr);
  }
  return [...out.values()];
}
