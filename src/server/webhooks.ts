// What the admission webhook plugins read, backed by the server's storage and scheme: the Mutating- and
// ValidatingWebhookConfigurations kept in memory by one list and one watch each (kube's configuration managers over
// informers), so a configuration written through any kgate process on the same etcd counts without a restart; the
// namespace labels for namespaceSelector; Service webhooks resolved to an endpoint's address as kube's
// --enable-aggregator-routing resolver does (k8s.io/apiserver/pkg/util/proxy/proxy.go ResolveEndpoint, from
// EndpointSlices; kgate also reads the Service's Endpoints when it has no slices, since no controller mirrors them);
// equivalent resources and conversion from the scheme and the registry.
//
// A configuration written through this server counts from the next request: until the write's watch event has
// arrived (or for 5 s at most), a request first waits until the watch has caught up with etcd (kube leaves this to
// its informers' lag).
import { StatusError, serviceUnavailable } from '../apimachinery/errors.js';
import { WebhookSet } from '../admission/webhook/accessor.js';
import type { ServiceResolver } from '../admission/webhook/client.js';
import type { WebhookDeps } from '../admission/webhook/dispatcher.js';
import { converter } from '../registry/conversion/index.js';
import { applyJSONPatch } from '../registry/patch/jsonpatch.js';
import type { ResourceStore } from '../registry/store.js';
import type { ResourceInfo } from '../scheme/index.js';
import { PrefixInformer } from '../storage/informer.js';
import type { KubeObject, Storage } from '../storage/interface.js';

type StoreOf = (group: string, version: string, resource: string) => ResourceStore;

const GROUP = 'admissionregistration.k8s.io';
/** How long after a configuration write through this server requests at most catch up with etcd first. */
const SYNC_WINDOW_MS = 5000;

/** The two kinds of configuration, kept from storage. */
export class WebhookConfigurations {
  readonly mutating: WebhookSet;
  readonly validating: WebhookSet;
  private readonly informer: PrefixInformer;
  private started: Promise<void> | undefined;
  /**
   * A configuration write through this server has not reached the watch yet (until pendingUntil). Both plugins note
   * the same write (mutating and validating phase), so this is a flag, cleared by the next configuration event.
   */
  private pending = false;
  private pendingUntil = 0;
  private syncing: Promise<void> | undefined;

  /**
   * `cached`: the storage is the watch cache, whose waitForRevision returns once every event up to the revision
   * has reached its watchers; without it the watch may lag behind etcd, so catching up means listing again.
   */
  constructor(
    private readonly storage: Storage,
    etcdPrefix: string,
    private readonly storeOf: StoreOf,
    private readonly resources: readonly ResourceInfo[],
    private readonly cached: boolean,
  ) {
    const resolve = resolveServiceEndpoint(storeOf);
    this.mutating = new WebhookSet(resolve);
    this.validating = new WebhookSet(resolve);
    const prefix = etcdPrefix.replace(/\/+$/, '');
    const sets = [this.mutating, this.validating];
    this.informer = new PrefixInformer(
      storage,
      [`${prefix}/mutatingwebhookconfigurations/`, `${prefix}/validatingwebhookconfigurations/`],
      {
        replace: (lists) => lists.forEach((list, i) => sets[i].replace(list.items)),
        apply: (i, e) => {
          if (e.type === 'DELETED') sets[i].remove(String(e.object.metadata?.name ?? ''));
          else sets[i].put(e.object);
          this.pending = false;
        },
      },
    );
  }

  /** Lists and starts watching on first use: a server whose writes never reach the webhook plugins never watches. */
  private ready(): Promise<void> {
    this.started ??= this.informer.start();
    return this.started;
  }

  /** A configuration is being written through this server: requests catch up with etcd until its event arrives. */
  noteWrite(): void {
    this.pending = true;
    this.pendingUntil = Date.now() + SYNC_WINDOW_MS;
  }

