// Generic store semantics for one resource (k8s.io/apiserver/pkg/registry/generic/registry/store.go):
// metadata on create, optimistic concurrency on update, finalizers on delete, selectors and paging on list,
// and watch event filtering. Per-kind deviations come from the Strategy.
import { randomUUID } from 'node:crypto';
import {
  alreadyExists,
  conflict,
  generateNameConflict,
  invalid,
  notFound,
  OPTIMISTIC_LOCK_MESSAGE,
  StatusError,
  type FieldError,
  type GroupResource,
} from '../apimachinery/errors.js';
import { deepEqual, isObject } from '../apimachinery/objects.js';
import { formatTime } from '../apimachinery/time.js';
import type { UserInfo } from '../apimachinery/user.js';
import type { ResourceInfo } from '../scheme/index.js';
import {
  StorageError,
  type GuardedWrite,
  type KubeObject,
  type Storage,
  type StorageEvent,
  type WatchHandle,
} from '../storage/interface.js';
import { converter } from './conversion/index.js';
import { goEncoded, goMessageFor } from './gojson.js';
import { fieldSetFor, type FieldSet } from './fieldsets.js';
import { beforeCreate } from './rest/create.js';
import { beforeDelete, preconditionsHold } from './rest/delete.js';
import { beforeUpdate } from './rest/update.js';
import {
  interpretCreateError,
  interpretDeleteError,
  interpretGetError,
  interpretListError,
  interpretUpdateError,
  interpretWatchError,
} from './storage-errors.js';
import type { Strategy } from './strategy.js';

/** A compiled label + field selector pair; `undefined` members match everything. */
export interface ObjectFilter {
  labels?: { matches(labels: Record<string, string>): boolean };
  fields?: { matches(fields: Record<string, string>): boolean };
  /** When the field selector pins metadata.name, the single name. */
  name?: string;
}

export interface ListRequest {
  namespace: string;
  filter: ObjectFilter;
  limit?: number;
  /** Decoded continue token: the full etcd key to resume at (inclusive) and the revision to read at. */
  continueFrom?: { fromKey: string; revision: number };
  /** Read at exactly this revision (resourceVersionMatch=Exact, or a limited list with a resourceVersion). */
  exactRevision?: number;
  /** Whatever the watch cache holds now, without catching up with etcd first (an informer's lister). */
  allowStale?: boolean;
}

export interface ListResponse {
  items: KubeObject[];
  revision: number;
  /** Full etcd key of the last returned item, when more remain after it. */
  lastKey?: string;
  remainingItemCount?: number;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Errors the schema check found, reported in the same 422 as the registry's own. */
  schemaErrors?: FieldError[];
  /** The writer's field manager: its Update entry in managedFields is kept (server-side apply sets its own). */
  fieldManager?: string;
  /** The requesting user, for kinds whose PrepareForCreate records it (CertificateSigningRequests). */
  user?: UserInfo;
  /**
   * An update's UID precondition (a PUT body's metadata.uid, DefaultUpdatedObjectInfo.Preconditions): checked
   * against the stored object before anything else, as GuaranteedUpdate does.
   */
  uid?: string;
  /**
   * The new object is the stored one changed (PATCH, apply): in kube it still carries the stored resourceVersion, so
   * kinds that refuse unconditional updates (AllowUnconditionalUpdate false) accept it.
   */
  fromCurrent?: boolean;
}

export interface WatchEventOut {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  revision: number;
}

export interface WatchRequest {
  namespace: string;
  filter: ObjectFilter;
  /** Deliver events after this revision; 0 means "from now". */
  afterRevision: number;
}

/**
 * Admission around the registry's own steps, in kube's order: `admit` (mutating admission) runs on the decoded,
 * defaulted object before the kind's preparation and validation; `validate` (validating admission) runs after them,
 * just before storage. A dry run goes through both.
 */
export interface AdmissionHook {
  /** Mutating admission: the object to go on with when admission changed it, else undefined. */
  admit(
    op: 'CREATE' | 'UPDATE' | 'DELETE',
    obj: KubeObject | undefined,
    old: KubeObject | undefined,
    dryRun: boolean,
  ): Promise<KubeObject | undefined>;
  validate(op: 'CREATE' | 'UPDATE' | 'DELETE', obj: KubeObject | undefined, old: KubeObject | undefined, dryRun: boolean): Promise<void>;
  /**
   * Writes admission makes in the same etcd txn as this one (ResourceQuota's charges), each guarded by its key's
   * revision. Asked before every attempt; `fresh` once a guard lost its race. Never for dry runs.
   */
  companions?(
    op: 'CREATE' | 'UPDATE' | 'DELETE',
    obj: KubeObject | undefined,
    old: KubeObject | undefined,
    fresh: boolean,
  ): Promise<GuardedWrite[]>;
}

