// Status errors with kube-apiserver's codes, reasons and messages
// (k8s.io/apimachinery/pkg/api/errors/errors.go). Every failure a client sees is one of these.

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Timeout'
  | 'ServerTimeout'
  | 'ServiceUnavailable'
  | '';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  /** Absent when empty (StatusReasonUnknown), as Go's omitempty writes it. */
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** The group and resource an error is about; group is '' for the core group. */
export interface GroupResource {
  group: string;
  resource: string;
}

export class StatusError extends Error {
  readonly status: Status;
  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.status = statusObject('Failure', message, reason, details, code);
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason {
    return this.status.reason ?? '';
  }
}

/**
 * A Status laid out as Go's encoder writes metav1.Status (k8s.io/apimachinery/pkg/apis/meta/v1/types.go): TypeMeta
 * as kind then apiVersion, the non-pointer ListMeta always as `"metadata":{}`, then status, message, reason,
 * details, code, each omitempty; details and causes in their structs' order.
 */
export function statusObject(
  status: Status['status'],
  message: string,
  reason: StatusReason,
  details: StatusDetails | undefined,
  code: number,
): Status {
  const out = { kind: 'Status', apiVersion: 'v1', metadata: {}, status } as Status;
  if (message !== '') out.message = message;
  if (reason !== '') out.reason = reason;
  if (details !== undefined) out.details = orderedDetails(details);
  if (code !== 0) out.code = code;
  return out;
}

function orderedDetails(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes !== undefined && d.causes.length > 0) {
    out.causes = d.causes.map((c) => {
      const cause: StatusCause = {};
      if (c.reason) cause.reason = c.reason;
      if (c.message) cause.message = c.message;
      if (c.field) cause.field = c.field;
      return cause;
    });
  }
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

/** `pods` or `deployments.apps`, as kube-apiserver names a resource in messages. */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** `Pod` or `Deployment.apps`, as kube-apiserver names a kind in Invalid messages. */
export function qualifiedKind(group: string, kind: string): string {
  return group === '' ? kind : `${kind}.${group}`;
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, {
    name: name || undefined,
    group: gr.group || undefined,
    kind: gr.resource,
  } as StatusDetails);
}

export function routeNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, details(gr, name));
}

export function generateNameConflict(gr: GroupResource, name: string, retryAfterSeconds: number): StatusError {
  return new StatusError(
    409,
    'AlreadyExists',
    `${qualifiedResource(gr)} "${name}" already exists, the server was not able to generate a unique name for the object`,
    { ...details(gr, name), retryAfterSeconds },
  );
}

export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, reason: string): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${reason}`,
    details(gr, name),
  );
}

export interface FieldError {
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong, FieldValueTypeInvalid, FieldValueTooMany */
  type: FieldErrorType;
  field: string;
  /** The offending value, when it is shown in the message. */
  value?: unknown;
  detail: string;
}

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotFound'
  | 'InternalError';

const FIELD_ERROR_LABEL: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueNotFound: 'Not found',
  InternalError: 'Internal error',
};

/** Renders one field error the way field.Error.Error() does: `spec.x: Invalid value: "v": detail`. */
export function fieldErrorMessage(e: FieldError, withField = true): string {
  const label = FIELD_ERROR_LABEL[e.type];
  let body = label;
  const showsValue =
    e.type === 'FieldValueInvalid' ||
    e.type === 'FieldValueNotSupported' ||
    e.type === 'FieldValueDuplicate' ||
    e.type === 'FieldValueTypeInvalid' ||
    e.type === 'FieldValueTooMany' ||
    e.type === 'FieldValueNotFound';
  if (showsValue && e.value !== undefined) body += `: ${formatFieldValue(e.value)}`;
  if (e.detail) body += `: ${e.detail}`;
  return withField ? `${e.field}: ${body}` : body;
}

function formatFieldValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: fieldErrorMessage(e, false), field: e.field }));
  // utilerrors.Aggregate.Error(): each distinct message once, in order (kube's causes keep the repeats, as
  // when a strategy runs ValidateX before a ValidateXUpdate that runs it again).
  const rendered = [...new Set(errors.map((e) => fieldErrorMessage(e)))];
  const list = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  return new StatusError(422, 'Invalid', `${qualifiedKind(group, kind)} "${name}" is invalid: ${list}`, {
    name: name || undefined,
    group: group || undefined,
    kind,
    causes,
  } as StatusDetails);
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError(401, 'Unauthorized', message);
}

export function forbidden(gr: GroupResource, name: string, reason: string): StatusError {
  const subject = name === '' ? qualifiedResource(gr) : `${qualifiedResource(gr)} "${name}"`;
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${reason}`, details(gr, name));
}

export function methodNotSupported(gr: GroupResource, verb: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualifiedResource(gr)}"`, {
    group: gr.group || undefined,
    kind: gr.resource,
  } as StatusDetails);
}

/** A verb the route does not serve (go-restful's 405 in kube-apiserver). */
export function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

/** A Content-Type the route does not consume (go-restful's 415, before any handler runs). */
export function routeUnsupportedMediaType(): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
}

export function notAcceptable(accepted: string[]): StatusError {
  return new StatusError(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`);
}

export function unsupportedMediaType(contentType: string, accepted?: string[]): StatusError {
  const msg = accepted
    ? `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`
    : `the body of the request was in an unknown format - accepted media types include: ${contentType}`;
  return new StatusError(415, 'UnsupportedMediaType', msg);
}

export function requestEntityTooLarge(message = 'the server has received a request that is too large'): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/** A continue token or list resourceVersion that etcd compacted away (HTTP 410, reason Expired). */
export function resourceExpired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function gone(message: string): StatusError {
  return new StatusError(410, 'Gone', message);
}

export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message);
}

/** errors.NewServerTimeout: storage could not answer this time; the client should retry after a pause. */
export function serverTimeout(gr: GroupResource, operation: string, retryAfterSeconds: number): StatusError {
  const d: StatusDetails = { name: operation };
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  d.retryAfterSeconds = retryAfterSeconds;
  return new StatusError(
    500,
    'ServerTimeout',
    `The ${operation} operation against ${qualifiedResource(gr)} could not be completed at this time, please try again.`,
    d,
  );
}

export function timeout(message: string, retryAfterSeconds = 0): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: ${message}`, { retryAfterSeconds });
}

/** A resourceVersion newer than etcd's current revision, after waiting for it (storage.NewTooLargeResourceVersionError). */
export function tooLargeResourceVersion(requested: number, current: number, retryAfterSeconds = 1): StatusError {
  // The watch cache's answer (waitUntilFreshAndBlock), which serves these reads when etcd supports progress
  // notifications (3.5+): kube-apiserver v1.34.4 on etcd 3.6 sends retryAfterSeconds 1.
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds,
  });
}

/** StatusDetails in Go's field order (name, group, kind), empty members left out as omitempty does. */
function details(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}
