// One translation per verb from storage errors to the Status a client sees (k8s.io/apiserver/pkg/storage/errors/
// storage.go: InterpretGetError, InterpretListError, InterpretCreateError, InterpretUpdateError,
// InterpretDeleteError, InterpretWatchError; the 410 texts are the etcd3 store's, etcd3/store.go).
import { inconsistentContinue, INCONSISTENT_CONTINUE_MESSAGE, LIST_EXPIRED_MESSAGE } from '../apimachinery/continue.js';
import {
  alreadyExists,
  conflict,
  internalError,
  notFound,
  OPTIMISTIC_LOCK_MESSAGE,
  resourceExpired,
  serverTimeout,
  StatusError,
  tooLargeResourceVersion,
  type GroupResource,
} from '../apimachinery/errors.js';
import { StorageError } from '../storage/interface.js';

/** Errors that are not storage errors pass through: a Status already decided, or a bug (a 500 later). */
function passThrough(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

export function interpretGetError(e: unknown, gr: GroupResource, name: string): Error {
  if (!(e instanceof StorageError)) return passThrough(e);
  switch (e.code) {
    case 'KeyNotFound':
      return notFound(gr, name);
    case 'Unreachable':
      return serverTimeout(gr, 'get', 2);
    case 'TooLargeResourceVersion':
      return tooLargeResourceVersion(0, e.revision ?? 0);
    default:
      return internalError(e.message);
  }
}

export interface ListErrorContext {
  /** The full etcd key a continue token resumed at, and the list's key prefix (for the inconsistent-continue token). */
  continueKey?: string;
  keyPrefix?: string;
  /** The revision the client asked to read at, for a too-large resourceVersion. */
  requestedRevision?: number;
}

export function interpretListError(e: unknown, gr: GroupResource, ctx: ListErrorContext = {}): Error {
  if (!(e instanceof StorageError)) return passThrough(e);
  switch (e.code) {
    case 'KeyNotFound':
      return notFound(gr, '');
    case 'Unreachable':
      return serverTimeout(gr, 'list', 2);
    case 'Compacted': {
      if (ctx.continueKey === undefined || ctx.keyPrefix === undefined) return resourceExpired(LIST_EXPIRED_MESSAGE);
      // A compacted continue: the answer carries a token that resumes at the latest revision (handleCompactedErrorForPaging).
      const err = resourceExpired(INCONSISTENT_CONTINUE_MESSAGE);
      err.status.metadata = { continue: inconsistentContinue(ctx.continueKey, ctx.keyPrefix) };
      return err;
    }
    case 'TooLargeResourceVersion':
      return tooLargeResourceVersion(ctx.requestedRevision ?? 0, e.revision ?? 0);
    default:
      return internalError(e.message);
  }
}

export function interpretCreateError(e: unknown, gr: GroupResource, name: string): Error {
  if (!(e instanceof StorageError)) return passThrough(e);
  switch (e.code) {
    case 'KeyExists':
      return alreadyExists(gr, name);
    case 'Unreachable':
      return serverTimeout(gr, 'create', 2);
    default:
      return internalError(e.message);
  }
}

export function interpretUpdateError(e: unknown, gr: GroupResource, name: string): Error {
  if (!(e instanceof StorageError)) return passThrough(e);
  switch (e.code) {
    case 'Conflict':
    case 'KeyExists':
      return conflict(gr, name, OPTIMISTIC_LOCK_MESSAGE);
    case 'Unreachable':
      return serverTimeout(gr, 'update', 2);
    case 'KeyNotFound':
      return notFound(gr, name);
    default:
      return internalError(e.message);
  }
}

export function interpretDeleteError(e: unknown, gr: GroupResource, name: string): Error {
  if (!(e instanceof StorageError)) return passThrough(e);
  switch (e.code) {
    case 'KeyNotFound':
      return notFound(gr, name);
    case 'Unreachable':
      return serverTimeout(gr, 'delete', 2);
    case 'Conflict':
    case 'KeyExists':
      return conflict(gr, name, OPTIMISTIC_LOCK_MESSAGE);
    default:
      return internalError(e.message);
  }
}

/** A watch from a compacted revision is one ERROR event with 410 Expired (etcd3/watcher.go). */
export function interpretWatchError(e: unknown, afterRevision: number): StatusError | Error {
  if (!(e instanceof StorageError)) return passThrough(e);
  if (e.code === 'Compacted') return resourceExpired(`too old resource version: ${afterRevision} (${e.revision ?? 0})`);
  return internalError(e.message);
}
