// The admission chain, in kube's order for the plugins kgate runs (NamespaceLifecycle, NodeRestriction with the Node
// authorizer, the CSR approval, signing and subject-restriction plugins), and the hook the registry calls per write:
// RBAC's escalation checks first (kube's policybased REST storage runs them before admission), then the chain.
import type { UserInfo } from '../apimachinery/user.js';
import { CertificateApproval, CertificateSigning, CertificateSubjectRestriction } from '../admission/certificates.js';
import { AdmissionChain } from '../admission/index.js';
import { NamespaceLifecycle } from '../admission/namespacelifecycle.js';
import { NodeRestriction } from '../admission/noderestriction.js';
import type { RequestInfo } from '../endpoints/requestinfo.js';
import type { AdmissionHook, ResourceStore } from '../registry/store.js';
import type { ResourceInfo } from '../scheme/index.js';
import type { KubeObject } from '../storage/interface.js';
import { RBAC_GROUP, type Authorization } from './authorization.js';
import { preventEscalation } from './escalation.js';

export type AdmissionFor = (resource: ResourceInfo, request: RequestInfo, user: UserInfo) => AdmissionHook;

/** `storeOf` finds the store of a served resource (namespaces, nodes and pods are read here). */
export function buildAdmission(
  { authorizer, policy, nodeAuthorizer }: Authorization,
  storeOf: (group: string, version: string, resource: string) => ResourceStore,
): AdmissionFor {
  const namespaceStore = storeOf('', 'v1', 'namespaces');
  // certauthorization's attributes: verb on certificates.k8s.io/signers named after the signer, any API version.
  const authorizeSigner = async (user: UserInfo, verb: string, name: string) =>
    (
      await authorizer.authorize({
        user,
        verb,
        namespace: '',
        apiGroup: 'certificates.k8s.io',
        apiVersion: '*',
        resource: 'signers',
        subresource: '',
        name,
        resourceRequest: true,
        path: '',
      })
    ).decision === 'Allow';
  const admission = new AdmissionChain([
    // Admission reads the namespace as an informer would: from the cache, confirmed against etcd on a miss.
    new NamespaceLifecycle({ get: (name) => cachedGet(namespaceStore, '', name) }),
    // With the Node authorizer, NodeRestriction limits the writes it allows to the kubelet's own objects.
    ...(nodeAuthorizer
      ? [
          new NodeRestriction({
            node: (name) => cachedGet(storeOf('', 'v1', 'nodes'), '', name),
            pod: (ns, name) => cachedGet(storeOf('', 'v1', 'pods'), ns, name),
            authorize: async (user, verb, namespace, resource, name) =>
              (
                await authorizer.authorize({
                  user,
                  verb,
                  namespace,
                  apiGroup: '',
                  apiVersion: 'v1',
                  resource,
                  subresource: '',
                  name,
                  resourceRequest: true,
                  path: '',
                })
              ).decision === 'Allow',
          }),
        ]
      : []),
    // kube's validating plugins for CSRs; they ask the same authorizer chain as requests do.
    new CertificateApproval(authorizeSigner),
    new CertificateSigning(authorizeSigner),
    new CertificateSubjectRestriction(),
  ]);
  return (resource: ResourceInfo, request: RequestInfo, user: UserInfo): AdmissionHook =>
    async (op, obj, old) => {
      if (policy && resource.group === RBAC_GROUP && op !== 'DELETE' && obj) {
        await preventEscalation({ policy, authorizer, resource, request, user, obj, old });
      }
      await admission.run({
        operation: op,
        resource,
        subresource: request.subresource,
        namespace: request.namespace,
        name: obj?.metadata?.name ?? old?.metadata?.name ?? request.name,
        object: obj,
        oldObject: old,
        dryRun: false,
        user,
      });
    };
}

/** An object as admission reads it, like an informer: from the cache, confirmed against etcd on a miss. */
async function cachedGet(store: ResourceStore, namespace: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await store.get(namespace, name, { allowStale: true });
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}
