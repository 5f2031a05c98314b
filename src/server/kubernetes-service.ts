// The Service network at start-up, as kube-apiserver sets it up itself: the ClusterIP and NodePort allocators
// (pkg/registry/core/service/ipallocator, portallocator), the default ServiceCIDR `kubernetes` (pkg/controlplane/
// controller/defaultservicecidr), and the `kubernetes` Service in `default` with its Endpoints and EndpointSlice
// pointing at --advertise-address (pkg/controlplane/controller/kubernetesservice and reconcilers/endpointsadapter.go).
import { randomUUID } from 'node:crypto';
import type { Logger } from 'winston';
import { ipString, parseCIDRSloppy } from '../apimachinery/ip.js';
import type { KubeObject } from '../apimachinery/meta.js';
import { formatTime } from '../apimachinery/time.js';
import { familyOf, IPFamilyAllocator, type IPFamily } from '../registry/allocators/ipallocator.js';
import { PortAllocator } from '../registry/allocators/portallocator.js';
import { ServiceAllocators } from '../registry/allocators/service.js';
import type { ResourceStore, WriteHooks } from '../registry/store.js';
import { StorageError, type Storage } from '../storage/interface.js';
import type { ServiceNetworkConfig } from './config.js';

export const SERVICE_NAME = 'kubernetes';
const FIELD_MANAGER = 'kube-apiserver';

export interface ServiceNetwork {
  allocators: ServiceAllocators;
  hooks: WriteHooks;
  stop(): Promise<void>;
}

/**
 * The allocators over raw etcd (not the watch cache: IPAddresses and the NodePort bitmap are not served resources) and
 * the Service store's write hooks: allocation before the strategy, release (and the Service's Endpoints) after delete.
 */
export async function startServiceNetwork(
  config: ServiceNetworkConfig,
  etcd: Storage,
  etcdPrefix: string,
  endpoints: ResourceStore,
  logger: Logger,
): Promise<ServiceNetwork> {
  const byFamily = new Map<IPFamily, string[]>();
  for (const cidr of config.serviceCIDRs) {
    const family = familyOf(cidr.slice(0, cidr.indexOf('/')));
    byFamily.set(family, [...(byFamily.get(family) ?? []), cidr]);
  }
  const ipAllocators = new Map<IPFamily, IPFamilyAllocator>();
  for (const [family, cidrs] of byFamily)
    ipAllocators.set(family, new IPFamilyAllocator(family, cidrs, etcd, `${etcdPrefix}/ipaddresses/`));
  await Promise.all([...ipAllocators.values()].map((a) => a.start()));
  const ports = new PortAllocator(config.nodePortRange, etcd, `${etcdPrefix}/ranges/servicenodeports`);
  await ports.ensure();
  await ensureServiceCIDR(etcd, `${etcdPrefix}/servicecidrs/${SERVICE_NAME}`, config.serviceCIDRs);
  const allocators = new ServiceAllocators(ipAllocators, ports, (message) => logger.warn(message));
  const hooks: WriteHooks = {
    beginCreate: (obj, ref, dryRun) => allocators.beginCreate(obj, ref, dryRun),
    beginUpdate: (obj, old, ref, dryRun) => allocators.beginUpdate(obj, old, ref, dryRun),
    async afterDelete(svc) {
      // kube deletes the Service's Endpoints too, so a new Service of the name does not inherit them.
      const meta = svc.metadata ?? {};
      await endpoints.delete(meta.namespace ?? '', meta.name ?? '', {}).catch(() => undefined);
      await allocators.release(svc);
    },
  };
  return {
    allocators,
    hooks,
    async stop() {
      await Promise.all([...ipAllocators.values()].map((a) => a.stop()));
    },
  };
}

