// What a kind does, declared in one place (k8s.io/apiserver/pkg/registry/rest: RESTCreateStrategy,
// RESTUpdateStrategy, RESTDeleteStrategy, plus what each kind's storage.go wires beside its strategy: field
// labels, the table convertor, ReturnDeletedObject). A kind is one `defineStrategy({...})` literal in
// src/registry/strategies/<group>.ts; whatever it leaves out gets the generic behaviour below.
import type { FieldError } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/meta.js';
import { generateName as simpleNameGenerator } from '../apimachinery/names.js';
import { deepEqual } from '../apimachinery/objects.js';
import type { UserInfo } from '../apimachinery/user.js';
import type { ResourceInfo } from '../scheme/index.js';
import type { Printer } from './printers/types.js';

export type NameValidation = 'subdomain' | 'label' | 'rfc1035-label' | 'path-segment';

/** Reads one field-selector value from an object ("" when absent; booleans as "true"/"false"). */
export type FieldGetter = (obj: KubeObject) => string;

/** Fills kube's defaults into an object of the served version, in place (SetObjectDefaults_<Kind>). */
export type Defaulter = (obj: any) => void;

/** What PrepareForCreate may read of the request (kube's request context). */
export interface RequestContext {
  user?: UserInfo;
}

export interface StrategyOptions {
  /** --event-ttl in seconds. */
  eventTTLSeconds: number;
}

/** One kind's literal: every member is optional except the resource it describes. */
export interface StrategyDefinition {
  /** `group/resource` (`/pods` for the core group): every served version of it shares the literal. */
  resource: string;
  /** How metadata.name is validated (DNS-1123 subdomain when absent). */
  nameValidation?: NameValidation;
  /** PUT on a missing object creates it (AllowCreateOnUpdate). */
  allowCreateOnUpdate?: boolean;
  /** The strategy's NameGenerator for metadata.generateName; absent: the base and five random characters. */
  generateName?: (base: string) => string;
  /** A PUT without metadata.resourceVersion overwrites (AllowUnconditionalUpdate); default true. */
  allowUnconditionalUpdate?: boolean;
  /** A finished DELETE answers with the object rather than a Status (the store's ReturnDeletedObject). */
  returnsDeletedObject?: boolean;
  /** Defaults per served version (`v1`, `v2`), or one defaulter for every version. */
  defaults?: Defaulter | Readonly<Record<string, Defaulter>>;
  /** Field-selector labels beyond metadata.name and metadata.namespace (GetAttrs / ToSelectableFields). */
  fieldLabels?: Readonly<Record<string, FieldGetter>>;
  /** Legacy field labels the kind's conversion renames (Pods' spec.host → spec.nodeName). */
  fieldLabelRenames?: Readonly<Record<string, string>>;
  /** Server-side Table printing (the kind's print handler); absent: Name and Created At. */
  printer?: Printer;
  /**
   * The status a new object starts with: PrepareForCreate's `Status = XStatus{...}`, written as Go encodes that
   * struct (fields without omitempty appear as zeros). Absent: `{}`, the empty struct. 'client': the creator's
   * status is kept (nodes, whose kubelet registers them with their status).
   */
  initialStatus?: ((obj: KubeObject) => Record<string, unknown>) | 'client';
  /** Mutates a new object after the generic preparation (initial status, generation 1). */
  prepareForCreate?(obj: KubeObject, info: ResourceInfo, request: RequestContext): void;
  /** Mutates an update after the generic preparation (status kept, generation bumped on spec changes). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, info: ResourceInfo): void;
  /** Replaces the generic /status preparation (everything but status kept from the stored object). */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Other writable subresources (namespaces/finalize); absent means no other subresource is writable. */
  prepareForSubresourceUpdate?(subresource: string, obj: KubeObject, old: KubeObject): void;
  /** The kind's own validation (ValidateX), after the schema's required/enum checks. */
  validate?(obj: KubeObject, info: ResourceInfo): FieldError[];
  /** The kind's update rules (ValidateXUpdate); absent means `validate` of the new object. */
  validateUpdate?(obj: KubeObject, old: KubeObject, info: ResourceInfo): FieldError[];
  /** The /status strategy's rules (ValidateXStatusUpdate); absent means `validateUpdate`. */
  validateStatusUpdate?(obj: KubeObject, old: KubeObject, info: ResourceInfo): FieldError[];
  /** Another writable subresource's rules (namespaces/finalize); absent means `validateUpdate`. */
  validateSubresourceUpdate?(subresource: string, obj: KubeObject, old: KubeObject, info: ResourceInfo): FieldError[];
  /**
   * The kind's validation is kube's whole ValidateX, checked against kube-apiserver: the schema's generic
   * required/enum errors (taken before defaulting, worded differently) are left out.
   */
  replacesSchemaChecks?: boolean;
  /** The group kube names in this kind's 422s when it differs from the served one (its internal type's group). */
  errorGroup?: string;
  /**
   * False when the kind's create validation checks no ObjectMeta (core/v1 Events): kube's generic ObjectMeta check
   * then runs only once the kind's own validation has passed. Default true.
   */
  checksObjectMeta?: boolean;
  /**
   * `validate` reports the ObjectMeta errors of a create itself, where kube's ValidateX has them (events.k8s.io
   * Events: after the legacy rules); the store's own ObjectMeta check is then left out.
   */
  validatesObjectMeta?: boolean;
  /** Whether DELETE only marks the object; `finalizers` are its own plus those the propagation policy adds. */
  deletesGracefully?(obj: KubeObject, finalizers: string[]): boolean;
  /** Changes to an object being marked for deletion (a namespace turns Terminating). */
  prepareForGracefulDeletion?(obj: KubeObject): void;
  /** Whether an update leaves a terminating object with nothing holding it, so it is deleted instead. */
  readyToDelete?(obj: KubeObject): boolean;
  /**
   * Why a DELETE of this one name is refused (403) before anything else, as a kind's REST.Delete override does
   * (the system PriorityClasses); DELETECOLLECTION does not ask, as kube's Store.DeleteCollection does not.
   */
  deleteRefusal?(name: string): string | undefined;
  /** etcd lease TTL for stored objects (events expire after --event-ttl). */
  leaseSeconds?(obj: KubeObject, opts: StrategyOptions): number | undefined;
}

