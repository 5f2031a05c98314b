// The admission chain, built from the enabled plugin names in kube's order (src/admission/plugins.ts), and the hook
// the registry calls per write: mutating admission before the kind's preparation and validation, RBAC's escalation
// checks after it (kube's policybased REST storage runs them inside Create/Update, before BeforeCreate), then
// validating admission after the kind's validation.
import type { UserInfo } from '../apimachinery/user.js';
import { CertificateApproval, CertificateSigning, CertificateSubjectRestriction } from '../admission/certificates.js';
import { AdmissionChain, type AdmissionAttributes, type AdmissionPlugin, type Operation } from '../admission/index.js';
import { NamespaceLifecycle } from '../admission/namespacelifecycle.js';
import { NodeRestriction } from '../admission/noderestriction.js';
import { PodSecurity } from '../admission/podsecurity/plugin.js';
import type { PodSecurityConfig } from '../admission/config.js';
import { MutatingAdmissionWebhook, ValidatingAdmissionWebhook } from '../admission/webhook/dispatcher.js';
import { LimitRanger } from '../admission/limitranger.js';
import { ResourceQuota, type QuotaAccess } from '../admission/quota/plugin.js';
import { alwaysAdmit, alwaysDeny } from '../admission/always.js';
import { DefaultIngressClass } from '../admission/ingressclass.js';
import { Priority } from '../admission/priority.js';
import { RuntimeClassAdmission } from '../admission/runtimeclass.js';
import { ServiceAccountAdmission } from '../admission/serviceaccount.js';
import { DefaultStorageClass, PersistentVolumeClaimResize, storageObjectInUseProtection } from '../admission/storage.js';
import { defaultTolerationSeconds, taintNodesByCondition } from '../admission/tolerations.js';
import { DEFAULT_ON_PLUGINS, IMPLEMENTED_PLUGINS, ALL_ORDERED_PLUGINS } from '../admission/plugins.js';
import type { CelAuthorize } from '../admission/cel/index.js';
import { ValidatingAdmissionPolicy } from '../admission/policy/validating.js';
import type { RequestInfo } from '../endpoints/requestinfo.js';
import type { AdmissionHook, ResourceStore } from '../registry/store.js';
import { builtinScheme, type ResourceInfo, type Scheme } from '../scheme/index.js';
import type { KubeObject } from '../storage/interface.js';
import { RBAC_GROUP, type Authorization } from './authorization.js';
import { preventEscalation } from './escalation.js';
import type { WebhookConfigurations } from './webhooks.js';
import { authorizePolicyParams } from './policy-params.js';

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

export type StoreOf = (group: string, version: string, resource: string) => ResourceStore;