/**
 * A kind's own steps around a write that need storage beyond the object's key (kube's BeginCreate, BeginUpdate and
 * AfterDelete hooks of the generic store; Services allocate ClusterIPs and NodePorts there). begin* run after
 * mutating admission and before the kind's preparation and validation; the finish callback they return hears whether
 * the write was stored, so what they took is kept or given back.
 */
export interface WriteHooks {
  beginCreate?(obj: KubeObject, ref: { namespace: string; name: string }, dryRun: boolean): Promise<(success: boolean) => Promise<void>>;
  beginUpdate?(
    obj: KubeObject,
    old: KubeObject,
    ref: { namespace: string; name: string },
    dryRun: boolean,
  ): Promise<(success: boolean) => Promise<void>>;
  afterDelete?(obj: KubeObject): Promise<void>;
}

const GENERATE_NAME_ATTEMPTS = 8;
// Rounds of companion writes (quota charges) that lost their race to another writer before the write gives up.
const COMPANION_ATTEMPTS = 100;

export class ResourceStore {
  readonly gr: GroupResource;
  /**
   * Work after a successful (not dry-run) create, before the client hears of it (kube's Store.AfterCreate). The
   * server sets it where a stand-in for a controller must act at once (a new namespace's `default` ServiceAccount).
   */
  afterCreate?: (created: KubeObject) => Promise<void>;
  readonly fieldSet: FieldSet;
  private readonly prefix: string;
  private readonly toStorageVersion: ((obj: KubeObject) => KubeObject) | undefined;
  private readonly fromStorageVersion: ((obj: KubeObject) => KubeObject) | undefined;
  private readonly goMessage: ReturnType<typeof goMessageFor>;
  /** Set by the server for kinds that allocate (Services). */
  writeHooks: WriteHooks | undefined;

  constructor(
    readonly info: ResourceInfo,
    private readonly storage: Storage,
    etcdPrefix: string,
    readonly strategy: Strategy,
  ) {
    this.gr = { group: info.group, resource: info.resource };
    this.fieldSet = fieldSetFor(info, strategy);
    this.prefix = `${etcdPrefix.replace(/\/+$/, '')}/${info.storagePrefix}/`;
    const served = { group: info.group, version: info.version, kind: info.kind };
    this.toStorageVersion = converter(served, info.storageVersion);
    this.fromStorageVersion = converter(info.storageVersion, served);
    this.goMessage = goMessageFor(info.groupVersion, info.kind);
  }

  /** An object of this resource as storage keeps it (storage version, Go layout), for writes that ride along others. */
  storageForm(obj: KubeObject): KubeObject {
    return this.toStorage(obj);
  }

  /** etcd key of one object. */
  key(namespace: string, name: string): string {
    return this.info.namespaced ? `${this.prefix}${namespace}/${name}` : `${this.prefix}${name}`;
  }

  /** etcd prefix of a list: all namespaces when namespace is ''. */
  listPrefix(namespace: string): string {
    return this.info.namespaced && namespace !== '' ? `${this.prefix}${namespace}/` : this.prefix;
  }

  /** Key relative to the resource prefix, as continue tokens carry it. */
  relativeKey(key: string): string {
    return key.slice(this.prefix.length);
  }

  // ---- reads ----

  /** `allowStale` reads what the watch cache has (resourceVersion=0); a miss is confirmed against etcd's state. */
  async get(namespace: string, name: string, opts: { allowStale?: boolean } = {}): Promise<KubeObject> {
    const key = this.key(namespace, name);
    let obj = await this.storageGet(key, name, opts);
    if (!obj && opts.allowStale) obj = await this.storageGet(key, name);
    if (!obj) throw notFound(this.gr, name);
    return this.fromStorage(obj);
  }