/** A kind's literal resolved against one served resource: the store calls only this. */
export interface Strategy {
  readonly nameValidation: NameValidation;
  readonly allowCreateOnUpdate: boolean;
  /** See StrategyDefinition.generateName. */
  readonly generateName: (base: string) => string;
  /** PUT without metadata.resourceVersion overwrites (false for admission configuration kinds). */
  readonly allowUnconditionalUpdate: boolean;
  readonly returnsDeletedObject: boolean;
  /** See StrategyDefinition.replacesSchemaChecks. */
  readonly replacesSchemaChecks: boolean;
  /** See StrategyDefinition.validatesObjectMeta. */
  readonly validatesObjectMeta: boolean;
  /** See StrategyDefinition.errorGroup. */
  readonly errorGroup?: string;
  /** See StrategyDefinition.checksObjectMeta. */
  readonly checksObjectMeta: boolean;
  readonly fieldLabels: Readonly<Record<string, FieldGetter>>;
  readonly fieldLabelRenames?: Readonly<Record<string, string>>;
  readonly printer?: Printer;
  defaults(obj: KubeObject): void;
  prepareForCreate(obj: KubeObject, request?: RequestContext): void;
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  prepareForStatusUpdate(obj: KubeObject, old: KubeObject): void;
  prepareForSubresourceUpdate?(subresource: string, obj: KubeObject, old: KubeObject): void;
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** The rules of an update through a subresource ('status', 'finalize', ...). */
  validateSubresourceUpdate(subresource: string, obj: KubeObject, old: KubeObject): FieldError[];
  deletesGracefully(obj: KubeObject, finalizers: string[]): boolean;
  prepareForGracefulDeletion?(obj: KubeObject): void;
  readyToDelete(obj: KubeObject): boolean;
  deleteRefusal?(name: string): string | undefined;
  leaseSeconds(obj: KubeObject): number | undefined;
}

/** Declares a kind (identity function: it types the literal and keeps it in one place). */
export function defineStrategy(def: StrategyDefinition): StrategyDefinition {
  return def;
}