/** What plugins are built from. */
interface PluginDeps {
  authorization: Authorization;
  storeOf: StoreOf;
  /** The webhook configurations kept from storage; absent, the webhook plugins have nothing to call. */
  webhooks?: WebhookConfigurations;
  /** PodSecurity's configuration from --admission-control-config-file; absent: kube's default. */
  podSecurity?: PodSecurityConfig;
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
  // PodSecurity reads namespaces and lists a namespace's pods as its informers would: from the watch cache.
  PodSecurity: ({ storeOf, podSecurity }) => {
    const namespaces = storeOf('', 'v1', 'namespaces');
    const pods = storeOf('', 'v1', 'pods');
    return new PodSecurity({
      namespace: (name) => cachedGet(namespaces, '', name),
      pods: async (namespace) => (await pods.list({ namespace, filter: {} })).items,
      ...(podSecurity && { defaults: podSecurity.defaults, exemptions: podSecurity.exemptions }),
    });
  },
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
  // matchConditions' `authorizer` asks the same authorizer chain as requests do.
  MutatingAdmissionWebhook: ({ webhooks, authorization: { authorizer } }) =>
    webhooks ? new MutatingAdmissionWebhook({ ...webhooks.deps('mutating'), authorize: celAuthorize(authorizer) }) : undefined,
  ValidatingAdmissionWebhook: ({ webhooks, authorization: { authorizer } }) =>
    webhooks ? new ValidatingAdmissionWebhook({ ...webhooks.deps('validating'), authorize: celAuthorize(authorizer) }) : undefined,
  // LimitRanges as kube's lister has them: from the watch cache (etcd only while the cache has none, as kube's live lookup).
  LimitRanger: ({ storeOf }) => {
    const limitRanges = storeOf('', 'v1', 'limitranges');
    return new LimitRanger({
      list: async (namespace, fresh) =>
        fresh ? (await limitRanges.list({ namespace, filter: {} })).items : cachedList(limitRanges, namespace),
    });
  },
  // Quotas from the watch cache (confirmed against etcd before a refusal), charged in the txn that writes the object.
  ResourceQuota: ({ storeOf }) => {
    const quotas = storeOf('', 'v1', 'resourcequotas');
    return new ResourceQuota({
      list: async (namespace, fresh) => (fresh ? (await quotas.list({ namespace, filter: {} })).items : cachedList(quotas, namespace)),
      // The quota as read, with its new status.used, written iff etcd still holds that revision of it.
      statusWrite: (quota, used) => ({
        key: quotas.key(String(quota.metadata?.namespace ?? ''), String(quota.metadata?.name ?? '')),
        expectedRevision: Number(quota.metadata?.resourceVersion),
        obj: quotas.storageForm({ ...quota, status: { ...(quota.status ?? {}), used } }),
      }),
      listObjects: quotaObjectLister(storeOf),
    });
  },
  // v1.34 serves MutatingAdmissionPolicy only as admissionregistration.k8s.io/v1beta1, off by default (kube-apiserver
  // answers 404 for it): with no API to write policies through, the plugin has nothing to do, as in kube.
  MutatingAdmissionPolicy: () => undefined,
  // Policies and bindings are kept in memory from a watch, as kube's informers keep them; params and namespaces are
  // read from the watch cache.
  ValidatingAdmissionPolicy: ({ authorization: { authorizer }, storeOf }) => {
    const scheme = policyScheme();
    const policies = watchedList(storeOf('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies'));
    const bindings = watchedList(storeOf('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings'));
    const namespaces = storeOf('', 'v1', 'namespaces');
    return new ValidatingAdmissionPolicy({
      snapshot: async () => ({ policies: await policies(), bindings: await bindings() }),
      namespace: (name) => cachedGet(namespaces, '', name),
      namespaceLabels: async (name) => (await cachedGet(namespaces, '', name))?.metadata?.labels ?? undefined,
      servedVersions: (group, resource) =>
        scheme.resources.filter((r) => r.group === group && r.resource === resource).map((r) => r.version),
      paramResource: (apiVersion, kind) => {
        const slash = apiVersion.indexOf('/');
        const info = scheme.lookupKind(slash < 0 ? '' : apiVersion.slice(0, slash), apiVersion.slice(slash + 1), kind);
        return info && info.stored
          ? { group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced }
          : undefined;
      },
      getParam: (r, ns, name) => cachedGet(storeOf(r.group, r.version, r.resource), ns, name),
      listParams: async (r, ns) => (await storeOf(r.group, r.version, r.resource).list({ namespace: ns, filter: {} })).items,
      authorize: celAuthorize(authorizer),
    });
  },
};

const ADMISSIONREGISTRATION = 'admissionregistration.k8s.io';
let builtScheme: Scheme | undefined;
/** The kinds params may be (kgate serves no custom resources yet). */
function policyScheme(): Scheme {
  return (builtScheme ??= builtinScheme());
}

/** The default-on plugins kgate has, in kube's order: the chain when no flag says otherwise. */
export const DEFAULT_PLUGINS: readonly string[] = ALL_ORDERED_PLUGINS.filter(
  (name) => DEFAULT_ON_PLUGINS.has(name) && IMPLEMENTED_PLUGINS.has(name),
);