/** The default ServiceCIDR (kube's defaultservicecidr controller): created once, Ready. */
async function ensureServiceCIDR(etcd: Storage, key: string, cidrs: string[]): Promise<void> {
  const now = formatTime();
  const object: KubeObject = {
    kind: 'ServiceCIDR',
    apiVersion: 'networking.k8s.io/v1',
    metadata: {
      name: SERVICE_NAME,
      uid: randomUUID(),
      creationTimestamp: now,
      // What kube's default ServiceCIDR shows: the controller's status apply, then the create's spec.
      managedFields: [
        {
          manager: 'kubernetes-service-cidr-controller',
          operation: 'Apply',
          apiVersion: 'networking.k8s.io/v1',
          time: now,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:status': {
              'f:conditions': {
                'k:{"type":"Ready"}': { '.': {}, 'f:lastTransitionTime': {}, 'f:message': {}, 'f:status': {}, 'f:type': {} },
              },
            },
          },
          subresource: 'status',
        },
        {
          manager: 'kube-apiserver',
          operation: 'Update',
          apiVersion: 'networking.k8s.io/v1',
          time: now,
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:cidrs': {} } },
        },
      ],
    },
    spec: { cidrs },
    status: {
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: now, reason: '', message: 'Kubernetes default Service CIDR is ready' },
      ],
    },
  };
  try {
    await etcd.create(key, object);
  } catch (e) {
    if (!(e instanceof StorageError && e.code === 'KeyExists')) throw e;
  }
}

export interface KubernetesServiceStores {
  services: ResourceStore;
  endpoints: ResourceStore;
  endpointSlices: ResourceStore;
}

/** kube's master lease TTL (DefaultEndpointReconcilerTTL) and how often a server renews it (EndpointInterval). */
const LEASE_SECONDS = 15;
const RENEW_MS = 10_000;

/**
 * The `kubernetes` Service (created once: its ClusterIP is the first address of the primary range, port 443 to the
 * secure port) and its Endpoints and EndpointSlice, kept by kube's lease endpoint reconciler: every server holds a
 * lease at <prefix>/masterleases/<its address> (an etcd lease of 15 s, renewed every 10 s) and sets the Endpoints to
 * the addresses of all live leases, so several kgate processes behind one Service all appear, and one that stops
 * leaves within the lease's time.
 */
export class KubernetesService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly stores: KubernetesServiceStores,
    private readonly etcd: Storage,
    private readonly etcdPrefix: string,
    private readonly network: ServiceNetworkConfig,
    private readonly securePort: number,
    private readonly logger: Logger,
  ) {}

  private get leaseKey(): string {
    return `${this.etcdPrefix}/masterleases/${this.network.advertiseAddress}`;
  }

  /** Creates the Service, takes the lease, reconciles the Endpoints; then renews and reconciles every 10 s. */
  async start(): Promise<void> {
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: SERVICE_NAME, namespace: 'default', labels: { provider: 'kubernetes', component: 'apiserver' } },
      spec: {
        ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: this.securePort }],
        clusterIP: firstAddress(this.network.serviceCIDRs[0]),
        ipFamilyPolicy: 'SingleStack',
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
    };
    await createIfAbsent(this.stores.services, service, this.logger);
    await this.renew();
    this.timer = setInterval(() => {
      this.running = this.running
        .then(() => this.renew())
        .catch((e: Error) => {
          this.logger.warn(`kubernetes Service endpoints: ${e.message}`);
        });
    }, RENEW_MS);
    this.timer.unref();
  }

  /** RemoveEndpoints on shutdown: gives up the lease and leaves the other servers' addresses. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    const removal = (async () => {
      const current = await this.etcd.get(this.leaseKey);
      if (current) await this.etcd.delete(this.leaseKey, Number(current.metadata?.resourceVersion)).catch(() => undefined);
      await this.reconcile();
    })();
    // An unreachable etcd must not hold up shutdown: the lease runs out by itself.
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      removal.catch(() => undefined),
      new Promise((resolve) => {
        timeout = setTimeout(resolve, 2000);
        timeout.unref();
      }),
    ]);
    clearTimeout(timeout);
  }

  private async renew(): Promise<void> {
    await this.updateLease();
    await this.reconcile();
  }

  /** UpdateLease: the server's address as an Endpoints object under a fresh 15 s etcd lease. */
  private async updateLease(): Promise<void> {
    const ip = this.network.advertiseAddress;
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.etcd.get(this.leaseKey);
      const generation = Number(current?.metadata?.generation ?? 0) + 1;
      const value: KubeObject = {
        kind: 'Endpoints',
        apiVersion: 'v1',
        metadata: { generation, creationTimestamp: null },
        subsets: [{ addresses: [{ ip }] }],
      };
      try {
        if (current)
          await this.etcd.update(this.leaseKey, Number(current.metadata?.resourceVersion), value, { leaseSeconds: LEASE_SECONDS });
        else await this.etcd.create(this.leaseKey, value, { leaseSeconds: LEASE_SECONDS });
        return;
      } catch (e) {
        if (e instanceof StorageError && (e.code === 'Conflict' || e.code === 'KeyExists' || e.code === 'KeyNotFound')) continue;
        throw e;
      }
    }
  }

  /** doReconcile: the Endpoints and EndpointSlice list every live lease's address, sorted, on this server's port. */
  private async reconcile(): Promise<void> {
    const leases = await this.etcd.list(`${this.etcdPrefix}/masterleases/`);
    const ips = leases.items
      .map((item) => (item.subsets as { addresses?: { ip?: string }[] }[] | undefined)?.[0]?.addresses?.[0]?.ip)
      .filter((ip): ip is string => typeof ip === 'string' && ip !== '')
      .sort();
    // kube refuses to erase every address while it is running; on shutdown the last one may go.
    if (ips.length === 0 && !this.stopped)
      throw new Error('no API server IP addresses were listed in storage, refusing to erase all endpoints for the kubernetes Service');
    const ports = [{ name: 'https', port: this.securePort, protocol: 'TCP' }];
    // RepackSubsets drops a subset without addresses.
    const subsets = ips.length > 0 ? [{ addresses: ips.map((ip) => ({ ip })), ports }] : [];
    const endpoints: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: SERVICE_NAME, namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets,
    };
    // endpointSliceFromEndpoints: IPv4 unless every address is IPv6; one ready endpoint per address of that family.
    const addressType = ips.length > 0 && ips.every((ip) => familyOf(ip) === 'IPv6') ? 'IPv6' : 'IPv4';
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: SERVICE_NAME, namespace: 'default', labels: { 'kubernetes.io/service-name': SERVICE_NAME } },
      addressType,
      endpoints: ips.filter((ip) => familyOf(ip) === addressType).map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
      ...(ips.length > 0 && { ports: [{ name: 'https', protocol: 'TCP', port: this.securePort }] }),
    };
    await Promise.all([
      createOrUpdate(this.stores.endpoints, endpoints, ['subsets'], this.logger),
      createOrUpdate(this.stores.endpointSlices, slice, ['addressType', 'endpoints', 'ports'], this.logger),
    ]);
  }
}

