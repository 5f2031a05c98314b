// NamespaceLifecycle (plugin/pkg/admission/namespace/lifecycle): no new content in a missing or terminating
// namespace, and the system namespaces cannot be deleted.
import { forbidden, notFound } from '../apimachinery/errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export interface NamespaceLookup {
  /** The namespace object, or undefined when it does not exist. */
  get(name: string): Promise<Record<string, any> | undefined>;
}

export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';
  constructor(private readonly namespaces: NamespaceLookup) {}

  async admit(a: AdmissionAttributes): Promise<void> {
    const gr = { group: a.resource.group, resource: a.resource.resource };
    if (a.resource.resource === 'namespaces' && a.operation === 'DELETE' && IMMORTAL_NAMESPACES.includes(a.name)) {
      throw forbidden(gr, a.name, 'this namespace may not be deleted');
    }
    if (!a.resource.namespaced || a.operation !== 'CREATE') return;
    const ns = await this.namespaces.get(a.namespace);
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
    if (ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
      throw forbidden(gr, a.name, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
    }
  }
}
