// The table of served kinds. Routing, discovery, storage keys and field selectors are all derived from it.
// Facts come from kinds-v1.34.json (a transcription of the v1.34 fact sheet); what kgate serves is chosen here.
import facts from './kinds-v1.34.json' with { type: 'json' };
import capturedColumns from './table-columns-v1.34.json' with { type: 'json' };
import type { GroupVersionKind, KindFacts, ResourceInfo, SubresourceInfo, TableColumn } from './types.js';

export type { GroupVersionKind, ResourceInfo } from './types.js';

/**
 * The one list of resources served by a handler instead of storage: kube's create-only REST (a rest.Creater and
 * nothing else, pkg/registry/authorization/* and pkg/registry/authentication/*). Nothing of theirs is kept in etcd;
 * GET on their collection is 405 and their object paths do not exist, as kube registers only the POST route.
 */
const NOT_STORED = new Set([
  'authentication.k8s.io/selfsubjectreviews',
  'authentication.k8s.io/tokenreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'authorization.k8s.io/subjectaccessreviews',
]);

/** Resources served today. Others in the fact sheet need behaviour kgate does not have yet (CRDs, webhooks, ...). */
const SERVED = new Set([
  'namespaces',
  'pods',
  'services',
  'endpoints',
  'configmaps',
  'secrets',
  'serviceaccounts',
  'nodes',
  'events',
  'persistentvolumes',
  'persistentvolumeclaims',
  'replicationcontrollers',
  'limitranges',
  'resourcequotas',
  'podtemplates',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'controllerrevisions',
  'jobs',
  'cronjobs',
  'horizontalpodautoscalers',
  'ingresses',
  'ingressclasses',
  'networkpolicies',
  'poddisruptionbudgets',
  'roles',
  'rolebindings',
  'clusterroles',
  'clusterrolebindings',
  'storageclasses',
  'leases',
  'endpointslices',
  'priorityclasses',
  'runtimeclasses',
  'ipaddresses',
  'servicecidrs',
  ...[...NOT_STORED].map((gr) => gr.slice(gr.indexOf('/') + 1)),
  'certificatesigningrequests',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
]);

/** Subresources with behaviour behind them (token: ServiceAccount TokenRequest; binding: a pod's node); the others (log, exec, proxy, ...) need a kubelet. */
/** Subresources whose REST has no GroupVersionKindProvider (discovery names their kind without group and version). */
const KIND_WITHOUT_VERSION = new Set(['pods/binding']);
const SERVED_SUBRESOURCES = new Set(['status', 'finalize', 'scale', 'approval', 'token', 'binding']);

/**
 * Kinds whose registry strategy sets metadata.generation = 1 on create and bumps it on spec changes
 * (each kind's PrepareForCreate/PrepareForUpdate in pkg/registry/<group>/<kind>/strategy.go).
 */
const TRACKS_GENERATION = new Set([
  'pods',
  'podtemplates',
  'replicationcontrollers',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  // HorizontalPodAutoscalers do not track generation (kube-apiserver v1.34.4 writes none).
  'ingresses',
  'ingressclasses',
  'networkpolicies',
  'poddisruptionbudgets',
  'endpointslices',
  'priorityclasses',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
]);

/**
 * Resources that several group/versions share in etcd, stored in one shape (kinds sheet §0.2):
 * events.k8s.io events are stored as core v1 Event, autoscaling/v1 HPAs as autoscaling/v2.
 */
