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
    metadata: { name: SERVICE_NAME, uid: randomUUID(), creationTimestamp: now },
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

/**
 * The `kubernetes` Service (created once: its ClusterIP is the first address of the primary range, port 443 to the
 * secure port) and its Endpoints and EndpointSlice, set to this server's address and port.
 */
export async function reconcileKubernetesService(
  stores: KubernetesServiceStores,
  network: ServiceNetworkConfig,
  securePort: number,
  logger: Logger,
): Promise<void> {
  const serviceIP = firstAddress(network.serviceCIDRs[0]);
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: SERVICE_NAME, namespace: 'default', labels: { provider: 'kubernetes', component: 'apiserver' } },
    spec: {
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: securePort }],
      clusterIP: serviceIP,
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
  };
  await createIfAbsent(stores.services, service, logger);
  const address = network.advertiseAddress;
  const endpoints: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: SERVICE_NAME, namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: address }], ports: [{ name: 'https', port: securePort, protocol: 'TCP' }] }],
  };
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: SERVICE_NAME, namespace: 'default', labels: { 'kubernetes.io/service-name': SERVICE_NAME } },
    addressType: familyOf(address),
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [{ name: 'https', protocol: 'TCP', port: securePort }],
  };
  await Promise.all([
    createOrUpdate(stores.endpoints, endpoints, ['subsets'], logger),
    createOrUpdate(stores.endpointSlices, slice, ['addressType', 'endpoints', 'ports'], logger),
  ]);
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
