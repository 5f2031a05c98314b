// Periodic etcd compaction as kube-apiserver does it (k8s.io/apiserver/pkg/storage/etcd3/compact.go): every
// interval each gateway tries a CAS on the version of `compact_rev_key`; only the one whose CAS wins compacts,
// and it compacts to the revision it recorded one interval earlier, so watchers have a full interval of history.

import { Etcd3 } from 'etcd3';
import { isCompactedError } from './errors.js';

/** Outside /registry, same key as kube-apiserver so mixed fleets coordinate. */
export const COMPACT_REV_KEY = 'compact_rev_key';
const compactKey = Buffer.from(COMPACT_REV_KEY);

export interface CompactorLogger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface Compactor {
  stop(): void;
  /** One interval's work now: the CAS and, if won, the compaction to the previously recorded revision. */
  tick(): Promise<void>;
  /** Compacts to revision (default: the current one) unconditionally and physically; returns that revision. */
  compactNow(revision?: number): Promise<number>;
}

export function startCompactor(target: Etcd3 | { readonly client: Etcd3 }, intervalMs: number, logger?: CompactorLogger): Compactor {
  const client = target instanceof Etcd3 ? target : target.client;
  // The version of compact_rev_key we last saw, and the etcd revision read with it.
  let compactTime = 0;
  let recordedRevision = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const tick = async (): Promise<void> => {
    const res = await client.kv.txn({
      compare: [{ key: compactKey, target: 'Version', result: 'Equal', version: compactTime }],
      success: [{ request_put: { key: compactKey, value: Buffer.from(String(recordedRevision)) } }],
      failure: [{ request_range: { key: compactKey } }],
    });
    const currentRevision = Number(res.header.revision);
    if (!res.succeeded) {
      // Another gateway compacted this interval; adopt its count and try next time.
      compactTime = Number(res.responses[0]?.response_range?.kvs[0]?.version ?? 0);
      recordedRevision = currentRevision;
      return;
    }
    compactTime++;
    const toRevision = recordedRevision;
    recordedRevision = currentRevision;
    if (toRevision === 0) return; // nothing recorded yet: no compaction on bootstrap
    try {
      await client.kv.compact({ revision: toRevision });
      logger?.debug?.('etcd: compacted', { revision: toRevision });
    } catch (err) {
      if (!isCompactedError(err)) throw err; // someone (etcd's own auto-compaction) went further already
    }
  };

  const schedule = (): void => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => {
      tick()
        .catch((err: unknown) => logger?.error('etcd: compaction failed', { error: (err as Error).message }))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    tick,
    async compactNow(revision?: number): Promise<number> {
      const rev = revision ?? Number((await client.kv.range({ key: compactKey, count_only: true })).header.revision);
      try {
        await client.kv.compact({ revision: rev, physical: true });
      } catch (err) {
        if (!isCompactedError(err)) throw err;
      }
      return rev;
    },
  };
}
