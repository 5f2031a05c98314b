// The decoder's check of a subresource body's kind against the one its endpoint takes (a TokenRequest, a Binding),
// with kube's texts: the scheme's "no kind is registered" for an unknown kind, the converter's "unknown conversion"
// for a known kind of another type (runtime.Scheme's Convert into the endpoint's internal type).
import { badRequest } from '../../apimachinery/errors.js';
import { isRegistered } from '../../scheme/registered.js';
import type { ResourceScope } from './scope.js';

export interface SubresourceKind {
  /** e.g. authentication.k8s.io/v1 or v1. */
  groupVersion: string;
  kind: string;
  /** The internal group's name in converter texts: `authentication`, `core`. */
  internalGroup: string;
}

export function checkSubresourceKind(scope: ResourceScope, body: Record<string, unknown>, want: SubresourceKind): void {
  const apiVersion = typeof body.apiVersion === 'string' ? body.apiVersion : '';
  const kind = typeof body.kind === 'string' && body.kind !== '' ? body.kind : want.kind;
  const groupVersion = apiVersion === '' ? want.groupVersion : apiVersion;
  if (kind === want.kind && groupVersion === want.groupVersion) return;
  const slash = groupVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', groupVersion] : [groupVersion.slice(0, slash), groupVersion.slice(slash + 1)];
  const cannotHandle = `${kind} in version "${version}" cannot be handled as a ${want.kind}`;
  if (!isRegistered({ group, version, kind }, scope.servedResources)) {
    throw badRequest(
      `${cannotHandle}: no kind "${kind}" is registered for version "${groupVersion}" in scheme "pkg/runtime/scheme.go:110"`,
    );
  }
  throw badRequest(`${cannotHandle}: converting (${version}.${kind}) to (${want.internalGroup}.${want.kind}): unknown conversion`);
}
