// Who may point a ValidatingAdmissionPolicy at params (kube pkg/registry/admissionregistration/
// validatingadmissionpolicy{,binding}/authz.go): a policy's paramKind needs `get` on all objects of that kind, a
// binding's paramRef `get` (by name) or `list` (by selector) on them, unless the writer is in system:masters or nothing
// about the params changed. kube runs it in the strategy's Validate once the object is otherwise valid, as a
// Forbidden field error in a 422; it is composed here because it needs the authorizer and the policies.
import { invalid, type StatusError } from '../apimachinery/errors.js';
import type { KubeObject } from '../apimachinery/meta.js';
import { deepEqual } from '../apimachinery/objects.js';
import type { UserInfo } from '../apimachinery/user.js';
import { fieldForbidden } from '../apimachinery/validation.js';
import type { Authorizer } from '../authorization/index.js';
import type { Scheme } from '../scheme/index.js';

const GROUP = 'admissionregistration.k8s.io';

/** Go's %v of a *user.DefaultInfo: `&{name uid [groups] map[extra]}`. */
function goUser(u: UserInfo): string {
  const extra = Object.keys(u.extra ?? {})
    .sort()
    .map((k) => `${k}:[${(u.extra![k] ?? []).join(' ')}]`)
    .join(' ');
  return `&{${u.name} ${u.uid} [${u.groups.join(' ')}] map[${extra}]}`;
}

function parseGroupVersion(apiVersion: string): { group: string; version: string } | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return undefined;
}

export interface ParamsCheck {
  authorizer: Authorizer;
  scheme: Scheme;
  user: UserInfo;
  resource: string;
  obj: KubeObject;
  old: KubeObject | undefined;
  /** The policy a binding names (for its paramKind). */
  policy(name: string): Promise<KubeObject | undefined>;
}

/** The 422 kube answers when the writer may not read the params, or undefined. */
export async function authorizePolicyParams(c: ParamsCheck): Promise<StatusError | undefined> {
  if (c.user.groups.includes('system:masters')) return undefined;
  const spec = c.obj.spec ?? {};
  const name = c.obj.metadata?.name ?? '';
  const resolve = (paramKind: { apiVersion?: string; kind?: string } | undefined) => {
    let resource = '*';
    let apiGroup = '*';
    let apiVersion = '*';
    const gv = paramKind ? parseGroupVersion(String(paramKind.apiVersion ?? '')) : undefined;
    if (gv) {
      apiGroup = gv.group;
      apiVersion = gv.version;
      const info = c.scheme.lookupKind(gv.group, gv.version, String(paramKind?.kind ?? ''));
      if (info) resource = info.resource;
    }
    return { resource, apiGroup, apiVersion, parsed: gv !== undefined, resolved: resource !== '*' };
  };
  const allowed = async (verb: string, r: { resource: string; apiGroup: string; apiVersion: string }, ns: string, objName: string) =>
    (
      await c.authorizer.authorize({
        user: c.user,
        verb,
        resourceRequest: true,
        namespace: ns,
        name: objName,
        apiGroup: r.apiGroup,
        apiVersion: r.apiVersion,
        resource: r.resource,
        subresource: '',
        path: '',
      })
    ).decision === 'Allow';

  if (c.resource === 'validatingadmissionpolicies') {
    const paramKind = spec.paramKind;
    if (paramKind == null || (c.old?.spec?.paramKind != null && deepEqual(c.old.spec.paramKind, paramKind))) return undefined;
    if (await allowed('get', resolve(paramKind), '*', '*')) return undefined;
    const message = `user ${goUser(c.user)} must have "get" permission on all objects of the referenced paramKind (kind=${paramKind.kind ?? ''}, apiVersion=${paramKind.apiVersion ?? ''})`;
    return invalid(GROUP, 'ValidatingAdmissionPolicy', name, [fieldForbidden('spec.paramKind', message)]);
  }
  if (c.resource === 'validatingadmissionpolicybindings') {
    const paramRef = spec.paramRef;
    if (paramRef == null) return undefined;
    if (c.old?.spec?.paramRef != null && deepEqual(c.old.spec.paramRef, paramRef) && c.old.spec.policyName === spec.policyName)
      return undefined;
    const policy = await c.policy(String(spec.policyName ?? ''));
    const r = resolve(policy?.spec?.paramKind ?? undefined);
    const target = policy?.spec?.paramKind != null ? r : { resource: '*', apiGroup: '*', apiVersion: '*' };
    const verb = paramRef.name ? 'get' : 'list';
    if (await allowed(verb, target, String(paramRef.namespace ?? ''), String(paramRef.name ?? ''))) return undefined;
    const pk = policy?.spec?.paramKind;
    const goParamKind = pk ? `&ParamKind{APIVersion:${pk.apiVersion ?? ''},Kind:${pk.kind ?? ''},}` : '';
    let message: string;
    if (!policy) {
      message = `unable to get policy ${spec.policyName ?? ''} to determine minimum required permissions and user ${goUser(c.user)} does not have "${verb}" permission for all groups, versions and resources`;
    } else if (pk != null && !r.parsed) {
      message = `unable to parse paramKind ${goParamKind} to determine minimum required permissions and user ${goUser(c.user)} does not have "${verb}" permission for all groups, versions and resources`;
    } else if (pk != null && !r.resolved) {
      message = `unable to resolve paramKind ${goParamKind} to determine minimum required permissions and user ${goUser(c.user)} does not have "${verb}" permission for all groups, versions and resources`;
    } else {
      message = `user ${goUser(c.user)} does not have "${verb}" permission on the object referenced by paramRef`;
    }
    return invalid(GROUP, 'ValidatingAdmissionPolicyBinding', name, [fieldForbidden('spec.paramRef', message)]);
  }
  return undefined;
}