/** The first usable address of a CIDR (GetIndexedIP(cidr, 1)): its network address plus one. */
function firstAddress(cidr: string): string {
  const parsed = parseCIDRSloppy(cidr)!;
  const ip = new Uint8Array(parsed.network);
  for (let i = 15; i >= 0; i--) {
    ip[i] = (ip[i] + 1) & 0xff;
    if (ip[i] !== 0) break;
  }
  return ipString(ip);
}

async function createIfAbsent(store: ResourceStore, obj: KubeObject, logger: Logger): Promise<void> {
  // kube looks first and leaves an existing one alone (another kgate process or an earlier run made it).
  const exists = () =>
    store.get('default', SERVICE_NAME).then(
      () => true,
      (e: { code?: number }) => {
        if (e.code === 404) return false;
        throw e;
      },
    );
  if (await exists()) return;
  try {
    await store.create(obj, 'default', { fieldManager: FIELD_MANAGER });
    logger.info(`created ${store.info.resource} default/${SERVICE_NAME}`);
  } catch (e) {
    // Created meanwhile by another process: its create took the name (409) or the ClusterIP (422) first.
    if (!(await exists())) throw e;
  }
}

/** Creates the object, or sets the given fields of the existing one when they differ. */
async function createOrUpdate(store: ResourceStore, want: KubeObject, fields: string[], logger: Logger): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const current = await store.get('default', SERVICE_NAME).catch((e: { code?: number }) => {
        if (e.code === 404) return undefined;
        throw e;
      });
      if (!current) {
        await store.create(structuredClone(want), 'default', { fieldManager: FIELD_MANAGER });
        return;
      }
      if (fields.every((f) => JSON.stringify(current[f]) === JSON.stringify(want[f]))) return;
      const next = structuredClone(current);
      for (const f of fields) next[f] = structuredClone(want[f]);
      await store.update('default', SERVICE_NAME, () => next, { fieldManager: FIELD_MANAGER });
      return;
    } catch (e) {
      // Two processes writing it at once: try again on what the other wrote.
      if ((e as { code?: number }).code === 409) continue;
      throw e;
    }
  }
  logger.warn(`could not reconcile ${store.info.resource} default/${SERVICE_NAME}`);
}
