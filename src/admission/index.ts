// Admission (k8s.io/apiserver/pkg/admission): plugins that see a write on its way to storage. The chain runs in two
// phases, as kube's chainAdmissionHandler does: every mutating plugin's `admit`, in order, before the registry
// prepares and validates the object; then every validating plugin's `validate`, in order, after it, just before
// storage. A plugin may take part in both. Nothing here sees Koa.
import type { UserInfo } from '../apimachinery/user.js';
import type { ResourceInfo } from '../scheme/index.js';
import type { KubeObject } from '../storage/interface.js';

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
   * After the write admission let through: `committed` says whether storage took it (a DELETE: whether the object is
   * gone). For plugins that keep books beside the object, as ResourceQuota does without kube's quota controller.
   * Not called for dry runs; it never fails the request.
   */
  settled?(a: AdmissionAttributes, committed: boolean): Promise<void> | void;
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

  /** Tells the plugins that keep books how the write ended. */
  async settled(a: AdmissionAttributes, committed: boolean): Promise<void> {
    for (const p of this.plugins) if (p.settled) await p.settled(a, committed);
  }

  /** Whether any plugin wants to hear how writes end. */
  get keepsBooks(): boolean {
    return this.plugins.some((p) => p.settled);
  }
}
