// Admission (k8s.io/apiserver/pkg/admission): plugins that see a write on its way to storage. The chain runs in two
// phases, as kube's chainAdmissionHandler does: every mutating plugin's `admit`, in order, before the registry
// prepares and validates the object; then every validating plugin's `validate`, in order, after it, just before
// storage. A plugin may take part in both. Nothing here sees Koa.
import type { UserInfo } from '../apimachinery/user.js';
import type { ResourceInfo } from '../scheme/index.js';
import type { GuardedWrite, KubeObject } from '../storage/interface.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  resource: ResourceInfo;
  subresource: string;
  namespace: string;
  name: string;
  /** The object being written (undefined on DELETE). Mutating plugins may change it in place or replace it. */
  object?: KubeObject;
  /** The stored object on UPDATE and DELETE. */
  oldObject?: KubeObject;
  /** The request's options (CreateOptions, UpdateOptions, PatchOptions or DeleteOptions), as webhooks see them. */
  options?: KubeObject;
  dryRun: boolean;
  user?: UserInfo;
  /** Adds a `Warning` header to the response (admission warnings). */
  warn(message: string): void;
  /** Adds an annotation to the request's audit event (`<plugin>/<key>` by convention). */
  annotate(key: string, value: string): void;
}

export interface AdmissionPlugin {
  readonly name: string;
  /**
   * Mutating phase. Returns true when it changed `a.object` (in place or by replacing it): the registry then
   * defaults the object again and puts it back in kube's layout, as kube decodes a webhook's patched object.
   */
  admit?(a: AdmissionAttributes): Promise<boolean | void> | boolean | void;
  /** Validating phase: throws a StatusError to refuse. */
  validate?(a: AdmissionAttributes): Promise<void> | void;
  /**
   * Writes to make in the same etcd transaction as the object's own create, update or delete, each guarded by its
   * key's revision (ResourceQuota's charges and releases). Asked before every attempt, with `fresh` once a guard lost
   * its race (read etcd's state, not the cache's); may throw a StatusError to refuse. Never asked for dry runs.
   */
  companions?(a: AdmissionAttributes, fresh: boolean): Promise<GuardedWrite[]>;
}

export class AdmissionChain {
  private readonly mutating: AdmissionPlugin[];
  private readonly validating: AdmissionPlugin[];
  constructor(readonly plugins: readonly AdmissionPlugin[]) {
    this.mutating = plugins.filter((p) => p.admit);
    this.validating = plugins.filter((p) => p.validate);
  }

  /** The mutating phase; true when some plugin changed the object. */
  async admit(a: AdmissionAttributes): Promise<boolean> {
    let changed = false;
    for (const p of this.mutating) if ((await p.admit!(a)) === true) changed = true;
    return changed;
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    for (const p of this.validating) await p.validate!(a);
  }

  /** Every plugin's companion writes for one attempt, in plugin order. */
  async companions(a: AdmissionAttributes, fresh: boolean): Promise<GuardedWrite[]> {
    const writes: GuardedWrite[] = [];
    for (const p of this.plugins) if (p.companions) writes.push(...(await p.companions(a, fresh)));
    return writes;
  }

  /** Whether any plugin writes beside the object. */
  get hasCompanions(): boolean {
    return this.plugins.some((p) => p.companions);
  }
}