/** `plugins`: the enabled names, in kube's order. `storeOf` finds the store of a served resource. */
export function buildAdmission(
  authorization: Authorization,
  storeOf: StoreOf,
  plugins: readonly string[] = DEFAULT_PLUGINS,
  webhooks?: WebhookConfigurations,
  podSecurity?: PodSecurityConfig,
): AdmissionFor {
  const deps: PluginDeps = { authorization, storeOf, webhooks, podSecurity };
  const chain = new AdmissionChain(
    plugins.flatMap((name) => {
      const make = PLUGINS[name];
      if (!make) throw new Error(`admission plugin ${JSON.stringify(name)} is not implemented by kgate`);
      const plugin = make(deps);
      return plugin ? [plugin] : [];
    }),
  );
  const { authorizer, policy } = authorization;
  const hasCompanions = chain.hasCompanions;
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
        // kube's policy strategies authorize the writer's access to params once the object is otherwise valid.
        if (resource.group === ADMISSIONREGISTRATION && op !== 'DELETE' && obj && request.subresource === '') {
          const refused = await authorizePolicyParams({
            authorizer,
            scheme: policyScheme(),
            user,
            resource: resource.resource,
            obj,
            old,
            policy: (name) => cachedGet(storeOf(ADMISSIONREGISTRATION, 'v1', 'validatingadmissionpolicies'), '', name),
          });
          if (refused) throw refused;
        }
        await chain.validate(attributes(op, obj, old, dryRun));
      },
      companions: hasCompanions ? (op, obj, old, fresh) => chain.companions(attributes(op, obj, old, false), fresh) : undefined,
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

/** What a quota counts: a namespace's objects of one group/resource from the watch cache (undefined: not served). */
export function quotaObjectLister(storeOf: StoreOf): QuotaAccess['listObjects'] {
  return async ({ group, resource }, namespace) => {
    const store = storeOf(group, '', resource) as ResourceStore | undefined;
    return store?.info.namespaced ? cachedList(store, namespace) : undefined;
  };
}

/** A namespace's objects as admission lists them, like an informer's lister: from the watch cache as it is. */
export async function cachedList(store: ResourceStore, namespace: string): Promise<KubeObject[]> {
  return (await store.list({ namespace, filter: {}, allowStale: true })).items;
}

/** The authorizer chain as CEL's `authorizer` library asks it (policies and webhook matchConditions alike). */
export function celAuthorize(authorizer: Authorization['authorizer']): CelAuthorize {
  return async (a) => {
    const result = await authorizer.authorize(a);
    return { decision: result.decision, reason: result.reason, ...(result.error !== undefined && { error: String(result.error) }) };
  };
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

/**
 * All objects of a cluster-scoped resource, kept in memory by one list and a watch from its revision (an informer's
 * store): started on first use, read per request without touching etcd, relisted after the watch ends.
 */
function watchedList(store: ResourceStore): () => Promise<readonly KubeObject[]> {
  let byName: Map<string, KubeObject> | undefined;
  let items: readonly KubeObject[] | undefined;
  let starting: Promise<void> | undefined;
  const start = async () => {
    const list = await store.list({ namespace: '', filter: {} });
    const map = new Map(list.items.map((o) => [o.metadata?.name ?? '', o]));
    await store.watch(
      { namespace: '', filter: {}, afterRevision: list.revision },
      (e) => {
        const name = e.object.metadata?.name ?? '';
        if (e.type === 'DELETED') map.delete(name);
        else map.set(name, e.object);
        items = undefined;
      },
      () => {
        byName = undefined;
        starting = undefined;
      },
    );
    byName = map;
    items = undefined;
  };
  return async () => {
    if (!byName) {
      starting ??= start().catch((e) => {
        starting = undefined;
        throw e;
      });
      await starting;
    }
    items ??= [...byName!.values()];
    return items;
  };
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
