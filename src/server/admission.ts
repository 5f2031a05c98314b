// The admission chain, built from the enabled plugin names in kube's order (src/admission/plugins.ts), and the hook
// the registry calls per write: mutating admission before the kind's preparation and validation, RBAC's escalation
// checks after it (kube's policybased REST storage runs them inside Create/Update, before BeforeCreate), then
// validating admission after the kind's validation.
import type { UserInfo } from '../apimachinery/user.js';
import { CertificateApproval, CertificateSigning, CertificateSubjectRestriction } from '../admission/certificates.js';
import { AdmissionChain, type AdmissionAttributes, type AdmissionPlugin, type Operation } from '../admission/index.js';
import { NamespaceLifecycle } from '../admission/namespacelifecycle.js';
import { NodeRestriction } from '../admission/noderestriction.js';
import { alwaysAdmit, alwaysDeny } from '../admission/always.js';
import { DefaultIngressClass } from '../admission/ingressclass.js';
import { Priority } from '../admission/priority.js';
import { RuntimeClassAdmission } from '../admission/runtimeclass.js';
import { ServiceAccountAdmission } from '../admission/serviceaccount.js';
import { DefaultStorageClass, PersistentVolumeClaimResize, storageObjectInUseProtection } from '../admission/storage.js';
import { defaultTolerationSeconds, taintNodesByCondition } from '../admission/tolerations.js';
import { DEFAULT_ON_PLUGINS, IMPLEMENTED_PLUGINS, ALL_ORDERED_PLUGINS } from '../admission/plugins.js';
import type { RequestInfo } from '../endpoints/requestinfo.js';
import type { AdmissionHook, ResourceStore } from '../registry/store.js';
import type { ResourceInfo } from '../scheme/index.js';
import type { KubeObject } from '../storage/interface.js';
import { RBAC_GROUP, type Authorization } from './authorization.js';
import { preventEscalation } from './escalation.js';

/** What admission may hand back to the request beside its decision. */
export interface AdmissionResponse {
  /** A `Warning` header. */
  warn(message: string): void;
  /** An annotation on the request's audit event. */
  annotate(key: string, value: string): void;
}

export type AdmissionFor = (
  resource: ResourceInfo,
  request: RequestInfo,
  user: UserInfo,
  response: AdmissionResponse,
  query: URLSearchParams,
) => AdmissionHook;

type StoreOf = (group: string, version: string, resource: string) => ResourceStore;

/** What plugins are built from. */
interface PluginDeps {
  authorization: Authorization;
  storeOf: StoreOf;
}

/** One constructor per plugin kgate has; undefined when the plugin has nothing to do in this configuration. */
const PLUGINS: Record<string, (deps: PluginDeps) => AdmissionPlugin | undefined> = {
  AlwaysAdmit: () => alwaysAdmit,
  // Admission reads the namespace as an informer would: from the cache, confirmed against etcd on a miss.
  NamespaceLifecycle: ({ storeOf }) => {
    const namespaces = storeOf('', 'v1', 'namespaces');
    return new NamespaceLifecycle({ get: (name) => cachedGet(namespaces, '', name) });
  },
  // NodeRestriction limits the writes the Node authorizer allows to the kubelet's own objects; without the Node
  // mode there is no node identity to restrict.
  NodeRestriction: ({ authorization: { authorizer, nodeAuthorizer }, storeOf }) =>
    nodeAuthorizer
      ? new NodeRestriction({
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
        })
      : undefined,
  // ServiceAccount looks the account up in the cache, then (kube's client GET) in etcd.
  ServiceAccount: ({ storeOf }) => {
    const accounts = storeOf('', 'v1', 'serviceaccounts');
    return new ServiceAccountAdmission({
      cached: (ns, name) => cachedGet(accounts, ns, name),
      live: (ns, name) => liveGet(accounts, ns, name),
    });
  },
  TaintNodesByCondition: () => taintNodesByCondition,
  Priority: ({ storeOf }) => new Priority(classReader(storeOf('scheduling.k8s.io', 'v1', 'priorityclasses'))),
  DefaultTolerationSeconds: () => defaultTolerationSeconds,
  DefaultStorageClass: ({ storeOf }) => new DefaultStorageClass(classReader(storeOf('storage.k8s.io', 'v1', 'storageclasses'))),
  StorageObjectInUseProtection: () => storageObjectInUseProtection,
  PersistentVolumeClaimResize: ({ storeOf }) =>
    new PersistentVolumeClaimResize(classReader(storeOf('storage.k8s.io', 'v1', 'storageclasses'))),
  RuntimeClass: ({ storeOf }) => {
    const classes = storeOf('node.k8s.io', 'v1', 'runtimeclasses');
    return new RuntimeClassAdmission({ get: (name) => cachedGet(classes, '', name) });
  },
  DefaultIngressClass: ({ storeOf }) => new DefaultIngressClass(classReader(storeOf('networking.k8s.io', 'v1', 'ingressclasses'))),
  // kube's validating plugins for CSRs ask the same authorizer chain as requests do.
  CertificateApproval: ({ authorization }) => new CertificateApproval(signerAuthorizer(authorization)),
  CertificateSigning: ({ authorization }) => new CertificateSigning(signerAuthorizer(authorization)),
  CertificateSubjectRestriction: () => new CertificateSubjectRestriction(),
  AlwaysDeny: () => alwaysDeny,
};

