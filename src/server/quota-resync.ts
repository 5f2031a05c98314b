// kgate's stand-in for kube-controller-manager's ResourceQuota controller's full sync
// (pkg/controller/resourcequota/resource_quota_controller.go syncResourceQuota, every --resource-quota-sync-period):
// every quota's status.hard is its spec.hard and status.used is recounted from the namespace's objects. The
// ResourceQuota admission plugin keeps status.used exact for every write it sees (the charge rides in the object's
// etcd txn); this pass repairs what it cannot see: objects written while the quota was being created, and writes that
// bypassed kgate. Each process runs it; a recount is written only iff the quota is still at the revision it was read
// at, so a charge made meanwhile (which moves the quota) is never overwritten by an older count.
import type { Logger } from 'winston';
import { quotaUsage, type QuotaAccess } from '../admission/quota/plugin.js';
import { equals, mask, parseResourceList, resourceListJSON, resourceNames } from '../admission/quota/resources.js';
import type { ResourceStore } from '../registry/store.js';
import { cachedList } from './admission.js';

export interface QuotaResync {
  /** One full pass now (also what the timer runs). */
  syncAll(): Promise<void>;
  stop(): void;
}

export function startQuotaResync(
  quotas: ResourceStore,
  listObjects: QuotaAccess['listObjects'],
  intervalMs: number,
  logger: Pick<Logger, 'warn'>,
): QuotaResync {
  let running: Promise<void> | undefined;
  const syncAll = (): Promise<void> =>
    (running ??= (async () => {
      try {
        for (const quota of await cachedList(quotas, '')) await syncOne(quotas, listObjects, quota);
      } catch (e) {
        logger.warn(`resource quota sync: ${(e as Error).message}`);
      } finally {
        running = undefined;
      }
    })());
  const timer = setInterval(() => void syncAll(), intervalMs);
  timer.unref();
  return { syncAll, stop: () => clearInterval(timer) };
}

async function syncOne(quotas: ResourceStore, listObjects: QuotaAccess['listObjects'], quota: Record<string, any>): Promise<void> {
  const namespace = String(quota.metadata?.namespace ?? '');
  const name = String(quota.metadata?.name ?? '');
  const revision = String(quota.metadata?.resourceVersion ?? '');
  // The quota first, its objects after: anything charged in between moved the quota, and the write below fails.
  const hard = parseResourceList(quota.spec?.hard);
  // What cannot be counted (a resource kgate does not serve) keeps what the books say.
  const used = {
    ...mask(parseResourceList(quota.status?.used), resourceNames(hard)),
    ...(await quotaUsage(quota, namespace, resourceNames(hard), listObjects)),
  };
  if (equals(hard, parseResourceList(quota.status?.hard)) && equals(used, parseResourceList(quota.status?.used))) return;
  try {
    await quotas.update(
      namespace,
      name,
      (current) => ({
        ...current,
        metadata: { ...current?.metadata, resourceVersion: revision },
        status: { hard: resourceListJSON(hard), used: resourceListJSON(used) },
      }),
      { subresource: 'status' },
    );
  } catch (e) {
    // Moved or gone since it was read: the next pass counts again.
    const code = (e as { code?: number }).code;
    if (code !== 409 && code !== 404) throw e;
  }
}
