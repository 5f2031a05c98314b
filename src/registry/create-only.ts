// The registry side of a create-only resource (kube's rest.Creater without storage, as the review APIs'
// pkg/registry/authorization/* and pkg/registry/authentication/* are): the create handler's part that every kind
// shares (the object in Go's layout, its managedFields as the request's field manager wrote them) and then the
// kind's own Create, which answers with an object and keeps nothing.
import type { KubeObject } from '../apimachinery/meta.js';
import type { UserInfo } from '../apimachinery/user.js';
import type { ResourceInfo } from '../scheme/index.js';
import { goEncoded, goMessageFor } from './gojson.js';

/** Who asks, and in which namespace (the path's; '' for cluster-scoped kinds). */
export interface CreateOnlyRequest {
  namespace: string;
  user: UserInfo;
}

/** A kind's Create: takes the decoded object (Go layout, managedFields recorded) and answers with the result. */
export type Creater = (obj: KubeObject, request: CreateOnlyRequest) => KubeObject | Promise<KubeObject>;

export class CreateOnlyStore {
  private readonly goMessage: ReturnType<typeof goMessageFor>;
  private emptyLayout: KubeObject | undefined;

  constructor(
    readonly info: ResourceInfo,
    private readonly creater: Creater,
  ) {
    this.goMessage = goMessageFor(info.groupVersion, info.kind);
  }

  async create(obj: KubeObject, request: CreateOnlyRequest, opts: { fieldManager?: string }): Promise<KubeObject> {
    obj = this.inGoLayout(obj);
    // kube's create handler records the request in managedFields before calling Create, whatever the storage.
    if (opts.fieldManager !== undefined) {
      const { trackUpdate } = await import('./apply/index.js');
      trackUpdate(this.info, undefined, obj, { manager: opts.fieldManager, createBaseline: (this.emptyLayout ??= this.inGoLayout({})) });
    }
    return this.inGoLayout(await this.creater(obj, request));
  }

  private inGoLayout(obj: KubeObject): KubeObject {
    return goEncoded({ ...obj, kind: this.info.kind, apiVersion: this.info.groupVersion }, this.goMessage) as KubeObject;
  }
}