/** The default-on plugins kgate has, in kube's order: the chain when no flag says otherwise. */
export const DEFAULT_PLUGINS: readonly string[] = ALL_ORDERED_PLUGINS.filter(
  (name) => DEFAULT_ON_PLUGINS.has(name) && IMPLEMENTED_PLUGINS.has(name),
);

/** `plugins`: the enabled names, in kube's order. `storeOf` finds the store of a served resource. */
export function buildAdmission(authorization: Authorization, storeOf: StoreOf, plugins: readonly string[] = DEFAULT_PLUGINS): AdmissionFor {
  const deps: PluginDeps = { authorization, storeOf };
  const chain = new AdmissionChain(
    plugins.flatMap((name) => {
      const make = PLUGINS[name];
      if (!make) throw new Error(`admission plugin ${JSON.stringify(name)} is not implemented by kgate`);
      const plugin = make(deps);
      return plugin ? [plugin] : [];
    }),
  );
  const { authorizer, policy } = authorization;
  return (resource, request, user, response, query): AdmissionHook => {
    const attributes = (
      operation: Operation,
      object: KubeObject | undefined,
      oldObject: KubeObject | undefined,
      dryRun: boolean,
    ): AdmissionAttributes => ({
      operation,
      resource,
      subresource: request.subresource,
      namespace: request.namespace,
      name: object?.metadata?.name ?? oldObject?.metadata?.name ?? request.name,
      object,
      oldObject,
      options: requestOptions(operation, request.verb, query, dryRun),
      dryRun,
      user,
      warn: response.warn,
      annotate: response.annotate,
    });
    return {
      async admit(op, obj, old, dryRun) {
        const a = attributes(op, obj, old, dryRun);
        const changed = await chain.admit(a);
        if (policy && resource.group === RBAC_GROUP && op !== 'DELETE' && a.object) {
          await preventEscalation({ policy, authorizer, resource, request, user, obj: a.object, old });
        }
        return changed ? a.object : undefined;
      },
      async validate(op, obj, old, dryRun) {
        await chain.validate(attributes(op, obj, old, dryRun));
      },
    };
  };
}

/**
 * The options object admission sees (AdmissionRequest.options): CreateOptions, UpdateOptions or DeleteOptions as the
 * handler decoded them; a PATCH is an update's UpdateOptions (patchToUpdateOptions) or, creating, CreateOptions.
 */
function requestOptions(op: Operation, verb: string, query: URLSearchParams, dryRun: boolean): KubeObject | undefined {
  const kind = op === 'CREATE' ? 'CreateOptions' : op === 'UPDATE' ? 'UpdateOptions' : op === 'DELETE' ? 'DeleteOptions' : undefined;
  if (kind === undefined) return undefined;
  const options: KubeObject = { kind, apiVersion: 'meta.k8s.io/v1' };
  if (dryRun) options.dryRun = ['All'];
  if (op === 'DELETE') {
    const propagationPolicy = query.get('propagationPolicy');
    if (propagationPolicy) options.propagationPolicy = propagationPolicy;
    return options;
  }
  const fieldManager = query.get('fieldManager');
  if (fieldManager) options.fieldManager = fieldManager;
  const fieldValidation = query.get('fieldValidation');
  if (fieldValidation && verb !== 'patch') options.fieldValidation = fieldValidation;
  return options;
}

/** certauthorization's attributes: verb on certificates.k8s.io/signers named after the signer, any API version. */
function signerAuthorizer({ authorizer }: Authorization) {
  return async (user: UserInfo, verb: string, name: string) =>
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
}

/** An object as admission reads it, like an informer: from the cache, confirmed against etcd on a miss. */
export async function cachedGet(store: ResourceStore, namespace: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await store.get(namespace, name, { allowStale: true });
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}

/** A live read (kube's client GET through the loopback): etcd, not the cache; undefined when missing. */
async function liveGet(store: ResourceStore, namespace: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await store.get(namespace, name);
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}

/** A cluster-scoped class kind as an informer's lister reads it: one object, or all of them, from the cache. */
function classReader(store: ResourceStore): { get(name: string): Promise<KubeObject | undefined>; list(): Promise<KubeObject[]> } {
  return {
    get: (name) => cachedGet(store, '', name),
    list: async () => (await store.list({ namespace: '', filter: {} })).items,
  };
}