  private async current(): Promise<void> {
    await this.ready();
    if (!this.pending) return;
    if (Date.now() > this.pendingUntil) {
      this.pending = false;
      return;
    }
    this.syncing ??= (async () => {
      try {
        await this.storage.waitForRevision(await this.storage.currentRevision(), 10_000);
        if (!this.cached) {
          await this.informer.relist();
          this.pending = false;
        }
      } finally {
        this.syncing = undefined;
      }
    })();
    await this.syncing;
  }

  async stop(): Promise<void> {
    if (this.started) {
      await this.started.catch(() => undefined);
      await this.informer.stop();
    }
    this.mutating.close();
    this.validating.close();
  }

  /** The plugins' view of one kind. */
  deps(kind: 'mutating' | 'validating'): WebhookDeps {
    const set = kind === 'mutating' ? this.mutating : this.validating;
    const namespaces = this.storeOf('', 'v1', 'namespaces');
    return {
      hooks: async () => {
        await this.current();
        return set.hooks();
      },
      noteConfigurationWrite: (resource) => {
        if (resource.group === GROUP) this.noteWrite();
      },
      namespaceLabels: async (name) => {
        const ns = await cachedGet(namespaces, '', name);
        return ns === undefined ? undefined : ((ns.metadata?.labels as Record<string, string> | undefined) ?? {});
      },
      equivalents: (resource) => this.resources.filter((r) => r !== resource && r.stored && r.storagePrefix === resource.storagePrefix),
      convert: (obj, from, to) => {
        const toStorage = converter(from, from.storageVersion);
        const fromStorage = converter(from.storageVersion, to);
        const stored = toStorage ? toStorage(obj) : obj;
        return fromStorage ? fromStorage(stored) : stored;
      },
      applyJSONPatch: (doc, operations) => applyJSONPatch(doc as never, operations) as KubeObject,
    };
  }
}

async function cachedGet(store: ResourceStore, namespace: string, name: string): Promise<KubeObject | undefined> {
  try {
    return await store.get(namespace, name, { allowStale: true });
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}

type Json = any;

/** ResolveEndpoint: the Service, its port, then a ready endpoint serving that port. Errors carry kube's text. */
function resolveServiceEndpoint(storeOf: StoreOf): ServiceResolver {
  return async (namespace, name, port) => {
    const svc: Json = await cachedGet(storeOf('', 'v1', 'services'), namespace, name);
    if (!svc) throw new Error(`service ${JSON.stringify(name)} not found`);
    const type = svc.spec?.type ?? 'ClusterIP';
    if (!['ClusterIP', 'LoadBalancer', 'NodePort'].includes(type)) throw new Error(`unsupported service type ${JSON.stringify(type)}`);
    const svcPort = (svc.spec?.ports ?? []).find((p: Json) => p.port === port);
    if (!svcPort) throw unavailable(`no service port ${port} found for service ${JSON.stringify(name)}`);
    const portName: string = svcPort.name ?? '';
    const slices = await storeOf('discovery.k8s.io', 'v1', 'endpointslices').list({
      namespace,
      filter: { labels: { matches: (labels) => labels['kubernetes.io/service-name'] === name } },
    });
    for (const slice of slices.items as Json[]) {
      for (const p of slice.ports ?? []) {
        if ((p.name ?? '') !== portName || p.port == null) continue;
        for (const ep of slice.endpoints ?? []) {
          if (ep.conditions?.ready === false || !ep.addresses?.length) continue;
          return { host: String(ep.addresses[0]), port: Number(p.port) };
        }
      }
    }
    if (slices.items.length === 0) {
      const endpoints: Json = await cachedGet(storeOf('', 'v1', 'endpoints'), namespace, name);
      for (const subset of endpoints?.subsets ?? []) {
        const p = (subset.ports ?? []).find((sp: Json) => (sp.name ?? '') === portName);
        if (p && subset.addresses?.length) return { host: String(subset.addresses[0].ip), port: Number(p.port) };
      }
    }
    throw unavailable(`no endpoints available for service ${JSON.stringify(name)}`);
  };
}

function unavailable(message: string): StatusError {
  return serviceUnavailable(message);
}
