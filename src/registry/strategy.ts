// Per-kind behaviour the generic store defers to (k8s.io/apiserver/pkg/registry/rest: RESTCreateStrategy,
// RESTUpdateStrategy, RESTDeleteStrategy). The default strategy covers most kinds; kinds that deviate
// override single hooks in src/registry/strategies/.
import type { FieldError } from '../apimachinery/errors.js';
import { deepEqual } from '../apimachinery/objects.js';
import type { ResourceInfo } from '../scheme/index.js';
import type { KubeObject } from '../storage/interface.js';

export type NameValidation = 'subdomain' | 'label' | 'rfc1035-label' | 'path-segment';

export interface Strategy {
  /** How metadata.name is validated (DNS-1123 subdomain for most kinds). */
  nameValidation: NameValidation;
  /** PUT on a missing object creates it (endpoints, events, RBAC, leases). */
  allowCreateOnUpdate: boolean;
  /** PUT without metadata.resourceVersion overwrites (true for every built-in here). */
  readonly allowUnconditionalUpdate: boolean;
  /** Mutate a new object before validation (reset status, set generation, defaults). */
  prepareForCreate(obj: KubeObject): void;
  /** Mutate an updated object given the stored one (keep status on main writes, bump generation). */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** Same for writes through /status: keep everything but status. */
  prepareForStatusUpdate(obj: KubeObject, old: KubeObject): void;
  /** Other writable subresources (namespaces/finalize); absent means the subresource is not writable. */
  prepareForSubresourceUpdate?(subresource: string, obj: KubeObject, old: KubeObject): void;
  /** Whether an update leaves a terminating object with nothing holding it, so it is deleted instead. */
  readyToDelete(obj: KubeObject): boolean;
  /**
   * Whether DELETE only marks the object (deletionTimestamp) instead of removing it; `finalizers` are its
   * finalizers plus those the propagation policy adds.
   */
  deletesGracefully(obj: KubeObject, finalizers: string[]): boolean;
  /** Changes to an object being marked for deletion (a namespace turns Terminating). */
  prepareForGracefulDeletion?(obj: KubeObject): void;
  /** A finished DELETE answers with the object rather than a Status (the store's ReturnDeletedObject). */
  returnsDeletedObject: boolean;
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** etcd lease TTL for stored objects (events expire after --event-ttl). */
  leaseSeconds?(obj: KubeObject): number | undefined;
}

/** The generic behaviour most built-in kinds share. */
export class DefaultStrategy implements Strategy {
  nameValidation: NameValidation = 'subdomain';
  allowCreateOnUpdate = false;
  allowUnconditionalUpdate = true;
  returnsDeletedObject = false;

  constructor(protected readonly info: ResourceInfo) {}

  prepareForCreate(obj: KubeObject): void {
    if (this.info.hasStatus) {
      // Status is written by controllers through /status; a create starts from an empty status.
      delete obj.status;
    }
    if (this.info.tracksGeneration) obj.metadata!.generation = 1;
  }

  prepareForUpdate(obj: KubeObject, old: KubeObject): void {
    if (this.info.hasStatus) {
      if (old.status === undefined) delete obj.status;
      else obj.status = old.status;
    }
    if (this.info.tracksGeneration) {
      const oldGeneration = old.metadata?.generation ?? 0;
      obj.metadata!.generation = deepEqual(obj.spec, old.spec) ? oldGeneration : oldGeneration + 1;
    } else if (old.metadata?.generation !== undefined) {
      obj.metadata!.generation = old.metadata.generation;
    }
  }

  prepareForStatusUpdate(obj: KubeObject, old: KubeObject): void {
    const status = obj.status;
    for (const k of Object.keys(obj)) if (k !== 'metadata') delete obj[k];
    for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'status') obj[k] = v;
    if (status !== undefined) obj.status = status;
    // Status writers may not touch spec-level metadata either.
    const meta = obj.metadata!;
    const oldMeta = old.metadata ?? {};
    for (const k of ['labels', 'annotations', 'ownerReferences', 'finalizers', 'generation'] as const) {
      if (oldMeta[k] === undefined) delete meta[k];
      else meta[k] = oldMeta[k];
    }
  }

  prepareForSubresourceUpdate?(subresource: string, obj: KubeObject, old: KubeObject): void;
  prepareForGracefulDeletion?(obj: KubeObject): void;

  deletesGracefully(_obj: KubeObject, finalizers: string[]): boolean {
    return finalizers.length > 0;
  }

  readyToDelete(obj: KubeObject): boolean {
    const meta = obj.metadata ?? {};
    return Boolean(meta.deletionTimestamp) && (!meta.finalizers || meta.finalizers.length === 0);
  }

  leaseSeconds?(obj: KubeObject): number | undefined;

  validate(_obj: KubeObject): FieldError[] {
    return [];
  }

  validateUpdate(_obj: KubeObject, _old: KubeObject): FieldError[] {
    return [];
  }
}