  async list(req: ListRequest): Promise<ListResponse> {
    const prefix = this.listPrefix(req.namespace);
    const limit = req.limit && req.limit > 0 ? req.limit : 0;
    let revision = req.continueFrom?.revision ?? req.exactRevision ?? 0;
    if (revision < 0) revision = 0; // an "inconsistent" continue token resumes at the latest revision
    const items: KubeObject[] = [];
    // Pages are read at one revision until `limit` matching items are found or the range is exhausted.
    let startAfterKey = req.continueFrom ? exclusiveStart(req.continueFrom.fromKey) : undefined;
    for (;;) {
      let page;
      try {
        page = await this.storage.list(prefix, { limit, startAfterKey, revision, allowStale: req.allowStale });
      } catch (e) {
        throw interpretListError(e, this.gr, {
          continueKey: req.continueFrom?.fromKey,
          keyPrefix: prefix,
          requestedRevision: req.exactRevision,
        });
      }
      revision = page.revision;
      for (let i = 0; i < page.items.length; i++) {
        const obj = this.fromStorage(page.items[i]);
        if (!this.matches(req.filter, obj)) continue;
        items.push(obj);
        if (limit > 0 && items.length === limit) {
          const more = i < page.items.length - 1 || page.lastKey !== undefined;
          if (!more) return { items, revision };
          const meta = obj.metadata ?? {};
          const out: ListResponse = { items, revision, lastKey: this.key(meta.namespace ?? '', meta.name ?? '') };
          if (page.remainingItemCount !== undefined && !req.filter.labels && !req.filter.fields) {
            out.remainingItemCount = page.remainingItemCount + (page.items.length - 1 - i);
          }
          return out;
        }
      }
      if (page.lastKey === undefined || limit === 0) break;
      startAfterKey = page.lastKey;
    }
    return { items, revision };
  }

  matches(filter: ObjectFilter, obj: KubeObject): boolean {
    if (filter.labels && !filter.labels.matches(obj.metadata?.labels ?? {})) return false;
    if (filter.fields && !filter.fields.matches(this.fieldSet.fieldsOf(obj))) return false;
    return true;
  }

  async currentRevision(): Promise<number> {
    try {
      return await this.storage.currentRevision();
    } catch (e) {
      throw interpretListError(e, this.gr);
    }
  }

  // ---- writes ----

  async create(obj: KubeObject, namespace: string, opts: WriteOptions, admit?: AdmissionHook): Promise<KubeObject> {
    const requestedRV: unknown = obj.metadata?.resourceVersion;
    // Defaulting happens as the body is decoded and managedFields are the handler's, both before BeforeCreate.
    this.strategy.defaults(obj);
    // managedFields are computed on the object as kube's typed decode leaves it: in Go's layout, where omitempty zeros
    // are gone and always-written fields present, compared with the empty object in that layout.
    const decoded = obj;
    obj = this.inGoLayout(obj);
    WRITTEN_AS_DECODED.set(obj, decoded);
    if (opts.fieldManager !== undefined) {
      (await managedFields()).trackUpdate(this.info, undefined, obj, {
        manager: opts.fieldManager,
        createBaseline: this.emptyInGoLayout(),
      });
    }
    if (admit) obj = await this.mutatingAdmission(admit, 'CREATE', obj, undefined, opts.dryRun === true);
    if (!this.writeHooks?.beginCreate) return this.createPrepared(obj, namespace, opts, requestedRV, this.strategy.generateName, admit);
    // kube's store names the object before BeginCreate, so what the hook records carries the generated name.
    const given = obj.metadata?.name;
    const base = obj.metadata?.generateName;
    const name = !given && typeof base === 'string' && base !== '' ? this.strategy.generateName(base) : String(given ?? '');
    const finish = await this.writeHooks.beginCreate(obj, { namespace, name }, opts.dryRun === true);
    let success = false;
    try {
      const created = await this.createPrepared(
        obj,
        namespace,
        opts,
        requestedRV,
        (b) => (b === base && name ? name : this.strategy.generateName(b)),
        admit,
      );
      success = true;
      return created;
    } finally {
      await finish(success);
    }
  }

  /** Create from BeforeCreate on: preparation, validation, validating admission, the etcd create. */
  private async createPrepared(
    obj: KubeObject,
    namespace: string,
    opts: WriteOptions,
    requestedRV: unknown,
    nameFor: (base: string) => string,
    admit?: AdmissionHook,
  ): Promise<KubeObject> {
    const { generatedName } = beforeCreate(
      {
        info: this.info,
        strategy: this.strategy,
        namespace,
        schemaErrors: opts.schemaErrors,
        uid: randomUUID(),
        now: formatTime(),
        generateName: nameFor,
        user: opts.user,
      },
      obj,
    );
    const meta = obj.metadata!;
    if (admit) await admit.validate('CREATE', obj, undefined, opts.dryRun === true);
    if (opts.dryRun) return this.inGoLayout({ ...obj, metadata: { ...meta } });
    // etcd3's Create refuses an object whose resourceVersion parses as a non-zero uint64 (a plain error: 500 without
    // a reason), after validation and admission; a dry run never gets there.
    if (
      typeof requestedRV === 'string' &&
      /^[0-9]{1,20}$/.test(requestedRV) &&
      BigInt(requestedRV) !== 0n &&
      BigInt(requestedRV) < 2n ** 64n
    ) {
      const err = new StatusError(500, '', 'resourceVersion should not be set on objects to be created');
      delete (err.status as { reason?: string }).reason;
      throw err;
    }

    for (let attempt = 1, lostRaces = 0; ; attempt++) {
      const key = this.key(namespace, meta.name);
      try {
        const stored = await withCompanions(
          this.storage,
          admit?.companions && ((fresh) => admit.companions!('CREATE', obj, undefined, fresh)),
          lostRaces > 0,
          (also) => this.storage.create(key, this.toStorage(obj), { ...this.leaseFor(obj), also }),
        );
        const created = this.fromStorage(stored);
        if (this.afterCreate) await this.afterCreate(created);
        return created;
      } catch (e) {
        // A companion write (a quota charge) lost its race: ask again on etcd's state.
        if (companionLost(e, key) && ++lostRaces < COMPANION_ATTEMPTS) continue;
        if (e instanceof StorageError && e.code === 'KeyExists') {
          if (!generatedName) throw alreadyExists(this.gr, meta.name);
          // CheckGeneratedNameError: the server picked a taken name; try a few more before giving up.
          if (attempt >= GENERATE_NAME_ATTEMPTS) throw generateNameConflict(this.gr, meta.name, 1);
          meta.name = this.strategy.generateName(meta.generateName);
          continue;
        }
        throw interpretCreateError(e, this.gr, meta.name);
      }
    }
  }

