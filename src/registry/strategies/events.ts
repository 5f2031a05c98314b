// Events (pkg/registry/core/event): stored with an etcd lease of --event-ttl, and PUT may create them.
import type { ResourceInfo } from '../../scheme/index.js';
import { DefaultStrategy } from '../strategy.js';

export class EventStrategy extends DefaultStrategy {
  constructor(info: ResourceInfo, private readonly ttlSeconds: number) {
    super(info);
    this.allowCreateOnUpdate = true;
  }

  override leaseSeconds(): number | undefined {
    return this.ttlSeconds > 0 ? this.ttlSeconds : undefined;
  }
}
