// --authorization-mode=Webhook (k8s.io/apiserver/plugin/pkg/authorizer/webhook/webhook.go, configured from the
// legacy flags as pkg/kubeapiserver/options/authorization.go does: failure policy NoOpinion). Each request's
// attributes go to the remote service as a SubjectAccessReview; status.allowed allows, status.denied denies and
// ends the chain, neither is no opinion. The webhook's status.reason is the 403 message's reason. Answers are cached
// by the review's spec: allowed ones for --authorization-webhook-cache-authorized-ttl, the rest for
// --authorization-webhook-cache-unauthorized-ttl. A failed call is no opinion with an error: the server answers 500
// unless a later authorizer decides.
import { parseFieldSelector } from '../apimachinery/fields.js';
import { parseLabelSelector } from '../apimachinery/labels.js';
import type { Attributes, AuthorizationResult, Authorizer } from './index.js';

/** Posts a SubjectAccessReview and resolves with the decoded answer (the server's webhook client does the HTTP). */
export type SubjectAccessReviewPoster = (review: object) => Promise<unknown>;

export interface WebhookAuthorizerSettings {
  /** --authorization-webhook-version: v1 or v1beta1 (authorization.k8s.io). */
  version: 'v1' | 'v1beta1';
  /** --authorization-webhook-cache-authorized-ttl in milliseconds (default 5m); 0 caches nothing. */
  authorizedTTLMs: number;
  /** --authorization-webhook-cache-unauthorized-ttl in milliseconds (default 30s); 0 caches nothing. */
  unauthorizedTTLMs: number;
  log?: (message: string) => void;
  now?: () => number;
}

/** The response cache's size (cache.NewLRUExpireCache(8192)). */
const MAX_CACHED = 8192;
/** shouldCache: requests whose attributes add up to this many characters or more are never cached. */
const MAX_CONTROLLED_ATTR_CACHE_SIZE = 10_000;

interface ReviewStatus {
  allowed: boolean;
  denied: boolean;
  reason: string;
}

export class WebhookAuthorizer implements Authorizer {
  private readonly cache = new Map<string, { expires: number; status: ReviewStatus }>();
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly post: SubjectAccessReviewPoster,
    private readonly settings: WebhookAuthorizerSettings,
  ) {
    this.now = settings.now ?? Date.now;
    this.log = settings.log ?? (() => undefined);
  }

  async authorize(a: Attributes): Promise<AuthorizationResult> {
    const spec = reviewSpec(a);
    // kube keys its cache on the JSON of the spec.
    const key = JSON.stringify(spec);
    let status: ReviewStatus;
    const hit = this.cache.get(key);
    if (hit && hit.expires > this.now()) {
      status = hit.status;
    } else {
      try {
        status = statusOf(
          await this.post({
            kind: 'SubjectAccessReview',
            apiVersion: `authorization.k8s.io/${this.settings.version}`,
            metadata: {},
            spec: this.settings.version === 'v1beta1' ? v1beta1Spec(spec) : spec,
            status: { allowed: false },
          }),
        );
      } catch (error) {
        const message = (error as Error).message;
        this.log(`Failed to make webhook authorizer request: ${message}`);
        return { decision: 'NoOpinion', reason: '', error: message };
      }
      if (shouldCache(a)) this.remember(key, status);
    }
    if (status.denied && status.allowed) {
      return { decision: 'Deny', reason: status.reason, error: 'webhook subject access review returned both allow and deny response' };
    }
    if (status.denied) return { decision: 'Deny', reason: status.reason };
    if (status.allowed) return { decision: 'Allow', reason: status.reason };
    return { decision: 'NoOpinion', reason: status.reason };
  }

  private remember(key: string, status: ReviewStatus): void {
    const ttl = status.allowed ? this.settings.authorizedTTLMs : this.settings.unauthorizedTTLMs;
    if (ttl <= 0) return;
    this.cache.delete(key);
    // The least recently stored entry goes first (Map keeps insertion order).
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { expires: this.now() + ttl, status });
  }
}

/** SubjectAccessReviewSpec in Go's field order, empty fields left out as its omitempty tags do. */
export function reviewSpec(a: Attributes): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (a.resourceRequest) {
    const attributes: Record<string, unknown> = omitEmpty({
      namespace: a.namespace,
      verb: a.verb,
      group: a.apiGroup,
      version: a.apiVersion,
      resource: a.resource,
      subresource: a.subresource,
      name: a.name,
    });
    const fieldSelector = fieldRequirements(a.fieldSelector);
    if (fieldSelector) attributes.fieldSelector = { requirements: fieldSelector };
    const labelSelector = labelRequirements(a.labelSelector);
    if (labelSelector) attributes.labelSelector = { requirements: labelSelector };
    spec.resourceAttributes = attributes;
  } else {
    spec.nonResourceAttributes = omitEmpty({ path: a.path, verb: a.verb });
  }
  if (a.user.name !== '') spec.user = a.user.name;
  if (a.user.groups.length > 0) spec.groups = a.user.groups;
  if (a.user.extra && Object.keys(a.user.extra).length > 0) {
    // Go encodes map keys sorted.
    spec.extra = Object.fromEntries(Object.entries(a.user.extra).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  }
  if (a.user.uid !== '') spec.uid = a.user.uid;
  return spec;
}

/**
 * fieldSelectorToAuthorizationAPI: `=`/`==` become In, `!=` NotIn, each with its one value. A selector that does
 * not parse sends nothing (kube authorizes the broader request).
 */
function fieldRequirements(raw: string | undefined): object[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  let terms;
  try {
    terms = parseFieldSelector(raw).requirements();
  } catch {
    return undefined;
  }
  if (terms.length === 0) return undefined;
  return terms.map((t) => ({ key: t.field, operator: t.operator === '=' ? 'In' : 'NotIn', values: [t.value] }));
}

/** labelSelectorToAuthorizationAPI: In, NotIn, Exists, DoesNotExist; `gt`/`lt` are left out, as kube does. */
function labelRequirements(raw: string | undefined): object[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  let requirements;
  try {
    requirements = parseLabelSelector(raw).requirements;
  } catch {
    return undefined;
  }
  const out: object[] = [];
  for (const r of requirements) {
    const operator =
      r.operator === '=' || r.operator === '==' || r.operator === 'in'
        ? 'In'
        : r.operator === '!=' || r.operator === 'notin'
          ? 'NotIn'
          : r.operator === 'exists'
            ? 'Exists'
            : r.operator === '!'
              ? 'DoesNotExist'
              : undefined;
    if (operator === undefined) continue;
    out.push({ key: r.key, operator, ...(r.values.length > 0 && { values: [...r.values] }) });
  }
  return out.length > 0 ? out : undefined;
}

/** authorization.k8s.io/v1beta1 names the groups field `group`; the rest is v1's layout. */
function v1beta1Spec(spec: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).map(([key, value]) => [key === 'groups' ? 'group' : key, value]));
}

function omitEmpty(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
}

function statusOf(answer: unknown): ReviewStatus {
  const status = ((answer as { status?: Record<string, unknown> } | null)?.status ?? {}) as Record<string, unknown>;
  return {
    allowed: status.allowed === true,
    denied: status.denied === true,
    reason: typeof status.reason === 'string' ? status.reason : '',
  };
}

function shouldCache(a: Attributes): boolean {
  const size = [a.namespace, a.verb, a.apiGroup, a.apiVersion, a.resource, a.subresource, a.name, a.path].reduce((n, s) => n + s.length, 0);
  return size < MAX_CONTROLLED_ATTR_CACHE_SIZE;
}