  /**
   * Update by read-modify-write (GuaranteedUpdate): `mutate` turns the current object into the new one.
   * A resourceVersion in the new object is a precondition (409 on mismatch); without one the write is
   * unconditional and retried on races.
   */
  async update(
    namespace: string,
    name: string,
    mutate: (current: KubeObject | undefined) => KubeObject,
    opts: WriteOptions & { subresource?: string },
    admit?: AdmissionHook,
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(namespace, name);
    // The first read may come from the watch cache and be a little behind; anything that looks like a
    // conflict or a miss is checked against a consistent read before it is reported (GuaranteedUpdate's
    // "origStateIsCurrent").
    let fresh = false;
    let lostRaces = 0;
    let waited = false;
    for (;;) {
      const currentRaw = await this.storageGet(key, name, { allowStale: !fresh });
      const current = currentRaw ? this.fromStorage(currentRaw) : undefined;
      // A miss in the cache may only mean it has not caught up with a write the client saw: confirm it against
      // etcd before the mutation sees "no object" (a PATCH right after its create would otherwise be a 404).
      if (current === undefined && !fresh) {
        fresh = true;
        continue;
      }
      if (opts.uid) {
        const currentUID = String(current?.metadata?.uid ?? '');
        if (opts.uid !== currentUID) {
          // A stale cached read is confirmed first; storage.Preconditions.Check's invalid-object error is a 409.
          if (!fresh) {
            fresh = true;
            continue;
          }
          throw conflict(
            this.gr,
            name,
            `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${opts.uid}, UID in object meta: ${currentUID}`,
          );
        }
      }
      let obj = mutate(current === undefined ? undefined : structuredClone(current));
      // Objects are defaulted on their way in; what kgate stored was defaulted when written.
      this.strategy.defaults(obj);
      const decoded = obj;
      obj = this.inGoLayout(obj);
      WRITTEN_AS_DECODED.set(obj, decoded);
      if (opts.fieldManager !== undefined && current !== undefined) {
        (await managedFields()).trackUpdate(this.info, current, obj, { manager: opts.fieldManager, subresource: opts.subresource });
      }
      // A create through PUT is admitted as a create, by create.
      if (admit && current !== undefined) obj = await this.mutatingAdmission(admit, 'UPDATE', obj, current, opts.dryRun === true);
      const meta = (obj.metadata ??= {});
      if (this.info.namespaced) meta.namespace = namespace;
      else delete meta.namespace;
      const requestedRV: string | undefined = meta.resourceVersion || undefined;
      // The versioner parses it before anything else (APIObjectVersioner.ObjectResourceVersion): a malformed one
      // is its raw strconv error, a 500 with no reason.
      if (requestedRV !== undefined && !/^[0-9]+$/.test(requestedRV)) {
        throw new StatusError(500, '', `strconv.ParseUint: parsing ${JSON.stringify(requestedRV)}: invalid syntax`);
      }

      if (current === undefined) {
        if (!this.strategy.allowCreateOnUpdate || opts.subresource) throw notFound(this.gr, name);
        if (requestedRV !== undefined) {
          // kube: a precondition on a missing object is a NotFound for the create path.
          throw notFound(this.gr, name);
        }
        delete meta.resourceVersion;
        const created = await this.create(obj, namespace, opts, admit);
        return { object: created, created: true };
      }

      const currentRV: string = current.metadata!.resourceVersion;
      if (requestedRV !== undefined && requestedRV !== currentRV) {
        // The client may have seen a write the cache has not applied yet: wait for the cache to get there.
        // Once it has, a different version there is a real conflict.
        if (!fresh && !waited && Number(requestedRV) > Number(currentRV)) {
          waited = true;
          if (await this.storage.waitForRevision(Number(requestedRV), 1000)) continue;
        }
        if (!fresh && !(waited && Number(currentRV) >= Number(requestedRV))) {
          fresh = true;
          continue;
        }
        throw conflict(this.gr, name, OPTIMISTIC_LOCK_MESSAGE);
      }
      if (requestedRV === undefined && !this.strategy.allowUnconditionalUpdate && !opts.fromCurrent) {
        // kube's store names the resource here (qualifiedResource), not the kind, and shows the version it parsed.
        throw invalid(this.info.group, this.info.resource, name, [
          { type: 'FieldValueInvalid', field: 'metadata.resourceVersion', value: 0, detail: 'must be specified for an update' },
        ]);
      }
      // An unconditional update writes over the version it read (kube's store sets it before validation).
      if (requestedRV === undefined) meta.resourceVersion = currentRV;
      const finish = opts.subresource
        ? undefined
        : await this.writeHooks?.beginUpdate?.(obj, current, { namespace, name }, opts.dryRun === true);
      let success = false;
      try {
        beforeUpdate(
          {
            info: this.info,
            gr: this.gr,
            strategy: this.strategy,
            namespace,
            subresource: opts.subresource ?? '',
            schemaErrors: opts.schemaErrors,
            managedFieldsTracked: opts.fieldManager !== undefined,
          },
          obj,
          current,
        );
        if (admit) await admit.validate('UPDATE', obj, current, opts.dryRun === true);

        // Nothing changed: kube answers with the stored object and writes nothing.
        // In the stored layout, so fields Go writes when absent (`"status":{}`) do not count as changes.
        const candidate = this.inGoLayout({ ...obj, metadata: { ...meta, resourceVersion: currentRV } });
        if (sameStoredState(candidate, current)) {
          if (!fresh) {
            fresh = true;
            continue;
          }
          success = true;
          return { object: current, created: false };
        }
        if (opts.dryRun) {
          success = true;
          return { object: candidate, created: false };
        }

        // A terminating object whose last finalizer is gone is deleted instead of updated.
        if (this.strategy.readyToDelete(obj)) {
          try {
            const deleted = await withCompanions(
              this.storage,
              admit?.companions && ((fresh) => admit.companions!('DELETE', undefined, current, fresh)),
              lostRaces > 0,
              (also) => this.storage.delete(key, Number(currentRV), { also }),
            );
            success = true;
            await this.afterDelete(deleted);
            return { object: this.fromStorage(deleted), created: false };
          } catch (e) {
            if (companionLost(e, key) && ++lostRaces < COMPANION_ATTEMPTS) continue;
            if (e instanceof StorageError && e.code === 'Conflict' && (requestedRV === undefined || !fresh)) {
              fresh = true;
              continue;
            }
            throw interpretDeleteError(e, this.gr, name);
          }
        }
        try {
          // The candidate is already in the stored layout; only a storage-version conversion needs another pass.
          const value = this.toStorageVersion ? this.toStorage(obj) : candidate;
          const stored = await withCompanions(
            this.storage,
            admit?.companions && ((fresh) => admit.companions!('UPDATE', obj, current, fresh)),
            lostRaces > 0,
            (also) => this.storage.update(key, Number(currentRV), value, { ...this.leaseFor(obj), also }),
          );
          success = true;
          return { object: this.fromStorage(stored), created: false };
        } catch (e) {
          // A companion write lost its race: the object may be current still; ask again on etcd's state.
          if (companionLost(e, key) && ++lostRaces < COMPANION_ATTEMPTS) continue;
          // Someone wrote in between: an unconditional update tries again on the fresh object.
          if (e instanceof StorageError && e.code === 'Conflict' && (requestedRV === undefined || !fresh)) {
            fresh = true;
            continue;
          }
          throw interpretUpdateError(e, this.gr, name);
        }
      } finally {
        await finish?.(success);
      }
    }
  }

