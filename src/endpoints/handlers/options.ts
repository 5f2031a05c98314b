// Query parameters shared by the verb handlers: dryRun, selectors, list and watch options, delete options.
import { badRequest, invalid, type FieldError } from '../../apimachinery/errors.js';
import { queryBool, queryInt64, queryString } from '../../apimachinery/queryparams.js';
import { convertFieldLabels, DEFAULT_FIELD_LABELS, FieldSelectorError, parseFieldSelector } from '../../apimachinery/fields.js';
import { LabelSelectorError, parseLabelSelector } from '../../apimachinery/labels.js';
import {
  listOptionsInvalid,
  ResourceVersionError,
  parseResourceVersion as parseRV,
  setListOptionsDefaults,
  validateListOptions,
} from '../../apimachinery/resourceversion.js';
import type { FieldSet } from '../../registry/fieldsets.js';
import type { DeleteOptions, ObjectFilter } from '../../registry/store.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** What a write's query says (Create/Update/PatchOptions in kube). */
export interface WriteQuery {
  dryRun: boolean;
  /** Only meaningful for apply; any value on other patch types is rejected. */
  force?: boolean;
  /** The fieldManager query parameter ('' when absent). */
  fieldManager: string;
  fieldValidation: FieldValidation;
}

/** ValidatePatchOptions: apply patches must name their field manager; only they may force. */
export function validatePatchOptions(q: URLSearchParams, isApply: boolean): WriteQuery {
  return validateWriteOptions(q, 'PatchOptions', isApply);
}

const FIELD_MANAGER_MAX_LENGTH = 128;

/**
 * ValidateCreateOptions / ValidateUpdateOptions / ValidatePatchOptions: dryRun, fieldManager and fieldValidation
 * (and force, which only apply may carry); every problem in one 422 on <kind>.meta.k8s.io.
 */
export function validateWriteOptions(
  q: URLSearchParams,
  kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
  isApply = false,
): WriteQuery {
  const errors: FieldError[] = [];
  const fieldManager = q.get('fieldManager') ?? '';
  if (isApply && fieldManager === '') {
    errors.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
  }
  errors.push(...validateFieldManager(fieldManager));

  let force: boolean | undefined;
  const forceParam = q.get('force');
  if (forceParam !== null && kind === 'PatchOptions') {
    if (!isApply) errors.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
    force = queryBool(q, 'force');
  }

  const dryRunValues = q.getAll('dryRun');
  if (dryRunValues.some((v) => v !== 'All')) {
    errors.push({ type: 'FieldValueNotSupported', field: 'dryRun', value: dryRunValues, detail: 'supported values: "All"' });
  }

  const fv = q.get('fieldValidation') ?? '';
  let fieldValidation: FieldValidation = 'Warn';
  if (fv === 'Ignore' || fv === 'Warn' || fv === 'Strict') fieldValidation = fv;
  else if (fv !== '') {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'fieldValidation',
      value: fv,
      detail: 'supported values: "", "Ignore", "Strict", "Warn"',
    });
  }

  if (errors.length > 0) throw invalid('meta.k8s.io', kind, '', errors);
  const out: WriteQuery = { dryRun: dryRunValues.length > 0, fieldManager, fieldValidation };
  if (force !== undefined) out.force = force;
  return out;
}

function validateFieldManager(manager: string): FieldError[] {
  if (Buffer.byteLength(manager, 'utf8') > FIELD_MANAGER_MAX_LENGTH) {
    return [{ type: 'FieldValueTooLong', field: 'fieldManager', detail: `may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes` }];
  }
  const runes = [...manager];
  for (let i = 0; i < runes.length; i++) {
    const cp = runes[i].codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      return [
        { type: 'FieldValueInvalid', field: 'fieldManager', value: manager, detail: `invalid character U+${hex} (at position ${i})` },
      ];
    }
  }
  return [];
}

/** labelSelector and fieldSelector, checked against the labels the resource supports (400 otherwise). */
export function parseFilter(q: URLSearchParams, fieldSet: FieldSet): ObjectFilter {
  const filter: ObjectFilter = {};
  const ls = q.get('labelSelector');
  if (ls !== null && ls.trim() !== '') {
    try {
      filter.labels = parseLabelSelector(ls);
    } catch (e) {
      if (e instanceof LabelSelectorError) throw e.toStatusError();
      throw e;
    }
  }
  const fs = q.get('fieldSelector');
  if (fs !== null && fs.trim() !== '') {
    let sel;
    try {
      sel = parseFieldSelector(fs);
    } catch (e) {
      if (e instanceof FieldSelectorError) throw e.toStatusError();
      throw e;
    }
    // Kinds with their own field labels register a conversion (and kube's "field label not supported" text);
    // the rest accept only metadata.name and metadata.namespace.
    const conversion =
      fieldSet.labels.some((l) => !DEFAULT_FIELD_LABELS.includes(l)) || fieldSet.renames
        ? { supported: fieldSet.labels, renames: fieldSet.renames }
        : undefined;
    sel = convertFieldLabels(sel, conversion);
    filter.fields = sel;
    const name = sel.requiresExactMatch('metadata.name');
    if (name !== undefined) filter.name = name;
  }
  return filter;
}

