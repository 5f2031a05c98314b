// NodeRestriction (plugin/pkg/admission/noderestriction/admission.go): what the Node authorizer allows a kubelet to
// write without naming the object — Nodes, pods, pod status, evictions, PVC status, Leases, CSINodes,
// ResourceSlices, service account tokens — it may only write for itself: its own Node (and not its taints, owner
// references or the labels kube reserves), mirror pods bound to it, the status of pods bound to it, its own Lease and
// CSINode, tokens bound to its pods. Users that are not nodes pass untouched. kgate turns it on with
// --authorization-mode=Node (kubeadm enables both together); kube-apiserver enables it with
// --enable-admission-plugins. ServiceAccountNodeAudienceRestriction (beta, on in v1.34) is followed for the audiences
// of projected token volumes; audiences of CSI drivers are not (kgate serves no CSIDrivers).
import { forbidden, notFound } from '../apimachinery/errors.js';
import { isObject, deepEqual } from '../apimachinery/objects.js';
import { parseCSR } from '../apimachinery/pkcs10.js';
import type { UserInfo } from '../apimachinery/user.js';
import type { KubeObject } from '../storage/interface.js';
import type { AdmissionAttributes, AdmissionPlugin } from './index.js';

/** What the plugin reads, as kube's reads listers: from memory, undefined when absent (a lister's NotFound names the singular resource). */
export interface NodeRestrictionLookup {
  node(name: string): Promise<KubeObject | undefined>;
  pod(namespace: string, name: string): Promise<KubeObject | undefined>;
  /**
   * Whether the authorizer chain allows `user` the verb on a core resource by name in a namespace (for the token
   * audiences a node may request beyond its pods': `request-serviceaccounts-token-audience`).
   */
  authorize(user: UserInfo, verb: string, namespace: string, resource: string, name: string): Promise<boolean>;
}

const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const NODE_RESTRICTION_LABEL_NAMESPACE = 'node-restriction.kubernetes.io';
/** kubelet/pkg/apis: the kubernetes.io labels a kubelet may set on its Node. */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

/** nodeidentifier.NodeIdentity. */
function nodeIdentity(user: UserInfo | undefined): string | undefined {
  if (!user || !user.name.startsWith('system:node:') || !user.groups.includes('system:nodes')) return undefined;
  return user.name.slice('system:node:'.length);
}

type Json = any;

export class NodeRestriction implements AdmissionPlugin {
  readonly name = 'NodeRestriction';
  constructor(private readonly lookup: NodeRestrictionLookup) {}

