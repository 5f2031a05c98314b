// The shape of one served resource. Routing, discovery, storage keys and validation all read this.

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceInfo {
  name: string;
  verbs: string[];
  /** Set when the subresource speaks another kind (scale → autoscaling/v1 Scale). */
  kind?: GroupVersionKind;
  /**
   * The subresource's REST names no group and version for its kind (no GroupVersionKindProvider, as pods/binding's
   * BindingREST): discovery lists the kind alone.
   */
  kindWithoutVersion?: boolean;
}

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  priority: number;
  description: string;
}

export interface KindFacts {
  group: string;
  version: string;
  kind: string;
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
  /** Full etcd prefix under the default `/registry`, e.g. `/registry/services/specs`. */
  etcdPrefix: string;
  /** Field selector labels beyond metadata.name / metadata.namespace. */
  fieldSelectors: string[];
  columns: TableColumn[];
}

export interface ResourceInfo extends KindFacts {
  /** `v1` or `apps/v1`. */
  groupVersion: string;
  listKind: string;
  /** The key prefix relative to --etcd-prefix, e.g. `services/specs` (no slashes at either end). */
  storagePrefix: string;
  /** The group/version whose JSON shape is stored in etcd (events.k8s.io events are stored as core v1 Event). */
  storageVersion: GroupVersionKind;
  hasStatus: boolean;
  /** Kubernetes only bumps metadata.generation for kinds with a spec it tracks. */
  tracksGeneration: boolean;
  /** False for create-only resources answered by a handler (the review APIs): no etcd key, no watch cache. */
  stored: boolean;
}