  /**
   * DELETE: objects with finalizers (or a Foreground/Orphan policy) are marked with deletionTimestamp and
   * stay until their finalizers are removed; the rest are removed by a revision-checked txn.
   * Returns the object as it was deleted (or as marked), and whether it is gone.
   */
  async delete(
    namespace: string,
    name: string,
    opts: DeleteOptions,
    admit?: AdmissionHook,
  ): Promise<{ object: KubeObject; deleted: boolean }> {
    const key = this.key(namespace, name);
    let fresh = false;
    let lostRaces = 0;
    for (;;) {
      const raw = await this.storageGet(key, name, { allowStale: !fresh });
      // A miss or a failed precondition on what may be a stale cached read is confirmed against etcd first.
      if (!fresh && (!raw || !preconditionsHold(opts.preconditions, this.fromStorage(raw)))) {
        fresh = true;
        continue;
      }
      if (!raw) throw notFound(this.gr, name);
      const current = this.fromStorage(raw);
      const decision = beforeDelete(
        {
          info: this.info,
          strategy: this.strategy,
          preconditions: opts.preconditions,
          propagationPolicy: opts.propagationPolicy,
          now: formatTime(),
        },
        current,
      );
      if (admit) {
        await admit.admit('DELETE', undefined, current, opts.dryRun === true);
        await admit.validate('DELETE', undefined, current, opts.dryRun === true);
      }
      if (decision.action === 'pending') return { object: current, deleted: false };
      if (decision.action === 'mark' && opts.dryRun) return { object: decision.object, deleted: false };
      if (decision.action === 'delete' && opts.dryRun) return { object: current, deleted: true };
      const revision = Number(current.metadata!.resourceVersion);
      try {
        if (decision.action === 'mark') {
          const stored = await this.storage.update(key, revision, this.toStorage(decision.object), this.leaseFor(decision.object));
          return { object: this.fromStorage(stored), deleted: false };
        }
        const deleted = await withCompanions(
          this.storage,
          admit?.companions && ((fresh) => admit.companions!('DELETE', undefined, current, fresh)),
          lostRaces > 0,
          (also) => this.storage.delete(key, revision, { also }),
        );
        await this.afterDelete(deleted);
        return { object: this.fromStorage(deleted), deleted: true };
      } catch (e) {
        if (companionLost(e, key) && ++lostRaces < COMPANION_ATTEMPTS) continue;
        // Someone wrote in between: decide again on the fresh object (its preconditions included).
        if (e instanceof StorageError && e.code === 'Conflict') {
          fresh = true;
          continue;
        }
        throw interpretDeleteError(e, this.gr, name);
      }
    }
  }

