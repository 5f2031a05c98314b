// Leases for objects with a TTL (Events). As kube-apiserver's leaseManager: reuse the previous lease while it
// still outlives the requested TTL by no more than a small margin, so a burst of Events shares one lease.

import type { Etcd3 } from 'etcd3';

const REUSE_PERCENT = 0.05;
const MAX_REUSE_SECONDS = 60;

interface CachedLease {
  id: string;
  expiresAtMs: number;
}

export class LeaseManager {
  private previous: CachedLease | undefined;
  private pending: Promise<CachedLease> | undefined;

  constructor(private readonly client: Etcd3) {}

  /** A lease id that lives at least ttlSeconds from now. */
  async leaseFor(ttlSeconds: number): Promise<string> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const reuseSeconds = Math.min(Math.floor(ttl * REUSE_PERCENT), MAX_REUSE_SECONDS);
    for (;;) {
      const now = Date.now();
      const prev = this.previous;
      if (prev && now + ttl * 1000 < prev.expiresAtMs && now + (ttl + reuseSeconds) * 1000 >= prev.expiresAtMs) {
        return prev.id;
      }
      if (!this.pending) {
        this.pending = this.grant(ttl + reuseSeconds).finally(() => (this.pending = undefined));
        const granted = await this.pending;
        this.previous = granted;
        return granted.id;
      }
      // Someone is granting right now; their lease may fit this TTL too.
      await this.pending.catch(() => undefined);
    }
  }

  private async grant(ttlSeconds: number): Promise<CachedLease> {
    const startedMs = Date.now();
    const res = await this.client.leaseClient.leaseGrant({ TTL: ttlSeconds });
    return { id: res.ID, expiresAtMs: startedMs + ttlSeconds * 1000 };
  }
}