/** The strategy of one served resource from its kind's literal (or the generic one when `def` is undefined). */
export function resolveStrategy(info: ResourceInfo, def: StrategyDefinition | undefined, opts: StrategyOptions): Strategy {
  const d: StrategyDefinition = def ?? { resource: `${info.group}/${info.resource}` };
  const defaulter = typeof d.defaults === 'function' ? d.defaults : d.defaults?.[info.version];
  const strategy: Strategy = {
    nameValidation: d.nameValidation ?? 'subdomain',
    allowCreateOnUpdate: d.allowCreateOnUpdate ?? false,
    generateName: d.generateName ?? simpleNameGenerator,
    allowUnconditionalUpdate: d.allowUnconditionalUpdate ?? true,
    returnsDeletedObject: d.returnsDeletedObject ?? false,
    replacesSchemaChecks: d.replacesSchemaChecks ?? false,
    validatesObjectMeta: d.validatesObjectMeta ?? false,
    errorGroup: d.errorGroup,
    checksObjectMeta: d.checksObjectMeta ?? true,
    fieldLabels: d.fieldLabels ?? {},
    fieldLabelRenames: d.fieldLabelRenames,
    printer: d.printer,
    defaults: (obj) => defaulter?.(obj),
    prepareForCreate(obj, request = {}) {
      genericPrepareForCreate(info, obj, d.initialStatus);
      d.prepareForCreate?.(obj, info, request);
    },
    prepareForUpdate(obj, old) {
      genericPrepareForUpdate(info, obj, old);
      d.prepareForUpdate?.(obj, old, info);
    },
    prepareForStatusUpdate: d.prepareForStatusUpdate ?? genericPrepareForStatusUpdate,
    prepareForSubresourceUpdate: d.prepareForSubresourceUpdate,
    validate: (obj) => d.validate?.(obj, info) ?? [],
    validateUpdate: (obj, old) => (d.validateUpdate ? d.validateUpdate(obj, old, info) : (d.validate?.(obj, info) ?? [])),
    validateSubresourceUpdate(subresource, obj, old) {
      if (subresource === 'status' && d.validateStatusUpdate) return d.validateStatusUpdate(obj, old, info);
      if (subresource !== 'status' && d.validateSubresourceUpdate) return d.validateSubresourceUpdate(subresource, obj, old, info);
      return strategy.validateUpdate(obj, old);
    },
    deletesGracefully: d.deletesGracefully ?? ((_obj, finalizers) => finalizers.length > 0),
    prepareForGracefulDeletion: d.prepareForGracefulDeletion,
    readyToDelete: d.readyToDelete ?? genericReadyToDelete,
    deleteRefusal: d.deleteRefusal,
    leaseSeconds: (obj) => d.leaseSeconds?.(obj, opts),
  };
  return strategy;
}

/**
 * Status is written by controllers through /status, so a create starts from the kind's initial status whatever
 * the client sent (kube assigns the zero struct, which Go writes as `{}`); generation starts at 1.
 */
export function genericPrepareForCreate(info: ResourceInfo, obj: KubeObject, initialStatus?: StrategyDefinition['initialStatus']): void {
  if (info.hasStatus && initialStatus !== 'client') obj.status = initialStatus ? initialStatus(obj) : {};
  if (info.tracksGeneration) obj.metadata!.generation = 1;
}

/** A main-resource update keeps the stored status and bumps generation when the spec changed. */
export function genericPrepareForUpdate(info: ResourceInfo, obj: KubeObject, old: KubeObject): void {
  if (info.hasStatus) {
    if (old.status === undefined) delete obj.status;
    else obj.status = old.status;
  }
  if (info.tracksGeneration) {
    const oldGeneration = old.metadata?.generation ?? 0;
    obj.metadata!.generation = deepEqual(obj.spec, old.spec) ? oldGeneration : oldGeneration + 1;
  } else if (old.metadata?.generation !== undefined) {
    obj.metadata!.generation = old.metadata.generation;
  } else {
    // BeforeUpdate: requests cannot update generation.
    delete obj.metadata!.generation;
  }
}

/** A /status write changes status only: everything else, spec-level metadata included, comes from the stored object. */
export function genericPrepareForStatusUpdate(obj: KubeObject, old: KubeObject): void {
  const status = obj.status;
  for (const k of Object.keys(obj)) if (k !== 'metadata') delete obj[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'metadata' && k !== 'status') obj[k] = v;
  if (status !== undefined) obj.status = status;
  const meta = obj.metadata!;
  const oldMeta = old.metadata ?? {};
  for (const k of ['labels', 'annotations', 'ownerReferences', 'finalizers', 'generation'] as const) {
    if (oldMeta[k] === undefined) delete meta[k];
    else meta[k] = oldMeta[k];
  }
}

/** A terminating object goes once its last finalizer is removed. */
export function genericReadyToDelete(obj: KubeObject): boolean {
  const meta = obj.metadata ?? {};
  return Boolean(meta.deletionTimestamp) && (!meta.finalizers || meta.finalizers.length === 0);
}