  // ---- watch ----

  /**
   * Watches the resource (one namespace or all) from etcd. Events are filtered by the selector with kube's
   * transition rules: an object that starts matching arrives as ADDED, one that stops matching as DELETED
   * (its previous state, stamped with the event's revision).
   */
  async watch(
    req: WatchRequest,
    onEvent: (e: WatchEventOut) => void,
    onError: (err: StatusError) => void,
    onProgress?: (revision: number) => void,
  ): Promise<WatchHandle> {
    const key =
      req.filter.name !== undefined && (req.namespace !== '' || !this.info.namespaced)
        ? this.key(req.namespace, req.filter.name)
        : this.listPrefix(req.namespace);
    const isPrefix = key.endsWith('/');
    return this.mapWatchErrors(req.afterRevision, () =>
      this.storage.watch(
        key,
        { afterRevision: req.afterRevision, prefix: isPrefix },
        {
          onEvent: (e: StorageEvent) => {
            const out = this.filterEvent(req.filter, e);
            if (out) onEvent(out);
            // Filtered out, but seen: bookmarks may carry this revision.
            else onProgress?.(e.revision);
          },
          onError: (err) => onError(this.watchErrorToStatus(err, req.afterRevision)),
          onProgress: (revision) => onProgress?.(revision),
        },
      ),
    );
  }