/**
 * A name in the path (the legacy /watch/<resource>/<name>) narrows the filter to that one object, as kube's
 * ListResource does for a request with a name; a field selector may only repeat it.
 */
export function withRequestedName(filter: ObjectFilter, name: string): ObjectFilter {
  if (name === '') return filter;
  if (filter.fields && filter.name !== name) throw badRequest("fieldSelector metadata.name doesn't match requested name");
  return { ...filter, name, fields: filter.fields ?? { matches: (fields) => fields['metadata.name'] === name } };
}

export interface ListQuery {
  resourceVersion?: string;
  resourceVersionMatch?: string;
  continue?: string;
  limit?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export function parseListQuery(q: URLSearchParams, watch: boolean): ListQuery {
  const out: ListQuery = { allowWatchBookmarks: queryBool(q, 'allowWatchBookmarks') ?? false };
  const rv = queryString(q, 'resourceVersion');
  if (rv) out.resourceVersion = rv;
  const rvm = queryString(q, 'resourceVersionMatch');
  if (rvm) out.resourceVersionMatch = rvm;
  const cont = queryString(q, 'continue');
  if (cont) out.continue = cont;
  const limit = queryInt64(q, 'limit');
  if (limit !== undefined) out.limit = limit;
  const sie = queryBool(q, 'sendInitialEvents');
  if (sie !== undefined) out.sendInitialEvents = sie;
  const ts = queryInt64(q, 'timeoutSeconds');
  if (ts !== undefined) out.timeoutSeconds = ts;
  // kube defaults a legacy watch (resourceVersion unset or "0") to a watch-list before validating.
  const defaulted = setListOptionsDefaults({ ...out, watch });
  const errs = validateListOptions(defaulted);
  if (errs.length > 0) throw listOptionsInvalid(errs);
  const { watch: _w, ...result } = defaulted;
  return result;
}

/** Parses a resourceVersion; a malformed one gets the answer kube gives for the verb. */
export function parseResourceVersion(
  rv: string,
  verb: 'list' | 'watch' | 'get' = 'list',
  gr?: { group: string; resource: string },
): number {
  try {
    return parseRV(rv);
  } catch (e) {
    if (!(e instanceof ResourceVersionError)) throw e;
    if (verb === 'watch' && gr) throw e.toWatchStatusError(gr);
    if (verb === 'get') throw e.toUnknownStatusError();
    throw e.toListStatusError();
  }
}

/** DeleteOptions from the body (JSON) and the query, as kubectl and client libraries send them. */
export function parseDeleteOptions(body: Record<string, any> | undefined, q: URLSearchParams): DeleteOptions {
  const opts: DeleteOptions = {};
  const src = body ?? {};
  const grace = src.gracePeriodSeconds ?? queryInt64(q, 'gracePeriodSeconds');
  if (grace !== undefined && grace !== null) opts.gracePeriodSeconds = Number(grace);
  let policy = src.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
  const orphan = src.orphanDependents ?? queryBool(q, 'orphanDependents');
  if (policy === undefined && orphan !== undefined && orphan !== null) policy = orphan ? 'Orphan' : 'Background';
  if (policy !== undefined && policy !== null && policy !== '') {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw invalid('meta.k8s.io', 'DeleteOptions', '', [
        {
          type: 'FieldValueNotSupported',
          field: 'propagationPolicy',
          value: policy,
          detail: 'supported values: "Foreground", "Background", "Orphan", "nil"',
        },
      ]);
    }
    opts.propagationPolicy = policy;
  }
  if (src.preconditions) opts.preconditions = src.preconditions;
  const dry: unknown[] = [...(Array.isArray(src.dryRun) ? src.dryRun : []), ...q.getAll('dryRun')];
  if (dry.some((v) => v !== 'All')) {
    throw invalid('meta.k8s.io', 'DeleteOptions', '', [
      { type: 'FieldValueNotSupported', field: 'dryRun', value: dry, detail: 'supported values: "All"' },
    ]);
  }
  if (dry.length > 0) opts.dryRun = true;
  return opts;
}