const STORAGE_VERSION: Record<string, GroupVersionKind> = {
  'events.k8s.io/events': { group: '', version: 'v1', kind: 'Event' },
  '/events': { group: '', version: 'v1', kind: 'Event' },
  'autoscaling/horizontalpodautoscalers': { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' },
};

/** Preferred version per group when several are served (the first is preferred). */
const VERSION_ORDER: Record<string, string[]> = { autoscaling: ['v2', 'v1'] };

export interface APIGroupInfo {
  name: string;
  versions: string[];
  preferredVersion: string;
}

interface RawSubresource {
  name: string;
  verbs: string[];
  kind: string;
}
type RawFacts = Omit<KindFacts, 'subresources'> & { subresources: RawSubresource[] };

export class Scheme {
  readonly resources: readonly ResourceInfo[];
  private readonly byGVR = new Map<string, ResourceInfo>();
  private readonly byGVK = new Map<string, ResourceInfo>();
  private readonly groupList: APIGroupInfo[] = [];

  constructor(kinds: readonly ResourceInfo[]) {
    this.resources = kinds;
    const groups = new Map<string, string[]>();
    for (const r of kinds) {
      this.byGVR.set(gvrKey(r.group, r.version, r.resource), r);
      this.byGVK.set(gvkKey(r.group, r.version, r.kind), r);
      const versions = groups.get(r.group) ?? [];
      if (!versions.includes(r.version)) versions.push(r.version);
      groups.set(r.group, versions);
    }
    for (const [name, versions] of groups) {
      const order = VERSION_ORDER[name];
      if (order) versions.sort((a, b) => order.indexOf(a) - order.indexOf(b));
      this.groupList.push({ name, versions, preferredVersion: versions[0] });
    }
  }

  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.byGVR.get(gvrKey(group, version, resource));
  }

  lookupKind(group: string, version: string, kind: string): ResourceInfo | undefined {
    return this.byGVK.get(gvkKey(group, version, kind));
  }

  /** API groups in serving order; the core group is named ''. */
  groups(): readonly APIGroupInfo[] {
    return this.groupList;
  }

  group(name: string): APIGroupInfo | undefined {
    return this.groupList.find((g) => g.name === name);
  }

  resourcesIn(group: string, version: string): ResourceInfo[] {
    return this.resources.filter((r) => r.group === group && r.version === version);
  }
}

function gvrKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}
function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

function parseSubresourceKind(text: string): GroupVersionKind | undefined {
  if (text.startsWith('(same kind)')) return undefined;
  const m = /^(?:([a-z0-9.]+)\/)?(v[0-9a-z]+) ([A-Za-z]+)/.exec(text);
  if (!m) return undefined;
  return { group: m[1] ?? '', version: m[2], kind: m[3] };
}

/** The fact sheet annotates some labels ("spec.hostNetwork (\"true\"/\"false\")"); keep just the label. */
function fieldLabel(text: string): string {
  return text.split(' ')[0];
}

export function resourceInfoFromFacts(f: RawFacts): ResourceInfo {
  const subresources: SubresourceInfo[] = f.subresources
    .filter((s) => SERVED_SUBRESOURCES.has(s.name))
    .map((s) => {
      const kind = parseSubresourceKind(s.kind);
      if (!kind) return { name: s.name, verbs: s.verbs };
      return KIND_WITHOUT_VERSION.has(`${f.resource}/${s.name}`)
        ? { name: s.name, verbs: s.verbs, kind, kindWithoutVersion: true }
        : { name: s.name, verbs: s.verbs, kind };
    });
  const groupVersion = f.group === '' ? f.version : `${f.group}/${f.version}`;
  const storageVersion = STORAGE_VERSION[`${f.group}/${f.resource}`] ?? { group: f.group, version: f.version, kind: f.kind };
  return {
    group: f.group,
    version: f.version,
    kind: f.kind,
    resource: f.resource,
    singular: f.singular,
    namespaced: f.namespaced,
    shortNames: f.shortNames,
    categories: f.categories,
    verbs: f.verbs,
    subresources,
    etcdPrefix: f.etcdPrefix,
    fieldSelectors: f.fieldSelectors.map(fieldLabel),
    // kube's own column definitions where captured from the reference server (their descriptions are the
    // OpenAPI field docs kube's printers attach); the fact sheet's otherwise.
    columns: (capturedColumns.columns as Record<string, TableColumn[]>)[`${f.group}/${f.version}/${f.resource}`] ?? f.columns,
    groupVersion,
    listKind: `${f.kind}List`,
    storagePrefix: f.etcdPrefix.replace(/^\/registry\//, ''),
    storageVersion,
    hasStatus: subresources.some((s) => s.name === 'status'),
    tracksGeneration: TRACKS_GENERATION.has(f.resource),
    stored: !NOT_STORED.has(`${f.group}/${f.resource}`),
  };
}

export function builtinScheme(): Scheme {
  const kinds = (facts as unknown as RawFacts[]).filter((f) => SERVED.has(f.resource)).map(resourceInfoFromFacts);
  return new Scheme(kinds);
}
