// Kube's OpenAPI definition names (io.k8s.api.core.v1.Pod) for @kubernetes/client-node model classes (V1Pod).
// The models drop the Go package a type lives in, so it is recovered here: from the group prefix openapi-generator
// adds on clashing names (CoreV1Event), from the list of apimachinery types below, else from the API groups whose
// kinds reach the model (a type shared with the core group lives in core, as PodTemplateSpec does).
import type { AttributeType, Model } from './client-node-models.js';
import type { KindRef } from './kind-list.js';

/**
 * Types of k8s.io/apimachinery pkg/apis/meta/v1 that client-node ships as models (io.k8s.apimachinery.pkg.apis.meta.v1.*
 * in kube's OpenAPI; staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go).
 */
const META_V1_TYPES = new Set([
  'APIGroup',
  'APIGroupList',
  'APIResource',
  'APIResourceList',
  'APIVersions',
  'Condition',
  'DeleteOptions',
  'GroupVersionForDiscovery',
  'LabelSelector',
  'LabelSelectorRequirement',
  'ListMeta',
  'ManagedFieldsEntry',
  'ObjectMeta',
  'OwnerReference',
  'Preconditions',
  'ServerAddressByClientCIDR',
  'Status',
  'StatusCause',
  'StatusDetails',
  'WatchEvent',
]);

/**
 * core/v1 types that no core kind reaches, so reachability alone would place them in the group using them
 * (staging/src/k8s.io/api/core/v1/types.go; StorageClass.allowedTopologies is []v1.TopologySelectorTerm).
 */
const CORE_TYPES_USED_ELSEWHERE = new Set(['V1TopologySelectorTerm', 'V1TopologySelectorLabelRequirement']);

/** Groups whose Go types live outside k8s.io/api (apiextensions-apiserver and kube-aggregator). */
const PACKAGE_OF_GROUP: Record<string, string> = {
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
};

/** Types kube's OpenAPI names although client-node flattens them into scalars (see client-node-models parseType). */
export const SCALAR_DEFINITIONS = {
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  intOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  time: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  microTime: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  rawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
} as const;

export interface DefinitionName {
  /** io.k8s.api.core.v1.Pod */
  name: string;
  /** The API group the Go package belongs to ("" for core; "meta" for apimachinery meta/v1). */
  group: string;
  version: string;
  /** The Go type name: Pod. */
  goType: string;
}

const MODEL_NAME = /^((?:[A-Z][a-z]+)*?)(V[0-9]+(?:(?:alpha|beta)[0-9]+)?)([A-Z].*)$/;

function packageOf(group: string, version: string): string {
  if (group === 'meta') return `io.k8s.apimachinery.pkg.apis.meta.${version}`;
  const base = PACKAGE_OF_GROUP[group];
  if (base !== undefined) return `${base}.${version}`;
  return `io.k8s.api.${group === '' ? 'core' : group.split('.')[0]}.${version}`;
}

function referencedModels(t: AttributeType): string[] {
  if (t.kind === 'model') return [t.name];
  if (t.kind === 'array' || t.kind === 'map') return referencedModels(t.of);
  return [];
}

/**
 * Names every model of `models`: `kinds` are the top-level kinds (each with its model class), whose groups decide
 * where the types they reach live. Throws when a model's package is ambiguous, so a wrong guess never ships.
 */
export function definitionNames(
  kinds: readonly (KindRef & { model: string })[],
  models: ReadonlyMap<string, Model>,
): Map<string, DefinitionName> {
  const groupOfLabel = new Map<string, string>([['core', '']]);
  for (const k of kinds) if (k.group !== '') groupOfLabel.set(k.group.split('.')[0], k.group);

  const reachingGroups = new Map<string, Set<string>>();
  for (const k of kinds) {
    const stack = [k.model];
    while (stack.length > 0) {
      const name = stack.pop()!;
      const groups = reachingGroups.get(name) ?? new Set<string>();
      if (groups.has(k.group)) continue;
      groups.add(k.group);
      reachingGroups.set(name, groups);
      const model = models.get(name);
      if (model !== undefined) for (const a of model.attributes) stack.push(...referencedModels(a.type));
    }
  }

  const out = new Map<string, DefinitionName>();
  for (const name of models.keys()) {
    const m = MODEL_NAME.exec(name);
    if (m === null) throw new Error(`cannot split model name ${name} into group, version and type`);
    const [, prefix, rawVersion, goType] = m;
    const version = rawVersion.toLowerCase();
    let group: string | undefined;
    if (prefix !== '') {
      group = groupOfLabel.get(prefix.toLowerCase());
      if (group === undefined) throw new Error(`model ${name}: no served group has the DNS label ${prefix.toLowerCase()}`);
    } else if (CORE_TYPES_USED_ELSEWHERE.has(name)) {
      group = '';
    } else if (META_V1_TYPES.has(goType) && version === 'v1') {
      group = 'meta';
    } else {
      const groups = reachingGroups.get(name) ?? new Set<string>();
      if (groups.has('')) group = '';
      else if (groups.size === 1) group = [...groups][0];
      else throw new Error(`model ${name} is reached from groups ${[...groups].join(', ') || '(none)'}: its package is ambiguous`);
    }
    out.set(name, { name: `${packageOf(group, version)}.${goType}`, group, version, goType });
  }
  return out;
}