  private filterEvent(filter: ObjectFilter, e: StorageEvent): WatchEventOut | undefined {
    const object = this.fromStorage(e.object);
    const prev = e.prevObject ? this.fromStorage(e.prevObject) : undefined;
    // Without a selector every modification is MODIFIED, even when etcd dropped the previous state (compacted).
    if (e.type === 'MODIFIED' && !filter.labels && !filter.fields) return { type: 'MODIFIED', object, revision: e.revision };
    const curPasses = e.type !== 'DELETED' && this.matches(filter, object);
    const prevPasses = e.type === 'DELETED' ? this.matches(filter, object) : prev !== undefined && this.matches(filter, prev);
    if (e.type === 'DELETED') return prevPasses ? { type: 'DELETED', object, revision: e.revision } : undefined;
    if (curPasses && !prevPasses) return { type: 'ADDED', object, revision: e.revision };
    if (curPasses && prevPasses) return { type: 'MODIFIED', object, revision: e.revision };
    if (!curPasses && prevPasses && prev) {
      // Objects from storage are shared by every watcher: stamp a copy.
      const stamped = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(e.revision) } };
      return { type: 'DELETED', object: stamped, revision: e.revision };
    }
    return undefined;
  }

  private async mapWatchErrors<T>(afterRevision: number, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw interpretWatchError(e, afterRevision);
    }
  }

  private watchErrorToStatus(err: StorageError, afterRevision: number): StatusError {
    const status = interpretWatchError(err, afterRevision);
    return status instanceof StatusError ? status : new StatusError(500, 'InternalError', `Internal error occurred: ${status.message}`);
  }

  // ---- helpers ----

  /** AfterDelete: the kind's clean-up once its object is gone (never for dry runs); its failure is not the client's. */
  private async afterDelete(deleted: KubeObject): Promise<void> {
    await this.writeHooks?.afterDelete?.(this.fromStorage(deleted)).catch(() => undefined);
  }

  /**
   * Mutating admission on a laid-out object. An object admission changed is defaulted and laid out again, as kube
   * decodes and defaults a webhook's patched object; its decoded form is what admission left. kube's built-in
   * plugins change the decoded Go struct itself, where a list or map the client sent empty stays empty rather than
   * absent: when admission changed the object in place (rather than replacing it), the empty lists and maps of the
   * decoded form that admission left absent are kept in the new decoded form, for the validation messages that
   * tell the two apart.
   */
  private async mutatingAdmission(
    admit: AdmissionHook,
    op: 'CREATE' | 'UPDATE',
    obj: KubeObject,
    old: KubeObject | undefined,
    dryRun: boolean,
  ): Promise<KubeObject> {
    const decoded = WRITTEN_AS_DECODED.get(obj);
    const admitted = await admit.admit(op, obj, old, dryRun);
    if (admitted === undefined) return obj;
    this.strategy.defaults(admitted);
    const laidOut = this.inGoLayout(admitted);
    WRITTEN_AS_DECODED.set(laidOut, admitted === obj && decoded ? withExplicitEmpties(admitted, decoded) : admitted);
    return laidOut;
  }

  private leaseFor(obj: KubeObject): { leaseSeconds?: number } | undefined {
    const s = this.strategy.leaseSeconds?.(obj);
    return s ? { leaseSeconds: s } : undefined;
  }

  /**
   * Objects are stored in the resource's storage version with kind/apiVersion set, laid out as kube's Go encoder
   * writes them (src/registry/gojson.ts): done once per write, so every read, list item and watch event of this
   * version serializes with a plain JSON.stringify, and etcdctl shows what kube-apiserver would send.
   */
  private toStorage(obj: KubeObject): KubeObject {
    if (this.toStorageVersion) {
      const stored = this.toStorageVersion(obj);
      return goEncoded(stored, goMessageFor(String(stored.apiVersion), String(stored.kind))) as KubeObject;
    }
    return this.inGoLayout(obj);
  }

  private emptyLayout: KubeObject | undefined;

  /** The empty typed object in Go's layout: what a create's managedFields are computed against (one per store). */
  private emptyInGoLayout(): KubeObject {
    return (this.emptyLayout ??= this.inGoLayout({}));
  }

  /** An object in the served version laid out as Go writes it (dry runs and no-op checks; not stored). */
  private inGoLayout(obj: KubeObject): KubeObject {
    return goEncoded({ ...obj, kind: this.info.kind, apiVersion: this.info.groupVersion }, this.goMessage) as KubeObject;
  }

  private fromStorage(obj: KubeObject): KubeObject {
    if (!this.fromStorageVersion) {
      if (obj.apiVersion === this.info.groupVersion && obj.kind === this.info.kind && startsWithKind(obj)) return obj;
      // Written by a kgate before the Go layout (apiVersion first): laid out on every read until rewritten.
      return this.inGoLayout(obj);
    }
    // A converted object is new for every read; it is laid out again because conversion builds it in its own order.
    return goEncoded(this.fromStorageVersion(obj), this.goMessage) as KubeObject;
  }

  /** A get in the words of InterpretGetError. */
  private async storageGet(key: string, name: string, opts?: { allowStale?: boolean }): Promise<KubeObject | undefined> {
    try {
      return await this.storage.get(key, opts);
    } catch (e) {
      throw interpretGetError(e, this.gr, name);
    }
  }
}

/**
 * storage.list starts after a key; a continue token's key is where to resume, inclusive. kube's tokens
 * point just past the last returned key (a NUL appended), so starting after that key is the same range.
 */
function exclusiveStart(fromKey: string): string {
  if (fromKey.endsWith('\u0000')) return fromKey.slice(0, -1);
  // A key without the NUL (a token from elsewhere): start after its predecessor in byte order.
  const last = fromKey.charCodeAt(fromKey.length - 1);
  return last > 0 ? fromKey.slice(0, -1) + String.fromCharCode(last - 1) + '\uffff' : fromKey.slice(0, -1);
}

