// Turns etcd3 client errors into the storage contract's StorageError codes.

import { StorageError } from '../interface.js';

const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';

export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && err.message.includes(COMPACTED);
}

export function isFutureRevisionError(err: unknown): boolean {
  return err instanceof Error && err.message.includes(FUTURE);
}

/** grpc-js statuses and etcd3/cockatiel errors that mean "etcd did not answer". */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const named = err as Error & { code?: unknown; isBrokenCircuitError?: boolean };
  if (named.isBrokenCircuitError) return true;
  // UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED from grpc-js before etcd3 wraps them.
  if (named.code === 14 || named.code === 4 || named.code === 1) return true;
  switch (err.constructor.name) {
    case 'GRPCUnavailableError':
    case 'GRPCDeadlineExceededError':
    case 'GRPCCancelledError':
    case 'GRPCConnectFailedError':
    case 'ClientClosedError':
    case 'EtcdWatchStreamEnded':
      return true;
  }
  return /UNAVAILABLE|DEADLINE_EXCEEDED|No connection established|failed to connect/i.test(err.message);
}

/**
 * Maps connection failures to Unreachable; compaction and future-revision errors need a revision the
 * caller has to find, so they are left to the caller. Anything else is returned unchanged.
 */
export function mapEtcdError(err: unknown, key: string): unknown {
  if (err instanceof StorageError) return err;
  if (isConnectionError(err)) {
    return new StorageError('Unreachable', key, `etcd is unreachable: ${(err as Error).message}`);
  }
  return err;
}
