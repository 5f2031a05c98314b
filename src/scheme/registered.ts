// What kube-apiserver's scheme knows beyond what it serves, for decoding a body of another group/version/kind
// the way its decoder answers it (pkg/api/legacyscheme and each group's install package, v1.34): the versions
// each built-in group registers, served or not, and the Go package of each group's internal types, which
// conversion errors name ("converting (v1.Pod) to (apps.Deployment): unknown conversion").
//
// Approximation, noted: a group's kinds are taken to exist in every version it registers (apps/v1beta1 had no
// DaemonSet, for instance); such a body then gets the conversion or version-mismatch answer instead of
// "no kind is registered".
import type { ResourceInfo } from './types.js';

/** Versions each group registers in kube-apiserver's scheme. */
const REGISTERED_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '': ['v1'],
  apps: ['v1', 'v1beta2', 'v1beta1'],
  batch: ['v1', 'v1beta1'],
  autoscaling: ['v1', 'v2', 'v2beta1', 'v2beta2'],
  extensions: ['v1beta1'],
  'networking.k8s.io': ['v1', 'v1beta1', 'v1alpha1'],
  policy: ['v1', 'v1beta1'],
  'rbac.authorization.k8s.io': ['v1', 'v1beta1', 'v1alpha1'],
  'storage.k8s.io': ['v1', 'v1beta1', 'v1alpha1'],
  'coordination.k8s.io': ['v1', 'v1beta1', 'v1alpha2'],
  'discovery.k8s.io': ['v1', 'v1beta1'],
  'events.k8s.io': ['v1', 'v1beta1'],
  'scheduling.k8s.io': ['v1', 'v1beta1', 'v1alpha1'],
  'admissionregistration.k8s.io': ['v1', 'v1beta1', 'v1alpha1'],
  'certificates.k8s.io': ['v1', 'v1beta1', 'v1alpha1'],
  'flowcontrol.apiserver.k8s.io': ['v1', 'v1beta3', 'v1beta2', 'v1beta1'],
  'node.k8s.io': ['v1', 'v1beta1', 'v1alpha1'],
  'resource.k8s.io': ['v1', 'v1beta2', 'v1beta1', 'v1alpha3'],
  'apiextensions.k8s.io': ['v1', 'v1beta1'],
  'apiregistration.k8s.io': ['v1', 'v1beta1'],
  'authentication.k8s.io': ['v1', 'v1beta1', 'v1alpha1'],
  'authorization.k8s.io': ['v1', 'v1beta1'],
};

/** The internal Go package of a group's types (pkg/apis/<package>). */
function internalPackage(group: string): string {
  if (group === '' || group === 'events.k8s.io') return 'core';
  if (group === 'rbac.authorization.k8s.io') return 'rbac';
  if (group === 'flowcontrol.apiserver.k8s.io') return 'flowcontrol';
  return group.split('.')[0];
}

/** extensions/v1beta1 kinds whose internal types live in another group. */
const EXTENSIONS_HOME: Readonly<Record<string, string>> = {
  Deployment: 'apps',
  DaemonSet: 'apps',
  ReplicaSet: 'apps',
  Ingress: 'networking.k8s.io',
  NetworkPolicy: 'networking.k8s.io',
};

export interface DecodedKind {
  group: string;
  version: string;
  kind: string;
}

/**
 * Whether kube's scheme would decode this group/version/kind at all: the group registers the version and has
 * the kind (in the served kinds' table).
 */
export function isRegistered(gvk: DecodedKind, served: readonly ResourceInfo[]): boolean {
  if (!(REGISTERED_VERSIONS[gvk.group] ?? []).includes(gvk.version)) return false;
  const home = gvk.group === 'extensions' ? EXTENSIONS_HOME[gvk.kind] : gvk.group;
  if (home === undefined) return false;
  return served.some((r) => (r.group === home || (gvk.group === 'events.k8s.io' && r.group === '')) && r.kind === gvk.kind);
}

/** `apps.Deployment`: the internal type a body of this kind decodes into. */
export function internalTypeName(gvk: { group: string; kind: string }): string {
  const home = gvk.group === 'extensions' ? (EXTENSIONS_HOME[gvk.kind] ?? gvk.group) : gvk.group;
  return `${internalPackage(home)}.${gvk.kind}`;
}
