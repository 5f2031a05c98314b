// The review APIs' Create, one per kind (kube pkg/registry/authorization/{selfsubjectaccessreview,
// subjectaccessreview,localsubjectaccessreview,selfsubjectrulesreview}/rest.go and pkg/registry/authentication/
// {selfsubjectreview,tokenreview}): they ask the server's own authorizer chain, rule resolvers and authenticator
// chain and answer with an object; nothing is stored. This sits in server/ as escalation.ts does, because it joins
// authorization, authentication and the registry.
import { badRequest, internalError, invalid } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/meta.js';
import { formatTime } from '../apimachinery/time.js';
import { ANONYMOUS, type Authenticator } from '../authentication/index.js';
import type { Authorizer } from '../authorization/index.js';
import { accessReviewStatus, reviewAttributes, specUser } from '../authorization/review.js';
import { aggregateMessage, type RuleResolver } from '../authorization/rules-for.js';
import type { Creater } from '../registry/create-only.js';
import { validateAccessReview, type AccessReviewKind } from '../registry/validation/authorization.js';

type Json = Record<string, any>;

const AUTHORIZATION_GROUP = 'authorization.k8s.io';

export interface ReviewDeps {
  authorizer: Authorizer;
  rules: RuleResolver;
  authenticator: Authenticator;
  /** --api-audiences: what a TokenReview without spec.audiences checks tokens against (none: no audience check). */
  apiAudiences: readonly string[];
  /** --anonymous-auth: a review whose header carries no token is system:anonymous's, as a request would be. */
  anonymous?: boolean;
}

/** The Create of each review resource, by `<group>/<resource>` (the scheme's NOT_STORED list names the same six). */
export function reviewCreaters(deps: ReviewDeps): ReadonlyMap<string, Creater> {
  const accessReview =
    (kind: AccessReviewKind): Creater =>
    async (obj, { user }) => {
      const errs = validateAccessReview(kind, obj);
      // apierrors.NewInvalid(authorizationapi.Kind(review.Kind), "", errs): the decoded internal object's Kind is empty.
      if (errs.length > 0) throw invalid(AUTHORIZATION_GROUP, '', '', errs);
      const spec: Json = obj.spec ?? {};
      const review = reviewAttributes(kind === 'SelfSubjectAccessReview' ? user : specUser(spec), spec);
      const result = await deps.authorizer.authorize(review.attributes);
      return { ...obj, status: accessReviewStatus(result, review) };
    };

  return new Map<string, Creater>([
    ['authorization.k8s.io/selfsubjectaccessreviews', accessReview('SelfSubjectAccessReview')],
    ['authorization.k8s.io/subjectaccessreviews', accessReview('SubjectAccessReview')],
    ['authorization.k8s.io/localsubjectaccessreviews', accessReview('LocalSubjectAccessReview')],
    [
      'authorization.k8s.io/selfsubjectrulesreviews',
      (obj, { user }) => {
        const namespace = typeof obj.spec?.namespace === 'string' ? obj.spec.namespace : '';
        if (namespace === '') throw badRequest('no namespace on request');
        const r = deps.rules.rulesFor(user, namespace);
        // A new object: the answer carries neither the request's spec nor its metadata.
        const status: Json = { resourceRules: r.resourceRules, nonResourceRules: r.nonResourceRules, incomplete: r.incomplete };
        if (r.errors.length > 0) status.evaluationError = aggregateMessage(r.errors);
        return { metadata: {}, spec: {}, status } as KubeObject;
      },
    ],
    [
      'authentication.k8s.io/selfsubjectreviews',
      (_obj, { user }) => ({
        metadata: { creationTimestamp: formatTime() },
        status: { userInfo: { username: user.name, uid: user.uid, groups: user.groups, extra: user.extra ?? {} } },
      }),
    ],
    ['authentication.k8s.io/tokenreviews', (obj) => tokenReview(obj, deps)],
  ]);
}

/**
 * tokenreview/storage.go: the token goes through the authenticator chain as a bearer token (in an Authorization
 * header, read as kube reads one: `alice-token extra` is alice's token, ` alice-token` no token), with spec.audiences (or
 * the server's audiences). kgate's authenticators are audience-agnostic unless they answer with audiences; for those
 * kube's WrapAudienceAgnosticToken applies: the token is only good for the server's own audiences.
 */
async function tokenReview(obj: KubeObject, deps: ReviewDeps): Promise<KubeObject> {
  const spec: Json = obj.spec ?? {};
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (token === '') throw badRequest('token is required for TokenReview in authentication');
  const requested: string[] = Array.isArray(spec.audiences) ? spec.audiences.map(String) : [];
  const audiences = requested.length > 0 ? requested : [...deps.apiAudiences];
  const status: Json = { user: {} };
  let result = deps.authenticator.authenticate({ authorization: `Bearer ${token}`, audiences });
  if (result instanceof Promise) result = await result;
  // kube runs the review through the request authenticator, anonymous included (it answers for the audiences asked).
  if (result.kind === 'none' && deps.anonymous)
    result = { kind: 'authenticated', user: ANONYMOUS, audiences: audiences.length > 0 ? audiences : undefined };
  let granted: string[] | undefined;
  if (result.kind === 'authenticated') {
    if (result.audiences !== undefined) granted = result.audiences;
    else if (audiences.length > 0) {
      // Audience-agnostic: valid for the intersection of the server's audiences and the requested ones.
      granted = deps.apiAudiences.filter((a) => audiences.includes(a));
      if (granted.length === 0) result = { kind: 'rejected' };
    }
  }
  if (result.kind === 'authenticated') {
    if (audiences.length > 0 && !(granted ?? []).some((a) => audiences.includes(a))) {
      // badAuthenticatorAuds: an audience-aware authenticator answered for audiences nobody asked for.
      throw internalError('error validating audiences');
    }
    status.authenticated = true;
    const u = result.user;
    status.user = { username: u.name, uid: u.uid, groups: u.groups, extra: u.extra ?? {} };
    if (granted !== undefined) status.audiences = granted;
  } else if (result.kind === 'rejected') {
    // The bearer token authenticator's answer for a token no authenticator accepted (bearertoken.invalidToken);
    // a header without a token (the review's token began with a space) is no error, only unauthenticated.
    status.error = 'invalid bearer token';
  }
  return { ...obj, status };
}
