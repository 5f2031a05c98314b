// Post-start work kube-apiserver does itself: the system namespaces exist before the server reports ready.
import type { Logger } from 'winston';
import type { ResourceStore } from '../registry/store.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function bootstrapNamespaces(namespaces: ResourceStore, logger: Logger): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, '', {});
      logger.info(`created namespace ${name}`);
    } catch (e) {
      // Another kgate instance (or an earlier run) made it already.
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
}
