// What each node may reach, for the Node authorizer (plugin/pkg/auth/authorizer/node/graph.go, with the pod and
// volume visitors of pkg/api/v1/pod/util.go and pkg/api/v1/persistentvolume/util.go). kube keeps a directed graph
// (secret → pod → node, pvc → pod → node, secret → pv → pvc, volumeattachment → node, ...) and walks it per
// request; the relationships are only ever two hops deep, so kgate keeps them as counted indexes instead: for every
// object a bound pod names, how many of the pods that name it run on each node; for PersistentVolumes, the claim
// they are bound to and the secrets the kubelet reads for them. The answers are the graph's: an object is related to
// a node when a path leads from it to that node.

import { allContainers, podSecretNames } from '../../apimachinery/podrefs.js';

/** The vertex types kube names (graph.go's vertexTypes). */
export type VertexType =
  'configmap' | 'resourceslice' | 'node' | 'pod' | 'pvc' | 'pv' | 'resourceclaim' | 'secret' | 'volumeattachment' | 'serviceAccount';

type Json = any;

interface PodEntry {
  node: string;
  uid: string;
  ephemeralContainers: number;
  claimStatuses: string;
  /** Vertex keys of the objects this pod names (secrets, configmaps, claims, its service account). */
  refs: string[];
}

interface PVEntry {
  /** The vertex key of the claim it is bound to. */
  claim: string;
  /** Vertex keys of the secrets the kubelet reads for it. */
  secrets: string[];
}

const key = (type: VertexType, namespace: string, name: string) => `${type}\u0000${namespace}\u0000${name}`;

export class NodeGraph {
  /** namespace/name → the pod bound to a node. */
  private readonly pods = new Map<string, PodEntry>();
  /** vertex key → node → how many bound pods on that node name the object. */
  private readonly viaPods = new Map<string, Map<string, number>>();
  private readonly pvs = new Map<string, PVEntry>();
  /** secret vertex key → the PersistentVolumes naming it. */
  private readonly pvsBySecret = new Map<string, Set<string>>();
  private readonly attachments = new Map<string, string>();
  private readonly slices = new Map<string, string>();

  /** graphPopulator.updatePod: pods not bound to a node are not in the graph. */
  updatePod(pod: Json, old?: Json): void {
    const node: string = pod?.spec?.nodeName ?? '';
    if (node === '') return;
    const namespace: string = pod.metadata?.namespace ?? '';
    const name: string = pod.metadata?.name ?? '';
    const id = `${namespace}/${name}`;
    const current = this.pods.get(id);
    const ephemeralContainers = (pod.spec.ephemeralContainers ?? []).length;
    const claimStatuses = JSON.stringify(pod.status?.resourceClaimStatuses ?? []);
    // kube skips the re-add when nothing the graph reads can have changed (the rest of a bound pod's spec is
    // immutable): same node, same UID, no new ephemeral containers, same resource claim statuses.
    if (
      old?.spec?.nodeName === node &&
      current &&
      current.node === node &&
      current.uid === (pod.metadata?.uid ?? '') &&
      ephemeralContainers <= current.ephemeralContainers &&
      claimStatuses === current.claimStatuses
    ) {
      return;
    }
    this.deletePod(namespace, name);
    const refs: string[] = [];
    // A mirror pod (the kubelet's copy of a static pod) relates only itself to the node.
    if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] === undefined) {
      if (pod.spec.serviceAccountName) refs.push(key('serviceAccount', namespace, pod.spec.serviceAccountName));
      for (const secret of podSecretNames(pod)) refs.push(key('secret', namespace, secret));
      for (const configMap of podConfigMapNames(pod)) refs.push(key('configmap', namespace, configMap));
      for (const volume of pod.spec.volumes ?? []) {
        const claim = volume.persistentVolumeClaim
          ? volume.persistentVolumeClaim.claimName
          : volume.ephemeral
            ? `${name}-${volume.name}`
            : '';
        if (claim) refs.push(key('pvc', namespace, claim));
      }
      for (const claim of pod.spec.resourceClaims ?? []) {
        const claimName = resourceClaimName(pod, claim);
        if (claimName) refs.push(key('resourceclaim', namespace, claimName));
      }
      const extended = pod.status?.extendedResourceClaimStatus?.resourceClaimName;
      if (extended) refs.push(key('resourceclaim', namespace, extended));
    }
    const unique = [...new Set(refs)];
    for (const ref of unique) {
      let byNode = this.viaPods.get(ref);
      if (!byNode) this.viaPods.set(ref, (byNode = new Map()));
      byNode.set(node, (byNode.get(node) ?? 0) + 1);
    }
    this.pods.set(id, { node, uid: pod.metadata?.uid ?? '', ephemeralContainers, claimStatuses, refs: unique });
  }

  deletePod(namespace: string, name: string): void {
    const id = `${namespace}/${name}`;
    const entry = this.pods.get(id);
    if (!entry) return;
    this.pods.delete(id);
    for (const ref of entry.refs) {
      const byNode = this.viaPods.get(ref)!;
      const n = (byNode.get(entry.node) ?? 0) - 1;
      if (n > 0) byNode.set(entry.node, n);
      else byNode.delete(entry.node);
      if (byNode.size === 0) this.viaPods.delete(ref);
    }
  }

  /** Graph.AddPV: only a PersistentVolume bound to a claim relates to anything. */
  updatePV(pv: Json): void {
    const name: string = pv?.metadata?.name ?? '';
    this.deletePV(name);
    const claimRef = pv?.spec?.claimRef;
    if (!claimRef) return;
    const secrets = [...new Set(pvSecretNames(pv).map(([namespace, secret]) => key('secret', namespace, secret)))];
    this.pvs.set(name, { claim: key('pvc', claimRef.namespace ?? '', claimRef.name ?? ''), secrets });
    for (const secret of secrets) {
      let names = this.pvsBySecret.get(secret);
      if (!names) this.pvsBySecret.set(secret, (names = new Set()));
      names.add(name);
    }
  }

  deletePV(name: string): void {
    const entry = this.pvs.get(name);
    if (!entry) return;
    this.pvs.delete(name);
    for (const secret of entry.secrets) {
      const names = this.pvsBySecret.get(secret)!;
      names.delete(name);
      if (names.size === 0) this.pvsBySecret.delete(secret);
    }
  }

  /** VolumeAttachments and ResourceSlices relate to the node they name (none when they name none). */
  setVolumeAttachment(name: string, node: string | undefined): void {
    if (node) this.attachments.set(name, node);
    else this.attachments.delete(name);
  }

  setResourceSlice(name: string, node: string | undefined): void {
    if (node) this.slices.set(name, node);
    else this.slices.delete(name);
  }

  /** NodeAuthorizer.hasPathFrom: whether the object leads to the node. */
  hasPathFrom(node: string, type: VertexType, namespace: string, name: string): boolean {
    switch (type) {
      case 'pod':
        return this.pods.get(`${namespace}/${name}`)?.node === node;
      case 'volumeattachment':
        return this.attachments.get(name) === node;
      case 'resourceslice':
        return this.slices.get(name) === node;
      case 'pv': {
        const pv = this.pvs.get(name);
        return pv !== undefined && this.reachesByPods(pv.claim, node);
      }
      case 'secret': {
        const vertex = key('secret', namespace, name);
        if (this.reachesByPods(vertex, node)) return true;
        for (const pvName of this.pvsBySecret.get(vertex) ?? []) {
          if (this.reachesByPods(this.pvs.get(pvName)!.claim, node)) return true;
        }
        return false;
      }
      default:
        return this.reachesByPods(key(type, namespace, name), node);
    }
  }

  private reachesByPods(vertex: string, node: string): boolean {
    return (this.viaPods.get(vertex)?.get(node) ?? 0) > 0;
  }
}