// A create's or update's object as decoded and defaulted, before the Go layout dropped its omitempty zeros: kube
// validates the decoded struct, where an explicitly empty list or map is not the absent one (messages show it).
const WRITTEN_AS_DECODED = new WeakMap<KubeObject, KubeObject>();

/**
 * `target` with the empty lists and maps of `source` that `target` lacks put back (objects by key, lists by index):
 * a copy; `target` and `source` are left as they are.
 */
function withExplicitEmpties(target: KubeObject, source: KubeObject): KubeObject {
  const walk = (t: unknown, src: unknown): unknown => {
    if (Array.isArray(t) && Array.isArray(src)) return t.map((item, i) => walk(item, src[i]));
    if (!isObject(t) || !isObject(src)) return t;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(t)) out[key] = walk(value, src[key]);
    for (const [key, value] of Object.entries(src)) {
      if (key in out) continue;
      if ((Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)) out[key] = value;
    }
    return out;
  };
  return walk(target, source) as KubeObject;
}

/** The decoded form of a create's or update's laid-out object (undefined for objects that are not one). */
export function decodedForm(obj: KubeObject): KubeObject | undefined {
  return WRITTEN_AS_DECODED.get(obj);
}

/** Objects in the Go layout start with kind; the first key is read without listing them all. */
function startsWithKind(obj: KubeObject): boolean {
  for (const key in obj) return key === 'kind';
  return false;
}

function sameStoredState(a: KubeObject, b: KubeObject): boolean {
  return deepEqual(a, b);
}

/** The managedFields engine reads the OpenAPI definitions; it is loaded with the first tracked write. */
let managedFieldsModule: Promise<typeof import('./apply/index.js')> | undefined;
function managedFields(): Promise<typeof import('./apply/index.js')> {
  return (managedFieldsModule ??= import('./apply/index.js'));
}

/**
 * Takes turns per key among this process's writers: a turn is granted once every earlier holder of any of its keys
 * is done (in order of arrival, so turns never wait on each other in a cycle).
 */
class KeyedTurns {
  /** Per key, the last turn taken: it resolves with the etcd revision its write committed at (0: it wrote nothing). */
  private readonly tails = new Map<string, Promise<number>>();

  /** `after`: undefined when no one held the keys; else the newest revision the earlier turns committed (0: none). */
  async take(keys: readonly string[]): Promise<{ after: number | undefined; done: (revision: number) => void }> {
    const earlier = keys.map((k) => this.tails.get(k)).filter((p): p is Promise<number> => p !== undefined);
    let finish!: (revision: number) => void;
    const mine = new Promise<number>((resolve) => (finish = resolve));
    for (const k of keys) this.tails.set(k, mine);
    const after = earlier.length > 0 ? Math.max(...(await Promise.all(earlier))) : undefined;
    return {
      after,
      done: (revision) => {
        for (const k of keys) if (this.tails.get(k) === mine) this.tails.delete(k);
        finish(revision);
      },
    };
  }
}

// One per process: companion writes of every resource guard the same keys (a namespace's quotas).
const companionTurns = new KeyedTurns();

/**
 * A write with the companion writes admission asks for (quota charges). Writers in this process whose companions
 * guard the same keys take turns, as kube's quota evaluator works one namespace at a time; one that waited asks again
 * on etcd's state, which its turn's predecessor has just moved, rather than lose a race in etcd with a cached answer.
 */
async function withCompanions<T extends KubeObject>(
  storage: Storage,
  ask: ((fresh: boolean) => Promise<GuardedWrite[]>) | undefined,
  fresh: boolean,
  write: (also: readonly GuardedWrite[] | undefined) => Promise<T>,
): Promise<T> {
  if (!ask) return write(undefined);
  let also = await ask(fresh);
  if (also.length === 0) return write(undefined);
  const turn = await companionTurns.take([...new Set(also.map((w) => w.key))]);
  let committed = 0;
  try {
    if (turn.after !== undefined) {
      // The turn before moved what this one guards: read it once the cache has that write (else from etcd).
      const caught = turn.after > 0 && (await storage.waitForRevision(turn.after, 1000));
      also = await ask(fresh || !caught);
    }
    const written = await write(also);
    committed = Number(written.metadata?.resourceVersion) || 0;
    return written;
  } finally {
    turn.done(committed);
  }
}

/** A guarded companion write, not the object's own, failed its revision check. */
function companionLost(e: unknown, key: string): boolean {
  return e instanceof StorageError && e.code === 'Conflict' && e.key !== key;
}
