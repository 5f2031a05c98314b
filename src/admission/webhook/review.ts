// The AdmissionReview a webhook is sent and what its answer must be (k8s.io/apiserver/pkg/admission/plugin/webhook/
// request/admissionreview.go: CreateAdmissionObjects, CreateV1AdmissionReview, VerifyAdmissionResponse), and the
// Status of a denial (webhook/errors/statuserror.go: ToStatusErr, NewDryRunUnsupportedErr).
import { randomUUID } from 'node:crypto';
import { StatusError, badRequest, type Status, type StatusDetails, type StatusReason } from '../../apimachinery/errors.js';
import { isObject } from '../../apimachinery/objects.js';
import type { UserInfo } from '../../apimachinery/user.js';
import type { KubeObject } from '../../storage/interface.js';
import type { Operation } from '../index.js';

export interface GVK {
  group: string;
  version: string;
  kind: string;
}
export interface GVR {
  group: string;
  version: string;
  resource: string;
}

/** What one invocation sends (the attributes as the webhook's matched resource sees them). */
export interface ReviewInput {
  /** The kind and resource the webhook matched (an equivalent of the request's under matchPolicy Equivalent). */
  kind: GVK;
  resource: GVR;
  subresource: string;
  requestKind: GVK;
  requestResource: GVR;
  name: string;
  namespace: string;
  operation: Operation;
  user?: UserInfo;
  object?: KubeObject;
  oldObject?: KubeObject;
  dryRun: boolean;
  options?: KubeObject;
}

/** The answer, checked (AdmissionResponse). */
export interface AdmissionResult {
  allowed: boolean;
  auditAnnotations: Record<string, string>;
  /** The decoded JSON patch operations, when there is a patch. */
  patch?: unknown;
  patchType: string;
  result?: Record<string, unknown>;
  warnings: string[];
}

/** A webhook answered, but not as an AdmissionReview should be: a call failure ("received invalid webhook response"). */
export class InvalidResponseError extends Error {}

/** CreateAdmissionObjects: the first version the webhook accepts that kube knows. */
export function reviewVersion(versions: readonly string[]): 'v1' | 'v1beta1' | undefined {
  for (const v of versions) if (v === 'v1' || v === 'v1beta1') return v;
  return undefined;
}

/** The AdmissionRequest without its objects: also what matchConditions see as `request`. */
export function admissionRequest(uid: string, input: ReviewInput): Record<string, unknown> {
  const user = input.user;
  const userInfo: Record<string, unknown> = { username: user?.name ?? '' };
  if (user?.uid) userInfo.uid = user.uid;
  if (user?.groups && user.groups.length > 0) userInfo.groups = user.groups;
  if (user?.extra && Object.keys(user.extra).length > 0) userInfo.extra = user.extra;
  const request: Record<string, unknown> = {
    uid,
    kind: { ...gvk(input.kind) },
    resource: gvr(input.resource),
  };
  if (input.subresource) request.subResource = input.subresource;
  request.requestKind = gvk(input.requestKind);
  request.requestResource = gvr(input.requestResource);
  if (input.subresource) request.requestSubResource = input.subresource;
  if (input.name) request.name = input.name;
  if (input.namespace) request.namespace = input.namespace;
  request.operation = input.operation;
  request.userInfo = userInfo;
  return request;
}

/** CreateV1AdmissionReview / CreateV1beta1AdmissionReview, as the JSON body the webhook is posted. */
export function createReview(version: 'v1' | 'v1beta1', input: ReviewInput): { uid: string; body: string } {
  const uid = randomUUID();
  const request = admissionRequest(uid, input);
  request.object = input.object ?? null;
  request.oldObject = input.oldObject ?? null;
  request.dryRun = input.dryRun;
  request.options = input.options ?? null;
  return { uid, body: JSON.stringify({ kind: 'AdmissionReview', apiVersion: `admission.k8s.io/${version}`, request }) };
}

function gvk(k: GVK): Record<string, string> {
  return { group: k.group, version: k.version, kind: k.kind };
}
function gvr(r: GVR): Record<string, string> {
  return { group: r.group, version: r.version, resource: r.resource };
}

