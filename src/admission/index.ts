// Admission: plugins that see a write after the registry prepared it and before storage
// (k8s.io/apiserver/pkg/admission). Mutating plugins run first, then validating ones. Nothing here sees Koa.
import type { UserInfo } from '../apimachinery/user.js';
import type { ResourceInfo } from '../scheme/index.js';
import type { KubeObject } from '../storage/interface.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  operation: Operation;
  resource: ResourceInfo;
  subresource: string;
  namespace: string;
  name: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  dryRun: boolean;
  user?: UserInfo;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating plugins change attributes.object in place. */
  admit?(a: AdmissionAttributes): Promise<void>;
  /** Validating plugins throw a StatusError to refuse. */
  validate?(a: AdmissionAttributes): Promise<void>;
}

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}
  async run(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit) await p.admit(a);
    for (const p of this.plugins) if (p.validate) await p.validate(a);
  }
}