/** Every container of a pod: init, regular and ephemeral (podutil.VisitContainers with AllContainers). */
/** podutil.VisitPodConfigmapNames. */
export function podConfigMapNames(pod: Json): string[] {
  const names: string[] = [];
  for (const c of allContainers(pod)) {
    for (const from of c.envFrom ?? []) if (from.configMapRef) names.push(from.configMapRef.name);
    for (const env of c.env ?? []) if (env.valueFrom?.configMapKeyRef) names.push(env.valueFrom.configMapKeyRef.name);
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v.projected) for (const s of v.projected.sources ?? []) names.push(s?.configMap?.name);
    else if (v.configMap) names.push(v.configMap.name);
  }
  return names.filter((n): n is string => typeof n === 'string' && n !== '');
}

/** resourceclaim.Name: a claim named directly, or the one generated from a template as the pod's status says. */
function resourceClaimName(pod: Json, claim: Json): string | undefined {
  if (claim.resourceClaimName != null) return claim.resourceClaimName;
  if (claim.resourceClaimTemplateName != null) {
    const status = (pod.status?.resourceClaimStatuses ?? []).find((s: Json) => s.name === claim.name);
    return status?.resourceClaimName ?? undefined;
  }
  return undefined;
}

/**
 * pvutil.VisitPVSecretNames, kubelet-visible secrets only (the CSI controller secrets are the external
 * attacher's and resizer's, not the kubelet's): [namespace, name] pairs. Namespaces default to the claim's.
 */
export function pvSecretNames(pv: Json): [string, string][] {
  const s = pv.spec ?? {};
  const claimNamespace: string = s.claimRef?.namespace ?? '';
  const out: [string, string][] = [];
  const ref = (r: Json) => {
    if (r) out.push([r.namespace || claimNamespace, r.name]);
  };
  if (s.azureFile) {
    if (s.azureFile.secretName) out.push([s.azureFile.secretNamespace || claimNamespace, s.azureFile.secretName]);
  } else if (s.cephfs) ref(s.cephfs.secretRef);
  else if (s.cinder) {
    if (s.cinder.secretRef) out.push([s.cinder.secretRef.namespace ?? '', s.cinder.secretRef.name]);
  } else if (s.flexVolume) ref(s.flexVolume.secretRef);
  else if (s.rbd) ref(s.rbd.secretRef);
  else if (s.scaleIO) ref(s.scaleIO.secretRef);
  else if (s.iscsi) ref(s.iscsi.secretRef);
  else if (s.storageos) {
    if (s.storageos.secretRef) out.push([s.storageos.secretRef.namespace ?? '', s.storageos.secretRef.name]);
  } else if (s.csi) {
    for (const r of [s.csi.nodePublishSecretRef, s.csi.nodeStageSecretRef, s.csi.nodeExpandSecretRef]) {
      if (r) out.push([r.namespace ?? '', r.name]);
    }
  }
  return out.filter(([, name]) => typeof name === 'string' && name !== '');
}