  async admit(a: AdmissionAttributes): Promise<void> {
    const node = nodeIdentity(a.user);
    if (node === undefined) return;
    // admission.NewForbidden: `<resource> "<name>" is forbidden: <reason>`.
    const refuse = (reason: string) => forbidden({ group: a.resource.group, resource: a.resource.resource }, a.name, reason);
    if (node === '') throw refuse(`could not determine node from user ${JSON.stringify(a.user!.name)}`);
    const object: Json = a.object;
    const old: Json = a.oldObject;
    switch (`${a.resource.group}/${a.resource.resource}`) {
      case '/pods':
        if (a.subresource === '') return this.pod(node, a, refuse);
        if (a.subresource === 'status') {
          if (a.operation !== 'UPDATE') throw refuse(`unexpected operation "${a.operation}"`);
          if (old?.spec?.nodeName !== node)
            throw refuse(`node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
          if (!deepEqual(old?.metadata?.labels ?? {}, object?.metadata?.labels ?? {})) {
            throw refuse(`node "${node}" cannot update labels through pod status`);
          }
          if (!claimStatusesEqual(old?.status?.resourceClaimStatuses, object?.status?.resourceClaimStatuses)) {
            throw refuse(`node "${node}" cannot update resource claim statues`);
          }
          if (!deepEqual(old?.status?.extendedResourceClaimStatus ?? null, object?.status?.extendedResourceClaimStatus ?? null)) {
            throw refuse(`node "${node}" cannot update extended resource claim status`);
          }
          return;
        }
        if (a.subresource === 'eviction') {
          if (a.operation !== 'CREATE') throw refuse(`unexpected operation ${a.operation}`);
          const pod = await this.lookup.pod(a.namespace, a.name);
          if (!pod) throw notFound({ group: '', resource: 'pod' }, a.name);
          if (pod.spec?.nodeName !== node) throw refuse(`node ${node} can only evict pods with spec.nodeName set to itself`);
          return;
        }
        throw refuse(`unexpected pod subresource "${a.subresource}", only 'status' and 'eviction' are allowed`);
      case '/nodes':
        return this.nodeObject(node, a, refuse);
      case '/persistentvolumeclaims': {
        if (a.subresource !== 'status') throw refuse('may only update PVC status');
        if (a.operation !== 'UPDATE') throw refuse(`unexpected operation "${a.operation}"`);
        if (!deepEqual(pvcWithoutStatusQuantities(old), pvcWithoutStatusQuantities(object))) {
          throw refuse(`node "${node}" is not allowed to update fields other than status.quantity and status.conditions`);
        }
        return;
      }
      case '/serviceaccounts':
        return this.token(node, a, refuse);
      case 'coordination.k8s.io/leases':
        if (a.namespace !== NODE_LEASE_NAMESPACE) throw refuse(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
        if (a.name !== node) throw refuse('can only access node lease with the same name as the requesting node');
        return;
      case 'storage.k8s.io/csinodes':
        if (a.name !== node) throw refuse('can only access CSINode with the same name as the requesting node');
        return;
      case 'certificates.k8s.io/certificatesigningrequests':
        // AllowInsecureKubeletCertificateSigningRequests is off in v1.34: a node asks for its own certificates only.
        return this.csr(node, a, refuse);
      case 'resource.k8s.io/resourceslices':
        if (a.operation === 'CREATE' && object?.spec?.nodeName !== node) {
          throw refuse('can only create ResourceSlice with the same NodeName as the requesting node');
        }
        if (a.operation === 'DELETE' && old?.spec?.nodeName !== node) {
          throw refuse('can only delete ResourceSlice with the same NodeName as the requesting node');
        }
        return;
      default:
        return;
    }
  }

  /** admitPod: a kubelet creates mirror pods of its static pods, bound to and owned by its Node, and deletes its pods. */
  private async pod(node: string, a: AdmissionAttributes, refuse: (reason: string) => Error): Promise<void> {
    if (a.operation === 'DELETE') {
      if ((a.oldObject as Json)?.spec?.nodeName !== node)
        throw refuse(`node "${node}" can only delete pods with spec.nodeName set to itself`);
      return;
    }
    if (a.operation !== 'CREATE')
      throw refuse(`unexpected operation "${a.operation}", node "${node}" can only create and delete mirror pods`);
    const pod: Json = a.object;
    if (pod?.metadata?.annotations?.[MIRROR_POD_ANNOTATION] === undefined) {
      throw refuse(`pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node "${node}" can only create mirror pods`);
    }
    if (pod.spec?.nodeName !== node) throw refuse(`node "${node}" can only create pods with spec.nodeName set to itself`);
    const owners: Json[] = pod.metadata.ownerReferences ?? [];
    if (owners.length > 1) throw refuse(`node "${node}" can only create pods with a single owner reference set to itself`);
    if (owners.length === 0) throw refuse(`node "${node}" can only create pods with an owner reference set to itself`);
    const owner = owners[0];
    if (owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== node) {
      throw refuse(`node "${node}" can only create pods with an owner reference set to itself`);
    }
    if (owner.controller !== true) throw refuse(`node "${node}" can only create pods with a controller owner reference set to itself`);
    if (owner.blockOwnerDeletion === true) throw refuse(`node "${node}" must not set blockOwnerDeletion on an owner reference`);
    const nodeObject = await this.lookup.node(node);
    if (!nodeObject) throw notFound({ group: '', resource: 'node' }, node);
    const uid = nodeObject.metadata?.uid ?? '';
    if ((owner.uid ?? '') !== uid) throw refuse(`node ${node} UID mismatch: expected ${owner.uid ?? ''} got ${uid}`);
    const referenced = apiObjectReference(pod);
    if (referenced !== undefined) throw refuse(`node "${node}" can not create pods that reference ${referenced}`);
  }

  /** admitNode: only its own Node; no configSource, taints, owner references or reserved labels. */
  private nodeObject(node: string, a: AdmissionAttributes, refuse: (reason: string) => Error): void {
    if (a.name !== node) throw refuse(`node "${node}" is not allowed to modify node "${a.name}"`);
    const obj: Json = a.object;
    const old: Json = a.oldObject;
    if (a.operation === 'CREATE') {
      if (obj?.spec?.configSource != null) throw refuse(`node "${node}" is not allowed to create pods with a non-nil configSource`);
      const labels = forbiddenLabels(modifiedLabels(obj?.metadata?.labels, undefined));
      if (labels.length > 0) throw refuse(`node "${node}" is not allowed to set the following labels: ${labels.join(', ')}`);
    }
    if (a.operation === 'UPDATE') {
      if (obj?.spec?.configSource != null && !deepEqual(obj.spec.configSource, old?.spec?.configSource ?? null)) {
        throw refuse(`node "${node}" is not allowed to update configSource to a new non-nil configSource`);
      }
      if (!deepEqual(emptyAsAbsent(obj?.spec?.taints), emptyAsAbsent(old?.spec?.taints)))
        throw refuse(`node "${node}" is not allowed to modify taints`);
      if (!deepEqual(emptyAsAbsent(obj?.metadata?.ownerReferences), emptyAsAbsent(old?.metadata?.ownerReferences))) {
        throw refuse(`node "${node}" is not allowed to modify ownerReferences`);
      }
      const labels = forbiddenLabels(modifiedLabels(obj?.metadata?.labels, old?.metadata?.labels));
      if (labels.length > 0) throw refuse(`is not allowed to modify labels: ${labels.join(', ')}`);
    }
  }

  /** admitServiceAccount: a kubelet's token requests are bound to one of its pods. */
  private async token(node: string, a: AdmissionAttributes, refuse: (reason: string) => Error): Promise<void> {
    if (a.operation !== 'CREATE' || a.subresource !== 'token') return;
    const ref: Json = (a.object as Json)?.spec?.boundObjectRef;
    if (!ref || ref.apiVersion !== 'v1' || ref.kind !== 'Pod' || !ref.name) throw refuse('node requested token not bound to a pod');
    if (!ref.uid) throw refuse('node requested token with a pod binding without a uid');
    const pod = await this.lookup.pod(a.namespace, ref.name);
    if (!pod) throw notFound({ group: '', resource: 'pod' }, ref.name);
    if (ref.uid !== pod.metadata?.uid) {
      throw refuse(
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
    if (pod.spec?.nodeName !== node) throw refuse('node requested token bound to a pod scheduled on a different node');
    // validateNodeServiceAccountAudience: the audience must be one the pod's projected token volumes use, or one
    // the node is authorized to request for this service account.
    const audiences: unknown[] = Array.isArray((a.object as Json)?.spec?.audiences) ? (a.object as Json).spec.audiences : [];
    if (audiences.length > 1) throw refuse('node may only request 0 or 1 audiences');
    const audience = audiences.length === 1 ? String(audiences[0]) : '';
    const inPod = (pod.spec?.volumes ?? []).some((v: Json) =>
      (v?.projected?.sources ?? []).some((s: Json) => s?.serviceAccountToken && (s.serviceAccountToken.audience ?? '') === audience),
    );
    if (inPod) return;
    if (await this.lookup.authorize(a.user!, 'request-serviceaccounts-token-audience', a.namespace, audience, a.name)) return;
    throw refuse(
      `audience ${JSON.stringify(audience)} not found in pod spec volume, ${a.user!.name} is not authorized to request tokens for this audience`,
    );
  }

  /** admitCSR: the kubelet signers' requests name the node itself. */
  private csr(node: string, a: AdmissionAttributes, refuse: (reason: string) => Error): void {
    if (a.operation !== 'CREATE') return;
    const spec: Json = (a.object as Json)?.spec ?? {};
    if (spec.signerName !== 'kubernetes.io/kubelet-serving' && spec.signerName !== 'kubernetes.io/kube-apiserver-client-kubelet') return;
    let commonName: string;
    try {
      commonName = parseCSR(Buffer.from(String(spec.request ?? ''), 'base64').toString('latin1')).subject.commonName;
    } catch (e) {
      throw refuse(`unable to parse csr: ${(e as Error).message}`);
    }
    if (commonName !== `system:node:${node}`) throw refuse(`can only create a node CSR with CN=system:node:${node}`);
  }
}

/** Semantic.DeepEqual reads a nil and an empty slice alike for these comparisons' purposes here. */
function emptyAsAbsent(v: unknown): unknown {
  return Array.isArray(v) && v.length === 0 ? undefined : v;
}

function claimStatusesEqual(a: Json[] | undefined, b: Json[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return (
    x.length === y.length &&
    x.every((s, i) => s?.name === y[i]?.name && (s?.resourceClaimName ?? null) === (y[i]?.resourceClaimName ?? null))
  );
}

/** The PVC with what a kubelet may change cleared (RecoverVolumeExpansionFailure is GA in v1.34). */
function pvcWithoutStatusQuantities(pvc: Json): Json {
  if (!isObject(pvc)) return pvc;
  const copy: Json = structuredClone(pvc);
  if (copy.metadata) {
    delete copy.metadata.resourceVersion;
    delete copy.metadata.managedFields;
  }
  if (copy.status) {
    for (const field of ['capacity', 'conditions', 'allocatedResourceStatuses', 'allocatedResources']) delete copy.status[field];
  }
  return copy;
}

function modifiedLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): string[] {
  const x = a ?? {};
  const y = b ?? {};
  const keys = new Set<string>();
  for (const k of Object.keys(x)) if (!(k in y) || x[k] !== y[k]) keys.add(k);
  for (const k of Object.keys(y)) if (!(k in x) || x[k] !== y[k]) keys.add(k);
  return [...keys];
}

const labelNamespace = (key: string) => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const inNamespace = (ns: string, allowed: string) => ns === allowed || ns.endsWith(`.${allowed}`);

/** getForbiddenLabels, sorted as sets.String.List() returns them. */
function forbiddenLabels(keys: string[]): string[] {
  const out = new Set<string>();
  for (const key of keys) {
    const ns = labelNamespace(key);
    if (inNamespace(ns, NODE_RESTRICTION_LABEL_NAMESPACE)) out.add(key);
    const isKubernetes = inNamespace(ns, 'kubernetes.io') || inNamespace(ns, 'k8s.io');
    const isKubelet = KUBELET_LABELS.has(key) || KUBELET_LABEL_NAMESPACES.some((allowed) => inNamespace(ns, allowed));
    if (isKubernetes && !isKubelet) out.add(key);
  }
  return [...out].sort();
}

/** podutil.HasAPIObjectReference: what a mirror pod may not name, as kube names it; undefined when nothing. */
function apiObjectReference(pod: Json): string | undefined {
  const spec = pod.spec ?? {};
  if (spec.serviceAccountName) return 'serviceaccounts';
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const volumes: Json[] = spec.volumes ?? [];
  // VisitPodSecretNames and VisitPodConfigmapNames come first, and they see volumes too.
  if (
    (spec.imagePullSecrets ?? []).some((r: Json) => r?.name) ||
    containers.some((c: Json) => refs(c, 'secretRef', 'secretKeyRef')) ||
    volumes.some(namesSecret)
  ) {
    return 'secrets';
  }
  if (
    containers.some((c: Json) => refs(c, 'configMapRef', 'configMapKeyRef')) ||
    volumes.some((v) => v.configMap?.name || (v.projected?.sources ?? []).some((src: Json) => src?.configMap?.name))
  ) {
    return 'configmaps';
  }
  if ((spec.resourceClaims ?? []).length > 0) return 'resourceclaims';
  for (const v of volumes) {
    if (v.configMap) return 'configmaps (via configmap volumes)';
    if (v.secret) return 'secrets (via secret volumes)';
    if (v.csi) return 'csidrivers (via CSI volumes)';
    if (v.glusterfs) return 'endpoints (via glusterFS volumes)';
    if (v.persistentVolumeClaim) return 'persistentvolumeclaims';
    if (v.ephemeral) return 'persistentvolumeclaims (via ephemeral volumes)';
    if (v.azureFile) return 'secrets (via azureFile volumes)';
    if (v.projected) {
      for (const s of v.projected.sources ?? []) {
        if (s.configMap) return 'configmaps (via projected volumes)';
        if (s.secret) return 'secrets (via projected volumes)';
        if (s.serviceAccountToken) return 'serviceaccounts (via projected volumes)';
        if (s.clusterTrustBundle) return 'clustertrustbundles';
        if (s.podCertificate) return 'podcertificates';
      }
    }
  }
  return undefined;
}

/** Whether a volume names a secret as VisitPodSecretNames sees volumes. */
function namesSecret(v: Json): boolean {
  if (v.azureFile) return Boolean(v.azureFile.secretName);
  const ref = v.cephfs ?? v.cinder ?? v.flexVolume ?? v.rbd ?? v.scaleIO ?? v.iscsi ?? v.storageos;
  if (ref) return Boolean(ref.secretRef?.name);
  if (v.projected) return (v.projected.sources ?? []).some((s: Json) => s?.secret?.name);
  if (v.secret) return Boolean(v.secret.secretName);
  if (v.csi) return Boolean(v.csi.nodePublishSecretRef?.name);
  return false;
}

/** Whether a container names an object through envFrom (`fromKey`) or an env value (`valueKey`). */
function refs(c: Json, fromKey: string, valueKey: string): boolean {
  return (c.envFrom ?? []).some((f: Json) => f?.[fromKey]?.name) || (c.env ?? []).some((e: Json) => e?.valueFrom?.[valueKey]?.name);
}
