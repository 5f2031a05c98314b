// resourceVersion parsing and list/watch option rules with kube-apiserver's messages and status codes
// (k8s.io/apiserver v0.34 pkg/storage/api_object_versioner.go and interfaces.go ValidateListOptions,
// pkg/endpoints/handlers/get.go; k8s.io/apimachinery v0.34 pkg/apis/meta/internalversion/validation).

import { badRequest, fieldErrorMessage, invalid, StatusError, type FieldError, type GroupResource } from './errors.js';
import { ContinueTokenError, decodeContinue } from './continue.js';
import { fieldForbidden, fieldInvalid, fieldNotSupported } from './validation.js';

const UINT64_MAX = 18446744073709551615n;

/**
 * A resourceVersion that is not a decimal uint64. kube reports it differently per verb; pick the matching
 * conversion.
 */
export class ResourceVersionError extends Error {
  readonly fieldError: FieldError;
  constructor(fieldError: FieldError) {
    const msg = fieldErrorMessage(fieldError);
    super(msg);
    this.name = 'ResourceVersionError';
    this.fieldError = fieldError;
  }

  /** LIST: 400 `invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax`. */
  toListStatusError(): StatusError {
    return badRequest(`invalid resource version: ${this.message}`);
  }

  /** WATCH (before the stream starts): 422 `pods "" is invalid: resourceVersion: Invalid value: ...` (storage InterpretWatchError). */
  toWatchStatusError(gr: GroupResource): StatusError {
    return invalid(gr.group, gr.resource, '', [this.fieldError]);
  }

  /**
   * GET, and an update or delete whose object carries such a resourceVersion: kube lets the raw storage
   * error through, which becomes a 500 with an empty reason and the field error as message.
   */
  toUnknownStatusError(): StatusError {
    return new StatusError(500, '', this.message);
  }
}

/**
 * APIObjectVersioner.ParseResourceVersion: '' and '0' are 0; otherwise strconv.ParseUint(s, 10, 64).
 * Values above 2^53 lose precision as JS numbers; etcd revisions never get there.
 */
export function parseResourceVersion(resourceVersion: string | undefined | null): number {
  if (resourceVersion == null || resourceVersion === '' || resourceVersion === '0') return 0;
  let detail: string | undefined;
  if (!/^[0-9]+$/.test(resourceVersion)) detail = 'invalid syntax';
  else if (BigInt(resourceVersion) > UINT64_MAX) detail = 'value out of range';
  if (detail !== undefined) {
    throw new ResourceVersionError(
      fieldInvalid('resourceVersion', resourceVersion, `strconv.ParseUint: parsing ${JSON.stringify(resourceVersion)}: ${detail}`),
    );
  }
  return Number(resourceVersion);
}

export type ResourceVersionMatch = 'Exact' | 'NotOlderThan';

export interface ListOptionsInput {
  resourceVersion?: string;
  resourceVersionMatch?: string;
  continue?: string;
  limit?: number;
  watch: boolean;
  sendInitialEvents?: boolean;
  allowWatchBookmarks?: boolean;
}

/**
 * SetListOptionsDefaults: with WatchList on (the default in 1.34), a watch from '' or '0' that names neither
 * sendInitialEvents nor resourceVersionMatch becomes a watch-list (sendInitialEvents=true,
 * resourceVersionMatch=NotOlderThan). Returns a new object.
 */
