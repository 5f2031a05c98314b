// The Service REST's allocation steps (kube pkg/registry/core/service/storage/alloc.go and storage.go's beginCreate,
// beginUpdate and afterDelete): before the strategy prepares and validates a Service, its IP family fields are
// initialized and checked against the cluster's families, its ClusterIPs and NodePorts are taken (a refusal is the
// whole answer), and the returned finish callback keeps them when the write succeeded or gives them back when it did
// not. A deleted Service's ClusterIPs and NodePorts are released.
import { internalError, invalid, type FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../apimachinery/meta.js';
import { fieldInvalid } from '../../apimachinery/validation.js';
import {
  initServiceIPFamilies,
  normalizeClusterIPs,
  patchAllocatedValues,
  validateServiceClusterIPsRelatedFields,
} from '../validation/core/service.js';
import { AllocationError, familyOf, type IPFamily, type IPFamilyAllocator, type ServiceRef } from './ipallocator.js';
import type { PortAllocator } from './portallocator.js';

type Spec = Record<string, any>;

/** Called once the write is over: keep what was allocated (success) or give it back. */
export type FinishFunc = (success: boolean) => Promise<void>;

function refuse(svc: KubeObject, errors: FieldError[]): never {
  throw invalid('', 'Service', svc.metadata?.name ?? '', errors);
}

function portsOf(spec: Spec): Spec[] {
  return Array.isArray(spec.ports) ? spec.ports : [];
}

function needsHealthCheck(spec: Spec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

function shouldAllocateNodePorts(spec: Spec): boolean {
  if (spec.type === 'NodePort') return true;
  if (spec.type === 'LoadBalancer') return spec.allocateLoadBalancerNodePorts !== false;
  return false;
}

function collectNodePorts(spec: Spec): number[] {
  return portsOf(spec)
    .map((p) => p.nodePort)
    .filter((n): n is number => typeof n === 'number' && n !== 0);
}

/** PortAllocationOperation: ports taken at once, undone by finish unless committed; releases wait for commit. */
class PortOperation {
  private readonly allocated: number[] = [];
  private readonly deferred: number[] = [];

  constructor(
    private readonly ports: PortAllocator,
    private readonly dryRun: boolean,
  ) {}

  async allocate(port: number): Promise<void> {
    // Within one operation, a port it already took is taken.
    if (this.dryRun && this.allocated.includes(port)) throw new AllocationError('provided port is already allocated');
    await this.ports.allocate([port], this.dryRun);
    this.allocated.push(port);
  }

  async allocateNext(): Promise<number> {
    const port = await this.ports.allocateNext(new Set(this.allocated), this.dryRun);
    this.allocated.push(port);
    return port;
  }

  releaseDeferred(port: number): void {
    this.deferred.push(port);
  }

  async commit(): Promise<void> {
    if (!this.dryRun && this.deferred.length > 0) await this.ports.release(this.deferred);
  }

  async revert(): Promise<void> {
    if (!this.dryRun && this.allocated.length > 0) await this.ports.release(this.allocated);
  }
}

export class ServiceAllocators {
  private readonly families: IPFamily[];

  constructor(
    private readonly ipAllocators: Map<IPFamily, IPFamilyAllocator>,
    private readonly ports: PortAllocator,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.families = [...ipAllocators.keys()];
  }

  /** beginCreate: normalizeClusterIPs, then allocateCreate. */
  async beginCreate(svc: KubeObject, ref: ServiceRef, dryRun: boolean): Promise<FinishFunc> {
    const spec: Spec = (svc.spec ??= {});
    normalizeClusterIPs(svc);
    this.initIPFamilyFields(svc, undefined);
    const ips = await this.allocClusterIPs(svc, ref, dryRun);
    let op: PortOperation;
    try {
      op = await this.allocNodePortsForCreate(svc, spec, dryRun);
    } catch (e) {
      if (!dryRun) await this.releaseIPs(ips);
      throw e;
    }
    return async (success) => {
      if (success) return op.commit();
      await op.revert();
      if (!dryRun) await this.releaseIPs(ips);
    };
  }

  /** beginUpdate: patchAllocatedValues, normalizeClusterIPs, then allocateUpdate. */
  async beginUpdate(svc: KubeObject, old: KubeObject, ref: ServiceRef, dryRun: boolean): Promise<FinishFunc> {
    svc.spec ??= {};
    patchAllocatedValues(svc, old);
    normalizeClusterIPs(svc, old);
    const related = validateServiceClusterIPsRelatedFields(svc);
    if (related.length > 0) refuse(svc, related);
    this.initIPFamilyFields(svc, old);
    const { allocated, toRelease } = await this.updateClusterIPs(svc, old, ref, dryRun);
    let op: PortOperation;
    try {
      op = await this.updateNodePorts(svc, old, dryRun);
    } catch (e) {
      if (!dryRun) await this.releaseIPs(allocated);
      throw e;
    }
    return async (success) => {
      if (success) {
        await op.commit();
        if (!dryRun) await this.releaseIPs(toRelease);
        return;
      }
      await op.revert();
      if (!dryRun) await this.releaseIPs(allocated);
    };
  }

  /** afterDelete's releaseAllocatedResources: the Service's ClusterIPs, NodePorts and health-check port. */
  async release(svc: KubeObject): Promise<void> {
    const spec: Spec = svc.spec ?? {};
    const ips: Map<IPFamily, string> = new Map();
    const clusterIPs: string[] = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
    if (spec.type !== 'ExternalName') for (const ip of clusterIPs) if (ip && ip !== 'None') ips.set(familyOf(ip), ip);
    await this.releaseIPs(ips);
    const ports = collectNodePorts(spec);
    if (needsHealthCheck(spec) && typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0) {
      ports.push(spec.healthCheckNodePort);
    }
    if (ports.length > 0) await this.ports.release(ports);
  }

  /** The checks and defaults of initIPFamilyFields, for this cluster's families (validation/core/service.ts). */
  private initIPFamilyFields(svc: KubeObject, old: KubeObject | undefined): void {
    if (!old) {
      const related = validateServiceClusterIPsRelatedFields(svc);
      if (related.length > 0) refuse(svc, related);
    }
    const errs = initServiceIPFamilies(svc, old, this.families);
    if (errs.length > 0) refuse(svc, errs);
  }

  /** allocClusterIPs: one per family of spec.ipFamilies, requested or picked. */
  private async allocClusterIPs(svc: KubeObject, ref: ServiceRef, dryRun: boolean): Promise<Map<IPFamily, string>> {
    const spec: Spec = svc.spec;
    if (spec.type === 'ExternalName') return new Map();
    const clusterIPs: string[] = Array.isArray(spec.clusterIPs) ? [...spec.clusterIPs] : [];
    if (clusterIPs[0] === 'None') return new Map();
    const families: IPFamily[] = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
    const toAlloc = new Map<IPFamily, string>();
    families.forEach((family, i) => {
      if (i >= clusterIPs.length) clusterIPs.push('');
      toAlloc.set(family, clusterIPs[i]);
    });
    const allocated = await this.allocIPs(svc, clusterIPs, toAlloc, ref, dryRun);
    families.forEach((family, i) => {
      const ip = allocated.get(family);
      if (ip !== undefined) clusterIPs[i] = ip;
    });
    spec.clusterIPs = clusterIPs;
    if (clusterIPs.length > 0) spec.clusterIP = clusterIPs[0];
    return allocated;
  }

  /** allocIPs: on failure, what this call took is given back before the error is answered. */
  private async allocIPs(
    svc: KubeObject,
    requestedIPs: string[],
    toAlloc: Map<IPFamily, string>,
    ref: ServiceRef,
    dryRun: boolean,
  ): Promise<Map<IPFamily, string>> {
    const allocated = new Map<IPFamily, string>();
    try {
      for (const [family, ip] of toAlloc) {
        const allocator = this.ipAllocators.get(family)!;
        if (ip === '') {
          try {
            allocated.set(family, await allocator.allocateNext(ref, dryRun));
          } catch (e) {
            if (e instanceof AllocationError) throw internalError(`failed to allocate a serviceIP: ${e.message}`);
            throw e;
          }
        } else {
          try {
            await allocator.allocate(ip, ref, dryRun);
          } catch (e) {
            if (!(e instanceof AllocationError)) throw e;
            // The field's value is spec.clusterIPs as the client asked for it.
            const shown = Array.isArray(svc.spec.clusterIPs) ? svc.spec.clusterIPs : requestedIPs;
            refuse(svc, [fieldInvalid('spec.clusterIPs', shown, `failed to allocate IP ${ip}: ${e.message}`)]);
          }
          allocated.set(family, ip);
        }
      }
    } catch (e) {
      if (!dryRun) await this.releaseIPs(allocated);
      throw e;
    }
    return allocated;
  }

  private async releaseIPs(ips: Map<IPFamily, string>): Promise<void> {
    for (const [family, ip] of ips) {
      const allocator = this.ipAllocators.get(family);
      // A family this cluster no longer serves: nothing to release it from.
      if (!allocator) continue;
      await allocator.release(ip).catch((e: Error) => this.log(`releasing ClusterIP ${ip}: ${e.message}`));
    }
  }

  /** txnAllocNodePorts: initNodePorts and the health-check port. */
  private async allocNodePortsForCreate(svc: KubeObject, spec: Spec, dryRun: boolean): Promise<PortOperation> {
    const op = new PortOperation(this.ports, dryRun);
    try {
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') await this.initNodePorts(svc, op);
      if (needsHealthCheck(spec)) await this.allocHealthCheckNodePort(spec, op);
    } catch (e) {
      await op.revert();
      throw e;
    }
    return op;
  }

  /** initNodePorts: ports sharing a service port number share one NodePort, the first one asked for among them. */
  private async initNodePorts(svc: KubeObject, op: PortOperation): Promise<void> {
    const spec: Spec = svc.spec;
    const ports = portsOf(spec);
    const byServicePort = new Map<unknown, number>();
    for (let i = 0; i < ports.length; i++) {
      const sp = ports[i];
      const nodePort: number = typeof sp.nodePort === 'number' ? sp.nodePort : 0;
      if (nodePort === 0 && !shouldAllocateNodePorts(spec)) continue;
      const shared = byServicePort.get(sp.port) ?? 0;
      if (shared === 0) {
        const requested =
          ports.find((p, k) => k >= i && p.port === sp.port && typeof p.nodePort === 'number' && p.nodePort !== 0)?.nodePort ?? 0;
        if (requested !== 0) {
          await this.allocatePort(svc, op, requested, i);
          sp.nodePort = requested;
          byServicePort.set(sp.port, requested);
        } else {
          const next = await this.allocateNextPort(op);
          sp.nodePort = next;
          byServicePort.set(sp.port, next);
        }
      } else if (nodePort !== shared) {
        if (nodePort === 0) sp.nodePort = shared;
        else await this.allocatePort(svc, op, nodePort, i);
      }
    }
  }

  private async allocatePort(svc: KubeObject, op: PortOperation, port: number, index: number): Promise<void> {
    try {
      await op.allocate(port);
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      refuse(svc, [fieldInvalid(`spec.ports[${index}].nodePort`, port, e.message)]);
    }
  }

  private async allocateNextPort(op: PortOperation): Promise<number> {
    try {
      return await op.allocateNext();
    } catch (e) {
      if (e instanceof AllocationError) throw internalError(`failed to allocate a nodePort: ${e.message}`);
      throw e;
    }
  }

  /** allocHealthCheckNodePort: its failure is a plain error, which kube answers as a 500. */
  private async allocHealthCheckNodePort(spec: Spec, op: PortOperation): Promise<void> {
    const hc: number = typeof spec.healthCheckNodePort === 'number' ? spec.healthCheckNodePort : 0;
    try {
      if (hc !== 0) await op.allocate(hc);
      else spec.healthCheckNodePort = await op.allocateNext();
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      throw internalError(
        hc !== 0
          ? `failed to allocate requested HealthCheck NodePort ${hc}: ${e.message}`
          : `failed to allocate a HealthCheck NodePort 0: ${e.message}`,
      );
    }
  }

  /** updateClusterIPs: what to allocate now and what to release once the update is stored. */
  private async updateClusterIPs(
    svc: KubeObject,
    old: KubeObject,
    ref: ServiceRef,
    dryRun: boolean,
  ): Promise<{ allocated: Map<IPFamily, string>; toRelease: Map<IPFamily, string> }> {
    const spec: Spec = svc.spec;
    const oldSpec: Spec = old.spec ?? {};
    const none = { allocated: new Map<IPFamily, string>(), toRelease: new Map<IPFamily, string>() };
    if (oldSpec.type === 'ExternalName' && spec.type !== 'ExternalName') {
      return { allocated: await this.allocClusterIPs(svc, ref, dryRun), toRelease: new Map() };
    }
    const oldIPs: string[] = Array.isArray(oldSpec.clusterIPs) ? oldSpec.clusterIPs : [];
    if (oldIPs[0] === 'None') return none;
    const oldFamilies: IPFamily[] = Array.isArray(oldSpec.ipFamilies) ? oldSpec.ipFamilies : [];
    if (oldSpec.type !== 'ExternalName' && spec.type === 'ExternalName') {
      const toRelease = new Map<IPFamily, string>();
      oldFamilies.forEach((family, i) => {
        if (oldIPs[i]) toRelease.set(family, oldIPs[i]);
      });
      return { allocated: new Map(), toRelease };
    }
    const families: IPFamily[] = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
    if (oldFamilies.length === 1 && families.length === 2) {
      const ips: string[] = Array.isArray(spec.clusterIPs) ? [...spec.clusterIPs] : [];
      if (ips.length < 2) ips.push('');
      const allocated = await this.allocIPs(svc, ips, new Map([[families[1], ips[1]]]), ref, dryRun);
      ips[1] = allocated.get(families[1])!;
      spec.clusterIPs = ips;
      return { allocated, toRelease: new Map() };
    }
    if (oldFamilies.length === 2 && families.length === 1 && oldIPs[1]) {
      return { allocated: new Map(), toRelease: new Map([[oldFamilies[1], oldIPs[1]]]) };
    }
    return none;
  }

  /** txnUpdateNodePorts: new NodePorts taken now, the ones no longer used released once the update is stored. */
  private async updateNodePorts(svc: KubeObject, old: KubeObject, dryRun: boolean): Promise<PortOperation> {
    const spec: Spec = svc.spec;
    const oldSpec: Spec = old.spec ?? {};
    const op = new PortOperation(this.ports, dryRun);
    const oldNeeds = oldSpec.type === 'NodePort' || oldSpec.type === 'LoadBalancer';
    try {
      if (oldNeeds && (spec.type === 'ExternalName' || spec.type === 'ClusterIP')) {
        for (const p of collectNodePorts(oldSpec)) op.releaseDeferred(p);
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        const oldPorts = collectNodePorts(oldSpec);
        const taken = new Set<number>();
        const ports = portsOf(spec);
        for (let i = 0; i < ports.length; i++) {
          const sp = ports[i];
          const nodePort: number = typeof sp.nodePort === 'number' ? sp.nodePort : 0;
          if (nodePort === 0 && !shouldAllocateNodePorts(spec)) continue;
          if (nodePort !== 0) {
            if (!oldPorts.includes(nodePort) && !taken.has(nodePort)) {
              await this.allocatePort(svc, op, nodePort, i);
              taken.add(nodePort);
            }
          } else {
            sp.nodePort = await this.allocateNextPort(op);
          }
        }
        const newPorts = collectNodePorts(spec);
        for (const p of oldPorts) if (!newPorts.includes(p)) op.releaseDeferred(p);
      }
      const needed = needsHealthCheck(oldSpec);
      const needs = needsHealthCheck(spec);
      if (!needed && needs) await this.allocHealthCheckNodePort(spec, op);
      else if (needed && !needs && typeof oldSpec.healthCheckNodePort === 'number') op.releaseDeferred(oldSpec.healthCheckNodePort);
    } catch (e) {
      await op.revert();
      throw e;
    }
    return op;
  }
}
