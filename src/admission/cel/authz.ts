// Kube's authorizer library for CEL (k8s.io/apiserver/pkg/cel/library/authz.go): `authorizer` checks what the
// requesting user (or a named ServiceAccount) may do, `authorizer.requestResource` is the request's own resource.
// The check itself is a callback the caller provides (the server's authorizer chain); admission sees no Koa.
import type { Environment } from '@marcbachmann/cel-js';
import type { UserInfo } from '../../apimachinery/user.js';

/** The attributes of one check, as kube's authorizer.AttributesRecord carries them. */
export interface CelAuthorizationAttributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  path: string;
}

export interface CelAuthorizationDecision {
  decision: 'Allow' | 'Deny' | 'NoOpinion';
  reason: string;
  error?: string;
}

export type CelAuthorize = (attributes: CelAuthorizationAttributes) => Promise<CelAuthorizationDecision>;

type Fn = (...args: any[]) => unknown;

/** `authorizer`: whom to check for, and how. */
export class CelAuthorizer {
  constructor(
    readonly authorize: CelAuthorize,
    readonly user: UserInfo,
    /** The request's own resource (authorizer.requestResource). */
    readonly requestResource?: CelResourceCheck,
  ) {}
}

export class CelPathCheck {
  constructor(
    readonly authorizer: CelAuthorizer,
    readonly path: string,
  ) {}
}

export class CelGroupCheck {
  constructor(
    readonly authorizer: CelAuthorizer,
    readonly group: string,
  ) {}
}

export class CelResourceCheck {
  constructor(
    readonly authorizer: CelAuthorizer,
    readonly group: string,
    readonly version: string,
    readonly resource: string,
    readonly subresource = '',
    readonly namespace = '',
    readonly name = '',
  ) {}
  with(changes: Partial<Pick<CelResourceCheck, 'subresource' | 'namespace' | 'name'>>): CelResourceCheck {
    const c = { ...this, ...changes };
    return new CelResourceCheck(this.authorizer, c.group, c.version, c.resource, c.subresource, c.namespace, c.name);
  }
}

export class CelDecision {
  constructor(readonly result: CelAuthorizationDecision) {}
}

/** authorizer.requestResource for a request: its group, version, resource, subresource, namespace and name. */
export function requestResourceCheck(
  authorizer: CelAuthorizer,
  r: { group: string; version: string; resource: string; subresource: string; namespace: string; name: string },
): CelResourceCheck {
  return new CelResourceCheck(authorizer, r.group, r.version, r.resource, r.subresource, r.namespace, r.name);
}

/** Registers kube's Authorizer, PathCheck, GroupCheck, ResourceCheck and Decision types and their functions. */
export function registerAuthz(env: Environment): void {
  const A = 'kubernetes.authorization.Authorizer';
  const P = 'kubernetes.authorization.PathCheck';
  const G = 'kubernetes.authorization.GroupCheck';
  const R = 'kubernetes.authorization.ResourceCheck';
  const D = 'kubernetes.authorization.Decision';
  env.registerType(R, CelResourceCheck);
  env.registerType(A, { ctor: CelAuthorizer, fields: { requestResource: R } });
  env.registerType(P, CelPathCheck);
  env.registerType(G, CelGroupCheck);
  env.registerType(D, CelDecision);
  env.registerFunction(`${A}.path(string): ${P}`, ((a: CelAuthorizer, path: string) => new CelPathCheck(a, path)) as Fn);
  env.registerFunction(`${A}.group(string): ${G}`, ((a: CelAuthorizer, group: string) => new CelGroupCheck(a, group)) as Fn);
  env.registerFunction(
    `${A}.serviceAccount(string, string): ${A}`,
    ((a: CelAuthorizer, ns: string, name: string) =>
      new CelAuthorizer(a.authorize, {
        name: `system:serviceaccount:${ns}:${name}`,
        uid: '',
        groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`],
      })) as Fn,
  );
  env.registerFunction(
    `${G}.resource(string): ${R}`,
    ((g: CelGroupCheck, resource: string) => new CelResourceCheck(g.authorizer, g.group, '*', resource)) as Fn,
  );
  env.registerFunction(`${R}.subresource(string): ${R}`, ((r: CelResourceCheck, subresource: string) => r.with({ subresource })) as Fn);
  env.registerFunction(`${R}.namespace(string): ${R}`, ((r: CelResourceCheck, namespace: string) => r.with({ namespace })) as Fn);
  env.registerFunction(`${R}.name(string): ${R}`, ((r: CelResourceCheck, name: string) => r.with({ name })) as Fn);
  env.registerFunction(
    `${R}.check(string): ${D}`,
    (async (r: CelResourceCheck, verb: string) =>
      new CelDecision(
        await r.authorizer.authorize({
          user: r.authorizer.user,
          verb,
          resourceRequest: true,
          apiGroup: r.group,
          apiVersion: r.version,
          resource: r.resource,
          subresource: r.subresource,
          namespace: r.namespace,
          name: r.name,
          path: '',
        }),
      )) as Fn,
  );
  env.registerFunction(
    `${P}.check(string): ${D}`,
    (async (p: CelPathCheck, verb: string) =>
      new CelDecision(
        await p.authorizer.authorize({
          user: p.authorizer.user,
          verb: verb.toLowerCase(),
          resourceRequest: false,
          apiGroup: '',
          apiVersion: '',
          resource: '',
          subresource: '',
          namespace: '',
          name: '',
          path: p.path,
        }),
      )) as Fn,
  );
  env.registerFunction(`${D}.allowed(): bool`, ((d: CelDecision) => d.result.decision === 'Allow') as Fn);
  env.registerFunction(`${D}.reason(): string`, ((d: CelDecision) => d.result.reason) as Fn);
  env.registerFunction(`${D}.errored(): bool`, ((d: CelDecision) => d.result.error !== undefined && d.result.error !== '') as Fn);
  env.registerFunction(`${D}.error(): string`, ((d: CelDecision) => d.result.error ?? '') as Fn);
}