export function setListOptionsDefaults<T extends ListOptionsInput>(opts: T, watchListEnabled = true): T {
  if (!watchListEnabled) return opts;
  if (opts.sendInitialEvents !== undefined || (opts.resourceVersionMatch ?? '') !== '') return opts;
  const legacy = (opts.resourceVersion ?? '') === '' || opts.resourceVersion === '0';
  if (opts.watch && legacy) return { ...opts, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' };
  return opts;
}

/**
 * internalversion ValidateListOptions. kube-apiserver runs it after SetListOptionsDefaults and answers any
 * error with **422 Invalid** on kind `ListOptions.meta.k8s.io` and an empty name (see listOptionsInvalid):
 *   ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided
 * `limit` and `allowWatchBookmarks` are not constrained here.
 */
export function validateListOptions(opts: ListOptionsInput, watchListEnabled = true): FieldError[] {
  const match = opts.resourceVersionMatch ?? '';
  const rv = opts.resourceVersion ?? '';
  const cont = opts.continue ?? '';
  const errs: FieldError[] = [];
  if (opts.watch) {
    if (opts.sendInitialEvents !== undefined) {
      if (match !== 'NotOlderThan') {
        errs.push(fieldForbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
      }
      if (!watchListEnabled) {
        errs.push(
          fieldForbidden('sendInitialEvents', 'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled'),
        );
      }
    }
    if (match !== '') {
      if (opts.sendInitialEvents === undefined) {
        errs.push(
          fieldForbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'),
        );
      }
      if (match !== 'NotOlderThan') errs.push(fieldNotSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (cont !== '') errs.push(fieldForbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    }
    return errs;
  }
  if (match !== '') {
    if (rv === '')
      errs.push(fieldForbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (cont !== '') errs.push(fieldForbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      errs.push(fieldNotSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    }
    if (match === 'Exact' && rv === '0') {
      errs.push(fieldForbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (opts.sendInitialEvents !== undefined) errs.push(fieldForbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errs;
}

/** The 422 kube-apiserver answers for validateListOptions errors. */
export function listOptionsInvalid(errs: FieldError[]): StatusError {
  return invalid('meta.k8s.io', 'ListOptions', '', errs);
}

export const CONTINUE_WITH_RESOURCE_VERSION_MESSAGE = 'specifying resource version is not allowed when using continue';

export interface StorageListStart {
  /** The etcd revision to read at; 0 means the latest. */
  withRev: number;
  /** The full key to resume from when a continue token was given. */
  continueKey?: string;
  /** The parsed resourceVersion (0 when unset). */
  resourceVersion: number;
}

/**
 * storage.ValidateListOptions for a recursive (collection) list: decodes `continue`, rejects continue with a
 * resourceVersion other than '' or '0', parses resourceVersion and picks the revision to read at
 * (Exact → that revision; legacy with limit and rv > 0 → that revision; NotOlderThan → latest, checked
 * after the read). Throws StatusError 400 with kube's messages.
 */
export function storageListStart(
  opts: { resourceVersion?: string; resourceVersionMatch?: string; continue?: string; limit?: number },
  keyPrefix: string,
): StorageListStart {
  const rvText = opts.resourceVersion ?? '';
  if ((opts.continue ?? '') !== '') {
    let decoded;
    try {
      decoded = decodeContinue(opts.continue ?? '', keyPrefix);
    } catch (e) {
      if (e instanceof ContinueTokenError) throw e.toStatusError();
      throw e;
    }
    if (rvText !== '' && rvText !== '0') throw badRequest(CONTINUE_WITH_RESOURCE_VERSION_MESSAGE);
    // rv -1 (a token handed out after compaction) reads at the latest revision.
    return { withRev: decoded.rv > 0 ? decoded.rv : 0, continueKey: decoded.fromKey, resourceVersion: 0 };
  }
  if (rvText === '') return { withRev: 0, resourceVersion: 0 };
  let rv: number;
  try {
    rv = parseResourceVersion(rvText);
  } catch (e) {
    if (e instanceof ResourceVersionError) throw e.toListStatusError();
    throw e;
  }
  switch (opts.resourceVersionMatch ?? '') {
    case 'NotOlderThan':
      return { withRev: 0, resourceVersion: rv };
    case 'Exact':
      return { withRev: rv, resourceVersion: rv };
    case '':
      return { withRev: (opts.limit ?? 0) > 0 && rv > 0 ? rv : 0, resourceVersion: rv };
    default:
      // Unreachable after validateListOptions; kube returns a plain error here (a 500).
      throw new StatusError(500, '', `unknown ResourceVersionMatch value: ${opts.resourceVersionMatch}`);
  }
}
