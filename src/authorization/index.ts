// Authorization: decides whether a user may do what a request asks (k8s.io/apiserver/pkg/authorization/authorizer
// and its union). Authorizers are tried in --authorization-mode order; the first Allow or Deny decides, and the
// reasons of those with no opinion are joined, one per line, into the 403's message. Nothing here sees Koa.
import { forbidden, type StatusError } from '../apimachinery/errors.js';
import type { UserInfo } from '../apimachinery/user.js';

/** What a request asks for (authorizer.AttributesRecord), built from RequestInfo and the authenticated user. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  /** For resource requests. */
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  resourceRequest: boolean;
  /** For non-resource requests: the URL path. */
  path: string;
  /** The raw ?labelSelector= of a list, watch or deletecollection (AuthorizeWithSelectors). */
  labelSelector?: string;
  /** The raw ?fieldSelector= of a list, watch or deletecollection. */
  fieldSelector?: string;
}

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

export interface AuthorizationResult {
  decision: Decision;
  reason: string;
  /**
   * Why the authorizer could not decide (a webhook that failed). kube answers 500 with it when no authorizer
   * allows the request.
   */
  error?: string;
}

export interface Authorizer {
  authorize(a: Attributes): AuthorizationResult | Promise<AuthorizationResult>;
}

/** --authorization-mode=AlwaysAllow. */
export const alwaysAllow: Authorizer = { authorize: () => ({ decision: 'Allow', reason: '' }) };

/** --authorization-mode=AlwaysDeny: no opinion, with kube's reason, so a later mode could still allow. */
export const alwaysDeny: Authorizer = { authorize: () => ({ decision: 'NoOpinion', reason: 'Everything is forbidden.' }) };

/** Members of these groups may do everything (authorizerfactory.NewPrivilegedGroups: system:masters under RBAC). */
export function privilegedGroups(...groups: string[]): Authorizer {
  return {
    authorize: (a) => ({ decision: a.user.groups.some((g) => groups.includes(g)) ? 'Allow' : 'NoOpinion', reason: '' }),
  };
}

/**
 * union.New: the first decision that is not NoOpinion wins; NoOpinion reasons are joined with "\n". The in-memory
 * authorizers answer at once, and so does the chain then: no turn of the event loop per request.
 */
export class AuthorizerChain implements Authorizer {
  constructor(private readonly chain: readonly Authorizer[]) {}

  authorize(a: Attributes): AuthorizationResult | Promise<AuthorizationResult> {
    return this.from(0, [], [], a);
  }

  private from(start: number, reasons: string[], errors: string[], a: Attributes): AuthorizationResult | Promise<AuthorizationResult> {
    for (let i = start; i < this.chain.length; i++) {
      const r = this.chain[i].authorize(a);
      if (r instanceof Promise) {
        return r.then((settled) => {
          if (settled.decision !== 'NoOpinion') return settled;
          noOpinion(settled, reasons, errors);
          return this.from(i + 1, reasons, errors, a);
        });
      }
      if (r.decision !== 'NoOpinion') return r;
      noOpinion(r, reasons, errors);
    }
    const result: AuthorizationResult = { decision: 'NoOpinion', reason: reasons.join('\n') };
    // utilerrors.NewAggregate's text: one error as itself, several as "[a, b]".
    if (errors.length > 0) result.error = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    return result;
  }
}

function noOpinion(r: AuthorizationResult, reasons: string[], errors: string[]): void {
  if (r.reason !== '') reasons.push(r.reason);
  if (r.error !== undefined) errors.push(r.error);
}

/** The part of a 403's message that names who was refused what (responsewriters.forbiddenMessage). */
export function forbiddenMessage(a: Attributes): string {
  if (!a.resourceRequest) return `User "${a.user.name}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (a.namespace) {
    return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" in the namespace "${a.namespace}"`;
  }
  return `User "${a.user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" at the cluster scope`;
}

/** The 403 kube-apiserver writes for a request no authorizer allowed (responsewriters.Forbidden). */
export function forbiddenError(a: Attributes, reason: string): StatusError {
  const message = reason === '' ? forbiddenMessage(a) : `${forbiddenMessage(a)}: ${reason}`;
  const gr = a.resourceRequest ? { group: a.apiGroup, resource: a.resource } : { group: '', resource: '' };
  return forbidden(gr, a.resourceRequest ? a.name : '', message);
}
