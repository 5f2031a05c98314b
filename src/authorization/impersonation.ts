// Impersonation (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): Impersonate-User, Impersonate-Group,
// Impersonate-Uid and Impersonate-Extra-<key> headers make the request act as another user, when the requester is
// authorized to `impersonate` each: users (or serviceaccounts, for a system:serviceaccount:<ns>:<name> user),
// groups, uids and userextras/<key>. It runs after authentication and before authorization.
import { isDNS1123Label, isDNS1123Subdomain } from '../apimachinery/validation.js';
import type { UserInfo } from '../apimachinery/user.js';
import { forbiddenError, type Attributes, type AuthorizationResult } from './index.js';

/** kube's header names, lower-cased as Node gives them. */
const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const SA_PREFIX = 'system:serviceaccount:';

interface ImpersonationRequest {
  kind: 'User' | 'ServiceAccount' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  /** For UserExtra: the extra key. */
  fieldPath: string;
}

/** A request that asks for groups, extras or a uid but no user: kube answers a plain-text 500. */
export class ImpersonationRequestError extends Error {}

/** serviceaccount.SplitUsername: `system:serviceaccount:<namespace>:<name>` with a valid namespace and name. */
function splitServiceAccount(username: string): [string, string] | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  if (isDNS1123Label(namespace).length > 0 || isDNS1123Subdomain(name).length > 0) return undefined;
  return [namespace, name];
}

/** Go's %v of a v1.ObjectReference: its seven fields, space-separated, in braces. */
const describeRef = (r: ImpersonationRequest) => `{${r.kind} ${r.namespace} ${r.name}  ${r.apiVersion}  ${r.fieldPath}}`;

/** Header name/value pairs in arrival order (Node's rawHeaders), names lower-cased. */
export type HeaderPairs = readonly [string, string][];

/** buildImpersonationRequests; empty when the request impersonates nobody. */
function impersonationRequests(headers: HeaderPairs): ImpersonationRequest[] {
  const first = (name: string) => headers.find(([n]) => n === name)?.[1] ?? '';
  const out: ImpersonationRequest[] = [];
  const user = first(USER);
  if (user !== '') {
    const sa = splitServiceAccount(user);
    out.push(
      sa
        ? { kind: 'ServiceAccount', namespace: sa[0], name: sa[1], apiVersion: '', fieldPath: '' }
        : { kind: 'User', namespace: '', name: user, apiVersion: '', fieldPath: '' },
    );
  }
  const groups = headers.filter(([n]) => n === GROUP);
  for (const [, group] of groups) out.push({ kind: 'Group', namespace: '', name: group, apiVersion: '', fieldPath: '' });
  // Go walks a header map, whose order is random; kube authorizes each value, so the order only shows in messages.
  const extras = headers.filter(([n]) => n.startsWith(EXTRA_PREFIX));
  for (const [n, value] of extras) {
    const encoded = n.slice(EXTRA_PREFIX.length);
    let key = encoded;
    try {
      key = decodeURIComponent(encoded);
    } catch {
      // url.PathUnescape failed: kube keeps the key as sent.
    }
    out.push({ kind: 'UserExtra', namespace: '', name: value, apiVersion: 'authentication.k8s.io/v1', fieldPath: key });
  }
  const uid = first(UID);
  if (uid !== '') out.push({ kind: 'UID', namespace: '', name: uid, apiVersion: 'authentication.k8s.io/v1', fieldPath: '' });
  if ((groups.length > 0 || extras.length > 0 || uid !== '') && user === '') {
    throw new ImpersonationRequestError(`requested [${out.map(describeRef).join(' ')}] without impersonating a user`);
  }
  return out;
}

const RESOURCE: Readonly<Record<ImpersonationRequest['kind'], string>> = {
  ServiceAccount: 'serviceaccounts',
  User: 'users',
  Group: 'groups',
  UserExtra: 'userextras',
  UID: 'uids',
};

/**
 * The user a request acts as: the requester itself, or the one its headers impersonate once every part is
 * authorized. Throws kube's 403 for a part the requester may not impersonate, ImpersonationRequestError for a
 * malformed set of headers.
 */
export async function impersonatedUser(
  headers: HeaderPairs,
  requester: UserInfo,
  authorize: (a: Attributes) => AuthorizationResult | Promise<AuthorizationResult>,
): Promise<UserInfo> {
  const requests = impersonationRequests(headers);
  if (requests.length === 0) return requester;
  const groupsSpecified = headers.some(([n]) => n === GROUP);
  let name = '';
  let groups: string[] = [];
  let uid = '';
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    const [apiGroup, apiVersion] = r.apiVersion.includes('/') ? r.apiVersion.split('/') : ['', r.apiVersion];
    const attrs: Attributes = {
      user: requester,
      verb: 'impersonate',
      namespace: r.namespace,
      apiGroup,
      apiVersion,
      resource: RESOURCE[r.kind],
      subresource: r.kind === 'UserExtra' ? r.fieldPath : '',
      name: r.name,
      resourceRequest: true,
      path: '',
    };
    if (r.kind === 'ServiceAccount') {
      name = `${SA_PREFIX}${r.namespace}:${r.name}`;
      if (!groupsSpecified) groups = ['system:serviceaccounts', `system:serviceaccounts:${r.namespace}`];
    } else if (r.kind === 'User') name = r.name;
    else if (r.kind === 'Group') groups.push(r.name);
    else if (r.kind === 'UserExtra') (extra[r.fieldPath] ??= []).push(r.name);
    else uid = r.name;
    const decision = await authorize(attrs);
    if (decision.decision !== 'Allow') throw forbiddenError(attrs, decision.reason);
  }
  if (name !== 'system:anonymous') {
    if (!groups.includes('system:authenticated') && !groups.includes('system:unauthenticated')) groups.push('system:authenticated');
  } else if (!groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
  return { name, uid, groups, ...(Object.keys(extra).length > 0 && { extra }) };
}
