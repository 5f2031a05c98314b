// Small cluster-level kinds: storage.k8s.io StorageClass, scheduling.k8s.io PriorityClass, discovery.k8s.io
// EndpointSlice (each group's v1 defaults.go).
import { defaultNil, items, type Json } from './json.js';

export function defaultStorageClass(storageClass: Json): void {
  defaultNil(storageClass, 'reclaimPolicy', 'Delete');
  defaultNil(storageClass, 'volumeBindingMode', 'Immediate');
}

export function defaultPriorityClass(priorityClass: Json): void {
  defaultNil(priorityClass, 'preemptionPolicy', 'PreemptLowerPriority');
}

/** Port names are pointers, so an unnamed port reads back as `name: ""`. */
export function defaultEndpointSlice(slice: Json): void {
  for (const port of items(slice, 'ports')) {
    defaultNil(port, 'name', '');
    defaultNil(port, 'protocol', 'TCP');
  }
}