/** VerifyAdmissionResponse for the review version sent. Throws InvalidResponseError with kube's reason. */
export function verifyResponse(version: 'v1' | 'v1beta1', uid: string, mutating: boolean, review: unknown): AdmissionResult {
  const r = isObject(review) ? review : {};
  const response = r.response;
  if (!isObject(response)) throw new InvalidResponseError('webhook response was absent');
  const patchBytes = typeof response.patch === 'string' && response.patch !== '' ? Buffer.from(response.patch, 'base64') : undefined;
  const base = {
    allowed: response.allowed === true,
    auditAnnotations: isObject(response.auditAnnotations) ? (response.auditAnnotations as Record<string, string>) : {},
    // AdmissionResponse.Result is `status` in JSON.
    result: isObject(response.status) ? (response.status as Record<string, unknown>) : undefined,
    warnings: Array.isArray(response.warnings) ? response.warnings.map(String) : [],
  };
  if (version === 'v1beta1') {
    const patch = mutating && patchBytes && patchBytes.length > 0 ? decodePatch(patchBytes) : undefined;
    return { ...base, patch, patchType: patch !== undefined ? 'JSONPatch' : '' };
  }
  if (response.uid !== uid)
    throw new InvalidResponseError(`expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(response.uid ?? '')}`);
  const gotGroupVersion = String(r.apiVersion ?? '');
  if (gotGroupVersion !== 'admission.k8s.io/v1' || r.kind !== 'AdmissionReview') {
    // schema.GroupVersionKind.String(): "group/version, Kind=kind".
    const slash = gotGroupVersion.indexOf('/');
    const [group, ver] = slash < 0 ? ['', gotGroupVersion] : [gotGroupVersion.slice(0, slash), gotGroupVersion.slice(slash + 1)];
    throw new InvalidResponseError(
      `expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${group}/${ver}, Kind=${String(r.kind ?? '')}`,
    );
  }
  const patchType = response.patchType;
  if (!mutating) {
    if (patchBytes) throw new InvalidResponseError('validating webhook may not return response.patch');
    if (patchType != null) throw new InvalidResponseError('validating webhook may not return response.patchType');
    return { ...base, patchType: '' };
  }
  if (patchBytes && patchType == null) throw new InvalidResponseError('webhook returned response.patch but not response.patchType');
  if (!patchBytes && patchType != null) throw new InvalidResponseError('webhook returned response.patchType but not response.patch');
  if (patchType === '') throw new InvalidResponseError(`webhook returned invalid response.patchType of ""`);
  return { ...base, patch: patchBytes ? decodePatch(patchBytes) : undefined, patchType: patchType == null ? '' : String(patchType) };
}

/** A patch that is not JSON is the dispatcher's "received undecodable patch" failure; kept as the raw text here. */
function decodePatch(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return new UndecodablePatch((e as Error).message);
  }
}

export class UndecodablePatch {
  constructor(readonly reason: string) {}
}

/** ToStatusErr: the webhook's own Status, at least 400 and Failure, its message prefixed with who denied it. */
export function denial(webhookName: string, result: Record<string, unknown> | undefined): StatusError {
  const deniedBy = `admission webhook ${JSON.stringify(webhookName)} denied the request`;
  const r = result ?? {};
  let code = typeof r.code === 'number' ? r.code : 0;
  if (code < 400) code = 400;
  const message = typeof r.message === 'string' ? r.message : '';
  const reason = typeof r.reason === 'string' ? r.reason : '';
  const text = message !== '' ? `${deniedBy}: ${message}` : reason !== '' ? `${deniedBy}: ${reason}` : `${deniedBy} without explanation`;
  const err = new StatusError(code, reason as StatusReason, text, isObject(r.details) ? (r.details as StatusDetails) : undefined);
  // The webhook's Status is kept whole, metadata included (kube returns it as the error's ErrStatus).
  const status = err.status as Status & { metadata: Record<string, unknown> };
  if (isObject(r.metadata)) status.metadata = r.metadata as Record<string, unknown>;
  return err;
}

/** NewDryRunUnsupportedErr. */
export function dryRunUnsupported(webhookName: string): StatusError {
  return badRequest(`admission webhook ${JSON.stringify(webhookName)} does not support dry run`);
}
